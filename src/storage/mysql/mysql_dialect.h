// storage/mysql/mysql_dialect: MySQL/MariaDB's pieces of SQL (sql_session.h).
#pragma once

#include "sql_session.h"

namespace bora::storage::mysql {

class MysqlDialect : public SqlDialect {
 public:
  // mariadb_returning: the server is MariaDB 10.5 or later.
  explicit MysqlDialect(bool mariadb_returning = false) : returning_(mariadb_returning) {}
  bool insert_returning() const override { return returning_; }
  std::string quote(std::string_view identifier) const override;
  std::string_view skip_locked() const override;
  bool row_locks() const override;
  bool batch_updates() const override;
  std::string lock_tree_root(std::string_view quoted_table) const override;
  std::string delete_first(std::string_view table, std::string_view key, std::string_view where,
                           std::string_view order) const override;
  std::string contains(std::string_view quoted_column) const override;

 private:
  bool returning_;
};

// A Galera node: row locks hold on that node only, and conflicts between
// nodes are found at COMMIT among the rows each transaction wrote
// (certification). The tree lock therefore writes a row of its own.
class GaleraDialect : public MysqlDialect {
 public:
  using MysqlDialect::MysqlDialect;
  std::string lock_tree_root(std::string_view quoted_table) const override;
};

// mariadb_returning: the server is MariaDB 10.5 or later (INSERT ... RETURNING).
const MysqlDialect& dialect(bool mariadb_returning = false);
const GaleraDialect& galera_dialect(bool mariadb_returning = false);

}  // namespace bora::storage::mysql
