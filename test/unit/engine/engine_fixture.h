// A database, an executor pool and an engine (without the expression
// engine) for engine tests; workflows are stored the way the API stores them.
// The engine's clock is virtual: settle() moves it to each timer in turn,
// so no engine test sleeps for a wait, a retry delay, a timeout or std.sleep.
#pragma once

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <string>

#include "bora/engine/engine.h"
#include "bora/expr/mistral_expressions.h"
#include "bora/services/action_definitions.h"
#include "bora/services/workflow_definitions.h"
#include "support/settle.h"

namespace bora::engine::test {

// Keeps moving a virtual clock forward (a year per millisecond) from
// start() until it is destroyed: declared before the pool, it outlives the
// pool's destructor, which waits for the actions still running. An action
// that had not yet started to sleep when the test ended starts after a
// single advance and would sleep forever: this wakes it too.
struct ClockTicker {
  std::atomic<bool> stop{false};
  std::thread thread;
  void start(std::shared_ptr<VirtualTime> clock) {
    thread = std::thread([this, clock] {
      while (!stop.load()) {
        clock->advance(std::chrono::hours(24 * 365));
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    });
  }
  ~ClockTicker() {
    stop.store(true);
    if (thread.joinable()) thread.join();
  }
};

struct EngineFixture {
  std::unique_ptr<storage::Database> db;
  ClockTicker ticker;  // before the pool: see ClockTicker
  executor::Executor pool{4};
  std::unique_ptr<ExpressionPort> expressions;
  std::unique_ptr<Engine> engine;
  services::Caller caller{"p1", false, {}, {}};
  std::shared_ptr<VirtualTime> clock = std::make_shared<VirtualTime>(now_utc());

  // with_yaql: Mistral's expressions; otherwise literal values only.
  // options and limits: the engine's and the expressions' configuration.
  explicit EngineFixture(bool with_yaql = false, EngineOptions options = {}, expr::EvalLimits limits = {}) {
    db = storage::Database::open("sqlite://").value();
    db->upgrade().value();
    if (with_yaql) expressions = std::make_unique<expr::MistralExpressions>(limits);
    else expressions = std::make_unique<expr::LiteralExpressions>();
    options.time = clock;
    engine = std::make_unique<Engine>(*db, pool, *expressions, std::move(options));
  }
  // Actions still asleep on the clock end (their results dropped) as the
  // years pass for them, so the pool's threads are free.
  ~EngineFixture() {
    engine.reset();
    ticker.start(clock);
  }

  std::optional<storage::WorkflowExecution> execution(const std::string& id) {
    return db->read([&](storage::Transaction& tx) {
      return tx.workflow_executions().find(id, storage::ProjectScope::all());
    });
  }
  // Runs the engine (timers in virtual time) until the execution is
  // finished or paused, or waits for the outside; nullopt when it does not
  // settle within 60 s of real time (a loaded sanitizer run of 10 000
  // items took over 20 s). `seconds`: at most that much virtual
  // time passes.
  std::optional<storage::WorkflowExecution> settle(const std::string& id, std::optional<double> seconds = std::nullopt) {
    std::optional<Timestamp> until;
    if (seconds) until = clock->now() + std::chrono::microseconds(static_cast<int64_t>(*seconds * 1e6));
    bool settled = bora::test::settle(*engine, *clock, [&] {
      auto ex = execution(id);
      return !ex || (ex->state != storage::State::Running && ex->state != storage::State::Idle);
    }, until, std::chrono::seconds(60));
    if (!settled) return std::nullopt;
    return execution(id);
  }
  // Lets `seconds` of virtual time pass, firing every timer and waking
  // every sleeping action due in them (whatever the executions' states).
  void advance(double seconds) {
    auto until = clock->now() + std::chrono::microseconds(static_cast<int64_t>(seconds * 1e6));
    REQUIRE(bora::test::settle(*engine, *clock, [] { return false; }, until, std::chrono::seconds(20)));
    if (clock->now() < until) clock->set(until);
  }

  void define(const std::string& yaml) {
    db->write([&](storage::Transaction& tx) {
        return services::create_workflows(tx, yaml, services::DefinitionTarget{}, caller);
      }).value();
  }
  void define_actions(const std::string& yaml) {
    db->write([&](storage::Transaction& tx) {
        return services::create_actions(tx, yaml, services::DefinitionTarget{}, caller);
      }).value();
  }
  // Starts the workflow (as `caller`); the new execution's id.
  std::string start(const std::string& wf, Value input = Value()) {
    StartRequest req;
    req.workflow = wf;
    req.input = std::move(input);
    req.caller = caller;
    auto started = engine->start_workflow(req);
    REQUIRE(started.ok());
    return started->id;
  }
  storage::WorkflowExecution run(const std::string& wf, Value input = Value()) {
    auto done = settle(start(wf, std::move(input)));
    REQUIRE(done);
    return *done;
  }
  std::vector<storage::TaskExecution> tasks(const std::string& wf_ex_id) {
    return db->read([&](storage::Transaction& tx) {
      return tx.task_executions()
          .list({bora::storage::ProjectScope::all(),
                 {{"workflow_execution_id", storage::FilterOp::Eq, {wf_ex_id}}},
                 {{"created_at", false}}})
          .value();
    });
  }
  storage::TaskExecution task(const std::string& wf_ex_id, const std::string& name) {
    for (auto& t : tasks(wf_ex_id))
      if (t.name == name) return t;
    FAIL("no task " << name);
    return {};
  }
};

}  // namespace bora::engine::test
