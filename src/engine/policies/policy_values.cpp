// engine/policies/policy_values: Mistral's TaskPolicy._validate. When a
// task starts (new or rerun), each policy it has evaluates its values and
// checks them against its JSON schema: delays, counts and the concurrency
// are integers >= 0, pause-before a boolean. A value that fails (most often
// an expression giving a negative number, a float or a string) fails the
// task with Mistral's words, jsonschema's text inside:
//   Invalid data type in RetryPolicy: -1 is less than the minimum of 0 ...
// Policies are checked in Mistral's order (policies.py
// get_policy_factories), each only when Mistral builds it: a wait or
// timeout that is an expression or a number > 0, a retry, a true
// pause-before or concurrency.
#include <fmt/format.h>

#include <cmath>

#include "bora/core/python_format.h"
#include "policy.h"

namespace bora::engine {

namespace {

// jsonschema's ValidationError text for instance[field] under `schema`
// (its message, then where it failed and what).
std::string schema_error(const std::string& message, const char* keyword, const char* field, const char* schema,
                         const Value& v) {
  return fmt::format("{}\n\nFailed validating '{}' in schema['properties']['{}']:\n    {}\n\nOn instance['{}']:\n    {}",
                     message, keyword, field, schema, field, python_repr(v));
}

// jsonschema's "integer" (a float with no fraction counts) with minimum 0.
std::optional<std::string> integer_problem(const Value& v, const char* field) {
  static const char* schema = "{'minimum': 0, 'type': 'integer'}";
  bool integral = v.is_integer() || (v.is_double() && std::isfinite(v.as_double()) &&
                                     v.as_double() == std::floor(v.as_double()));
  if (!integral) return schema_error(python_repr(v) + " is not of type 'integer'", "type", field, schema, v);
  bool negative = v.is_int() ? v.as_int() < 0 : v.is_double() ? v.as_double() < 0 : v.truthy() && python_str(v)[0] == '-';
  if (negative)
    return schema_error(python_repr(v) + " is less than the minimum of 0", "minimum", field, schema, v);
  return std::nullopt;
}

std::optional<std::string> boolean_problem(const Value& v, const char* field) {
  if (v.is_bool()) return std::nullopt;
  return schema_error(python_repr(v) + " is not of type 'boolean'", "type", field, "{'type': 'boolean'}", v);
}

// Whether Mistral builds a wait or timeout policy from this value: an
// expression (any string) or a number > 0.
bool builds_seconds_policy(const Value& v) {
  if (v.is_string()) return true;
  if (v.is_int()) return v.as_int() > 0;
  if (v.is_double()) return v.as_double() > 0;
  return false;
}

}  // namespace

Result<void> check_policy_values(Step& step, const storage::WorkflowExecution& wf_ex, const storage::TaskExecution& t,
                                 const lang::PoliciesSpec& p) {
  Value data;
  ExpressionScope scope;
  bool prepared = false;
  auto evaluate = [&](const expr::CompiledValue& v) -> Result<Value> {
    if (!v.has_expressions()) return Value(v);
    if (!prepared) {
      data = step.expression_data(wf_ex, t.in_context, &t);
      scope = step.scope_of(wf_ex, &t, Value());
      prepared = true;
    }
    return step.expr_.evaluate(v, data, scope);
  };
  auto invalid = [](const char* policy, const std::string& problem) {
    return bad_input(fmt::format("Invalid data type in {}: {}. Value(s) can be shown after YAQL evaluating. If you "
                                 "use YAQL here, please correct it.",
                                 policy, problem));
  };
  // Each: the policy's class, its field, the spec value, the check.
  if (!p.pause_before.is_null() && p.pause_before.truthy()) {
    auto v = evaluate(p.pause_before);
    if (!v) return v.error();
    if (auto problem = boolean_problem(*v, "expr")) return invalid("PauseBeforePolicy", *problem);
  }
  for (auto [policy, value] : {std::pair<const char*, const expr::CompiledValue*>{"WaitBeforePolicy", &p.wait_before},
                               {"WaitAfterPolicy", &p.wait_after}}) {
    if (!builds_seconds_policy(*value)) continue;
    auto v = evaluate(*value);
    if (!v) return v.error();
    if (auto problem = integer_problem(*v, "delay")) return invalid(policy, *problem);
  }
  if (p.retry) {
    // Its schema's order: delay, then count.
    for (auto [field, value] : {std::pair<const char*, const expr::CompiledValue*>{"delay", &p.retry->delay},
                                {"count", &p.retry->count}}) {
      if (value->is_null()) continue;  // not written: Bora's defaults
      auto v = evaluate(*value);
      if (!v) return v.error();
      if (auto problem = integer_problem(*v, field)) return invalid("RetryPolicy", *problem);
    }
  }
  if (builds_seconds_policy(p.timeout)) {
    auto v = evaluate(p.timeout);
    if (!v) return v.error();
    if (auto problem = integer_problem(*v, "delay")) return invalid("TimeoutPolicy", *problem);
  }
  if (!p.concurrency.is_null() && p.concurrency.truthy()) {
    auto v = evaluate(p.concurrency);
    if (!v) return v.error();
    if (auto problem = integer_problem(*v, "concurrency")) return invalid("ConcurrencyPolicy", *problem);
  }
  return {};
}

}  // namespace bora::engine
