// The event log's storage (storage/event_rows.h): seqs strictly increase and
// are never reused after deletions, readers filter by execution tree, the
// outbox lists only undelivered events, and retention removes delivered
// events of removed executions and beyond the newest N, never undelivered
// ones; the notifiers of several nodes claim each event once, in order per
// execution tree.
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "temp_db.h"

using namespace bora;
using namespace bora::storage;

namespace {

int64_t add(Database& db, const std::string& root, const std::string& event, bool pending = false) {
  return db.write([&](Transaction& tx) {
    EventRow e;
    e.event = event;
    e.created_at = now_utc();
    e.root_execution_id = root;
    e.execution_id = root;
    e.workflow_name = "wf";
    e.payload = "{\"event\": \"" + event + "\"}";
    if (pending) e.publishers = "[{\"type\": \"noop\"}]";
    return tx.append_event(e);
  });
}

}  // namespace

TEST_CASE("event_log_appends_reads_and_prunes") {
  bora::storage::test::TempDbFile f;
  auto db = bora::storage::test::open_migrated(f.url());
  int64_t a1 = add(*db, "gone-a", "WORKFLOW_LAUNCHED");
  int64_t b1 = add(*db, "gone-b", "WORKFLOW_LAUNCHED", true);
  int64_t a2 = add(*db, "gone-a", "WORKFLOW_SUCCEEDED");
  CHECK(a1 < b1);
  CHECK(b1 < a2);
  db->read([&](Transaction& tx) {
    CHECK(tx.last_event_seq() == a2);
    EventQuery q;
    q.root_execution_id = "gone-a";
    auto rows = tx.events_after(q);
    REQUIRE(rows.size() == 2);
    CHECK(rows[1].event == "WORKFLOW_SUCCEEDED");
    q.after = a1;
    CHECK(tx.events_after(q).size() == 1);
    q = EventQuery{};
    q.events = {"WORKFLOW_LAUNCHED"};
    CHECK(tx.events_after(q).size() == 2);
    auto pending = tx.pending_notifications(10);
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].seq == b1);
    CHECK(tx.count_pending_notifications() == 1);
  });
  // No execution of these roots exists: the delivered events go, the
  // undelivered one stays until delivered, and so does the newest (a2):
  // seq is the rowid, and the newest row is what keeps a seq once given
  // from being given again.
  CHECK(db->write([](Transaction& tx) { return tx.prune_events(0, 100); }) == 1);
  db->write([&](Transaction& tx) { tx.update_notification(b1, std::nullopt, 1, std::nullopt); });
  CHECK(db->read([](Transaction& tx) { return tx.count_pending_notifications(); }) == 0);
  CHECK(db->write([](Transaction& tx) { return tx.prune_events(0, 100); }) == 1);
  CHECK(db->write([](Transaction& tx) { return tx.prune_events(0, 100); }) == 0);
  db->read([&](Transaction& tx) {
    auto left = tx.events_after(EventQuery{});
    REQUIRE(left.size() == 1);
    CHECK(left[0].seq == a2);
  });
  // A new event gets a seq after every one given before.
  CHECK(add(*db, "gone-c", "WORKFLOW_LAUNCHED") > a2);
}

TEST_CASE("event_retention_keeps_the_newest_delivered_events") {
  bora::storage::test::TempDbFile f;
  auto db = bora::storage::test::open_migrated(f.url());
  // Roots whose executions exist are not orphans: only the count applies.
  db->write([&](Transaction& tx) {
    WorkflowExecution ex;
    ex.id = "live";
    ex.name = ex.workflow_name = "wf";
    ex.state = storage::State::Running;
    tx.workflow_executions().create(ex).value();
  });
  for (int i = 0; i < 10; ++i) add(*db, "live", "TASK_LAUNCHED", i == 0);
  // Keep 3: six delivered go, the undelivered first one stays.
  CHECK(db->write([](Transaction& tx) { return tx.prune_events(3, 100); }) == 6);
  CHECK(db->read([](Transaction& tx) { return tx.events_after(EventQuery{}).size(); }) == 4);
}

TEST_CASE("notifications_are_claimed_once_in_order_per_tree") {
  using namespace std::chrono_literals;
  bora::storage::test::TempDbFile f;
  auto db = bora::storage::test::open_migrated(f.url());
  int64_t x1 = add(*db, "x", "WORKFLOW_LAUNCHED", true);
  int64_t y1 = add(*db, "y", "WORKFLOW_LAUNCHED", true);
  int64_t x2 = add(*db, "x", "WORKFLOW_SUCCEEDED", true);
  add(*db, "y", "TASK_LAUNCHED");  // nothing to deliver
  int64_t y2 = add(*db, "y", "WORKFLOW_SUCCEEDED", true);
  const Timestamp t0 = now_utc();
  auto claim = [&](Timestamp at, size_t max) {
    auto rows = db->write([&](Transaction& tx) { return tx.claim_notifications(at, 60s, max); });
    std::vector<int64_t> seqs;
    for (const auto& r : rows) seqs.push_back(r.seq);
    return seqs;
  };
  // The oldest first; a claim holds its events for the lease.
  CHECK(claim(t0, 1) == std::vector<int64_t>{x1});
  // x2 waits behind x1 (claimed by somebody else); y's events go.
  CHECK(claim(t0, 10) == std::vector<int64_t>{y1, y2});
  CHECK(claim(t0 + 30s, 10).empty());
  // x1 delivered: x2 is free. y1 failed (its retry at t0 + 70 s): y2 waits for it
  // even after the claim lapsed.
  db->write([&](Transaction& tx) {
    tx.update_notification(x1, std::nullopt, 0, std::nullopt);
    tx.update_notification(y1, "[{\"type\": \"noop\"}]", 1, t0 + 70s);
    tx.update_notification(y2, "[{\"type\": \"noop\"}]", 0, std::nullopt);  // given back
  });
  CHECK(claim(t0 + 1s, 10) == std::vector<int64_t>{x2});
  CHECK(claim(t0 + 50s, 10).empty());  // x2 leased, y1's retry not due, y2 behind it
  // x2's lease lapsed (its claimer died): it goes again, with y's events.
  CHECK(claim(t0 + 71s, 10) == std::vector<int64_t>{y1, x2, y2});
  CHECK(db->read([](Transaction& tx) { return tx.count_pending_notifications(); }) == 3);
}

TEST_CASE("racing_notifiers_claim_each_event_once") {
  using namespace std::chrono_literals;
  bora::storage::test::TempDbFile f;
  auto db = bora::storage::test::open_migrated(f.url());
  constexpr int kEvents = 120;
  for (int i = 0; i < kEvents; ++i) add(*db, "tree-" + std::to_string(i % 13), "TASK_SUCCEEDED", true);
  std::mutex m;
  std::multiset<int64_t> seen;
  std::vector<int64_t> order_error;
  std::vector<std::thread> claimers;
  for (int n = 0; n < 4; ++n) {
    claimers.emplace_back([&] {
      for (int round = 0; round < 200; ++round) {
        auto rows = db->write([&](Transaction& tx) { return tx.claim_notifications(now_utc(), 3600s, 5); });
        // Delivered at once, as a notifier does after its claim.
        db->write([&](Transaction& tx) {
          for (const auto& r : rows) tx.update_notification(r.seq, std::nullopt, 0, std::nullopt);
        });
        std::lock_guard lock(m);
        for (const auto& r : rows) seen.insert(r.seq);
        if (rows.empty() && db->read([](Transaction& tx) { return tx.count_pending_notifications(); }) == 0) break;
      }
    });
  }
  for (auto& t : claimers) t.join();
  CHECK(seen.size() == kEvents);
  CHECK(std::set<int64_t>(seen.begin(), seen.end()).size() == kEvents);
}

TEST_CASE("queued_events_are_written_in_order_with_the_transaction") {
  bora::storage::test::TempDbFile f;
  auto db = bora::storage::test::open_migrated(f.url());
  int64_t before = add(*db, "q", "WORKFLOW_LAUNCHED");
  auto queued = [](const std::string& event, int i) {
    EventRow e;
    e.event = event;
    e.created_at = now_utc();
    e.root_execution_id = e.execution_id = "q";
    e.workflow_name = "wf";
    e.payload = "{\"i\": " + std::to_string(i) + "}";
    if (i % 2) e.publishers = "[{\"type\": \"noop\"}]";
    return e;
  };
  // 250 events: three multi-row INSERTs, written when the transaction
  // commits; an immediate append in between keeps its place.
  int64_t newest = db->write([&](Transaction& tx) {
    for (int i = 0; i < 120; ++i) tx.queue_event(queued("TASK_LAUNCHED", i));
    tx.append_event(queued("TASK_RUNNING", 120));
    for (int i = 121; i < 250; ++i) tx.queue_event(queued("TASK_SUCCEEDED", i));
    return tx.flush_events();
  });
  db->write([&](Transaction& tx) { tx.queue_event(queued("WORKFLOW_SUCCEEDED", 250)); });  // flushed at commit
  // A queued event a rolled-back transaction held is never written.
  CHECK_THROWS(db->write([&](Transaction& tx) {
    tx.queue_event(queued("WORKFLOW_FAILED", 999));
    throw std::runtime_error("rolled back");
  }));
  db->read([&](Transaction& tx) {
    EventQuery q;
    q.after = before;
    q.limit = 1000;
    auto rows = tx.events_after(q);
    REQUIRE(rows.size() == 251);
    for (size_t i = 0; i < rows.size(); ++i) {
      CHECK(rows[i].payload == "{\"i\": " + std::to_string(i) + "}");
      if (i) CHECK(rows[i].seq > rows[i - 1].seq);
    }
    CHECK(rows[249].seq == newest);
    CHECK(rows[120].event == "TASK_RUNNING");
    CHECK(tx.count_pending_notifications() == 125);
  });
}
