#include "bora/services/action_executions.h"

#include <fmt/format.h>

#include <map>

#include "bora/core/json.h"

namespace bora::services {

using storage::FilterOp;

namespace {

std::string task_name_of(storage::Transaction& tx, const storage::ActionExecution& a) {
  if (!a.task_execution_id) return "";
  auto t = tx.task_executions().find(*a.task_execution_id, storage::ProjectScope::internal());
  return t ? t->name : "";
}

}  // namespace

Result<ActionExecutionWithTask> find_action_execution(storage::Database& db, const std::string& id,
                                                      const Caller& caller) {
  return db.read([&](storage::Transaction& tx) -> Result<ActionExecutionWithTask> {
    auto a = tx.action_executions().find_one({{"id", FilterOp::Eq, {id}}}, caller.lookup());
    if (!a) return not_found(fmt::format("ActionExecution not found [id={}]", id));
    std::string name = task_name_of(tx, *a);
    return ActionExecutionWithTask{std::move(*a), std::move(name)};
  });
}

ActionExecutionWithTask with_task_name(storage::Database& db, storage::ActionExecution action) {
  std::string name = db.read([&](storage::Transaction& tx) { return task_name_of(tx, action); });
  return {std::move(action), std::move(name)};
}

Result<std::vector<ActionExecutionWithTask>> list_action_executions(storage::Database& db,
                                                                    const storage::ListQuery& query) {
  return db.read([&](storage::Transaction& tx) -> Result<std::vector<ActionExecutionWithTask>> {
    auto rows = tx.action_executions().list(query);
    if (!rows) return rows.error();
    std::vector<ActionExecutionWithTask> out;
    std::map<std::string, std::string> task_names;  // a task's many actions: one read
    for (auto& a : *rows) {
      std::string name;
      if (a.task_execution_id) {
        auto it = task_names.find(*a.task_execution_id);
        if (it == task_names.end()) it = task_names.emplace(*a.task_execution_id, task_name_of(tx, a)).first;
        name = it->second;
      }
      out.push_back({std::move(a), std::move(name)});
    }
    return out;
  });
}

Result<executor::ActionResult> action_result_from_api(const std::string& state, const Value* given) {
  Value output;
  if (given) {
    output = *given;
    if (given->is_string()) {
      auto parsed = parse_json(given->as_string());
      output = parsed ? *parsed : *given;
    }
  }
  if (state == "SUCCESS") return executor::ActionResult::success(output);
  // Mistral's `if not output: output = 'Unknown error'`.
  if (state == "ERROR") return executor::ActionResult::failure(output.truthy() ? output : Value("Unknown error"));
  if (state == "CANCELLED") return executor::ActionResult::cancel();  // Mistral: Result(cancel=True), the output ignored
  // PAUSED and RUNNING are updates, not results (Engine::update_action_state).
  return bad_input(
      fmt::format("Error. Expected one of ['SUCCESS', 'ERROR', 'CANCELLED', 'PAUSED', 'RUNNING'], actual: {}", state));
}

void delete_action_execution(engine::Engine& engine, const std::string& id, const Caller& caller, bool allowed,
                             engine::Done<void> done) {
  if (!allowed) {
    return done(Error{ErrorKind::Forbidden,
                      "Action execution deletion is not allowed. (Set [api] allow_action_execution_deletion = true "
                      "to allow deleting completed ad-hoc action executions.)"});
  }
  engine.write<void>(
      [id, caller](storage::Transaction& tx) -> Result<void> {
        auto a = tx.action_executions().find_one({{"id", FilterOp::Eq, {id}}}, caller.lookup());
        if (!a) return not_found(fmt::format("ActionExecution not found [id={}]", id));
        if (a->task_execution_id) return Error{ErrorKind::Forbidden, "Only ad-hoc action execution can be deleted."};
        if (!storage::is_completed(a->state))
          return Error{ErrorKind::Forbidden, "Only completed action execution can be deleted."};
        return tx.action_executions().remove(a->id);
      },
      std::move(done));
}

}  // namespace bora::services
