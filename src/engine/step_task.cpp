// engine/step_task: running a task's action, taking its result, publishing,
// and choosing what runs next (mistral/engine/tasks.py,
// mistral/workflow/direct_workflow.py).
#include <fmt/format.h>

#include <map>
#include <set>

#include "bora/core/python_format.h"
#include "bora/core/utf8.h"
#include "bora/engine/task_result.h"
#include "bora/executor/std_actions.h"
#include "bora/lang/parser.h"
#include "bora/services/action_definitions.h"
#include "bora/services/dynamic_actions.h"
#include "bora/services/workflow_definitions.h"
#include "command_order.h"
#include "field_size_limit.h"
#include "step.h"

namespace bora::engine {

using storage::ActionExecution;
using storage::FilterOp;
using storage::TaskExecution;
using storage::WorkflowExecution;

namespace {

constexpr int kMaxAdhocDepth = 10;  // ad-hoc actions built on ad-hoc actions

Value outbound_context(const TaskExecution& t) {
  // Mistral's evaluate_task_outbound_context: in_context updated with published.
  Dict out = t.in_context.is_dict() ? t.in_context.as_dict() : Dict{};
  if (t.published.is_dict())
    for (const auto& [k, v] : t.published.as_dict()) out.set(k, v);
  return Value(std::move(out));
}

std::string join_key(const WorkflowExecution& wf_ex, const std::string& task) {
  return "join-task-" + wf_ex.id + "-" + task;
}

}  // namespace

void Step::run_task(WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec, const lang::TaskSpec& task,
                    const Value& in_context, const std::string& triggered_by) {
  if (!task.join.is_null()) {
    run_join(wf_ex, spec, task, triggered_by);
    return;
  }
  TaskExecution t;
  t.name = task.name;
  t.workflow_execution_id = wf_ex.id;
  t.workflow_name = wf_ex.workflow_name;
  t.workflow_namespace = wf_ex.workflow_namespace;
  t.workflow_id = wf_ex.workflow_id;
  t.spec = task.data;
  t.state = "RUNNING";
  t.type = task.is_workflow_task() ? "WORKFLOW" : "ACTION";
  t.in_context = in_context.is_dict() ? in_context : Value(Dict{});
  t.published = Value(Dict{});
  t.runtime_context = Value(Dict{});
  t.started_at = now_utc();
  t.project_id = wf_ex.project_id;
  t = tx_.task_executions().create(t).value();
  start_action(wf_ex, t, task);
}

void Step::start_action(WorkflowExecution& wf_ex, TaskExecution& t, const lang::TaskSpec& task) {
  // What keeps a task from starting (its input, its action, its items) is a
  // fault of the workflow, not of an action: Mistral fails the task and the
  // whole workflow at once, without on-error.
  auto fail = [&](const std::string& why) { force_fail_task(wf_ex, t, why); };
  if (pause_before_start(wf_ex, t, task)) return;
  if (delay_before_start(wf_ex, t, task)) return;
  if (task.with_items.empty()) {
    if (task.is_workflow_task()) {
      if (auto error = start_subworkflow(wf_ex, t, task, expression_data(wf_ex, t.in_context, &t), std::nullopt))
        fail(*error);
      return;
    }
    if (auto error = launch_action(wf_ex, t, task, expression_data(wf_ex, t.in_context, &t), std::nullopt))
      fail(*error);
    return;
  }
  // with-items: one action per item (several lists are zipped), at most
  // `concurrency` running at once; the task's result is the list of the
  // items' results in item order. Progress is kept as counters (the items
  // are evaluated again when more must start), so a 10 000-item task does
  // not rewrite its items at every completion.
  auto lists = with_items_lists(wf_ex, t, task);
  if (!lists) return fail(lists.error().message);
  size_t count = lists->empty() ? 0 : lists->front().second.size();
  Value data = expression_data(wf_ex, t.in_context, &t);
  int64_t concurrency = 0;
  if (!task.policies.concurrency.is_null()) {
    auto c = expr_.evaluate(task.policies.concurrency, data, scope_of(wf_ex, &t, Value()));
    if (!c) return fail("Failed to evaluate concurrency: " + c.error().message);
    if (c->is_int()) concurrency = std::max<int64_t>(0, c->as_int());
  }
  if (count == 0) {
    complete_task(wf_ex, t, "SUCCESS", std::nullopt, Value(List{}));
    return;
  }
  size_t first_batch = concurrency > 0 ? std::min<size_t>(count, static_cast<size_t>(concurrency)) : count;
  t.runtime_context = t.runtime_context.with(
      "with_items", Value::dict({{"count", Value(static_cast<int64_t>(count))},
                                 {"next", Value(static_cast<int64_t>(first_batch))},
                                 {"concurrency", Value(concurrency)},
                                 {"done", Value(int64_t(0))},
                                 {"failed", Value(false)}}));
  t = tx_.task_executions().update(t).value();
  for (size_t i = 0; i < first_batch; ++i) {
    if (auto error = launch_item(wf_ex, t, task, item_vars(*lists, i), static_cast<int64_t>(i))) return fail(*error);
  }
}

Result<std::vector<std::pair<std::string, List>>> Step::with_items_lists(WorkflowExecution& wf_ex, TaskExecution& t,
                                                                          const lang::TaskSpec& task) {
  Value data = expression_data(wf_ex, t.in_context, &t);
  ExpressionScope scope = scope_of(wf_ex, &t, Value());
  // Mistral takes any Python iterable: a list, a string (its characters),
  // a dict (its keys).
  std::vector<std::pair<std::string, List>> sources;
  Dict evaluated;
  for (const auto& wi : task.with_items) {
    auto value = expr_.evaluate(wi.source, data, scope);
    if (!value) return value.error();
    // Counted before the items are copied or any action is created: each
    // item becomes an action execution in this one transaction.
    size_t count = value->is_string() ? utf8_length(value->as_string()) : value->size();
    if ((value->is_list() || value->is_string() || value->is_dict()) && count > options_.max_with_items) {
      return Error{ErrorKind::Limit,
                   fmt::format("with-items of task '{}' gives {} items for '{}', more than the {} allowed (option "
                               "[engine] max_with_items); split the work (e.g. into sub-workflows) or raise the option",
                               task.name, count, wi.var, options_.max_with_items)};
    }
    evaluated.set(wi.var, *value);
    List items;
    if (value->is_list()) {
      items = value->as_list();
    } else if (value->is_string()) {
      for (const auto& ch : utf8_characters(value->as_string())) items.emplace_back(ch);
    } else if (value->is_dict()) {
      for (const auto& [k, v] : value->as_dict()) items.emplace_back(k);
    } else {
      Dict so_far;
      for (const auto& [var, list] : sources) so_far.set(var, Value(list));
      return bad_input(fmt::format("Wrong input format for: {}. Iterable type is expected for each value.",
                                   python_repr(Value(std::move(so_far)))));
    }
    sources.emplace_back(wi.var, std::move(items));
  }
  for (const auto& [var, list] : sources) {
    if (list.size() != sources.front().second.size()) {
      return bad_input(fmt::format("Wrong input format for: {}. All arrays must have the same length.",
                                   python_repr(Value(std::move(evaluated)))));
    }
  }
  return sources;
}

Value Step::item_vars(const std::vector<std::pair<std::string, List>>& lists, size_t i) {
  Dict vars;
  for (const auto& [var, list] : lists) vars.set(var, list[i]);
  return Value(std::move(vars));
}

std::optional<std::string> Step::start_subworkflow(WorkflowExecution& wf_ex, TaskExecution& t,
                                                  const lang::TaskSpec& task, const Value& data,
                                                  std::optional<int64_t> index) {
  ExpressionScope scope = scope_of(wf_ex, &t, Value());
  auto name = expr_.evaluate(Value(task.workflow), data, scope);
  if (!name) return name.error().message;
  if (!name->is_string()) return "The workflow name evaluated to " + python_repr(*name) + ", not a string";
  Value raw_input = task.input_expression.is_null() ? Value(task.input) : task.input_expression;
  auto input = expr_.evaluate(raw_input, data, scope);
  if (!input) return input.error().message;
  // Mistral: a sub-workflow is looked for in the parent's namespace, then
  // in the default one; a workbook's workflows see their siblings by short
  // name.
  services::Caller owner = services::Caller::owner_of(wf_ex);
  std::optional<storage::WorkflowDefinition> def;
  std::vector<std::string> candidates = {name->as_string()};
  if (size_t dot = wf_ex.workflow_name.rfind('.'); dot != std::string::npos)
    candidates.push_back(wf_ex.workflow_name.substr(0, dot + 1) + name->as_string());
  for (const auto& candidate : candidates) {
    for (const std::string& ns : {wf_ex.workflow_namespace, std::string()}) {
      auto found = services::get_workflow(tx_, candidate, ns, owner);
      if (found) {
        def = std::move(found).value();
        break;
      }
    }
    if (def) break;
  }
  if (!def) {
    return fmt::format("Failed to find workflow [name={}] [namespace={}]", name->as_string(), wf_ex.workflow_namespace);
  }
  Value params = Value(Dict{});
  if (wf_ex.params.is_dict())
    if (const Value* env = wf_ex.params.find("env")) params = params.with("env", *env);
  if (index) params = params.with("index", Value(*index));
  ExecutionOrigin origin;
  origin.project_id = wf_ex.project_id;
  origin.task_execution_id = t.id;
  origin.root_execution_id = wf_ex.root_execution_id ? *wf_ex.root_execution_id : wf_ex.id;
  origin.index = index;
  auto sub = create_execution(*def, input->is_null() ? Value(Dict{}) : *input, params, origin);
  if (!sub) return sub.error().message;
  return std::nullopt;
}

std::optional<std::string> Step::launch_item(WorkflowExecution& wf_ex, TaskExecution& t, const lang::TaskSpec& task,
                                             const Value& vars, int64_t index) {
  Value ctx = t.in_context.is_dict() ? t.in_context : Value(Dict{});
  for (const auto& [k, v] : vars.as_dict()) ctx = ctx.with(k, v);
  if (task.is_workflow_task()) return start_subworkflow(wf_ex, t, task, expression_data(wf_ex, ctx, &t), index);
  return launch_action(wf_ex, t, task, expression_data(wf_ex, ctx, &t), index);
}

std::optional<std::string> Step::launch_action(WorkflowExecution& wf_ex, TaskExecution& t, const lang::TaskSpec& task,
                                               const Value& data, std::optional<int64_t> index) {
  ExpressionScope scope = scope_of(wf_ex, &t, Value());
  std::string action = task.action.empty() ? "std.noop" : task.action;
  if (action.find("<%") != std::string::npos || action.find("{{") != std::string::npos) {
    auto name = expr_.evaluate(Value(action), data, scope);
    if (!name) return name.error().message;
    if (!name->is_string()) return "The action name evaluated to " + python_repr(*name) + ", not a string";
    action = name->as_string();
  }
  Value raw_input = Value(task.input);
  if (!task.input_expression.is_null()) raw_input = task.input_expression;
  auto input = expr_.evaluate(raw_input, data, scope);
  if (!input) return input.error().message;
  if (!input->is_dict() && !input->is_null()) return "The task's input is not a dict: " + python_repr(*input);

  // Ad-hoc actions unfold into their base action; their output transforms
  // apply to the result, innermost first.
  std::string base = action;
  Value base_input = input->is_null() ? Value(Dict{}) : *input;
  std::vector<Value> outputs;
  // A dynamic action (JavaScript of a code source) ends the chain as a std
  // action does.
  std::optional<executor::DynamicActionCode> dynamic;
  services::Caller owner = services::Caller::owner_of(wf_ex);
  for (int depth = 0; !executor::find_std_action(base); ++depth) {
    if (depth >= kMaxAdhocDepth) return "Ad-hoc action " + action + " is built on itself (base chain too deep)";
    auto def = services::find_action(tx_, base, wf_ex.workflow_namespace, owner);
    if (!def && !wf_ex.workflow_namespace.empty()) def = services::find_action(tx_, base, "", owner);
    // In a workbook, `action: notify` names the workbook's `<wb>.notify`.
    if (size_t dot = wf_ex.workflow_name.rfind('.'); !def && dot != std::string::npos)
      def = services::find_action(tx_, wf_ex.workflow_name.substr(0, dot + 1) + base, wf_ex.workflow_namespace, owner);
    if (!def) {
      dynamic = services::find_dynamic_action_code(tx_, base, wf_ex.workflow_namespace, owner);
      if (dynamic) break;
      return fmt::format("Failed to find action [action_name={}, namespace={}]", base, wf_ex.workflow_namespace);
    }
    auto adhoc = lang::action_from_value(def->spec);
    if (!adhoc) return "The stored ad-hoc action " + base + " does not parse: " + adhoc.error().message;
    Dict params;
    for (const auto& p : (*adhoc)->input) {
      if (const Value* v = base_input.find(p.name)) params.set(p.name, *v);
      else if (p.default_value) params.set(p.name, *p.default_value);
      else return fmt::format("Invalid input [name={}, class=AdHocAction, missing=['{}']]", base, p.name);
    }
    for (const auto& [k, v] : base_input.as_dict()) {
      // `&k = k`: clang 14 (the sanitizer build) cannot capture a structured binding.
      bool known = std::any_of((*adhoc)->input.begin(), (*adhoc)->input.end(),
                               [&k = k](const lang::InputParam& p) { return p.name == k; });
      if (!known) return fmt::format("Invalid input [name={}, class=AdHocAction, unexpected=['{}']]", base, k);
    }
    auto next_input = expr_.evaluate(Value((*adhoc)->base_input), Value(std::move(params)), scope);
    if (!next_input) return "Failed to evaluate base-input of " + base + ": " + next_input.error().message;
    if (!(*adhoc)->output.is_null()) outputs.insert(outputs.begin(), (*adhoc)->output);
    base = (*adhoc)->base;
    base_input = *next_input;
  }
  // A dynamic action takes its input as one object: no signature to check.
  const executor::ActionDescriptor* d = dynamic ? nullptr : executor::find_std_action(base);
  Result<Value> prepared = d ? executor::prepare_action_input(*d, base_input) : Result<Value>(base_input);
  if (!prepared) return prepared.error().message;
  bool is_async = d && d->is_async;
  if (auto too_large = field_size_error("ActionExecution", "input", input->is_null() ? Value() : *input,
                                        options_.execution_field_size_limit_kb))
    return *too_large;

  ActionExecution a;
  a.name = action;
  a.task_execution_id = t.id;
  a.workflow_name = wf_ex.workflow_name;
  a.workflow_namespace = wf_ex.workflow_namespace;
  a.state = "RUNNING";
  a.input = input->is_null() ? Value(Dict{}) : *input;
  a.spec = Value::dict({{"base", Value(base)}, {"base_input", *prepared}, {"outputs", Value(std::move(outputs))}});
  if (dynamic) a.spec = a.spec.with("dynamic", Value(true));
  a.runtime_context = index ? Value::dict({{"index", Value(*index)}}) : Value(Dict{});
  a.is_sync = !is_async;
  a.project_id = wf_ex.project_id;
  a = tx_.action_executions().create(a).value();

  ActionJob job;
  job.action_execution_id = a.id;
  job.action_name = base;
  job.input = *prepared;
  job.is_async = is_async;
  job.dynamic = std::move(dynamic);
  job.context.workflow_name = wf_ex.workflow_name;
  job.context.workflow_execution_id = wf_ex.id;
  job.context.task_execution_id = t.id;
  job.task_name = t.name;
  job.context.action_execution_id = a.id;
  if (!options_.callback_base_url.empty())
    job.context.callback_url = options_.callback_base_url + "/v2/action_executions/" + a.id;
  jobs_.push_back(std::move(job));
  return std::nullopt;
}

void Step::with_items_progress(WorkflowExecution& wf_ex, TaskExecution& t, bool item_failed) {
  Value wi = t.runtime_context["with_items"];
  int64_t count = wi["count"].as_int(), next = wi["next"].as_int(), concurrency = wi["concurrency"].as_int();
  int64_t done = wi["done"].as_int() + 1;
  bool failed = wi["failed"].truthy() || item_failed;
  int64_t running = std::min(next, count) - done;
  // Start the next items up to the concurrency limit.
  if (!failed && next < count && (concurrency == 0 || running < concurrency)) {
    auto spec = spec_of(wf_ex);
    const lang::TaskSpec* task = spec->task(t.name);
    auto lists = task ? with_items_lists(wf_ex, t, *task) : Result<std::vector<std::pair<std::string, List>>>(
                                                                bad_input("the task is not in the workflow"));
    if (!lists) {
      force_fail_completion(wf_ex, t, lists.error().message);
      return;
    }
    while (next < count && (concurrency == 0 || running < concurrency)) {
      if (static_cast<size_t>(next) >= lists->front().second.size()) break;  // the list shrank
      if (auto error = launch_item(wf_ex, t, *task, item_vars(*lists, static_cast<size_t>(next)), next)) {
        force_fail_completion(wf_ex, t, *error);  // while taking an item's result, as in Mistral
        return;
      }
      ++next;
      ++running;
    }
  }
  wi = Value::dict({{"count", Value(count)},
                    {"next", Value(next)},
                    {"concurrency", Value(concurrency)},
                    {"done", Value(done)},
                    {"failed", Value(failed)}});
  t.runtime_context = t.runtime_context.with("with_items", wi);
  t = tx_.task_executions().update(t).value();
  if (running > 0 || (!failed && done < count)) return;
  // A failed with-items task retries as a whole (Mistral's retry policy).
  if (failed && retry_if_needed(wf_ex, t, true, task_execution_result(tx_, t))) return;
  // Every item has ended: the result is the items' results in order.
  complete_task(wf_ex, t, failed ? "ERROR" : "SUCCESS",
                failed ? std::optional<std::string>("One or more actions had failed.") : std::nullopt,
                task_execution_result(tx_, t));
}

Result<ActionExecution> Step::start_ad_hoc_action(const std::string& name, const Value& input,
                                                 const std::string& description, const std::string& namespace_,
                                                 const services::Caller& caller) {
  const executor::ActionDescriptor* d = executor::find_std_action(name);
  std::optional<executor::DynamicActionCode> dynamic;
  if (!d) dynamic = services::find_dynamic_action_code(tx_, name, namespace_, caller);
  if (!d && !dynamic)
    return bad_input(fmt::format("Action not found [action_name={}]: ad hoc, bora runs the std actions and the "
                                 "dynamic actions",
                                 name));
  Result<Value> prepared =
      d ? executor::prepare_action_input(*d, input) : Result<Value>(input.is_null() ? Value(Dict{}) : input);
  if (!prepared) return prepared.error();
  bool is_async = d && d->is_async;
  if (auto too_large = field_size_error("ActionExecution", "input", input, options_.execution_field_size_limit_kb))
    return bad_input(*too_large);
  ActionExecution a;
  a.name = name;
  if (!description.empty()) a.description = description;
  a.state = "RUNNING";
  a.input = input.is_null() ? Value(Dict{}) : input;
  a.spec = Value::dict({{"base", Value(name)}, {"base_input", *prepared}, {"outputs", Value(List{})}});
  if (dynamic) a.spec = a.spec.with("dynamic", Value(true));
  a.runtime_context = Value(Dict{});
  a.is_sync = !is_async;
  a.project_id = caller.project_id;
  a = tx_.action_executions().create(a).value();
  ActionJob job;
  job.action_execution_id = a.id;
  job.action_name = name;
  job.input = *prepared;
  job.is_async = is_async;
  job.dynamic = std::move(dynamic);
  job.context.action_execution_id = a.id;
  if (!options_.callback_base_url.empty())
    job.context.callback_url = options_.callback_base_url + "/v2/action_executions/" + a.id;
  jobs_.push_back(std::move(job));
  return a;
}

Result<TaskExecution> Step::rerun_task(const std::string& task_execution_id, bool reset, const Value& env,
                                      const services::Caller& caller, bool skip) {
  auto found = tx_.task_executions().find_one({{"id", FilterOp::Eq, {task_execution_id}}}, caller.lookup());
  if (!found) return not_found(fmt::format("Task execution not found [id={}]", task_execution_id));
  TaskExecution t = std::move(*found);
  if (t.state != "ERROR") {
    return bad_input("The current task execution must be in ERROR for rerun. Only updating task to rerun is "
                     "supported.");
  }
  auto wf = tx_.workflow_executions().find(t.workflow_execution_id, ProjectScope::internal());
  if (!wf) return not_found(fmt::format("WorkflowExecution not found [id={}]", t.workflow_execution_id));
  WorkflowExecution wf_ex = std::move(*wf);
  auto spec = spec_of(wf_ex);
  const lang::TaskSpec* task = spec->task(t.name);
  if (!task) return bad_input("The task is not in its workflow's definition any more");
  bool with_items = !task->with_items.empty();
  if (!skip && !with_items && !reset) return bad_input("Only with-items task has the option to not reset.");

  // The execution runs again (Mistral's rerun_workflow).
  wf_ex.state = "RUNNING";
  wf_ex.state_info.reset();
  if (env.is_dict() && env.size() > 0) {
    Value params = wf_ex.params.is_dict() ? wf_ex.params : Value(Dict{});
    const Value* old = params.find("env");
    wf_ex.params = params.with("env", merge_dicts(old ? *old : Value(Dict{}), env));
  }
  wf_ex = tx_.workflow_executions().update(wf_ex).value();
  settled_.push_back(wf_ex.id);
  reopen_parents(wf_ex);
  if (skip) {
    // Mistral's skip_tasks: the task completes SKIPPED, publishes
    // publish-on-skip and the workflow follows on-skip (or on-success).
    t.state = "SKIPPED";
    t.state_info = "Task was skipped.";
    t.error_handled = false;
    t.finished_at = now_utc();
    auto published = publish(wf_ex, t, *task, "SKIPPED", task_execution_result(tx_, t));
    if (!published) {
      force_fail_completion(wf_ex, t, published.error().message);
      return tx_.task_executions().get(t.id, ProjectScope::internal());
    }
    t = tx_.task_executions().update(t).value();
    schedule_next(wf_ex, *spec, t);
    check_completion(wf_ex);
    return tx_.task_executions().get(t.id, ProjectScope::internal());
  }

  auto actions =
      tx_.action_executions().list({ProjectScope::internal(), {{"task_execution_id", FilterOp::Eq, {t.id}}}}).value();
  std::set<int64_t> succeeded, still_running;
  for (auto& a : actions) {
    int64_t index = a.runtime_context["index"].is_int() ? a.runtime_context["index"].as_int() : -1;
    if (a.state == "RUNNING") {
      if (!reset && index >= 0) {
        still_running.insert(index);  // its result will count when it comes
        continue;
      }
      a.state = "CANCELLED";  // a late result of the old attempt is ignored
      stopped_actions_.push_back(a.id);
    } else if (!reset && a.state == "SUCCESS" && index >= 0) {
      succeeded.insert(index);
      continue;
    }
    a.accepted = false;
    tx_.action_executions().update(a).value();
  }
  t.state = "RUNNING";
  t.state_info.reset();
  t.finished_at.reset();
  t.published = Value(Dict{});
  t.processed = false;
  t.has_next_tasks = false;
  t.next_tasks = Value(List{});
  t.error_handled = false;
  if (reset || !t.runtime_context.find("with_items")) {
    t.runtime_context = Value(Dict{});
    t = tx_.task_executions().update(t).value();
    start_action(wf_ex, t, *task);
    return tx_.task_executions().get(t.id, ProjectScope::internal());
  }
  // Only the items without a successful result run again.
  auto lists = with_items_lists(wf_ex, t, *task);
  if (!lists) {
    t = tx_.task_executions().update(t).value();
    complete_task(wf_ex, t, "ERROR", lists.error().message, Value());
    return tx_.task_executions().get(t.id, ProjectScope::internal());
  }
  int64_t count = static_cast<int64_t>(lists->empty() ? 0 : lists->front().second.size());
  Value wi = t.runtime_context["with_items"];
  t.runtime_context = t.runtime_context.with(
      "with_items", wi.with("count", Value(count))
                        .with("next", Value(count))
                        .with("done", Value(static_cast<int64_t>(succeeded.size())))
                        .with("failed", Value(false)));
  t = tx_.task_executions().update(t).value();
  for (int64_t i = 0; i < count; ++i) {
    if (succeeded.count(i) || still_running.count(i)) continue;
    if (auto error = launch_item(wf_ex, t, *task, item_vars(*lists, static_cast<size_t>(i)), i)) {
      complete_task(wf_ex, t, "ERROR", *error, Value());
      break;
    }
  }
  return tx_.task_executions().get(t.id, ProjectScope::internal());
}

void Step::reopen_parents(const WorkflowExecution& sub) {
  // Mistral's rerun of a task inside a sub-workflow: the tasks that started
  // it, and their executions, run again up to the root, so that the
  // sub-workflow's new end reaches them.
  std::optional<std::string> task_id = sub.task_execution_id;
  for (int depth = 0; task_id && depth < 100; ++depth) {
    auto t = tx_.task_executions().find(*task_id, ProjectScope::internal());
    if (!t || t->state != "ERROR") return;
    t->state = "RUNNING";
    t->state_info.reset();
    t->finished_at.reset();
    t->processed = false;
    t->has_next_tasks = false;
    t->next_tasks = Value(List{});
    t->error_handled = false;
    if (const Value* wi = t->runtime_context.find("with_items"); wi && wi->is_dict()) {
      // This item ends again later: it no longer counts as ended or failed.
      int64_t done = (*wi)["done"].is_int() ? (*wi)["done"].as_int() : 0;
      t->runtime_context = t->runtime_context.with(
          "with_items", wi->with("done", Value(std::max<int64_t>(0, done - 1))).with("failed", Value(false)));
    }
    tx_.task_executions().update(*t).value();
    auto parent = tx_.workflow_executions().find(t->workflow_execution_id, ProjectScope::internal());
    if (!parent) return;
    if (parent->state == "ERROR") {
      parent->state = "RUNNING";
      parent->state_info.reset();
      tx_.workflow_executions().update(*parent).value();
      settled_.push_back(parent->id);
    }
    task_id = parent->task_execution_id;
  }
}

void Step::count_recovery_attempts(int64_t limit, std::set<std::string>& counted, std::vector<std::string>& failed) {
  // The executions a start is about to take up again: those with a
  // synchronous action left RUNNING (recover() re-runs or fails it) and
  // those with a timer already due (the loop fires it at once: a task's
  // input is evaluated, an action started). Each is counted here, in a
  // transaction of its own committed before that work runs: if the work
  // brings the process down again, the next start sees one more attempt.
  // At the limit the execution is failed here, with plain state changes
  // only (no expression, no action, no on-error: any of those may be what
  // crashes), so the server starts.
  std::vector<std::string> task_ids;
  for (const auto& a : tx_.action_executions()
                           .list({ProjectScope::internal(),
                                  {{"state", FilterOp::Eq, {"RUNNING"}}, {"is_sync", FilterOp::Eq, {"true"}}}})
                           .value())
    if (a.task_execution_id) task_ids.push_back(*a.task_execution_id);
  for (const auto& call :
       tx_.delayed_calls()
           .list({ProjectScope::internal(), {{"execution_time", FilterOp::Lte, {format_iso_time(now_utc())}}}})
           .value())
    if (const Value& id = call.arguments["task_execution_id"]; id.is_string()) task_ids.push_back(id.as_string());
  std::set<std::string> seen;
  for (const auto& task_id : task_ids) {
    auto t = tx_.task_executions().find(task_id, ProjectScope::internal());
    if (!t || !seen.insert(t->workflow_execution_id).second) continue;
    auto wf_ex = tx_.workflow_executions().find(t->workflow_execution_id, ProjectScope::internal());
    if (!wf_ex || (wf_ex->state != "RUNNING" && wf_ex->state != "PAUSED")) continue;
    if (wf_ex->recovery_attempts < limit) {
      wf_ex->recovery_attempts += 1;
      tx_.workflow_executions().update(*wf_ex).value();
      counted.insert(wf_ex->id);
      continue;
    }
    std::string times =
        wf_ex->recovery_attempts == 1 ? std::string("once") : fmt::format("{} times", wf_ex->recovery_attempts);
    std::string info = fmt::format(
        "Bora stopped {} while recovering this execution (the process crashed or was killed); it was failed "
        "so the server could start. Check the logs for the crash; rerun the task once fixed.",
        times);
    fail_without_running(*wf_ex, info);
    failed.push_back(wf_ex->id);
  }
}

void Step::fail_without_running(storage::WorkflowExecution& wf_ex, const std::string& info) {
  // This execution, then the tasks and executions above it (a parent waits
  // for its sub-workflow otherwise), up to the root.
  std::optional<std::string> parent_task = wf_ex.task_execution_id;
  WorkflowExecution current = wf_ex;
  for (int depth = 0; depth < 100; ++depth) {
    for (auto& t : tx_.task_executions()
                       .list({ProjectScope::internal(),
                              {{"workflow_execution_id", FilterOp::Eq, {current.id}},
                               {"state", FilterOp::In, {"RUNNING", "WAITING", "IDLE", "DELAYED"}}}})
                       .value()) {
      for (auto& a : tx_.action_executions()
                         .list({ProjectScope::internal(),
                                {{"task_execution_id", FilterOp::Eq, {t.id}}, {"state", FilterOp::Eq, {"RUNNING"}}}})
                         .value()) {
        a.state = "ERROR";
        a.state_info = info;
        a.output = Value::dict({{"result", Value(info)}});
        tx_.action_executions().update(a).value();
      }
      t.state = "ERROR";
      t.state_info = info;
      t.finished_at = now_utc();
      tx_.task_executions().update(t).value();
    }
    current.state = "ERROR";
    current.state_info = info;
    current.recovery_attempts = 0;
    current = tx_.workflow_executions().update(current).value();
    settled_.push_back(current.id);
    specs_.erase(current.id);
    if (!parent_task) break;
    auto t = tx_.task_executions().find(*parent_task, ProjectScope::internal());
    if (!t) break;
    auto parent = tx_.workflow_executions().find(t->workflow_execution_id, ProjectScope::internal());
    if (!parent || parent->state == "ERROR" || parent->state == "SUCCESS" || parent->state == "CANCELLED") break;
    current = std::move(*parent);
    parent_task = current.task_execution_id;
  }
  wf_ex = tx_.workflow_executions().get(wf_ex.id, ProjectScope::internal()).value();
}

void Step::recover() {
  // Actions that were running when the process stopped: their result is
  // lost. A task marked safe-rerun runs its action again; any other fails
  // with a message saying why (Mistral's behaviour for lost actions).
  // An asynchronous action may have died in the executor's queue, never
  // sent: safe-rerun sends it again (as Mistral's executor gets its run
  // request again), else it keeps waiting for its completion through the
  // API (it may have been sent; a timeout policy bounds the wait).
  auto running = tx_.action_executions().list({ProjectScope::internal(), {{"state", FilterOp::Eq, {"RUNNING"}}}}).value();
  for (auto& a : running) {
    const bool async = a.is_sync == std::optional<bool>(false);
    if (!a.task_execution_id) {
      if (async) continue;
      a.state = "ERROR";
      a.output = Value::dict({{"result", Value("The action was running when bora stopped; its result is lost.")}});
      tx_.action_executions().update(a).value();
      continue;
    }
    auto t = tx_.task_executions().find(*a.task_execution_id, ProjectScope::internal());
    if (!t) continue;
    auto wf_ex = tx_.workflow_executions().find(t->workflow_execution_id, ProjectScope::internal());
    if (!wf_ex || (wf_ex->state != "RUNNING" && wf_ex->state != "PAUSED")) continue;
    auto spec = spec_of(*wf_ex);
    const lang::TaskSpec* task = spec->task(t->name);
    Value safe = task ? task->safe_rerun : Value();
    if (safe.is_null() && spec->task_defaults) safe = spec->task_defaults->safe_rerun;
    const Value* base = a.spec.is_dict() ? a.spec.find("base") : nullptr;
    const Value* base_input = a.spec.is_dict() ? a.spec.find("base_input") : nullptr;
    if (safe.is_bool() && safe.as_bool() && base && base->is_string() && base_input) {
      ActionJob job;
      job.action_execution_id = a.id;
      job.action_name = base->as_string();
      job.input = *base_input;
      // A dynamic action runs its code source as it is now (Mistral too
      // loads the latest version).
      if (a.spec["dynamic"].truthy()) {
        job.dynamic = services::find_dynamic_action_code(tx_, job.action_name, wf_ex->workflow_namespace,
                                                         services::Caller::owner_of(*wf_ex));
        if (!job.dynamic) {
          on_action_result(a.id,
                           executor::ActionResult::failure(Value(fmt::format(
                               "The dynamic action {} was running when bora stopped and no longer exists",
                               job.action_name))),
                           true);
          continue;
        }
      }
      job.context.workflow_name = wf_ex->workflow_name;
      job.context.workflow_execution_id = wf_ex->id;
      job.context.task_execution_id = t->id;
      job.task_name = t->name;
      job.context.action_execution_id = a.id;
      job.is_async = async;
      if (!options_.callback_base_url.empty())
        job.context.callback_url = options_.callback_base_url + "/v2/action_executions/" + a.id;
      jobs_.push_back(std::move(job));
      continue;
    }
    if (async) continue;
    on_action_result(a.id,
                     executor::ActionResult::failure(Value(
                         "The action was running when bora stopped, so its result is lost; mark the task "
                         "'safe-rerun: true' to have such actions run again after a restart")),
                     true);
  }
}

void Step::on_action_result(const std::string& action_execution_id, const executor::ActionResult& result,
                            bool from_api) {
  apply_action_result(action_execution_id, result, from_api);
  // A result taken is the execution's work passing: the crash-loop guard
  // counts again from zero (see count_recovery_attempts).
  if (!recovering_ || recovering_->empty()) return;
  auto a = tx_.action_executions().find(action_execution_id, ProjectScope::internal());
  if (!a || !a->task_execution_id) return;
  auto t = tx_.task_executions().find(*a->task_execution_id, ProjectScope::internal());
  if (!t) return;
  auto wf_ex = tx_.workflow_executions().find(t->workflow_execution_id, ProjectScope::internal());
  if (!wf_ex || !recovering_->count(wf_ex->id)) return;
  recovering_->erase(wf_ex->id);
  if (wf_ex->recovery_attempts == 0) return;
  wf_ex->recovery_attempts = 0;
  tx_.workflow_executions().update(*wf_ex).value();
}

void Step::apply_action_result(const std::string& action_execution_id, const executor::ActionResult& result,
                               bool from_api) {
  auto a = tx_.action_executions().find(action_execution_id, ProjectScope::internal());
  if (!a || a->state != "RUNNING") return;  // already completed (e.g. through the API)
  if (!from_api && a->is_sync == std::optional<bool>(false) && !result.failed) return;  // completes through the API
  Value data = result.data;
  bool failed = result.failed;
  Value error = result.error;
  // Ad-hoc output transforms, innermost first, with $ = the result.
  if (!failed && a->spec.is_dict()) {
    if (const Value* outs = a->spec.find("outputs"); outs && outs->is_list()) {
      for (const auto& out : outs->as_list()) {
        auto v = expr_.evaluate(out, data, ExpressionScope{});
        if (!v) {
          failed = true;
          error = Value("Failed to evaluate the ad-hoc action's output: " + v.error().message);
          break;
        }
        data = *v;
      }
    }
  }
  // A result over the field size limit is not stored: the action fails
  // with Mistral's message instead.
  if (auto too_large = field_size_error("ActionExecution", "output", Value::dict({{"result", failed ? error : data}}),
                                        options_.execution_field_size_limit_kb)) {
    failed = true;
    error = Value(*too_large);
    data = Value();
  }
  a->state = failed ? "ERROR" : "SUCCESS";
  a->output = Value::dict({{"result", failed ? error : data}});
  a->accepted = true;
  *a = tx_.action_executions().update(*a).value();
  if (!a->task_execution_id) {
    settled_.push_back(a->id);
    return;
  }
  auto t = tx_.task_executions().find(*a->task_execution_id, ProjectScope::internal());
  if (!t || t->state != "RUNNING") return;
  auto wf_ex = tx_.workflow_executions().find(t->workflow_execution_id, ProjectScope::internal());
  if (!wf_ex) return;
  if (wf_ex->state != "RUNNING" && wf_ex->state != "PAUSED") {
    // The workflow ended meanwhile (fail, succeed): the task still takes
    // its action's result, as in Mistral; nothing runs after it.
    if (!t->runtime_context.find("with_items")) {
      std::optional<std::string> info;
      if (failed) info = error.is_string() ? error.as_string() : python_str(error);
      complete_task(*wf_ex, *t, failed ? "ERROR" : "SUCCESS", info, failed ? error : data);
    }
    return;
  }
  if (t->runtime_context.is_dict() && t->runtime_context.find("with_items")) {
    with_items_progress(*wf_ex, *t, failed);
    return;
  }
  if (retry_if_needed(*wf_ex, *t, failed, failed ? error : data)) return;
  std::optional<std::string> info;
  if (failed) info = error.is_string() ? error.as_string() : python_str(error);
  complete_task(*wf_ex, *t, failed ? "ERROR" : "SUCCESS", info, failed ? error : data);
}

void Step::force_fail_task(WorkflowExecution& wf_ex, TaskExecution& t, const std::string& error) {
  // Mistral evaluates every item's input before it schedules any action, so
  // a failure leaves no action behind: drop those this step created.
  auto first = std::stable_partition(jobs_.begin(), jobs_.end(),
                                     [&](const ActionJob& j) { return j.context.task_execution_id != t.id; });
  for (auto it = first; it != jobs_.end(); ++it) (void)tx_.action_executions().remove(it->action_execution_id);
  jobs_.erase(first, jobs_.end());
  fail_task_and_workflow(wf_ex, t,
                         fmt::format("Failed to run task [error={}, wf={}, task={}]:", error, wf_ex.name, t.name));
}

void Step::force_fail_completion(WorkflowExecution& wf_ex, TaskExecution& t, const std::string& error) {
  auto spec = spec_of(wf_ex);
  const lang::TaskSpec* task = spec->task(t.name);
  std::string action;
  if (task) action = task->is_workflow_task() ? task->workflow : (task->action.empty() ? "std.noop" : task->action);
  fail_task_and_workflow(wf_ex, t,
                         fmt::format("Failed to handle action completion [error={}, wf={}, task={}, action={}]:",
                                     error, wf_ex.name, t.name, action));
}

void Step::fail_task_and_workflow(WorkflowExecution& wf_ex, TaskExecution& t, const std::string& msg) {
  t.state = "ERROR";
  t.state_info = msg;
  t.finished_at = now_utc();
  t = tx_.task_executions().update(t).value();  // not processed: not an end task of the final context
  finish_workflow(wf_ex, "ERROR", msg);
}

void Step::complete_task(WorkflowExecution& wf_ex, TaskExecution& t, const std::string& state,
                         const std::optional<std::string>& state_info, const Value& result) {
  auto spec = spec_of(wf_ex);
  const lang::TaskSpec* task = spec->task(t.name);
  bool ended = state == "SUCCESS" || state == "ERROR";
  if (ended && delay_after_completion(wf_ex, t, state, state_info, result)) return;
  t.state = state;
  t.state_info = state_info;
  t.finished_at = now_utc();
  if (task && ended) {
    // Mistral's Task.complete: publish (with the state the action gave),
    // then the policies that may still turn a success into an error
    // (fail-on), then drop the result if keep-result is false.
    auto published = publish(wf_ex, t, *task, state, result);
    if (!published) return force_fail_completion(wf_ex, t, published.error().message);
    Value data = expression_data(wf_ex, t.in_context, &t);
    ExpressionScope scope = scope_of(wf_ex, &t, result);
    scope.task_state = Value(state);
    lang::PoliciesSpec p = policies_of(*spec, *task);
    if (state == "SUCCESS" && !p.fail_on.is_null()) {
      auto fail_on = expr_.evaluate(p.fail_on, data, scope);
      if (!fail_on) return force_fail_completion(wf_ex, t, fail_on.error().message);
      if (fail_on->truthy()) {
        t.state = "ERROR";
        t.state_info = "Failed by 'fail-on' policy";
      }
    }
    if (!task->keep_result.is_null()) {
      auto keep = expr_.evaluate(task->keep_result, data, scope);
      if (!keep) return force_fail_completion(wf_ex, t, keep.error().message);
      if (!keep->truthy()) {
        auto actions = tx_.action_executions()
                           .list({ProjectScope::internal(), {{"task_execution_id", FilterOp::Eq, {t.id}}}})
                           .value();
        for (auto& a : actions) {
          a.output = Value(Dict{});
          tx_.action_executions().update(a).value();
        }
      }
    }
  }
  t = tx_.task_executions().update(t).value();
  // A paused execution holds its transitions back until it is resumed
  // (processed stays false); an ended one takes late results and no more.
  if (wf_ex.state != "RUNNING") return;
  if (task) schedule_next(wf_ex, *spec, t);
  check_completion(wf_ex);
}

Result<void> Step::publish(WorkflowExecution& wf_ex, TaskExecution& t, const lang::TaskSpec& task,
                           const std::string& state, const Value& result) {
  // Mistral's DirectWorkflowTaskSpec.get_publish: publish (or
  // publish-on-error), with on-complete's `publish:` merged over it; the
  // on-success/on-error clause's `publish:` is the base both are merged
  // over. Branch goes into the task, global into the execution's context.
  Value branch = state == "SUCCESS" ? task.publish : state == "ERROR" ? task.publish_on_error : task.publish_on_skip;
  // Mistral publishes null (not {}) when the publish spec it ends with has
  // no branch (only `global:`).
  bool has_spec = !branch.is_null(), has_branch = !branch.is_null();
  if (branch.is_null()) branch = Value(Dict{});
  Value global = Value(Dict{});
  if (task.on_complete && task.on_complete->publish) {
    has_spec = true;
    has_branch = has_branch || !task.on_complete->publish->branch.is_null();
    branch = merge_dicts(branch, task.on_complete->publish->branch);
    global = merge_dicts(global, task.on_complete->publish->global);
  }
  const auto& clause = state == "SUCCESS" ? task.on_success : state == "ERROR" ? task.on_error : task.on_skip;
  if (clause && clause->publish) {
    has_spec = true;
    has_branch = has_branch || !clause->publish->branch.is_null();
    Value base_branch = clause->publish->branch.is_dict() ? clause->publish->branch : Value(Dict{});
    Value base_global = clause->publish->global.is_dict() ? clause->publish->global : Value(Dict{});
    branch = merge_dicts(base_branch, branch);
    global = merge_dicts(base_global, global);
  }
  Value data = expression_data(wf_ex, t.in_context, &t);
  ExpressionScope scope = scope_of(wf_ex, &t, result);
  scope.task_state = Value(state);
  if (branch.is_dict() && branch.size() > 0) {
    auto published = expr_.evaluate(branch, data, scope);
    if (!published) return published.error();
    if (auto too_large = field_size_error("TaskExecution", "published", *published, options_.execution_field_size_limit_kb))
      return bad_input(*too_large);
    t.published = *published;
  }
  if (has_spec && !has_branch) t.published = Value();
  if (global.is_dict() && global.size() > 0) {
    auto g = expr_.evaluate(global, data, scope);
    if (!g) return g.error();
    wf_ex.context = merge_dicts(wf_ex.context, *g);
    wf_ex = tx_.workflow_executions().update(wf_ex).value();
  }
  return {};
}

void Step::schedule_reverse_next(WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec, TaskExecution& t) {
  t.processed = true;
  t.has_next_tasks = false;
  t = tx_.task_executions().update(t).value();
  if (t.state != "SUCCESS") return;  // a failed requirement fails the workflow
  // Every needed task not started yet whose requirements all succeeded.
  auto done = tx_.task_executions()
                  .list({ProjectScope::internal(),
                         {{"workflow_execution_id", FilterOp::Eq, {wf_ex.id}}},
                         {{"created_at", false}}})
                  .value();
  std::map<std::string, const TaskExecution*> by_name;
  for (const auto& d : done) by_name[d.name] = &d;
  for (const lang::TaskSpec* candidate : reverse_needed(wf_ex, spec)) {
    if (by_name.count(candidate->name)) continue;
    auto reqs = spec.requires_of(*candidate);
    if (reqs.empty()) continue;
    bool ready = true;
    Value ctx = Value(Dict{}), published = Value(Dict{});
    for (const auto& r : reqs) {
      auto it = by_name.find(r);
      if (it == by_name.end() || it->second->state != "SUCCESS") {
        ready = false;
        break;
      }
      published = merge_dicts(published, it->second->published);
      ctx = merge_dicts(ctx, outbound_context(*it->second));
    }
    if (!ready) continue;
    run_task(wf_ex, spec, *candidate, merge_dicts(ctx, published), t.id);
    if (wf_ex.state != "RUNNING") return;
  }
}

void Step::schedule_next(WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec, TaskExecution& t) {
  if (spec.type == lang::WorkflowType::Reverse) return schedule_reverse_next(wf_ex, spec, t);
  const lang::TaskSpec* task = spec.task(t.name);
  Value outbound = outbound_context(t);
  Value data = expression_data(wf_ex, outbound, &t);
  // task().result in a condition is read from storage by task(), only when
  // a condition asks for it.
  ExpressionScope scope = scope_of(wf_ex, &t, Value());
  struct Next {
    lang::Transition transition;
    std::string event;
  };
  std::vector<Next> next;
  auto consider = [&](const std::vector<lang::Transition>& clause, const char* event) -> bool {
    for (const auto& tr : clause) {
      if (!tr.condition.is_null()) {
        auto v = expr_.evaluate(tr.condition, data, scope);
        if (!v) {
          // Mistral evaluates transitions while handling the action's result.
          force_fail_completion(wf_ex, t, v.error().message);
          return false;
        }
        if (!v->truthy()) continue;
      }
      next.push_back({tr, event});
    }
    return true;
  };
  // Mistral's _find_next_tasks: on-error; on-skip (a skipped task with no
  // on-skip target goes on by on-success); on-success; on-complete for
  // SUCCESS and ERROR only.
  if (t.state == "ERROR" && !consider(spec.on_error_of(*task), "on-error")) return;
  bool skip_goes_on = false;
  if (t.state == "SKIPPED") {
    if (task->on_skip && !consider(task->on_skip->next, "on-skip")) return;
    skip_goes_on = next.empty();
  }
  if ((t.state == "SUCCESS" || skip_goes_on) && !consider(spec.on_success_of(*task), "on-success")) return;
  if ((t.state == "SUCCESS" || t.state == "ERROR") && !consider(spec.on_complete_of(*task), "on-complete")) return;
  std::vector<Value> next_tasks;
  // Mistral stores only tasks here, not engine commands: a task that ends
  // with `fail` is an end task whose context reaches the output.
  for (const auto& n : next)
    if (!n.transition.engine_command()) next_tasks.push_back(Value::list({Value(n.transition.task), Value(n.event)}));
  t.has_next_tasks = !next_tasks.empty();
  t.next_tasks = Value(std::move(next_tasks));
  t.error_handled = t.state == "ERROR" && !spec.on_error_of(*task).empty();
  t.processed = true;
  t = tx_.task_executions().update(t).value();

  // Mistral's dispatcher order (see command_order.h).
  std::vector<NextCommand> cmds;
  for (size_t k = 0; k < next.size(); ++k) {
    const lang::TaskSpec* target = spec.task(next[k].transition.task);
    bool join = target && !target->join.is_null();
    cmds.push_back({next[k].transition.task, next[k].transition.engine_command(), join,
                    join ? join_key(wf_ex, target->name) : std::string(), k});
  }
  cmds = mistral_command_order(std::move(cmds));
  std::vector<Next> ordered;
  for (const auto& c : cmds) ordered.push_back(next[c.source]);
  next = std::move(ordered);
  for (size_t k = 0; k < next.size(); ++k) {
    const auto& n = next[k];
    if (wf_ex.state != "RUNNING") return;
    const std::string& target = n.transition.task;
    if (n.transition.engine_command()) {
      std::optional<std::string> info;
      if (const Value* raw = n.transition.params.find("msg"); raw && !raw->is_null()) {
        auto msg = expr_.evaluate(*raw, data, scope);
        if (!msg) return force_fail_completion(wf_ex, t, msg.error().message);
        if (!msg->is_null()) info = msg->is_string() ? msg->as_string() : python_str(*msg);
      }
      if (target == "fail") {
        finish_workflow(wf_ex, "ERROR", info);
      } else if (target == "succeed") {
        // An output that fails here fails the task's completion (Mistral
        // evaluates it while handling the action's result).
        std::optional<std::string> output_error;
        finish_workflow(wf_ex, "SUCCESS", info, &output_error);
        if (output_error) return force_fail_completion(wf_ex, t, *output_error);
      } else if (target == "pause") {
        // The transitions after `pause` wait in a backlog for the resume
        // (Mistral's command backlog).
        List backlog;
        if (const Value* old = wf_ex.runtime_context.find("backlog"); old && old->is_list()) backlog = old->as_list();
        for (size_t r = k + 1; r < next.size(); ++r)
          backlog.emplace_back(List{Value(t.id), Value(next[r].transition.task)});
        wf_ex.state = "PAUSED";
        wf_ex.state_info = info;
        wf_ex.runtime_context = (wf_ex.runtime_context.is_dict() ? wf_ex.runtime_context : Value(Dict{}))
                                    .with("backlog", Value(std::move(backlog)));
        wf_ex = tx_.workflow_executions().update(wf_ex).value();
        settled_.push_back(wf_ex.id);
      }
      continue;  // noop
    }
    const lang::TaskSpec* next_spec = spec.task(target);
    if (!next_spec) continue;  // the language model refuses unknown targets
    run_task(wf_ex, spec, *next_spec, outbound, t.id);
  }
}

size_t Step::join_needed(const lang::TaskSpec& join, size_t inbound) {
  if (join.join.is_int()) return static_cast<size_t>(std::max<int64_t>(0, join.join.as_int()));
  if (join.join.is_string() && join.join.as_string() == "one") return 1;
  return inbound;
}

void Step::run_join(WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec, const lang::TaskSpec& join,
                    const std::string& triggered_by) {
  // Each arrival is counted on the join's task execution (WAITING until
  // enough inbound tasks came), so a 500-way join costs one row update per
  // arrival, not a scan of every inbound task. A join that can never be
  // satisfied is found when nothing else runs (check_completion).
  std::string key = join_key(wf_ex, join.name);
  auto existing = tx_.task_executions().find_one({{"unique_key", FilterOp::Eq, {key}}}, ProjectScope::internal());
  if (existing && existing->state != "WAITING") return;  // already ran or failed
  TaskExecution t;
  if (existing) {
    t = std::move(*existing);
  } else {
    t.name = join.name;
    t.workflow_execution_id = wf_ex.id;
    t.workflow_name = wf_ex.workflow_name;
    t.workflow_namespace = wf_ex.workflow_namespace;
    t.workflow_id = wf_ex.workflow_id;
    t.spec = join.data;
    t.state = "WAITING";
    t.state_info = "Blocked by tasks that have not ended";
    t.type = join.is_workflow_task() ? "WORKFLOW" : "ACTION";
    t.unique_key = key;
    t.in_context = Value(Dict{});
    t.published = Value(Dict{});
    t.runtime_context = Value::dict({{"arrived", Value(List{})}});
    t.project_id = wf_ex.project_id;
    t = tx_.task_executions().create(t).value();
  }
  List arrived = t.runtime_context["arrived"].is_list() ? t.runtime_context["arrived"].as_list() : List{};
  if (!triggered_by.empty() && std::find(arrived.begin(), arrived.end(), Value(triggered_by)) == arrived.end())
    arrived.emplace_back(triggered_by);
  size_t needed = join_needed(join, spec.inbound_of(join.name).size());
  if (arrived.size() < needed) {
    t.runtime_context = t.runtime_context.with("arrived", Value(std::move(arrived)));
    tx_.task_executions().update(t).value();
    return;
  }
  // evaluate_upstream_context: outbound contexts merged, then published,
  // in the order the tasks were stored (a later one wins a conflict).
  std::vector<std::string> ids;
  for (const auto& a : arrived) ids.push_back(a.as_string());
  auto upstream = tx_.task_executions().list({ProjectScope::internal(), {{"id", FilterOp::In, ids}}}).value();
  std::stable_sort(upstream.begin(), upstream.end(),
                   [](const TaskExecution& a, const TaskExecution& b) { return a.created_at < b.created_at; });
  Value ctx = Value(Dict{}), published = Value(Dict{});
  for (const auto& up : upstream) {
    published = merge_dicts(published, up.published);
    ctx = merge_dicts(ctx, outbound_context(up));
  }
  t.in_context = merge_dicts(ctx, published);
  t.runtime_context = Value(Dict{});
  t.state = "RUNNING";
  t.state_info.reset();
  t.started_at = now_utc();
  t = tx_.task_executions().update(t).value();
  start_action(wf_ex, t, join);
}

void Step::fail_unsatisfiable_join(WorkflowExecution& wf_ex, TaskExecution& t) {
  // Nothing else runs, so the join waits for tasks that ended elsewhere
  // (Mistral: "Failed by tasks: [...]") or never ran.
  auto spec = spec_of(wf_ex);
  const lang::TaskSpec* join = spec->task(t.name);
  std::vector<std::string> failed, blocked;
  if (join) {
    std::set<std::string> arrived_ids;
    if (t.runtime_context["arrived"].is_list())
      for (const auto& a : t.runtime_context["arrived"].as_list()) arrived_ids.insert(a.as_string());
    auto all = tx_.task_executions()
                   .list({ProjectScope::internal(),
                          {{"workflow_execution_id", FilterOp::Eq, {wf_ex.id}}},
                          {{"created_at", true}}})
                   .value();
    for (const auto& name : spec->inbound_of(join->name)) {
      const TaskExecution* latest = nullptr;
      for (const auto& e : all)
        if (e.name == name) {
          latest = &e;
          break;
        }
      if (!latest) blocked.push_back(name);
      else if (!arrived_ids.count(latest->id)) failed.push_back(name);
    }
  }
  auto list_text = [](const std::vector<std::string>& names) {
    std::vector<Value> v;
    for (const auto& n : names) v.emplace_back(n);
    return python_repr(Value(std::move(v)));
  };
  std::string why = !failed.empty() ? "Failed by tasks: " + list_text(failed) : "Blocked by tasks: " + list_text(blocked);
  complete_task(wf_ex, t, "ERROR", why, Value());
}

}  // namespace bora::engine
