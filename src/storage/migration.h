// storage/migration: one versioned step of the schema. Each backend keeps
// its ordered list (its DDL dialect differs); versions are shared so that
// `bora db upgrade` means the same thing on SQLite and MySQL.
#pragma once

#include <string>
#include <vector>

namespace bora::storage {

struct Migration {
  int version;
  std::string description;
  std::vector<std::string> statements;
};

}  // namespace bora::storage
