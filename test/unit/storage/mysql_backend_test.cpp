// The MySQL/MariaDB backend's own behaviour: its URLs (no server needed),
// and, on a real server (BORA_TEST_MYSQL_URL, the CTest entry
// bora_unit_storage_mariadb), transactions that survive a deadlock and a
// lost connection, the unix socket, a refused password.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <sstream>
#include <thread>

#include "mysql/mysql_url.h"
#include "temp_db.h"

using namespace bora;
using namespace bora::storage;
namespace mysql = bora::storage::mysql;

TEST_CASE("MySQL URLs: Bora's, SQLAlchemy's from mistral.conf, sockets and TLS options") {
  auto c = mysql::parse_url("mysql+pymysql://mistral:p%40ss%3Aw@db.example:3307/mistral?charset=utf8");
  REQUIRE(c.ok());
  CHECK(c->host == "db.example");
  CHECK(c->port == 3307);
  CHECK(c->user == "mistral");
  CHECK(c->password == "p@ss:w");
  CHECK(c->database == "mistral");
  CHECK_FALSE(c->tls());

  auto plain = mysql::parse_url("mysql://bora@127.0.0.1/bora");
  REQUIRE(plain.ok());
  CHECK(plain->port == 3306);
  CHECK(plain->password.empty());

  auto sock = mysql::parse_url("mysql://bora:pw@/bora?unix_socket=/run/mysqld/mysqld.sock");
  REQUIRE(sock.ok());
  CHECK(sock->unix_socket == "/run/mysqld/mysqld.sock");
  CHECK(sock->where() == "socket /run/mysqld/mysqld.sock");

  auto tls = mysql::parse_url("mysql://bora:pw@db:3306/bora?ssl_ca=/etc/ca.pem&ssl_cert=/c.pem&ssl_key=/k.pem");
  REQUIRE(tls.ok());
  CHECK(tls->tls());
  CHECK(tls->ssl_ca == "/etc/ca.pem");
  CHECK(tls->ssl_key == "/k.pem");

  auto v6 = mysql::parse_url("mariadb://bora:pw@[::1]:3310/bora");
  REQUIRE(v6.ok());
  CHECK(v6->host == "::1");
  CHECK(v6->port == 3310);

  // Several hosts (a Galera cluster's nodes): tried in this order.
  auto many = mysql::parse_url("mysql://bora:pw@g1:3307,[::1]:3308,g3/bora?failback_interval=5");
  REQUIRE(many.ok());
  REQUIRE(many->hosts.size() == 3);
  CHECK(many->hosts[0] == std::pair<std::string, unsigned>("g1", 3307));
  CHECK(many->hosts[1] == std::pair<std::string, unsigned>("::1", 3308));
  CHECK(many->hosts[2] == std::pair<std::string, unsigned>("g3", 3306));
  CHECK(many->host == "g1");
  CHECK(many->port == 3307);
  CHECK(many->failback_interval == 5);
  CHECK(mysql::redact("mysql://u:secret@g1:1,g2:2/bora") == "mysql://u:***@g1:1,g2:2/bora");
  CHECK(plain->hosts.size() == 1);
  CHECK(plain->failback_interval == 10);

  for (const char* bad : {"mysql://bora:pw@g1:3307,,g3/bora", "mysql://bora:pw@g1,g2:0/bora",
                          "mysql://bora:pw@g1,g2/bora?unix_socket=/s.sock", "mysql://bora:pw@g1/bora?failback_interval=0",
                          "mysql://bora:pw@db:3306/", "mysql://bora:pw@db:99999/bora", "mysql://bora:pw@db/bora?x=1",
                          "mysql://bora:pw@db/bora?charset=latin1", "mysql://bora:pw@db/bora?ssl=maybe"}) {
    INFO(bad);
    auto r = mysql::parse_url(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::BadInput);
    CHECK_THAT(r.error().message, !Catch::Contains(":pw@"));
  }
  CHECK_THAT(mysql::parse_url("mysql://u:pw@db/bora?x=1").error().message, Catch::Contains("unix_socket"));
  CHECK(mysql::redact("mysql://u:secret@db/bora") == "mysql://u:***@db/bora");
  CHECK(mysql::is_mysql_url("mysql+pymysql://u@h/d"));
  CHECK_FALSE(mysql::is_mysql_url("sqlite:///x.db"));
}

namespace {

std::string env_id(Database& db, const std::string& name) {
  return db.write([&](Transaction& tx) {
    Environment e;
    e.name = name;
    return tx.environments().create(e).value().id;
  });
}

void set_description(Transaction& tx, const std::string& id, const std::string& text) {
  auto e = tx.environments().get(id, ProjectScope::all()).value();
  e.description = text;
  tx.environments().update(e).value();
}

std::string description(Database& db, const std::string& id) {
  return db.read([&](Transaction& tx) {
    return tx.environments().get(id, ProjectScope::all()).value().description.value_or("");
  });
}

// The row's description as the database has it now (a query, never the
// transaction's identity map).
std::string stored_description(Transaction& tx, const std::string& id) {
  auto rows = tx.environments().list({ProjectScope::all(), {{"id", FilterOp::Eq, {id}}}}).value();
  return rows.empty() ? "" : rows.front().description.value_or("");
}

}  // namespace

TEST_CASE("MariaDB: a transaction chosen as a deadlock's victim runs again and both commit") {
  if (!test::on_mysql()) return;
  auto db = test::open_migrated("sqlite://");
  const std::string a = env_id(*db, "a"), b = env_id(*db, "b");
  std::atomic<int> holding{0};
  std::atomic<int> attempts{0};
  // Each locks its first row, waits (first attempt only) until the other
  // holds its own, then asks for the other's: InnoDB sees the cycle at
  // once and rolls one back (1213).
  auto crosswise = [&](const std::string& first, const std::string& second, const std::string& text) {
    return [&, first, second, text] {
      bool first_attempt = true;
      db->write([&](Transaction& tx) {
        ++attempts;
        set_description(tx, first, text);
        if (first_attempt) {
          first_attempt = false;
          ++holding;
          auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
          while (holding.load() < 2 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        set_description(tx, second, text);
      });
    };
  };
  std::thread t1(crosswise(a, b, "one"));
  std::thread t2(crosswise(b, a, "two"));
  t1.join();
  t2.join();
  CHECK(holding.load() == 2);
  CHECK(attempts.load() == 3);  // the victim ran twice
  // Both committed; whichever committed last wrote both rows.
  CHECK(description(*db, a) == description(*db, b));
  CHECK((description(*db, a) == "one" || description(*db, a) == "two"));
}

TEST_CASE("MariaDB: connections the server dropped are replaced and the transaction runs again") {
  if (!test::on_mysql()) return;
  test::TempDbFile f;
  auto db = test::open_migrated(f.url());
  const std::string id = env_id(*db, "e");
  const std::string name = f.mysql_url.substr(f.mysql_url.rfind('/') + 1);
  // Every connection of this database is killed, as a server restart or
  // a Galera node leaving would: the pool's idle ones are dead now.
  std::string ids = test::mysql_raw(
      test::mysql_server_url() + "mysql",
      "SELECT GROUP_CONCAT(id) FROM information_schema.processlist WHERE db = '" + name + "'");
  REQUIRE_FALSE(ids.empty());
  std::stringstream list(ids);
  for (std::string one; std::getline(list, one, ',');) {
    test::mysql_raw(test::mysql_server_url() + "mysql", "KILL CONNECTION " + one);
  }
  db->write([&](Transaction& tx) { set_description(tx, id, "after"); });
  CHECK(description(*db, id) == "after");
}

TEST_CASE("MariaDB: the unix socket form, and a wrong password refused without repeating it") {
  if (!test::on_mysql()) return;
  const char* socket = std::getenv("BORA_TEST_MYSQL_SOCKET");
  std::string base = test::mysql_server_url();  // mysql://USER:PASS@127.0.0.1:PORT/
  std::string userinfo = base.substr(8, base.rfind('@') - 8);
  if (socket) {
    std::string fresh = test::fresh_url();
    auto db = Database::open("mysql://" + userinfo + "@/" + fresh.substr(fresh.rfind('/') + 1) +
                             "?unix_socket=" + socket);
    REQUIRE(db.ok());
    CHECK((*db)->upgrade().value() > 0);
    CHECK((*db)->schema_version() == (*db)->latest_schema_version());
  }
  std::string user = userinfo.substr(0, userinfo.find(':'));
  std::string hostport = base.substr(base.rfind('@') + 1);
  auto refused = Database::open("mysql://" + user + ":not-the-password@" + hostport + "bora_refused");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == ErrorKind::Unavailable);
  CHECK_THAT(refused.error().message, Catch::Contains("Access denied"));
  CHECK_THAT(refused.error().message, !Catch::Contains("not-the-password"));
}

TEST_CASE("MariaDB: a URL's first host down, the next one is used; every host down is a clear error") {
  if (!test::on_mysql()) return;
  // mysql://USER:PASS@HOST:PORT/ -> a dead host (port 1: refused at once)
  // in front of the real one.
  const std::string base = test::mysql_server_url();
  const auto at = base.rfind('@');
  const std::string fresh = test::fresh_url();
  const std::string name = fresh.substr(fresh.rfind('/') + 1);
  const std::string hostport = base.substr(at + 1, base.size() - at - 2);
  auto db = Database::open(base.substr(0, at + 1) + "127.0.0.1:1," + hostport + "/" + name);
  REQUIRE(db.ok());
  (*db)->upgrade().value();
  const std::string id = env_id(**db, "e");
  (*db)->write([&](Transaction& tx) { set_description(tx, id, "through the second host"); });
  CHECK(description(**db, id) == "through the second host");

  auto none = Database::open(base.substr(0, at + 1) + "127.0.0.1:1,127.0.0.1:2/" + name);
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().kind == ErrorKind::Unavailable);
  CHECK_THAT(none.error().message, Catch::Contains("127.0.0.1:"));
}

// With BORA_TEST_GALERA_URLS (test/support/galera_cluster.py, CTest
// bora_unit_storage_galera): two Database objects on two Galera nodes.
TEST_CASE("Galera: two nodes' transactions of one tree never both act on what they read", "[galera]") {
  const char* urls = std::getenv("BORA_TEST_GALERA_URLS");
  if (!urls) return;
  std::stringstream list(urls);
  std::string node1, node2;
  list >> node1 >> node2;
  REQUIRE_FALSE(node2.empty());
  std::string name = test::fresh_url();
  name = "bora_g_" + std::to_string(std::hash<std::string>{}(name) % 1000000000);
  auto db1 = Database::open(node1 + name).value();
  db1->upgrade().value();
  auto db2 = Database::open(node2 + name).value();
  const std::string root = db1->write([&](Transaction& tx) {
    WorkflowExecution e;
    e.name = e.workflow_name = "wf";
    e.state = storage::State::Running;
    return tx.workflow_executions().create(e).value().id;
  });
  // Each round, one transaction per Galera node: "under the tree's lock,
  // if the execution has no task named once-N, create it". The two write
  // different rows; only the tree lock's own row (execution_tree_locks)
  // makes them conflict. Without it both read "none" on their own node
  // and both create one (a FOR UPDATE does not cross Galera nodes).
  auto tasks_named = [&](Database& db, const std::string& task) {
    return db.read([&](Transaction& tx) {
      return tx.task_executions()
          .count({{"workflow_execution_id", FilterOp::Eq, {root}}, {"name", FilterOp::Eq, {task}}},
                 ProjectScope::all())
          .value();
    });
  };
  constexpr int kRounds = 8;
  for (int round = 0; round < kRounds; ++round) {
    const std::string task = "once-" + std::to_string(round);
    auto decide = [&](Database& db) {
      return [&] {
        db.write([&](Transaction& tx) {
          tx.lock_tree(TreeOf::Execution, root);
          auto n = tx.task_executions()
                       .count({{"workflow_execution_id", FilterOp::Eq, {root}}, {"name", FilterOp::Eq, {task}}},
                              ProjectScope::all())
                       .value();
          if (n > 0) return;
          std::this_thread::sleep_for(std::chrono::milliseconds(100));  // both decide inside this window
          TaskExecution t;
          t.name = task;
          t.workflow_execution_id = root;
          t.state = storage::State::Running;
          tx.task_executions().create(t).value();
        });
      };
    };
    std::thread t1(decide(*db1)), t2(decide(*db2));
    t1.join();
    t2.join();
    // Both nodes applied both transactions (bounded wait for the
    // replication).
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (tasks_named(*db1, task) != tasks_named(*db2, task) && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    INFO(task);
    CHECK(tasks_named(*db1, task) == 1);
    CHECK(tasks_named(*db2, task) == 1);
  }
}

TEST_CASE("MariaDB: a read sees one snapshot, a write sees what others committed, whichever connection it gets") {
  if (!test::on_mysql()) return;
  auto db = test::open_migrated("sqlite://");
  const std::string id = env_id(*db, "iso");
  // The session keeps the level of its connection's last transaction: the
  // rounds mix readers and writers so that connections change roles.
  for (int round = 0; round < 4; ++round) {
    const std::string before = "r" + std::to_string(round), after = before + "-committed";
    db->write([&](Transaction& tx) { set_description(tx, id, before); });
    // A read: another transaction commits between its two statements; the
    // second still sees the first one's snapshot (REPEATABLE READ).
    std::string first, second;
    db->read([&](Transaction& tx) {
      first = stored_description(tx, id);
      std::thread other([&] { db->write([&](Transaction& w) { set_description(w, id, after); }); });
      other.join();
      second = stored_description(tx, id);
    });
    CHECK(first == before);
    CHECK(second == before);
    // A write: it sees the other's commit at its next statement (READ
    // COMMITTED: rows read after a tree's lock are the last holder's).
    // (Read by a query each time: the identity map would answer a get.)
    std::string seen_first, seen_second;
    db->write([&](Transaction& tx) {
      seen_first = stored_description(tx, id);
      std::thread other([&] { db->write([&](Transaction& w) { set_description(w, id, before); }); });
      other.join();
      seen_second = stored_description(tx, id);
    });
    CHECK(seen_first == after);
    CHECK(seen_second == before);
  }
}
