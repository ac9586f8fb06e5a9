// storage/sqlite/sqlite_dialect: SQLite's pieces of SQL (sql_session.h).
#pragma once

#include "sql_session.h"

namespace bora::storage::sqlite {

class SqliteDialect : public SqlDialect {
 public:
  std::string quote(std::string_view identifier) const override;
  std::string_view skip_locked() const override;
  bool row_locks() const override;
  bool batch_updates() const override;
  std::string lock_tree_root(std::string_view quoted_table) const override;
  std::string delete_first(std::string_view table, std::string_view key, std::string_view where,
                           std::string_view order) const override;
  std::string contains(std::string_view quoted_column) const override;
};

const SqliteDialect& dialect();

}  // namespace bora::storage::sqlite
