// engine/environment: an execution's environment, as Mistral keeps it
// (engine/workflows.py _get_environment, workflow/data_flow.py
// get_workflow_environment_dict, engine/tasks.py _get_action_defaults).
//
// - params.env is resolved when an execution is created, whoever starts it
//   (the API, a parent task, a cron trigger): a name reads that
//   environment's variables, a false value is none, and the result is
//   evaluated once (its expressions see it as env() and `$.__env`) unless
//   params.evaluate_env is false.
// - env() and `$.__env` are the ROOT execution's params.env: a sub-workflow
//   keeps its own (what its task passed as `env`), used only for its
//   actions' defaults.
// - env's `__actions` gives actions default input: env.__actions[name] is
//   merged under what the task gives (a key the task sets keeps its value).
#include <fmt/format.h>

#include "bora/catalog/catalog.h"
#include "bora/core/python_format.h"
#include "bora/engine/merge_dicts.h"
#include "step.h"

namespace bora::engine {

Result<Value> Step::with_environment(const Value& params, const catalog::Caller& caller) {
  if (!params.is_dict()) return params;
  const Value* given = params.find("env");
  if (!given || !given->truthy()) return params.with("env", Value(Dict{}));  // "", 0, [], null: none
  Value env = *given;
  if (env.is_string()) {
    auto named = catalog::Catalog(tx_, caller).environment(env.as_string());
    // Mistral's words and status.
    if (!named) return bad_input(fmt::format("Environment is not found: {}", env.as_string()));
    // An environment stored without variables is none.
    env = named->variables.is_null() ? Value(Dict{}) : named->variables;
  } else if (!env.is_dict()) {
    return bad_input(fmt::format("Unexpected value type for environment [env={}, type=<class '{}'>] (params.env "
                                 "is an environment's name or a dict of variables)",
                                 python_str(env), python_type_name(env)));
  }
  if (const Value* evaluate = params.find("evaluate_env"); !evaluate || evaluate->truthy()) {
    // Evaluated against itself: {'__env': env}, env() being env as given.
    ExpressionScope scope;
    scope.env = env;
    auto evaluated = expr_.evaluate(env, Value::dict({{"__env", env}}), scope);
    if (!evaluated) return evaluated.error();
    env = std::move(evaluated).value();
  }
  return params.with("env", std::move(env));
}

const Value& Step::environment_of(const storage::WorkflowExecution& wf_ex) const {
  static const Value none{Dict{}};
  const Value* own = wf_ex.params.is_dict() ? wf_ex.params.find("env") : nullptr;
  if (!wf_ex.root_execution_id || *wf_ex.root_execution_id == wf_ex.id) return own && own->is_dict() ? *own : none;
  // A sub-workflow's expressions read its root's env: each root is read
  // once per transaction (a with-items of sub-workflows evaluates many).
  auto known = root_envs_.find(*wf_ex.root_execution_id);
  if (known == root_envs_.end()) {
    Value env = none;
    if (auto root = tx_.workflow_executions().find(*wf_ex.root_execution_id, storage::ProjectScope::internal()))
      if (const Value* e = root->params.is_dict() ? root->params.find("env") : nullptr; e && e->is_dict()) env = *e;
    known = root_envs_.emplace(*wf_ex.root_execution_id, std::move(env)).first;
  }
  return known->second;
}

void Step::environment_changed(const storage::WorkflowExecution& wf_ex) { root_envs_.erase(wf_ex.id); }

Value Step::with_action_defaults(const storage::WorkflowExecution& wf_ex, const std::string& action,
                                 const Value& input) const {
  const Value* env = wf_ex.params.is_dict() ? wf_ex.params.find("env") : nullptr;
  const Value* actions = env && env->is_dict() ? env->find("__actions") : nullptr;
  const Value* defaults = actions && actions->is_dict() ? actions->find(action) : nullptr;
  if (!defaults || !defaults->is_dict() || defaults->size() == 0) return input;
  return merge_dicts(input.is_dict() ? input : Value(Dict{}), *defaults, /*overwrite=*/false);
}

}  // namespace bora::engine
