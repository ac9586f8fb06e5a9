// engine/rerun: a failed task run again (all of it, or a with-items task's
// failed items) or skipped, and the parents of a sub-workflow reopened so
// that its new end reaches them (mistral/engine/workflow_handler.py
// rerun_workflow, skip_tasks).
#include <fmt/format.h>

#include <set>

#include "bora/engine/task_result.h"
#include "bora/engine/runtime_context.h"
#include "step.h"

namespace bora::engine {

using storage::ActionExecution;
using storage::FilterOp;
using storage::TaskExecution;
using storage::WorkflowExecution;

Result<TaskExecution> Step::rerun_task(const std::string& task_execution_id, bool reset, const Value& env,
                                      const catalog::Caller& caller, bool skip) {
  auto found = tx_.task_executions().find_one({{"id", FilterOp::Eq, {task_execution_id}}}, caller.lookup());
  if (!found) return not_found(fmt::format("Task execution not found [id={}]", task_execution_id));
  TaskExecution t = std::move(*found);
  if (is_compensation(t))
    return bad_input("Task execution " + t.id + " is a compensation: roll the execution back again to run it "
                     "again (POST /v2/executions/{id}/rollback)");
  if (t.state != State::Error) {
    // Bora's skip is no state Mistral takes: its refusal of the state comes
    // first there, so a skip of a task not in ERROR is answered so.
    if (skip)
      return bad_input(fmt::format("Invalid task state. Only updating task to rerun is supported. (Bora skips a "
                                   "failed task only; this one is {}.)",
                                   state_name(t.state)));
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
  // Mistral's Workflow.rerun merges the env through
  // update_workflow_execution_env (env_may_change): refused for an
  // execution that succeeded after handling the error, and nothing runs.
  if (env.truthy() && !env_may_change(wf_ex.state)) return Error{ErrorKind::Forbidden, kEnvChangeRefused};
  // Then its set_state(RUNNING), which its state machine refuses for an
  // execution that succeeded (the failed task's error was handled): 400.
  if (!is_valid_transition(wf_ex.state, State::Running)) return refused_transition(wf_ex, State::Running);

  // The execution runs again (Mistral's rerun_workflow).
  State wf_before = wf_ex.state;
  wf_ex.state = State::Running;
  wf_ex.state_info.reset();
  merge_env(wf_ex, env);
  wf_ex = tx_.workflow_executions().update(wf_ex).value();
  environment_changed(wf_ex);
  workflow_state_changed(wf_ex, wf_before, Tell::no_trace);  // no trace line, as before the seam
  settled_.push_back(wf_ex.id);
  reopen_parents(wf_ex);
  if (skip) {
    // Mistral's skip_tasks: the task completes SKIPPED, publishes
    // publish-on-skip and the workflow follows on-skip (or on-success).
    set_task_state(t, State::Skipped);
    t.state_info = "Task was skipped.";
    t.error_handled = false;
    t.finished_at = now();
    auto published = publish(wf_ex, t, *task, State::Skipped, task_execution_result(tx_, t));
    if (!published) {
      force_fail_completion(wf_ex, t, published.error().message);
      return tx_.task_executions().get(t.id, ProjectScope::internal());
    }
    t = tx_.task_executions().update(t).value();
    task_state_changed(wf_ex, t, State::Error, Tell::no_trace);
    schedule_next(wf_ex, *spec, t);
    check_completion(wf_ex);
    return tx_.task_executions().get(t.id, ProjectScope::internal());
  }

  auto actions =
      tx_.action_executions().list({ProjectScope::internal(), {{"task_execution_id", FilterOp::Eq, {t.id}}}}).value();
  std::set<int64_t> succeeded, still_running;
  for (auto& a : actions) {
    int64_t index = ItemContextView(a.runtime_context).index().value_or(-1);
    if (a.state == State::Running) {
      if (!reset && index >= 0) {
        still_running.insert(index);  // its result will count when it comes
        continue;
      }
      a.state = State::Cancelled;  // a late result of the old attempt is ignored
      stopped_actions_.push_back(a.id);
    } else if (!reset && a.state == State::Success && index >= 0) {
      succeeded.insert(index);
      continue;
    }
    a.accepted = false;
    tx_.action_executions().update(a).value();
  }
  // A workflow task's sub-workflow executions count as its actions do
  // (Mistral's _reset_actions works on task_ex.executions, both kinds):
  // without reset the items whose sub-workflow succeeded keep it, and the
  // failed ones are no longer accepted (their outputs leave the task's
  // result); with reset none is accepted any more.
  if (t.type == "WORKFLOW") {
    auto subs = tx_.workflow_executions()
                    .list({ProjectScope::internal(), {{"task_execution_id", FilterOp::Eq, {t.id}}}})
                    .value();
    for (auto& sub : subs) {
      int64_t index = WorkflowContextView(sub.runtime_context).index().value_or(-1);
      if (!is_completed(sub.state)) {
        // Still going (a paused item): its end counts when it comes.
        if (!reset && index >= 0) still_running.insert(index);
        continue;
      }
      if (!reset && sub.state == State::Success && index >= 0) {
        succeeded.insert(index);
        continue;
      }
      if (!sub.accepted) continue;
      sub.accepted = false;
      tx_.workflow_executions().update(sub).value();
    }
  }
  // How many times the task was rerun (mistral-lib's
  // ExecutionContext.task_rerun_no, given to its actions), kept across the
  // reset below; only a rerun task has it.
  const int64_t rerun_no = TaskContextView(t.runtime_context).rerun_no() + 1;
  set_task_state(t, State::Running);
  t.state_info.reset();
  t.finished_at.reset();
  t.published = Value(Dict{});
  t.processed = false;
  t.has_next_tasks = false;
  t.next_tasks = Value(List{});
  t.error_handled = false;
  if (reset || !TaskContextView(t.runtime_context).has_with_items()) {
    TaskContext rc(t.runtime_context);
    rc.clear();
    rc.set_rerun_no(rerun_no);
    t = tx_.task_executions().update(t).value();
    task_state_changed(wf_ex, t, State::Error, Tell::no_trace);
    start_action(wf_ex, t, *task);
    return tx_.task_executions().get(t.id, ProjectScope::internal());
  }
  // Only the items without a successful result run again.
  auto lists = with_items_lists(wf_ex, t, *task);
  if (!lists) {
    t = tx_.task_executions().update(t).value();
    task_state_changed(wf_ex, t, State::Error, Tell::no_trace);
    complete_task(wf_ex, t, State::Error, lists.error().message, Value());
    return tx_.task_executions().get(t.id, ProjectScope::internal());
  }
  int64_t count = static_cast<int64_t>((*lists)->empty() ? 0 : (*lists)->front().second.size());
  WithItemsProgress progress = TaskContextView(t.runtime_context).with_items();
  progress.count = count;
  progress.next = count;
  // Ended items are those that succeeded (and are still in the list).
  progress.done = static_cast<int64_t>(std::distance(succeeded.begin(), succeeded.lower_bound(count)));
  progress.failed = false;
  // The items to start again, started as the first run's are: at most the
  // concurrency at once (Mistral's capacity), at most [engine]
  // with_items_batch in this transaction, the rest by later ones.
  std::vector<int64_t> again;
  for (int64_t i = 0; i < count; ++i) {
    if (!succeeded.count(i) && !still_running.count(i)) again.push_back(i);
  }
  progress.rerun = WithItemsProgress::ranges_of(again);
  {
    TaskContext rc(t.runtime_context);
    rc.set_with_items(progress);
    rc.set_rerun_no(rerun_no);
  }
  t = tx_.task_executions().update(t).value();
  task_state_changed(wf_ex, t, State::Error, Tell::no_trace);
  // Ends the task at once when nothing runs again (every item had
  // succeeded: Mistral's empty input_dicts complete it SUCCESS).
  starting_rerun_items_ = true;
  settle_with_items(wf_ex, t, progress);
  starting_rerun_items_ = false;
  return tx_.task_executions().get(t.id, ProjectScope::internal());
}

void Step::reopen_parents(const WorkflowExecution& sub) {
  // Mistral's rerun of a task inside a sub-workflow: the tasks that started
  // it, and their executions, run again up to the root, so that the
  // sub-workflow's new end reaches them.
  std::optional<std::string> task_id = sub.task_execution_id;
  for (int depth = 0; task_id && depth < 100; ++depth) {
    auto t = tx_.task_executions().find(*task_id, ProjectScope::internal());
    if (!t || t->state != State::Error) return;
    t->state = State::Running;
    t->state_info.reset();
    t->finished_at.reset();
    t->processed = false;
    t->has_next_tasks = false;
    t->next_tasks = Value(List{});
    t->error_handled = false;
    if (TaskContextView(t->runtime_context).has_with_items()) {
      // This item ends again later: it no longer counts as ended or failed.
      WithItemsProgress progress = TaskContextView(t->runtime_context).with_items();
      progress.done = std::max<int64_t>(0, progress.done - 1);
      progress.failed = false;
      TaskContext(t->runtime_context).set_with_items(progress);
    }
    *t = tx_.task_executions().update(*t).value();
    auto parent = tx_.workflow_executions().find(t->workflow_execution_id, ProjectScope::internal());
    if (!parent) return;
    if (parent->state == State::Error) {
      parent->state = State::Running;
      parent->state_info.reset();
      *parent = tx_.workflow_executions().update(*parent).value();
      settled_.push_back(parent->id);
      workflow_state_changed(*parent, State::Error, Tell::no_trace);  // Mistral: the parent's WORKFLOW_RERUN before its task's TASK_RERUN
    }
    task_state_changed(*parent, *t, State::Error, Tell::no_trace);
    task_id = parent->task_execution_id;
  }
}

}  // namespace bora::engine
