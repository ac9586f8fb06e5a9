// Policies with time: retry (count, delay, break-on, continue-on),
// wait-before, wait-after, timeout; all through stored timers.
#include <chrono>

#include "engine_fixture.h"

using namespace bora;
using namespace bora::engine;
using bora::engine::test::EngineFixture;
using namespace std::chrono_literals;

TEST_CASE("retry runs a failing action count more times, with the delay, then fails") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
retried:
  tasks:
    flaky:
      action: std.fail
      retry:
        count: 2
        delay: 0
broken_off:
  tasks:
    flaky:
      action: std.fail error_data="fatal"
      retry: count=5 delay=0 break-on=<% task().result = 'fatal' %>
)");
  auto ex = f.run("retried");
  CHECK(ex.state == storage::State::Error);
  std::string task_id = f.task(ex.id, "flaky").id;
  auto attempts = f.db->read([&](storage::Transaction& tx) {
    return tx.action_executions()
        .count({{"task_execution_id", storage::FilterOp::Eq, {task_id}}}, bora::storage::ProjectScope::all())
        .value();
  });
  CHECK(attempts == 3);
  auto broken = f.run("broken_off");
  CHECK(broken.state == storage::State::Error);
  std::string broken_task = f.task(broken.id, "flaky").id;
  auto broken_attempts = f.db->read([&](storage::Transaction& tx) {
    return tx.action_executions()
        .count({{"task_execution_id", storage::FilterOp::Eq, {broken_task}}}, bora::storage::ProjectScope::all())
        .value();
  });
  CHECK(broken_attempts == 1);
}

TEST_CASE("continue-on retries a success while it holds, up to count") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
again:
  tasks:
    t:
      action: std.echo output="again"
      retry:
        count: 2
        delay: 0
        continue-on: <% task().result = 'again' %>
      publish:
        final: <% task().result %>
)");
  auto ex = f.run("again");
  REQUIRE(ex.state == storage::State::Success);
  CHECK(ex.output["final"].as_string() == "again");
  std::string task_id = f.task(ex.id, "t").id;
  auto attempts = f.db->read([&](storage::Transaction& tx) {
    return tx.action_executions()
        .count({{"task_execution_id", storage::FilterOp::Eq, {task_id}}}, bora::storage::ProjectScope::all())
        .value();
  });
  CHECK(attempts == 3);
}

TEST_CASE("wait-before and wait-after delay the task") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
patient:
  tasks:
    t:
      action: std.noop
      wait-before: <% 1 %>
      wait-after: <% 1 %>
      on-success: u
    u:
      action: std.noop
)");
  auto t0 = f.clock->now();
  auto ex = f.run("patient");
  auto elapsed = f.clock->now() - t0;  // virtual time: nothing slept
  REQUIRE(ex.state == storage::State::Success);
  CHECK(elapsed >= 2s);
  CHECK(elapsed < 2100ms);
  CHECK(f.task(ex.id, "u").state == storage::State::Success);
}

TEST_CASE("timeout fails a task that runs too long") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
too_slow:
  tasks:
    t:
      action: std.sleep seconds=5
      timeout: <% 1 %>
)");
  auto t0 = f.clock->now();
  auto ex = f.run("too_slow");
  // Stopped at 1 s of virtual time, not after the 5 s sleep.
  CHECK(f.clock->now() - t0 >= 1s);
  CHECK(f.clock->now() - t0 < 5s);
  CHECK(ex.state == storage::State::Error);
  // As in Mistral, the executor's timeout fails the action first (eventlet's
  // text) and the task takes that error.
  auto info = f.task(ex.id, "t").state_info;
  REQUIRE(info);
  CHECK_THAT(*info, Catch::StartsWith("The action raised an exception [action=<mistral.actions.std_actions."
                                      "SleepAction object at 0x") &&
                        Catch::EndsWith(", msg='1 second']"));
}

TEST_CASE("a waiting timer leaves the engine idle and is its next timer until the clock reaches it") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
later:
  tasks:
    t:
      action: std.noop
      wait-before: 3600
)");
  StartRequest req;
  req.workflow = "later";
  req.caller = f.caller;
  auto t0 = f.clock->now();
  auto started = f.engine->start_workflow(req);
  REQUIRE(started.ok());
  auto waiting = f.settle(started->id, 60.0);  // a minute passes: nothing due
  REQUIRE(waiting);
  CHECK(waiting->state == storage::State::Running);
  CHECK(f.engine->idle());
  auto next = f.engine->next_timer();
  REQUIRE(next);
  CHECK(*next >= t0 + std::chrono::hours(1));
  CHECK(*next < t0 + std::chrono::hours(1) + std::chrono::seconds(5));
  CHECK(f.task(started->id, "t").state == storage::State::Delayed);  // held by its wait-before
  f.clock->set(*next);
  f.engine->poke();  // no need to wait for the loop's tick
  auto done = f.settle(started->id);
  REQUIRE(done);
  CHECK(done->state == storage::State::Success);
  CHECK_FALSE(f.engine->next_timer());
}
