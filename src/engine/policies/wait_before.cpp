// engine/policies/wait_before: `wait-before: <seconds>`: the task waits
// DELAYED before its action starts (mistral/engine/policies.py
// WaitBeforePolicy); the engine's kStartDelayedTask timer starts it.
#include "policy.h"

#include <fmt/format.h>

#include <cmath>

#include "bora/core/python_format.h"

namespace bora::engine {

const TaskPolicy& timeout_policy();  // registry.cpp

namespace {

class WaitBefore final : public TaskPolicy {
 public:
  bool before_start(Step& step, storage::WorkflowExecution& wf_ex, storage::TaskExecution& t,
                    const lang::TaskSpec& task, const lang::PoliciesSpec& p) const override {
    if (TaskContextView(t.runtime_context).wait_before_done()) return false;
    auto wait = policy_seconds(step, wf_ex, t, p.wait_before, "wait-before");
    TaskContext(t.runtime_context).mark_wait_before_done();
    if (!wait) {
      step.complete_task(wf_ex, t, State::Error, wait.error().message, Value());
      return true;
    }
    if (!*wait || **wait <= 0) {
      t = step.tx_.task_executions().update(t).value();
      return false;
    }
    set_task_state(t, State::Delayed);
    // Mistral's words, its delay as Python prints the number.
    double seconds = **wait;
    Value shown = seconds == std::floor(seconds) && seconds < 1e15 ? Value(static_cast<int64_t>(seconds)) : Value(seconds);
    t.state_info = fmt::format("Delayed by 'wait-before' policy [delay={}]", python_str(shown));
    t = step.tx_.task_executions().update(t).value();
    step.task_state_changed(wf_ex, t, State::Running);
    schedule_timer(step, kStartDelayedTask, t.id, **wait);
    // Mistral's _before_task_start asks every policy, the hold
    // notwithstanding, in its order (wait-before, then the timeout): the
    // timeout is armed now, after the wait's timer, so one due at the same
    // time fires after the wait has started the action (timers due
    // together fire in the order they were made; policies/
    // timeout_due_with_wait_before_end).
    timeout_policy().before_start(step, wf_ex, t, task, p);
    return true;
  }
};

}  // namespace

const TaskPolicy& wait_before_policy() {
  static const WaitBefore policy;
  return policy;
}

}  // namespace bora::engine
