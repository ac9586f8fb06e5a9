#include "bora/services/workflow_executions.h"

#include <fmt/format.h>

#include "bora/engine/merge_dicts.h"
#include "bora/engine/states.h"

namespace bora::services {

using storage::FilterOp;

Result<storage::WorkflowExecution> find_workflow_execution(storage::Transaction& tx, const std::string& id,
                                                           const Caller& caller) {
  auto ex = tx.workflow_executions().find_one({{"id", FilterOp::Eq, {id}}}, caller.lookup());
  if (!ex) return not_found(fmt::format("WorkflowExecution not found [id={}]", id));
  return std::move(*ex);
}

void start_workflow_execution(storage::Database& db, engine::Engine& engine, ExecutionStart request,
                              engine::Done<storage::WorkflowExecution> done) {
  engine::StartRequest& start = request.start;
  if (!request.source_execution_id.empty()) {
    const std::string& source_id = request.source_execution_id;
    auto source = db.read(
        [&](storage::Transaction& tx) { return find_workflow_execution(tx, source_id, start.caller); });
    if (!source) return done(source.error());
    // Mistral merges the request over the source's row: a workflow_id or
    // workflow_name the body names (empty too) replaces the source's; it
    // then starts the merged workflow_id (the source's, unless the body
    // names one), the name only counting when both are empty.
    std::string id = request.workflow_id.value_or(source->workflow_id);
    std::string name = request.workflow_name.value_or(source->workflow_name);
    start.workflow = !id.empty() ? id : name;
    if (!request.namespace_given) start.namespace_ = source->workflow_namespace;
    // Mistral merges the source's row as its model's to_dict() gives it,
    // which leaves out the deferred columns: the input and params are the
    // request's alone.
    std::string description = start.description + " Based on the execution '" + source_id + "'";
    start.description = description.substr(description.find_first_not_of(' '));
  }
  if (start.workflow.empty())
    return done(bad_input("Workflow ID or workflow name must be provided. Workflow ID is recommended."));
  engine.start_workflow(std::move(start), std::move(done));
}

Result<void> check_execution_update(const ExecutionUpdate& u) {
  bool has_env = u.env.truthy();  // Mistral: `if wf_ex.params.get('env')`
  if (u.state.empty() && u.description.empty() && !has_env)
    return bad_input("The property state, description, or env is not provided for update.");
  if (!u.description.empty() && !u.state.empty())
    return bad_input("The property description must be updated separately from state.");
  if (has_env && !u.state.empty() && u.state != "RUNNING") {
    return bad_input(
        "The property env can only be updated when workflow execution is not running or on resume from pause.");
  }
  return {};
}

void update_workflow_execution(engine::Engine& engine, const std::string& id, ExecutionUpdate u,
                               const Caller& caller, engine::Done<storage::WorkflowExecution> done) {
  if (auto checked = check_execution_update(u); !checked) return done(checked.error());
  if (u.rollback) {
    if (u.state != "ERROR")
      return done(bad_input("params.rollback rolls an execution back to ERROR: send it with state ERROR, or POST "
                            "/v2/executions/{id}/rollback"));
    return engine.rollback(id, u.state_info, caller, std::move(done));
  }
  if (u.state == "PAUSED") return engine.pause(id, caller, std::move(done));
  if (u.state == "RUNNING") return engine.resume(id, u.env, caller, std::move(done));
  if (!u.state.empty()) return engine.stop(id, u.state, u.state_info, caller, std::move(done));
  // A description and/or env (no state): one change, all or nothing (Mistral
  // makes both in one transaction, which a refused env rolls back).
  engine.write<storage::WorkflowExecution>(
      [id, u = std::move(u), caller](storage::Transaction& tx) -> Result<storage::WorkflowExecution> {
        tx.lock_tree(storage::TreeOf::Execution, id);  // another node may be changing it
        auto ex = find_workflow_execution(tx, id, caller);
        if (!ex) return ex;
        if (u.env.truthy()) {
          if (!engine::env_may_change(ex->state)) return Error{ErrorKind::Forbidden, engine::kEnvChangeRefused};
          if (!u.env.is_dict())
            return bad_input(fmt::format("params.env must be a dict of variables to merge into the execution's env, "
                                         "got {}",
                                         to_json(u.env)));
        }
        if (!u.description.empty()) ex->description = u.description;
        if (u.env.truthy()) {
          // Mistral's update_workflow_execution_env: merge_dicts.
          Value old_params = ex->params.is_dict() ? ex->params : Value(Dict{});
          const Value* old_env = old_params.find("env");
          ex->params = old_params.with("env", engine::merge_dicts(old_env ? *old_env : Value(Dict{}), u.env));
        }
        return tx.workflow_executions().update(*ex);
      },
      std::move(done));
}

void delete_workflow_execution(engine::Engine& engine, const std::string& id, const Caller& caller, bool force,
                               engine::Done<void> done) {
  engine.write<void>(
      [id, caller, force](storage::Transaction& tx) -> Result<void> {
        tx.lock_tree(storage::TreeOf::Execution, id);  // another node may be changing it
        auto ex = find_workflow_execution(tx, id, caller);
        if (!ex) return ex.error();
        if (!force && (ex->state == storage::State::Running || ex->state == storage::State::Paused || ex->state == storage::State::Idle)) {
          // Mistral's NotAllowedException (403) and words.
          return Error{ErrorKind::Forbidden,
                       fmt::format("Only completed executions can be deleted. Use --force to override this. "
                                   "Execution {} is in {} state",
                                   ex->id, ex->state)};
        }
        return tx.workflow_executions().remove(ex->id);
      },
      std::move(done));
}

}  // namespace bora::services
