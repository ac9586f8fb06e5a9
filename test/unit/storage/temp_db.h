// The storage suite's databases, on either backend. Without
// BORA_TEST_MYSQL_URL a test's database is SQLite (a file under /tmp, or
// memory); with it (test/support/mariadb_server.py sets it for the CTest
// entry bora_unit_storage_mariadb) every database is a fresh one on that
// MariaDB server, so the same cases run on both backends.
#pragma once

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#ifdef BORA_TEST_HAVE_MYSQL
#include <mysql.h>
#endif

#include "bora/core/ids.h"
#include "bora/core/time.h"
#include "bora/storage/database.h"

namespace bora::storage::test {

// A fixed instant plus `seconds`, for the cases that set the clock (leases,
// deliveries, claims) rather than read it.
inline Timestamp at(int64_t seconds) { return from_micros(1'800'000'000'000'000 + seconds * 1'000'000); }

// mysql://USER:PASS@HOST:PORT/ (no database), or empty: SQLite.
inline std::string mysql_server_url() {
  const char* url = std::getenv("BORA_TEST_MYSQL_URL");
  return url ? url : "";
}
inline bool on_mysql() { return !mysql_server_url().empty(); }

// A database of its own for one test: a new MySQL database on the test
// server (the server and its data folder go when the suite ends), or
// SQLite in memory.
inline std::string fresh_url() {
  if (!on_mysql()) return "sqlite://";
  std::string name = generate_uuid();
  std::erase(name, '-');
  return mysql_server_url() + "bora_t_" + name.substr(0, 16);
}

struct TempDbFile {
  std::string path = "/tmp/bora-storage-test-" + generate_uuid() + ".db";
  // The same database for every open of this object (reopen tests).
  std::string mysql_url = on_mysql() ? fresh_url() : "";
  std::string url() const { return mysql_url.empty() ? "sqlite:///" + path : mysql_url; }
  ~TempDbFile() {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
  }
};

inline std::unique_ptr<Database> open_migrated(std::string url) {
  if (url == "sqlite://" && on_mysql()) url = fresh_url();
  auto db = Database::open(url);
  if (!db) throw BoraError(db.error());
  (*db)->upgrade().value();
  return std::move(db).value();
}

#ifdef BORA_TEST_HAVE_MYSQL
// One statement on the MySQL database of `url`, behind Bora's back; the
// first column of the first row, as text.
inline std::string mysql_raw(const std::string& url, const std::string& sql) {
  // mysql://USER:PASS@HOST:PORT/DB, as the test server writes it.
  auto rest = url.substr(url.find("://") + 3);
  auto at = rest.rfind('@');
  auto userinfo = rest.substr(0, at), hostpart = rest.substr(at + 1);
  auto colon = userinfo.find(':');
  auto slash = hostpart.find('/');
  auto hostport = hostpart.substr(0, slash);
  auto pcolon = hostport.rfind(':');
  std::string user = userinfo.substr(0, colon), password = userinfo.substr(colon + 1);
  std::string host = hostport.substr(0, pcolon), database = hostpart.substr(slash + 1);
  unsigned port = static_cast<unsigned>(std::stoul(hostport.substr(pcolon + 1)));
  MYSQL* db = mysql_init(nullptr);
  REQUIRE(mysql_real_connect(db, host.c_str(), user.c_str(), password.c_str(), database.c_str(), port, nullptr,
                             0) != nullptr);
  INFO(sql);
  INFO(mysql_error(db));
  REQUIRE(mysql_query(db, sql.c_str()) == 0);
  std::string out;
  if (MYSQL_RES* r = mysql_store_result(db)) {
    if (MYSQL_ROW row = mysql_fetch_row(r); row && row[0]) out = row[0];
    mysql_free_result(r);
  }
  mysql_close(db);
  return out;
}
#endif

// Runs one statement on the database behind Bora's back (as a hand edit or
// a damaged disk would, or to read what Bora stored byte for byte); the
// first column of the first row, as text.
inline std::string raw_sql(const TempDbFile& f, const std::string& sql) {
#ifdef BORA_TEST_HAVE_MYSQL
  if (!f.mysql_url.empty()) return mysql_raw(f.mysql_url, sql);
#endif
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(f.path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  INFO(sql);
  INFO(sqlite3_errmsg(db));
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  std::string out;
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW && sqlite3_column_text(stmt, 0))
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  CHECK((rc == SQLITE_ROW || rc == SQLITE_DONE));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

}  // namespace bora::storage::test
