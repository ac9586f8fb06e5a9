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
    // 100 actions, each created and completed: 64 + 32 + 4 rows a statement.
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
  // The read, the task's UPDATE, three INSERTs, the count (one at a time:
  // 1 + 4 + 100 * 2 + 1 + 1 = 207).
  CHECK(used == 6);
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
