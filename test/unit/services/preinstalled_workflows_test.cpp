// mistral-extra's preinstalled workflows: registered as system workflows
// when the actions they call are known, removed when they are not, left
// alone when someone made a workflow of that name.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "bora/catalog/catalog.h"
#include "bora/services/preinstalled_workflows.h"
#include "bora/services/workflow_definitions.h"
#include "bora/storage/database.h"

namespace bora::services {
namespace {

const std::string kProject = "<default-project>";

struct Db {
  std::unique_ptr<storage::Database> db = storage::Database::open("sqlite://").value();
  Db() { db->upgrade().value(); }

  size_t populate(bool actions_loaded) {
    return db
        ->write([&](storage::Transaction& tx) {
          return register_preinstalled_workflows(tx, kProject, [&](std::string_view) { return actions_loaded; });
        })
        .value();
  }
  std::vector<storage::WorkflowDefinition> workflows() {
    return db
        ->read([](storage::Transaction& tx) {
          return tx.workflow_definitions().list({storage::ProjectScope::internal()});
        })
        .value();
  }
};

TEST_CASE("create_instance and delete_instance are system workflows while their actions are loaded",
          "[services][preinstalled]") {
  Db d;
  CHECK(d.populate(false) == 0);
  CHECK(d.workflows().empty());

  CHECK(d.populate(true) == 2);
  auto rows = d.workflows();
  REQUIRE(rows.size() == 2);
  for (const auto& w : rows) {
    INFO(w.name);
    CHECK((w.name == "create_instance" || w.name == "delete_instance"));
    CHECK(w.is_system);
    CHECK(w.scope == "public");
    CHECK(w.namespace_.empty());
    CHECK(w.project_id == kProject);
  }
  CHECK(d.populate(true) == 0);  // as they are: nothing written

  // No one but an admin changes or deletes a system workflow (Mistral's
  // check_db_obj_access), not even its project.
  Caller user;
  user.project_id = kProject;
  auto refused = d.db->write([&](storage::Transaction& tx) -> Result<void> {
    return delete_workflow(tx, "create_instance", "", user);
  });
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("Can not modify a system WorkflowDefinition resource") == 0);

  // A definition stored by another version: brought back, same id.
  Caller admin;
  admin.project_id = kProject;
  admin.is_admin = true;
  std::string id;
  d.db->write([&](storage::Transaction& tx) -> Result<void> {
        auto w = catalog::Catalog(tx, admin).workflow("delete_instance", std::string()).value();
        id = w.id;
        w.definition = "an older text";
        if (auto saved = tx.workflow_definitions().update(w); !saved) return saved.error();
        return {};
      })
      .value();
  CHECK(d.populate(true) == 1);
  auto again = d.db->read([&](storage::Transaction& tx) {
                   return catalog::Catalog(tx, admin).workflow("delete_instance", std::string());
                 }).value();
  CHECK(again.id == id);
  CHECK(again.is_system);
  CHECK(again.definition.find("delete_instance:") != std::string::npos);

  // The pack gone: populate drops them.
  CHECK(d.populate(false) == 2);
  CHECK(d.workflows().empty());
}

TEST_CASE("a workflow someone made under a preinstalled name is left alone", "[services][preinstalled]") {
  Db d;
  Caller user;
  user.project_id = kProject;
  d.db->write([&](storage::Transaction& tx) {
        return create_workflows(tx, "version: '2.0'\ncreate_instance:\n  tasks:\n    t:\n      action: std.noop\n",
                                DefinitionTarget{}, user);
      })
      .value();
  CHECK(d.populate(true) == 1);  // delete_instance only
  for (const auto& w : d.workflows()) {
    INFO(w.name);
    CHECK(w.is_system == (w.name == "delete_instance"));
  }
  CHECK(d.populate(false) == 1);  // delete_instance only
  REQUIRE(d.workflows().size() == 1);
  CHECK(d.workflows()[0].name == "create_instance");
}

}  // namespace
}  // namespace bora::services
