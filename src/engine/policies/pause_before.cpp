// engine/policies/pause_before: `pause-before: <bool or expression>`: the
// task waits IDLE and the workflow pauses before it starts; resuming the
// workflow starts it (mistral/engine/policies.py PauseBeforePolicy).
#include "policy.h"

namespace bora::engine {

const TaskPolicy& timeout_policy();  // registry.cpp

namespace {

class PauseBefore final : public TaskPolicy {
 public:
  bool before_start(Step& step, storage::WorkflowExecution& wf_ex, storage::TaskExecution& t,
                    const lang::TaskSpec& task, const lang::PoliciesSpec& p) const override {
    if (TaskContextView(t.runtime_context).pause_before_done()) return false;
    TaskContext(t.runtime_context).mark_pause_before_done();
    if (p.pause_before.is_null()) return false;
    auto pause = step.expr_.evaluate(p.pause_before, step.expression_data(wf_ex, t.in_context, &t),
                                     step.scope_of(wf_ex, &t, Value()));
    if (!pause) {
      step.force_fail_task(wf_ex, t, pause.error().message);
      return true;
    }
    if (!pause->truthy()) return false;
    // Mistral's _before_task_start asks every policy, the hold
    // notwithstanding: the timeout is armed now and runs during the pause
    // (the wait-before, seeing the task IDLE, does nothing).
    if (timeout_policy().before_start(step, wf_ex, t, task, p)) return true;
    // The task's IDLE is told no observer but the metric (no trace line;
    // no event: Mistral has none for it), as before the seam.
    set_task_state(t, State::Idle);
    t.state_info = "Set by 'pause-before' policy";
    t = step.tx_.task_executions().update(t).value();
    State before = wf_ex.state;
    wf_ex.state = State::Paused;
    wf_ex = step.tx_.workflow_executions().update(wf_ex).value();
    step.workflow_state_changed(wf_ex, before, Step::Tell::no_trace);  // no trace line, as before the seam
    step.settled_.push_back(wf_ex.id);
    // A sub-workflow that pauses itself pauses its parents (Mistral's
    // cascade up: its task and the parent workflow go PAUSED).
    if (wf_ex.task_execution_id) schedule_timer(step, kPauseParent, *wf_ex.task_execution_id, 0);
    return true;
  }
};

}  // namespace

const TaskPolicy& pause_before_policy() {
  static const PauseBefore policy;
  return policy;
}

}  // namespace bora::engine
