// storage/mysql/mysql_database: the MySQL/MariaDB backend. A pool of
// connections (at most [database] max_pool_size), one per transaction;
// transactions that fail on contention or a lost connection run again,
// a bounded number of times, with backoff (docs/STORAGE.md, "MariaDB").
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bora/storage/database.h"
#include "connection_pool.h"
#include "mysql/mysql_connection.h"
#include "mysql/mysql_url.h"

namespace bora::storage::mysql {

class MysqlDatabase : public Database {
 public:
  // Connects once (creating the database when it does not exist and the
  // user may): a wrong URL or password fails here, not at the first use.
  MysqlDatabase(std::string url, ConnectionSettings settings, DatabaseOptions options);

  std::string url() const override { return url_; }
  int schema_version() override;
  int latest_schema_version() const override;
  Result<int> upgrade(std::optional<int> target) override;
  Result<BackupReport> backup(const std::string& path) override;
  Result<int64_t> reclaim_space() override;
  bool shared_by_nodes() const override { return true; }
  Result<int64_t> compact() override;

 protected:
  void run(bool writable, const std::function<bool(Transaction&)>& body) override;

 private:
  // A connection for one transaction; a writer's preferably one whose
  // session is at READ COMMITTED already, a reader's one at REPEATABLE READ.
  std::unique_ptr<Connection> take(bool writable = false);
  // A new connection to the first host of the URL that answers and is
  // ready, passing over hosts that failed within failback_interval (tried
  // last, if every one did).
  std::unique_ptr<Connection> open(bool with_database = true);
  void mark_down(size_t host_index);
  void give_back(std::unique_ptr<Connection> c);
  int version_on(Connection& c);
  std::chrono::milliseconds backoff(int attempt) const;

  std::string url_;  // password removed
  ConnectionSettings settings_;
  DatabaseOptions options_;
  ConnectionPool<Connection> pool_;
  std::mutex hosts_mutex_;
  // Per host of the URL: until when it is passed over after a failure.
  std::vector<std::chrono::steady_clock::time_point> down_until_;
};

}  // namespace bora::storage::mysql
