// engine/action_launcher: an action execution stored RUNNING and its job for
// the executor, for a task (ad-hoc actions unfolded into their base, dynamic
// actions) and for a standalone run (POST /v2/action_executions).
#include <fmt/format.h>

#include "bora/core/python_format.h"
#include "bora/executor/std_actions.h"
#include "bora/lang/parser.h"
#include "ad_hoc_unfold.h"
#include "field_size_limit.h"
#include "bora/catalog/catalog.h"
#include "step.h"

namespace bora::engine {

using storage::ActionExecution;
using storage::FilterOp;
using storage::TaskExecution;
using storage::WorkflowExecution;

namespace {


}  // namespace

void Step::queue_job(const std::string& action_execution_id, const std::string& action_name, const Value& input,
                     bool is_async, std::optional<executor::DynamicActionCode> dynamic,
                     const WorkflowExecution* wf_ex, const TaskExecution* t,
                     std::optional<int64_t> with_items_index) {
  ActionJob job;
  job.action_execution_id = action_execution_id;
  job.action_name = action_name;
  job.input = input;
  job.is_async = is_async;
  job.dynamic = std::move(dynamic);
  if (wf_ex) {
    job.context.workflow_name = wf_ex->workflow_name;
    job.context.workflow_execution_id = wf_ex->id;
    // Whom the action acts as (mistral_lib's ActionContext.security): the
    // starter's context, or just the owning project when auth is off.
    const Value* security = wf_ex->context.is_dict() ? wf_ex->context.find("openstack") : nullptr;
    job.context.security = security ? *security : Value::dict({{"project_id", Value(wf_ex->project_id)}});
    // What a Mistral with headers propagation gives actions: the
    // execution's params.headers.
    if (const Value* headers = wf_ex->params.is_dict() ? wf_ex->params.find("headers") : nullptr;
        headers && headers->is_dict())
      job.context.propagated_headers = *headers;
  }
  if (t) {
    job.context.task_execution_id = t->id;
    job.task_name = t->name;
    job.context.task_rerun_no = TaskContextView(t->runtime_context).rerun_no();
  }
  job.context.with_items_index = with_items_index.value_or(0);
  if (auto ctx = wf_ex && t ? execution_trace(*wf_ex) : std::nullopt) {
    // The action's span is the parent of whatever the action calls.
    ctx->span_id = trace::span_id_of(action_execution_id);
    job.context.traceparent = trace::format_traceparent(*ctx);
    job.context.tracestate = ctx->tracestate;
  }
  job.context.action_execution_id = action_execution_id;
  // Where an asynchronous action sends its result (PUT), as Mistral gives
  // it: the path alone (mistral/engine/actions.py, checked by its
  // test_action_context); the receiver knows which server (or load
  // balancer) to PUT it to.
  job.context.callback_url = "/v2/action_executions/" + action_execution_id;
  jobs_.push_back(std::move(job));
}

namespace {

// What an action execution stores of what runs: the base action, its
// input, the output transforms (applied to the result, task_runner.cpp).
Value unfolded_spec(const UnfoldedAction& u) {
  Value spec = Value::dict({{"base", Value(u.base)}, {"base_input", u.base_input}, {"outputs", Value(List(u.outputs.begin(), u.outputs.end()))}});
  if (u.dynamic) spec = spec.with("dynamic", Value(true));
  return spec;
}

}  // namespace

std::optional<std::string> dynamic_input_problem(const lang::TaskSpec& task, const Value& input) {
  if (input.is_dict() || (input.is_null() && task.input_expression.is_null())) return std::nullopt;
  return fmt::format("Wrong dynamic input for task: {}. Dict type is expected. Actual type: <class '{}'>. Actual "
                     "value: {}",
                     task.name, python_type_name(input), python_str(input));
}

ExpressionScope Step::call_scope(const WorkflowExecution& wf_ex, const TaskExecution& t) {
  return is_compensation(t) ? compensation_scope(wf_ex, t) : scope_of(wf_ex, &t, Value());
}

Result<Value> Step::task_input(const WorkflowExecution& wf_ex, const TaskExecution& t, const lang::TaskSpec& task,
                               const Value& data) {
  ExpressionScope scope = call_scope(wf_ex, t);
  scope.sent_to_executor = !task.is_workflow_task();
  const expr::CompiledValue& raw_input = task.input_expression.is_null() ? task.input : task.input_expression;
  auto input = expr_.evaluate(raw_input, data, scope);
  if (!input) return input.error();
  if (auto wrong = dynamic_input_problem(task, *input)) return bad_input(*wrong);
  if (task.is_workflow_task()) return input;
  // The environment's defaults for the action the task names (its text in
  // the definition, as Mistral's task_spec.get_action_name()).
  return with_action_defaults(wf_ex, task.action.empty() ? "std.noop" : task.action, *input);
}

Result<void> Step::evaluate_target(const WorkflowExecution& wf_ex, const TaskExecution& t, const lang::TaskSpec& task,
                                   const Value& input) {
  if (!task.target.has_expressions()) return {};
  auto target = expr_.evaluate(task.target, target_data(wf_ex, t.in_context, input), call_scope(wf_ex, t));
  if (!target) return target.error();
  return {};
}

Result<void> Step::launch_action(WorkflowExecution& wf_ex, TaskExecution& t, const lang::TaskSpec& task,
                                 const Value& data, std::optional<int64_t> index, bool check_only,
                                 const Value* evaluated_input) {
  // Mistral's order: the input, then (when the action is scheduled) the
  // target, then the action (its name, its descriptor, its input's check).
  auto in = evaluated_input ? Result<Value>(*evaluated_input) : task_input(wf_ex, t, task, data);
  if (!in) return in.error();
  Value input = std::move(*in);
  if (!check_only)
    if (auto ok = evaluate_target(wf_ex, t, task, input); !ok) return ok.error();
  ExpressionScope scope = call_scope(wf_ex, t);
  std::string action = task.action.empty() ? "std.noop" : task.action;
  if (task.name_expression.has_expressions()) {
    // Mistral evaluates the name in the task's context, without a
    // with-items item's variables (tasks.py _get_action_descriptor).
    auto name = expr_.evaluate(task.name_expression, index ? expression_data(wf_ex, t.in_context, &t) : data, scope);
    if (!name) return name.error();
    if (!name->is_string()) return bad_input("The action name evaluated to " + python_repr(*name) + ", not a string");
    action = name->as_string();
  }
  scope.sent_to_executor = true;

  // Ad-hoc actions unfold into their base action; their output transforms
  // apply to the result, innermost first.
  catalog::Catalog names(tx_, catalog::Caller::owner_of(wf_ex));
  UnfoldOptions unfold;
  unfold.max_depth = options_.max_adhoc_depth;
  auto unfolded = unfold_action(names, catalog::Place{wf_ex.workflow_namespace, wf_ex.workflow_name}, action,
                                input.is_null() ? Value(Dict{}) : input, expr_, scope, unfold);
  if (!unfolded) return unfolded.error();
  bool is_async = unfolded->is_async();
  // A task's action input over the limit: Mistral 15 names the task's class
  // (frozen: with_items/field_size_limit_action_input).
  if (auto too_large = field_size_error("input", input.is_null() ? Value() : input,
                                        options_.execution_field_size_limit_kb))
    return bad_input(*too_large);
  if (check_only) return {};

  ActionExecution a;
  a.name = action;
  a.description = "";  // Mistral's task actions show an empty description
  a.task_execution_id = t.id;
  a.workflow_name = wf_ex.workflow_name;
  a.workflow_namespace = wf_ex.workflow_namespace;
  a.state = State::Running;
  a.input = input.is_null() ? Value(Dict{}) : input;
  a.spec = unfolded_spec(*unfolded);
  ItemContext(a.runtime_context).reset(index);
  a.is_sync = !is_async;
  a.project_id = wf_ex.project_id;
  a.node_id = options_.cluster.node_id;  // this node's executor runs it (after the commit)
  a.last_heartbeat = first_heartbeat();
  // Mistral appends the new row to its task's action executions in the
  // same session, so SQLAlchemy's onupdate sets updated_at with the insert:
  // a running action of a task already shows it (an action run on its own,
  // below, has no task and keeps null).
  a.created_at = now_utc();
  a.updated_at = a.created_at;
  a = tx_.action_executions().create(a).value();

  queue_job(a.id, unfolded->base, unfolded->base_input, is_async, std::move(unfolded->dynamic), &wf_ex, &t, index);
  jobs_.back().context.ad_hoc = action != unfolded->base;
  return {};
}

Result<ActionExecution> Step::start_ad_hoc_action(const std::string& name, const Value& input,
                                                 const std::string& description, const std::string& namespace_,
                                                 const catalog::Caller& caller, const Value& timeout) {
  // A std, ad-hoc or dynamic action, as Mistral's start_action finds it
  // (the caller's ad-hoc actions of the namespace, then of the default one).
  UnfoldOptions unfold;
  unfold.max_depth = options_.max_adhoc_depth;
  unfold.name_namespace_when_missing = false;
  unfold.direct_run = true;
  auto unfolded = unfold_action(catalog::Catalog(tx_, caller), catalog::Place{namespace_, ""}, name, input,
                                expr_, ExpressionScope{}, unfold);
  if (!unfolded) return unfolded.error();
  bool is_async = unfolded->is_async();
  if (auto too_large = field_size_error("input", input, options_.execution_field_size_limit_kb))
    return bad_input(*too_large);
  ActionExecution a;
  a.name = name;
  a.description = description;
  a.workflow_namespace = namespace_;
  a.state = State::Running;
  a.input = unfolded->input;
  a.spec = unfolded_spec(*unfolded);
  ItemContext(a.runtime_context).reset(std::nullopt);
  a.is_sync = !is_async;
  a.project_id = caller.project_id;
  a.node_id = options_.cluster.node_id;
  a.last_heartbeat = first_heartbeat();
  a = tx_.action_executions().create(a).value();
  queue_job(a.id, unfolded->base, unfolded->base_input, is_async, std::move(unfolded->dynamic), nullptr, nullptr);
  jobs_.back().timeout = timeout;
  jobs_.back().context.ad_hoc = name != unfolded->base;
  return a;
}

}  // namespace bora::engine
