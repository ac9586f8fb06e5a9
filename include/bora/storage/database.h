// storage/database: the storage a Bora process uses, opened from a URL.
// Work happens in transactions: write() commits when the function returns
// normally (and, if it returns a Result, only when that Result is ok) and
// rolls back on an exception or an error Result; read() sees one consistent
// snapshot. Several threads may call write() and read() at once: writes are
// serialized, reads run alongside them.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "bora/core/error.h"
#include "bora/storage/transaction.h"

namespace bora::storage {

// The work the storage backend did in this process so far: statements run,
// rows they returned, bytes of text bound to them, and the SQL engine's
// virtual-machine steps (which grow with the rows a statement visits, a
// COUNT included). Tests diff two readings to check that a path's cost
// grows linearly with its size, not quadratically.
struct StorageWork {
  int64_t statements = 0;
  int64_t rows = 0;
  int64_t bytes_bound = 0;
  int64_t vm_steps = 0;
};
StorageWork storage_work();

// How a database server backend (MySQL/MariaDB) connects and retries; the
// [database] options of mistral.conf (oslo.db's names) set them. SQLite
// takes none of them.
struct DatabaseOptions {
  // Connections held at most ([database] max_pool_size): one per
  // transaction running at once; a transaction past that waits for one
  // (at most pool_timeout, then Unavailable).
  int max_pool_size = 16;
  std::chrono::seconds pool_timeout{30};
  // Transactions that failed on contention or a lost connection (deadlock,
  // lock wait timeout, Galera certification failure, server gone) are run
  // again up to this many times ([database] db_max_retries), waiting from
  // retry_interval doubling up to max_retry_interval, with jitter.
  int max_retries = 20;
  std::chrono::milliseconds retry_interval{50};
  std::chrono::milliseconds max_retry_interval{2000};
};

template <class T>
struct is_result : std::false_type {};
template <class T>
struct is_result<Result<T>> : std::true_type {};

class Database {
 public:
  // sqlite:///relative/path.db, sqlite:////absolute/path.db, sqlite:// (in
  // memory, for tests and `bora run`); mysql://USER:PASS@HOST:PORT/DB (also
  // mysql+pymysql://, ?unix_socket=, TLS options: docs/STORAGE.md). The
  // database is not migrated here: call upgrade() (the server does at
  // start; `bora db upgrade` does).
  static Result<std::unique_ptr<Database>> open(const std::string& url, const DatabaseOptions& options = {});

  virtual ~Database() = default;

  virtual std::string url() const = 0;
  // The schema version the database is at (0: empty), and the one this
  // binary writes.
  virtual int schema_version() = 0;
  virtual int latest_schema_version() const = 0;
  // Runs the migrations the database lacks, each in its own transaction,
  // up to `target` (default: the latest). Returns how many ran. Refuses a
  // database newer than this binary.
  virtual Result<int> upgrade(std::optional<int> target = std::nullopt) = 0;

  // What backup() copied.
  struct BackupReport {
    int schema_version = 0;
    int64_t pages = 0;
    int64_t bytes = 0;
  };
  // A consistent copy of the whole database, taken while it is in use
  // (other processes and threads keep reading and writing): one snapshot,
  // as a reader sees it. Written to `path` only once complete (a partial
  // file never carries the name); an existing `path` is refused. Backends
  // that cannot do this say which tool to use.
  virtual Result<BackupReport> backup(const std::string& path) = 0;

  // Gives the space of deleted rows back to the file system without
  // stopping anything (SQLite: an incremental vacuum, on databases created
  // by this version or converted by compact()); returns the bytes freed,
  // 0 when the database cannot do it on line.
  virtual Result<int64_t> reclaim_space() = 0;
  // Rewrites the whole database into the smallest file, and makes later
  // reclaim_space() calls work (SQLite: VACUUM with auto_vacuum =
  // INCREMENTAL). Holds the writer for the whole rewrite: for `bora db
  // vacuum`, best with the server stopped.
  virtual Result<int64_t> compact() = 0;
  // The bytes the database takes on disk now (SQLite: the file and its
  // write-ahead log), for the bora_database_size_bytes metric; nullopt
  // when the backend cannot tell (in memory, a database server).
  virtual std::optional<int64_t> size_on_disk() const { return std::nullopt; }

  // Whether several Bora processes may run on this database at once (a
  // database server: MySQL/MariaDB). False for SQLite, whose file belongs
  // to one process: a node starting there is the only one, and whatever
  // another node left running is its to recover at once
  // (docs/STORAGE.md "Several nodes").
  virtual bool shared_by_nodes() const { return false; }

  template <class F>
  auto write(F&& fn) {
    return run_with(true, std::forward<F>(fn));
  }
  template <class F>
  auto read(F&& fn) {
    return run_with(false, std::forward<F>(fn));
  }

 protected:
  // Runs body in a transaction; commits when body returns true, rolls back
  // when it returns false or throws (rethrowing). A backend that retries
  // (MySQL: deadlocks, lost connections) runs body again in a new
  // transaction, so body must not keep what a rolled-back attempt did.
  virtual void run(bool writable, const std::function<bool(Transaction&)>& body) = 0;

 private:
  template <class F>
  auto run_with(bool writable, F&& fn) {
    using T = std::invoke_result_t<F&, Transaction&>;
    if constexpr (std::is_void_v<T>) {
      run(writable, [&](Transaction& tx) {
        fn(tx);
        if (writable) tx.flush_events();  // queued events commit with the rest
        return true;
      });
    } else {
      std::optional<T> out;
      run(writable, [&](Transaction& tx) {
        out.emplace(fn(tx));
        if constexpr (is_result<T>::value) {
          if (!out->ok()) return false;
        }
        if (writable) tx.flush_events();  // queued events commit with the rest
        return true;
      });
      return std::move(*out);
    }
  }
};

}  // namespace bora::storage
