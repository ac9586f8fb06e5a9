// The oslo.policy rule language: parsing (with errors that name the rule),
// grouping, and evaluation against targets and credentials.
#include <catch2/catch.hpp>

#include "bora/core/json.h"
#include "bora/identity/policy_rule.h"

using namespace bora;
using namespace bora::identity;

namespace {

Value json(const char* text) { return parse_json(text).value(); }

// Credentials of a member of project p1 (user u1), as Mistral builds them.
Value member_creds() {
  return json(R"({"user_id": "u1", "project_id": "p1", "roles": ["member", "Reader"], "is_admin": false,
                  "user": {"enabled": true}, "token": {"roles": [{"name": "member"}, {"name": "auditor"}]}})");
}
Value admin_creds() { return json(R"({"user_id": "a1", "project_id": "p9", "roles": ["admin"], "is_admin": true})"); }
Value own_target() { return json(R"({"project_id": "p1", "user_id": "u1"})"); }
Value other_target() { return json(R"({"project_id": "p2", "user_id": "u2", "role": {"name": "member"}})"); }

bool eval(const char* rule, const Value& target, const Value& creds, const PolicyRules& rules = {}) {
  auto check = parse_policy_rule("test", rule);
  REQUIRE(check.ok());
  return evaluate_policy(*check, target, creds, rules);
}

std::string parse_error(const char* rule) {
  auto check = parse_policy_rule("workflows:create", rule);
  REQUIRE_FALSE(check.ok());
  CHECK(check.error().kind == ErrorKind::BadInput);
  return check.error().message;
}

}  // namespace

TEST_CASE("policy: @, ! and the empty rule") {
  CHECK(eval("@", own_target(), member_creds()));
  CHECK_FALSE(eval("!", own_target(), admin_creds()));
  CHECK(eval("", own_target(), member_creds()));
  CHECK(eval("   ", other_target(), Value::dict({})));
}

TEST_CASE("policy: role checks ignore case and substitute the target") {
  CHECK(eval("role:member", own_target(), member_creds()));
  CHECK(eval("role:MEMBER", own_target(), member_creds()));
  CHECK(eval("role:reader", own_target(), member_creds()));
  CHECK_FALSE(eval("role:admin", own_target(), member_creds()));
  // "role:compute:admin" is the role named "compute:admin" (split at the first colon).
  CHECK(eval("role:compute:admin", own_target(), json(R"({"roles": ["compute:admin"]})")));
  CHECK_FALSE(eval("role:compute:admin", own_target(), json(R"({"roles": ["admin"]})")));
  // The role's name may come from the target.
  CHECK(eval("role:%(role.name)s", other_target(), member_creds()));
  CHECK_FALSE(eval("role:%(missing)s", other_target(), member_creds()));
  CHECK_FALSE(eval("role:member", own_target(), json(R"({"project_id": "p1"})")));  // no roles at all
}

TEST_CASE("policy: generic checks compare credentials with the target") {
  CHECK(eval("project_id:%(project_id)s", own_target(), member_creds()));
  CHECK_FALSE(eval("project_id:%(project_id)s", other_target(), member_creds()));
  CHECK(eval("user_id:%(user_id)s", own_target(), member_creds()));
  CHECK_FALSE(eval("user_id:%(user_id)s", other_target(), member_creds()));
  // A key the target lacks is a false check, not an error.
  CHECK_FALSE(eval("project_id:%(tenant_id)s", own_target(), member_creds()));
  // Python's str(): True/False/None.
  CHECK(eval("is_admin:True", own_target(), admin_creds()));
  CHECK_FALSE(eval("is_admin:True", own_target(), member_creds()));
  CHECK(eval("is_admin:False", own_target(), member_creds()));
  CHECK(eval("user_id:None", own_target(), json(R"({"user_id": null})")));
  // Paths into nested credentials; a list matches when any element does.
  CHECK(eval("user.enabled:True", own_target(), member_creds()));
  CHECK(eval("token.roles.name:auditor", own_target(), member_creds()));
  CHECK_FALSE(eval("token.roles.name:admin", own_target(), member_creds()));
  CHECK(eval("roles:member", own_target(), member_creds()));
  CHECK_FALSE(eval("nothing.here:x", own_target(), member_creds()));
  // A constant match; '%%' is a literal percent sign.
  CHECK(eval("project_id:p1", other_target(), member_creds()));
  CHECK(eval("name:50%%", own_target(), json(R"({"name": "50%"})")));
}

TEST_CASE("policy: a literal on the left compares with the target's value") {
  // oslo's documented examples: 'Member':%(role.name)s and True:%(user.enabled)s.
  CHECK(eval("'member':%(role.name)s", other_target(), Value::dict({})));
  CHECK_FALSE(eval("'admin':%(role.name)s", other_target(), Value::dict({})));
  CHECK(eval("\"member\":%(role.name)s", other_target(), Value::dict({})));
  CHECK(eval("True:%(enabled)s", json(R"({"enabled": true})"), Value::dict({})));
  CHECK_FALSE(eval("True:%(enabled)s", json(R"({"enabled": false})"), Value::dict({})));
  CHECK(eval("3:%(count)s", json(R"({"count": 3})"), Value::dict({})));
  CHECK(eval("-3:%(count)s", json(R"({"count": -3})"), Value::dict({})));
}

TEST_CASE("policy: nested target keys are reached with dots") {
  Value target = json(R"({"target": {"workflow": {"project_id": "p1"}}})");
  CHECK(eval("project_id:%(target.workflow.project_id)s", target, member_creds()));
  CHECK(eval("project_id:%(target.workflow.project_id)s",
             json(R"({"target.workflow.project_id": "p1"})"), member_creds()));
}

TEST_CASE("policy: and binds tighter than or, not takes one check, parentheses group") {
  // oslo's documented rule: admins, or project admins of the target's project.
  const char* rule = "role:admin or (project_id:%(project_id)s and role:projectadmin)";
  CHECK(eval(rule, own_target(), json(R"({"project_id": "p1", "roles": ["projectadmin"]})")));
  CHECK_FALSE(eval(rule, other_target(), json(R"({"project_id": "p1", "roles": ["projectadmin"]})")));
  CHECK_FALSE(eval(rule, own_target(), json(R"({"project_id": "p1", "roles": ["member"]})")));
  CHECK(eval(rule, other_target(), json(R"({"roles": ["admin"]})")));

  // "a or b and c" is "a or (b and c)".
  CHECK(eval("@ or ! and !", own_target(), member_creds()));
  CHECK_FALSE(eval("(@ or !) and !", own_target(), member_creds()));
  // "a and b or c and d".
  CHECK(eval("! and @ or @ and @", own_target(), member_creds()));
  CHECK_FALSE(eval("! and @ or @ and !", own_target(), member_creds()));
  // not applies to the next check only.
  CHECK_FALSE(eval("not @ and @", own_target(), member_creds()));
  CHECK(eval("not ! and @", own_target(), member_creds()));
  CHECK(eval("not (@ and !)", own_target(), member_creds()));
  CHECK(eval("not not @", own_target(), member_creds()));
  CHECK(eval("(role:admin and not role:observer) or project_id:%(project_id)s", own_target(), member_creds()));
  CHECK_FALSE(eval("(role:admin and not role:observer) or project_id:%(project_id)s", other_target(),
                   json(R"({"roles": ["admin", "observer"]})")));
  // Operators in any case; parentheses glued to checks.
  CHECK(eval("((role:member)) AND (NOT role:admin)", own_target(), member_creds()));
  CHECK(eval("role:admin OR role:member", own_target(), member_creds()));
}

TEST_CASE("policy: rule: references other rules, and fails closed") {
  PolicyRules rules;
  rules.emplace("admin_only", parse_policy_rule("admin_only", "is_admin:True").value());
  rules.emplace("admin_or_owner", parse_policy_rule("admin_or_owner", "is_admin:True or project_id:%(project_id)s").value());
  CHECK(eval("rule:admin_or_owner", own_target(), member_creds(), rules));
  CHECK_FALSE(eval("rule:admin_or_owner", other_target(), member_creds(), rules));
  CHECK(eval("rule:admin_or_owner", other_target(), admin_creds(), rules));
  CHECK_FALSE(eval("rule:admin_only", own_target(), member_creds(), rules));
  CHECK_FALSE(eval("rule:no_such_rule", own_target(), admin_creds(), rules));
  CHECK(eval("not rule:no_such_rule", own_target(), admin_creds(), rules));

  // A cycle denies instead of looping.
  rules.emplace("a", parse_policy_rule("a", "rule:b").value());
  rules.emplace("b", parse_policy_rule("b", "rule:a").value());
  CHECK_FALSE(eval("rule:a", own_target(), admin_creds(), rules));
}

TEST_CASE("policy: the list-of-lists form is an or of ands") {
  Value rule = json(R"([["role:admin"], ["project_id:%(project_id)s", "role:projectadmin"]])");
  auto check = parse_policy_rule_value("legacy", rule);
  REQUIRE(check.ok());
  CHECK(check->text() == "(role:admin or (project_id:%(project_id)s and role:projectadmin))");
  CHECK(evaluate_policy(*check, own_target(), json(R"({"project_id": "p1", "roles": ["projectadmin"]})"), {}));
  CHECK_FALSE(evaluate_policy(*check, own_target(), member_creds(), {}));
  // [] allows; [[]] (nothing left) denies; a bare string is a one-check and.
  CHECK(evaluate_policy(parse_policy_rule_value("x", json("[]")).value(), own_target(), member_creds(), {}));
  CHECK_FALSE(evaluate_policy(parse_policy_rule_value("x", json("[[]]")).value(), own_target(), admin_creds(), {}));
  CHECK(evaluate_policy(parse_policy_rule_value("x", json(R"(["role:member"])")).value(), own_target(), member_creds(), {}));
  CHECK_FALSE(parse_policy_rule_value("x", json("[1]")).ok());
  CHECK_FALSE(parse_policy_rule_value("x", json("{}")).ok());
}

TEST_CASE("policy: text() prints the rule as oslo does") {
  CHECK(parse_policy_rule("r", "is_admin:True or project_id:%(project_id)s")->text() ==
        "(is_admin:True or project_id:%(project_id)s)");
  CHECK(parse_policy_rule("r", "not role:a and (@ or !)")->text() == "(not role:a and (@ or !))");
  CHECK(parse_policy_rule("r", "rule:admin_only")->text() == "rule:admin_only");
}

TEST_CASE("policy: parse errors name the rule and say what is wrong") {
  CHECK_THAT(parse_error("role:admin or"), Catch::Contains("'workflows:create'") && Catch::Contains("missing"));
  CHECK_THAT(parse_error("(role:admin"), Catch::Contains("')' is missing"));
  CHECK_THAT(parse_error("role:admin)"), Catch::Contains("')'"));
  CHECK_THAT(parse_error("role:a role:b"), Catch::Contains("a check where"));
  CHECK_THAT(parse_error("and role:a"), Catch::Contains("'and'"));
  CHECK_THAT(parse_error("admin"), Catch::Contains("'admin' is not a check"));
  CHECK_THAT(parse_error(":x"), Catch::Contains("nothing before ':'"));
  CHECK_THAT(parse_error("'quoted'"), Catch::Contains("quoted"));
  CHECK_THAT(parse_error("http://example.com/check"), Catch::Contains("not supported"));
  CHECK_THAT(parse_error("()"), Catch::Contains("')'"));
  CHECK_THAT(parse_error("not"), Catch::Contains("missing"));
}

TEST_CASE("policy: nesting is bounded") {
  std::string deep(kPolicyMaxDepth + 5, '(');
  deep += "@" + std::string(kPolicyMaxDepth + 5, ')');
  auto r = parse_policy_rule("deep", deep);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("nested deeper"));
  std::string nots;
  for (size_t i = 0; i < 100000; ++i) nots += "not ";
  CHECK_FALSE(parse_policy_rule("nots", nots + "@").ok());
  std::string fine(10, '(');
  fine += "@" + std::string(10, ')');
  CHECK(parse_policy_rule("ok", fine).ok());
}
