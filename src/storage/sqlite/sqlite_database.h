// storage/sqlite/sqlite_database: the embedded backend. One writer
// connection (writes serialized by a mutex and BEGIN IMMEDIATE) and a pool
// of reader connections that, thanks to WAL, read a consistent snapshot
// while a write is in progress. An in-memory database has one connection.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bora/storage/database.h"
#include "connection_pool.h"
#include "sqlite/sqlite_connection.h"

namespace bora::storage::sqlite {

class SqliteDatabase : public Database {
 public:
  // path: a file path, or ":memory:".
  SqliteDatabase(std::string url, std::string path);

  std::string url() const override { return url_; }
  int schema_version() override;
  int latest_schema_version() const override;
  Result<int> upgrade(std::optional<int> target) override;
  Result<BackupReport> backup(const std::string& path) override;
  Result<int64_t> reclaim_space() override;
  Result<int64_t> compact() override;
  std::optional<int64_t> size_on_disk() const override;

 protected:
  void run(bool writable, const std::function<bool(Transaction&)>& body) override;

 private:
  std::unique_ptr<Connection> open_connection(bool reader);
  std::unique_ptr<Connection> take_reader();
  void give_back(std::unique_ptr<Connection> c);
  int version_on(Connection& c);

  std::string url_, path_;
  bool memory_;
  std::mutex write_mutex_;
  std::unique_ptr<Connection> writer_;
  ConnectionPool<Connection> readers_;
};

}  // namespace bora::storage::sqlite
