// engine/task_runner: a task execution's life: created, started (after the
// policies that hold it back), its action's result taken, completed with
// what it publishes, and failed the way Mistral fails a task it cannot run
// (mistral/engine/tasks.py).
#include <fmt/format.h>

#include <utility>

#include "bora/core/python_format.h"
#include "bora/core/log.h"
#include "bora/engine/task_result.h"
#include "ad_hoc_unfold.h"
#include "field_size_limit.h"
#include "policies/policy.h"
#include "step.h"

namespace bora::engine {

using storage::ActionExecution;
using storage::FilterOp;
using storage::TaskExecution;
using storage::WorkflowExecution;

TaskExecution new_task_execution(const WorkflowExecution& wf_ex, const lang::TaskSpec& task, State state) {
  TaskExecution t;
  t.name = task.name;
  t.workflow_execution_id = wf_ex.id;
  t.workflow_name = wf_ex.workflow_name;
  t.workflow_namespace = wf_ex.workflow_namespace;
  t.workflow_id = wf_ex.workflow_id;
  t.spec = task.data;
  // A new task: its change is counted from NONE (set_task_state counts
  // from the state a task holds).
  count_task_transition("NONE", state_name(state));
  t.state = state;
  t.type = task.is_workflow_task() ? "WORKFLOW" : "ACTION";
  t.in_context = Value(Dict{});
  t.published = Value(Dict{});
  TaskContext(t.runtime_context).clear();
  t.project_id = wf_ex.project_id;
  return t;
}

void Step::run_task(WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec, const lang::TaskSpec& task,
                    const Value& in_context, const std::string& triggered_by, const std::string& event) {
  if (!task.join.is_null()) {
    run_join(wf_ex, spec, task, triggered_by);
    return;
  }
  TaskExecution t = new_task_execution(wf_ex, task, State::Running);
  t.in_context = in_context.is_dict() ? in_context : Value(Dict{});
  // Mistral's runtime_context.triggered_by (shown by the API); a workflow
  // that can roll back also reads it (rollback.cpp).
  if (!triggered_by.empty()) TaskContext(t.runtime_context).set_triggered_by({{triggered_by, event}});
  t.started_at = now();
  t = tx_.task_executions().create(t).value();
  task_state_changed(wf_ex, t, std::nullopt);
  start_action(wf_ex, t, task);
}

void Step::start_action(WorkflowExecution& wf_ex, TaskExecution& t, const lang::TaskSpec& task,
                        bool before_start) {
  // What keeps a task from starting (its input, its action, its items) is a
  // fault of the workflow, not of an action: Mistral fails the task and the
  // whole workflow at once, without on-error.
  auto fail = [&](const std::string& why) { force_fail_task(wf_ex, t, why); };
  struct Starting {
    std::string& id;
    std::string before;
    ~Starting() { id = std::move(before); }
  } starting{starting_task_id_, std::exchange(starting_task_id_, t.id)};
  if (before_start) {
    auto spec = spec_of(wf_ex);
    lang::PoliciesSpec p = policies_of(*spec, task);
    // Once per start (not again when a wait-before is over), as Mistral's
    // before_task_start validates them.
    if (!TaskContextView(t.runtime_context).wait_before_done())
      if (auto ok = check_policy_values(*this, wf_ex, t, p); !ok) return fail(ok.error().message);
    for (const TaskPolicy* policy : task_policies())
      if (policy->before_start(*this, wf_ex, t, task, p)) return;
  }
  if (task.with_items.empty()) {
    if (task.is_workflow_task()) {
      if (auto started = start_subworkflow(wf_ex, t, task, expression_data(wf_ex, t.in_context, &t), std::nullopt);
          !started)
        fail(started.error().message);
      return;
    }
    if (auto launched = launch_action(wf_ex, t, task, expression_data(wf_ex, t.in_context, &t), std::nullopt);
        !launched)
      fail(launched.error().message);
    return;
  }
  start_with_items(wf_ex, t, task);
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

void Step::on_executor_result(const std::string& action_execution_id, const executor::ActionResult& result) {
  tx_.lock_tree(storage::TreeOf::Action, action_execution_id);
  auto a = tx_.action_executions().find(action_execution_id, ProjectScope::internal());
  if (a && a->state == State::Running && a->node_id && *a->node_id != options_.cluster.node_id) {
    // This node's lease lapsed (a stall longer than [cluster] lease_seconds)
    // and the action was adopted: its recovery decides, not this result.
    log::warning("engine", "the result of action {} is dropped: node {} adopted it while this node ({}) looked dead",
                 action_execution_id, *a->node_id, options_.cluster.node_id);
    return;
  }
  on_action_result(action_execution_id, result);
}

void Step::apply_action_result(const std::string& action_execution_id, const executor::ActionResult& result,
                               bool from_api) {
  auto a = tx_.action_executions().find(action_execution_id, ProjectScope::internal());
  if (!a || a->state != State::Running) return;  // already completed (e.g. through the API)
  if (!from_api && !result.failed) {
    // An asynchronous action's run() only starts the work: its result comes
    // through the API. A Python action says so per run (Mistral asks
    // is_sync() of the instance), which overrides what its descriptor
    // suggested when the execution was stored.
    bool async = result.is_sync ? !*result.is_sync : a->is_sync == std::optional<bool>(false);
    if (async) {
      if (a->is_sync != std::optional<bool>(false)) {
        a->is_sync = false;
        tx_.action_executions().update(*a).value();
      }
      return;
    }
    if (result.is_sync) a->is_sync = true;  // stored with the result below
  }
  if (result.cancelled) return apply_action_cancel(*a, result.error);
  Value data = result.data;
  bool failed = result.failed;
  Value error = result.error;
  // Ad-hoc output transforms, innermost first, with $ = the result.
  if (!failed && a->spec.is_dict()) {
    if (const Value* outs = a->spec.find("outputs")) {
      auto transformed = apply_ad_hoc_outputs(*outs, data, expr_);
      if (transformed) {
        data = std::move(transformed).value();
      } else if (a->task_execution_id) {
        return fail_action_completion(*a, transformed.error().message);
      } else {
        failed = true;
        error = Value("Failed to evaluate the ad-hoc action's output: " + transformed.error().message);
      }
    }
  }
  // A result over the field size limit is not stored: setting it raises in
  // Mistral's on_action_complete, so a task's action fails its completion
  // ("Failed to complete action [...]", task and workflow force-failed); a
  // standalone run fails with the message.
  if (auto too_large = field_size_error("output", Value::dict({{"result", failed ? error : data}}),
                                        options_.execution_field_size_limit_kb)) {
    if (a->task_execution_id) return fail_action_completion(*a, *too_large);
    failed = true;
    error = Value(*too_large);
    data = Value();
  }
  a->state = failed ? State::Error : State::Success;
  a->output = Value::dict({{"result", failed ? error : data}});
  a->accepted = true;
  *a = tx_.action_executions().update(*a).value();
  action_state_changed(*a, State::Running);
  if (!a->task_execution_id) {
    settled_.push_back(a->id);
    return;
  }
  auto t = tx_.task_executions().find(*a->task_execution_id, ProjectScope::internal());
  if (!t || t->state != State::Running) return;
  auto wf_ex = tx_.workflow_executions().find(t->workflow_execution_id, ProjectScope::internal());
  if (!wf_ex) return;
  if (wf_ex->state != State::Running && wf_ex->state != State::Paused) {
    // The workflow ended meanwhile (fail, succeed): the task still takes
    // its action's result, as in Mistral; nothing runs after it. A
    // with-items task goes on with its items to its end (Mistral's
    // WithItemsTask.on_action_complete reads no workflow state).
    if (TaskContextView(t->runtime_context).has_with_items()) {
      with_items_progress(*wf_ex, *t, failed);
    } else {
      // Its policies too (Mistral's after_task_complete): a retry
      // condition that cannot be evaluated fails the completion.
      std::optional<std::string> info;
      if (failed) info = error.is_string() ? error.as_string() : python_str(error);
      Value taken = joined_result(*t, failed ? error : data);
      if (policies_take_result(*wf_ex, *t, failed, taken, info)) return;
      complete_task(*wf_ex, *t, failed ? State::Error : State::Success, info, taken);
    }
    return;
  }
  if (TaskContextView(t->runtime_context).has_with_items()) {
    with_items_progress(*wf_ex, *t, failed);
    return;
  }
  std::optional<std::string> info;
  if (failed) info = error.is_string() ? error.as_string() : python_str(error);
  Value taken = joined_result(*t, failed ? error : data);
  if (policies_take_result(*wf_ex, *t, failed, taken, info)) return;
  complete_task(*wf_ex, *t, failed ? State::Error : State::Success, info, taken);
}

Value Step::joined_result(const TaskExecution& t, const Value& action_result) {
  // A join run again (a late arrival, run_join; or while wait-after held
  // it, rerun_held_join) keeps its earlier successful runs accepted: its
  // result is then every accepted run's, a list, as Mistral's
  // get_task_execution_result gives it. Only a join can be run again so;
  // a join's result is read back once.
  if (!t.spec.is_dict() || !t.spec.find("join") || t.spec["join"].is_null()) return action_result;
  return task_execution_result(tx_, t);
}

void Step::fail_action_completion(ActionExecution& a, const std::string& error) {
  // Mistral's action_handler.on_action_complete: the action's completion
  // raised (an ad-hoc output that cannot be evaluated); the action fails
  // with the message, not accepted (the task's result has none), and the
  // task and its workflow are force-failed with it (no on-error).
  auto t = tx_.task_executions().find(*a.task_execution_id, ProjectScope::internal());
  std::string msg = fmt::format("Failed to complete action [error={}, action={}, task={}]:", error, a.name,
                                t ? t->name : std::string("None"));
  a.state = State::Error;
  a.output = Value::dict({{"result", Value(msg)}});
  a.accepted = false;
  a = tx_.action_executions().update(a).value();
  action_state_changed(a, State::Running);
  if (!t || t->state != State::Running) return;
  auto wf_ex = tx_.workflow_executions().find(t->workflow_execution_id, ProjectScope::internal());
  if (!wf_ex || (wf_ex->state != State::Running && wf_ex->state != State::Paused)) return;
  fail_task_and_workflow(*wf_ex, *t, msg);
}

void Step::apply_action_cancel(ActionExecution& a, const Value& error) {
  // Mistral's RegularAction.complete with Result(cancel=True): CANCELLED,
  // output {"result": error} (null through the API), accepted; its task ends CANCELLED (no
  // transition is followed, no policy applies) and the workflow, once
  // nothing else runs, CANCELLED "Cancelled tasks: ..." (check_completion).
  a.state = State::Cancelled;
  a.output = Value::dict({{"result", error}});
  a.accepted = true;
  a = tx_.action_executions().update(a).value();
  action_state_changed(a, State::Running);
  if (!a.task_execution_id) {
    settled_.push_back(a.id);
    return;
  }
  auto t = tx_.task_executions().find(*a.task_execution_id, ProjectScope::internal());
  if (!t || t->state != State::Running) return;
  auto wf_ex = tx_.workflow_executions().find(t->workflow_execution_id, ProjectScope::internal());
  if (!wf_ex) return;
  // A with-items task ends at its first cancelled item (Mistral's
  // is_with_items_completed), its other items' later results not taken.
  bool with_items = TaskContextView(t->runtime_context).has_with_items();
  complete_task(*wf_ex, *t, State::Cancelled,
                with_items ? std::optional<std::string>("One or more actions was cancelled.") : std::nullopt, Value());
}

Result<storage::ActionExecution> Step::complete_action_from_api(const std::string& id,
                                                                const executor::ActionResult& result,
                                                                const catalog::Caller& caller) {
  // Whichever node this request reached, the execution's changes go one
  // at a time (Transaction::lock_tree), and the action is read after that.
  tx_.lock_tree(storage::TreeOf::Action, id);
  auto a = tx_.action_executions().find_one({{"id", FilterOp::Eq, {id}}}, caller.lookup());
  if (!a) return not_found(fmt::format("ActionExecution not found [id={}]", id));
  if (a->state != State::Running) {
    return bad_input(fmt::format("The action execution {} is already {}: only a RUNNING action can be completed",
                                 id, a->state));
  }
  on_action_result(id, result, true);
  return tx_.action_executions().get(id, ProjectScope::internal());
}

Result<storage::ActionExecution> Step::update_action_from_api(const std::string& id, State to,
                                                              const catalog::Caller& caller) {
  tx_.lock_tree(storage::TreeOf::Action, id);
  auto a = tx_.action_executions().find_one({{"id", FilterOp::Eq, {id}}}, caller.lookup());
  if (!a) return not_found(fmt::format("ActionExecution not found [id={}]", id));
  // Mistral's Action.update: PAUSED only for an asynchronous action, and a
  // transition its state machine allows (RUNNING <-> PAUSED; the same state
  // changes nothing).
  if (to == State::Paused && a->is_sync != std::optional<bool>(false))
    return bad_input("Transition to the PAUSED state is only supported for asynchronous action execution.");
  if (a->state == to) return *a;
  bool valid = (a->state == State::Running && to == State::Paused) || (a->state == State::Paused && to == State::Running);
  if (!valid) return bad_input(fmt::format("Invalid state transition from {} to {}.", state_name(a->state), state_name(to)));
  State from = a->state;
  a->state = to;
  *a = tx_.action_executions().update(*a).value();
  action_state_changed(*a, from);
  if (!a->task_execution_id) return *a;
  // Mistral's task_handler._on_action_update: the task follows its action
  // (not back to RUNNING while another of its actions is paused), then the
  // workflow: paused with it, or resumed once no task of it is paused.
  auto t = tx_.task_executions().find(*a->task_execution_id, ProjectScope::internal());
  if (!t) return *a;
  auto wf_ex = tx_.workflow_executions().find(t->workflow_execution_id, ProjectScope::internal());
  if (!wf_ex) return *a;
  if (!is_completed(t->state) && t->state != to) {
    bool other_paused = to == State::Running &&
                        tx_.action_executions().any({{"task_execution_id", FilterOp::Eq, {t->id}},
                                                     {"state", FilterOp::Eq, {"PAUSED"}}},
                                                    ProjectScope::internal()).value();
    if (!other_paused) {
      State task_from = t->state;
      set_task_state(*t, to);
      *t = tx_.task_executions().update(*t).value();
      task_state_changed(*wf_ex, *t, task_from);
    }
  }
  if (to == State::Paused) {
    if (wf_ex->state == State::Running) {
      pause_execution(*wf_ex);
      pause_parent_of(*wf_ex);
    }
  } else if (wf_ex->state == State::Paused) {
    bool any_paused = tx_.task_executions().any({{"workflow_execution_id", FilterOp::Eq, {wf_ex->id}},
                                                 {"state", FilterOp::Eq, {"PAUSED"}}},
                                                ProjectScope::internal()).value();
    if (!any_paused) {
      auto resumed = resume_workflow(wf_ex->id, Value(), catalog::Caller::owner_of(*wf_ex));
      if (!resumed) return resumed.error();
    }
  }
  return tx_.action_executions().get(id, ProjectScope::internal());
}

void Step::force_fail_task(WorkflowExecution& wf_ex, TaskExecution& t, const std::string& error, bool keep_started) {
  // Mistral evaluates every item's input before it schedules any action, so
  // a failure there leaves no action behind: drop those this step created.
  if (!keep_started) {
    auto first = std::stable_partition(jobs_.begin(), jobs_.end(),
                                       [&](const ActionJob& j) { return j.context.task_execution_id != t.id; });
    for (auto it = first; it != jobs_.end(); ++it) (void)tx_.action_executions().remove(it->action_execution_id);
    jobs_.erase(first, jobs_.end());
  }
  fail_task_and_workflow(wf_ex, t,
                         fmt::format("Failed to run task [error={}, wf={}, task={}]:", error, wf_ex.name, t.name));
}

void Step::force_fail_transition(WorkflowExecution& wf_ex, TaskExecution& t, const std::string& error) {
  if (t.id == starting_task_id_) return force_fail_task(wf_ex, t, error);
  // Mistral publishes when the action completes, before wait-after holds the
  // task, but evaluates its transitions when task_handler.complete_task
  // ends the hold: a failure there has that function's words.
  if (t.id != completing_held_task_) return force_fail_completion(wf_ex, t, error);
  fail_task_and_workflow(wf_ex, t,
                         fmt::format("Failed to complete task [error={}, wf={}, task={}]:", error, wf_ex.name, t.name));
}

void Step::force_fail_completion(WorkflowExecution& wf_ex, TaskExecution& t, const std::string& error) {
  // Completed while it started: within Mistral's run_task.
  if (t.id == starting_task_id_) return force_fail_task(wf_ex, t, error);
  // Completed by task_handler.complete_task (a timeout).
  if (t.id == completing_held_task_) return force_fail_transition(wf_ex, t, error);
  auto spec = spec_of(wf_ex);
  const lang::TaskSpec* task = task_spec_of(*spec, t);
  std::string action;
  if (task) action = task->is_workflow_task() ? task->workflow : (task->action.empty() ? "std.noop" : task->action);
  fail_task_and_workflow(wf_ex, t,
                         fmt::format("Failed to handle action completion [error={}, wf={}, task={}, action={}]:",
                                     error, wf_ex.name, t.name, action));
}

void Step::fail_task_and_workflow(WorkflowExecution& wf_ex, TaskExecution& t, const std::string& msg) {
  State from = t.state;
  set_task_state(t, State::Error);
  t.state_info = msg;
  t.finished_at = now();
  t = tx_.task_executions().update(t).value();  // an end task: its inbound context reaches the output
  task_state_changed(wf_ex, t, from);
  // A compensation that cannot run stops the rollback (rollback.cpp); with
  // rollback-on-error, the failure rolls the execution back first.
  if (rolling_back(wf_ex)) return rollback_progress(wf_ex);
  // Mistral's force_fail_workflow leaves a paused execution paused
  // (Workflow._fail_workflow returns for it); the resume goes on from the
  // failed task.
  if (wf_ex.state == State::Paused) return;
  if (wf_ex.state == State::Running && spec_of(wf_ex)->rollback_on_error) return begin_rollback(wf_ex, msg);
  finish_workflow(wf_ex, State::Error, msg);
}

bool Step::policies_take_result(WorkflowExecution& wf_ex, TaskExecution& t, bool failed, const Value& result,
                                const std::optional<std::string>& state_info) {
  auto spec = spec_of(wf_ex);
  const lang::TaskSpec* task = task_spec_of(*spec, t);
  if (!task) return false;
  lang::PoliciesSpec p = policies_of(*spec, *task);
  // The policies see the task as Mistral's Task.complete has set it (its
  // state_info included) before they run: what their expressions' task()
  // answers is what the completion's publish gets too (expr::CallCache).
  std::optional<std::string> before = std::exchange(t.state_info, state_info);
  for (const TaskPolicy* policy : task_policies())
    if (policy->on_result(*this, wf_ex, t, *task, p, failed, result)) return true;
  t.state_info = std::move(before);
  return false;
}

void Step::complete_task(WorkflowExecution& wf_ex, TaskExecution& t, State state,
                         const std::optional<std::string>& state_info, const Value& result) {
  auto spec = spec_of(wf_ex);
  const lang::TaskSpec* task = task_spec_of(*spec, t);
  bool ended = state == State::Success || state == State::Error;
  lang::PoliciesSpec p = task ? policies_of(*spec, *task) : lang::PoliciesSpec{};
  if (ended && task)
    for (const TaskPolicy* policy : task_policies())
      if (policy->before_completion(*this, wf_ex, t, *task, p, state, state_info, result)) return;
  State from = t.state;
  set_task_state(t, state);
  t.state_info = state_info;
  t.finished_at = now();
  if (task && ended) {
    // Mistral's Task.complete: publish (with the state the action gave),
    // then the policies that may still turn a success into an error
    // (fail-on), then drop the result if keep-result is false.
    auto published = publish(wf_ex, t, *task, state, result);
    if (!published) return force_fail_completion(wf_ex, t, published.error().message);
    Value data = expression_data(wf_ex, t.in_context, &t);
    ExpressionScope scope = scope_of(wf_ex, &t, result);
    scope.task_state = Value(state_name(state));
    for (const TaskPolicy* policy : task_policies())
      if (auto changed = policy->after_publish(*this, wf_ex, t, p, data, scope); !changed)
        return force_fail_completion(wf_ex, t, changed.error().message);
    // Mistral tests the spec's value as written (`if not
    // task_spec.get_keep_result()`), never evaluating it: an expression is
    // a non-empty text, so the result is kept whatever it would say.
    if (drops_result(*task)) drop_result(t);
  }
  t = tx_.task_executions().update(t).value();
  if (state == State::Success && t.state == State::Error) {
    // fail-on turned the success into an error after publishing: Mistral
    // set SUCCESS first and told it (TASK_SUCCEEDED), then ERROR
    // (TASK_FAILED); its webhooks see both, so Bora's events say both.
    TaskExecution succeeded = t;
    succeeded.state = State::Success;
    succeeded.state_info = state_info;
    task_event(wf_ex, succeeded, from);
    task_state_changed(wf_ex, t, State::Success);
  } else {
    task_state_changed(wf_ex, t, from);
  }
  // A paused execution evaluates the transitions (Mistral's Task.complete
  // calls continue_workflow, which stops only for an ended execution: a
  // condition that fails fails the task) and holds them back until it is
  // resumed (processed stays false); an ended one takes late results and
  // no more.
  if (wf_ex.state == State::Paused && task && !rolling_back(wf_ex)) return schedule_next(wf_ex, *spec, t, false);
  if (is_completed(wf_ex.state) && !rolling_back(wf_ex)) {
    // Ended (forced to SUCCESS, failed, cancelled): Mistral's
    // continue_workflow gives no commands, so Task.complete stores no next
    // tasks, handles no error and marks the task processed.
    t.next_tasks = Value(List{});
    t.has_next_tasks = false;
    t.error_handled = false;
    t.processed = true;
    t = tx_.task_executions().update(t).value();
    return;
  }
  if (wf_ex.state != State::Running) return;
  if (task) schedule_next(wf_ex, *spec, t);
  check_completion(wf_ex);
}

bool Step::drops_result(const lang::TaskSpec& task) {
  return !task.keep_result.is_null() && !task.keep_result.truthy();
}

void Step::drop_result(const TaskExecution& t) {
  auto actions =
      tx_.action_executions().list({ProjectScope::internal(), {{"task_execution_id", FilterOp::Eq, {t.id}}}}).value();
  for (auto& a : actions) {
    a.output = Value(Dict{});
    tx_.action_executions().update(a).value();
  }
}

Step::MergedPublish Step::publish_of(const lang::TaskSpec& task, State state) {
  // Mistral's DirectWorkflowTaskSpec.get_publish(state): the task's publish
  // (or publish-on-error) as a branch, on-complete's `publish:` merged into
  // it, then that merged into the on-success/on-error clause's `publish:`,
  // which is what publishes. PublishSpec.merge calls merge_dicts(mine,
  // theirs) and drops its answer, so a part the receiving spec lacks is lost:
  // a clause publishing only `global:` loses the task's publish, and a
  // task's publish loses on-complete's `global:` (frozen from Mistral 15:
  // data_flow/clause_global_only_drops_publish_on_error).
  MergedPublish out;
  auto merge_into = [](MergedPublish& into, const Value& branch, const Value& global) {
    if (!branch.is_null() && !into.branch.is_null()) into.branch = merge_dicts(into.branch, branch);
    if (!global.is_null() && !into.global.is_null()) into.global = merge_dicts(into.global, global);
  };
  const expr::CompiledValue& own =
      state == State::Success ? task.publish : state == State::Error ? task.publish_on_error : task.publish_on_skip;
  if (!own.is_null()) {
    out.exists = true;
    out.branch = own;
  }
  if (task.on_complete && task.on_complete->publish) {
    const lang::PublishSpec& oc = *task.on_complete->publish;
    if (out.exists) {
      merge_into(out, oc.branch, oc.global);
    } else {
      out.exists = true;
      out.branch = oc.branch;
      out.global = oc.global;
    }
    out.merged = true;
  }
  const auto& clause = state == State::Success ? task.on_success : state == State::Error ? task.on_error : task.on_skip;
  if (clause && clause->publish) {
    MergedPublish c;
    c.exists = true;
    c.branch = clause->publish->branch;
    c.global = clause->publish->global;
    if (out.exists) merge_into(c, out.branch, out.global);
    c.merged = true;
    out = std::move(c);
  }
  return out;
}

Result<Value> Step::task_published_global(const std::string& task_execution_id) {
  auto t = tx_.task_executions().find(task_execution_id, ProjectScope::internal());
  if (!t || (t->state != State::Success && t->state != State::Error)) return Value();
  auto wf_ex = tx_.workflow_executions().find(t->workflow_execution_id, ProjectScope::internal());
  if (!wf_ex) return Value();
  auto spec = spec_of(*wf_ex);
  const lang::TaskSpec* task = spec ? task_spec_of(*spec, *t) : nullptr;
  if (!task) return Value();
  Value global = publish_of(*task, t->state).global;
  if (!global.is_dict() || global.size() == 0) return Value();
  // Mistral's context: the task, its inbound context, the env, the
  // execution's context (as it is now) and input.
  auto g = expr_.evaluate(global, expression_data(*wf_ex, t->in_context, &*t), scope_of(*wf_ex, &*t, Value()));
  if (!g) {
    log::warning("engine", "published_global of task {} not shown: {}", t->id, g.error().message);
    return Value();
  }
  return *g;
}

Result<void> Step::publish(WorkflowExecution& wf_ex, TaskExecution& t, const lang::TaskSpec& task,
                           State state, const Value& result) {
  // Branch goes into the task, global into the execution's context.
  const expr::CompiledValue& own =
      state == State::Success ? task.publish : state == State::Error ? task.publish_on_error : task.publish_on_skip;
  MergedPublish spec = publish_of(task, state);
  // Unless a clause's publish is merged in, the task's own compiled publish
  // is what gets evaluated; a merged one is built here, so compiled here
  // (through the evaluator's bounded cache).
  bool merged = spec.merged;
  Value branch = spec.branch.is_null() ? Value(Dict{}) : spec.branch;
  // Mistral publishes null (not {}) when the publish spec it ends with has
  // no branch (only `global:`).
  bool has_spec = spec.exists, has_branch = !spec.branch.is_null();
  Value global = spec.global.is_dict() ? spec.global : Value(Dict{});
  Value data = expression_data(wf_ex, t.in_context, &t);
  ExpressionScope scope = scope_of(wf_ex, &t, result);
  scope.task_state = Value(state_name(state));
  if (branch.is_dict() && branch.size() > 0) {
    auto published = merged ? expr_.evaluate(branch, data, scope) : expr_.evaluate(own, data, scope);
    if (!published) return published.error();
    if (auto too_large = field_size_error("published", *published, options_.execution_field_size_limit_kb))
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

}  // namespace bora::engine
