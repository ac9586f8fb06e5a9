// engine/policies/retry: `retry: {count, delay, break-on, continue-on}`: a
// failed task (or a success while continue-on holds) runs its action again
// after `delay` seconds, at most `count` times (mistral/engine/policies.py
// RetryPolicy); the engine's kStartDelayedTask timer starts it again.
// Bora's backoff, max-delay and jitter (retry_backoff.h) change only the
// delay, computed once when the retry is scheduled and stored in its timer.
#include <fmt/format.h>

#include <cmath>

#include "bora/core/python_format.h"
#include "policy.h"
#include "retry_backoff.h"

namespace bora::engine {

namespace {

using storage::FilterOp;

// Mistral's scheduler runs due jobs on each pass, every `[scheduler]
// fixed_delay` seconds (1 by default).
constexpr double kSchedulerPass = 1.0;

// The retried join's refresh (Mistral's _refresh_task_state).
const char* const kRefreshRetriedJoin = "refresh_task_state";

void refresh_retried_join(Step& step, storage::WorkflowExecution&, storage::TaskExecution& t, const lang::TaskSpec&) {
  if (!retrying_join(t)) return;  // an inbound task reached it meanwhile
  // Waiting as any join again: refresh_join fails it (the retry policy
  // deciding once more) or leaves it for an arrival still to come.
  t.state_info = "Task is waiting.";
  t = step.tx_.task_executions().update(t).value();
  step.in_refresh_pass([&] { step.refresh_join(t.id); });
}

class Retry final : public TaskPolicy {
 public:
  std::vector<PolicyTimer> timers() const override { return {{kRefreshRetriedJoin, refresh_retried_join}}; }

  bool on_result(Step& step, storage::WorkflowExecution& wf_ex, storage::TaskExecution& t, const lang::TaskSpec& task,
                 const lang::PoliciesSpec& p, bool failed, const Value& result) const override {
    if (!p.retry) return false;
    // Mistral's fail-on comes before the retry (policies.py
    // get_policy_factories): a success it turns into an error is retried
    // as an error, and the retry's conditions see the task in ERROR.
    bool errored = failed;  // the task's state when the retry decides
    if (!failed && !p.fail_on.is_null()) {
      ExpressionScope fail_scope = step.scope_of(wf_ex, &t, result);
      fail_scope.task_state = Value("SUCCESS");
      auto fail_on = step.expr_.evaluate(p.fail_on, step.expression_data(wf_ex, t.in_context, &t), fail_scope);
      if (!fail_on) {
        step.force_fail_completion(wf_ex, t, fail_on.error().message);
        return true;
      }
      errored = fail_on->truthy();
    }
    // Mistral evaluates break-on/continue-on after the task published, in
    // its outbound context. A task its wait-after will hold is decided when
    // the hold ends, after keep-result: false dropped the result: its
    // publish and conditions then see none (policies/retry_keep_result_*).
    Value seen = result;
    if (Step::drops_result(task) && !TaskContextView(t.runtime_context).wait_after_done()) {
      auto wait = policy_seconds(step, wf_ex, t, p.wait_after, "wait-after");
      if (wait && *wait && **wait > 0) {
        step.drop_result(t);
        seen = Value();
      }
    }
    storage::TaskExecution published = t;
    // A publish that fails fails the completion before any policy runs
    // (Mistral's Task.complete publishes first): the completion that
    // follows meets the same error.
    if (!step.publish(wf_ex, published, task, failed ? State::Error : State::Success, seen)) return false;
    Value outbound = merge_dicts(t.in_context, published.published);
    Value data = step.expression_data(wf_ex, outbound, &t);
    ExpressionScope scope = step.scope_of(wf_ex, &t, seen);
    scope.task_state = Value(errored ? "ERROR" : "SUCCESS");
    auto number = [&](const expr::CompiledValue& v) -> int64_t {
      if (v.is_null()) return 0;
      auto r = step.expr_.evaluate(v, data, scope);
      if (!r || !(r->is_int() || r->is_double())) return 0;
      return r->is_int() ? r->as_int() : static_cast<int64_t>(r->as_double());
    };
    int64_t count = number(p.retry->count);
    if (count == 0) return false;
    // Mistral's RetryPolicy.after_task_complete evaluates both conditions
    // whatever the state and however many retries are left; one that
    // cannot be evaluated fails the task's completion.
    std::optional<bool> continue_on, break_on;
    for (auto [clause, out] : {std::pair{&p.retry->continue_on, &continue_on}, std::pair{&p.retry->break_on, &break_on}}) {
      if (clause->is_null()) continue;
      auto r = step.expr_.evaluate(*clause, data, scope);
      if (!r) {
        // Mistral published before the policy raised, and its force-fail
        // keeps that: the failed workflow's output holds it.
        t.published = published.published;
        step.force_fail_completion(wf_ex, t, r.error().message);
        return true;
      }
      *out = r->truthy();
    }
    int64_t done = TaskContextView(t.runtime_context).retry_no().value_or(0);
    if (done >= count) return false;
    // Mistral: no retry after a success without continue-on, nor while a
    // given continue-on is false (an error included), nor after an error
    // for which break-on holds.
    bool stop = (!errored && !continue_on) || (continue_on && !*continue_on);
    bool broken = errored && break_on.value_or(false);
    if (stop || broken) return false;
    int64_t delay = std::max<int64_t>(0, number(p.retry->delay));
    auto [seconds, shown] = grown_delay(step, *p.retry, delay, done + 1, data, scope);
    // The attempts so far (actions, or a workflow task's sub-workflows) no
    // longer count as the task's result.
    auto unaccept = [&](auto&& executions) {
      auto accepted = executions
                          .list({ProjectScope::internal(),
                                 {{"task_execution_id", FilterOp::Eq, {t.id}}, {"accepted", FilterOp::Eq, {"true"}}}})
                          .value();
      for (auto& ex : accepted) {
        ex.accepted = false;
        executions.update(ex).value();
      }
    };
    unaccept(step.tx_.action_executions());
    unaccept(step.tx_.workflow_executions());
    TaskContext(t.runtime_context).set_retry_no(done + 1);
    // Mistral's Task.complete published before the policy retried: the
    // task shows what this try published while the next one waits and runs.
    t.published = published.published;
    std::string delayed = fmt::format("{} [delay={}]", kRetryDelayInfo, shown);
    if (!task.join.is_null() && t.state == State::Waiting) {
      // A join that inbound tasks can no longer satisfy ("Failed by tasks",
      // joins.cpp fail_join) has no action to run again: Mistral leaves it
      // WAITING and schedules a refresh of its state after the delay
      // (RetryPolicy.after_task_complete, _schedule_refresh_task_state),
      // which fails it again, the retries counted, or runs it once an
      // inbound task reached it after all. That refresh is a job of
      // Mistral's scheduler, run on its next pass after the delay (every
      // `fixed_delay`, 1 s): what the join's failure then reaches (its
      // on-error) comes after the tasks started with its first failure, a
      // `join: one` among them running again (random case 54/11).
      t.state_info = std::move(delayed);
      t = step.tx_.task_executions().update(t).value();
      schedule_timer(step, kRefreshRetriedJoin, t.id, seconds + kSchedulerPass);
      return true;
    }
    set_task_state(t, State::Delayed);
    t.state_info = std::move(delayed);
    t = step.tx_.task_executions().update(t).value();
    step.task_state_changed(wf_ex, t, State::Running);
    schedule_timer(step, kStartDelayedTask, t.id, seconds);
    return true;
  }

 private:
  // The delay of retry number `retry_no` in seconds, and how state_info
  // shows it: Mistral's integer when none of Bora's keys is written; else
  // the grown, capped, jittered delay (milliseconds at most), with a note
  // when a key's value is not usable (the retry then keeps the plain delay:
  // a retry is not the place to fail a task over its own schedule).
  static std::pair<double, std::string> grown_delay(Step& step, const lang::RetrySpec& r, int64_t delay,
                                                    int64_t retry_no, const Value& data, const ExpressionScope& scope) {
    if (r.backoff.is_null() && r.max_delay.is_null() && r.jitter.is_null())
      return {static_cast<double>(delay), std::to_string(delay)};
    auto value_of = [&](const expr::CompiledValue& v, const char* name) -> Result<Value> {
      if (v.is_null()) return Value();
      auto got = step.expr_.evaluate(v, data, scope);
      if (!got) return bad_input(fmt::format("{}: {}", name, got.error().message));
      return *got;
    };
    std::string problem;
    Backoff backoff;
    Jitter jitter = Jitter::None;
    std::optional<double> cap;
    if (auto v = value_of(r.backoff, "backoff"); !v) problem = v.error().message;
    else if (auto b = backoff_of(*v); !b) problem = b.error().message;
    else backoff = *b;
    if (auto v = value_of(r.jitter, "jitter"); !v) problem = v.error().message;
    else if (auto j = jitter_of(*v); !j) problem = j.error().message;
    else jitter = *j;
    if (auto v = value_of(r.max_delay, "max-delay"); !v) {
      problem = v.error().message;
    } else if (v->is_int() || v->is_double()) {
      double c = v->is_int() ? static_cast<double>(v->as_int()) : v->as_double();
      if (c >= 0) cap = c;
      else problem = "max-delay must not be negative, got " + python_repr(*v);
    } else if (!v->is_null()) {
      problem = "max-delay must be a number of seconds, got " + python_repr(*v);
    }
    if (!problem.empty()) return {static_cast<double>(delay), fmt::format("{}; ignored {}", delay, problem)};
    double seconds = jittered(backoff_delay(static_cast<double>(delay), backoff, retry_no, cap), jitter,
                              *step.options_.random);
    seconds = std::round(seconds * 1000) / 1000;
    return {seconds, fmt::format("{}", seconds)};
  }

};

}  // namespace

const TaskPolicy& retry_policy() {
  static const Retry policy;
  return policy;
}

}  // namespace bora::engine
