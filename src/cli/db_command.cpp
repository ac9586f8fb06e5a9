// bora db: the database schema. `bora db upgrade` brings a database to the
// schema this binary writes (the server also does it at start); `bora db
// version` tells where a database stands.
#include <cstdio>

#include "bora/storage/database.h"
#include "options.h"
#include "runtime.h"

namespace bora::cli {

namespace {

const char* kHelp =
    "Usage: bora db upgrade|version [--config FILE] [--db URL]\n"
    "\n"
    "  upgrade   apply the schema migrations the database lacks (creating it if\n"
    "            needed); a database newer than this bora is refused\n"
    "  version   print the database's schema version and the one this bora writes\n"
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
  if (opts->positional.size() != 1 ||
      (opts->positional[0] != "upgrade" && opts->positional[0] != "version")) {
    std::fprintf(stderr, "bora db: say what to do: 'bora db upgrade' or 'bora db version' (see bora db --help)\n");
    return 2;
  }
  Config config = load_config(*opts).value();
  const std::string url = config.get_or("database", "connection", "");
  auto db = storage::Database::open(url);
  if (!db.ok()) {
    std::fprintf(stderr, "bora db: %s\n", db.error().message.c_str());
    return 1;
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
