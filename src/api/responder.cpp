#include "bora/api/responder.h"

#include <atomic>
#include <exception>

#include "bora/api/errors.h"
#include "bora/core/log.h"

namespace bora::api {

struct Responder::State {
  Send send;
  std::string what;
  Offload offload;
  std::function<void(const Response&)> observer;
  std::function<void(Response&)> render;
  std::atomic<bool> done{false};

  // The last copy went without answering: a handler or a callback lost
  // its way. The client still gets an answer.
  ~State() {
    if (done.load()) return;
    log::error("api", "{} was never answered (its responder was dropped); answering 500", what);
    try {
      Response r = error_response(500, "Internal error: " + what + " was not answered; see the server's log");
      if (render) render(r);
      if (observer) observer(r);
      send(std::move(r));
    } catch (const std::exception& e) {
      log::error("api", "answering the dropped {} failed: {}", what, e.what());
    }
  }
};

Responder::Responder(Send send, std::string what, Offload offload) : state_(std::make_shared<State>()) {
  state_->send = std::move(send);
  state_->what = std::move(what);
  state_->offload = std::move(offload);
}

bool Responder::reply(Response r) const {
  if (state_->done.exchange(true)) {
    log::error("api", "{} was answered twice; the second answer ({}) is dropped", state_->what, r.status);
    return false;
  }
  if (state_->render) {
    try {
      state_->render(r);
    } catch (const std::exception& e) {
      log::error("api", "rendering the answer to {} failed: {}", state_->what, e.what());
    }
  }
  if (state_->observer) {
    try {
      state_->observer(r);
    } catch (const std::exception& e) {
      log::error("api", "observing the answer to {} failed: {}", state_->what, e.what());
    }
  }
  state_->send(std::move(r));
  return true;
}

void Responder::on_reply(std::function<void(const Response&)> observer) const {
  if (state_->observer)
    observer = [first = std::move(state_->observer), second = std::move(observer)](const Response& r) {
      first(r);
      second(r);
    };
  state_->observer = std::move(observer);
}

void Responder::render_with(std::function<void(Response&)> render) const { state_->render = std::move(render); }

bool Responder::fail(const Error& e) const { return reply(error_response(e)); }

bool Responder::answer(const std::function<Response()>& make) const {
  Response r;
  try {
    r = make();
  } catch (...) {
    r = response_for_current_exception(state_->what);
  }
  return reply(std::move(r));
}

void Responder::answer_elsewhere(std::function<Response()> make) const {
  if (!state_->offload) {
    answer(make);
    return;
  }
  // The copy of this responder rides along: dropped with the work (a pool
  // that stopped), it still answers 500.
  state_->offload([self = *this, make = std::move(make)] { self.answer(make); });
}

bool Responder::completed() const { return state_->done.load(); }

Response response_for_current_exception(const std::string& what) {
  try {
    throw;
  } catch (const BoraError& e) {
    if (e.kind() == ErrorKind::Internal) log::error("api", "{} failed: {}", what, e.what());
    return error_response(e.error());
  } catch (const std::exception& e) {
    log::error("api", "{} failed unexpectedly: {}", what, e.what());
    return error_response(500, "Internal error while handling " + what + ": " + e.what());
  } catch (...) {
    log::error("api", "{} failed with an unknown exception", what);
    return error_response(500, "Internal error while handling " + what);
  }
}

}  // namespace bora::api
