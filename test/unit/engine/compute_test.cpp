// Evaluations moved off the engine's loop (src/engine/compute.h): a
// command whose evaluation outruns its slice waits for a compute worker
// while other executions go on, and its values are the ones the loop would
// have computed.
#include <chrono>
#include <future>

#include "bora/core/metrics.h"
#include "engine_fixture.h"

using namespace bora;
using namespace bora::engine;
using namespace bora::engine::test;

namespace {

double moved_so_far() {
  std::string text = metrics::Registry::global().expose();
  auto at = text.find("\nbora_engine_evaluations_moved_total ");
  if (at == std::string::npos) return 0;
  return std::stod(text.substr(at + std::string("\nbora_engine_evaluations_moved_total ").size()));
}

expr::EvalLimits roomy() {
  expr::EvalLimits limits;
  limits.max_steps = 2'000'000'000;
  limits.max_time_ms = 120'000;
  limits.max_value_bytes = int64_t{1} << 36;  // counted over the whole evaluation: short-lived lists add up
  return limits;
}

// A YAQL expression taking about `seconds` here (and its value): the sum
// of range(0, 10000), `rounds` times over.
std::pair<std::string, int64_t> slow_expression(double seconds) {
  auto text = [](int64_t rounds) {
    return "range(0, " + std::to_string(rounds) + ").select(range(0, 10000).sum()).sum()";
  };
  expr::MistralExpressions e(roomy());
  auto t0 = std::chrono::steady_clock::now();
  REQUIRE(e.evaluate(Value("<% " + text(50) + " %>"), Value(Dict{}), expr::ExpressionScope{}).ok());
  double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  int64_t rounds = std::max<int64_t>(50, static_cast<int64_t>(50 * seconds / std::max(spent, 1e-4)));
  return {text(rounds), rounds * 49'995'000};
}

const char* kWorkflows = R"(
version: '2.0'
slow:
  tasks:
    t1:
      action: std.noop
      publish:
        a: <% EXPR %>
      on-success: t2
    t2:
      action: std.echo output=<% EXPR %>
      publish:
        b: <% task().result %>
      on-success:
        - t3: <% EXPR > 0 %>
    t3:
      action: std.noop
      publish:
        c: <% $.a + $.b %>
trivial:
  tasks:
    t:
      action: std.echo output="ok"
)";

// The definitions `text` with each EXPR replaced by `expr`.
std::string with_expression(std::string text, const std::string& expr) {
  for (size_t at; (at = text.find("EXPR")) != std::string::npos;) text.replace(at, 4, expr);
  return text;
}

std::string workflows(const std::string& expr) { return with_expression(kWorkflows, expr); }

}  // namespace


// Runs the slow workflow (evaluations of ~50 ms, slices of 1 ms) with
// `workers` compute workers: every value is right; returns how many
// evaluations moved off the loop.
double run_slow_workflow(size_t workers) {
  EngineOptions options;
  options.evaluation_slice_ms = 1;
  options.compute_workers = workers;
  EngineFixture f(true, options, roomy());
  auto [expr, total] = slow_expression(0.05);
  f.define(workflows(expr));
  double before = moved_so_far();
  auto ex = f.run("slow");
  CHECK(ex.state == storage::State::Success);
  auto tasks = f.tasks(ex.id);
  REQUIRE(tasks.size() == 3);
  CHECK(tasks[0].published == Value::dict({{"a", Value(total)}}));
  CHECK(tasks[1].published == Value::dict({{"b", Value(total)}}));
  CHECK(tasks[2].published == Value::dict({{"c", Value(2 * total)}}));
  return moved_so_far() - before;
}

TEST_CASE("an evaluation longer than its slice finishes on a worker with the value the loop would give") {
  // The publish, the input and the condition each moved off the loop.
  CHECK(run_slow_workflow(2) >= 3);
}

TEST_CASE("with no compute worker every evaluation stays on the loop") { CHECK(run_slow_workflow(0) == 0); }

TEST_CASE("other executions go on while one waits for its evaluation") {
  EngineFixture f(true, EngineOptions{}, roomy());
  auto [expr, total] = slow_expression(0.8);
  f.define(workflows(expr));
  auto t0 = std::chrono::steady_clock::now();
  std::string slow = f.start("slow");
  // While the slow one evaluates (three times ~0.8 s), trivial ones start
  // and end in one batch each.
  double longest = 0;
  int trivial = 0;
  while (true) {
    auto slow_ex = f.execution(slow);
    REQUIRE(slow_ex);
    if (slow_ex->state != storage::State::Running) break;
    auto t = std::chrono::steady_clock::now();
    auto ex = f.engine->wait(f.start("trivial"), std::chrono::seconds(20));
    REQUIRE(ex);
    CHECK(ex->state == storage::State::Success);
    longest = std::max(longest, std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count());
    ++trivial;
    REQUIRE(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(60));
  }
  double slow_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  auto done = f.settle(slow);
  REQUIRE(done);
  INFO(done->state_info.value_or(""));
  CHECK(done->state == storage::State::Success);
  CHECK(f.tasks(done->id)[2].published == Value::dict({{"c", Value(2 * total)}}));
  CHECK(trivial >= 3);
  // Each trivial execution took a fraction of one slow evaluation.
  INFO("longest trivial " << longest << " s, slow " << slow_seconds << " s");
  CHECK(longest < 0.4);
}

TEST_CASE("a cheap action taken from the backlog parks its result and keeps the backlog's order") {
  EngineOptions options;
  options.evaluation_slice_ms = 1;
  options.max_inline_actions = 1;  // each next action waits in the backlog
  EngineFixture f(true, options, roomy());
  auto [expr, total] = slow_expression(0.05);
  f.define(workflows(expr));
  double before = moved_so_far();
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(f.start("slow"));
  for (const auto& id : ids) {
    auto done = f.settle(id);
    REQUIRE(done);
    CHECK(done->state == storage::State::Success);
    auto tasks = f.tasks(id);
    REQUIRE(tasks.size() == 3);
    CHECK(tasks[2].published == Value::dict({{"c", Value(2 * total)}}));
  }
  CHECK(moved_so_far() - before >= 9);
}

namespace {

const char* kTimerWorkflows = R"(
version: '2.0'
slow_after_wait:
  tasks:
    t1:
      wait-before: 1
      action: std.echo output=<% EXPR %>
      publish:
        a: <% task().result %>
slow_start:
  tasks:
    t1:
      action: std.echo output=<% EXPR %>
      publish:
        a: <% task().result %>
)";

std::string timer_workflows(const std::string& expr) { return with_expression(kTimerWorkflows, expr); }

}  // namespace

TEST_CASE("a timer's evaluation longer than its slice moves off the loop with the value the loop would give") {
  EngineOptions options;
  options.evaluation_slice_ms = 1;
  EngineFixture f(true, options, roomy());
  auto [expr, total] = slow_expression(0.05);
  f.define(timer_workflows(expr));
  double before = moved_so_far();
  // The wait's timer starts t1, whose input is the slow expression: it is
  // evaluated by the unit that fires the timer.
  auto ex = f.run("slow_after_wait");
  INFO(ex.state_info.value_or(""));
  CHECK(ex.state == storage::State::Success);
  CHECK(f.task(ex.id, "t1").published == Value::dict({{"a", Value(total)}}));
  CHECK(moved_so_far() - before >= 1);
}

TEST_CASE("a cron trigger's first tasks evaluate off the loop, and the trigger fires once") {
  EngineOptions options;
  options.evaluation_slice_ms = 1;
  EngineFixture f(true, options, roomy());
  auto [expr, total] = slow_expression(0.05);
  f.define(timer_workflows(expr));
  auto wf = f.db->read([&](storage::Transaction& tx) {
    return tx.workflow_definitions()
        .find_one({{"name", storage::FilterOp::Eq, {"slow_start"}}}, storage::ProjectScope::all())
        .value();
  });
  // Counted from before the trigger is stored: it is due at once, so the
  // loop's own tick may fire it (and move its evaluation) before advance().
  double before = moved_so_far();
  f.db->write([&](storage::Transaction& tx) {
    storage::CronTrigger once;
    once.name = "once";
    once.pattern = "";
    once.next_execution_time = f.clock->now();
    once.remaining_executions = 1;
    once.workflow_name = wf.name;
    once.workflow_id = wf.id;
    once.workflow_input = Value(Dict{});
    once.workflow_params = Value(Dict{});
    once.project_id = "p1";
    tx.cron_triggers().create(once).value();
  });
  f.advance(1);
  auto executions = f.db->read([&](storage::Transaction& tx) {
    return tx.workflow_executions().list({storage::ProjectScope::all()}).value();
  });
  REQUIRE(executions.size() == 1);
  auto done = f.settle(executions[0].id);
  REQUIRE(done);
  CHECK(done->state == storage::State::Success);
  CHECK(f.task(done->id, "t1").published == Value::dict({{"a", Value(total)}}));
  CHECK(moved_so_far() - before >= 1);
  auto triggers = f.db->read([&](storage::Transaction& tx) {
    return tx.cron_triggers().count({}, storage::ProjectScope::all()).value();
  });
  CHECK(triggers == 0);
}

TEST_CASE("a publish whose evaluation moves off the loop still caches its task() for the transition") {
  // Mistral's task() is tx_cached (expr::CallCache): the publish's task()
  // keeps the result that keep-result: false then drops, and the
  // transition of the same transaction sees it. Here the publish's
  // evaluation yields and moves off the loop; its task() read of the task
  // being completed differs from the worker's snapshot (the action's row),
  // so after the misses the loop evaluates it, and the cache must hold
  // the answer whichever way the value came.
  EngineOptions options;
  options.evaluation_slice_ms = 1;
  options.compute_workers = 2;
  EngineFixture f(true, options, roomy());
  auto [expr, total] = slow_expression(0.05);
  f.define(with_expression(R"(
version: '2.0'
cached:
  tasks:
    t1:
      # A delay: the action runs on the pool, and its result comes in a
      # later batch, whose worker can read the task (one created in the
      # batch itself is the loop's to evaluate).
      action: std.echo output=7 delay=0.01
      keep-result: false
      publish:
        a: <% [EXPR, task().result][1] %>
      on-success:
        - t2: <% task().result = 7 %>
    t2:
      action: std.noop
)",
                           expr));
  double before = moved_so_far();
  auto ex = f.run("cached");
  CHECK(ex.state == storage::State::Success);
  CHECK(moved_so_far() - before >= 1);
  auto tasks = f.tasks(ex.id);
  REQUIRE(tasks.size() == 2);  // without the worker's answer in the cache, t2 would not run
  CHECK(tasks[0].published == Value::dict({{"a", Value(int64_t{7})}}));
  CHECK(tasks[1].name == "t2");
}
