// events/event_dispatcher: Mistral's event engine minus its transport
// (mistral/event_engine/default_event_engine.py): which event triggers a
// notification fires, and their workflows started with the event in
// params.event_params. Both sources use it: the RabbitMQ listener and the
// webhook.
//
// Exactly once: the execution a (message, trigger) pair starts has an id
// derived from the pair (a name-based UUID), given to the engine's
// create-by-id start. The message id is thus stored with the execution, in
// the transaction that creates it; a message delivered again (a restart
// between that commit and the acknowledgement, a retried webhook call, a
// second node) finds its execution and starts nothing, and two nodes
// racing on it collide on the primary key.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bora/core/error.h"
#include "bora/engine/engine.h"
#include "bora/events/event_definitions.h"
#include "bora/events/event_firing.h"
#include "bora/expr/expression_port.h"
#include "bora/storage/database.h"

namespace bora::events {

class EventDispatcher {
 public:
  EventDispatcher(storage::Database& db, engine::Engine& engine, const expr::ExpressionPort& expressions,
                  EventDefinitions definitions);

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
  storage::Database& db_;
  engine::Engine& engine_;
  const expr::ExpressionPort& expressions_;
  EventDefinitions definitions_;
};

}  // namespace bora::events
