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

void update_task_execution(storage::Database& db, engine::Engine& engine, const std::string& id, TaskUpdate u,
                           const Caller& caller, engine::Done<TaskWithResult> done) {
  auto current = db.read([&](storage::Transaction& tx) { return find_task_execution(tx, id, caller); });
  if (!current) return done(current.error());
  if (!u.name.empty() && u.name != current->name) return done(bad_input("Task name does not match."));
  if (!u.workflow_name.empty() && u.workflow_name != current->workflow_name)
    return done(bad_input("Workflow name does not match."));
  if (u.state != "RUNNING" && u.state != "SKIPPED")
    return done(bad_input("Invalid task state. Only updating task to RUNNING or SKIPPED is supported."));
  if (u.state == "RUNNING" && !u.reset) return done(bad_input("Reset field is mandatory to rerun task."));
  // The answer shows the task with its result: a short read once the
  // rerun has committed (on the engine's loop thread).
  engine.rerun_task(id, u.reset.value_or(false), u.env, caller, u.state == "SKIPPED",
                    [&db, done = std::move(done)](Result<storage::TaskExecution> t) {
                      if (!t) return done(t.error());
                      Result<TaskWithResult> out = db.read([&](storage::Transaction& tx) {
                        return TaskWithResult{*t, engine::task_execution_result(tx, *t)};
                      });
                      done(std::move(out));
                    });
}

}  // namespace bora::services
