// storage/shared_values: a large value of an execution's contexts is stored
// once however many rows carry it, read back whole (key order kept) and as
// the same shared payload, and goes with its execution.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "bora/core/json.h"
#include "shared_values.h"
#include "temp_db.h"

using namespace bora;
using namespace bora::storage;

namespace {

WorkflowExecution execution(const Value& input) {
  WorkflowExecution r;
  r.name = "wf";
  r.workflow_name = "wf";
  r.workflow_id = "wf-id";
  r.state = storage::State::Running;
  r.input = input;
  r.context = input;
  r.project_id = "p1";
  return r;
}

TaskExecution task(const std::string& wf_ex_id, int n, const Value& in_context) {
  TaskExecution t;
  t.name = "t" + std::to_string(n);
  t.workflow_execution_id = wf_ex_id;
  t.workflow_name = "wf";
  t.workflow_id = "wf-id";
  t.state = storage::State::Running;
  t.in_context = in_context;
  t.published = Value::dict({{"n", Value(n)}});
  t.project_id = "p1";
  return t;
}

// Runs one query on the database directly (what Bora stored, byte for
// byte).
std::string scalar(const bora::storage::test::TempDbFile& file, const std::string& sql) {
  return bora::storage::test::raw_sql(file, sql);
}

// Changes the database behind Bora's back (as a damaged disk or a hand edit).
void damage(const bora::storage::test::TempDbFile& file, const std::string& sql) {
  bora::storage::test::raw_sql(file, sql);
}

// A database file to look into, and the rows the tests start from.
struct Fixture {
  bora::storage::test::TempDbFile file;
  std::unique_ptr<Database> db = bora::storage::test::open_migrated(file.url());

  WorkflowExecution start(const Value& input) {
    return db->write([&](Transaction& tx) { return tx.workflow_executions().create(execution(input)).value(); });
  }
  std::string stored_values() const { return scalar(file, "SELECT COUNT(*) FROM execution_values"); }
};

}  // namespace

TEST_CASE("a large context value through 100 task rows is stored once and read back shared") {
  Fixture f;
  auto& db = f.db;
  auto& file = f.file;
  const size_t blob_size = 2u << 20;
  Value blob(std::string(blob_size, 'x'));
  Value input = Value::dict({{"blob", blob}});
  uint64_t before = shared_value_bytes_written();

  auto wf_ex = f.start(input);
  std::vector<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    db->write([&](Transaction& tx) {
      // Each task's in_context is its own dict (what it published differs),
      // sharing the blob's payload, key order: small, blob, i.
      Value ctx = Value::dict({{"small", Value("s")}, {"blob", blob}, {"i", Value(i)}});
      auto t = tx.task_executions().create(task(wf_ex.id, i, ctx)).value();
      t.state = storage::State::Success;  // written back whole, as the engine does
      tx.task_executions().update(t).value();
      ids.push_back(t.id);
    });
  }
  uint64_t written = shared_value_bytes_written() - before;
  // One copy of the blob's JSON (its quotes), not 1 (input) + 1 (context)
  // + 200 (task writes).
  CHECK(written == blob_size + 2);
  CHECK(f.stored_values() == "1");
  // The task rows hold a reference, not the blob.
  CHECK(std::stoul(scalar(file, "SELECT MAX(LENGTH(in_context)) FROM task_executions_v2")) < 300);
  CHECK(scalar(file, "SELECT SUBSTR(in_context, 1, 1) FROM task_executions_v2 LIMIT 1") == "#");

  db->read([&](Transaction& tx) {
    for (int i : {0, 57, 99}) {
      auto t = tx.task_executions().get(ids[static_cast<size_t>(i)], ProjectScope::all()).value();
      REQUIRE(t.in_context.is_dict());
      const Dict& d = t.in_context.as_dict();
      REQUIRE(d.size() == 3);
      CHECK(d.at(0).first == "small");
      CHECK(d.at(1).first == "blob");
      CHECK(d.at(2).first == "i");
      CHECK(d.at(2).second == Value(i));
      CHECK(d.at(1).second.size() == blob_size);
      // The same payload as written: reading a task copies nothing.
      CHECK(&d.at(1).second.as_string() == &blob.as_string());
      CHECK(t.published == Value::dict({{"n", Value(i)}}));
    }
    auto listed = tx.task_executions().list({ProjectScope::all(), {}, {}}).value();
    CHECK(listed.size() == 100);
    for (const auto& t : listed) CHECK(&t.in_context["blob"].as_string() == &blob.as_string());
    auto e = tx.workflow_executions().get(wf_ex.id, ProjectScope::all()).value();
    CHECK(e.input == input);
    CHECK(e.context == input);
  });
}

TEST_CASE("small contexts are stored as plain JSON, as before") {
  Fixture f;
  auto& db = f.db;
  auto& file = f.file;
  Value input = Value::dict({{"b", Value(1)}, {"a", Value::list({Value("x")})}});
  auto wf_ex = f.start(input);
  CHECK(scalar(file, "SELECT input FROM workflow_executions_v2") == to_json(input));
  CHECK(f.stored_values() == "0");
  db->read([&](Transaction& tx) {
    CHECK(tx.workflow_executions().get(wf_ex.id, ProjectScope::all()).value().input == input);
  });
}

TEST_CASE("a reference written in a transaction that rolled back is written again") {
  Fixture f;
  auto& db = f.db;
  // A fresh payload: the process-wide cache has not seen it.
  Value big = Value::list({Value(std::string(100000, 'r')), Value(1)});
  Value input = Value::dict({{"big", big}});
  auto wf_ex = f.start(Value());
  // The cache now knows the digest, but the row went with the rollback.
  auto failed = db->write([&](Transaction& tx) -> Result<void> {
    tx.task_executions().create(task(wf_ex.id, 1, input)).value();
    return conflict("rolled back on purpose");
  });
  CHECK(!failed.ok());
  CHECK(f.stored_values() == "0");
  auto t = db->write([&](Transaction& tx) { return tx.task_executions().create(task(wf_ex.id, 2, input)).value(); });
  CHECK(f.stored_values() == "1");
  db->read([&](Transaction& tx) {
    CHECK(tx.task_executions().get(t.id, ProjectScope::all()).value().in_context == input);
  });
}

TEST_CASE("an execution's shared values go with it") {
  Fixture f;
  auto& db = f.db;
  auto& file = f.file;
  Value input = Value::dict({{"blob", Value(std::string(70000, 'd'))}});
  auto keep = f.start(input);
  auto drop = f.start(input);
  // Stored once per execution: the same content under two executions.
  CHECK(f.stored_values() == "2");
  db->write([&](Transaction& tx) { tx.workflow_executions().remove(drop.id).value(); });
  CHECK(f.stored_values() == "1");
  CHECK(scalar(file, "SELECT workflow_execution_id FROM execution_values") == keep.id);
}

TEST_CASE("what counts as a large value") {
  CHECK(is_large_value(Value(std::string(kSharedValueMinBytes, 'a'))));
  CHECK(!is_large_value(Value(std::string(kSharedValueMinBytes - 1, 'a'))));
  CHECK(!is_large_value(Value(int64_t(5))));
  List many(kSharedValueMinBytes, Value(1));
  CHECK(is_large_value(Value(std::move(many))));
  Dict d;
  for (int i = 0; i < 100; ++i) d.set("k" + std::to_string(i), Value(std::string(1000, 'v')));
  CHECK(is_large_value(Value(std::move(d))));
  CHECK(!is_large_value(Value::dict({{"a", Value::list({Value("x")})}})));
}

TEST_CASE("a damaged reference form is a damaged row, not a crash") {
  Fixture f;
  Value input = Value::dict({{"blob", Value(std::string(80000, 'z'))}});
  auto wf_ex = f.start(input);
  auto t = f.db->write([&](Transaction& tx) { return tx.task_executions().create(task(wf_ex.id, 1, input)).value(); });
  for (const char* text : {"#{", "#{\"refs\":{\"blob\":\"0000\"},\"value\":{\"blob\":null}}", "#[]"}) {
    INFO(text);
    damage(f.file, std::string("UPDATE task_executions_v2 SET in_context = '") + text + "'");
    f.db->read([&](Transaction& tx) {
      // Read by id: returned with the field empty; listed: left out.
      auto read = tx.task_executions().get(t.id, ProjectScope::all()).value();
      CHECK(read.in_context.is_null());
      CHECK(read.name == "t1");
      CHECK(tx.task_executions().list({ProjectScope::all(), {}, {}}).value().empty());
    });
  }
}
