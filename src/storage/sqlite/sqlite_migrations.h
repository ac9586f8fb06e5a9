// storage/sqlite/sqlite_migrations: the ordered schema steps for SQLite.
#pragma once

#include <vector>

#include "migration.h"

namespace bora::storage::sqlite {

const std::vector<Migration>& migrations();

}  // namespace bora::storage::sqlite
