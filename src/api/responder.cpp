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
  std::function<void(int)> observer;
  std::atomic<bool> done{false};

  // The last copy went without answering: a handler or a callback lost
  // its way. The client still gets an answer.
  ~State() {
    if (done.load()) return;
    log::error("api", "{} was never answered (its responder was dropped); answering 500", what);
    try {
      if (observer) observer(500);
      send(error_response(500, "Internal error: " + what + " was not answered; see the server's log"));
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
  if (state_->observer) state_->observer(r.status);
  state_->send(std::move(r));
  return true;
}

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

void Responder::on_reply(std::function<void(int)> observer) const { state_->observer = std::move(observer); }

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
