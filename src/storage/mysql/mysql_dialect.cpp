// storage/mysql/mysql_dialect: MySQL/MariaDB's pieces of SQL (sql_session.h).
#include "mysql/mysql_dialect.h"

#include <fmt/format.h>

namespace bora::storage::mysql {

std::string MysqlDialect::quote(std::string_view identifier) const {
  // Called for every column of every statement built: no formatting.
  std::string out;
  out.reserve(identifier.size() + 2);
  out += '`';
  out += identifier;
  out += '`';
  return out;
}

// Several nodes write at once: the rows of an execution are locked by the transaction that changes them.
bool MysqlDialect::row_locks() const { return true; }
bool MysqlDialect::batch_updates() const { return true; }

std::string MysqlDialect::lock_tree_root(std::string_view quoted_table) const {
  return fmt::format("SELECT `id` FROM {} WHERE `id` = ? FOR UPDATE", quoted_table);
}

// The row of the tree in execution_tree_locks (schema step 11), written:
// its lock serializes the tree's transactions on this Galera node as FOR
// UPDATE would, and two transactions of the tree on two Galera nodes both
// wrote it, so the one certified second is refused (error 1213) and runs
// again whole, reading what the first committed. (A FOR UPDATE, or an
// UPDATE that changes nothing, is not in the write set: both would
// commit.) The id alone is the key: execution and action ids are UUIDs.
std::string GaleraDialect::lock_tree_root(std::string_view /*quoted_table*/) const {
  return "INSERT INTO `execution_tree_locks` (`id`, `turns`) VALUES (?, 1) ON DUPLICATE KEY UPDATE `turns` = `turns` + 1";
}

// Claimers on several nodes lock the rows they pick and pass over the rows
// another claimer has locked (MariaDB 10.6, MySQL 8): nobody waits on
// anybody, and the conditional update after it still guards lapsed claims.
std::string_view MysqlDialect::skip_locked() const { return " FOR UPDATE SKIP LOCKED"; }

// MySQL refuses LIMIT in an IN subquery and a subquery on the table a
// DELETE deletes from; a single-table DELETE takes ORDER BY and LIMIT
// itself.
std::string MysqlDialect::delete_first(std::string_view table, std::string_view /*key*/, std::string_view where,
                                       std::string_view order) const {
  return fmt::format("DELETE FROM {} WHERE {} ORDER BY {} LIMIT ?", table, where, order);
}

// The tables compare bytes (utf8mb4_nopad_bin); SQLite's LIKE, and
// Mistral's `has` on MySQL's default collations, ignore case. The backslash
// is the escape character: sessions run with NO_BACKSLASH_ESCAPES, so the
// literal is the same text as in SQLite.
std::string MysqlDialect::contains(std::string_view quoted_column) const {
  return fmt::format("{} COLLATE utf8mb4_general_ci LIKE ? ESCAPE '\\'", quoted_column);
}

const MysqlDialect& dialect(bool mariadb_returning) {
  static const MysqlDialect plain(false), returning(true);
  return mariadb_returning ? returning : plain;
}

const GaleraDialect& galera_dialect(bool mariadb_returning) {
  static const GaleraDialect plain(false), returning(true);
  return mariadb_returning ? returning : plain;
}

}  // namespace bora::storage::mysql
