// storage/sql_session: the narrow waist between the generic repositories
// and a database driver. A backend (SQLite, MySQL/MariaDB) gives one
// connection inside one transaction as a SqlSession: run a statement with
// bound parameters, read rows. Repositories build SQL that both accept;
// where the two languages differ, the session's SqlDialect writes the
// piece (quoting, row locks for claims, bounded deletes, text search).
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace bora::storage {

// A bound parameter or a column read back: NULL, integer, real, text.
using SqlValue = std::variant<std::monostate, int64_t, double, std::string>;
using SqlRow = std::vector<SqlValue>;

// The pieces of SQL that differ between the backends. Each backend has one
// (sqlite/sqlite_dialect.cpp, mysql/mysql_dialect.cpp); nothing above the
// storage module asks which database it runs on.
class SqlDialect {
 public:
  virtual ~SqlDialect() = default;
  // "name" in SQLite, `name` in MySQL (some column names, like key, are
  // reserved words there).
  virtual std::string quote(std::string_view identifier) const = 0;
  // Appended to the SELECT that picks rows a claimer is about to update
  // (due delayed calls): MySQL's FOR UPDATE SKIP LOCKED, so that claimers
  // on several nodes take different rows without waiting on each other;
  // nothing in SQLite, whose writer holds the whole database.
  virtual std::string_view skip_locked() const = 0;
  // Whether other processes write the same database at once, so that a
  // transaction must lock the rows it is about to change (MySQL: yes,
  // SELECT ... FOR UPDATE; SQLite: no, its writer holds the whole file).
  virtual bool row_locks() const = 0;
  // With row_locks(): the statement (one `?`, the root's id) that locks
  // the root row of an execution tree, whose table is `quoted_table`, for
  // this transaction (Transaction::lock_tree).
  virtual std::string lock_tree_root(std::string_view quoted_table) const = 0;
  // A DELETE of the first rows in `order` that match `where`, at most the
  // last bound parameter (a `?` the caller binds after the where's).
  virtual std::string delete_first(std::string_view table, std::string_view key, std::string_view where,
                                   std::string_view order) const = 0;
  // `column` contains the pattern bound as the next parameter (LIKE with
  // '\' as its escape), case-insensitively for ASCII as SQLite's LIKE.
  virtual std::string contains(std::string_view quoted_column) const = 0;
  // Whether each statement is a round trip to a server (MySQL), so that
  // the write-behind updates many rows in one statement; SQLite runs a
  // statement in the process, where one prepared UPDATE a row is cheaper.
  virtual bool batch_updates() const = 0;
  // Whether an INSERT may end with RETURNING and answer the keys it gave
  // (MariaDB 10.5 and later; not MySQL): the newest event's seq then comes
  // with its INSERT, not from one more statement (a round trip per write
  // transaction). SQLite's MAX(seq) costs nothing worth saving.
  virtual bool insert_returning() const { return false; }
};

// Thrown by a session when a statement breaks a unique constraint; the
// repository turns it into a Conflict naming the resource as Mistral does.
class UniqueViolation : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SqlSession {
 public:
  virtual ~SqlSession() = default;
  virtual const SqlDialect& dialect() const = 0;
  // Runs a statement; returns the number of rows it changed. Throws
  // UniqueViolation, or BoraError (Conflict for a foreign key still in use,
  // Unavailable when the database is locked or gone, Internal otherwise).
  virtual int64_t execute(std::string_view sql, const std::vector<SqlValue>& params) = 0;
  // Runs a query, calling on_row for each row in order.
  virtual void query(std::string_view sql, const std::vector<SqlValue>& params,
                     const std::function<void(SqlRow&)>& on_row) = 0;
  // Runs an INSERT into a table whose `key` column the database numbers,
  // and returns the number given (SQLite: RETURNING; MySQL: the
  // connection's last insert id).
  virtual int64_t insert_returning_key(std::string_view insert, const std::vector<SqlValue>& params,
                                       std::string_view key) = 0;

  std::string quote(std::string_view identifier) const { return dialect().quote(identifier); }

  // Writes what the transaction holds back (write-behind, Transaction:
  // rows changed but not written yet), so that the next statement sees
  // them. Every statement of a transaction's session does this first by
  // itself; a repository asks for it before it lets rows go.
  virtual void flush_pending() {}
  // True while that write-back runs (a session without one: always, so
  // that a repository writes its rows itself).
  virtual bool writing_back() const { return true; }
};

// Adds to the process's storage_work() counts (database.h); each backend
// counts what its statements did.
void count_storage_work(int64_t statements, int64_t rows, int64_t bytes_bound, int64_t vm_steps);

}  // namespace bora::storage
