// engine_metrics: executions, task transitions, actions and batches counted
// by the engine, and only for transactions that commit.
#include <future>
#include <stdexcept>

#include "bora/core/metrics.h"
#include "engine_fixture.h"

namespace bora::engine::test {

namespace {

double counter(const std::string& name, std::vector<std::string> label_names, metrics::LabelValues values) {
  return metrics::Registry::global().counter(name, "", std::move(label_names)).counter(values).value();
}

double transitions(std::string_view from, std::string_view to) {
  return counter("bora_task_transitions_total", {"from", "to"}, {from, to});
}

}  // namespace

TEST_CASE("a run counts its execution, task transitions and actions") {
  EngineFixture f;
  f.define(R"(
version: '2.0'
metrics_counted:
  tasks:
    a:
      action: std.noop
      on-success: b
    b:
      action: std.fail
)");
  double started = counter("bora_workflow_executions_started_total", {"workflow"}, {"metrics_counted"});
  double failed = counter("bora_workflow_executions_finished_total", {"workflow", "state"}, {"metrics_counted", "ERROR"});
  double created = transitions("NONE", "RUNNING");
  double succeeded = transitions("RUNNING", "SUCCESS");
  double errored = transitions("RUNNING", "ERROR");
  double noops = counter("bora_actions_total", {"action", "outcome"}, {"std.noop", "success"});
  auto ex = f.run("metrics_counted");
  CHECK(ex.state == storage::State::Error);
  CHECK(counter("bora_workflow_executions_started_total", {"workflow"}, {"metrics_counted"}) - started == 1);
  CHECK(counter("bora_workflow_executions_finished_total", {"workflow", "state"}, {"metrics_counted", "ERROR"}) -
            failed ==
        1);
  CHECK(transitions("NONE", "RUNNING") - created == 2);
  CHECK(transitions("RUNNING", "SUCCESS") - succeeded == 1);
  CHECK(transitions("RUNNING", "ERROR") - errored == 1);
  CHECK(counter("bora_actions_total", {"action", "outcome"}, {"std.noop", "success"}) - noops == 1);
}

TEST_CASE("every task state set counts: the policies' too") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
metrics_policies:
  tasks:
    t:
      action: std.noop
      wait-after: <% 1 %>
      fail-on: <% true %>
)");
  double created = transitions("NONE", "RUNNING");
  double held = transitions("RUNNING", "DELAYED");
  double released = transitions("DELAYED", "RUNNING");
  double succeeded = transitions("RUNNING", "SUCCESS");
  double turned = transitions("SUCCESS", "ERROR");
  double finished = counter("bora_workflow_executions_finished_total", {"workflow", "state"},
                            {"metrics_policies", "ERROR"});
  auto ex = f.run("metrics_policies");
  CHECK(ex.state == storage::State::Error);
  CHECK(transitions("NONE", "RUNNING") - created == 1);
  // wait-after holds the task DELAYED and lets it go RUNNING again.
  CHECK(transitions("RUNNING", "DELAYED") - held == 1);
  CHECK(transitions("DELAYED", "RUNNING") - released == 1);
  // fail-on turns the success into an error: both are counted, where the
  // state is set (set_task_state), as the metric always has.
  CHECK(transitions("RUNNING", "SUCCESS") - succeeded == 1);
  CHECK(transitions("SUCCESS", "ERROR") - turned == 1);
  CHECK(counter("bora_workflow_executions_finished_total", {"workflow", "state"}, {"metrics_policies", "ERROR"}) -
            finished ==
        1);
}

TEST_CASE("what a transaction counts counts once it commits, and not when it rolls back") {
  EngineFixture f;
  auto& c = metrics::Registry::global().counter("bora_test_engine_deferred_total", "test").counter();
  double before = c.value();
  auto write = [&](bool fail) {
    std::promise<Result<int>> done;
    auto answer = done.get_future();
    f.engine->write<int>(
        [&c, fail](storage::Transaction&) -> Result<int> {
          c.inc();
          if (fail) throw std::runtime_error("the change fails after counting");
          return 1;
        },
        [&done](Result<int> r) { done.set_value(std::move(r)); });
    return answer.get();
  };
  CHECK_FALSE(write(true).ok());  // its batch, then itself alone: rolled back both times
  CHECK(c.value() == before);
  CHECK(write(false).ok());
  CHECK(c.value() == before + 1);
}

}  // namespace bora::engine::test
