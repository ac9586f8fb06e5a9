// engine/data_flow: how values flow between tasks (mistral/workflow/
// data_flow.py): dict merging, the layered data an expression sees, the
// outbound context of a task.
#include <fmt/format.h>

#include <algorithm>

#include "bora/engine/task_result.h"
#include "step.h"

namespace bora::engine {

Value merge_dicts(const Value& left, const Value& right, bool overwrite) {
  if (!left.is_dict()) return right.is_dict() ? right : left;
  if (!right.is_dict()) return left;
  Dict out = left.as_dict();
  for (const auto& [key, value] : right.as_dict()) {
    const Value* mine = left.find(key);
    if (mine && mine->is_dict() && value.is_dict()) out.set(key, merge_dicts(*mine, value, overwrite));
    else if (!mine || overwrite) out.set(key, value);
  }
  return Value(std::move(out));
}

namespace {

// Mistral's ContextView: the first layer holding a key wins; layers given
// lowest priority first, later ones override whole keys.
Value layered(std::initializer_list<const Value*> lowest_first) {
  Dict out;
  for (const Value* layer : lowest_first) {
    if (!layer || !layer->is_dict()) continue;
    for (const auto& [key, value] : layer->as_dict()) out.set(key, value);
  }
  return Value(std::move(out));
}

}  // namespace

void merge_env(storage::WorkflowExecution& wf_ex, const Value& env) {
  if (!env.is_dict() || env.size() == 0) return;
  Value params = wf_ex.params.is_dict() ? wf_ex.params : Value(Dict{});
  const Value* old = params.find("env");
  wf_ex.params = params.with("env", merge_dicts(old ? *old : Value(Dict{}), env));
}

Value outbound_context(const storage::TaskExecution& t) {
  // Mistral's evaluate_task_outbound_context: in_context updated with published.
  Dict out = t.in_context.is_dict() ? t.in_context.as_dict() : Dict{};
  if (t.published.is_dict())
    for (const auto& [k, v] : t.published.as_dict()) out.set(k, v);
  return Value(std::move(out));
}

// Mistral's _convert_to_user_model: what task() and tasks() show of a task.
Value task_user_model(storage::Transaction& tx, const storage::TaskExecution& t) {
  return Value::dict({{"id", Value(t.id)},
                      {"name", Value(t.name)},
                      {"spec", t.spec},
                      {"state", Value(state_name(t.state))},
                      {"state_info", t.state_info ? Value(*t.state_info) : Value()},
                      {"result", task_execution_result(tx, t)},
                      {"published", t.published},
                      {"type", Value(t.type)},
                      {"workflow_execution_id", Value(t.workflow_execution_id)},
                      {"created_at", Value(format_api_time(t.created_at))},
                      {"updated_at", t.updated_at ? Value(format_api_time(*t.updated_at)) : Value()}});
}

// Mistral's _get_tasks_from_db: tasks of an execution (or of all), those of
// its sub-workflows too when recursive; state and flat filter. Flat drops a
// workflow task whose sub-executions share its state, so that a failure is
// listed once, where it happened (_should_pass_filter): one without any
// sub-execution, or failed on its own (its input, its publish), stays. Only what `scope` sees: an id of another project's execution
// gives nothing, as its REST read gives 404.
Value tasks_of(storage::Transaction& tx, const TasksQuery& q, const storage::ProjectScope& scope) {
  std::vector<storage::Filter> filters;
  if (q.workflow_execution_id) filters.push_back({"workflow_execution_id", storage::FilterOp::Eq, {*q.workflow_execution_id}});
  auto rows = tx.task_executions().list({scope, filters, {{"created_at", false}}}).value();
  List out, nested;
  for (auto& t : rows) {
    if (!q.asking_task_id.empty() && t.id == q.asking_task_id)
      if (auto state = parse_state(q.asking_task_state)) t.state = *state;
    if (q.recursive && q.workflow_execution_id && t.type == "WORKFLOW") {
      for (const auto& sub :
           tx.workflow_executions()
               .list({scope, {{"task_execution_id", storage::FilterOp::Eq, {t.id}}}, {{"created_at", false}}})
               .value()) {
        TasksQuery inner = q;
        inner.workflow_execution_id = sub.id;
        Value sub_tasks = tasks_of(tx, inner, scope);  // kept alive for the loop
        for (const auto& v : sub_tasks.as_list()) nested.push_back(v);
      }
    }
    if (q.state && state_name(t.state) != *q.state) continue;
    if (q.flat && t.type != "ACTION") {
      auto subs = tx.workflow_executions()
                      .list({scope, {{"task_execution_id", storage::FilterOp::Eq, {t.id}}}})
                      .value();
      if (std::any_of(subs.begin(), subs.end(), [&](const auto& sub) { return sub.state == t.state; })) continue;
    }
    out.push_back(task_user_model(tx, t));
  }
  for (auto& v : nested) out.push_back(std::move(v));
  return Value(std::move(out));
}

Value Step::expression_data(const storage::WorkflowExecution& wf_ex, const Value& in_context,
                            const storage::TaskExecution* task_ex) const {
  // Mistral's ContextView always holds `__env` (get_workflow_environment_dict:
  // {} without an env), seen in `<% $ %>` beside the workflow context's
  // `__execution` (set when the execution is created); the env is the root
  // execution's (environment.cpp).
  Value env_layer = Value::dict({{"__env", environment_of(wf_ex)}});
  Value task_layer;
  if (task_ex)
    task_layer = Value::dict(
        {{"__task_execution", Value::dict({{"id", Value(task_ex->id)}, {"name", Value(task_ex->name)}})}});
  return layered({&wf_ex.input, &wf_ex.context, &env_layer, &in_context, &task_layer});
}

Value Step::target_data(const storage::WorkflowExecution& wf_ex, const Value& in_context, const Value& input) const {
  // Mistral's _get_target builds its own ContextView: the action's input
  // first, then the task's context, the env, the workflow's context and
  // input (no __task_execution).
  Value env_layer = Value::dict({{"__env", environment_of(wf_ex)}});
  return layered({&wf_ex.input, &wf_ex.context, &env_layer, &in_context, &input});
}

ExpressionScope Step::scope_of(const storage::WorkflowExecution& wf_ex, const storage::TaskExecution* task_ex,
                               const Value& result) const {
  ExpressionScope s;
  s.workflow_execution_id = wf_ex.id;
  s.workflow_name = wf_ex.workflow_name;
  if (task_ex) {
    s.task_execution_id = task_ex->id;
    s.task_name = task_ex->name;
    s.task_state = Value(state_name(task_ex->state));
    s.task_state_info = task_ex->state_info ? Value(*task_ex->state_info) : Value();
  }
  s.task_result = result;
  s.env = environment_of(wf_ex);
  // Mistral's execution(): these fields, times as isoformat(' ') of
  // second-precision values.
  s.execution = Value::dict(
      {{"id", Value(wf_ex.id)},
       {"name", Value(wf_ex.name)},
       {"spec", wf_ex.spec},
       {"input", wf_ex.input},
       {"params", wf_ex.params},
       {"created_at", Value(format_api_time(wf_ex.created_at))},
       {"updated_at", Value(format_api_time(wf_ex.updated_at.value_or(wf_ex.created_at)))},
       {"root_execution_id", wf_ex.root_execution_id ? Value(*wf_ex.root_execution_id) : Value()}});
  s.globals = wf_ex.context;
  storage::Transaction* tx = &tx_;
  // What expressions read from storage they read as the execution's owner,
  // with the REST reads' rule (catalog::Caller::visible), never as the
  // engine: tasks('<id of another project's execution>') and executions()
  // see only this project's rows (Mistral's _secure_query with the
  // execution's project; an admin's execution is no exception there).
  bind_storage_reads(s, catalog::Caller::owner_of(wf_ex).visible(),
                     [tx](const std::function<Value(storage::Transaction&)>& read) { return read(*tx); });
  s.yield_after_ms = yield_after_ms_;
  s.call_cache = mistral_tx_.call_cache;
  return s;
}

void bind_storage_reads(ExpressionScope& s, const storage::ProjectScope& owner, const StorageVia& via) {
  std::string wf_ex_id = s.workflow_execution_id;
  s.task_lookup = [via, wf_ex_id, owner](const std::string& name) -> Value {
    return via([&](storage::Transaction& tx) -> Value {
      auto rows = tx.task_executions()
                      .list({owner,
                             {{"workflow_execution_id", storage::FilterOp::Eq, {wf_ex_id}},
                              {"name", storage::FilterOp::Eq, {name}}},
                             {{"created_at", true}},
                             std::nullopt,
                             1})
                      .value();
      return rows.empty() ? Value() : task_user_model(tx, rows.front());
    });
  };
  s.tasks_query = [via, owner](const TasksQuery& q) -> Value {
    return via([&](storage::Transaction& tx) { return tasks_of(tx, q, owner); });
  };
  s.executions_query = [via, owner](const ExecutionsQuery& q) -> Value {
    return via([&](storage::Transaction& tx) -> Value {
      std::vector<storage::Filter> filters;
      if (q.id) filters.push_back({"id", storage::FilterOp::Eq, {*q.id}});
      if (q.root_execution_id) filters.push_back({"root_execution_id", storage::FilterOp::Eq, {*q.root_execution_id}});
      if (q.state) filters.push_back({"state", storage::FilterOp::Eq, {*q.state}});
      if (q.from_time) filters.push_back({"created_at", storage::FilterOp::Gte, {*q.from_time}});
      if (q.to_time) filters.push_back({"created_at", storage::FilterOp::Lt, {*q.to_time}});
      List out;
      for (const auto& e : tx.workflow_executions().list({owner, filters, {{"created_at", false}}}).value()) {
        out.push_back(Value::dict({{"id", Value(e.id)},
                                   {"name", Value(e.name)},
                                   {"workflow_name", Value(e.workflow_name)},
                                   {"workflow_namespace", Value(e.workflow_namespace)},
                                   {"workflow_id", Value(e.workflow_id)},
                                   {"description", e.description ? Value(*e.description) : Value()},
                                   {"spec", e.spec},
                                   {"state", Value(state_name(e.state))},
                                   {"state_info", e.state_info ? Value(*e.state_info) : Value()},
                                   {"input", e.input},
                                   {"output", e.output},
                                   {"params", e.params},
                                   {"task_execution_id", e.task_execution_id ? Value(*e.task_execution_id) : Value()},
                                   {"root_execution_id", e.root_execution_id ? Value(*e.root_execution_id) : Value()},
                                   {"created_at", Value(format_api_time(e.created_at))},
                                   {"updated_at", e.updated_at ? Value(format_api_time(*e.updated_at)) : Value()}}));
      }
      return Value(std::move(out));
    });
  };
}

}  // namespace bora::engine
