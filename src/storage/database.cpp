// storage/database: opening a database from its URL.
#include "bora/storage/database.h"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>

#include "sqlite/sqlite_database.h"

namespace bora::storage {

Result<std::unique_ptr<Database>> Database::open(const std::string& url) {
  const std::string sqlite_prefix = "sqlite://";
  if (url.rfind(sqlite_prefix, 0) == 0) {
    std::string rest = url.substr(sqlite_prefix.size());
    std::string path;
    if (rest.empty() || rest == "/" || rest == "/:memory:") {
      path = ":memory:";
    } else if (rest[0] != '/') {
      return bad_input(fmt::format(
          "invalid SQLite URL '{}': write sqlite:///relative/path.db, sqlite:////absolute/path.db, or sqlite:// "
          "for an in-memory database",
          url));
    } else {
      path = rest.substr(1);  // sqlite:///var/bora.db -> var/bora.db; sqlite:////abs -> /abs
      std::error_code ec;
      auto dir = std::filesystem::path(path).parent_path();
      if (!dir.empty()) std::filesystem::create_directories(dir, ec);
      if (ec) {
        return Error{ErrorKind::Unavailable, fmt::format("cannot create the directory '{}' for the database {}: {}",
                                                         dir.string(), url, ec.message())};
      }
    }
    try {
      return std::unique_ptr<Database>(std::make_unique<sqlite::SqliteDatabase>(url, path));
    } catch (const BoraError& e) {
      return e.error();
    }
  }
  if (url.rfind("mysql", 0) == 0) {
    return bad_input(fmt::format(
        "the database URL '{}' asks for MySQL/MariaDB, which this build of bora does not support yet: use "
        "sqlite:///path/to/bora.db",
        url));
  }
  return bad_input(fmt::format(
      "unsupported database URL '{}': use sqlite:///relative/path.db, sqlite:////absolute/path.db or sqlite://",
      url));
}

}  // namespace bora::storage
