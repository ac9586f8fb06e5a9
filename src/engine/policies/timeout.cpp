// engine/policies/timeout: `timeout: <seconds>`: armed when the task first
// starts and again when a retry starts it anew; when it fires, what still
// runs is failed (mistral/engine/policies.py TimeoutPolicy, and the
// executor's per-action timeout).
#include <fmt/format.h>

#include <cmath>

#include "bora/core/python_format.h"
#include "bora/engine/task_result.h"
#include "bora/executor/action_timeout.h"
#include "bora/executor/dynamic_action.h"
#include "bora/executor/executor.h"
#include "policy.h"

namespace bora::engine {

namespace {

using storage::FilterOp;

const char* const kTimeout = "task_timeout";

void time_out(Step& step, storage::WorkflowExecution& wf_ex_in, storage::TaskExecution& t_in, const lang::TaskSpec&) {
  auto& tx = step.tx_;
  // Any state not ended (Mistral's is_completed), a task held IDLE by
  // pause-before included.
  auto open = [](State s) { return s == State::Running || s == State::Delayed || s == State::Idle; };
  if (!open(t_in.state)) return;
  // A timer of an earlier attempt (a retry armed a later one): stale.
  if (auto due = TaskContextView(t_in.runtime_context).timeout_due();
      due && step.now().time_since_epoch().count() < *due)
    return;
  // Mistral's executor runs a synchronous action under the same timeout
  // (eventlet's Timeout, whose text is "1 second" / "N seconds"), so the
  // action fails first and the task takes that error as usual (retry
  // applies). What is still open after that (an async action, a
  // sub-workflow, items not started) is failed by the timeout policy.
  // A copy, not a reference: the task is read again below.
  const Value seconds = TaskContextView(t_in.runtime_context).timeout_shown();
  std::string eventlet_text = executor::eventlet_timeout_text(seconds);
  std::string task_id = t_in.id;
  std::string wf_ex_id = wf_ex_in.id;
  auto actions = tx.action_executions()
                     .list({ProjectScope::internal(),
                            {{"task_execution_id", FilterOp::Eq, {task_id}}, {"state", FilterOp::Eq, {"RUNNING"}}}})
                     .value();
  for (auto& a : actions) {
    step.stopped_actions_.push_back(a.id);
    const Value* base = a.spec.is_dict() ? a.spec.find("base") : nullptr;
    std::optional<executor::ActionDescriptor> d;
    if (base && base->is_string()) {
      d = executor::descriptor_of(base->as_string(), false);
      if (!d && a.spec["dynamic"].truthy()) d = executor::descriptor_of(base->as_string(), true);
    }
    if (a.is_sync != std::optional<bool>(false) && d) {
      step.on_action_result(a.id, executor::ActionResult::failure(
                                      Value(executor::raised_message(*d, a.id, eventlet_text,
                                                                     a.name != base->as_string()))));
      continue;
    }
    // An asynchronous action is left RUNNING, as Mistral leaves it: the
    // task fails alone (its failure message lists no action), and a result
    // sent later finds the task ended.
  }
  auto t = tx.task_executions().find(task_id, ProjectScope::internal());
  if (!t || !open(t->state)) return;
  if (!actions.empty() && TaskContextView(t->runtime_context).retry_no() && t->state == State::Delayed)
    return;  // retrying
  // Mistral's TimeoutPolicy arms its scheduler job once, at the task's
  // first start: an attempt the retry policy started has only the
  // executor's per-action timeout (above), and what it leaves open (an
  // asynchronous action) runs on.
  if (TaskContextView(t->runtime_context).timeout_attempt() > 0) return;
  // Whatever the workflow's state (Mistral's _fail_task_if_incomplete
  // reads only the task's): paused, the task ends and its transitions wait
  // for the resume; ended, nothing runs after it.
  auto wf_ex = tx.workflow_executions().find(wf_ex_id, ProjectScope::internal());
  if (!wf_ex) return;
  // _fail_task_if_incomplete completes the task in ERROR as any failure
  // does (task_handler.complete_task): its retry policy applies.
  std::string why = fmt::format("Task timed out [timeout(s)={}].", python_str(seconds));
  // Through task_handler.complete_task: its failures are "Failed to
  // complete task [...]".
  Step::CompletingThroughHandler through(step, t->id);
  if (step.policies_take_result(*wf_ex, *t, true, task_execution_result(tx, *t), why)) return;
  step.complete_task(*wf_ex, *t, State::Error, why, Value());
}

class Timeout final : public TaskPolicy {
 public:
  bool before_start(Step& step, storage::WorkflowExecution& wf_ex, storage::TaskExecution& t, const lang::TaskSpec&,
                    const lang::PoliciesSpec& p) const override {
    TaskContextView view(t.runtime_context);
    // Once per attempt. Mistral's executor runs every action it is sent
    // under the task's timeout (eventlet's Timeout), so an attempt started
    // by the retry policy has the whole timeout again: without a new timer
    // a retried std.sleep ran to its end. (Mistral's own scheduler job, armed
    // once, races the executor's timeout and can count a timed-out attempt
    // twice against `retry: count`; that race is not reproduced:
    // policies/timeout_each_retry_attempt.)
    int64_t attempt = view.retry_no().value_or(0);
    if (view.timeout_armed() && (attempt <= view.timeout_attempt() || view.timeout_shown().is_null())) return false;
    auto timeout = policy_seconds(step, wf_ex, t, p.timeout, "timeout");
    std::optional<Value> shown;  // the seconds, when a timer is armed
    std::optional<int64_t> due;
    if (timeout && *timeout && **timeout > 0) {
      schedule_timer(step, kTimeout, t.id, **timeout);
      double s = **timeout;
      shown = std::floor(s) == s ? Value(static_cast<int64_t>(s)) : Value(s);
      due = step.now().time_since_epoch().count() + static_cast<int64_t>(s * 1e6);
    }
    TaskContext(t.runtime_context).arm_timeout(shown, attempt, due);
    t = step.tx_.task_executions().update(t).value();
    if (!timeout) {
      step.complete_task(wf_ex, t, State::Error, timeout.error().message, Value());
      return true;
    }
    return false;
  }
  std::vector<PolicyTimer> timers() const override { return {{kTimeout, time_out, true}}; }
};

}  // namespace

const TaskPolicy& timeout_policy() {
  static const Timeout policy;
  return policy;
}

}  // namespace bora::engine
