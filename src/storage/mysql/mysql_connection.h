// storage/mysql/mysql_connection: one MariaDB Connector/C connection, seen
// by repositories as a SqlSession. Every statement that carries a value is
// a server-side prepared statement (cached per connection by SQL text); the
// few statements without parameters (BEGIN, COMMIT, DDL) are sent as text.
#pragma once

#include <mysql.h>

#include <chrono>
#include <optional>
#include <string>
#include <unordered_map>

#include "bora/core/error.h"
#include "mysql/mysql_dialect.h"
#include "mysql/mysql_url.h"
#include "sql_session.h"

namespace bora::storage::mysql {

// What a failed statement means for its transaction.
enum class Failure {
  None,
  // Contention: deadlock (1213), lock wait timeout (1205), a Galera
  // certification failure or a node not ready. The transaction is (or must
  // be) rolled back; running it again may well succeed.
  Contention,
  // The connection is gone (2006, 2013, ...): the transaction is lost with
  // it; a new connection may run it again.
  Lost,
};

// A connection that could not be made, with the server's error number.
class ConnectFailed : public BoraError {
 public:
  ConnectFailed(unsigned code, const std::string& message)
      : BoraError(ErrorKind::Unavailable, message), code(code) {}
  unsigned code;
};

class Connection : public SqlSession {
 public:
  // Connects; throws ConnectFailed. Without with_database, connects to no
  // database (to create it).
  explicit Connection(const ConnectionSettings& settings, bool with_database = true);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const SqlDialect& dialect() const override {
    return galera_ ? static_cast<const SqlDialect&>(galera_dialect(returning_)) : mysql::dialect(returning_);
  }
  int64_t execute(std::string_view sql, const std::vector<SqlValue>& params) override;
  void query(std::string_view sql, const std::vector<SqlValue>& params,
             const std::function<void(SqlRow&)>& on_row) override;
  int64_t insert_returning_key(std::string_view insert, const std::vector<SqlValue>& params,
                               std::string_view key) override;

  // Runs SQL text with no parameters (BEGIN/COMMIT, DDL, SET).
  void exec(const std::string& sql);

  // The failure of the last statement that failed since begin(): after
  // one, every statement of the transaction fails the same way (a deadlock
  // has already rolled it back on the server: a statement after it would
  // run outside any transaction).
  Failure failure() const { return failure_; }
  const std::string& failure_message() const { return failure_message_; }
  bool broken() const { return failure_ == Failure::Lost; }
  // Starts a transaction and forgets the last one's failure.
  void begin(bool writable);
  // Ends the transaction without keeping anything, even after a failure
  // (nothing to do on a lost connection).
  void rollback();
  // Commits; throws (failure() then says how) when the server did not.
  void commit();
  // A transaction was begun and neither committed nor rolled back.
  bool in_transaction() const { return in_transaction_; }
  // Not to be pooled again: the server went away, or it is a Galera node
  // that stopped being ready (not in the primary component): the retry
  // takes a new connection, to another host of the URL if it names several.
  bool unusable() const { return failure_ == Failure::Lost || node_not_ready_; }
  // The server is a Galera node (wsrep_on).
  bool galera() const { return galera_; }
  // The session's isolation level is READ COMMITTED (its last transaction
  // wrote), else REPEATABLE READ (it read) or the server's default (none
  // ran yet: the first transaction sets its level whatever the default).
  bool read_committed() const { return read_committed_ == true; }

  // Which host of the URL's list this connection went to, and when (the
  // pool returns to the first host once it is back).
  size_t host_index = 0;
  std::chrono::steady_clock::time_point opened_at = std::chrono::steady_clock::now();

 private:
  MYSQL_STMT* prepare(std::string_view sql);
  void run(MYSQL_STMT* stmt, const std::vector<SqlValue>& params);
  void forget(std::string_view sql);
  [[noreturn]] void fail(unsigned code, const std::string& message, std::string_view sql);
  void check_usable(std::string_view sql);
  // The value column of a SHOW ... LIKE statement's first row ("" if none).
  std::string shown(const std::string& sql);

  MYSQL* db_ = nullptr;
  std::string where_;
  std::unordered_map<std::string, MYSQL_STMT*> statements_;
  Failure failure_ = Failure::None;
  std::string failure_message_;
  bool in_transaction_ = false;
  bool galera_ = false;
  bool returning_ = false;  // MariaDB 10.5 or later: INSERT ... RETURNING
  bool node_not_ready_ = false;
  std::optional<bool> read_committed_;
};

// What an error code means (errmsg.h / mysqld_error.h numbers).
Failure classify(unsigned code);

}  // namespace bora::storage::mysql
