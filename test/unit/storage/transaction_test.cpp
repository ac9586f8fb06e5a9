// Transactions: commit, rollback on an error Result and on an exception,
// and several threads writing and reading at once.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "temp_db.h"

using namespace bora;
using namespace bora::storage;
using bora::storage::test::TempDbFile;

namespace {

Environment env(std::string name) {
  Environment e;
  e.name = std::move(name);
  e.variables = Value::dict({});
  return e;
}

int64_t env_count(Database& db) {
  return db.read(
      [](Transaction& tx) { return tx.environments().count({}, bora::storage::ProjectScope::all()).value(); });
}

}  // namespace

TEST_CASE("an error Result rolls the whole transaction back") {
  auto db = bora::storage::test::open_migrated("sqlite://");
  auto r = db->write([](Transaction& tx) -> Result<Environment> {
    tx.environments().create(env("one")).value();
    return tx.environments().create(env("one"));  // duplicate: Conflict
  });
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Conflict);
  CHECK(env_count(*db) == 0);
}

TEST_CASE("an exception rolls back and propagates") {
  auto db = bora::storage::test::open_migrated("sqlite://");
  CHECK_THROWS_WITH(db->write([](Transaction& tx) {
    tx.environments().create(env("one")).value();
    throw std::runtime_error("boom");
  }),
                    "boom");
  CHECK(env_count(*db) == 0);
  // And the database is usable afterwards.
  db->write([](Transaction& tx) { tx.environments().create(env("two")).value(); });
  CHECK(env_count(*db) == 1);
}

TEST_CASE("read transactions cannot write") {
  TempDbFile f;
  auto db = bora::storage::test::open_migrated(f.url());
  CHECK_THROWS_AS(db->read([](Transaction& tx) { tx.environments().create(env("x")).value(); }), BoraError);
  CHECK(env_count(*db) == 0);
}

TEST_CASE("many threads writing and reading at once lose nothing") {
  TempDbFile f;
  auto db = bora::storage::test::open_migrated(f.url());
  constexpr int kThreads = 6, kPerThread = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        try {
          db->write([&](Transaction& tx) {
            tx.environments().create(env("e-" + std::to_string(t) + "-" + std::to_string(i))).value();
          });
          // A reader alongside the writers sees a consistent count.
          auto n = env_count(*db);
          if (n < 1) ++failures;
        } catch (...) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
  CHECK(env_count(*db) == kThreads * kPerThread);
}
