// Schema migrations: empty to latest, idempotent, older upgraded with its
// data kept, newer refused; a reopened file keeps what was committed.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "sqlite/sqlite_migrations.h"
#include "temp_db.h"
#ifdef BORA_TEST_HAVE_MYSQL
#include "mysql/mysql_migrations.h"
#endif

using namespace bora;
using namespace bora::storage;
using bora::storage::test::TempDbFile;

namespace {

// How many steps an upgrade from `from` applies: the numbers are shared
// across branches and may have gaps until every branch's step is merged.
int steps_after(int from) {
  const auto* steps = &sqlite::migrations();
#ifdef BORA_TEST_HAVE_MYSQL
  if (storage::test::on_mysql()) steps = &mysql::migrations();
#endif
  int n = 0;
  for (const auto& m : *steps) n += m.version > from ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("an empty database migrates to the latest version, and again is a no-op") {
  TempDbFile f;
  auto db = Database::open(f.url());
  REQUIRE(db.ok());
  CHECK((*db)->schema_version() == 0);
  auto ran = (*db)->upgrade();
  REQUIRE(ran.ok());
  CHECK(*ran == steps_after(0));
  CHECK((*db)->schema_version() == (*db)->latest_schema_version());
  auto again = (*db)->upgrade();
  REQUIRE(again.ok());
  CHECK(*again == 0);
}

TEST_CASE("a database at version 1 is upgraded and keeps its rows") {
  TempDbFile f;
  {
    auto db = Database::open(f.url());
    REQUIRE(db.ok());
    REQUIRE((*db)->upgrade(1).value() == 1);
    CHECK((*db)->schema_version() == 1);
    (*db)->write([](Transaction& tx) {
      Environment env;
      env.name = "old";
      env.variables = Value::dict({{"k", Value("v")}});
      tx.environments().create(env).value();
    });
  }
  auto db = Database::open(f.url());
  REQUIRE(db.ok());
  CHECK((*db)->schema_version() == 1);
  auto ran = (*db)->upgrade();
  REQUIRE(ran.ok());
  CHECK(*ran == steps_after(1));
  auto envs = (*db)->read([](Transaction& tx) { return tx.environments().list({bora::storage::ProjectScope::all()}); });
  REQUIRE(envs.ok());
  REQUIRE(envs->size() == 1);
  CHECK(envs->front().variables["k"].as_string() == "v");
}

TEST_CASE("a database newer than the binary is refused with a clear message") {
  TempDbFile f;
  {
    auto db = bora::storage::test::open_migrated(f.url());
  }
  bora::storage::test::raw_sql(f, "INSERT INTO schema_version VALUES (999, 'future', 0)");
  auto db = Database::open(f.url());
  REQUIRE(db.ok());
  auto r = (*db)->upgrade();
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("schema version 999"));
  CHECK_THAT(r.error().message, Catch::Contains("newer"));
}

TEST_CASE("the SQLite file is in WAL mode with full sync") {
  if (bora::storage::test::on_mysql()) return;  // a SQLite setting
  TempDbFile f;
  auto db = bora::storage::test::open_migrated(f.url());
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(f.path.c_str(), &raw) == SQLITE_OK);
  std::string mode;
  sqlite3_exec(
      raw, "PRAGMA journal_mode",
      [](void* out, int, char** values, char**) {
        *static_cast<std::string*>(out) = values[0];
        return 0;
      },
      &mode, nullptr);
  sqlite3_close(raw);
  CHECK(mode == "wal");
}

TEST_CASE("a reopened file database sees committed data and not rolled-back data") {
  TempDbFile f;
  {
    auto db = bora::storage::test::open_migrated(f.url());
    db->write([](Transaction& tx) {
      Environment env;
      env.name = "kept";
      tx.environments().create(env).value();
    });
    auto r = db->write([](Transaction& tx) -> Result<int> {
      Environment env;
      env.name = "dropped";
      tx.environments().create(env).value();
      return bad_input("changed my mind");
    });
    CHECK_FALSE(r.ok());
  }
  auto db = bora::storage::test::open_migrated(f.url());
  auto names = db->read([](Transaction& tx) {
    std::vector<std::string> out;
    for (auto& e : tx.environments().list({bora::storage::ProjectScope::all()}).value()) out.push_back(e.name.value_or(""));
    return out;
  });
  CHECK(names == std::vector<std::string>{"kept"});
}

TEST_CASE("database URLs: in-memory, relative, absolute, refused forms") {
  CHECK(Database::open("sqlite://").ok());
  auto bad = Database::open("sqlite:relative.db");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error().message, Catch::Contains("sqlite:///relative/path.db"));
  // A MySQL URL without a database name, or with an option Bora does not
  // know, is refused before any connection is tried.
  auto mysql = Database::open("mysql://user:pw@127.0.0.1:1/");
  REQUIRE_FALSE(mysql.ok());
  CHECK(mysql.error().kind == ErrorKind::BadInput);
  CHECK_THAT(mysql.error().message, Catch::Contains("MySQL"));
  CHECK_THAT(mysql.error().message, !Catch::Contains(":pw@"));  // the password is not repeated
  auto other = Database::open("postgresql://x");
  REQUIRE_FALSE(other.ok());
  CHECK_THAT(other.error().message, Catch::Contains("unsupported database URL"));
}

TEST_CASE("environments without a name are many, an empty name is one per project (step 12)") {
  TempDbFile f;
  auto db = bora::storage::test::open_migrated(f.url());
  auto create = [&](std::optional<std::string> name) {
    return db->write([&](Transaction& tx) {
      Environment env;
      env.name = name;
      env.project_id = "p";
      return tx.environments().create(env);
    });
  };
  CHECK(create(std::nullopt).ok());
  CHECK(create(std::nullopt).ok());
  CHECK(create(std::string()).ok());
  auto again = create(std::string());
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().message == "Duplicate entry for Environment ['name', 'project_id']: , None");
  auto envs = db->read([](Transaction& tx) { return tx.environments().list({bora::storage::ProjectScope::all()}); });
  REQUIRE(envs.ok());
  int nulls = 0;
  for (const auto& e : *envs) nulls += e.name ? 0 : 1;
  CHECK(nulls == 2);
}
