// storage/sqlite/sqlite_database: transactions, reader pool, migrations.
#include "sqlite/sqlite_database.h"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>

#include "bora/core/metrics.h"
#include "bora/core/time.h"
#include "sqlite/sqlite_migrations.h"

namespace bora::storage::sqlite {
namespace {

// Readers beyond this wait for one to come back; the server's thread count
// is far below it, so waiting is rare.
constexpr size_t kMaxReaders = 16;

// How long COMMIT of a write transaction takes: the fsyncs of the log
// (synchronous=FULL), what the engine's batching spreads over many changes.
metrics::Histogram& commit_seconds() {
  static auto& h = metrics::Registry::global()
                       .histogram("bora_database_commit_duration_seconds",
                                  "Time a write transaction's COMMIT took (its fsyncs).", {},
                                  {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                   1, 2.5, 5})
                       .histogram();
  return h;
}

}  // namespace

SqliteDatabase::SqliteDatabase(std::string url, std::string path)
    : url_(std::move(url)), path_(std::move(path)), memory_(path_ == ":memory:"), readers_(kMaxReaders) {
  writer_ = open_connection(false);
}

std::unique_ptr<Connection> SqliteDatabase::open_connection(bool reader) {
  auto c = std::make_unique<Connection>(path_, !reader, false);
  c->exec("PRAGMA busy_timeout = 10000");
  c->exec("PRAGMA foreign_keys = ON");
  if (!memory_ && !reader) {
    // A new database gives deleted rows' pages back to the file system on
    // request (reclaim_space); on an existing one this is a no-op until
    // compact() rewrites it.
    c->exec("PRAGMA auto_vacuum = INCREMENTAL");
    // WAL: readers never block the writer nor the writer readers, and a
    // commit is one append to the log. synchronous=FULL: the log is synced
    // at every commit, so a transaction acknowledged is on disk even if the
    // machine loses power (NORMAL would only survive a process crash).
    c->exec("PRAGMA journal_mode = WAL");
    c->exec("PRAGMA synchronous = FULL");
  }
  if (reader) c->exec("PRAGMA query_only = ON");
  return c;
}

std::unique_ptr<Connection> SqliteDatabase::take_reader() {
  return readers_.take([this] { return open_connection(true); });
}

void SqliteDatabase::give_back(std::unique_ptr<Connection> c) { readers_.give_back(std::move(c)); }

void SqliteDatabase::run(bool writable, const std::function<bool(Transaction&)>& body) {
  auto in_transaction = [&](Connection& c, const char* begin) {
    c.exec(begin);
    Transaction tx(c, writable);
    bool commit = false;
    try {
      commit = body(tx);
    } catch (...) {
      try {
        c.exec("ROLLBACK");
      } catch (...) {
        // The original failure is the one worth reporting.
      }
      throw;
    }
    if (!commit && writable) return c.exec("ROLLBACK");
    auto started = std::chrono::steady_clock::now();
    c.exec("COMMIT");
    if (writable) commit_seconds().observe(metrics::seconds_since(started));
  };
  if (writable || memory_) {
    std::lock_guard lock(write_mutex_);
    in_transaction(*writer_, writable ? "BEGIN IMMEDIATE" : "BEGIN");
    return;
  }
  auto reader = take_reader();
  try {
    in_transaction(*reader, "BEGIN");
  } catch (...) {
    give_back(std::move(reader));
    throw;
  }
  give_back(std::move(reader));
}

std::optional<int64_t> SqliteDatabase::size_on_disk() const {
  if (memory_) return std::nullopt;
  std::error_code ec;
  auto main = std::filesystem::file_size(path_, ec);
  if (ec) return std::nullopt;
  auto wal = std::filesystem::file_size(path_ + "-wal", ec);  // absent after a clean close
  return static_cast<int64_t>(main + (ec ? 0 : wal));
}

int SqliteDatabase::version_on(Connection& c) {
  return applied_schema_version(c, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
}

int SqliteDatabase::schema_version() {
  std::lock_guard lock(write_mutex_);
  return version_on(*writer_);
}

int SqliteDatabase::latest_schema_version() const { return migrations().back().version; }

Result<int> SqliteDatabase::upgrade(std::optional<int> target) {
  std::lock_guard lock(write_mutex_);
  Connection& c = *writer_;
  c.exec(
      "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
      "applied_at INTEGER NOT NULL)");
  int current = version_on(c);
  int latest = latest_schema_version();
  if (current > latest) {
    return Error{ErrorKind::Conflict,
                 fmt::format("the database {} is at schema version {}, newer than this bora knows (up to {}): run "
                             "a bora at least as new as the one that upgraded it",
                             url_, current, latest)};
  }
  int goal = target ? std::min(*target, latest) : latest;
  int applied = 0;
  for (const auto& m : migrations()) {
    if (m.version <= current || m.version > goal) continue;
    c.exec("BEGIN IMMEDIATE");
    try {
      for (const auto& sql : m.statements) c.exec(sql);
      c.execute("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                {SqlValue(int64_t(m.version)), SqlValue(m.description), SqlValue(to_micros(now_utc()))});
      c.exec("COMMIT");
    } catch (const std::exception& e) {
      try {
        c.exec("ROLLBACK");
      } catch (...) {
      }
      return Error{ErrorKind::Internal,
                   fmt::format("schema migration {} ({}) failed on {}: {}", m.version, m.description, url_, e.what())};
    }
    ++applied;
  }
  return applied;
}

}  // namespace bora::storage::sqlite
