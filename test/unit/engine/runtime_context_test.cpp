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

}  // namespace bora::engine::test
