// api/readiness: each check of GET /readyz fails for its own reason and
// only then.
#include <catch2/catch.hpp>

#include <future>
#include <map>
#include <thread>

#include "bora/api/readiness.h"
#include "bora/expr/expression_port.h"

namespace bora::api {

namespace {

std::map<std::string, Readiness::Check> by_name(const std::vector<Readiness::Check>& checks) {
  std::map<std::string, Readiness::Check> out;
  for (const auto& c : checks) out[c.name] = c;
  return out;
}

}  // namespace

TEST_CASE("readiness: every check passes on a current database with an idle engine") {
  auto db = storage::Database::open("sqlite://").value();
  db->upgrade().value();
  executor::Executor pool(1);
  expr::LiteralExpressions expressions;
  engine::Engine engine(*db, pool, expressions);
  Readiness readiness(*db, &engine);
  auto checks = readiness.check();
  REQUIRE(checks.size() == 4);
  for (const auto& c : checks) CHECK(c.ok);

  readiness.set_draining();
  auto drained = by_name(readiness.check());
  CHECK_FALSE(drained["draining"].ok);
  CHECK(drained["database"].ok);
}

TEST_CASE("readiness: an engine loop stuck in one batch longer than the bound is not ready") {
  auto db = storage::Database::open("sqlite://").value();
  db->upgrade().value();
  executor::Executor pool(1);
  expr::LiteralExpressions expressions;
  engine::Engine engine(*db, pool, expressions);
  ReadinessOptions options;
  options.max_loop_stall = std::chrono::milliseconds(100);
  Readiness readiness(*db, &engine, options);
  // A change that holds the loop (as a commit that does not return would).
  std::promise<void> release;
  auto held = release.get_future().share();
  std::promise<void> done;
  engine.write<int>(
      [held](storage::Transaction&) -> Result<int> {
        held.wait();
        return 1;
      },
      [&done](Result<int>) { done.set_value(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto stuck = by_name(readiness.check());
  CHECK_FALSE(stuck["engine"].ok);
  CHECK_THAT(stuck["engine"].detail, Catch::Contains("readiness_max_loop_stall"));
  release.set_value();
  done.get_future().wait();
  // `done` runs inside the batch, before the loop finishes it (and stops
  // counting it as busy): ready again soon after, within a bounded wait.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  bool ready = false;
  while (!(ready = by_name(readiness.check())["engine"].ok) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(ready);
}

TEST_CASE("readiness: a schema that is not current, or no engine, is not ready") {
  auto db = storage::Database::open("sqlite://").value();
  db->upgrade(1).value();
  Readiness readiness(*db, nullptr);
  auto checks = by_name(readiness.check());
  CHECK_FALSE(checks["schema"].ok);
  CHECK_THAT(checks["schema"].detail, Catch::Contains("bora db upgrade"));
  CHECK_FALSE(checks["engine"].ok);
}

}  // namespace bora::api
