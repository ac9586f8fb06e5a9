// services/action_executions: Mistral's rules for action executions as the
// REST API offers them (api/controllers/v2/action_execution.py): reading
// them with their task's name, a result sent by whoever ran an action
// (PUT), and which may be deleted. Running one (POST) is the engine's
// run_action (engine/engine.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bora/core/error.h"
#include "bora/core/value.h"
#include "bora/engine/engine.h"
#include "bora/services/caller.h"
#include "bora/storage/database.h"

namespace bora::services {

// An action execution and the name of its task ("" when run on its own).
struct ActionExecutionWithTask {
  storage::ActionExecution action;
  std::string task_name;
};

Result<ActionExecutionWithTask> find_action_execution(storage::Database& db, const std::string& id,
                                                      const Caller& caller);
// An action execution at hand, with its task's name (a short read).
ActionExecutionWithTask with_task_name(storage::Database& db, storage::ActionExecution action);
// The rows of `query`, each with its task's name.
Result<std::vector<ActionExecutionWithTask>> list_action_executions(storage::Database& db,
                                                                    const storage::ListQuery& query);

// PUT /v2/action_executions/{id}: state SUCCESS (output: the result; JSON
// text is parsed), ERROR (output: the error) or CANCELLED.
// (The engine's complete_action applies it.)
Result<executor::ActionResult> action_result_from_api(const std::string& state, const Value* output);

// DELETE /v2/action_executions/{id}: only when allowed ([api]
// allow_action_execution_deletion), and then only a completed action run
// on its own (not a task's).
void delete_action_execution(engine::Engine& engine, const std::string& id, const Caller& caller, bool allowed,
                             engine::Done<void> done);

}  // namespace bora::services
