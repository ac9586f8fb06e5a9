// Cron triggers fire from the engine loop: one execution per due trigger,
// the next time advanced (missed firings collapse into one), the count
// decremented, the trigger deleted when exhausted.
#include "engine_fixture.h"

using namespace bora;
using namespace bora::engine;
using bora::engine::test::EngineFixture;
using namespace std::chrono_literals;

TEST_CASE("due cron triggers start their workflow and advance") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
nightly:
  input:
    - who
  tasks:
    t:
      action: std.noop
)");
  auto wf = f.db->read([&](storage::Transaction& tx) {
    return tx.workflow_definitions().find_one({{"name", storage::FilterOp::Eq, {"nightly"}}}, storage::ProjectScope::all()).value();
  });
  // One second past a minute: "* * * * *" next fires 59 s later.
  f.clock->set(std::chrono::floor<std::chrono::minutes>(f.clock->now()) + 1s);
  f.db->write([&](storage::Transaction& tx) {
    storage::CronTrigger every;
    every.name = "every_minute";
    every.pattern = "* * * * *";
    every.next_execution_time = f.clock->now() - std::chrono::hours(3);  // missed many: fires once
    every.remaining_executions = 5;
    every.workflow_name = wf.name;
    every.workflow_id = wf.id;
    every.workflow_input = Value::dict({{"who", Value("cron")}});
    every.workflow_params = Value(Dict{});
    every.project_id = "p1";
    tx.cron_triggers().create(every).value();
    storage::CronTrigger once = every;
    once.id.clear();
    once.name = "once";
    once.pattern = "";
    once.remaining_executions = 1;
    tx.cron_triggers().create(once).value();
  });
  f.advance(0);  // the loop fires what is due
  auto executions = f.db->read([&](storage::Transaction& tx) {
    return tx.workflow_executions().list({bora::storage::ProjectScope::all()}).value();
  });
  REQUIRE(executions.size() == 2);
  for (const auto& ex : executions) {
    CHECK(ex.input["who"].as_string() == "cron");
    REQUIRE(ex.description);
    CHECK_THAT(*ex.description, Catch::Contains("Workflow execution created by cron trigger '("));
    CHECK_THAT(*ex.description, Catch::Contains("\"type\": \"cron_trigger\""));
  }
  f.advance(30);  // no second firing: the next time is 59 s later
  auto after = f.db->read([&](storage::Transaction& tx) {
    return std::pair(tx.workflow_executions().count({}, bora::storage::ProjectScope::all()).value(),
                     tx.cron_triggers().list({bora::storage::ProjectScope::all()}).value());
  });
  CHECK(after.first == 2);
  REQUIRE(after.second.size() == 1);  // "once" is exhausted and deleted
  CHECK(after.second[0].name == "every_minute");
  CHECK(after.second[0].remaining_executions == std::optional<int64_t>(4));
  CHECK(after.second[0].next_execution_time > f.clock->now());
  f.advance(31);  // 61 s later: the next one
  auto later = f.db->read([&](storage::Transaction& tx) {
    return std::pair(tx.workflow_executions().count({}, bora::storage::ProjectScope::all()).value(),
                     tx.cron_triggers().list({bora::storage::ProjectScope::all()}).value());
  });
  CHECK(later.first == 3);
  REQUIRE(later.second.size() == 1);
  CHECK(later.second[0].remaining_executions == std::optional<int64_t>(3));
}
