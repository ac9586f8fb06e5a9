// storage/mysql/mysql_url: a MySQL/MariaDB database URL as connection
// settings. Accepts Bora's mysql:// and the SQLAlchemy spellings a
// mistral.conf holds (mysql+pymysql://, mysql+mysqldb://, mariadb://...):
//   mysql://USER:PASSWORD@HOST:PORT/DATABASE?option=value&...
//   mysql://USER:PASSWORD@/DATABASE?unix_socket=/run/mysqld/mysqld.sock
//   mysql://USER:PASSWORD@HOST1:PORT1,HOST2:PORT2/DATABASE (failover, in order)
// User, password, database and option values are percent-decoded.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bora/core/error.h"

namespace bora::storage::mysql {

struct ConnectionSettings {
  // The server a connection is made to: the first of `hosts` in the
  // settings the URL gives; MysqlDatabase sets each host of the list in
  // turn when one is down.
  std::string host = "127.0.0.1";
  unsigned port = 3306;
  // Every host of the URL, in its order (one for a single-host URL):
  // connections go to the first one that answers and is ready.
  std::vector<std::pair<std::string, unsigned>> hosts;
  // Seconds a host that failed is passed over, and how long a connection
  // to a later host of the list lives before the earlier ones are tried
  // again (the return to the first host once it is back).
  unsigned failback_interval = 10;
  std::string user, password, database;
  std::string unix_socket;
  // TLS (pymysql's names): a CA makes the server's certificate checked.
  std::string ssl_ca, ssl_capath, ssl_cert, ssl_key, ssl_cipher;
  bool ssl = false;                     // TLS required even without a CA
  std::optional<bool> ssl_verify_cert;  // default: true when ssl_ca/capath is given
  unsigned connect_timeout = 10;        // seconds
  unsigned read_timeout = 300;          // seconds a reply may take before the connection counts as lost
  unsigned write_timeout = 300;

  bool tls() const { return ssl || !ssl_ca.empty() || !ssl_capath.empty() || !ssl_cert.empty(); }
  // Where, for messages: host:port or the socket (never the password).
  std::string where() const;
};

// Whether a URL names a MySQL/MariaDB database (by its scheme).
bool is_mysql_url(const std::string& url);

Result<ConnectionSettings> parse_url(const std::string& url);

// The URL without its password, for logs and messages.
std::string redact(const std::string& url);

}  // namespace bora::storage::mysql
