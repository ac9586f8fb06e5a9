// engine/state_changes: the one place a state change of a workflow, task or
// action execution is told to whoever observes it. Three observers hang on
// it today: the metrics (engine_metrics.cpp), the workflow trace log and
// the spans (tracing.cpp) and Mistral's durable events (event_log.cpp). A
// new observer of state changes goes here, and every runner that stores a
// new state already reaches it; the runners never call an observer
// themselves.
#include "step.h"

namespace bora::engine {

using storage::ActionExecution;
using storage::TaskExecution;
using storage::WorkflowExecution;

namespace {

bool workflow_ended(State state) {
  return state == State::Success || state == State::Error || state == State::Cancelled;
}

}  // namespace

void set_task_state(TaskExecution& t, State state) {
  if (t.state != state) count_task_transition(state_name(t.state), state_name(state));
  t.state = state;
}

void Step::workflow_state_changed(const WorkflowExecution& wf_ex, std::optional<State> from, Tell tell) {
  // Counted as stored: inside the batch's transaction the counts wait for
  // its commit (engine_metrics.h).
  if (!from)
    count_execution_started(wf_ex);
  else if (workflow_ended(wf_ex.state))
    count_execution_finished(wf_ex);
  if (tell != Tell::no_trace) traced(wf_ex, from);
  if (tell != Tell::no_event) workflow_event(wf_ex, from);
}

void Step::task_state_changed(const WorkflowExecution& wf_ex, const TaskExecution& t, std::optional<State> from,
                              Tell tell) {
  // The task's metric was counted by set_task_state, where the state was set.
  if (!from) mistral_tx_.created_tasks.insert(t.id);
  if (tell != Tell::no_trace) traced(wf_ex, t, from);
  if (tell != Tell::no_event) task_event(wf_ex, t, from);
}

void Step::action_state_changed(const ActionExecution& a, std::optional<State> from) {
  // An action execution has no event in Mistral and no metric here (the
  // executor counts actions): its trace line and span only.
  traced(a, from);
}

}  // namespace bora::engine
