// The event log's storage (storage/event_rows.h): seqs strictly increase and
// are never reused after deletions, readers filter by execution tree, the
// outbox lists only undelivered events, and retention removes delivered
// events of removed executions and beyond the newest N, never undelivered
// ones.
#include <catch2/catch.hpp>

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
    ex.state = "RUNNING";
    tx.workflow_executions().create(ex).value();
  });
  for (int i = 0; i < 10; ++i) add(*db, "live", "TASK_LAUNCHED", i == 0);
  // Keep 3: six delivered go, the undelivered first one stays.
  CHECK(db->write([](Transaction& tx) { return tx.prune_events(3, 100); }) == 6);
  CHECK(db->read([](Transaction& tx) { return tx.events_after(EventQuery{}).size(); }) == 4);
}
