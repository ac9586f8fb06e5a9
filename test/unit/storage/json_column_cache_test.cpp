// The JSON column cache: a large dict or list read twice is parsed once and
// shared; written back unchanged, its stored text is not printed again; a
// changed value is printed anew; rows read back equal what was written.
#include <catch2/catch.hpp>

#include "bora/core/json.h"
#include "json_column_cache.h"
#include "temp_db.h"

using namespace bora;
using namespace bora::storage;

namespace {

Value big_dict(const std::string& marker) {
  Dict d;
  for (int i = 0; i < 200; ++i) d.set("task" + std::to_string(i), Value(marker + std::to_string(i)));
  return Value(std::move(d));
}

}  // namespace

TEST_CASE("a large JSON column is parsed once and its Value shared") {
  std::string text = to_json(big_dict("shared-"));
  REQUIRE(text.size() >= kJsonColumnCacheMinBytes);
  Value a = decode_json_column(text);
  Value b = decode_json_column(text);
  CHECK(&a.as_dict() == &b.as_dict());  // the same payload, not a second parse
  CHECK(a == big_dict("shared-"));
  // Written back unchanged: the stored text itself.
  CHECK(encode_json_column(b) == text);
}

TEST_CASE("a changed value is printed anew, small texts are not cached") {
  Value v = decode_json_column(to_json(big_dict("before-")));
  Value changed = v.with("task0", Value("after"));
  CHECK(parse_json(encode_json_column(changed)).value() == changed);
  std::string small = R"({"a": 1})";
  Value s1 = decode_json_column(small), s2 = decode_json_column(small);
  CHECK(&s1.as_dict() != &s2.as_dict());
  CHECK(s1 == s2);
}

TEST_CASE("a stored JSON column that does not parse is an internal error") {
  std::string broken = "{\"a\": \"" + std::string(2000, 'x');
  CHECK_THROWS_AS(decode_json_column(broken), BoraError);
}

TEST_CASE("a workflow execution's large spec survives update round trips through the cache") {
  test::TempDbFile file;
  auto db = test::open_migrated(file.url());
  WorkflowExecution ex;
  ex.name = "wf";
  ex.workflow_name = "wf";
  ex.spec = big_dict("spec-");
  ex.state = storage::State::Running;
  ex.project_id = "p1";
  std::string id = db->write([&](Transaction& tx) { return tx.workflow_executions().create(ex).value().id; });
  for (int round = 0; round < 3; ++round) {
    db->write([&](Transaction& tx) {
      auto row = tx.workflow_executions().get(id, ProjectScope::internal()).value();
      row.context = row.context.is_dict() ? row.context.with("round", Value(round)) : Value::dict({{"round", Value(round)}});
      tx.workflow_executions().update(row).value();
    });
  }
  auto back = db->read([&](Transaction& tx) { return tx.workflow_executions().get(id, ProjectScope::internal()).value(); });
  CHECK(back.spec == big_dict("spec-"));
  CHECK(back.context == Value::dict({{"round", Value(2)}}));
}
