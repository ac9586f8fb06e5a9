// bora db: the database schema and copies. `bora db upgrade` brings a
// database to the schema this binary writes (the server also does it at
// start); `bora db version` tells where a database stands; `bora db backup
// FILE` copies a database in use (docs/OPERATIONS.md says how to restore).
#include <chrono>
#include <cstdio>

#include "bora/storage/database.h"
#include "options.h"
#include "runtime.h"

namespace bora::cli {

namespace {

const char* kHelp =
    "Usage: bora db upgrade|version [--config FILE] [--db URL]\n"
    "       bora db backup FILE [--config FILE] [--db URL]\n"
    "\n"
    "  upgrade   apply the schema migrations the database lacks (creating it if\n"
    "            needed); a database newer than this bora is refused\n"
    "  version   print the database's schema version and the one this bora writes\n"
    "  backup    copy the whole database to FILE (a new file) while servers keep\n"
    "            using it: one consistent snapshot, written under FILE.partial and\n"
    "            renamed when complete\n"
    "\n"
    "  --config FILE  INI configuration (its [database] connection is used)\n"
    "  --db URL       database, e.g. sqlite:///var/bora.db (relative path),\n"
    "                 sqlite:////abs/path.db\n";

}  // namespace

int db_main(const Args& args) {
  auto opts = parse_options(args, {"--config", "--db", "--log-level"}, {"--help"}, "db");
  if (!opts.ok()) {
    std::fprintf(stderr, "bora db: %s\n", opts.error().message.c_str());
    return 2;
  }
  if (opts->has("--help")) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  const bool backup = !opts->positional.empty() && opts->positional[0] == "backup";
  if (backup && opts->positional.size() != 2) {
    std::fprintf(stderr, "bora db backup: give the file to write, e.g. 'bora db backup /var/backups/bora-1.db'\n");
    return 2;
  }
  if (!backup && (opts->positional.size() != 1 ||
                  (opts->positional[0] != "upgrade" && opts->positional[0] != "version"))) {
    std::fprintf(stderr,
                 "bora db: say what to do: 'bora db upgrade', 'bora db version' or 'bora db backup FILE' (see bora "
                 "db --help)\n");
    return 2;
  }
  Config config = load_config(*opts).value();
  const std::string url = config.get_or("database", "connection", "");
  auto db = storage::Database::open(url);
  if (!db.ok()) {
    std::fprintf(stderr, "bora db: %s\n", db.error().message.c_str());
    return 1;
  }
  if (backup) {
    const std::string& file = opts->positional[1];
    if ((*db)->schema_version() == 0) {
      std::fprintf(stderr, "bora db backup: %s holds no Bora database (no schema): check --db or [database] connection\n",
                   url.c_str());
      return 1;
    }
    auto started = std::chrono::steady_clock::now();
    auto report = (*db)->backup(file);
    if (!report.ok()) {
      std::fprintf(stderr, "bora db backup: %s\n", report.error().message.c_str());
      return 1;
    }
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    std::printf("%s: backed up to %s (schema version %d, %lld pages, %lld bytes) in %lld ms\n", url.c_str(),
                file.c_str(), report->schema_version, static_cast<long long>(report->pages),
                static_cast<long long>(report->bytes), static_cast<long long>(ms.count()));
    return 0;
  }
  if (opts->positional[0] == "version") {
    std::printf("%s: schema version %d (this bora writes %d)\n", url.c_str(), (*db)->schema_version(),
                (*db)->latest_schema_version());
    return 0;
  }
  int before = (*db)->schema_version();
  auto ran = (*db)->upgrade();
  if (!ran.ok()) {
    std::fprintf(stderr, "bora db: %s\n", ran.error().message.c_str());
    return 1;
  }
  if (*ran == 0) {
    std::printf("%s: already at schema version %d\n", url.c_str(), before);
  } else {
    std::printf("%s: upgraded from schema version %d to %d\n", url.c_str(), before, (*db)->schema_version());
  }
  return 0;
}

}  // namespace bora::cli
