// storage/mysql/mysql_connection: connecting, prepared statements, binding,
// reading rows, and what each server error means.
#include "mysql/mysql_connection.h"

#include <errmsg.h>
#include <fmt/format.h>

#include <memory>

#include "bora/core/error.h"

namespace bora::storage::mysql {
namespace {

// As SQLite's session: list queries vary with their filters, so the cache
// is bounded (16 connections x 512 stays far below the server's
// max_prepared_stmt_count, 16 382).
constexpr size_t kMaxCachedStatements = 512;
// Text columns are read into this first; a longer value is fetched again
// at its size.
constexpr unsigned long kInlineText = 256;

// Session settings every connection starts with. STRICT: a value that does
// not fit is an error, never silently cut. NO_BACKSLASH_ESCAPES: string
// literals in the SQL text (LIKE's ESCAPE '\') read as in SQLite.
constexpr const char* kSessionSetup =
    "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_BACKSLASH_ESCAPES,NO_ENGINE_SUBSTITUTION,"
    "ERROR_FOR_DIVISION_BY_ZERO', time_zone = '+00:00'";

bool is_integer_type(enum_field_types t) {
  switch (t) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR:
      return true;
    default:
      return false;
  }
}

}  // namespace

Failure classify(unsigned code) {
  switch (code) {
    case 1213:  // ER_LOCK_DEADLOCK; also Galera's certification failure
    case 1205:  // ER_LOCK_WAIT_TIMEOUT
    case 1180:  // ER_ERROR_DURING_COMMIT (Galera)
    case 1047:  // ER_UNKNOWN_COM_ERROR: a Galera node not synced yet ("WSREP has not yet prepared node")
    case 1040:  // ER_CON_COUNT_ERROR: too many connections (Mistral retries it)
    case 1637:  // ER_TOO_MANY_CONCURRENT_TRXS
    case 4060:  // ER_LOCK_WAIT_TIMEOUT under MariaDB's innodb_snapshot_isolation (record changed)
      return Failure::Contention;
    case CR_SERVER_GONE_ERROR:
    case CR_SERVER_LOST:
    case CR_SERVER_LOST_EXTENDED:
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case 2012:  // CR_SERVER_HANDSHAKE_ERR
    case 1927:  // ER_CONNECTION_KILLED
    case 1053:  // ER_SERVER_SHUTDOWN
    case 4031:  // ER_CLIENT_INTERACTION_TIMEOUT: disconnected after wait_timeout idle
      return Failure::Lost;
    default:
      return Failure::None;
  }
}

Connection::Connection(const ConnectionSettings& s, bool with_database) : where_(s.where()) {
  db_ = mysql_init(nullptr);
  if (!db_) throw BoraError(ErrorKind::Unavailable, "cannot start a MySQL connection: out of memory");
  unsigned connect_timeout = s.connect_timeout, read_timeout = s.read_timeout, write_timeout = s.write_timeout;
  mysql_optionsv(db_, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  mysql_optionsv(db_, MYSQL_OPT_READ_TIMEOUT, &read_timeout);
  mysql_optionsv(db_, MYSQL_OPT_WRITE_TIMEOUT, &write_timeout);
  mysql_optionsv(db_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  // Reconnecting is Bora's own (a transaction lost with its connection is
  // run again whole, never continued on another).
  my_bool no = 0;
  mysql_optionsv(db_, MYSQL_OPT_RECONNECT, &no);
  if (s.tls()) {
    my_bool yes = 1;
    mysql_optionsv(db_, MYSQL_OPT_SSL_ENFORCE, &yes);
    if (!s.ssl_ca.empty()) mysql_optionsv(db_, MYSQL_OPT_SSL_CA, s.ssl_ca.c_str());
    if (!s.ssl_capath.empty()) mysql_optionsv(db_, MYSQL_OPT_SSL_CAPATH, s.ssl_capath.c_str());
    if (!s.ssl_cert.empty()) mysql_optionsv(db_, MYSQL_OPT_SSL_CERT, s.ssl_cert.c_str());
    if (!s.ssl_key.empty()) mysql_optionsv(db_, MYSQL_OPT_SSL_KEY, s.ssl_key.c_str());
    if (!s.ssl_cipher.empty()) mysql_optionsv(db_, MYSQL_OPT_SSL_CIPHER, s.ssl_cipher.c_str());
    my_bool verify = s.ssl_verify_cert.value_or(!s.ssl_ca.empty() || !s.ssl_capath.empty()) ? 1 : 0;
    mysql_optionsv(db_, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
  }
  // CLIENT_FOUND_ROWS: an UPDATE reports the rows it matched, as SQLite
  // does, not only those whose values changed (an update that writes the
  // same values is not a "not found").
  const char* host = s.unix_socket.empty() ? s.host.c_str() : nullptr;
  if (!mysql_real_connect(db_, host, s.user.c_str(), s.password.c_str(),
                          with_database ? s.database.c_str() : nullptr, s.port,
                          s.unix_socket.empty() ? nullptr : s.unix_socket.c_str(), CLIENT_FOUND_ROWS)) {
    unsigned code = mysql_errno(db_);
    std::string msg = mysql_error(db_);
    mysql_close(db_);
    db_ = nullptr;
    // 1049: unknown database (the opener may create it); 1045: access
    // denied; 2002/2003: the server is not there.
    throw ConnectFailed(code, fmt::format("cannot connect to MySQL at {} as '{}' (database '{}'): {} [error {}]",
                                          where_, s.user, s.database, msg, code));
  }
  try {
    exec(kSessionSetup);
    // A Galera node outside the primary component (cut off, or still
    // joining) accepts connections but refuses every statement (error
    // 1047): such a connection is refused here, so that the opener tries
    // the next host of the URL instead of retrying on this one.
    galera_ = shown("SHOW VARIABLES LIKE 'wsrep_on'") == "ON";
    const char* server = mysql_get_server_info(db_);
    returning_ = server && std::string_view(server).find("MariaDB") != std::string_view::npos &&
                 mysql_get_server_version(db_) >= 100500;
    if (galera_ && shown("SHOW STATUS LIKE 'wsrep_ready'") != "ON") {
      throw ConnectFailed(1047, fmt::format("the Galera node at {} is not ready (wsrep_ready is not ON: not in the "
                                            "primary component, or still joining) [error 1047]",
                                            where_));
    }
  } catch (const ConnectFailed&) {
    mysql_close(db_);
    db_ = nullptr;
    throw;
  } catch (const BoraError& e) {
    // The server went away (or refused) between the handshake and the
    // first statements: a connection that could not be made.
    mysql_close(db_);
    db_ = nullptr;
    throw ConnectFailed(failure_ == Failure::Lost ? CR_SERVER_LOST : node_not_ready_ ? 1047 : 0, e.what());
  }
}

std::string Connection::shown(const std::string& sql) {
  if (mysql_real_query(db_, sql.data(), sql.size()) != 0) {
    fail(mysql_errno(db_), mysql_error(db_), sql);
  }
  std::string value;
  if (MYSQL_RES* r = mysql_store_result(db_)) {
    if (MYSQL_ROW row = mysql_fetch_row(r); row && mysql_num_fields(r) >= 2 && row[1]) value = row[1];
    mysql_free_result(r);
  }
  count_storage_work(1, 0, 0, 0);
  return value;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : statements_) mysql_stmt_close(stmt);
  if (db_) mysql_close(db_);
}

void Connection::fail(unsigned code, const std::string& message, std::string_view sql) {
  Failure f = classify(code);
  // 1047: a Galera node that left the primary component ("WSREP has not
  // yet prepared node for application use"): it stays so until it rejoins.
  if (code == 1047) node_not_ready_ = true;
  if (f != Failure::None) {
    failure_ = f;
    failure_message_ = fmt::format("{} [error {}]", message, code);
    throw BoraError(ErrorKind::Unavailable,
                    fmt::format("the database at {} {}: {} [error {}]", where_,
                                f == Failure::Lost ? "went away" : "refused the transaction on contention", message,
                                code));
  }
  switch (code) {
    case 1062:  // ER_DUP_ENTRY
    case 1586:  // ER_DUP_ENTRY_WITH_KEY_NAME
    case 1569:  // ER_DUP_ENTRY_AUTOINCREMENT_CASE
      throw UniqueViolation(message);
    case 1451:  // ER_ROW_IS_REFERENCED_2
    case 1452:  // ER_NO_REFERENCED_ROW_2
    case 1216:
    case 1217:
      throw BoraError(ErrorKind::Conflict, "the record is still referenced by others (" + message + ")");
    case 1406:  // ER_DATA_TOO_LONG
    case 1366:  // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
    case 1264:  // ER_WARN_DATA_OUT_OF_RANGE
    case 1048:  // ER_BAD_NULL_ERROR
      throw BoraError(ErrorKind::BadInput, fmt::format("a value does not fit its database column: {}", message));
    case 1792:  // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION
      throw BoraError(ErrorKind::Internal, "a write was attempted in a read-only transaction: " + message);
    default:
      throw BoraError(ErrorKind::Internal,
                      fmt::format("MySQL error {}: {} (in: {})", code, message, sql.substr(0, 300)));
  }
}

void Connection::check_usable(std::string_view sql) {
  if (failure_ == Failure::None) return;
  // The transaction already failed (and InnoDB rolled it back on a
  // deadlock): nothing more may run in it, lest it run outside any.
  throw BoraError(ErrorKind::Unavailable,
                  fmt::format("the transaction on {} already failed ({}); not running: {}", where_,
                              failure_message_, sql.substr(0, 120)));
}

void Connection::exec(const std::string& sql) {
  check_usable(sql);
  if (mysql_real_query(db_, sql.data(), sql.size()) != 0) fail(mysql_errno(db_), mysql_error(db_), sql);
  // DDL and SET return no rows; a statement that does is drained.
  if (MYSQL_RES* r = mysql_store_result(db_)) mysql_free_result(r);
  count_storage_work(1, 0, 0, 0);
}

void Connection::begin(bool writable) {
  failure_ = Failure::None;
  failure_message_.clear();
  // A reader sees one snapshot from its first statement on; REPEATABLE
  // READ (the server's default) keeps it for the whole transaction.
  // A writer reads under READ COMMITTED: each statement sees what other
  // nodes committed before it, so the rows of an execution read after its
  // root's lock (Transaction::lock_tree) are the last holder's, never an
  // older snapshot taken before the lock was granted. (No gap locks
  // either: fewer deadlocks between nodes.)
  // The level is the session's, set only when it changes (a round trip
  // saved on every transaction of a connection that keeps its role: the
  // pool gives writers the connections that wrote last).
  if (read_committed_ != writable) {
    exec(writable ? "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED"
                  : "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    read_committed_ = writable;
  }
  // On a Galera node a writer's transaction starts with a causality wait
  // (one cluster round trip): the node first applies every transaction
  // the cluster committed before it, so that a tree created or changed
  // through another node moments ago is found, and its root locked, by
  // this one. The wait must be here: inside a transaction MariaDB skips
  // wsrep_sync_wait for every statement (a causal SELECT before the lock
  // was a no-op, and a tree not yet replicated went unlocked). From the
  // lock on, certification of the lock's row covers the rest
  // (docs/STORAGE.md "Galera").
  if (writable && galera_) {
    exec("SET STATEMENT wsrep_sync_wait = 1 FOR START TRANSACTION");
  } else {
    exec(writable ? "START TRANSACTION" : "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
  }
  in_transaction_ = true;
}

void Connection::commit() {
  exec("COMMIT");
  in_transaction_ = false;
}

void Connection::rollback() {
  if (failure_ == Failure::Lost) return;
  if (mysql_real_query(db_, "ROLLBACK", 8) != 0) fail(mysql_errno(db_), mysql_error(db_), "ROLLBACK");
  in_transaction_ = false;
  failure_ = Failure::None;
  failure_message_.clear();
}

MYSQL_STMT* Connection::prepare(std::string_view sql) {
  check_usable(sql);
  std::string key(sql);
  if (auto it = statements_.find(key); it != statements_.end()) return it->second;
  if (statements_.size() >= kMaxCachedStatements) {
    for (auto& [s, stmt] : statements_) mysql_stmt_close(stmt);
    statements_.clear();
  }
  MYSQL_STMT* stmt = mysql_stmt_init(db_);
  if (!stmt) fail(mysql_errno(db_), mysql_error(db_), sql);
  if (mysql_stmt_prepare(stmt, key.data(), key.size()) != 0) {
    unsigned code = mysql_stmt_errno(stmt);
    std::string msg = mysql_stmt_error(stmt);
    mysql_stmt_close(stmt);
    fail(code, msg, sql);
  }
  statements_.emplace(std::move(key), stmt);
  return stmt;
}

void Connection::forget(std::string_view sql) {
  // A statement whose run failed is closed: its state on the server after
  // an error is not worth trusting.
  if (auto it = statements_.find(std::string(sql)); it != statements_.end()) {
    mysql_stmt_close(it->second);
    statements_.erase(it);
  }
}

void Connection::run(MYSQL_STMT* stmt, const std::vector<SqlValue>& params) {
  if (mysql_stmt_param_count(stmt) != params.size()) {
    throw BoraError(ErrorKind::Internal, fmt::format("a statement takes {} parameters, {} were given",
                                                     mysql_stmt_param_count(stmt), params.size()));
  }
  std::vector<MYSQL_BIND> binds(params.size());
  std::vector<unsigned long> lengths(params.size());
  int64_t bytes = 0;
  for (size_t i = 0; i < params.size(); ++i) {
    MYSQL_BIND& b = binds[i];
    const SqlValue& p = params[i];
    if (std::holds_alternative<std::monostate>(p)) {
      b.buffer_type = MYSQL_TYPE_NULL;
    } else if (auto n = std::get_if<int64_t>(&p)) {
      b.buffer_type = MYSQL_TYPE_LONGLONG;
      b.buffer = const_cast<int64_t*>(n);
    } else if (auto d = std::get_if<double>(&p)) {
      b.buffer_type = MYSQL_TYPE_DOUBLE;
      b.buffer = const_cast<double*>(d);
    } else {
      // Not copied: the parameters outlive the statement's run.
      const auto& s = std::get<std::string>(p);
      b.buffer_type = MYSQL_TYPE_STRING;
      b.buffer = const_cast<char*>(s.data());
      b.buffer_length = lengths[i] = s.size();
      b.length = &lengths[i];
      bytes += static_cast<int64_t>(s.size());
    }
  }
  if ((!binds.empty() && mysql_stmt_bind_param(stmt, binds.data())) || mysql_stmt_execute(stmt) != 0) {
    unsigned code = mysql_stmt_errno(stmt);
    std::string msg = mysql_stmt_error(stmt);
    std::string sql;  // for the message; the statement is closed below
    for (auto& [text, s] : statements_)
      if (s == stmt) sql = text;
    forget(sql);
    fail(code, msg, sql);
  }
  count_storage_work(0, 0, bytes, 0);
}

int64_t Connection::execute(std::string_view sql, const std::vector<SqlValue>& params) {
  MYSQL_STMT* stmt = prepare(sql);
  run(stmt, params);
  int64_t changed = static_cast<int64_t>(mysql_stmt_affected_rows(stmt));
  if (mysql_stmt_field_count(stmt) > 0) {
    mysql_stmt_store_result(stmt);
    changed = static_cast<int64_t>(mysql_stmt_num_rows(stmt));
  }
  mysql_stmt_free_result(stmt);
  count_storage_work(1, 0, 0, 0);
  return changed < 0 ? 0 : changed;
}

int64_t Connection::insert_returning_key(std::string_view insert, const std::vector<SqlValue>& params,
                                         std::string_view /*key*/) {
  MYSQL_STMT* stmt = prepare(insert);
  run(stmt, params);
  auto id = static_cast<int64_t>(mysql_stmt_insert_id(stmt));
  mysql_stmt_free_result(stmt);
  count_storage_work(1, 0, 0, 0);
  return id;
}

void Connection::query(std::string_view sql, const std::vector<SqlValue>& params,
                       const std::function<void(SqlRow&)>& on_row) {
  MYSQL_STMT* stmt = prepare(sql);
  run(stmt, params);
  // Buffered: the whole result comes to the client, so that on_row may run
  // other statements on this connection (SQLite allows that too).
  if (mysql_stmt_store_result(stmt) != 0) {
    unsigned code = mysql_stmt_errno(stmt);
    std::string msg = mysql_stmt_error(stmt);
    forget(sql);
    fail(code, msg, sql);
  }
  std::unique_ptr<MYSQL_RES, void (*)(MYSQL_RES*)> meta(mysql_stmt_result_metadata(stmt), mysql_free_result);
  const unsigned n = meta ? mysql_num_fields(meta.get()) : 0;
  MYSQL_FIELD* fields = meta ? mysql_fetch_fields(meta.get()) : nullptr;
  std::vector<MYSQL_BIND> binds(n);
  std::vector<int64_t> ints(n);
  std::vector<double> reals(n);
  std::vector<std::string> texts(n);
  std::vector<unsigned long> lengths(n);
  std::vector<my_bool> nulls(n), errors(n);
  enum Kind : char { Int, Real, Text };
  std::vector<Kind> kinds(n);
  for (unsigned i = 0; i < n; ++i) {
    MYSQL_BIND& b = binds[i];
    b.length = &lengths[i];
    b.is_null = &nulls[i];
    b.error = &errors[i];
    if (is_integer_type(fields[i].type)) {
      kinds[i] = Int;
      b.buffer_type = MYSQL_TYPE_LONGLONG;
      b.buffer = &ints[i];
    } else if (fields[i].type == MYSQL_TYPE_DOUBLE || fields[i].type == MYSQL_TYPE_FLOAT) {
      kinds[i] = Real;
      b.buffer_type = MYSQL_TYPE_DOUBLE;
      b.buffer = &reals[i];
    } else {
      kinds[i] = Text;
      texts[i].resize(kInlineText);
      b.buffer_type = MYSQL_TYPE_STRING;
      b.buffer = texts[i].data();
      b.buffer_length = kInlineText;
    }
  }
  auto done = [&] {
    mysql_stmt_free_result(stmt);
  };
  if (n > 0 && mysql_stmt_bind_result(stmt, binds.data()) != 0) {
    unsigned code = mysql_stmt_errno(stmt);
    std::string msg = mysql_stmt_error(stmt);
    done();
    fail(code, msg, sql);
  }
  int64_t rows = 0;
  SqlRow row;
  while (true) {
    int rc = mysql_stmt_fetch(stmt);
    if (rc == MYSQL_NO_DATA) break;
    if (rc == 1) {
      unsigned code = mysql_stmt_errno(stmt);
      std::string msg = mysql_stmt_error(stmt);
      done();
      fail(code, msg, sql);
    }
    ++rows;
    row.clear();
    row.reserve(n);
    for (unsigned i = 0; i < n; ++i) {
      if (nulls[i]) {
        row.emplace_back();
      } else if (kinds[i] == Int) {
        row.emplace_back(ints[i]);
      } else if (kinds[i] == Real) {
        row.emplace_back(reals[i]);
      } else if (lengths[i] <= kInlineText) {
        row.emplace_back(std::string(texts[i].data(), lengths[i]));
      } else {
        // Longer than the first buffer (MYSQL_DATA_TRUNCATED): fetched
        // again whole, straight into the row's string.
        std::string whole(lengths[i], '\0');
        unsigned long got = 0;
        MYSQL_BIND b{};
        b.buffer_type = MYSQL_TYPE_STRING;
        b.buffer = whole.data();
        b.buffer_length = lengths[i];
        b.length = &got;
        if (mysql_stmt_fetch_column(stmt, &b, i, 0) != 0) {
          unsigned code = mysql_stmt_errno(stmt);
          std::string msg = mysql_stmt_error(stmt);
          done();
          fail(code, msg, sql);
        }
        row.emplace_back(std::move(whole));
      }
    }
    try {
      on_row(row);
    } catch (...) {
      done();
      count_storage_work(1, rows, 0, 0);
      throw;
    }
  }
  done();
  count_storage_work(1, rows, 0, 0);
}

}  // namespace bora::storage::mysql
