// Mistral's default rules, the policy file merged over them (YAML or JSON),
// its reload, and the sample that `bora policy-generate` prints.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "bora/core/config.h"
#include "bora/identity/policy.h"
#include "bora/identity/policy_defaults.h"

using namespace bora;
using namespace bora::identity;

namespace {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char tmpl[] = "/tmp/bora_policy_XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

PolicyCredentials member(const std::string& project = "p1") { return {"u1", project, {"member"}, false, "", ""}; }
PolicyCredentials admin() { return {"a1", "p9", {"admin"}, true, "", ""}; }
// Mistral's target: the caller's own project and user.
Value target_of(const PolicyCredentials& c) {
  return Value::dict({{"project_id", Value(c.project_id)}, {"user_id", Value(c.user_id)}});
}

}  // namespace

TEST_CASE("policy defaults: Mistral's rules, each parsable, names unique") {
  const auto& defaults = mistral_policy_defaults();
  CHECK(defaults.size() == 72);  // oslopolicy-sample-generator --namespace mistral lists 72
  std::set<std::string> names;
  for (const auto& d : defaults) {
    INFO(d.name);
    CHECK(names.insert(d.name).second);
    CHECK(parse_policy_rule(d.name, d.check).ok());
    if (d.name != "admin_only" && d.name != "admin_or_owner") {
      CHECK((d.check == "rule:admin_or_owner" || d.check == "rule:admin_only"));
      CHECK_FALSE(d.operations.empty());
    }
  }
  REQUIRE(find_policy_default("workflows:create"));
  CHECK(find_policy_default("workflows:create")->check == "rule:admin_or_owner");
  CHECK(find_policy_default("executions:list:all_projects")->check == "rule:admin_only");
  CHECK(find_policy_default("code_sources:create")->check == "rule:admin_only");
  CHECK(find_policy_default("admin_or_owner")->check == "is_admin:True or project_id:%(project_id)s");
  CHECK(find_policy_default("workflows:frobnicate") == nullptr);
}

TEST_CASE("policy defaults: owners and admins, admin-only rules") {
  auto e = PolicyEnforcer::defaults();
  CHECK(e->allowed("workflows:create", target_of(member()), member()));
  CHECK(e->allowed("workflows:create", target_of(admin()), admin()));
  CHECK_FALSE(e->allowed("workflows:publicize", target_of(member()), member()));
  CHECK(e->allowed("workflows:publicize", target_of(admin()), admin()));
  CHECK_FALSE(e->allowed("executions:list:all_projects", target_of(member()), member()));
  CHECK_FALSE(e->allowed("dynamic_actions:create", target_of(member()), member()));
  // Another project's target: only admins (Mistral passes the caller's own).
  CHECK_FALSE(e->allowed("workflows:get", target_of(member("p2")), member("p1")));
  auto denied = e->authorize("code_sources:list", target_of(member()), member());
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.error().kind == ErrorKind::Forbidden);
  CHECK(denied.error().message == "Operation forbidden (insufficient permissions)");
  // A name no rule defines, and no "default" rule: denied.
  CHECK_FALSE(e->allowed("nothing:here", target_of(admin()), admin()));
}

TEST_CASE("policy file: YAML rules merged over the defaults, JSON too") {
  TempDir dir;
  PolicyOptions o;
  o.policy_file = dir.write("policy.yaml",
                            "# operators only may create workflows\n"
                            "\"workflows:create\": \"role:operator or rule:admin_only\"\n"
                            "default: \"@\"\n"
                            "legacy: [[\"role:member\"]]\n");
  auto e = PolicyEnforcer::open(o).value();
  CHECK_FALSE(e->allowed("workflows:create", target_of(member()), member()));
  PolicyCredentials op{"u2", "p1", {"operator"}, false, "", ""};
  CHECK(e->allowed("workflows:create", target_of(op), op));
  CHECK(e->allowed("workflows:create", target_of(admin()), admin()));
  CHECK(e->allowed("workflows:list", target_of(member()), member()));  // defaults still apply
  CHECK(e->allowed("not:registered", target_of(member()), member()));  // the file's "default"
  CHECK(e->allowed("legacy", target_of(member()), member()));

  o.policy_file = dir.write("policy.json", R"({"executions:list:all_projects": "role:auditor"})");
  auto j = PolicyEnforcer::open(o).value();
  PolicyCredentials auditor{"u3", "p3", {"auditor"}, false, "", ""};
  CHECK(j->allowed("executions:list:all_projects", target_of(auditor), auditor));
  CHECK_FALSE(j->allowed("executions:list:all_projects", target_of(admin()), admin()));

  o.policy_file = dir.write("empty.yaml", "");
  CHECK(PolicyEnforcer::open(o).ok());
}

TEST_CASE("policy file: errors name the file, line:column and the rule") {
  TempDir dir;
  PolicyOptions o;
  o.policy_file = dir.write("bad.yaml", "\"workflows:create\": \"role:admin\"\n\"workflows:list\": [unclosed\n");
  auto r = PolicyEnforcer::open(o);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("bad.yaml") && Catch::Contains("line"));

  o.policy_file = dir.write("rule.yaml", "\"workflows:create\": \"role:admin or\"\n");
  r = PolicyEnforcer::open(o);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("rule.yaml") && Catch::Contains("'workflows:create'"));

  o.policy_file = dir.write("list.yaml", "- role:admin\n");
  CHECK_THAT(PolicyEnforcer::open(o).error().message, Catch::Contains("must map rule names"));
}

TEST_CASE("policy file: found beside the configuration; an explicit one must exist") {
  TempDir dir;
  dir.write("policy.yaml", "\"workflows:create\": \"!\"\n");
  Config config;
  auto o = policy_options_from_config(config, dir.path.string());
  REQUIRE(o.ok());
  CHECK(o->policy_file == (dir.path / "policy.yaml").string());
  CHECK_FALSE(o->file_required);

  auto none = policy_options_from_config(config, (dir.path / "elsewhere").string());
  REQUIRE(none.ok());
  CHECK(none->policy_file.empty());

  config.set("oslo_policy", "policy_file", "custom.yaml");
  auto missing = policy_options_from_config(config, dir.path.string());
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.error().message, Catch::Contains("[oslo_policy] policy_file custom.yaml"));
  dir.write("custom.yaml", "{}");
  CHECK(policy_options_from_config(config, dir.path.string())->policy_file == (dir.path / "custom.yaml").string());
}

TEST_CASE("policy file: a change is seen by the next check; a bad change keeps the rules") {
  TempDir dir;
  PolicyOptions o;
  o.policy_file = dir.write("policy.yaml", "\"workflows:create\": \"@\"\n");
  o.recheck_interval = std::chrono::milliseconds(0);
  auto e = PolicyEnforcer::open(o).value();
  CHECK(e->allowed("workflows:create", target_of(member()), member()));

  dir.write("policy.yaml", "\"workflows:create\": \"!\"  # now nobody\n");
  CHECK_FALSE(e->allowed("workflows:create", target_of(admin()), admin()));

  dir.write("policy.yaml", "\"workflows:create\": \"role:admin and\"\n");
  CHECK_FALSE(e->allowed("workflows:create", target_of(admin()), admin()));  // still "!"
  CHECK_FALSE(e->reload().ok());

  dir.write("policy.yaml", "{}\n");
  CHECK(e->reload().ok());
  CHECK(e->allowed("workflows:create", target_of(member()), member()));  // back to the default
}

TEST_CASE("policy dirs: policy.d beside the configuration, files in name order over policy_file") {
  TempDir dir;
  dir.write("policy.yaml", "\"workflows:create\": \"!\"\n\"workflows:delete\": \"!\"\n");
  std::filesystem::create_directory(dir.path / "policy.d");
  dir.write("policy.d/20-later.yaml", "\"workflows:create\": \"role:member\"\n");
  dir.write("policy.d/10-first.json", "{\"workflows:create\": \"!\", \"workflows:list\": \"!\"}");
  dir.write("policy.d/.hidden.yaml", "\"workflows:delete\": \"@\"\n");
  Config config;
  auto o = policy_options_from_config(config, dir.path.string());
  REQUIRE(o.ok());
  REQUIRE(o->policy_dirs.size() == 1);
  CHECK(o->policy_dirs[0] == (dir.path / "policy.d").string());
  o->recheck_interval = std::chrono::milliseconds(0);
  auto e = PolicyEnforcer::open(*o).value();
  CHECK(e->allowed("workflows:create", target_of(member()), member()));       // 20-later over 10-first
  CHECK_FALSE(e->allowed("workflows:list", target_of(member()), member()));   // 10-first
  CHECK_FALSE(e->allowed("workflows:delete", target_of(admin()), admin()));   // the dot file is skipped
  // A file added later is seen by the next check; a bad one keeps the rules.
  dir.write("policy.d/30-last.yaml", "\"workflows:list\": \"@\"\n");
  CHECK(e->allowed("workflows:list", target_of(member()), member()));
  dir.write("policy.d/40-bad.yaml", "\"workflows:list\": \"role:admin and\"\n");
  CHECK(e->allowed("workflows:list", target_of(member()), member()));
  CHECK_FALSE(e->reload().ok());

  // Named explicitly, several, absolute or relative; one that is absent is skipped.
  config.set("oslo_policy", "policy_dirs", "nowhere, " + (dir.path / "policy.d").string());
  auto listed = policy_options_from_config(config, "/nonexistent-config-dir");
  REQUIRE(listed.ok());
  CHECK(listed->policy_dirs == std::vector<std::string>{(dir.path / "policy.d").string()});
}

TEST_CASE("policy sample: oslopolicy-sample-generator's YAML") {
  std::string sample = policy_sample_yaml();
  CHECK(sample.rfind("# Create a new action.\n# POST  /v2/actions\n#\"actions:create\": \"rule:admin_or_owner\"\n\n", 0) ==
        0);
  CHECK_THAT(sample, Catch::Contains("\n#\"admin_only\": \"is_admin:True\"\n\n"));
  CHECK_THAT(sample, Catch::Contains("# Make an action publicly available\n# POST  /v2/actions\n# PUT  /v2/actions\n"));
  // Every default is in it, commented out.
  for (const auto& d : mistral_policy_defaults()) CHECK_THAT(sample, Catch::Contains("#\"" + d.name + "\": "));
}
