// Write-behind (Repository::defer_writes, on for workflow, task and action
// executions in a writing transaction): a row created and changed several
// times in one transaction is written once; new actions go in multi-row
// INSERTs; any statement of the transaction sees them first. Counted in
// statements (storage_work()), the round trips a database server charges.
#include <catch2/catch.hpp>

#include "temp_db.h"

using namespace bora;
using namespace bora::storage;

namespace {

int64_t statements() { return storage_work().statements; }

struct Tree {
  std::string execution, task;
};

Tree make_tree(Database& db) {
  return db.write([](Transaction& tx) {
    WorkflowExecution w;
    w.name = w.workflow_name = "wf";
    w.workflow_id = "wf-id";
    w.state = storage::State::Running;
    w.project_id = "p1";
    w = tx.workflow_executions().create(w).value();
    TaskExecution t;
    t.name = "t";
    t.workflow_execution_id = w.id;
    t.workflow_name = "wf";
    t.state = storage::State::Running;
    t.project_id = "p1";
    t = tx.task_executions().create(t).value();
    return Tree{w.id, t.id};
  });
}

ActionExecution action_of(const std::string& task_id, int i) {
  ActionExecution a;
  a.name = "std.echo";
  a.task_execution_id = task_id;
  a.workflow_name = "wf";
  a.state = storage::State::Running;
  a.input = Value::dict({{"output", Value(int64_t(i))}});
  a.runtime_context = Value::dict({{"index", Value(int64_t(i))}});
  a.is_sync = true;
  a.project_id = "p1";
  return a;
}

}  // namespace

TEST_CASE("write-behind: rows changed many times in a transaction are written once, actions in multi-row INSERTs") {
  auto db = bora::storage::test::open_migrated("sqlite://");
  Tree tree = make_tree(*db);
  auto all = ProjectScope::all();
  int64_t in_transaction = 0, used = 0;
  db->write([&](Transaction& tx) {
    // Counted inside the transaction: its BEGIN and COMMIT differ by backend.
    int64_t before = statements();
    auto t = tx.task_executions().get(tree.task, all).value();  // 1 statement
    // A task's flags and progress, written four times over: one UPDATE.
    for (int i = 0; i < 4; ++i) {
      t.runtime_context = Value::dict({{"n", Value(int64_t(i))}});
      t = tx.task_executions().update(t).value();
    }
    // 100 actions, each created and completed: 64 + 36 rows a statement.
    for (int i = 0; i < 100; ++i) {
      auto a = tx.action_executions().create(action_of(tree.task, i)).value();
      a.state = storage::State::Success;
      a.output = Value::dict({{"result", Value(int64_t(i))}});
      a.accepted = true;
      tx.action_executions().update(a).value();
    }
    // One created and deleted in the transaction is never written.
    auto gone = tx.action_executions().create(action_of(tree.task, 999)).value();
    tx.action_executions().remove(gone.id).value();
    in_transaction = statements() - before;
    // A statement sees the transaction's rows as they are now.
    CHECK(tx.action_executions()
              .count({{"task_execution_id", FilterOp::Eq, {tree.task}}, {"state", FilterOp::Eq, {"SUCCESS"}}}, all)
              .value() == 100);
    used = statements() - before;
  });
  // Before the count, only the read: nothing was written yet.
  CHECK(in_transaction == 1);
  // The read, the task's UPDATE, two INSERTs, the count (one at a time:
  // 1 + 4 + 100 * 2 + 1 + 1 = 207).
  CHECK(used == 5);
  db->read([&](Transaction& tx) {
    auto t = tx.task_executions().get(tree.task, all).value();
    CHECK(t.runtime_context == Value::dict({{"n", Value(int64_t(3))}}));
    auto actions = tx.action_executions()
                       .list({all, {{"task_execution_id", FilterOp::Eq, {tree.task}}}, {{"created_at", false}}})
                       .value();
    REQUIRE(actions.size() == 100);
    for (const auto& a : actions) {
      CHECK(a.state == storage::State::Success);
      CHECK(a.accepted);
      CHECK(a.output["result"] == a.runtime_context["index"]);
    }
  });
}

TEST_CASE("write-behind: a rolled-back transaction writes nothing; a failed flush fails the transaction") {
  auto db = bora::storage::test::open_migrated("sqlite://");
  Tree tree = make_tree(*db);
  auto all = ProjectScope::all();
  // An error Result: what the transaction held is never written.
  auto r = db->write([&](Transaction& tx) -> Result<void> {
    tx.action_executions().create(action_of(tree.task, 1)).value();
    auto t = tx.task_executions().get(tree.task, all).value();
    t.state = storage::State::Success;
    tx.task_executions().update(t).value();
    return Error{ErrorKind::Conflict, "changed my mind"};
  });
  CHECK_FALSE(r.ok());
  db->read([&](Transaction& tx) {
    CHECK(tx.task_executions().get(tree.task, all).value().state == storage::State::Running);
    CHECK(tx.action_executions().count({}, all).value() == 0);
  });
  // A row changed, then deleted underneath by a cascade (its execution
  // deleted): the delete runs after the change, as the statements came.
  db->write([&](Transaction& tx) {
    auto t = tx.task_executions().get(tree.task, all).value();
    t.state = storage::State::Error;
    tx.task_executions().update(t).value();
    tx.workflow_executions().remove(tree.execution).value();
  });
  db->read([&](Transaction& tx) { CHECK_FALSE(tx.task_executions().find(tree.task, all)); });
}

TEST_CASE("write-behind: rows that changed the same columns go in one UPDATE on a database server") {
  std::string url = bora::storage::test::fresh_url();
  auto db = bora::storage::test::open_migrated(url);
  Tree tree = make_tree(*db);
  auto all = ProjectScope::all();
  db->write([&](Transaction& tx) {
    for (int i = 0; i < 100; ++i) tx.action_executions().create(action_of(tree.task, i)).value();
  });
  int64_t used = 0;
  db->write([&](Transaction& tx) {
    std::vector<ActionExecution> actions;
    for (const auto& listed : tx.action_executions().list({all, {{"task_execution_id", FilterOp::Eq, {tree.task}}}}).value())
      actions.push_back(tx.action_executions().get(listed.id, all).value());  // held by the transaction
    REQUIRE(actions.size() == 100);
    int64_t before = statements();
    for (auto& a : actions) {
      a.state = storage::State::Success;
      a.output = Value::dict({{"result", a.runtime_context["index"]}});
      a.accepted = true;
      tx.action_executions().update(a).value();
    }
    // The count writes what is held back first.
    CHECK(tx.action_executions()
              .count({{"task_execution_id", FilterOp::Eq, {tree.task}}, {"state", FilterOp::Eq, {"SUCCESS"}}}, all)
              .value() == 100);
    used = statements() - before;
  });
  // MySQL: 64 + 36 rows in two UPDATEs, then the count; SQLite (no
  // round trips): one prepared UPDATE a row.
  CHECK(used == (bora::storage::test::on_mysql() ? 3 : 101));
  db->read([&](Transaction& tx) {
    for (const auto& a : tx.action_executions().list({all, {{"task_execution_id", FilterOp::Eq, {tree.task}}}}).value()) {
      CHECK(a.state == storage::State::Success);
      CHECK(a.accepted);
      CHECK(a.output["result"] == a.runtime_context["index"]);
    }
  });

  if (bora::storage::test::on_mysql()) {
    // A row another node deleted before the write: the batch names it, as
    // a single UPDATE does, and the transaction fails whole.
    auto other = bora::storage::test::open_migrated(url);
    std::string deleted;
    std::optional<Error> failed;
    try {
      auto r = db->write([&](Transaction& tx) -> Result<void> {
        std::vector<ActionExecution> actions;
        for (const auto& listed :
             tx.action_executions().list({all, {{"task_execution_id", FilterOp::Eq, {tree.task}}}}).value())
          actions.push_back(tx.action_executions().get(listed.id, all).value());
        deleted = actions[7].id;
        other->write([&](Transaction& tx2) { tx2.action_executions().remove(deleted).value(); });
        for (auto& a : actions) {
          a.state_info = "again";
          tx.action_executions().update(a).value();
        }
        auto c = tx.action_executions().count({}, all);
        if (!c) return c.error();
        return {};
      });
      if (!r) failed = r.error();
    } catch (const BoraError& e) {
      failed = e.error();
    }
    REQUIRE(failed);
    CHECK(failed->kind == ErrorKind::NotFound);
    CHECK(failed->message.find(deleted) != std::string::npos);
    db->read([&](Transaction& tx) {
      for (const auto& a : tx.action_executions().list({all, {}}).value()) CHECK_FALSE(a.state_info);
    });
  }
}
