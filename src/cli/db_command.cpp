// bora db: the database schema and copies. `bora db upgrade` brings a
// database to the schema this binary writes (the server also does it at
// start); `bora db version` tells where a database stands; `bora db backup
// FILE` copies a database in use (docs/OPERATIONS.md says how to restore).
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "bora/services/execution_expiration.h"
#include "bora/services/notifier.h"
#include "bora/storage/database.h"
#include "options.h"
#include "runtime.h"

namespace bora::cli {

namespace {

const char* kDbHelp =
    "Usage: bora db upgrade [--to VERSION] [--config FILE] [--db URL]\n"
    "       bora db version [--config FILE] [--db URL]\n"
    "       bora db backup FILE [--config FILE] [--db URL]\n"
    "\n"
    "  upgrade   apply the schema migrations the database lacks (creating it if\n"
    "            needed); a database newer than this bora is refused; --to stops at\n"
    "            that schema version (to stage an upgrade or test an older schema)\n"
    "  version   print the database's schema version and the one this bora writes\n"
    "       bora db purge [--older-than MINUTES] [--max-finished N] [--config FILE] [--db URL]\n"
    "       bora db vacuum [--config FILE] [--db URL]\n"
    "\n"
    "  backup    copy the whole database to FILE (a new file) while servers keep\n"
    "            using it: one consistent snapshot, written under FILE.partial and\n"
    "            renamed when complete\n"
    "  purge     delete finished root executions (with their sub-executions, tasks\n"
    "            and action executions) finished more than MINUTES ago, and beyond\n"
    "            the N latest: the [execution_expiration_policy] rules run once (the\n"
    "            options override older_than and max_finished_executions; its\n"
    "            batch_size and ignored_states apply); then frees the space\n"
    "  vacuum    rewrite the database into the smallest file, so that freed space\n"
    "            goes back to the file system from then on (best with the server\n"
    "            stopped: it waits for the rewrite)\n"
    "\n"
    "  --config FILE  INI configuration (its [database] connection is used)\n"
    "  --db URL       database, e.g. sqlite:///var/bora.db (relative path),\n"
    "                 sqlite:////abs/path.db, mysql://USER:PASS@HOST:3306/DB\n";

// bora db purge: the expiration policy's rules once.
int purge(storage::Database& db, const Config& config, const ParsedOptions& opts, const std::string& url) {
  auto policy = services::expiration_policy_from_config(config);
  if (!policy) {
    std::fprintf(stderr, "bora db purge: %s\n", policy.error().message.c_str());
    return 1;
  }
  auto number = [&](const char* option, int64_t& target) {
    auto v = opts.get(option);
    if (!v) return true;
    char* end = nullptr;
    long long n = std::strtoll(v->c_str(), &end, 10);
    if (v->empty() || *end != '\0' || n < 1) {
      std::fprintf(stderr, "bora db purge: %s must be a whole number of at least 1, not '%s'\n", option, v->c_str());
      return false;
    }
    target = n;
    return true;
  };
  if (!number("--older-than", policy->older_than) || !number("--max-finished", policy->max_finished_executions))
    return 2;
  if (policy->older_than < 1 && policy->max_finished_executions < 1) {
    std::fprintf(stderr,
                 "bora db purge: say what to delete: --older-than MINUTES and/or --max-finished N (or set "
                 "[execution_expiration_policy] older_than / max_finished_executions)\n");
    return 2;
  }
  if (db.schema_version() == 0) {
    std::fprintf(stderr, "bora db purge: %s holds no Bora database (no schema): check --db or [database] connection\n",
                 url.c_str());
    return 1;
  }
  auto report = services::expire_executions(db, *policy, now_utc());
  if (!report) {
    std::fprintf(stderr, "bora db purge: %s\n", report.error().message.c_str());
    return 1;
  }
  // The events of the executions purged go with them ([notifier] event_retention).
  auto notifier = services::notifier_options_from_config(config);
  if (!notifier) {
    std::fprintf(stderr, "bora db purge: %s\n", notifier.error().message.c_str());
    return 1;
  }
  if (auto pruned = services::prune_event_log(db, notifier->event_retention); !pruned)
    std::fprintf(stderr, "bora db purge: the event log was not pruned: %s\n", pruned.error().message.c_str());
  auto freed = db.reclaim_space();
  std::printf("%s: deleted %lld finished executions (%lld older than %lld min, %lld beyond the latest %lld); %lld bytes "
              "given back\n",
              url.c_str(), static_cast<long long>(report->expired + report->superfluous),
              static_cast<long long>(report->expired), static_cast<long long>(policy->older_than),
              static_cast<long long>(report->superfluous), static_cast<long long>(policy->max_finished_executions),
              static_cast<long long>(freed ? *freed : 0));
  return 0;
}

}  // namespace

int db_main(const Args& args) {
  auto opts = parse_options(args, {"--config", "--db", "--log-level", "--log-format", "--older-than", "--max-finished", "--to"},
                            {"--help"}, "db");
  if (!opts.ok()) {
    std::fprintf(stderr, "bora db: %s\n", opts.error().message.c_str());
    return 2;
  }
  if (opts->has("--help")) {
    std::fputs(kDbHelp, stdout);
    return 0;
  }
  const bool backup = !opts->positional.empty() && opts->positional[0] == "backup";
  if (backup && opts->positional.size() != 2) {
    std::fprintf(stderr, "bora db backup: give the file to write, e.g. 'bora db backup /var/backups/bora-1.db'\n");
    return 2;
  }
  const std::string command = opts->positional.empty() ? "" : opts->positional[0];
  if (!backup && (opts->positional.size() != 1 || (command != "upgrade" && command != "version" &&
                                                   command != "purge" && command != "vacuum"))) {
    std::fprintf(stderr,
                 "bora db: say what to do: 'bora db upgrade', 'version', 'backup FILE', 'purge' or 'vacuum' (see "
                 "bora db --help)\n");
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
  if (command == "purge") return purge(**db, config, *opts, url);
  if (command == "vacuum") {
    auto freed = (*db)->compact();
    if (!freed) {
      std::fprintf(stderr, "bora db vacuum: %s\n", freed.error().message.c_str());
      return 1;
    }
    std::printf("%s: rewritten, %lld bytes given back; freed space now returns to the file system\n", url.c_str(),
                static_cast<long long>(*freed));
    return 0;
  }
  if (opts->positional[0] == "version") {
    std::printf("%s: schema version %d (this bora writes %d)\n", url.c_str(), (*db)->schema_version(),
                (*db)->latest_schema_version());
    return 0;
  }
  int before = (*db)->schema_version();
  std::optional<int> target;
  if (auto to = opts->get("--to")) {
    char* end = nullptr;
    long v = std::strtol(to->c_str(), &end, 10);
    if (to->empty() || *end != '\0' || v < 1 || v > (*db)->latest_schema_version()) {
      std::fprintf(stderr, "bora db upgrade: --to must be a schema version between 1 and %d, not '%s'\n",
                   (*db)->latest_schema_version(), to->c_str());
      return 2;
    }
    target = static_cast<int>(v);
  }
  auto ran = (*db)->upgrade(target);
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
