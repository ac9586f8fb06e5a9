// [engine] with_items_batch: no transaction starts more than that many
// items, whatever the list's size; the window's rest starts in later
// transactions, and what the task gives is unchanged. (Issue 14: a
// 10 000-item task started every item, and ran them inline, in the one
// transaction that answered the POST: 406 s on MariaDB.)
#include <algorithm>
#include <memory>
#include <optional>

#include "engine_fixture.h"
#include "support/sanitizers.h"

using namespace bora;
using namespace bora::engine;
using bora::engine::test::EngineFixture;

namespace {

// A database that counts, in every write transaction it runs, the action
// and workflow execution rows the transaction created (rows at the end
// minus rows at the start), and keeps the largest counts seen.
class CountingDatabase : public storage::Database {
 public:
  explicit CountingDatabase(std::unique_ptr<storage::Database> inner) : inner_(std::move(inner)) {}

  std::string url() const override { return inner_->url(); }
  int schema_version() override { return inner_->schema_version(); }
  int latest_schema_version() const override { return inner_->latest_schema_version(); }
  Result<int> upgrade(std::optional<int> target) override { return inner_->upgrade(target); }
  Result<BackupReport> backup(const std::string& path) override { return inner_->backup(path); }
  Result<int64_t> reclaim_space() override { return inner_->reclaim_space(); }
  Result<int64_t> compact() override { return inner_->compact(); }

  int64_t most_actions = 0;     // action executions created by one transaction, at most
  int64_t most_executions = 0;  // workflow executions created by one transaction, at most
  int64_t writes = 0;           // write transactions committed
  int64_t most_running = 0;     // action executions RUNNING at the end of a transaction, at most

 protected:
  void run(bool writable, const std::function<bool(storage::Transaction&)>& body) override {
    if (!writable) {
      inner_->read([&](storage::Transaction& tx) { body(tx); });
      return;
    }
    auto rows = [](storage::Transaction& tx) {
      auto all = storage::ProjectScope::all();
      return std::make_pair(tx.action_executions().count({}, all).value(),
                            tx.workflow_executions().count({}, all).value());
    };
    Result<void> done = inner_->write([&](storage::Transaction& tx) -> Result<void> {
      auto before = rows(tx);
      if (!body(tx)) return Error{ErrorKind::Internal, "rolled back"};
      auto after = rows(tx);
      most_actions = std::max(most_actions, after.first - before.first);
      most_executions = std::max(most_executions, after.second - before.second);
      int64_t running = tx.action_executions()
                            .count({{"state", storage::FilterOp::Eq, {std::string("RUNNING")}}},
                                   storage::ProjectScope::all())
                            .value();
      most_running = std::max(most_running, running);
      ++writes;
      return {};
    });
    (void)done;  // a body that returned false rolled back, as asked
  }

 private:
  std::unique_ptr<storage::Database> inner_;
};

// The fixture's engine, rebuilt over a CountingDatabase.
CountingDatabase& count_transactions(EngineFixture& f, EngineOptions options) {
  f.engine.reset();
  auto counting = std::make_unique<CountingDatabase>(std::move(f.db));
  CountingDatabase& out = *counting;
  f.db = std::move(counting);
  options.time = f.clock;
  f.engine = std::make_unique<Engine>(*f.db, f.pool, *f.expressions, std::move(options));
  return out;
}

}  // namespace

TEST_CASE("no transaction starts more than with_items_batch items; the task gives the same") {
  EngineOptions options;
  options.with_items_batch = 50;
  EngineFixture f(true, options);
  CountingDatabase& db = count_transactions(f, options);
  f.define(R"(
version: '2.0'
many:
  tasks:
    t:
      with-items: i in <% range(1000) %>
      action: std.echo output=<% $.i * 2 %>
      publish:
        total: <% task().result.sum() %>
        n: <% task().result.len() %>
        first: <% task().result.first() %>
        last: <% task().result.last() %>
limited:
  tasks:
    t:
      with-items: i in <% range(300) %>
      concurrency: 120
      action: std.echo output=<% $.i %>
      publish:
        out: <% task().result %>
some_fail:
  tasks:
    t:
      with-items: i in <% range(300) %>
      action: std.echo output=<% 10 / ($.i - 250) %>
      on-error: noted
    noted:
      action: std.noop
)");
  auto ex = f.run("many");
  REQUIRE(ex.state == storage::State::Success);
  CHECK(ex.output["n"].as_int() == 1000);
  CHECK(ex.output["total"].as_int() == 999000);
  CHECK(ex.output["first"].as_int() == 0);
  CHECK(ex.output["last"].as_int() == 1998);
  CHECK(db.most_actions <= 50);
  CHECK(db.writes >= 1000 / 50);

  // A concurrency above the batch: the running items grow to it over
  // several transactions.
  auto limited = f.run("limited");
  REQUIRE(limited.state == storage::State::Success);
  List expected;
  for (int i = 0; i < 300; ++i) expected.emplace_back(i);
  CHECK(limited.output["out"] == Value(std::move(expected)));
  CHECK(db.most_actions <= 50);

  // Item 250 fails (a division by zero in its output, evaluated when the
  // item starts: Mistral's "Failed to run task" whatever the batch) ...
  auto failing = f.run("some_fail");
  CHECK(failing.state == storage::State::Error);
  auto failed_task = f.task(failing.id, "t");
  CHECK_THAT(*failed_task.state_info, Catch::StartsWith("Failed to run task"));
  auto started = f.db->read([&](storage::Transaction& tx) {
    return tx.action_executions()
        .count({{"task_execution_id", storage::FilterOp::Eq, {failed_task.id}}}, storage::ProjectScope::all())
        .value();
  });
  // ... before any item started: the items past the first batch are
  // evaluated at the start, as Mistral evaluates every input first.
  CHECK(started == 0);
  CHECK(db.most_actions <= 50);
}

TEST_CASE("sub-workflow items start a batch per transaction too") {
  EngineOptions options;
  options.with_items_batch = 20;
  EngineFixture f(true, options);
  CountingDatabase& db = count_transactions(f, options);
  f.define(R"(
version: '2.0'
child:
  input: [i]
  output:
    twice: <% $.i * 2 %>
  tasks:
    noop:
      action: std.noop
parent:
  tasks:
    t:
      with-items: i in <% range(70) %>
      workflow: child i=<% $.i %>
      publish:
        out: <% task().result.select($.twice).sum() %>
)");
  auto ex = f.run("parent");
  REQUIRE(ex.state == storage::State::Success);
  CHECK(ex.output["out"].as_int() == 70 * 69);
  // The parent's own execution and 20 items at most.
  CHECK(db.most_executions <= 21);
  CHECK(db.most_actions <= 20);  // the items' noops, run with their starts
}

// (Under the sanitizers 2 000 items: still ten default batches.)
TEST_CASE("ten thousand items under the default options: a bounded transaction answers the start") {
  const int64_t n = bora::test::kSlowdown > 1 ? 2000 : 10000;
  EngineFixture f(true);
  CountingDatabase& db = count_transactions(f, EngineOptions{});
  f.define(R"(
version: '2.0'
many:
  tasks:
    t:
      with-items: i in <% range()" + std::to_string(n) + R"() %>
      action: std.echo output=<% $.i %>
      publish:
        n: <% task().result.len() %>
)");
  auto ex = f.run("many");
  REQUIRE(ex.state == storage::State::Success);
  CHECK(ex.output["n"].as_int() == n);
  CHECK(db.most_actions <= static_cast<int64_t>(EngineOptions{}.with_items_batch));
}

TEST_CASE("a rerun of a with-items task's failed items starts them a batch per transaction, within the concurrency") {
  EngineOptions options;
  options.with_items_batch = 50;
  // Every action runs on the pool (none inline), so that the items still
  // running are seen at each commit.
  options.max_inline_actions = 0;
  EngineFixture f(true, options);
  CountingDatabase& db = count_transactions(f, options);
  // Every seventh item fails while env().broken is true (its script
  // throws), at run time, not when it starts. (An action name is evaluated
  // without the item's variables, as in Mistral.)
  f.define(R"(
version: '2.0'
many:
  tasks:
    t:
      with-items: i in <% range(1000) %>
      action: std.javascript
      input:
        context: <% [env().broken, $.i] %>
        script: "if ($[0] && $[1] % 7 == 0) throw 'broken'; return null;"
      publish:
        n: <% task().result.len() %>
limited:
  tasks:
    t:
      with-items: i in <% range(40) %>
      concurrency: 5
      action: std.javascript
      input:
        context: <% [env().broken, $.i] %>
        script: "if ($[0] && $[1] % 4 == 0) throw 'broken'; return null;"
      publish:
        n: <% task().result.len() %>
)");
  auto start_broken = [&](const std::string& wf) {
    StartRequest req;
    req.workflow = wf;
    req.caller = f.caller;
    req.params = Value::dict({{"env", Value::dict({{"broken", Value(true)}})}});
    auto started = f.engine->start_workflow(req);
    REQUIRE(started.ok());
    auto first = f.settle(started->id);
    REQUIRE(first);
    REQUIRE(first->state == storage::State::Error);
    return started->id;
  };
  auto actions_of = [&](const std::string& task_id, std::optional<std::string> state = std::nullopt) {
    std::vector<storage::Filter> where = {{"task_execution_id", storage::FilterOp::Eq, {task_id}}};
    if (state) where.push_back({"state", storage::FilterOp::Eq, {*state}});
    return f.db->read(
        [&](storage::Transaction& tx) { return tx.action_executions().count(where, storage::ProjectScope::all()).value(); });
  };
  // Reruns the task's failed items with the env fixed; the execution as it
  // ends.
  auto rerun_fixed = [&](const std::string& ex_id, const std::string& task_id) {
    REQUIRE(f.engine->rerun_task(task_id, false, Value::dict({{"broken", Value(false)}}), f.caller).ok());
    auto done = f.settle(ex_id);
    REQUIRE(done);
    CHECK(done->state == storage::State::Success);
    return *done;
  };

  std::string id = start_broken("many");
  std::string t_id = f.task(id, "t").id;
  REQUIRE(actions_of(t_id) == 1000);
  db.most_actions = 0;
  CHECK(rerun_fixed(id, t_id).output["n"].as_int() == 1000);
  // The 143 failed items ran again (0, 7, ..., 994), 50 at most per
  // transaction (the old rerun started all of them in its own).
  CHECK(actions_of(t_id) == 1000 + 143);
  CHECK(db.most_actions <= 50);
  CHECK(db.most_actions > 0);

  // With a concurrency, the first failure stopped the starts (items 0-4
  // started at once, item 0 failed; the items that ended before its
  // failure was taken started a few more); the rerun starts the failed and
  // the never started ones, at most five running at a time (Mistral's
  // capacity).
  std::string limited = start_broken("limited");
  std::string l_id = f.task(limited, "t").id;
  const int64_t first_run = actions_of(l_id), succeeded = actions_of(l_id, "SUCCESS");
  REQUIRE(first_run >= 5);
  REQUIRE(succeeded < 40);
  db.most_running = 0;
  CHECK(rerun_fixed(limited, l_id).output["n"].as_int() == 40);
  CHECK(actions_of(l_id) == first_run + (40 - succeeded));
  CHECK(db.most_running <= 5);
  CHECK(db.most_running > 0);
}
