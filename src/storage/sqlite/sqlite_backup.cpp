// storage/sqlite/sqlite_backup: `bora db backup` on a live database.
// SQLite's online backup API copies the pages of one read transaction: in
// WAL mode that is a consistent snapshot, and writers (the server, in
// another process) go on meanwhile. The copy is made under a temporary
// name, synced, and renamed, so the backup's name only ever holds a whole
// database.
#include <sqlite3.h>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "sqlite/sqlite_database.h"

namespace bora::storage::sqlite {

namespace {

using Handle = std::unique_ptr<sqlite3, int (*)(sqlite3*)>;

Handle open_handle(const std::string& path, int flags, std::string& error) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Handle h(raw, sqlite3_close_v2);
  if (rc != SQLITE_OK) error = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
  return h;
}

// The file's bytes reach the disk before it takes the backup's name.
bool sync_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

Result<Database::BackupReport> SqliteDatabase::backup(const std::string& path) {
  namespace fs = std::filesystem;
  if (memory_)
    return bad_input("an in-memory database (sqlite://) lives in its process only and cannot be backed up");
  std::error_code ec;
  if (fs::exists(path, ec))
    return Error{ErrorKind::Conflict, fmt::format("{} exists: a backup never overwrites a file; give a new name or "
                                                  "remove it first", path)};
  const std::string partial = path + ".partial";
  fs::remove(partial, ec);

  std::string error;
  Handle source = open_handle(path_, SQLITE_OPEN_READONLY, error);
  if (!error.empty()) return Error{ErrorKind::Unavailable, fmt::format("cannot open {}: {}", url_, error)};
  sqlite3_busy_timeout(source.get(), 10000);
  Handle target = open_handle(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error);
  if (!error.empty())
    return Error{ErrorKind::BadInput, fmt::format("cannot write the backup {}: {}", partial, error)};

  sqlite3_backup* copy = sqlite3_backup_init(target.get(), "main", source.get(), "main");
  if (!copy)
    return Error{ErrorKind::Internal, fmt::format("cannot start the backup: {}", sqlite3_errmsg(target.get()))};
  // One step for all pages: one read transaction, hence one snapshot. (A
  // step-by-step copy would restart whenever another connection writes.)
  int rc = sqlite3_backup_step(copy, -1);
  int64_t pages = sqlite3_backup_pagecount(copy);
  sqlite3_backup_finish(copy);
  if (rc != SQLITE_DONE) {
    std::string why = sqlite3_errstr(rc);
    target.reset();
    fs::remove(partial, ec);
    return Error{ErrorKind::Unavailable, fmt::format("the backup of {} failed: {}", url_, why)};
  }
  // The copy is a plain rollback-journal file: restoring it is copying it.
  sqlite3_exec(target.get(), "PRAGMA journal_mode = DELETE", nullptr, nullptr, nullptr);
  int version = 0;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(target.get(), "SELECT MAX(version) FROM schema_version", -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW)
    version = sqlite3_column_int(stmt, 0);
  sqlite3_finalize(stmt);
  target.reset();
  if (!sync_file(partial)) {
    fs::remove(partial, ec);
    return Error{ErrorKind::Unavailable, fmt::format("cannot sync the backup {} to disk", partial)};
  }
  fs::rename(partial, path, ec);
  if (ec) {
    fs::remove(partial, ec);
    return Error{ErrorKind::BadInput, fmt::format("cannot name the backup {}: {}", path, ec.message())};
  }
  // The new name itself on disk: sync the folder that holds it.
  fs::path folder = fs::absolute(path, ec).parent_path();
  sync_file(folder.string());
  BackupReport report;
  report.schema_version = version;
  report.pages = pages;
  report.bytes = static_cast<int64_t>(fs::file_size(path, ec));
  return report;
}

}  // namespace bora::storage::sqlite
