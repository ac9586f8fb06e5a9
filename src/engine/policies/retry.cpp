// engine/policies/retry: `retry: {count, delay, break-on, continue-on}`: a
// failed task (or a success while continue-on holds) runs its action again
// after `delay` seconds, at most `count` times (mistral/engine/policies.py
// RetryPolicy); the engine's kStartDelayedTask timer starts it again.
#include <fmt/format.h>

#include "policy.h"

namespace bora::engine {

namespace {

using storage::FilterOp;

class Retry final : public TaskPolicy {
 public:
  bool on_result(Step& step, storage::WorkflowExecution& wf_ex, storage::TaskExecution& t, const lang::TaskSpec& task,
                 const lang::PoliciesSpec& p, bool failed, const Value& result) const override {
    if (!p.retry) return false;
    // Mistral evaluates break-on/continue-on after the task published, in
    // its outbound context.
    storage::TaskExecution published = t;
    if (!step.publish(wf_ex, published, task, failed ? "ERROR" : "SUCCESS", result))
      published.published = Value(Dict{});
    Value outbound = merge_dicts(t.in_context, published.published);
    Value data = step.expression_data(wf_ex, outbound, &t);
    ExpressionScope scope = step.scope_of(wf_ex, &t, result);
    scope.task_state = Value(failed ? "ERROR" : "SUCCESS");
    auto number = [&](const expr::CompiledValue& v) -> int64_t {
      if (v.is_null()) return 0;
      auto r = step.expr_.evaluate(v, data, scope);
      if (!r || !(r->is_int() || r->is_double())) return 0;
      return r->is_int() ? r->as_int() : static_cast<int64_t>(r->as_double());
    };
    auto condition = [&](const expr::CompiledValue& v) -> bool {
      if (v.is_null()) return false;
      auto r = step.expr_.evaluate(v, data, scope);
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
    auto actions = step.tx_.action_executions()
                       .list({ProjectScope::internal(),
                              {{"task_execution_id", FilterOp::Eq, {t.id}}, {"accepted", FilterOp::Eq, {"true"}}}})
                       .value();
    for (auto& a : actions) {
      a.accepted = false;
      step.tx_.action_executions().update(a).value();
    }
    t.runtime_context = t.runtime_context.with("retry_no", Value(done + 1));
    set_task_state(t, "DELAYED");
    t.state_info = fmt::format("Delayed by 'retry' policy [delay={}]", delay);
    t = step.tx_.task_executions().update(t).value();
    step.task_state_changed(wf_ex, t, "RUNNING");
    schedule_timer(step, kStartDelayedTask, t.id, static_cast<double>(delay));
    return true;
  }
};

}  // namespace

const TaskPolicy& retry_policy() {
  static const Retry policy;
  return policy;
}

}  // namespace bora::engine
