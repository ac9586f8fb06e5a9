// Definition versions (migration 8): rows keyed by (definition, number),
// listed newest first on request, deleted with their definition whatever
// deletes it; executions keep the version they run.
#include <catch2/catch.hpp>

#include "bora/storage/database.h"

using namespace bora;
using namespace bora::storage;

namespace {

DefinitionVersion version_of(const std::string& definition_id, int64_t n, const std::string& kind = "workflow") {
  DefinitionVersion v;
  v.kind = kind;
  v.definition_id = definition_id;
  v.version = n;
  v.definition = "text " + std::to_string(n);
  v.spec = Value::dict({{"n", Value(n)}});
  v.checksum = "sum" + std::to_string(n);
  v.project_id = "p";
  return v;
}

}  // namespace

TEST_CASE("definition versions are numbered per definition and go with it") {
  auto db = Database::open("sqlite://").value();
  db->upgrade().value();
  std::string wf_id, action_id;
  db->write([&](Transaction& tx) {
    WorkflowDefinition wf;
    wf.name = "wf";
    wf.project_id = "p";
    wf_id = tx.workflow_definitions().create(wf).value().id;
    ActionDefinition a;
    a.name = "act";
    a.project_id = "p";
    action_id = tx.action_definitions().create(a).value().id;
    for (int64_t n = 1; n <= 3; ++n) tx.definition_versions().create(version_of(wf_id, n)).value();
    tx.definition_versions().create(version_of(action_id, 1, "action")).value();
    // One number per definition.
    auto again = tx.definition_versions().create(version_of(wf_id, 2));
    CHECK_FALSE(again.ok());
    CHECK(again.error().kind == ErrorKind::Conflict);
  });
  db->read([&](Transaction& tx) {
    auto newest = tx.definition_versions()
                      .list({ProjectScope::internal(), {{"definition_id", FilterOp::Eq, {wf_id}}}, {{"version", true}},
                             std::nullopt, 1})
                      .value();
    REQUIRE(newest.size() == 1);
    CHECK(newest[0].version == 3);
    CHECK(newest[0].definition == "text 3");
    CHECK(newest[0].spec["n"] == Value(3));
  });
  db->write([&](Transaction& tx) { tx.workflow_definitions().remove(wf_id).value(); });
  db->read([&](Transaction& tx) {
    CHECK(tx.definition_versions().count({{"definition_id", FilterOp::Eq, {wf_id}}}, ProjectScope::internal()).value() ==
          0);
    CHECK(tx.definition_versions()
              .count({{"definition_id", FilterOp::Eq, {action_id}}}, ProjectScope::internal())
              .value() == 1);
  });
}

TEST_CASE("an execution keeps the workflow version it runs") {
  auto db = Database::open("sqlite://").value();
  db->upgrade().value();
  db->write([&](Transaction& tx) {
    WorkflowExecution ex;
    ex.name = ex.workflow_name = "wf";
    ex.workflow_id = "wf-id";
    ex.state = storage::State::Running;
    ex.workflow_version = 7;
    auto created = tx.workflow_executions().create(ex).value();
    CHECK(tx.workflow_executions().get(created.id, ProjectScope::internal()).value().workflow_version == 7);
    WorkflowExecution older = ex;
    older.id.clear();
    older.workflow_version.reset();
    auto none = tx.workflow_executions().create(older).value();
    CHECK_FALSE(tx.workflow_executions().get(none.id, ProjectScope::internal()).value().workflow_version);
  });
}
