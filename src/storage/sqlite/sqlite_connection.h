// storage/sqlite/sqlite_connection: one SQLite connection with its prepared
// statements cached by SQL text, seen by repositories as a SqlSession.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <unordered_map>

#include "sql_session.h"
#include "sqlite/sqlite_dialect.h"

namespace bora::storage::sqlite {

class Connection : public SqlSession {
 public:
  // Opens (creating if asked) the database file, or memory for ":memory:".
  Connection(const std::string& path, bool create, bool read_only);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const SqlDialect& dialect() const override { return sqlite::dialect(); }
  int64_t execute(std::string_view sql, const std::vector<SqlValue>& params) override;
  void query(std::string_view sql, const std::vector<SqlValue>& params,
             const std::function<void(SqlRow&)>& on_row) override;
  int64_t insert_returning_key(std::string_view insert, const std::vector<SqlValue>& params,
                               std::string_view key) override;

  // Runs SQL text with no parameters (pragmas, BEGIN/COMMIT, DDL).
  void exec(const std::string& sql);

 private:
  sqlite3_stmt* prepare(std::string_view sql);
  void bind(sqlite3_stmt* stmt, const std::vector<SqlValue>& params);
  [[noreturn]] void fail(int rc, std::string_view sql);

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace bora::storage::sqlite
