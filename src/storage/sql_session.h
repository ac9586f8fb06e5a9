// storage/sql_session: the narrow waist between the generic repositories
// and a database driver. A backend (SQLite now, MySQL/MariaDB later) gives
// one connection inside one transaction as a SqlSession: run a statement
// with bound parameters, read rows. Repositories build SQL that both
// dialects accept, quoting identifiers the dialect's way.
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

enum class SqlDialect { Sqlite, MySql };

// Thrown by a session when a statement breaks a unique constraint; the
// repository turns it into a Conflict naming the resource as Mistral does.
class UniqueViolation : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SqlSession {
 public:
  virtual ~SqlSession() = default;
  virtual SqlDialect dialect() const = 0;
  // Runs a statement; returns the number of rows it changed. Throws
  // UniqueViolation, or BoraError (Conflict for a foreign key still in use,
  // Unavailable when the database is locked or gone, Internal otherwise).
  virtual int64_t execute(std::string_view sql, const std::vector<SqlValue>& params) = 0;
  // Runs a query, calling on_row for each row in order.
  virtual void query(std::string_view sql, const std::vector<SqlValue>& params,
                     const std::function<void(SqlRow&)>& on_row) = 0;

  // "name" in SQLite, `name` in MySQL (some column names, like key, are
  // reserved words there).
  std::string quote(std::string_view identifier) const {
    char q = dialect() == SqlDialect::MySql ? '`' : '"';
    std::string out(1, q);
    out += identifier;
    out += q;
    return out;
  }
};

}  // namespace bora::storage
