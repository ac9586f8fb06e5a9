// The event deliveries (migration 10): a (message, trigger) pair is
// recorded once, found again, kept when its execution is deleted, refused a
// second time (two nodes applying one message), and pruned by age. On
// SQLite and, through bora_unit_storage_mariadb, on MariaDB.
#include <catch2/catch.hpp>

#include "temp_db.h"

using namespace bora;
using namespace bora::storage;

namespace {

using bora::storage::test::at;

}  // namespace

TEST_CASE("an applied (message, trigger) pair is recorded, found, refused again and pruned by age") {
  auto db = bora::storage::test::open_migrated("sqlite://");
  db->write([](Transaction& tx) {
    CHECK_FALSE(tx.find_event_delivery("m-1", "t-1"));
    tx.record_event_delivery("m-1", "t-1", "ex-1", at(0));
    tx.record_event_delivery("m-1", "t-2", "ex-2", at(10));
    tx.record_event_delivery("m-2", "t-1", "ex-3", at(20));
  });
  db->read([](Transaction& tx) {
    CHECK(tx.find_event_delivery("m-1", "t-1") == std::optional<std::string>("ex-1"));
    CHECK(tx.find_event_delivery("m-1", "t-2") == std::optional<std::string>("ex-2"));
    CHECK(tx.find_event_delivery("m-2", "t-1") == std::optional<std::string>("ex-3"));
    CHECK_FALSE(tx.find_event_delivery("m-2", "t-2"));
  });
  // The same pair a second time fails, and its transaction rolls back.
  CHECK_THROWS(db->write([](Transaction& tx) {
    tx.record_event_delivery("m-2", "t-2", "ex-4", at(30));
    tx.record_event_delivery("m-1", "t-1", "ex-5", at(30));
  }));
  db->read([](Transaction& tx) {
    CHECK_FALSE(tx.find_event_delivery("m-2", "t-2"));
    CHECK(tx.find_event_delivery("m-1", "t-1") == std::optional<std::string>("ex-1"));
  });
  // Older than 15 s after the first: the first two go, the third stays.
  CHECK(db->write([](Transaction& tx) { return tx.prune_event_deliveries(at(15)); }) == 2);
  db->read([](Transaction& tx) {
    CHECK_FALSE(tx.find_event_delivery("m-1", "t-1"));
    CHECK_FALSE(tx.find_event_delivery("m-1", "t-2"));
    CHECK(tx.find_event_delivery("m-2", "t-1") == std::optional<std::string>("ex-3"));
  });
}
