// identity/policy_rule: oslo.policy's rule language, which Mistral's policy
// files are written in: `rule:name`, `role:admin`, generic checks such as
// `project_id:%(project_id)s` or `is_admin:True` (left: a path in the
// caller's credentials or a literal; right: text with %(key)s taken from
// the target), `@` (always), `!` (never), `and`/`or`/`not`, parentheses;
// the empty rule allows. The old list-of-lists form ([["role:a",
// "role:b"], ["role:c"]]: an `or` of `and`s) is accepted as oslo accepts it.
//
// Unlike oslo.policy, which logs a rule it cannot parse and then denies it,
// a bad rule is an error here that names the rule and says what is wrong,
// so that an operator learns it when Bora starts, not from a 403 later.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bora/core/error.h"
#include "bora/core/value.h"

namespace bora::identity {

// Parentheses and `not` nest at most this deep (a hostile or broken file
// cannot exhaust the stack), and `rule:` references are followed at most
// this deep when a rule is evaluated (a cycle denies instead of looping).
constexpr size_t kPolicyMaxDepth = 64;

struct PolicyCheck {
  enum class Kind { Always, Never, Rule, Role, Generic, Not, And, Or };
  Kind kind = Kind::Always;
  // Rule: the rule's name. Generic: the left side (a credentials path such
  // as `project_id` or `token.roles.name`, or a Python literal such as
  // `True` or `'member'`).
  std::string left;
  // Role and Generic: the right side, with %(key)s placeholders for the target.
  std::string match;
  std::vector<PolicyCheck> operands;  // Not: one; And/Or: two or more

  // The rule as oslo.policy prints it (str(check)): "(a or b)", "not c".
  std::string text() const;
};

// Parses one rule's text; `name` is only for the error message.
Result<PolicyCheck> parse_policy_rule(std::string_view name, std::string_view text);

// A rule given in a policy file: a string, or the list-of-lists form.
Result<PolicyCheck> parse_policy_rule_value(std::string_view name, const Value& rule);

// Rules by name, as `rule:` checks look them up.
using PolicyRules = std::map<std::string, PolicyCheck, std::less<>>;

// Whether `check` allows the caller (`credentials`: user_id, project_id,
// roles, is_admin, ...) to act on `target` (project_id, user_id, ...).
// A `rule:` naming a rule that does not exist denies (oslo fails closed).
bool evaluate_policy(const PolicyCheck& check, const Value& target, const Value& credentials,
                     const PolicyRules& rules);

}  // namespace bora::identity
