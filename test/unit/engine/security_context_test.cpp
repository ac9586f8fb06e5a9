// The execution's security context (docs/IDENTITY.md): kept in
// context['openstack'] when the starter has one, seen by expressions,
// inherited by sub-workflows, handed to every action (completed through
// EngineOptions::complete_security on the executor), never in an output.
#include <mutex>

#include "engine_fixture.h"

using namespace bora;
using namespace bora::engine;
using bora::engine::test::EngineFixture;

namespace {

const char* kParentAndChild = R"(
version: '2.0'
parent:
  tasks:
    call:
      workflow: child
child:
  tasks:
    t:
      action: std.echo output=<% $.openstack.project_id %>
      publish:
        seen: <% task().result %>
plain:
  tasks:
    t:
      action: std.echo output="plain"
)";

struct Seen {
  std::mutex mutex;
  std::vector<Value> contexts;
};

EngineOptions recording(std::shared_ptr<Seen> seen) {
  EngineOptions o;
  o.max_inline_actions = 0;  // every action through the executor
  o.complete_security = [seen](const Value& security) {
    std::lock_guard lock(seen->mutex);
    seen->contexts.push_back(security);
    return security.with("completed", Value(true));
  };
  return o;
}

}  // namespace

TEST_CASE("a starter's security context is kept, inherited and given to actions, never output") {
  auto seen = std::make_shared<Seen>();
  EngineFixture f(true, recording(seen));
  f.caller.security = Value::dict({{"project_id", Value(f.caller.project_id)},
                                   {"user_id", Value("u1")},
                                   {"auth_token", Value("secret-token")}});
  f.define(kParentAndChild);
  auto ex = f.run("parent");
  REQUIRE(ex.state == storage::State::Success);
  CHECK(ex.context["openstack"]["auth_token"].as_string() == "secret-token");
  // The default output is the final context: without the token.
  CHECK(ex.output.is_dict());
  CHECK_FALSE(ex.output.find("openstack"));
  auto child = f.db->read([&](storage::Transaction& tx) {
    return tx.workflow_executions()
        .list({storage::ProjectScope::all(), {{"root_execution_id", storage::FilterOp::Eq, {ex.id}}}, {}})
        .value();
  });
  REQUIRE(child.size() == 1);
  CHECK(child[0].context["openstack"]["user_id"].as_string() == "u1");  // inherited
  CHECK(child[0].output["seen"].as_string() == f.caller.project_id);  // $.openstack in expressions
  std::lock_guard lock(seen->mutex);
  REQUIRE(seen->contexts.size() == 1);
  CHECK(seen->contexts[0]["auth_token"].as_string() == "secret-token");
}

TEST_CASE("with auth off nothing is stored and actions get the owning project") {
  auto seen = std::make_shared<Seen>();
  EngineFixture f(true, recording(seen));
  f.define(kParentAndChild);
  auto ex = f.run("plain");
  INFO(ex.state_info.value_or("") << " / " << f.task(ex.id, "t").state_info.value_or(""));
  REQUIRE(ex.state == storage::State::Success);
  CHECK_FALSE(ex.context.find("openstack"));
  std::lock_guard lock(seen->mutex);
  REQUIRE(seen->contexts.size() == 1);
  CHECK(seen->contexts[0]["project_id"].as_string() == f.caller.project_id);
  CHECK_FALSE(seen->contexts[0].find("auth_token"));
}
