// Engine::begin_drain / wait_drained / finish (a graceful stop) and the
// recovery of what a drain leaves: an action created during the drain is
// never run by this engine, and the next one runs it whatever safe-rerun.
#include "engine_fixture.h"

#include "step.h"

namespace bora::engine::test {

namespace {

std::vector<storage::ActionExecution> actions_of(EngineFixture& f, const std::string& task_id) {
  return f.db->read([&](storage::Transaction& tx) {
    return tx.action_executions()
        .list({storage::ProjectScope::all(), {{"task_execution_id", storage::FilterOp::Eq, {task_id}}}})
        .value();
  });
}

// Waits (real time, bounded) until the task exists and its action sleeps
// on the virtual clock.
void wait_sleeping(EngineFixture& f, const std::string& ex_id, const std::string& task) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    for (auto& t : f.tasks(ex_id))
      if (t.name == task && f.clock->sleepers() > 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  FAIL("task " << task << " did not start sleeping");
}

// The engine of the next start, on the same database and clock.
std::unique_ptr<Engine> restarted(EngineFixture& f) {
  EngineOptions options;
  options.time = f.clock;
  return std::make_unique<Engine>(*f.db, f.pool, *f.expressions, options);
}

// Starts the workflow and waits until its task's action sleeps.
std::string start_sleeping(EngineFixture& f, const std::string& workflow, const std::string& task) {
  StartRequest req;
  req.workflow = workflow;
  req.caller = f.caller;
  auto ex = f.engine->start_workflow(req).value();
  wait_sleeping(f, ex.id, task);
  return ex.id;
}

}  // namespace

TEST_CASE("a drain lets the running action finish and leaves the next one, marked, to the next start") {
  EngineFixture f;
  f.define(R"(
version: '2.0'
two:
  tasks:
    first:
      action: std.sleep seconds=10
      on-success: second
    second:
      action: std.sleep seconds=1
)");
  std::string ex_id = start_sleeping(f, "two", "first");
  CHECK(f.engine->busy_for() < std::chrono::seconds(1));

  f.engine->begin_drain();
  CHECK_FALSE(f.engine->wait_drained(std::chrono::steady_clock::now() + std::chrono::milliseconds(100)));
  f.clock->advance(std::chrono::seconds(11));  // first wakes and ends
  REQUIRE(f.engine->wait_drained(std::chrono::steady_clock::now() + std::chrono::seconds(10)));
  f.engine->finish();

  // first's result committed during the drain; second created, not run.
  CHECK(f.task(ex_id, "first").state == storage::State::Success);
  auto second = f.task(ex_id, "second");
  auto pending = actions_of(f, second.id);
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].state == storage::State::Running);
  CHECK(ItemContextView(pending[0].runtime_context).not_started());
  StartRequest again;
  again.workflow = "two";
  again.caller = f.caller;
  CHECK(f.engine->start_workflow(again).error().kind == ErrorKind::Unavailable);

  // The next start runs it (no safe-rerun needed) and clears the mark.
  f.engine = restarted(f);
  auto done = f.settle(ex_id);
  REQUIRE(done);
  CHECK(done->state == storage::State::Success);
  auto ran = actions_of(f, second.id);
  REQUIRE(ran.size() == 1);
  CHECK(ran[0].state == storage::State::Success);
  CHECK_FALSE(ItemContextView(ran[0].runtime_context).not_started());
}

TEST_CASE("finish stops a running action: its result is dropped and recovery fails it without safe-rerun") {
  EngineFixture f;
  f.define(R"(
version: '2.0'
long:
  tasks:
    wait:
      action: std.sleep seconds=1000
)");
  std::string ex_id = start_sleeping(f, "long", "wait");
  f.engine->begin_drain();
  f.engine->finish();  // the deadline passed
  auto task = f.task(ex_id, "wait");
  auto left = actions_of(f, task.id);
  REQUIRE(left.size() == 1);
  CHECK(left[0].state == storage::State::Running);
  CHECK_FALSE(ItemContextView(left[0].runtime_context).not_started());  // it had begun

  f.engine = restarted(f);
  auto done = f.settle(ex_id);
  REQUIRE(done);
  CHECK(done->state == storage::State::Error);
  REQUIRE(done->state_info);
  CHECK_THAT(*done->state_info, Catch::Contains("running when bora stopped"));
}

}  // namespace bora::engine::test
