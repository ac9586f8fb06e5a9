// services/event_triggers: the definitions of event triggers (a workflow to
// start when a notification with this exchange, topic and event arrives),
// as Mistral stores them. What fires them is src/events/ (the RabbitMQ
// listener and the webhook, through events/event_dispatcher.h).
#pragma once

#include <optional>
#include <string>

#include "bora/core/error.h"
#include "bora/core/value.h"
#include "bora/services/caller.h"
#include "bora/storage/transaction.h"

namespace bora::services {

// trust_id: the Keystone trust its executions act through (created by the
// API with Keystone on, as Mistral does), kept with the trigger.
Result<storage::EventTrigger> create_event_trigger(storage::Transaction& tx, const Value& body, const Caller& caller,
                                                   std::optional<std::string> trust_id = std::nullopt);
// Only name, workflow_input, workflow_params and scope change.
Result<storage::EventTrigger> update_event_trigger(storage::Transaction& tx, const std::string& id, const Value& body,
                                                   const Caller& caller);
Result<storage::EventTrigger> get_event_trigger(storage::Transaction& tx, const std::string& id, const Caller& caller);
Result<void> delete_event_trigger(storage::Transaction& tx, const std::string& id, const Caller& caller);

}  // namespace bora::services
