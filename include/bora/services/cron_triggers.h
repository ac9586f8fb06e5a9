// services/cron_triggers: creating, finding and deleting cron triggers as
// Mistral's services/triggers.py does (a pattern and/or a first execution
// time, a count of remaining executions, the workflow's input checked).
// Firing them is the scheduler's work.
#pragma once

#include <optional>
#include <string>

#include "bora/core/error.h"
#include "bora/core/time.h"
#include "bora/core/value.h"
#include "bora/services/caller.h"
#include "bora/storage/transaction.h"

namespace bora::services {

// body: POST /v2/cron_triggers's JSON (name, pattern, first_execution_time
// "YYYY-MM-DD HH:MM", remaining_executions, workflow_name or workflow_id,
// workflow_input, workflow_params as objects or JSON text, scope).
// trust_id: the Keystone trust it fires with (created by the API with auth on).
Result<storage::CronTrigger> create_cron_trigger(storage::Transaction& tx, const Value& body, const Caller& caller,
                                                 Timestamp now, std::optional<std::string> trust_id = std::nullopt);
// By id or name, among the triggers the caller may see.
Result<storage::CronTrigger> get_cron_trigger(storage::Transaction& tx, const std::string& identifier,
                                              const Caller& caller);
Result<void> delete_cron_trigger(storage::Transaction& tx, const std::string& identifier, const Caller& caller);

}  // namespace bora::services
