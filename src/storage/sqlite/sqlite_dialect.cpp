// storage/sqlite/sqlite_dialect: SQLite's pieces of SQL (sql_session.h).
#include "sqlite/sqlite_dialect.h"

#include <fmt/format.h>

namespace bora::storage::sqlite {

std::string SqliteDialect::quote(std::string_view identifier) const {
  // Called for every column of every statement built: no formatting.
  std::string out;
  out.reserve(identifier.size() + 2);
  out += '\"';
  out += identifier;
  out += '\"';
  return out;
}

// One writer at a time holds the whole database: no row lock is needed.
bool SqliteDialect::row_locks() const { return false; }
bool SqliteDialect::batch_updates() const { return false; }

// Never run (row_locks() is false): the writer holds the whole file.
std::string SqliteDialect::lock_tree_root(std::string_view quoted_table) const {
  return fmt::format("SELECT id FROM {} WHERE id = ?", quoted_table);
}

// One writer holds the whole database for its transaction: nothing else can
// claim the rows meanwhile.
std::string_view SqliteDialect::skip_locked() const { return ""; }

// DELETE ... LIMIT needs a compile-time option Debian's SQLite lacks: the
// rows are picked by a subquery on the key.
std::string SqliteDialect::delete_first(std::string_view table, std::string_view key, std::string_view where,
                                        std::string_view order) const {
  return fmt::format("DELETE FROM {0} WHERE {1} IN (SELECT {1} FROM {0} WHERE {2} ORDER BY {3} LIMIT ?)", table,
                     key, where, order);
}

// SQLite's LIKE ignores ASCII case already.
std::string SqliteDialect::contains(std::string_view quoted_column) const {
  return fmt::format("{} LIKE ? ESCAPE '\\'", quoted_column);
}

const SqliteDialect& dialect() {
  static const SqliteDialect d;
  return d;
}

}  // namespace bora::storage::sqlite
