// Reverse workflows: the target task in params.task_name, only what it
// requires runs, in dependency order, contexts flowing along requires.
#include <set>

#include "engine_fixture.h"

using namespace bora;
using namespace bora::engine;
using bora::engine::test::EngineFixture;

namespace {

const char* kReverse = R"(
version: '2.0'
build:
  type: reverse
  tasks:
    fetch:
      action: std.echo output="src"
      publish:
        fetched: <% task().result %>
    compile:
      action: std.echo output="built <% $.fetched %>"
      requires: [fetch]
      publish:
        artifact: <% task().result %>
    docs:
      action: std.noop
      requires: fetch
    package:
      action: std.noop
      requires: [compile, docs]
      publish:
        done: <% $.artifact %>
    unrelated:
      action: std.fail
)";

storage::WorkflowExecution run_target(EngineFixture& f, const std::string& target) {
  StartRequest req;
  req.workflow = "build";
  req.params = Value::dict({{"task_name", Value(target)}});
  req.caller = f.caller;
  auto started = f.engine->start_workflow(req);
  REQUIRE(started.ok());
  auto done = f.settle(started->id);
  REQUIRE(done);
  return *done;
}

}  // namespace

TEST_CASE("the target and its requirements run, nothing else") {
  EngineFixture f(true);
  f.define(kReverse);
  auto ex = run_target(f, "package");
  REQUIRE(ex.state == storage::State::Success);
  std::set<std::string> names;
  for (const auto& t : f.tasks(ex.id)) names.insert(t.name);
  CHECK(names == std::set<std::string>{"fetch", "compile", "docs", "package"});
  CHECK(ex.output["done"].as_string() == "built src");
  auto partial = run_target(f, "compile");
  REQUIRE(partial.state == storage::State::Success);
  CHECK(f.tasks(partial.id).size() == 2);
}

TEST_CASE("a failing requirement fails the workflow; a bad target is refused") {
  EngineFixture f(true);
  f.define(kReverse);
  auto bad = run_target(f, "unrelated");
  CHECK(bad.state == storage::State::Error);
  StartRequest req;
  req.workflow = "build";
  req.caller = f.caller;
  auto missing = f.engine->start_workflow(req);
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.error().message, Catch::Contains("Invalid task name"));
}
