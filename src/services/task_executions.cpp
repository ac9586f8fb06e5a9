#include "bora/services/task_executions.h"

#include <fmt/format.h>

#include "bora/engine/task_result.h"

namespace bora::services {

using storage::FilterOp;

Result<storage::TaskExecution> find_task_execution(storage::Transaction& tx, const std::string& id,
                                                   const Caller& caller) {
  auto t = tx.task_executions().find_one({{"id", FilterOp::Eq, {id}}}, caller.lookup());
  if (!t) return not_found(fmt::format("Task execution not found [id={}]", id));
  return std::move(*t);
}

Result<TaskWithResult> task_with_result(storage::Database& db, const std::string& id, const Caller& caller) {
  return db.read([&](storage::Transaction& tx) -> Result<TaskWithResult> {
    auto t = find_task_execution(tx, id, caller);
    if (!t) return t.error();
    Value result = engine::task_execution_result(tx, *t);
    return TaskWithResult{std::move(*t), std::move(result)};
  });
}

TaskWithResult task_with_result_before(storage::Database& db, storage::TaskExecution task, Timestamp before) {
  Value result =
      db.read([&](storage::Transaction& tx) { return engine::task_execution_result_before(tx, task, before); });
  return {std::move(task), std::move(result)};
}

TaskWithResult task_with_result(storage::Database& db, storage::TaskExecution task) {
  Value result = db.read([&](storage::Transaction& tx) { return engine::task_execution_result(tx, task); });
  return {std::move(task), std::move(result)};
}

void update_task_execution(storage::Database& db, engine::Engine& engine, const std::string& id, TaskUpdate u,
                           const Caller& caller, engine::Done<storage::TaskExecution> done) {
  auto current = db.read([&](storage::Transaction& tx) { return find_task_execution(tx, id, caller); });
  if (!current) return done(current.error());
  if (!u.name.empty() && u.name != current->name) return done(bad_input("Task name does not match."));
  if (!u.workflow_name.empty() && u.workflow_name != current->workflow_name)
    return done(bad_input("Workflow name does not match."));
  // `reset` is a mandatory attribute of Mistral's Task resource: the API
  // checked that the body has it (api/body_schema); given as null it is
  // None, which Mistral's rerun takes as false (Bora also skips a failed
  // task: state SKIPPED, no reset needed).
  if (u.state != "RUNNING" && u.state != "SKIPPED")
    return done(bad_input("Invalid task state. Only updating task to rerun is supported. (Bora also skips a failed "
                          "task: state SKIPPED.)"));
  engine.rerun_task(id, u.reset.value_or(false), u.env, caller, u.state == "SKIPPED", std::move(done));
}

}  // namespace bora::services
