// storage/mysql/mysql_database: the pool, transactions with their retries,
// migrations.
#include "mysql/mysql_database.h"

#include <fmt/format.h>

#include <optional>
#include <random>
#include <thread>

#include "bora/core/log.h"
#include "bora/core/metrics.h"
#include "bora/core/time.h"
#include "mysql/mysql_migrations.h"

namespace bora::storage::mysql {
namespace {

// Schema upgrades from several nodes at once take turns on this server
// lock (the second finds the work done). On Galera it holds on one
// database node only: upgrades through two Galera nodes may overlap,
// which the steps (run-twice DDL, an idempotent version row) allow.
constexpr const char* kUpgradeLock = "bora_schema_upgrade";
constexpr int kUpgradeLockSeconds = 300;

metrics::Counter& retries_counter() {
  static auto& c = metrics::Registry::global()
                       .counter("bora_database_retries_total",
                                "Transactions run again after a deadlock, a lock wait timeout, a Galera certification "
                                "failure or a lost connection.")
                       .counter();
  return c;
}

// A connection taken from the pool for one transaction; broken ones are
// closed, not given back.
class Lease {
 public:
  Lease(std::unique_ptr<Connection> c, std::function<void(std::unique_ptr<Connection>)> back)
      : c_(std::move(c)), back_(std::move(back)) {}
  ~Lease() { back_(std::move(c_)); }
  Connection& operator*() { return *c_; }
  Connection* operator->() { return c_.get(); }

 private:
  std::unique_ptr<Connection> c_;
  std::function<void(std::unique_ptr<Connection>)> back_;
};

void rollback_quietly(Connection& c) {
  try {
    c.rollback();
  } catch (...) {
    // The original failure is the one worth reporting.
  }
}

}  // namespace

MysqlDatabase::MysqlDatabase(std::string url, ConnectionSettings settings, DatabaseOptions options)
    : url_(redact(url)), settings_(std::move(settings)), options_(options),
      pool_(static_cast<size_t>(std::max(1, options.max_pool_size))) {
  if (settings_.hosts.empty()) settings_.hosts.emplace_back(settings_.host, settings_.port);
  down_until_.resize(settings_.hosts.size());
  std::unique_ptr<Connection> first;
  try {
    first = open();
  } catch (const ConnectFailed& e) {
    if (e.code != 1049) throw;  // ER_BAD_DB_ERROR: no such database
    // An empty server: the database is made the way the schema wants it,
    // then `bora db upgrade` fills it.
    auto server = open(false);
    server->exec(fmt::format(
        "CREATE DATABASE IF NOT EXISTS `{}` CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin", settings_.database));
    log::info("storage", "created the database '{}' on {}", settings_.database, settings_.where());
    first = open();
  }
  pool_.adopt(std::move(first));
}

std::unique_ptr<Connection> MysqlDatabase::open(bool with_database) {
  using Clock = std::chrono::steady_clock;
  const auto now = Clock::now();
  std::vector<size_t> order, passed_over;
  {
    std::lock_guard lock(hosts_mutex_);
    for (size_t i = 0; i < settings_.hosts.size(); ++i) (down_until_[i] > now ? passed_over : order).push_back(i);
  }
  order.insert(order.end(), passed_over.begin(), passed_over.end());
  std::optional<ConnectFailed> last;
  for (size_t i : order) {
    ConnectionSettings s = settings_;
    s.host = settings_.hosts[i].first;
    s.port = settings_.hosts[i].second;
    try {
      auto c = std::make_unique<Connection>(s, with_database);
      c->host_index = i;
      c->opened_at = now;
      bool was_down = false;
      {
        std::lock_guard lock(hosts_mutex_);
        was_down = down_until_[i] != Clock::time_point{};
        down_until_[i] = {};
      }
      if (was_down) log::info("storage", "the database host {} answers again", s.where());
      return c;
    } catch (const ConnectFailed& e) {
      // Only a host that is away or not ready is passed over; a refused
      // password or a missing database is the same on every host.
      if (classify(e.code) == Failure::None) throw;
      if (settings_.hosts.size() > 1)
        log::warning("storage", "the database host {} cannot be used ({}); trying the next one", s.where(), e.what());
      mark_down(i);
      last = e;
    }
  }
  throw *last;
}

void MysqlDatabase::mark_down(size_t host_index) {
  std::lock_guard lock(hosts_mutex_);
  down_until_[host_index] = std::chrono::steady_clock::now() + std::chrono::seconds(settings_.failback_interval);
}

std::unique_ptr<Connection> MysqlDatabase::take(bool writable) {
  auto c = pool_.take([this] { return open(); },
                      std::chrono::duration_cast<std::chrono::milliseconds>(options_.pool_timeout),
                      [writable](const Connection& idle) { return idle.read_committed() == writable; });
  if (!c) {
    throw BoraError(ErrorKind::Unavailable,
                    fmt::format("all {} database connections stayed busy for {} s ([database] max_pool_size, "
                                "pool_timeout)",
                                options_.max_pool_size, options_.pool_timeout.count()));
  }
  return c;
}

void MysqlDatabase::give_back(std::unique_ptr<Connection> c) {
  // Never pooled inside a transaction: the next START TRANSACTION would
  // commit what was left in it. A lost connection is closed; the next
  // take() opens another.
  if (c && !c->unusable() && c->in_transaction()) {
    try {
      c->rollback();
    } catch (...) {
      c.reset();
    }
  }
  if (c && (c->unusable() || c->in_transaction())) {
    // Its server went away or left the Galera cluster: the idle
    // connections to it would fail the same way, and new ones go to the
    // next host of the URL for a while.
    const size_t host = c->host_index;
    c.reset();
    if (settings_.hosts.size() > 1) {
      mark_down(host);
      pool_.drop_idle_if([host](const Connection& idle) { return idle.host_index == host; });
    }
  } else if (c && c->host_index > 0 &&
             std::chrono::steady_clock::now() - c->opened_at > std::chrono::seconds(settings_.failback_interval)) {
    // A connection to a later host of the list, kept long enough: closed,
    // so that the next one tries the first host again (back after its
    // failure).
    c.reset();
  }
  pool_.give_back(std::move(c));
}

std::chrono::milliseconds MysqlDatabase::backoff(int attempt) const {
  // Doubling from retry_interval up to max_retry_interval, each wait drawn
  // between its half and its whole: nodes that collided once do not
  // collide again in step.
  auto wait = options_.retry_interval * (int64_t{1} << std::min(attempt, 20));
  wait = std::min(wait, options_.max_retry_interval);
  thread_local std::mt19937 rng{std::random_device{}()};
  std::uniform_int_distribution<int64_t> half_to_whole(wait.count() / 2, std::max<int64_t>(wait.count(), 1));
  return std::chrono::milliseconds(half_to_whole(rng));
}

void MysqlDatabase::run(bool writable, const std::function<bool(Transaction&)>& body) {
  for (int attempt = 0;; ++attempt) {
    // What makes this attempt worth another: set when it failed on
    // contention or a lost connection before anything was committed.
    std::string retry_because;
    {
      std::unique_ptr<Connection> taken;
      try {
        taken = take(writable);
      } catch (const ConnectFailed& e) {
        if (classify(e.code) == Failure::None || attempt >= options_.max_retries) throw;
        retry_because = e.what();
      }
      if (taken) {
        Lease c(std::move(taken), [this](std::unique_ptr<Connection> back) { give_back(std::move(back)); });
        bool commit = false;
        try {
          c->begin(writable);
          Transaction tx(*c, writable);
          commit = body(tx);
        } catch (...) {
          const bool transient = c->failure() != Failure::None;
          std::string why = c->failure_message();
          rollback_quietly(*c);
          if (!transient || attempt >= options_.max_retries) throw;
          retry_because = why;
        }
        if (retry_because.empty() && c->failure() != Failure::None) {
          // The body met the failure and returned (an error Result): the
          // transaction is gone whatever it says; never commit after it.
          retry_because = c->failure_message();
          rollback_quietly(*c);
          if (attempt >= options_.max_retries) {
            throw BoraError(ErrorKind::Unavailable,
                            fmt::format("the transaction failed {} times on {}: {}", attempt + 1, url_,
                                        retry_because));
          }
        }
        if (retry_because.empty()) {
          if (!commit) {
            c->rollback();
            return;
          }
          try {
            c->commit();
            return;
          } catch (const BoraError&) {
            // A COMMIT refused on contention (Galera's certification
            // failure, a deadlock) was rolled back: running it again is
            // safe. A connection lost during COMMIT leaves the outcome
            // unknown: it is an error, never a success, and not run again
            // (it may have committed).
            if (c->failure() != Failure::Contention || attempt >= options_.max_retries) {
              if (c->failure() == Failure::Lost) {
                throw BoraError(ErrorKind::Unavailable,
                                fmt::format("the connection to {} was lost during COMMIT: whether the transaction "
                                            "committed is unknown ({})",
                                            url_, c->failure_message()));
              }
              rollback_quietly(*c);
              throw;
            }
            retry_because = c->failure_message();
            rollback_quietly(*c);
          }
        }
      }
    }
    retries_counter().inc();
    auto wait = backoff(attempt);
    log::warning("storage", "transaction on {} failed ({}); running it again in {} ms (retry {} of {})", url_,
                 retry_because, wait.count(), attempt + 1, options_.max_retries);
    std::this_thread::sleep_for(wait);
  }
}

int MysqlDatabase::version_on(Connection& c) {
  return applied_schema_version(
      c, "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?",
      {SqlValue(std::string("schema_version"))});
}

int MysqlDatabase::schema_version() {
  Lease c(take(), [this](std::unique_ptr<Connection> back) { give_back(std::move(back)); });
  return version_on(*c);
}

int MysqlDatabase::latest_schema_version() const { return migrations().back().version; }

Result<int> MysqlDatabase::upgrade(std::optional<int> target) {
  std::unique_ptr<Connection> taken;
  try {
    taken = take();
  } catch (const BoraError& e) {
    return e.error();
  }
  Lease c(std::move(taken), [this](std::unique_ptr<Connection> back) { give_back(std::move(back)); });
  try {
    int64_t locked = 0;
    c->query("SELECT GET_LOCK(?, ?)", {SqlValue(std::string(kUpgradeLock)), SqlValue(int64_t(kUpgradeLockSeconds))},
             [&](SqlRow& row) {
               if (auto v = std::get_if<int64_t>(&row.at(0))) locked = *v;
             });
    if (locked != 1) {
      return Error{ErrorKind::Unavailable,
                   fmt::format("another process kept upgrading the schema of {} for {} s: try again", url_,
                               kUpgradeLockSeconds)};
    }
  } catch (const BoraError& e) {
    return e.error();
  }
  auto unlock = [&] {
    try {
      c->query("SELECT RELEASE_LOCK(?)", {SqlValue(std::string(kUpgradeLock))}, [](SqlRow&) {});
    } catch (...) {
      // Released anyway when the connection closes.
    }
  };
  Result<int> out = 0;
  try {
    c->exec(
        "CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL PRIMARY KEY, description VARCHAR(255) NOT "
        "NULL, applied_at BIGINT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin");
    int current = version_on(*c);
    int latest = latest_schema_version();
    if (current > latest) {
      unlock();
      return Error{ErrorKind::Conflict,
                   fmt::format("the database {} is at schema version {}, newer than this bora knows (up to {}): run "
                               "a bora at least as new as the one that upgraded it",
                               url_, current, latest)};
    }
    int goal = target ? std::min(*target, latest) : latest;
    int applied = 0;
    for (const auto& m : migrations()) {
      if (m.version <= current || m.version > goal) continue;
      try {
        // DDL commits by itself in MySQL: each statement is final. The
        // version row is written last, so an interrupted step runs again
        // (its statements are written to be run twice).
        for (const auto& sql : m.statements) c->exec(sql);
        // Another node may have finished the same step meanwhile: on Galera
        // GET_LOCK holds on one database node only, so two Bora nodes on
        // two Galera nodes may upgrade at once (their DDL is ordered
        // cluster-wide and written to run twice).
        c->execute("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?) "
                   "ON DUPLICATE KEY UPDATE version = version",
                   {SqlValue(int64_t(m.version)), SqlValue(m.description), SqlValue(to_micros(now_utc()))});
      } catch (const std::exception& e) {
        unlock();
        return Error{ErrorKind::Internal, fmt::format("schema migration {} ({}) failed on {}: {}", m.version,
                                                      m.description, url_, e.what())};
      }
      ++applied;
    }
    out = applied;
  } catch (const BoraError& e) {
    out = e.error();
  }
  unlock();
  return out;
}

Result<Database::BackupReport> MysqlDatabase::backup(const std::string&) {
  return Error{ErrorKind::BadInput,
               fmt::format("bora db backup copies SQLite databases; for {} use mariadb-dump --single-transaction "
                           "(a consistent copy while Bora runs) or mariabackup",
                           url_)};
}

// InnoDB reuses the space of deleted rows by itself; giving it back to the
// file system takes a table rebuild (OPTIMIZE TABLE), not an online step.
Result<int64_t> MysqlDatabase::reclaim_space() { return int64_t{0}; }

Result<int64_t> MysqlDatabase::compact() {
  return Error{ErrorKind::BadInput,
               fmt::format("bora db vacuum rewrites SQLite databases; on {} run mariadb-check --optimize on the "
                           "database (OPTIMIZE TABLE rebuilds each table on line)",
                           url_)};
}

}  // namespace bora::storage::mysql
