// storage/database: opening a database from its URL.
#include "bora/storage/database.h"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>

#include "sqlite/sqlite_database.h"
#ifdef BORA_HAVE_MYSQL
#include "mysql/mysql_database.h"
#include "mysql/mysql_url.h"
#endif

namespace bora::storage {

Result<std::unique_ptr<Database>> Database::open(const std::string& url, const DatabaseOptions& options) {
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
#ifdef BORA_HAVE_MYSQL
  if (mysql::is_mysql_url(url)) {
    auto settings = mysql::parse_url(url);
    if (!settings) return settings.error();
    try {
      return std::unique_ptr<Database>(std::make_unique<mysql::MysqlDatabase>(url, *settings, options));
    } catch (const BoraError& e) {
      return e.error();
    }
  }
  return bad_input(fmt::format(
      "unsupported database URL '{}': use sqlite:///relative/path.db, sqlite:////absolute/path.db, sqlite:// or "
      "mysql://USER:PASSWORD@HOST:3306/DATABASE",
      url));
#else
  (void)options;
  if (url.rfind("mysql", 0) == 0 || url.rfind("mariadb", 0) == 0) {
    return bad_input(fmt::format(
        "the database URL asks for MySQL/MariaDB, which this build of bora was built without (libmariadb-dev was "
        "not found; BORA_WITH_MYSQL): use sqlite:///path/to/bora.db"));
  }
  return bad_input(fmt::format(
      "unsupported database URL '{}': use sqlite:///relative/path.db, sqlite:////absolute/path.db or sqlite://",
      url));
#endif
}

}  // namespace bora::storage
