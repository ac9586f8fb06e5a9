// Pause, resume, cancel, fail, and asynchronous actions completed from
// outside.
#include "engine_fixture.h"

using namespace bora;
using namespace bora::engine;
using bora::engine::test::EngineFixture;
using namespace std::chrono_literals;

TEST_CASE("pause holds the next tasks back, resume runs them") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
two_steps:
  tasks:
    first:
      action: std.echo output=1
      input:
        delay: 1.0
      on-success: second
    second:
      action: std.noop
)");
  std::string id = f.start("two_steps");
  auto paused = f.engine->pause(id, f.caller);
  REQUIRE(paused.ok());
  CHECK(paused->state == storage::State::Paused);
  f.advance(1.3);  // first (a 1 s echo) finishes while paused
  CHECK(f.task(id, "first").state == storage::State::Success);
  CHECK(f.tasks(id).size() == 1);
  auto resumed = f.engine->resume(id, Value(), f.caller);
  REQUIRE(resumed.ok());
  auto done = f.settle(id);
  REQUIRE(done);
  CHECK(done->state == storage::State::Success);
  CHECK(f.tasks(id).size() == 2);
}

TEST_CASE("the pause command waits for resume, then the rest of the clause runs") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
pausing:
  tasks:
    t:
      action: std.noop
      on-success:
        - pause
        - after
    after:
      action: std.noop
)");
  auto ex = f.run("pausing");
  REQUIRE(ex.state == storage::State::Paused);
  REQUIRE(f.engine->resume(ex.id, Value(), f.caller).ok());
  auto done = f.settle(ex.id);
  REQUIRE(done);
  CHECK(done->state == storage::State::Success);
  CHECK(f.task(ex.id, "after").state == storage::State::Success);
}

TEST_CASE("cancel stops the execution and leaves its running task as Mistral does; fail sets ERROR") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
sleepy:
  tasks:
    nap:
      action: std.sleep seconds=5
      on-success: never
    never:
      action: std.noop
)");
  std::string id = f.start("sleepy");
  auto cancelled = f.engine->stop(id, "CANCELLED", std::string("no longer needed"), f.caller);
  REQUIRE(cancelled.ok());
  CHECK(cancelled->state == storage::State::Cancelled);
  CHECK(cancelled->state_info == std::optional<std::string>("no longer needed"));
  // Mistral's _cancel_workflow touches the execution only (its
  // test_notify_cancel: "the task is still running as expected").
  CHECK(f.task(id, "nap").state == storage::State::Running);
  std::string id2 = f.start("sleepy");
  auto failed = f.engine->stop(id2, "ERROR", std::string("operator gave up"), f.caller);
  REQUIRE(failed.ok());
  CHECK(failed->state == storage::State::Error);
  CHECK(failed->state_info == std::optional<std::string>("operator gave up"));
  auto bad = f.engine->stop(id2, "WAITING", std::nullopt, f.caller);
  CHECK_FALSE(bad.ok());
  // Stopping a finished execution changes nothing.
  auto again = f.engine->stop(id2, "CANCELLED", std::nullopt, f.caller);
  REQUIRE(again.ok());
  CHECK(again->state == storage::State::Error);
}

TEST_CASE("an asynchronous action stays RUNNING until its result is sent") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
waits:
  tasks:
    ask:
      action: std.async_noop
      publish:
        answer: <% task().result %>
)");
  std::string id = f.start("waits");
  REQUIRE(f.settle(id));  // nothing left to do but wait for the result
  auto ex = f.db->read([&](storage::Transaction& tx) {
    return tx.workflow_executions().get(id, bora::storage::ProjectScope::all()).value();
  });
  CHECK(ex.state == storage::State::Running);
  std::string task_id = f.task(id, "ask").id;
  auto actions = f.db->read([&](storage::Transaction& tx) {
    return tx.action_executions()
        .list({bora::storage::ProjectScope::all(), {{"task_execution_id", storage::FilterOp::Eq, {task_id}}}})
        .value();
  });
  REQUIRE(actions.size() == 1);
  CHECK(actions[0].state == storage::State::Running);
  auto done = f.engine->complete_action(actions[0].id, executor::ActionResult::success(Value(42)), f.caller);
  REQUIRE(done.ok());
  CHECK(done->state == storage::State::Success);
  auto finished = f.settle(id);
  REQUIRE(finished);
  CHECK(finished->state == storage::State::Success);
  CHECK(finished->output["answer"].as_int() == 42);
  auto twice = f.engine->complete_action(actions[0].id, executor::ActionResult::success(Value(1)), f.caller);
  CHECK_FALSE(twice.ok());
}

TEST_CASE("a failed task is rerun; with-items without reset reruns only failed items") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
flaky_env:
  tasks:
    t:
      action: std.echo output=<% env().value %>
      publish:
        got: <% task().result %>
fails_once:
  tasks:
    t:
      action: std.fail
items:
  tasks:
    t:
      with-items: x in <% [1, 2, 3] %>
      concurrency: 1
      action: std.echo output=<% 10 / (env().d - $.x) %>
      publish:
        out: <% task().result %>
)");
  auto ex = f.run("fails_once");
  REQUIRE(ex.state == storage::State::Error);
  std::string t_id = f.task(ex.id, "t").id;
  auto bad = f.engine->rerun_task(t_id, false, Value(), f.caller);
  CHECK_FALSE(bad.ok());  // only with-items tasks may keep their results
  auto again = f.engine->rerun_task(t_id, true, Value(), f.caller);
  REQUIRE(again.ok());
  auto done = f.settle(ex.id);
  REQUIRE(done);
  CHECK(done->state == storage::State::Error);  // std.fail fails again

  // env() missing the first time; the rerun gives it.
  StartRequest req;
  req.workflow = "items";
  req.caller = f.caller;
  req.params = Value::dict({{"env", Value::dict({{"d", Value(2)}})}});  // item 2 divides by zero
  auto started = f.engine->start_workflow(req);
  REQUIRE(started.ok());
  auto first = f.settle(started->id);
  REQUIRE(first);
  REQUIRE(first->state == storage::State::Error);
  std::string items_task = f.task(started->id, "t").id;
  auto rerun = f.engine->rerun_task(items_task, false, Value::dict({{"d", Value(5)}}), f.caller);
  REQUIRE(rerun.ok());
  auto second = f.settle(started->id);
  REQUIRE(second);
  CHECK(second->state == storage::State::Success);
  // Item 1 kept its first result (d=2); item 2's input failed (which fails
  // the task at once, as Mistral does) and item 3 never started, so both
  // run again (d=5).
  CHECK(second->output["out"] == Value::list({Value(10), Value(3), Value(5)}));
}
