// api/responder: how a handler answers. The server hands every handler a
// Responder and the handler completes it when the work is done: at once
// for a read, or later, from the engine's loop thread once a change has
// committed, or from an executor thread once an action has run. So no HTTP
// thread and no handler thread waits for a commit, an fsync or an action.
//
// A Responder completes exactly once: the first answer goes to the client,
// later ones are ignored (and logged). Copies share that one completion, so
// it can ride in a std::function (the engine's callbacks); when the last
// copy is dropped without an answer, the client gets a 500 and the log
// says which request was forgotten, rather than a connection that hangs.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <type_traits>

#include "bora/api/http.h"
#include "bora/core/error.h"

namespace bora::api {

class Responder {
 public:
  // send receives the one answer (the server posts it to the connection's
  // strand). what names the request in logs ("POST /v2/executions").
  using Send = std::function<void(Response)>;
  // Where rendering an answer may go instead of the completing thread (the
  // server's handler pool); without it, answers render where they complete.
  using Offload = std::function<void(std::function<void()>)>;
  Responder(Send send, std::string what, Offload offload = {});

  // Completes with r; false when it was already completed.
  bool reply(Response r) const;
  // Completes with Mistral's error body for e.
  bool fail(const Error& e) const;
  // Completes with what make() returns, or with the error it throws
  // (BoraError: its kind; anything else: 500). Completion callbacks run on
  // engine and executor threads, which must never see an exception.
  bool answer(const std::function<Response()>& make) const;
  // answer(make), on the offload pool: for completions that come from the
  // engine's loop thread, which must not spend its time on views and JSON.
  void answer_elsewhere(std::function<Response()> make) const;

  bool completed() const;
  // observer(answer) runs once, on the completing thread, just before the
  // answer is sent (the request metrics count it, the API call's span ends
  // there). Set it before the
  // handler runs; a second observer runs after the first.
  void on_reply(std::function<void(const Response&)> observer) const;
  // render(answer) rewrites every answer, the router's errors and the
  // dropped responder's 500 too, before observers see it: the media type
  // the request negotiated (api/content_negotiation.h). Set it before the
  // handler runs.
  void render_with(std::function<void(Response&)> render) const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

// The callback for an engine or service call whose answer is make(value)
// (make() for Result<void>); an error answers with its status. The answer
// is rendered off the completing thread (answer_elsewhere).
template <class T, class Make>
std::function<void(Result<T>)> reply_with(Responder responder, Make make) {
  return [responder = std::move(responder), make = std::move(make)](Result<T> r) {
    auto result = std::make_shared<Result<T>>(std::move(r));
    responder.answer_elsewhere([result, make] {
      result->value();  // an error: its status and message
      if constexpr (std::is_void_v<T>) {
        return make();
      } else {
        return make(result->value());
      }
    });
  };
}

// The Response for an exception thrown while handling `what` (BoraError:
// its kind and message; anything else: 500, logged).
Response response_for_current_exception(const std::string& what);

}  // namespace bora::api
