// Skipping a failed task (PUT /v2/tasks/{id} state=SKIPPED): Mistral's
// skip_tasks (mistral/engine/workflows.py rerun with skip, direct_workflow.py
// _find_next_tasks): the task ends SKIPPED with "Task was skipped.",
// publishes publish-on-skip, and the workflow goes on by on-skip, or by
// on-success when the task has no on-skip; on-complete is not followed.
#include "engine_fixture.h"

using namespace bora;
using namespace bora::engine;
using bora::engine::test::EngineFixture;
using namespace std::chrono_literals;

TEST_CASE("skip_task_follows_on_skip_and_publishes_on_skip") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
with_on_skip:
  output:
    how: <% $.how %>
  tasks:
    fragile:
      action: std.fail
      publish-on-skip:
        how: skipped
      on-skip: [after_skip]
      on-success: [after_success]
      on-complete: [after_complete]
    after_skip:
      action: std.noop
    after_success:
      action: std.noop
    after_complete:
      action: std.noop
)");
  auto ex = f.run("with_on_skip");
  REQUIRE(ex.state == storage::State::Error);
  std::string id = f.task(ex.id, "fragile").id;
  auto skipped = f.engine->rerun_task(id, false, Value(), f.caller, true);
  REQUIRE(skipped.ok());
  CHECK(skipped->state == storage::State::Skipped);
  CHECK(skipped->state_info == std::optional<std::string>("Task was skipped."));
  auto done = f.settle(ex.id);
  REQUIRE(done);
  CHECK(done->state == storage::State::Success);
  CHECK(done->output["how"].as_string() == "skipped");
  CHECK(f.task(ex.id, "after_skip").state == storage::State::Success);
  std::vector<std::string> names;
  for (const auto& t : f.tasks(ex.id)) names.push_back(t.name);
  // on-complete ran once, for the failure; after_success never.
  CHECK(std::count(names.begin(), names.end(), "after_complete") == 1);
  CHECK(std::count(names.begin(), names.end(), "after_success") == 0);
}

TEST_CASE("skip_task_without_on_skip_goes_on_by_on_success") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
no_on_skip:
  tasks:
    fragile:
      action: std.fail
      on-success: [next_one]
    next_one:
      action: std.echo output="went on"
)");
  auto ex = f.run("no_on_skip");
  REQUIRE(ex.state == storage::State::Error);
  auto skipped = f.engine->rerun_task(f.task(ex.id, "fragile").id, false, Value(), f.caller, true);
  REQUIRE(skipped.ok());
  auto done = f.settle(ex.id);
  REQUIRE(done);
  CHECK(done->state == storage::State::Success);
  CHECK(f.task(ex.id, "next_one").state == storage::State::Success);
}

TEST_CASE("skip_task_only_a_failed_one") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
fine:
  tasks:
    ok:
      action: std.noop
)");
  auto ex = f.run("fine");
  REQUIRE(ex.state == storage::State::Success);
  auto refused = f.engine->rerun_task(f.task(ex.id, "ok").id, false, Value(), f.caller, true);
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message,
             Catch::StartsWith("Invalid task state. Only updating task to rerun is supported.") &&
                 Catch::Contains("this one is SUCCESS"));
}
