// A join's cost grows linearly with its inbound tasks: each arrival is a
// counter on the join's row (joins.cpp), not a scan of the inbound tasks nor
// a list of their ids rewritten at every arrival, and the engine's "is
// anything still running" check stops at the first running task
// (workflow_runner.cpp). Measured as the storage work (storage_work(): SQL
// virtual-machine steps, rows returned, bytes bound) of a whole execution of
// n parallel std.noop tasks joined by `join: all`, for n and 4n: linear work
// is about 4 times as much, quadratic about 16 times.
#include "bora/storage/database.h"
#include "engine_fixture.h"

using namespace bora;
using namespace bora::engine;
using bora::engine::test::EngineFixture;

namespace {

std::string fan(int n) {
  std::string y = "version: '2.0'\nfan:\n  tasks:\n    start:\n      action: std.noop\n      on-success:\n";
  for (int i = 0; i < n; ++i) y += "        - p" + std::to_string(i) + "\n";
  for (int i = 0; i < n; ++i) {
    y += "    p" + std::to_string(i) + ":\n      action: std.noop\n      publish:\n        v" + std::to_string(i) +
         ": " + std::to_string(i) + "\n      on-success: [j]\n";
  }
  y += "    j:\n      join: all\n      action: std.noop\n";
  return y;
}

storage::StorageWork operator-(const storage::StorageWork& a, const storage::StorageWork& b) {
  return {a.statements - b.statements, a.rows - b.rows, a.bytes_bound - b.bytes_bound, a.vm_steps - b.vm_steps};
}

// The storage work of one execution of fan(n), from its start to its end
// (the definition stored before), after checking what it did.
storage::StorageWork join_work(int n) {
  EngineFixture f;
  f.define(fan(n));
  StartRequest req;
  req.workflow = "fan";
  req.caller = f.caller;
  auto before = storage::storage_work();
  auto started = f.engine->start_workflow(req);
  REQUIRE(started.ok());
  auto ex = f.engine->wait(started->id, std::chrono::seconds(60));  // no polling reads in the measure
  auto work = storage::storage_work() - before;
  REQUIRE(ex);
  CHECK(ex->state == storage::State::Success);
  auto tasks = f.tasks(ex->id);
  CHECK(tasks.size() == static_cast<size_t>(n + 2));
  int joins = 0;
  for (const auto& t : tasks) {
    if (t.name != "j") continue;
    ++joins;
    CHECK(t.state == storage::State::Success);
    // Every inbound task's published value reached the join's context.
    REQUIRE(t.in_context.is_dict());
    for (int i = 0; i < n; ++i) CHECK(t.in_context["v" + std::to_string(i)] == Value(i));
  }
  CHECK(joins == 1);
  return work;
}

}  // namespace

TEST_CASE("a join's storage work grows linearly with its inbound tasks") {
  auto small = join_work(100);
  auto large = join_work(400);
  INFO("n=100: " << small.statements << " statements, " << small.rows << " rows, " << small.bytes_bound
                 << " bytes bound, " << small.vm_steps << " VM steps");
  INFO("n=400: " << large.statements << " statements, " << large.rows << " rows, " << large.bytes_bound
                 << " bytes bound, " << large.vm_steps << " VM steps");
  CHECK(large.statements < 5 * small.statements);
  CHECK(large.rows < 5 * small.rows);
  CHECK(large.bytes_bound < 5 * small.bytes_bound);
  CHECK(large.vm_steps < 5 * small.vm_steps);
}
