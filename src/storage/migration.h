// storage/migration: one versioned step of the schema. Each backend keeps
// its ordered list (its DDL dialect differs); versions are shared so that
// `bora db upgrade` means the same thing on SQLite and MySQL.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sql_session.h"

namespace bora::storage {

struct Migration {
  int version;
  std::string description;
  std::vector<std::string> statements;
};

// The highest version recorded in schema_version, 0 when that table is
// not there yet; `table_exists` is the backend's catalog query for it
// (one row when it exists).
inline int applied_schema_version(SqlSession& s, std::string_view table_exists,
                                  const std::vector<SqlValue>& params = {}) {
  bool has_table = false;
  s.query(table_exists, params, [&](SqlRow&) { has_table = true; });
  if (!has_table) return 0;
  int version = 0;
  s.query("SELECT MAX(version) FROM schema_version", {}, [&](SqlRow& row) {
    if (auto v = std::get_if<int64_t>(&row.at(0))) version = static_cast<int>(*v);
  });
  return version;
}

}  // namespace bora::storage
