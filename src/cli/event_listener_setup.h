// cli/event_listener_setup: `bora server`'s sources of event triggers
// (src/events/): the dispatcher the webhook route and the RabbitMQ listener
// share, and that listener when a transport_url is configured (and this
// bora was built with librabbitmq).
#pragma once

#include <functional>
#include <memory>

#include "bora/core/error.h"
#include "bora/events/event_dispatcher.h"
#include "runtime.h"

namespace bora::cli {

struct EventSources {
  // Null when no engine runs (the schema is not current).
  std::unique_ptr<events::EventDispatcher> dispatcher;
  // Stops the listener (idempotent; empty when there is none); it owns
  // the listener. Called before the engine drains.
  std::function<void()> stop_listener;
};

// [event_engine] event_definitions_cfg_file is read here (a broken file is
// an error naming it); a transport_url this bora cannot use (not built with
// librabbitmq, a bad URL or option) is an error naming it. The sources
// must go before the runtime's engine.
Result<EventSources> start_event_sources(Runtime& runtime);

}  // namespace bora::cli
