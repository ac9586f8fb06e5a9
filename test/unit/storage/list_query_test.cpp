// Listing: every filter operator, typed filter values, sorting by several
// keys, keyset pagination with a marker, project scoping, refused fields.
#include <catch2/catch.hpp>

#include <algorithm>

#include "temp_db.h"

using namespace bora;
using namespace bora::storage;

namespace {

// Five workflows: names a..e, created one second apart, alternating
// projects and scopes; "c" has no workbook.
std::unique_ptr<Database> seeded() {
  auto db = bora::storage::test::open_migrated("sqlite://");
  db->write([](Transaction& tx) {
    const char* names[] = {"a", "b", "c", "d", "e"};
    for (int i = 0; i < 5; ++i) {
      WorkflowDefinition w;
      w.name = names[i];
      w.definition = std::string("def-") + names[i];
      w.project_id = i % 2 == 0 ? "p1" : "p2";
      w.scope = i == 1 ? "public" : "private";
      w.tags = Value::list({Value(i < 2 ? "fast" : "slow")});
      w.is_system = i == 4;
      if (i != 2) w.workbook_name = "wb";
      w.created_at = from_micros(1'700'000'000'000'000 + int64_t(i) * 1'000'000);
      tx.workflow_definitions().create(w).value();
    }
  });
  return db;
}

std::vector<std::string> names(Database& db, const ListQuery& q) {
  return db.read([&](Transaction& tx) {
    std::vector<std::string> out;
    for (auto& w : tx.workflow_definitions().list(q).value()) out.push_back(w.name);
    return out;
  });
}

ListQuery filtered(std::string field, FilterOp op, std::vector<std::string> values) {
  ListQuery q{ProjectScope::all()};
  q.filters.push_back({std::move(field), op, std::move(values)});
  q.sort = {{"name", false}};
  return q;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("filter operators") {
  auto db = seeded();
  CHECK(names(*db, filtered("name", FilterOp::Eq, {"c"})) == V{"c"});
  CHECK(names(*db, filtered("name", FilterOp::Neq, {"c"})) == V{"a", "b", "d", "e"});
  CHECK(names(*db, filtered("name", FilterOp::Lt, {"c"})) == V{"a", "b"});
  CHECK(names(*db, filtered("name", FilterOp::Lte, {"c"})) == V{"a", "b", "c"});
  CHECK(names(*db, filtered("name", FilterOp::Gt, {"c"})) == V{"d", "e"});
  CHECK(names(*db, filtered("name", FilterOp::Gte, {"c"})) == V{"c", "d", "e"});
  CHECK(names(*db, filtered("name", FilterOp::In, {"a", "e", "zz"})) == V{"a", "e"});
  CHECK(names(*db, filtered("name", FilterOp::Nin, {"a", "e"})) == V{"b", "c", "d"});
  CHECK(names(*db, filtered("name", FilterOp::In, {})).empty());
  CHECK(names(*db, filtered("tags", FilterOp::Has, {"fast"})) == V{"a", "b"});
  CHECK(names(*db, filtered("definition", FilterOp::Has, {"%"})).empty());  // LIKE wildcards are literal
}

TEST_CASE("filter values are converted to the column's type") {
  auto db = seeded();
  CHECK(names(*db, filtered("is_system", FilterOp::Eq, {"true"})) == V{"e"});
  CHECK(names(*db, filtered("is_system", FilterOp::Eq, {"False"})) == V{"a", "b", "c", "d"});
  CHECK(names(*db, filtered("created_at", FilterOp::Gte, {"2023-11-14 22:13:22"})) == V{"c", "d", "e"});
  CHECK(names(*db, filtered("created_at", FilterOp::Lt, {"2023-11-14T22:13:21"})) == V{"a"});
  ListQuery null_q{ProjectScope::all()};
  null_q.filters.push_back({"workbook_name", FilterOp::Eq, {}, true});
  CHECK(names(*db, null_q) == V{"c"});

  auto bad_time = db->read([](Transaction& tx) {
    return tx.workflow_definitions().list(filtered("created_at", FilterOp::Gt, {"yesterday"}));
  });
  REQUIRE_FALSE(bad_time.ok());
  CHECK(bad_time.error().kind == ErrorKind::BadInput);
  CHECK_THAT(bad_time.error().message, Catch::Contains("'yesterday'") && Catch::Contains("created_at"));
  auto bad_bool = db->read([](Transaction& tx) {
    return tx.workflow_definitions().list(filtered("is_system", FilterOp::Eq, {"maybe"}));
  });
  CHECK(bad_bool.error().kind == ErrorKind::BadInput);
}

TEST_CASE("unknown fields are refused, naming the valid ones; values cannot inject SQL") {
  auto db = seeded();
  auto r = db->read([](Transaction& tx) {
    return tx.workflow_definitions().list(filtered("name; DROP TABLE x", FilterOp::Eq, {"a"}));
  });
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::BadInput);
  CHECK_THAT(r.error().message, Catch::Contains("valid fields") && Catch::Contains("namespace"));
  ListQuery sort_q{ProjectScope::all()};
  sort_q.sort = {{"nope", false}};
  auto s = db->read([&](Transaction& tx) { return tx.workflow_definitions().list(sort_q); });
  CHECK(s.error().kind == ErrorKind::BadInput);
  CHECK(names(*db, filtered("name", FilterOp::Eq, {"a' OR '1'='1"})).empty());
  CHECK(names(*db, {ProjectScope::all()}).size() == 5);
}

TEST_CASE("sorting by several keys in either direction") {
  auto db = seeded();
  ListQuery q{ProjectScope::all()};
  q.sort = {{"project_id", false}, {"name", true}};
  CHECK(names(*db, q) == V{"e", "c", "a", "d", "b"});
  q.sort = {{"created_at", true}};
  CHECK(names(*db, q) == V{"e", "d", "c", "b", "a"});
}

TEST_CASE("pagination with a marker walks every row once, in order, with NULLs in sort keys") {
  auto db = seeded();
  for (bool desc : {false, true}) {
    for (const char* key : {"name", "workbook_name", "project_id", "created_at"}) {
      ListQuery all{ProjectScope::all()};
      all.sort = {{key, desc}};
      V expected = names(*db, all);
      V walked;
      ListQuery page = all;
      page.limit = 2;
      for (int guard = 0; guard < 10; ++guard) {
        auto rows = db->read([&](Transaction& tx) { return tx.workflow_definitions().list(page).value(); });
        for (auto& w : rows) walked.push_back(w.name);
        if (rows.size() < 2) break;
        page.marker = rows.back().id;
      }
      INFO("sort " << key << (desc ? " desc" : " asc"));
      CHECK(walked == expected);
    }
  }
}

TEST_CASE("an unknown marker is not found") {
  auto db = seeded();
  ListQuery q{ProjectScope::all()};
  q.marker = generate_uuid();
  auto r = db->read([&](Transaction& tx) { return tx.workflow_definitions().list(q); });
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::NotFound);
}

TEST_CASE("project scope: own rows and public ones; all projects for admins") {
  auto db = seeded();
  ListQuery q{ProjectScope::all()};
  q.sort = {{"name", false}};
  q.scope = ProjectScope::of("p1");
  CHECK(names(*db, q) == V{"a", "b", "c", "e"});  // b is p2's but public
  q.scope = ProjectScope::of("p2");
  CHECK(names(*db, q) == V{"b", "d"});
  q.scope.include_public = false;
  q.scope.project_id = "p1";
  CHECK(names(*db, q) == V{"a", "c", "e"});
  q.scope = ProjectScope::of("p3");
  CHECK(names(*db, q) == V{"b"});
  q.scope = ProjectScope::all();
  CHECK(names(*db, q).size() == 5);
  auto n = db->read([](Transaction& tx) {
    return tx.workflow_definitions().count({}, ProjectScope::of("p2")).value();
  });
  CHECK(n == 2);
  auto one = db->read([](Transaction& tx) {
    return tx.workflow_definitions().find_one({{"name", FilterOp::Eq, {"d"}}}, ProjectScope::of("p1"));
  });
  CHECK_FALSE(one);
}

TEST_CASE("reads by id see only what the scope sees; exists() tells nothing more than that the id is taken") {
  auto db = seeded();
  // Reads of project-owned records have no unscoped form (this would not
  // compile: tx.workflow_definitions().find(id)); records of no project do.
  static_assert(ProjectOwned<WorkflowDefinition> && ProjectOwned<WorkflowExecution> && ProjectOwned<TaskExecution>);
  static_assert(!ProjectOwned<DelayedCall>);
  db->read([](Transaction& tx) {
    auto d = tx.workflow_definitions().find_one({{"name", FilterOp::Eq, {"d"}}}, ProjectScope::all());
    REQUIRE(d);
    CHECK(d->project_id == "p2");
    CHECK(tx.workflow_definitions().find(d->id, ProjectScope::of("p2")));
    CHECK_FALSE(tx.workflow_definitions().find(d->id, ProjectScope::of("p1")));
    auto got = tx.workflow_definitions().get(d->id, ProjectScope::of("p1"));
    REQUIRE_FALSE(got);
    CHECK(got.error().kind == ErrorKind::NotFound);
    CHECK(tx.workflow_definitions().find(d->id, ProjectScope::internal()));
    CHECK(tx.workflow_definitions().exists(d->id));
    CHECK_FALSE(tx.workflow_definitions().exists("no-such-id"));
    // b is p2's but public: readable by id from p1 too.
    auto b = tx.workflow_definitions().find_one({{"name", FilterOp::Eq, {"b"}}}, ProjectScope::of("p1"));
    REQUIRE(b);
    CHECK(tx.workflow_definitions().find(b->id, ProjectScope::of("p1")));
    CHECK_FALSE(tx.workflow_definitions().find(b->id, ProjectScope::own("p1")));
    return 0;
  });
}
