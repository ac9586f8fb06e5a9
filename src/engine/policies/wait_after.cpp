// engine/policies/wait_after: `wait-after: <seconds>`: a task that ended
// waits DELAYED before it completes (mistral/engine/policies.py
// WaitAfterPolicy); what it ended with is held in its runtime_context until
// the timer completes it.
#include "policy.h"

namespace bora::engine {

namespace {

const char* const kCompleteTask = "complete_task";

void complete_held_task(Step& step, storage::WorkflowExecution& wf_ex, storage::TaskExecution& t,
                        const lang::TaskSpec&) {
  if (t.state != State::Delayed) return;
  const Value held = t.runtime_context["wait_after"];  // a copy: t is reassigned below
  std::optional<std::string> info;
  if (held["state_info"].is_string()) info = held["state_info"].as_string();
  State state = held["state"].is_string() ? parse_state(held["state"].as_string()).value_or(State::Error) : State::Error;
  Value result = held["result"];
  set_task_state(t, State::Running);
  t.runtime_context = t.runtime_context.with("wait_after_done", Value(true));
  t = step.tx_.task_executions().update(t).value();
  // The hold's DELAYED -> RUNNING is Bora's own hop before the held
  // completion (Mistral completes the RUNNING_DELAYED task directly): no
  // TASK_LAUNCHED for it.
  step.task_state_changed(wf_ex, t, State::Delayed, Step::Tell::no_event);
  step.complete_task(wf_ex, t, state, info, result);
}

class WaitAfter final : public TaskPolicy {
 public:
  bool before_completion(Step& step, storage::WorkflowExecution& wf_ex, storage::TaskExecution& t,
                         const lang::TaskSpec&, const lang::PoliciesSpec& p, State state,
                         const std::optional<std::string>& state_info, const Value& result) const override {
    if (t.runtime_context.find("wait_after_done")) return false;
    auto wait = policy_seconds(step, wf_ex, t, p.wait_after, "wait-after");
    if (!wait || !*wait || **wait <= 0) return false;  // a bad value does not hold the task
    t.runtime_context = t.runtime_context.with(
        "wait_after", Value::dict({{"state", Value(state_name(state))},
                                   {"state_info", state_info ? Value(*state_info) : Value()},
                                   {"result", result}}));
    set_task_state(t, State::Delayed);
    t = step.tx_.task_executions().update(t).value();
    step.task_state_changed(wf_ex, t, State::Running);
    schedule_timer(step, kCompleteTask, t.id, **wait);
    return true;
  }
  std::vector<PolicyTimer> timers() const override { return {{kCompleteTask, complete_held_task}}; }
};

}  // namespace

const TaskPolicy& wait_after_policy() {
  static const WaitAfter policy;
  return policy;
}

}  // namespace bora::engine
