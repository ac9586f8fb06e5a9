// Sub-workflows: input passed down, output as the task's result, errors
// propagating, several levels, links between executions.
#include "engine_fixture.h"

using namespace bora;
using namespace bora::engine;
using bora::engine::test::EngineFixture;

TEST_CASE("a sub-workflow's output is the task's result; links are set") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
parent:
  tasks:
    call:
      workflow: child
      input:
        n: 20
      publish:
        got: <% task().result.doubled %>
child:
  input:
    - n
  output:
    doubled: <% $.n * 2 %>
  tasks:
    inner:
      workflow: grandchild
grandchild:
  tasks:
    t:
      action: std.noop
)");
  auto ex = f.run("parent");
  REQUIRE(ex.state == storage::State::Success);
  CHECK(ex.output["got"].as_int() == 40);
  auto subs = f.db->read([&](storage::Transaction& tx) {
    return tx.workflow_executions()
        .list({bora::storage::ProjectScope::all(),
               {{"root_execution_id", storage::FilterOp::Eq, {ex.id}}},
               {{"created_at", false}}})
        .value();
  });
  REQUIRE(subs.size() == 2);
  CHECK(subs[0].workflow_name == "child");
  CHECK(subs[0].task_execution_id == std::optional<std::string>(f.task(ex.id, "call").id));
  CHECK(subs[1].workflow_name == "grandchild");
  CHECK(subs[1].state == storage::State::Success);
}

TEST_CASE("a failing sub-workflow fails the task and, unhandled, the parent") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
parent:
  tasks:
    call:
      workflow: failing_child
failing_child:
  tasks:
    t:
      action: std.fail error_data="inner trouble"
handled_parent:
  tasks:
    call:
      workflow: failing_child
      on-error: recover
    recover:
      action: std.noop
)");
  auto ex = f.run("parent");
  CHECK(ex.state == storage::State::Error);
  CHECK_THAT(*f.task(ex.id, "call").state_info, Catch::Contains("inner trouble"));
  auto handled = f.run("handled_parent");
  CHECK(handled.state == storage::State::Success);
}

TEST_CASE("an unknown sub-workflow or bad input fails the task clearly") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
calls_missing:
  tasks:
    t:
      workflow: nowhere
calls_badly:
  tasks:
    t:
      workflow: needs_x
needs_x:
  input:
    - x
  tasks:
    t:
      action: std.noop
)");
  auto missing = f.run("calls_missing");
  CHECK(missing.state == storage::State::Error);
  CHECK_THAT(*f.task(missing.id, "t").state_info, Catch::Contains("Failed to find workflow [name="));
  auto bad = f.run("calls_badly");
  CHECK(bad.state == storage::State::Error);
  CHECK_THAT(*f.task(bad.id, "t").state_info, Catch::Contains("missing=['x']"));
}

TEST_CASE("rerun_inside_a_subworkflow_reopens_the_parents") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
outer:
  output:
    got: <% task(call).result.v %>
  tasks:
    call:
      workflow: inner
inner:
  output:
    v: <% $.v %>
  tasks:
    t:
      action: std.echo
      publish:
        v: <% task().result %>
)");
  // The inner task lacks its action's input; a rerun with an env giving it
  // as the action's default fixes it: the env goes to the sub-workflow's own
  // params.env, which its actions' defaults read (Mistral 15 does the same;
  // its env() would still read the root's env).
  auto ex = f.run("outer");
  REQUIRE(ex.state == storage::State::Error);
  auto subs = f.db->read([&](storage::Transaction& tx) {
    return tx.workflow_executions()
        .list({bora::storage::ProjectScope::all(),
               {{"root_execution_id", storage::FilterOp::Eq, {ex.id}}},
               {{"created_at", false}}})
        .value();
  });
  REQUIRE(subs.size() == 1);
  REQUIRE(subs[0].state == storage::State::Error);
  std::string inner_task = f.task(subs[0].id, "t").id;
  Value env = Value::dict(
      {{"__actions", Value::dict({{"std.echo", Value::dict({{"output", Value("fixed")}})}})}});
  auto rerun = f.engine->rerun_task(inner_task, true, env, f.caller);
  REQUIRE(rerun.ok());
  auto done = f.settle(ex.id);
  REQUIRE(done);
  CHECK(done->state == storage::State::Success);
  CHECK(done->output["got"].as_string() == "fixed");
  CHECK(f.task(ex.id, "call").state == storage::State::Success);
}
