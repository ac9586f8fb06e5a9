// engine/policies/fail_on: `fail-on: <expression>`: a task that succeeded
// fails when the expression holds, after it published (mistral/engine/
// policies.py FailOnPolicy).
#include "policy.h"

namespace bora::engine {

namespace {

class FailOn final : public TaskPolicy {
 public:
  Result<void> after_publish(Step& step, storage::WorkflowExecution&, storage::TaskExecution& t,
                             const lang::PoliciesSpec& p, const Value& data,
                             const ExpressionScope& scope) const override {
    if (t.state != State::Success || p.fail_on.is_null()) return {};
    auto fail_on = step.expr_.evaluate(p.fail_on, data, scope);
    if (!fail_on) return fail_on.error();
    if (fail_on->truthy()) {
      set_task_state(t, State::Error);
      t.state_info = "Failed by 'fail-on' policy";
    }
    return {};
  }
};

}  // namespace

const TaskPolicy& fail_on_policy() {
  static const FailOn policy;
  return policy;
}

}  // namespace bora::engine
