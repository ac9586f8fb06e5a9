// engine/step_policies: the task policies that involve time (wait-before,
// wait-after, retry with delay, timeout), as durable timers: a delayed call
// is stored in the same transaction as the task's change, and fired by the
// engine loop once due, so a restart neither loses nor doubles one
// (mistral/engine/policies.py).
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

#include "bora/core/python_format.h"
#include "bora/executor/dynamic_action.h"
#include "bora/executor/executor.h"
#include "step.h"

namespace bora::engine {

using storage::DelayedCall;
using storage::FilterOp;
using storage::TaskExecution;
using storage::WorkflowExecution;

namespace {

const char* kRunAction = "run_task_action";  // after wait-before, or a retry delay
const char* kCompleteTask = "complete_task";  // after wait-after
const char* kTimeout = "task_timeout";

}  // namespace

lang::PoliciesSpec Step::policies_of(const lang::WorkflowSpec& spec, const lang::TaskSpec& task) const {
  if (spec.task_defaults) return lang::merge_policies(task.policies, spec.task_defaults->policies);
  return task.policies;
}

std::optional<double> Step::policy_seconds(const WorkflowExecution& wf_ex, const TaskExecution& t,
                                           const expr::CompiledValue& v,
                                           const char* name, std::string& error) {
  if (v.is_null()) return std::nullopt;
  auto r = expr_.evaluate(v, expression_data(wf_ex, t.in_context, &t), scope_of(wf_ex, &t, Value()));
  if (!r) {
    error = fmt::format("Failed to evaluate {}: {}", name, r.error().message);
    return std::nullopt;
  }
  if (r->is_null()) return std::nullopt;
  if (!r->is_int() && !r->is_double()) {
    error = fmt::format("{} must be a number of seconds, got {}", name, python_repr(*r));
    return std::nullopt;
  }
  double s = r->is_int() ? static_cast<double>(r->as_int()) : r->as_double();
  if (s < 0) {
    error = fmt::format("{} must not be negative, got {}", name, python_repr(*r));
    return std::nullopt;
  }
  return s;
}

void Step::schedule(const std::string& target, const std::string& task_execution_id, double seconds) {
  DelayedCall c;
  c.target = target;
  c.arguments = Value::dict({{"task_execution_id", Value(task_execution_id)}});
  c.key = target + ":" + task_execution_id;
  c.execution_time = options_.time->now() + std::chrono::microseconds(static_cast<int64_t>(seconds * 1e6));
  tx_.delayed_calls().create(c).value();
}

size_t Step::fire_due_calls(Timestamp now, const std::string& owner) {
  auto due = tx_.claim_delayed_calls(now, owner, std::chrono::minutes(5), 256);
  for (const auto& call : due) {
    tx_.delayed_calls().remove(call.id).value();
    std::string task_id = call.arguments["task_execution_id"].is_string()
                              ? call.arguments["task_execution_id"].as_string()
                              : "";
    auto t = tx_.task_executions().find(task_id, ProjectScope::internal());
    if (!t) continue;
    auto wf_ex = tx_.workflow_executions().find(t->workflow_execution_id, ProjectScope::internal());
    if (!wf_ex || (wf_ex->state != "RUNNING" && wf_ex->state != "PAUSED")) continue;
    auto spec = spec_of(*wf_ex);
    const lang::TaskSpec* task = spec->task(t->name);
    if (!task) continue;
    // Test hook (BORA_TEST_CRASH_ON_TASK): the process dies while firing
    // this task's timer, inside the transaction, as a crashing expression
    // would (test_recovery_crash_loop.py).
    if (!options_.test_crash_on_task.empty() && t->name == options_.test_crash_on_task) std::abort();
    if (call.target == kRunAction) {
      if (t->state != "DELAYED") continue;
      t->state = "RUNNING";
      *t = tx_.task_executions().update(*t).value();
      start_action(*wf_ex, *t, *task);
    } else if (call.target == kCompleteTask) {
      if (t->state != "DELAYED") continue;
      const Value held = t->runtime_context["wait_after"];  // a copy: *t is reassigned below
      std::optional<std::string> info;
      if (held["state_info"].is_string()) info = held["state_info"].as_string();
      std::string state = held["state"].is_string() ? held["state"].as_string() : "ERROR";
      Value result = held["result"];
      t->state = "RUNNING";
      t->runtime_context = t->runtime_context.with("wait_after_done", Value(true));
      *t = tx_.task_executions().update(*t).value();
      complete_task(*wf_ex, *t, state, info, result);
    } else if (call.target == kTimeout) {
      if (t->state != "RUNNING" && t->state != "DELAYED") continue;
      // Mistral's executor runs a synchronous action under the same timeout
      // (eventlet's Timeout, whose text is "1 second" / "N seconds"), so the
      // action fails first and the task takes that error as usual (retry
      // applies). What is still open after that (an async action, a
      // sub-workflow, items not started) is failed by the timeout policy.
      // A copy, not a reference: t is reassigned below (a reference read freed memory).
      const Value seconds = t->runtime_context["timeout"];
      std::string eventlet_text =
          fmt::format("{} second{}", python_str(seconds), seconds == Value(int64_t(1)) ? "" : "s");
      std::string task_id = t->id;
      auto actions = tx_.action_executions()
                         .list({ProjectScope::internal(),
                                {{"task_execution_id", FilterOp::Eq, {t->id}}, {"state", FilterOp::Eq, {"RUNNING"}}}})
                         .value();
      for (auto& a : actions) {
        stopped_actions_.push_back(a.id);
        const Value* base = a.spec.is_dict() ? a.spec.find("base") : nullptr;
        const executor::ActionDescriptor* d =
            base && base->is_string() ? executor::find_std_action(base->as_string()) : nullptr;
        executor::ActionDescriptor dynamic;
        if (!d && base && base->is_string() && a.spec["dynamic"].truthy()) {
          dynamic = executor::dynamic_action_descriptor(base->as_string());
          d = &dynamic;
        }
        if (a.is_sync != std::optional<bool>(false) && d) {
          on_action_result(a.id, executor::ActionResult::failure(
                                     Value(executor::raised_message(*d, a.id, eventlet_text))));
          continue;
        }
        a.state = "ERROR";
        a.output = Value::dict({{"result", Value("The task timed out")}});
        tx_.action_executions().update(a).value();
      }
      t = tx_.task_executions().find(task_id, ProjectScope::internal());
      if (!t || (t->state != "RUNNING" && t->state != "DELAYED")) continue;
      if (!actions.empty() && t->runtime_context.find("retry_no") && t->state == "DELAYED") continue;  // retrying
      wf_ex = tx_.workflow_executions().find(t->workflow_execution_id, ProjectScope::internal());
      if (!wf_ex || wf_ex->state != "RUNNING") continue;
      std::string why = fmt::format("Task timed out [timeout(s)={}].", python_str(seconds));
      complete_task(*wf_ex, *t, "ERROR", why, Value());
    }
  }
  return due.size();
}

bool Step::pause_before_start(WorkflowExecution& wf_ex, TaskExecution& t, const lang::TaskSpec& task) {
  if (t.runtime_context.find("pause_before_done")) return false;
  t.runtime_context = t.runtime_context.with("pause_before_done", Value(true));
  auto spec = spec_of(wf_ex);
  lang::PoliciesSpec p = policies_of(*spec, task);
  if (p.pause_before.is_null()) return false;
  auto pause = expr_.evaluate(p.pause_before, expression_data(wf_ex, t.in_context, &t), scope_of(wf_ex, &t, Value()));
  if (!pause) {
    force_fail_task(wf_ex, t, pause.error().message);
    return true;
  }
  if (!pause->truthy()) return false;
  // Mistral's PauseBeforePolicy: the task waits IDLE, the workflow pauses;
  // resuming starts it.
  t.state = "IDLE";
  t.state_info = "Set by 'pause-before' policy";
  t = tx_.task_executions().update(t).value();
  wf_ex.state = "PAUSED";
  wf_ex = tx_.workflow_executions().update(wf_ex).value();
  settled_.push_back(wf_ex.id);
  return true;
}

bool Step::delay_before_start(WorkflowExecution& wf_ex, TaskExecution& t, const lang::TaskSpec& task) {
  auto spec = spec_of(wf_ex);
  lang::PoliciesSpec p = policies_of(*spec, task);
  std::string error;
  if (!t.runtime_context.find("timeout_armed")) {
    if (auto timeout = policy_seconds(wf_ex, t, p.timeout, "timeout", error); timeout && *timeout > 0) {
      schedule(kTimeout, t.id, *timeout);
      Value shown = std::floor(*timeout) == *timeout ? Value(static_cast<int64_t>(*timeout)) : Value(*timeout);
      t.runtime_context = t.runtime_context.with("timeout", shown);
    }
    t.runtime_context = t.runtime_context.with("timeout_armed", Value(true));
    t = tx_.task_executions().update(t).value();
  }
  if (!error.empty()) {
    complete_task(wf_ex, t, "ERROR", error, Value());
    return true;
  }
  if (t.runtime_context.find("wait_before_done")) return false;
  auto wait = policy_seconds(wf_ex, t, p.wait_before, "wait-before", error);
  t.runtime_context = t.runtime_context.with("wait_before_done", Value(true));
  if (!error.empty()) {
    complete_task(wf_ex, t, "ERROR", error, Value());
    return true;
  }
  if (!wait || *wait <= 0) {
    t = tx_.task_executions().update(t).value();
    return false;
  }
  t.state = "DELAYED";
  t = tx_.task_executions().update(t).value();
  schedule(kRunAction, t.id, *wait);
  return true;
}

bool Step::retry_if_needed(WorkflowExecution& wf_ex, TaskExecution& t, bool failed, const Value& result) {
  auto spec = spec_of(wf_ex);
  const lang::TaskSpec* task = spec->task(t.name);
  if (!task) return false;
  lang::PoliciesSpec p = policies_of(*spec, *task);
  if (!p.retry) return false;
  // Mistral evaluates break-on/continue-on after the task published, in
  // its outbound context.
  TaskExecution published = t;
  if (!publish(wf_ex, published, *task, failed ? "ERROR" : "SUCCESS", result)) published.published = Value(Dict{});
  Value outbound = merge_dicts(t.in_context, published.published);
  Value data = expression_data(wf_ex, outbound, &t);
  ExpressionScope scope = scope_of(wf_ex, &t, result);
  scope.task_state = Value(failed ? "ERROR" : "SUCCESS");
  auto number = [&](const expr::CompiledValue& v) -> int64_t {
    if (v.is_null()) return 0;
    auto r = expr_.evaluate(v, data, scope);
    if (!r || !(r->is_int() || r->is_double())) return 0;
    return r->is_int() ? r->as_int() : static_cast<int64_t>(r->as_double());
  };
  auto condition = [&](const expr::CompiledValue& v) -> bool {
    if (v.is_null()) return false;
    auto r = expr_.evaluate(v, data, scope);
    return r && r->truthy();
  };
  int64_t count = number(p.retry->count);
  int64_t done = t.runtime_context["retry_no"].is_int() ? t.runtime_context["retry_no"].as_int() : 0;
  if (done >= count) return false;
  // Mistral: retry on error unless break-on holds; continue-on retries a
  // success while it holds.
  bool again = failed ? !condition(p.retry->break_on) : condition(p.retry->continue_on);
  if (!again) return false;
  int64_t delay = std::max<int64_t>(0, number(p.retry->delay));
  // The attempts so far no longer count as the task's result.
  auto actions = tx_.action_executions()
                     .list({ProjectScope::internal(),
                            {{"task_execution_id", FilterOp::Eq, {t.id}}, {"accepted", FilterOp::Eq, {"true"}}}})
                     .value();
  for (auto& a : actions) {
    a.accepted = false;
    tx_.action_executions().update(a).value();
  }
  t.runtime_context = t.runtime_context.with("retry_no", Value(done + 1));
  t.state = "DELAYED";
  t.state_info = fmt::format("Delayed by 'retry' policy [delay={}]", delay);
  t = tx_.task_executions().update(t).value();
  schedule(kRunAction, t.id, static_cast<double>(delay));
  return true;
}

bool Step::delay_after_completion(WorkflowExecution& wf_ex, TaskExecution& t, const std::string& state,
                                  const std::optional<std::string>& state_info, const Value& result) {
  if (t.runtime_context.find("wait_after_done")) return false;
  auto spec = spec_of(wf_ex);
  const lang::TaskSpec* task = spec->task(t.name);
  if (!task) return false;
  lang::PoliciesSpec p = policies_of(*spec, *task);
  std::string error;
  auto wait = policy_seconds(wf_ex, t, p.wait_after, "wait-after", error);
  if (!wait || *wait <= 0) return false;
  t.runtime_context = t.runtime_context.with(
      "wait_after", Value::dict({{"state", Value(state)},
                                 {"state_info", state_info ? Value(*state_info) : Value()},
                                 {"result", result}}));
  t.state = "DELAYED";
  t = tx_.task_executions().update(t).value();
  schedule(kCompleteTask, t.id, *wait);
  return true;
}

}  // namespace bora::engine
