// engine/recovery: at start, the work a stopped process left behind: running
// actions run again (safe-rerun) or failed, and the crash-loop guard that
// fails an execution whose recovery keeps bringing the process down.
#include <fmt/format.h>

#include <set>

#include "bora/catalog/catalog.h"
#include "bora/core/log.h"
#include "policies/policy.h"
#include "step.h"

namespace bora::engine {

using storage::ActionExecution;
using storage::FilterOp;
using storage::TaskExecution;
using storage::WorkflowExecution;

void Step::count_recovery_attempts(const std::vector<std::string>& adopted, bool due_timers, int64_t limit,
                                   std::set<std::string>& counted, std::vector<std::string>& failed) {
  // The executions a start is about to take up again: those with a
  // synchronous action left RUNNING (recover() re-runs or fails it) and
  // those with a timer already due (the loop fires it at once: a task's
  // input is evaluated, an action started). Each is counted here, in a
  // transaction of its own committed before that work runs: if the work
  // brings the process down again, the next start sees one more attempt.
  // At the limit the execution is failed here, with plain state changes
  // only (no expression, no action, no on-error: any of those may be what
  // crashes), so the server starts.
  // With several nodes, only the adopted actions' executions: the others'
  // work is in the hands of live nodes.
  std::vector<std::string> task_ids;
  for (const auto& id : adopted) {
    auto a = tx_.action_executions().find(id, ProjectScope::internal());
    if (a && a->state == State::Running && a->is_sync == std::optional<bool>(true) && a->task_execution_id)
      task_ids.push_back(*a->task_execution_id);
  }
  if (due_timers) {
    for (const auto& call :
         tx_.delayed_calls()
             .list({ProjectScope::internal(), {{"execution_time", FilterOp::Lte, {format_iso_time(now())}}}})
             .value())
      if (const Value& id = call.arguments["task_execution_id"]; id.is_string()) task_ids.push_back(id.as_string());
  }
  std::set<std::string> seen;
  for (const auto& task_id : task_ids) {
    // Serialized with the nodes that run this execution meanwhile.
    tx_.lock_tree(storage::TreeOf::Task, task_id);
    auto t = tx_.task_executions().find(task_id, ProjectScope::internal());
    if (!t || !seen.insert(t->workflow_execution_id).second) continue;
    auto wf_ex = tx_.workflow_executions().find(t->workflow_execution_id, ProjectScope::internal());
    if (!wf_ex || (wf_ex->state != State::Running && wf_ex->state != State::Paused)) continue;
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
        a.state = State::Error;
        a.state_info = info;
        a.output = Value::dict({{"result", Value(info)}});
        tx_.action_executions().update(a).value();
      }
      // A wait's timer would run it again (a task that ended while it
      // waited still starts when the wait ends, as Mistral's continue_task
      // starts it): failed so that the server can start, it must not.
      for (auto& call : tx_.delayed_calls()
                            .list({ProjectScope::internal(),
                                   {{"key", FilterOp::Eq, {std::string(kStartDelayedTask) + ":" + t.id}}}})
                            .value())
        tx_.delayed_calls().remove(call.id).value();
      State task_before = t.state;
      set_task_state(t, State::Error);
      t.state_info = info;
      t.finished_at = now();
      t = tx_.task_executions().update(t).value();
      task_state_changed(current, t, task_before, Tell::no_trace);  // no trace line, as before the seam
    }
    State before = current.state;
    current.state = State::Error;
    current.state_info = info;
    current.recovery_attempts = 0;
    current = tx_.workflow_executions().update(current).value();
    workflow_state_changed(current, before, Tell::no_trace);  // no trace line or span, as before the seam
    settled_.push_back(current.id);
    specs_.erase(current.id);
    if (!parent_task) break;
    auto t = tx_.task_executions().find(*parent_task, ProjectScope::internal());
    if (!t) break;
    auto parent = tx_.workflow_executions().find(t->workflow_execution_id, ProjectScope::internal());
    if (!parent || parent->state == State::Error || parent->state == State::Success || parent->state == State::Cancelled) break;
    current = std::move(*parent);
    parent_task = current.task_execution_id;
  }
  wf_ex = tx_.workflow_executions().get(wf_ex.id, ProjectScope::internal()).value();
}

void Step::recover(const std::vector<std::string>& adopted) {
  // Actions that were running when their node stopped: their result is
  // lost. A task marked safe-rerun runs its action again; any other fails
  // with a message saying why (Mistral's behaviour for lost actions).
  // An asynchronous action may have died in the executor's queue, never
  // sent: safe-rerun sends it again (as Mistral's executor gets its run
  // request again), else it keeps waiting for its completion through the
  // API (it may have been sent; a timeout policy bounds the wait).
  // The lost actions are failed after every re-run is queued: a failure
  // may end its execution (or stop its rollback), and an action of that
  // execution still to be re-run must not be skipped for it (its task
  // finishes, as a running task does when its workflow fails).
  std::vector<std::string> lost;
  std::set<std::string> seen;
  for (const auto& id : adopted) {
    if (!seen.insert(id).second) continue;  // listed twice: recovered once
    // Another node may have changed the execution since the adoption (a
    // cancel, the async action completed through the API): the lock
    // first, then the action as it is now, still RUNNING and still ours.
    tx_.lock_tree(storage::TreeOf::Action, id);
    auto found = tx_.action_executions().find(id, ProjectScope::internal());
    if (!found || found->state != State::Running || found->node_id != options_.cluster.node_id) continue;
    auto& a = *found;
    const bool async = a.is_sync == std::optional<bool>(false);
    const Value* base = a.spec.is_dict() ? a.spec.find("base") : nullptr;
    const Value* base_input = a.spec.is_dict() ? a.spec.find("base_input") : nullptr;
    // Created but never run (a graceful stop withdrew it, Engine::finish):
    // running it now is its first run. The mark goes first, so that a
    // crash during this run counts as a crash during a run.
    const bool not_started = ItemContextView(a.runtime_context).not_started();
    if (not_started) {
      ItemContext(a.runtime_context).clear_not_started();
      tx_.action_executions().update(a).value();
    }
    if (!a.task_execution_id) {
      // An action run on its own (POST /v2/action_executions), a std one.
      if (not_started && base && base->is_string() && base_input && !a.spec["dynamic"].truthy()) {
        queue_job(a.id, base->as_string(), *base_input, async, std::nullopt, nullptr, nullptr);
        jobs_.back().context.ad_hoc = a.name != base->as_string();
        continue;
      }
      if (async) continue;
      a.state = State::Error;
      a.output = Value::dict({{"result", Value("The action was running when bora stopped; its result is lost.")}});
      tx_.action_executions().update(a).value();
      continue;
    }
    auto t = tx_.task_executions().find(*a.task_execution_id, ProjectScope::internal());
    if (!t) continue;
    auto wf_ex = tx_.workflow_executions().find(t->workflow_execution_id, ProjectScope::internal());
    if (!wf_ex) continue;
    if (wf_ex->state != State::Running && wf_ex->state != State::Paused) {
      // An ended execution (cancelled, failed or succeeded through the
      // API) leaves its running actions alone, as Mistral does; one whose
      // result the crash lost is failed (never run again: nothing would
      // follow it), so that no action stays RUNNING for ever. An
      // asynchronous one may still be completed through the API.
      if (!async) lost.push_back(a.id);
      continue;
    }
    auto spec = spec_of(*wf_ex);
    const lang::TaskSpec* task = task_spec_of(*spec, *t);
    Value safe = task ? static_cast<const Value&>(task->safe_rerun) : Value();
    if (safe.is_null() && spec->task_defaults) safe = spec->task_defaults->safe_rerun;
    if (((safe.is_bool() && safe.as_bool()) || not_started) && base && base->is_string() && base_input) {
      const std::string& name = base->as_string();
      // A dynamic action runs its code source as it is now (Mistral too
      // loads the latest version).
      std::optional<executor::DynamicActionCode> dynamic;
      if (a.spec["dynamic"].truthy()) {
        dynamic = catalog::Catalog(tx_, catalog::Caller::owner_of(*wf_ex))
                      .dynamic_action_code(name, wf_ex->workflow_namespace);
        if (!dynamic) {
          on_action_result(a.id,
                           executor::ActionResult::failure(Value(fmt::format(
                               "The dynamic action {} was running when bora stopped and no longer exists", name))),
                           true);
          continue;
        }
      }
      log::debug("engine", "recovery runs action {} ({}) again", a.id, name);
      queue_job(a.id, name, *base_input, async, std::move(dynamic), &*wf_ex, &*t,
                ItemContextView(a.runtime_context).index());
      jobs_.back().context.ad_hoc = a.name != name;
      continue;
    }
    if (async) continue;
    lost.push_back(a.id);
  }
  for (const auto& id : lost)
    on_action_result(id,
                     executor::ActionResult::failure(Value(
                         "The action was running when bora stopped, so its result is lost; mark the task "
                         "'safe-rerun: true' to have such actions run again after a restart")),
                     true);
}

}  // namespace bora::engine
