// events/event_dispatcher: Mistral's event engine minus its transport
// (mistral/event_engine/default_event_engine.py): which event triggers a
// notification fires, and their workflows started with the event in
// params.event_params. Both sources use it: the RabbitMQ listener and the
// webhook.
//
// Exactly once: the (message, trigger) pairs applied are recorded in the
// transaction that creates the execution a pair starts (the engine's
// StartRequest::with_creation), and that execution's id is derived from
// the pair (a name-based UUID). A message delivered again (a restart
// between that commit and the acknowledgement, a retried webhook call, a
// second node) finds its record and starts nothing, even when the
// execution was deleted since; two nodes racing on it collide on the
// primary keys. Records older than [event_engine] delivery_retention are
// pruned.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bora/core/config.h"
#include "bora/core/error.h"
#include "bora/engine/engine.h"
#include "bora/events/event_definitions.h"
#include "bora/events/event_firing.h"
#include "bora/expr/expression_port.h"
#include "bora/storage/database.h"

namespace bora::events {

// [event_engine] delivery_retention (Bora's): how long the record of an
// applied (message, trigger) pair is kept, in seconds (60 to 31536000;
// default 1209600, 14 days). A message delivered again later than that
// after it was applied starts its workflows again.
Result<std::chrono::seconds> delivery_retention(const Config& config);

class EventDispatcher {
 public:
  EventDispatcher(storage::Database& db, engine::Engine& engine, const expr::ExpressionPort& expressions,
                  EventDefinitions definitions, std::chrono::seconds retention = std::chrono::hours(24 * 14));

  // Starts the workflows of the triggers the event fires; `done` gets one
  // FiredTrigger per fired trigger (empty: none matched) once every start
  // has committed (on the engine's thread), or an error for the whole
  // event: BadInput when its event definition does not evaluate, NotFound
  // for the webhook's unknown trigger, Unavailable when the engine is
  // stopping, Internal when the database failed (then nothing is lost by
  // trying again: what started is found by its id).
  void fire(EventFiring event, std::function<void(Result<std::vector<FiredTrigger>>)> done);

  // The id of the execution a message starts for a trigger.
  static std::string execution_id_for(const std::string& message_id, const std::string& trigger_id);

 private:
  // Deletes the delivery records older than the retention, at most once
  // per tenth of it (and per hour): on the event's thread, before its
  // starts.
  void prune_deliveries();

  storage::Database& db_;
  engine::Engine& engine_;
  const expr::ExpressionPort& expressions_;
  EventDefinitions definitions_;
  std::chrono::seconds retention_;
  std::mutex prune_mutex_;
  std::chrono::steady_clock::time_point next_prune_{};
};

}  // namespace bora::events
