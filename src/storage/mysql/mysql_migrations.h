// storage/mysql/mysql_migrations: the ordered schema steps for MySQL/MariaDB,
// with the same version numbers as SQLite's (storage/migration.h).
#pragma once

#include <vector>

#include "migration.h"

namespace bora::storage::mysql {

const std::vector<Migration>& migrations();

}  // namespace bora::storage::mysql
