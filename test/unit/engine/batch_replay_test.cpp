// A batch whose transaction fails is applied again one command at a time
// (engine.cpp): each command that then commits must have its whole effect.
// (A cancel leaves the execution's running actions to finish, as Mistral's
// _cancel_workflow does: cancellation.cpp.)
#include <chrono>
#include <thread>

#include "engine_fixture.h"
#include "support/sanitizers.h"

namespace bora::engine::test {

namespace {

expr::EvalLimits unbounded() {
  expr::EvalLimits limits;
  limits.max_steps = 0;  // the busy expression below runs for a while on purpose
  limits.max_value_bytes = 0;
  // And no wall-clock bound: under the sanitizers on a loaded machine the
  // busy vars ran past the default 10 s and the start failed (a flake).
  limits.max_time_ms = 0;
  return limits;
}

}  // namespace

TEST_CASE("a cancel replayed alone after its batch failed still has its whole effect") {
  EngineFixture f(true, EngineOptions{}, unbounded());
  f.define(R"(
version: '2.0'
victim:
  tasks:
    hold:
      action: std.async_noop
sleepers:
  tasks:
    sleep:
      with-items: i in <% [1, 2, 3, 4] %>
      action: std.sleep seconds=5
busy:
  vars:
    spin: <% range(0, )" + std::to_string(3000000 / bora::test::kSlowdown) + R"().where($ < 0).len() %>
  tasks:
    done:
      action: std.noop
quick:
  tasks:
    done:
      action: std.noop
)");
  auto start = [&](const std::string& wf) {
    StartRequest req;
    req.workflow = wf;
    req.caller = f.caller;
    return f.engine->start_workflow(req);
  };
  // A paused execution whose stored spec no longer parses: resuming it
  // throws inside the transaction, which sinks the batch it is in.
  auto victim = start("victim");
  REQUIRE(victim.ok());
  REQUIRE(f.engine->pause(victim->id, f.caller).ok());
  f.db->write([&](storage::Transaction& tx) {
    auto ex = tx.workflow_executions().get(victim->id, storage::ProjectScope::all()).value();
    ex.spec = Value("not a workflow spec");
    tx.workflow_executions().update(ex).value();
  });
  // A new engine, as after a restart: it has not cached the spec.
  f.engine.reset();
  f.engine = std::make_unique<Engine>(*f.db, f.pool, *f.expressions, EngineOptions{});
  // Four sleeps take the fixture's four executor threads; they run to
  // their end (5 s, which the fixture's teardown waits for).
  auto sleepers = start("sleepers");
  REQUIRE(sleepers.ok());

  // While the loop evaluates the busy workflow's vars, the cancel and the
  // resume queue up and are taken as one batch.
  Result<storage::WorkflowExecution> busy_started = Error{ErrorKind::Internal, "not run"};
  std::thread busy([&] { busy_started = start("busy"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  Result<storage::WorkflowExecution> cancelled = Error{ErrorKind::Internal, "not run"};
  Result<storage::WorkflowExecution> resumed = Error{ErrorKind::Internal, "not run"};
  std::thread cancel(
      [&] { cancelled = f.engine->stop(sleepers->id, "CANCELLED", std::string("enough"), f.caller); });
  std::thread resume([&] { resumed = f.engine->resume(victim->id, Value(Dict{}), f.caller); });
  busy.join();
  cancel.join();
  resume.join();
  INFO((busy_started.ok() ? std::string() : busy_started.error().message));
  CHECK(busy_started.ok());
  REQUIRE(cancelled.ok());
  CHECK(cancelled->state == storage::State::Cancelled);
  CHECK_FALSE(resumed.ok());

  // The engine goes on: a new execution runs (its std.noop inline).
  auto started = std::chrono::steady_clock::now();
  auto done = f.engine->wait(start("quick")->id, std::chrono::seconds(10));
  REQUIRE(done);
  CHECK(done->state == storage::State::Success);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
}

}  // namespace bora::engine::test
