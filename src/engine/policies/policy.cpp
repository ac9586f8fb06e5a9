// engine/policies/policy: what the policies share: their spec over the
// task-defaults, seconds from a policy's value, the durable timers, and the
// engine loop's firing of those that are due.
#include "policy.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

#include "bora/core/python_format.h"

namespace bora::engine {

using storage::DelayedCall;
using storage::TaskExecution;
using storage::WorkflowExecution;

const char* const kStartDelayedTask = "run_task_action";
const char* const kContinueWithItems = "continue_with_items";
const char* const kPauseParent = "pause_parent";

lang::PoliciesSpec policies_of(const lang::WorkflowSpec& spec, const lang::TaskSpec& task) {
  // A compensation's policies had the task-defaults applied when parsed.
  if (!task.compensates.empty()) return task.policies;
  if (spec.task_defaults) return lang::merge_policies(task.policies, spec.task_defaults->policies);
  return task.policies;
}

Result<std::optional<double>> policy_seconds(Step& step, const WorkflowExecution& wf_ex, const TaskExecution& t,
                                             const expr::CompiledValue& v, const char* name) {
  if (v.is_null()) return std::optional<double>();
  auto r = step.expr_.evaluate(v, step.expression_data(wf_ex, t.in_context, &t), step.scope_of(wf_ex, &t, Value()));
  if (!r) return bad_input(fmt::format("Failed to evaluate {}: {}", name, r.error().message));
  if (r->is_null()) return std::optional<double>();
  if (!r->is_int() && !r->is_double())
    return bad_input(fmt::format("{} must be a number of seconds, got {}", name, python_repr(*r)));
  double s = r->is_int() ? static_cast<double>(r->as_int()) : r->as_double();
  if (s < 0) return bad_input(fmt::format("{} must not be negative, got {}", name, python_repr(*r)));
  return std::optional<double>(s);
}

void schedule_timer(Step& step, const std::string& target, const std::string& task_execution_id, double seconds) {
  DelayedCall c;
  c.target = target;
  c.arguments = Value::dict({{"task_execution_id", Value(task_execution_id)}});
  c.key = target + ":" + task_execution_id;
  c.execution_time = step.now() + std::chrono::microseconds(std::llround(seconds * 1e6));
  const auto& cluster = step.options_.cluster;
  if (target == kContinueWithItems && cluster.register_node && step.tx_.shared_by_nodes()) {
    // Several nodes: the next items of a with-items task are started by the
    // node that started the last ones, for a heartbeat interval (then by any
    // node, as when it died). Each batch locks the task's tree and, on the
    // node that ran the last one, finds its items in the engine's cache;
    // nodes taking turns waited on that lock and evaluated the items again
    // (docs/STORAGE.md, items10000 on 2 and 3 nodes).
    c.owner = DelayedCall::reserved_for(cluster.node_id);
    c.claim_expires_at = c.execution_time + std::chrono::duration_cast<std::chrono::microseconds>(
                                                 cluster.heartbeat_interval);
  }
  step.tx_.delayed_calls().create(c).value();
  if (!step.earliest_timer_ || c.execution_time < *step.earliest_timer_) step.earliest_timer_ = c.execution_time;
}

namespace {

// A DELAYED task, or one a timeout failed while it was (in Mistral the only
// way a task ends while it waits; Bora's crash-loop guard, which fails
// tasks too, drops their wait timers: recovery.cpp).
bool continues_when_delay_ends(State s) { return s == State::Delayed || s == State::Error; }

// kStartDelayedTask: the wait (or the retry's delay) is over. Mistral's
// continue_task sets the task RUNNING whatever its state, so a task that a
// timeout failed while it waited starts its action all the same, and is left
// RUNNING (policies/timeout_due_with_wait_before_end).
void start_delayed_task(Step& step, WorkflowExecution& wf_ex, TaskExecution& t, const lang::TaskSpec& task) {
  if (!continues_when_delay_ends(t.state)) return;
  State from = t.state;
  set_task_state(t, State::Running);
  t.state_info.reset();  // Mistral's continue_task: set_state(RUNNING, None)
  t = step.tx_.task_executions().update(t).value();
  step.task_state_changed(wf_ex, t, from);  // Mistral: RUNNING_DELAYED -> RUNNING is TASK_LAUNCHED again
  step.start_action(wf_ex, t, task);
}

// The handler of a stored timer's target; null for a target no one arms
// any more (the call is dropped).
decltype(PolicyTimer::fire) timer_handler(const std::string& target) {
  if (target == kStartDelayedTask) return start_delayed_task;
  if (target == kContinueWithItems) {
    return [](Step& step, WorkflowExecution& wf_ex, TaskExecution& t, const lang::TaskSpec& task) {
      step.continue_with_items(wf_ex, t, task);
    };
  }
  if (target == kPauseParent) {
    // t: the workflow task whose sub-workflow paused itself.
    return [](Step& step, WorkflowExecution&, TaskExecution& t, const lang::TaskSpec&) {
      if (t.state != State::Running) return;
      auto paused = step.tx_.workflow_executions()
                        .list({ProjectScope::internal(),
                               {{"task_execution_id", storage::FilterOp::Eq, {t.id}},
                                {"state", storage::FilterOp::Eq, {"PAUSED"}}},
                               {{"created_at", false}},
                               std::nullopt,
                               1})
                        .value();
      if (!paused.empty()) step.pause_parent_of(paused.front());
    };
  }
  for (const TaskPolicy* policy : task_policies())
    for (const PolicyTimer& timer : policy->timers())
      if (target == timer.target) return timer.fire;
  return nullptr;
}

bool fires_after_end(const std::string& target) {
  for (const TaskPolicy* policy : task_policies())
    for (const PolicyTimer& timer : policy->timers())
      if (target == timer.target) return timer.after_end;
  return false;
}

}  // namespace

size_t Step::fire_due_calls(Timestamp now, const std::string& owner, TimerUnits* units) {
  auto skip = [units](const std::string& id) { return units && units->waiting("call:" + id); };
  auto due = tx_.claim_delayed_calls(now, owner, std::chrono::minutes(5), 256, skip);
  for (const auto& call : due) {
    auto fire = [&] {
      tx_.delayed_calls().remove(call.id).value();
      std::string task_id = call.arguments["task_execution_id"].is_string()
                                ? call.arguments["task_execution_id"].as_string()
                                : "";
      // The claim makes this node the one that fires the call; the lock
      // serializes what it does with the other nodes' changes of the same
      // execution (a pause, an action's result).
      tx_.lock_tree(storage::TreeOf::Task, task_id);
      auto t = tx_.task_executions().find(task_id, ProjectScope::internal());
      if (!t) return;
      auto wf_ex = tx_.workflow_executions().find(t->workflow_execution_id, ProjectScope::internal());
      if (!wf_ex) return;
      if (wf_ex->state != State::Running && wf_ex->state != State::Paused) {
        // An execution stopped (cancelled, failed or succeeded through the
        // API) leaves its tasks as they are, as Mistral's stop_workflow
        // does, and a DELAYED task whose time comes still starts (Mistral's
        // continue_task does not look at the workflow): a retry runs the
        // task again, a wait-before starts its action or sub-workflow; its
        // result then completes the task, and nothing runs after it. Frozen
        // from Mistral 15 (lifecycle/cancel_during_retry_delay,
        // cancel_during_wait_before, fail_during_wait_before,
        // fail_during_wait_before_subworkflow). (An invalid action input
        // met when a wait ends leaves Mistral's task DELAYED for ever, its
        // delayed call failing outside continue_task's handler; Bora fails
        // the task as Mistral does without a wait: wait_before_invalid_input.)
        // A wait-after's hold ends too: Mistral's task_handler.complete_task
        // completes the task (policies/wait_after_completes_after_workflow_failed).
        // A timeout fails a task still running (Mistral's
        // _fail_task_if_incomplete: policies/timeout_after_workflow_*).
        bool delayed = (call.target == kStartDelayedTask && continues_when_delay_ends(t->state)) ||
                       (call.target == kCompleteHeldTask && t->state == State::Delayed);
        // A sub-workflow that paused itself reaches its ended parent too
        // (Mistral's _on_action_update: the parent refuses the pause).
        if (!delayed && call.target != kPauseParent && !fires_after_end(call.target)) return;
      }
      auto spec = spec_of(*wf_ex);
      const lang::TaskSpec* task = task_spec_of(*spec, *t);
      if (!task) return;
      // Test hook (BORA_TEST_CRASH_ON_TASK): the process dies while firing
      // this task's timer, inside the transaction, as a crashing expression
      // would (test_recovery_crash_loop.py).
      if (!options_.test_crash_on_task.empty() && t->name == options_.test_crash_on_task) std::abort();
      if (auto handler = timer_handler(call.target)) handler(*this, *wf_ex, *t, *task);
    };
    auto unit = [&] {
      new_transaction();  // each timer is one of Mistral's transactions
      fire();
      report_ended_subworkflows();
    };
    if (units) units->apply("call:" + call.id, unit);
    else unit();
  }
  return due.size();
}

}  // namespace bora::engine
