// services/task_executions: Mistral's rules for task executions as the
// REST API offers them (api/controllers/v2/task.py): reading one with its
// result, and PUT: rerun a failed task (RUNNING) or skip it (SKIPPED).
#pragma once

#include <optional>
#include <string>

#include "bora/core/error.h"
#include "bora/core/value.h"
#include "bora/engine/engine.h"
#include "bora/services/caller.h"
#include "bora/storage/database.h"

namespace bora::services {

// A task execution and its result (gathered from its actions or
// sub-workflows, as Mistral's GET /v2/tasks/{id} shows it).
struct TaskWithResult {
  storage::TaskExecution task;
  Value result;
};

Result<storage::TaskExecution> find_task_execution(storage::Transaction& tx, const std::string& id,
                                                   const Caller& caller);
Result<TaskWithResult> task_with_result(storage::Database& db, const std::string& id, const Caller& caller);
// The result of a task execution already at hand (a short read).
TaskWithResult task_with_result(storage::Database& db, storage::TaskExecution task);
// Its result without the executions made since `before` (a rerun's answer).
TaskWithResult task_with_result_before(storage::Database& db, storage::TaskExecution task, Timestamp before);

// PUT /v2/tasks/{id}. name and workflow_name, when given, must be the
// task's; state RUNNING needs reset.
struct TaskUpdate {
  std::string name;
  std::string workflow_name;
  std::string state;
  std::optional<bool> reset;  // nullopt: not given (or null)
  Value env;
};
// `done` runs on the engine's loop: the caller reads the result elsewhere
// (task_with_result), as the API does on its handler pool.
void update_task_execution(storage::Database& db, engine::Engine& engine, const std::string& id, TaskUpdate update,
                           const Caller& caller, engine::Done<storage::TaskExecution> done);

}  // namespace bora::services
