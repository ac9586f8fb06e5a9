// Several nodes on one database (issue 14): the node registry, the adoption
// of a dead node's actions (exactly one adopter), cron triggers claimed by
// one node per due time, and the lock of an execution tree (a second writer
// waits, then reads what the first committed). On SQLite and, through
// bora_unit_storage_mariadb, on MariaDB.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "temp_db.h"

using namespace bora;
using namespace bora::storage;
using bora::storage::test::TempDbFile;
using namespace std::chrono_literals;

namespace {

using bora::storage::test::at;

NodeRow node(const std::string& id, int64_t heartbeat, int64_t lease) {
  NodeRow n;
  n.id = id;
  n.host = "host";
  n.pid = 42;
  n.started_at = at(0);
  n.heartbeat_at = at(heartbeat);
  n.lease_expires_at = at(heartbeat + lease);
  return n;
}

std::string running_action(Transaction& tx, std::optional<std::string> node_id,
                           storage::State state = storage::State::Running) {
  ActionExecution a;
  a.name = "std.echo";
  a.state = state;
  a.node_id = std::move(node_id);
  return tx.action_executions().create(a).value().id;
}

}  // namespace

TEST_CASE("nodes register, renew their lease, and a removed node's renewal says so") {
  auto db = bora::storage::test::open_migrated("sqlite://");
  db->write([](Transaction& tx) {
    tx.register_node(node("b", 0, 30));
    tx.register_node(node("a", 0, 30));
  });
  auto nodes = db->read([](Transaction& tx) { return tx.list_nodes(); });
  REQUIRE(nodes.size() == 2);
  CHECK(nodes[0].id == "a");
  CHECK(nodes[0].pid == 42);
  CHECK(nodes[0].lease_expires_at == at(30));
  CHECK(db->write([](Transaction& tx) { return tx.renew_node("a", at(10), at(40)); }));
  nodes = db->read([](Transaction& tx) { return tx.list_nodes(); });
  CHECK(nodes[0].heartbeat_at == at(10));
  CHECK(nodes[0].lease_expires_at == at(40));
  // A live lease is not taken; a lapsed one is, once.
  CHECK_FALSE(db->write([](Transaction& tx) { return tx.remove_node_if_dead("a", at(39)); }));
  CHECK(db->write([](Transaction& tx) { return tx.remove_node_if_dead("a", at(40)); }));
  CHECK_FALSE(db->write([](Transaction& tx) { return tx.remove_node_if_dead("a", at(40)); }));
  CHECK_FALSE(db->write([](Transaction& tx) { return tx.renew_node("a", at(41), at(71)); }));
  // Registering the same id again replaces the row (a restart).
  db->write([](Transaction& tx) { tx.register_node(node("b", 50, 30)); });
  nodes = db->read([](Transaction& tx) { return tx.list_nodes(); });
  REQUIRE(nodes.size() == 1);
  CHECK(nodes[0].heartbeat_at == at(50));
}

TEST_CASE("a dead node's running actions are adopted by exactly one node") {
  TempDbFile f;
  auto db = bora::storage::test::open_migrated(f.url());
  std::set<std::string> dead_ones;
  std::string others, older, done;
  db->write([&](Transaction& tx) {
    tx.register_node(node("dead", 0, 5));
    for (int i = 0; i < 20; ++i) dead_ones.insert(running_action(tx, "dead"));
    done = running_action(tx, "dead", storage::State::Success);
    others = running_action(tx, "alive");
    older = running_action(tx, std::nullopt);
  });
  std::mutex m;
  std::vector<std::pair<std::string, std::vector<std::string>>> adoptions;
  std::vector<std::thread> nodes;
  for (const char* me : {"n1", "n2", "n3", "n4"}) {
    nodes.emplace_back([&, me] {
      auto got = db->write([&](Transaction& tx) {
        std::vector<std::string> ids;
        if (tx.remove_node_if_dead("dead", at(100))) ids = tx.adopt_running_actions("dead", me);
        return ids;
      });
      std::lock_guard lock(m);
      if (!got.empty()) adoptions.emplace_back(me, got);
    });
  }
  for (auto& t : nodes) t.join();
  REQUIRE(adoptions.size() == 1);
  CHECK(std::set<std::string>(adoptions[0].second.begin(), adoptions[0].second.end()) == dead_ones);
  const std::string taker = adoptions[0].first;
  db->read([&](Transaction& tx) {
    for (const auto& id : dead_ones)
      CHECK(tx.action_executions().get(id, ProjectScope::internal()).value().node_id == std::optional(taker));
    CHECK(tx.action_executions().get(done, ProjectScope::internal()).value().node_id == std::optional<std::string>("dead"));
    CHECK(tx.action_executions().get(others, ProjectScope::internal()).value().node_id ==
          std::optional<std::string>("alive"));
  });
  // Rows older than the registry (no node) are adopted on their own;
  // alone on the database, everything RUNNING that is not mine.
  auto unowned = db->write([](Transaction& tx) { return tx.adopt_running_actions(std::nullopt, "n9"); });
  CHECK(unowned == std::vector<std::string>{older});
  auto all = db->write([](Transaction& tx) { return tx.adopt_all_running_actions("n9"); });
  CHECK(all.size() == dead_ones.size() + 1);  // the taker's and "alive"'s; n9's own stay
}

TEST_CASE("a node learns which of its running actions another node ended, in pages") {
  TempDbFile f;
  auto db = bora::storage::test::open_migrated(f.url());
  std::vector<std::string> mine;
  std::string cancelled, adopted, completed;
  db->write([&](Transaction& tx) {
    // More than a statement's page of 500 ids.
    for (int i = 0; i < 620; ++i) mine.push_back(running_action(tx, "a"));
    cancelled = running_action(tx, "a", storage::State::Cancelled);  // a cancel through another node
    completed = running_action(tx, "a", storage::State::Success);    // completed through the API elsewhere
    adopted = running_action(tx, "b");                 // taken over after a stall
  });
  // One of the page's tail ended too, and one id has no row any more.
  db->write([&](Transaction& tx) {
    auto a = tx.action_executions().get(mine[555], ProjectScope::internal()).value();
    a.state = storage::State::Error;  // a timeout fired by another node
    tx.action_executions().update(a).value();
  });
  std::vector<std::string> asked = mine;
  asked.insert(asked.end(), {cancelled, completed, adopted, "no-such-action"});
  auto stop = db->read([&](Transaction& tx) { return tx.actions_to_stop("a", asked); });
  CHECK(std::set<std::string>(stop.begin(), stop.end()) ==
        std::set<std::string>{mine[555], cancelled, completed, adopted, "no-such-action"});
  CHECK(db->read([&](Transaction& tx) { return tx.actions_to_stop("a", {}); }).empty());
}

TEST_CASE("due cron triggers are claimed once per due time by racing nodes") {
  TempDbFile f;
  auto db = bora::storage::test::open_migrated(f.url());
  constexpr int kTriggers = 30;
  db->write([&](Transaction& tx) {
    WorkflowDefinition wf;
    wf.id = "wf-id";
    wf.name = "wf";
    wf.definition = "wf: {}";
    wf.project_id = "p";
    tx.workflow_definitions().create(wf).value();
    for (int i = 0; i < kTriggers; ++i) {
      CronTrigger t;
      t.name = "t" + std::to_string(i);
      t.pattern = "* * * * *";
      t.workflow_name = "wf";
      t.workflow_id = "wf-id";
      t.next_execution_time = at(i % 5);
      t.project_id = "p";
      tx.cron_triggers().create(t).value();
    }
    // Not due yet: never claimed.
    CronTrigger later;
    later.name = "later";
    later.pattern = "* * * * *";
    later.workflow_name = "wf";
    later.workflow_id = "wf-id";
    later.next_execution_time = at(500);
    later.project_id = "p";
    tx.cron_triggers().create(later).value();
  });
  std::mutex m;
  std::multiset<std::string> fired;
  std::vector<std::thread> nodes;
  for (int n = 0; n < 4; ++n) {
    nodes.emplace_back([&] {
      for (int round = 0; round < 50; ++round) {
        auto got = db->write([&](Transaction& tx) {
          auto due = tx.claim_due_cron_triggers(at(10), 4);
          // As the engine does: the trigger moves to its next time in the
          // transaction that fires it; held a moment, so that the other
          // claimers run meanwhile.
          for (auto& t : due) {
            t.next_execution_time = at(1000);
            tx.cron_triggers().update(t).value();
          }
          std::this_thread::sleep_for(2ms);
          return due;
        });
        std::lock_guard lock(m);
        for (auto& t : got) fired.insert(t.name);
        if (got.empty()) break;
      }
    });
  }
  for (auto& t : nodes) t.join();
  CHECK(fired.size() == kTriggers);
  CHECK(std::set<std::string>(fired.begin(), fired.end()).size() == kTriggers);
  CHECK(fired.count("later") == 0);
}

TEST_CASE("a second writer of an execution tree waits for the first and reads what it committed") {
  TempDbFile f;
  auto db = bora::storage::test::open_migrated(f.url());
  std::string root_id, sub_id, task_id, action_id;
  db->write([&](Transaction& tx) {
    // A root, its task running a sub-workflow, and the sub-workflow's task.
    auto execution = [&](const std::string& name, std::optional<std::string> root, std::optional<std::string> parent) {
      WorkflowExecution e;
      e.name = e.workflow_name = name;
      e.state = storage::State::Running;
      e.root_execution_id = std::move(root);
      e.task_execution_id = std::move(parent);
      return tx.workflow_executions().create(e).value().id;
    };
    auto task = [&](const std::string& name, const std::string& execution_id) {
      TaskExecution t;
      t.name = name;
      t.workflow_execution_id = execution_id;
      t.state = storage::State::Running;
      return tx.task_executions().create(t).value().id;
    };
    root_id = execution("wf", std::nullopt, std::nullopt);
    sub_id = execution("child", root_id, task("sub", root_id));
    task_id = task("leaf", sub_id);
    ActionExecution a;
    a.name = "std.echo";
    a.state = storage::State::Running;
    a.task_execution_id = task_id;
    action_id = tx.action_executions().create(a).value().id;
  });
  std::atomic<bool> first_locked{false};
  std::thread first([&] {
    db->write([&](Transaction& tx) {
      // Through the leaf action: the lock is the root's.
      tx.lock_tree(TreeOf::Action, action_id);
      auto sub = tx.workflow_executions().get(sub_id, ProjectScope::internal()).value();
      first_locked = true;
      std::this_thread::sleep_for(300ms);
      sub.state = storage::State::Paused;
      tx.workflow_executions().update(sub).value();
    });
  });
  while (!first_locked) std::this_thread::sleep_for(1ms);
  auto seen = db->write([&](Transaction& tx) {
    // Read before the lock, as a batch may have: the lock makes it read again.
    (void)tx.workflow_executions().get(sub_id, ProjectScope::internal()).value();
    tx.lock_tree(TreeOf::Task, task_id);
    return tx.workflow_executions().get(sub_id, ProjectScope::internal()).value().state;
  });
  first.join();
  CHECK(seen == storage::State::Paused);
  // Locking the same tree again, by any of its rows, is free and harmless.
  db->write([&](Transaction& tx) {
    tx.lock_tree(TreeOf::Execution, root_id);
    tx.lock_tree(TreeOf::Execution, sub_id);
    tx.lock_tree(TreeOf::Task, task_id);
    tx.lock_tree(TreeOf::Action, action_id);
    tx.lock_tree(TreeOf::Action, "no-such-action");
  });
}
