// A database, an executor pool and an engine (without the expression
// engine) for engine tests; workflows are stored the way the API stores them.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "bora/engine/engine.h"
#include "bora/expr/mistral_expressions.h"
#include "bora/services/action_definitions.h"
#include "bora/services/workflow_definitions.h"

namespace bora::engine::test {

struct EngineFixture {
  std::unique_ptr<storage::Database> db;
  executor::Executor pool{4};
  std::unique_ptr<ExpressionPort> expressions;
  std::unique_ptr<Engine> engine;
  services::Caller caller{"p1", false};

  // with_yaql: Mistral's expressions; otherwise literal values only.
  // options and limits: the engine's and the expressions' configuration.
  explicit EngineFixture(bool with_yaql = false, EngineOptions options = {}, expr::EvalLimits limits = {}) {
    db = storage::Database::open("sqlite://").value();
    db->upgrade().value();
    if (with_yaql) expressions = std::make_unique<expr::MistralExpressions>(limits);
    else expressions = std::make_unique<expr::LiteralExpressions>();
    engine = std::make_unique<Engine>(*db, pool, *expressions, std::move(options));
  }
  ~EngineFixture() { engine.reset(); }

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
  storage::WorkflowExecution run(const std::string& wf, Value input = Value()) {
    StartRequest req;
    req.workflow = wf;
    req.input = std::move(input);
    req.caller = caller;
    auto started = engine->start_workflow(req);
    REQUIRE(started.ok());
    auto done = engine->wait(started->id, std::chrono::seconds(20));
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
