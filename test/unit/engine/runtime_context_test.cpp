// engine/runtime_context: the typed with-items progress reads and writes the
// stored JSON exactly as the engine always stored it.
#include <catch2/catch.hpp>

#include "bora/core/json.h"
#include "runtime_context.h"

namespace bora::engine::test {

TEST_CASE("with-items progress: stored JSON read and written back byte for byte") {
  const std::string stored = R"({"count": 5, "next": 3, "concurrency": 2, "done": 1, "failed": true})";
  auto value = parse_json(stored);
  REQUIRE(value.ok());
  WithItemsProgress p = WithItemsProgress::from_value(*value);
  CHECK(p.count == 5);
  CHECK(p.next == 3);
  CHECK(p.concurrency == 2);
  CHECK(p.done == 1);
  CHECK(p.failed);
  CHECK(to_json(p.to_value()) == to_json(*value));
}

TEST_CASE("with-items progress: missing or mistyped fields read as defaults") {
  WithItemsProgress p = WithItemsProgress::from_value(parse_json(R"({"count": "x", "done": 4})").value());
  CHECK(p.count == 0);
  CHECK(p.done == 4);
  CHECK_FALSE(p.failed);
  WithItemsProgress none = WithItemsProgress::from_value(Value());
  CHECK(none.count == 0);
  CHECK(to_json(none.to_value()) ==
        to_json(parse_json(R"({"count": 0, "next": 0, "concurrency": 0, "done": 0, "failed": false})").value()));
}

TEST_CASE("with-items progress: a rerun's items as ranges, taken in item order") {
  WithItemsProgress p;
  p.count = 10;
  p.next = 10;
  p.done = 4;
  p.rerun = WithItemsProgress::ranges_of({0, 1, 2, 5, 8, 9});
  REQUIRE(p.rerun.size() == 3);
  CHECK(p.rerun_left() == 6);
  CHECK(p.running() == 0);  // 10 reached, 6 left to start again, 4 done
  CHECK(p.more_to_start());
  // Stored and read back whole.
  WithItemsProgress back = WithItemsProgress::from_value(parse_json(to_json(p.to_value())).value());
  CHECK(back.rerun == p.rerun);
  std::vector<int64_t> taken;
  while (back.more_to_start()) taken.push_back(back.take_next());
  CHECK(taken == std::vector<int64_t>{0, 1, 2, 5, 8, 9});
  CHECK(back.next == 10);  // the first run's cursor is not moved by a rerun
  // Without a rerun no key is written: the stored JSON is as before.
  CHECK_FALSE(back.to_value().find("rerun"));
  // A mistyped or empty range is dropped.
  auto odd = WithItemsProgress::from_value(parse_json(R"({"rerun": [[3, 3], [1], "x", [4, 6]]})").value());
  CHECK(odd.rerun == std::vector<std::pair<int64_t, int64_t>>{{4, 6}});
}

}  // namespace bora::engine::test
