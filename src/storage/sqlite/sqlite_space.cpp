// storage/sqlite/sqlite_space: giving deleted rows' space back. SQLite keeps
// freed pages in its file for reuse; with auto_vacuum = INCREMENTAL a
// running server can hand them back to the file system a few at a time
// (PRAGMA incremental_vacuum), which the expiration policy does after it
// deletes executions. A database created before that setting must be
// rewritten once (VACUUM) to get it: `bora db vacuum`.
#include <fmt/format.h>

#include "sqlite/sqlite_database.h"

namespace bora::storage::sqlite {

namespace {

int64_t pragma_int(Connection& c, const char* pragma) {
  int64_t v = 0;
  c.query(pragma, {}, [&](SqlRow& row) {
    if (auto x = std::get_if<int64_t>(&row.at(0))) v = *x;
  });
  return v;
}

}  // namespace

Result<int64_t> SqliteDatabase::reclaim_space() {
  if (memory_) return int64_t{0};
  std::lock_guard lock(write_mutex_);
  Connection& c = *writer_;
  if (pragma_int(c, "PRAGMA auto_vacuum") != 2) return int64_t{0};  // 2: incremental
  int64_t page = pragma_int(c, "PRAGMA page_size");
  int64_t free_pages = pragma_int(c, "PRAGMA freelist_count");
  if (free_pages == 0) return int64_t{0};
  try {
    c.exec("PRAGMA incremental_vacuum");
  } catch (const std::exception& e) {
    return Error{ErrorKind::Unavailable, fmt::format("reclaiming free space of {} failed: {}", url_, e.what())};
  }
  return (free_pages - pragma_int(c, "PRAGMA freelist_count")) * page;
}

Result<int64_t> SqliteDatabase::compact() {
  if (memory_) return int64_t{0};
  std::lock_guard lock(write_mutex_);
  Connection& c = *writer_;
  int64_t page = pragma_int(c, "PRAGMA page_size");
  int64_t before = pragma_int(c, "PRAGMA page_count");
  try {
    c.exec("PRAGMA auto_vacuum = INCREMENTAL");
    c.exec("VACUUM");
  } catch (const std::exception& e) {
    return Error{ErrorKind::Unavailable, fmt::format("rewriting {} failed: {}", url_, e.what())};
  }
  return (before - pragma_int(c, "PRAGMA page_count")) * page;
}

}  // namespace bora::storage::sqlite
