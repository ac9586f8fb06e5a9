// engine/cancellation: cancelling an execution as Mistral does
// (mistral/engine/workflow_handler.py stop_workflow with CANCELLED, and
// Workflow._cancel_workflow in mistral/engine/workflows.py): the
// sub-executions still running are cancelled with the same message, down
// the whole tree, their workflow tasks with them; the execution's other
// tasks and actions are left running, and the execution ends CANCELLED
// with the output {"result": <message>}. Bora's rollback (rollback.cpp) uses the
// same cascade for the work in flight when a rollback starts, and an
// execution cancelled while it rolls back (a sub-execution rolling back for
// its parent too) stops its compensations and says so in its state_info.
#include <fmt/format.h>

#include <set>

#include "step.h"

namespace bora::engine {

using storage::FilterOp;
using storage::TaskExecution;
using storage::WorkflowExecution;

namespace {

std::string cause_of_rollback(const WorkflowExecution& wf_ex) {
  const Value* rb = WorkflowContextView(wf_ex.runtime_context).rollback();
  const Value* cause = rb ? rb->find("cause") : nullptr;
  return cause && cause->is_string() ? cause->as_string() : "";
}

}  // namespace

void Step::cancel_open_tasks(WorkflowExecution& wf_ex) {
  auto open = tx_.task_executions()
                  .list({ProjectScope::internal(),
                         {{"workflow_execution_id", FilterOp::Eq, {wf_ex.id}},
                          {"state", FilterOp::In, {"RUNNING", "WAITING", "IDLE", "DELAYED", "PAUSED"}}}})
                  .value();
  for (auto& t : open) {
    auto actions = tx_.action_executions()
                       .list({ProjectScope::internal(),
                              {{"task_execution_id", FilterOp::Eq, {t.id}}, {"state", FilterOp::Eq, {"RUNNING"}}}})
                       .value();
    for (auto& a : actions) {
      a.state = State::Cancelled;
      tx_.action_executions().update(a).value();
      stopped_actions_.push_back(a.id);
      action_state_changed(a, State::Running);
    }
    State from = t.state;
    set_task_state(t, State::Cancelled);
    t.finished_at = now();
    t = tx_.task_executions().update(t).value();
    task_state_changed(wf_ex, t, from);
  }
}

void Step::cancel_subexecutions(WorkflowExecution& wf_ex, const std::optional<std::string>& message) {
  // Every workflow task of the execution, whatever its state: a rollback's
  // compensation of a workflow task (rollback_of) rolls back a
  // sub-execution whose own workflow task succeeded long ago.
  auto tasks = tx_.task_executions()
                   .list({ProjectScope::internal(),
                          {{"workflow_execution_id", FilterOp::Eq, {wf_ex.id}}, {"type", FilterOp::Eq, {"WORKFLOW"}}},
                          {{"created_at", false}}})
                   .value();
  std::set<std::string> done;
  for (const auto& t : tasks) {
    if (TaskContextView(t.runtime_context).rollback_of()) continue;  // not its own sub
    auto subs = tx_.workflow_executions()
                    .list({ProjectScope::internal(),
                           {{"task_execution_id", FilterOp::Eq, {t.id}}, {"state", FilterOp::In, {"RUNNING", "PAUSED", "IDLE"}}},
                           {{"created_at", false}}})
                    .value();
    for (auto& sub : subs) {
      if (!done.insert(sub.id).second) continue;
      cancel_execution(sub, message);
      // The task waiting for it: its workflow task, or the compensation
      // rolling it back. Mistral's _send_result_to_parent_workflow: the
      // sub's message, else "Cancelled subworkflow [execution_id=...]".
      std::string info = sub.state_info.value_or(fmt::format("Cancelled subworkflow [execution_id={}]", sub.id));
      for (auto waiting : tx_.task_executions()
                              .list({ProjectScope::internal(),
                                     {{"workflow_execution_id", FilterOp::Eq, {wf_ex.id}},
                                      {"type", FilterOp::Eq, {"WORKFLOW"}},
                                      {"state", FilterOp::In, {"RUNNING", "WAITING", "IDLE", "DELAYED", "PAUSED"}}}})
                              .value()) {
        auto of = TaskContextView(waiting.runtime_context).rollback_of();
        bool waits = of ? *of == sub.id : waiting.id == t.id;
        if (!waits) continue;
        // A with-items workflow task waits for its other items too: they
        // are cancelled in this same loop; the task ends with the first.
        State from = waiting.state;
        set_task_state(waiting, State::Cancelled);
        // Mistral's with-items completion words for a cancelled item.
        waiting.state_info = !of && TaskContextView(waiting.runtime_context).has_with_items()
                                 ? std::string("One or more actions was cancelled.")
                                 : info;
        waiting.finished_at = now();
        waiting = tx_.task_executions().update(waiting).value();
        task_state_changed(wf_ex, waiting, from);
      }
    }
  }
}

void Step::cancel_execution(WorkflowExecution& wf_ex, const std::optional<std::string>& message) {
  if (wf_ex.state != State::Running && wf_ex.state != State::Paused && wf_ex.state != State::Idle) return;
  std::optional<std::string> info = message;
  if (rolling_back(wf_ex)) {
    // Its compensations stop; the plan stays (a rollback called again on
    // the root resumes it where it stopped).
    info = fmt::format("Rollback cancelled{}. The execution was rolling back after: {}",
                       message ? ": " + *message : std::string(), cause_of_rollback(wf_ex));
  }
  cancel_subexecutions(wf_ex, message);
  // Mistral's _cancel_workflow ends the execution and leaves its own
  // running tasks and actions alone: a result that arrives later completes
  // its task (publish included) and nothing runs after it; a task waiting
  // (wait-before) stays DELAYED (cases lifecycle/cancel_*, frozen from
  // Mistral). Only Bora's rollback stops its compensations in flight.
  if (rolling_back(wf_ex)) cancel_open_tasks(wf_ex);
  State from = wf_ex.state;
  wf_ex.state = State::Cancelled;
  wf_ex.state_info = info;
  // Mistral's _cancel_workflow: the output is only the message. A
  // sub-execution rolling back for its parent keeps its output: it is the
  // result of the parent's workflow task, which did succeed.
  const Value* rb = WorkflowContextView(wf_ex.runtime_context).rollback();
  bool for_parent = rb && rb->find("report_to") && rb->find("report_to")->is_string();
  if (!for_parent) wf_ex.output = Value::dict({{"result", info ? Value(*info) : Value()}});
  // Mistral's Workflow.set_state: accepted whenever the state is a
  // completed one, CANCELLED included (a rolled-back sub-execution is no
  // longer its task's result: rollback.cpp).
  if (!for_parent) wf_ex.accepted = true;
  wf_ex = tx_.workflow_executions().update(wf_ex).value();
  workflow_state_changed(wf_ex, from);
  settled_.push_back(wf_ex.id);
  specs_.erase(wf_ex.id);  // completed: its spec is no longer needed often
}

}  // namespace bora::engine
