// storage/sqlite/sqlite_connection: statement cache, binding, error mapping.
#include "sqlite/sqlite_connection.h"

#include <fmt/format.h>

#include <atomic>

#include "bora/core/error.h"
#include "bora/storage/database.h"

namespace bora::storage::sqlite {
namespace {

// Statements built from list queries vary with their filters; bound the
// cache so an unusual mix of queries cannot grow it without end.
constexpr size_t kMaxCachedStatements = 512;

// storage_work(): counted by every connection of the process.
std::atomic<int64_t> g_statements{0}, g_rows{0}, g_bytes_bound{0}, g_vm_steps{0};

void count_statement(sqlite3_stmt* stmt, int64_t rows) {
  count_storage_work(1, rows, 0, sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_VM_STEP, 1));
}

}  // namespace

Connection::Connection(const std::string& path, bool create, bool read_only) {
  int flags = SQLITE_OPEN_NOMUTEX | (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE);
  if (create && !read_only) flags |= SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw BoraError(ErrorKind::Unavailable,
                    fmt::format("cannot open SQLite database '{}': {} (check the path in [database] connection "
                                "and that its directory is writable)",
                                path, msg));
  }
  sqlite3_extended_result_codes(db_, 1);
}

Connection::~Connection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

void Connection::exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED || (rc & 0xff) == SQLITE_BUSY)
      throw BoraError(ErrorKind::Unavailable, "the database is busy: " + msg);
    throw BoraError(ErrorKind::Internal, fmt::format("SQLite error: {} (in: {})", msg, sql.substr(0, 200)));
  }
}

sqlite3_stmt* Connection::prepare(std::string_view sql) {
  std::string key(sql);
  auto it = statements_.find(key);
  if (it != statements_.end()) {
    sqlite3_reset(it->second);
    sqlite3_clear_bindings(it->second);
    return it->second;
  }
  if (statements_.size() >= kMaxCachedStatements) {
    for (auto& [s, stmt] : statements_) sqlite3_finalize(stmt);
    statements_.clear();
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                              nullptr);
  if (rc != SQLITE_OK) fail(rc, sql);
  statements_.emplace(std::move(key), stmt);
  return stmt;
}

void Connection::bind(sqlite3_stmt* stmt, const std::vector<SqlValue>& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    int idx = static_cast<int>(i + 1);
    const SqlValue& p = params[i];
    int rc = SQLITE_OK;
    if (std::holds_alternative<std::monostate>(p)) rc = sqlite3_bind_null(stmt, idx);
    else if (auto n = std::get_if<int64_t>(&p)) rc = sqlite3_bind_int64(stmt, idx, *n);
    else if (auto d = std::get_if<double>(&p)) rc = sqlite3_bind_double(stmt, idx, *d);
    else {
      // Not copied (SQLITE_STATIC): the parameters outlive the statement's
      // run, and execute() and query() clear the bindings before they
      // return. A large context value is then not held twice while it is
      // written (docs/PERFORMANCE.md, context10mb).
      const auto& s = std::get<std::string>(p);
      count_storage_work(0, 0, static_cast<int64_t>(s.size()), 0);
      rc = sqlite3_bind_text64(stmt, idx, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
    }
    if (rc != SQLITE_OK) fail(rc, sqlite3_sql(stmt));
  }
}

void Connection::fail(int rc, std::string_view sql) {
  std::string msg = sqlite3_errmsg(db_);
  int primary = rc & 0xff;
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) throw UniqueViolation(msg);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    throw BoraError(ErrorKind::Conflict, "the record is still referenced by others (" + msg + ")");
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    throw BoraError(ErrorKind::Unavailable, "the database is busy, try again: " + msg);
  if (primary == SQLITE_FULL || primary == SQLITE_IOERR)
    throw BoraError(ErrorKind::Unavailable, "the database cannot be written: " + msg);
  if (primary == SQLITE_READONLY)
    throw BoraError(ErrorKind::Internal, "a write was attempted in a read-only transaction: " + msg);
  throw BoraError(ErrorKind::Internal, fmt::format("SQLite error: {} (in: {})", msg, sql.substr(0, 300)));
}

int64_t Connection::execute(std::string_view sql, const std::vector<SqlValue>& params) {
  sqlite3_stmt* stmt = prepare(sql);
  bind(stmt, params);
  int rc;
  int64_t rows = 0;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    ++rows;
  }
  count_statement(stmt, rows);
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  if (rc != SQLITE_DONE) fail(rc, sql);
  return sqlite3_changes64(db_);
}

int64_t Connection::insert_returning_key(std::string_view insert, const std::vector<SqlValue>& params,
                                         std::string_view key) {
  int64_t out = 0;
  query(fmt::format("{} RETURNING {}", insert, key), params, [&](SqlRow& r) {
    if (auto* v = std::get_if<int64_t>(&r.at(0))) out = *v;
  });
  return out;
}

void Connection::query(std::string_view sql, const std::vector<SqlValue>& params,
                       const std::function<void(SqlRow&)>& on_row) {
  sqlite3_stmt* stmt = prepare(sql);
  bind(stmt, params);
  int n = sqlite3_column_count(stmt);
  SqlRow row;
  int rc;
  int64_t rows = 0;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    ++rows;
    row.clear();
    row.reserve(n);
    for (int i = 0; i < n; ++i) {
      switch (sqlite3_column_type(stmt, i)) {
        case SQLITE_NULL: row.emplace_back(); break;
        case SQLITE_INTEGER: row.emplace_back(int64_t(sqlite3_column_int64(stmt, i))); break;
        case SQLITE_FLOAT: row.emplace_back(sqlite3_column_double(stmt, i)); break;
        default: {
          auto text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
          row.emplace_back(std::string(text ? text : "", sqlite3_column_bytes(stmt, i)));
        }
      }
    }
    try {
      on_row(row);
    } catch (...) {
      count_statement(stmt, rows);
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);
      throw;
    }
  }
  count_statement(stmt, rows);
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  if (rc != SQLITE_DONE) fail(rc, sql);
}

}  // namespace bora::storage::sqlite

namespace bora::storage {

void count_storage_work(int64_t statements, int64_t rows, int64_t bytes_bound, int64_t vm_steps) {
  using sqlite::g_bytes_bound, sqlite::g_rows, sqlite::g_statements, sqlite::g_vm_steps;
  if (statements) g_statements.fetch_add(statements, std::memory_order_relaxed);
  if (rows) g_rows.fetch_add(rows, std::memory_order_relaxed);
  if (bytes_bound) g_bytes_bound.fetch_add(bytes_bound, std::memory_order_relaxed);
  if (vm_steps) g_vm_steps.fetch_add(vm_steps, std::memory_order_relaxed);
}

StorageWork storage_work() {
  using sqlite::g_bytes_bound, sqlite::g_rows, sqlite::g_statements, sqlite::g_vm_steps;
  return {g_statements.load(std::memory_order_relaxed), g_rows.load(std::memory_order_relaxed),
          g_bytes_bound.load(std::memory_order_relaxed), g_vm_steps.load(std::memory_order_relaxed)};
}

}  // namespace bora::storage
