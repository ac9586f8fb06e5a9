// storage/mysql/mysql_url: parsing mysql:// URLs (mysql_url.h).
#include "mysql/mysql_url.h"

#include "bora/core/percent_decode.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>

namespace bora::storage::mysql {
namespace {

constexpr const char* kExample = "mysql://USER:PASSWORD@HOST:3306/DATABASE";
constexpr const char* kOptions =
    "unix_socket, charset, ssl, ssl_ca, ssl_capath, ssl_cert, ssl_key, ssl_cipher, ssl_verify_cert, "
    "connect_timeout, read_timeout, write_timeout, failback_interval";

std::optional<unsigned> number(std::string_view s) {
  unsigned v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<bool> boolean(const std::string& s) {
  std::string v;
  for (char c : s) v += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "no" || v == "off") return false;
  return std::nullopt;
}

// "mysql", "mysql+pymysql", "mariadb+mysqldb": the part before "://".
std::string_view scheme_of(std::string_view url) {
  auto end = url.find("://");
  return end == std::string_view::npos ? std::string_view() : url.substr(0, end);
}

}  // namespace

std::string ConnectionSettings::where() const {
  if (!unix_socket.empty()) return "socket " + unix_socket;
  return fmt::format("{}:{}", host, port);
}

bool is_mysql_url(const std::string& url) {
  std::string_view scheme = scheme_of(url);
  std::string_view base = scheme.substr(0, scheme.find('+'));
  return base == "mysql" || base == "mariadb";
}

std::string redact(const std::string& url) {
  auto start = url.find("://");
  if (start == std::string::npos) return url;
  start += 3;
  auto at = url.find('@', start);
  auto slash = url.find('/', start);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return url;
  auto colon = url.find(':', start);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

Result<ConnectionSettings> parse_url(const std::string& url) {
  auto bad = [&](const std::string& why) {
    return bad_input(fmt::format("invalid MySQL URL '{}': {}; write {}", redact(url), why, kExample));
  };
  if (!is_mysql_url(url)) return bad("it does not start with mysql:// (or mysql+pymysql://)");
  ConnectionSettings c;
  std::string_view rest = std::string_view(url).substr(scheme_of(url).size() + 3);
  std::string_view query;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  auto slash = rest.find('/');
  if (slash == std::string_view::npos) return bad("the database name is missing");
  std::string_view authority = rest.substr(0, slash);
  auto db = percent_decode_strict(rest.substr(slash + 1));
  if (!db || db->empty()) return bad("the database name is missing after the host");
  if (db->find('/') != std::string::npos || db->find('`') != std::string::npos) return bad("the database name holds / or `");
  c.database = *db;
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    std::string_view user = userinfo, password;
    if (auto colon = userinfo.find(':'); colon != std::string_view::npos) {
      user = userinfo.substr(0, colon);
      password = userinfo.substr(colon + 1);
    }
    auto u = percent_decode_strict(user);
    auto p = percent_decode_strict(password);
    if (!u || !p) return bad("a % in the user or password is not followed by two hex digits");
    c.user = *u;
    c.password = *p;
  }
  // Several hosts, comma separated: a Galera cluster's nodes (or a
  // primary and its replicas promoted by hand), tried in this order.
  while (true) {
    auto comma = authority.find(',');
    std::string_view host = authority.substr(0, comma);
    unsigned port = 3306;
    if (!host.empty() && host.front() == '[') {  // [::1]:3306
      auto close = host.find(']');
      if (close == std::string_view::npos) return bad("an IPv6 host lacks its ]");
      std::string_view after = host.substr(close + 1);
      host = host.substr(1, close - 1);
      if (!after.empty()) {
        if (after.front() != ':') return bad("text after the IPv6 host");
        auto n = number(after.substr(1));
        if (!n || *n == 0 || *n > 65535) return bad("the port is not a number from 1 to 65535");
        port = *n;
      }
    } else if (auto colon = host.rfind(':'); colon != std::string_view::npos) {
      auto n = number(host.substr(colon + 1));
      if (!n || *n == 0 || *n > 65535) return bad("the port is not a number from 1 to 65535");
      port = *n;
      host = host.substr(0, colon);
    }
    if (host.empty() && (comma != std::string_view::npos || !c.hosts.empty()))
      return bad("a host of the comma-separated list is empty");
    c.hosts.emplace_back(host.empty() ? c.host : std::string(host), port);
    if (comma == std::string_view::npos) break;
    authority = authority.substr(comma + 1);
  }
  c.host = c.hosts.front().first;
  c.port = c.hosts.front().second;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string name(pair.substr(0, eq));
    auto value = percent_decode_strict(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!value) return bad(fmt::format("the value of '{}' has a bad % escape", name));
    auto timeout = [&](unsigned& field) -> Result<void> {
      auto n = number(*value);
      if (!n || *n == 0 || *n > 86400) return bad(fmt::format("'{}' must be seconds from 1 to 86400", name));
      field = *n;
      return {};
    };
    if (name == "unix_socket") {
      c.unix_socket = *value;
    } else if (name == "charset") {
      // Bora always talks utf8mb4; mistral.conf often says utf8 (which
      // MySQL reads as its 3-byte subset).
      if (*value != "utf8" && *value != "utf8mb4") return bad("charset can only be utf8mb4 (or utf8)");
    } else if (name == "ssl") {
      auto b = boolean(*value);
      if (!b) return bad("ssl must be true or false");
      c.ssl = *b;
    } else if (name == "ssl_ca") {
      c.ssl_ca = *value;
    } else if (name == "ssl_capath") {
      c.ssl_capath = *value;
    } else if (name == "ssl_cert") {
      c.ssl_cert = *value;
    } else if (name == "ssl_key") {
      c.ssl_key = *value;
    } else if (name == "ssl_cipher") {
      c.ssl_cipher = *value;
    } else if (name == "ssl_verify_cert") {
      auto b = boolean(*value);
      if (!b) return bad("ssl_verify_cert must be true or false");
      c.ssl_verify_cert = *b;
    } else if (name == "connect_timeout") {
      if (auto r = timeout(c.connect_timeout); !r) return r.error();
    } else if (name == "read_timeout") {
      if (auto r = timeout(c.read_timeout); !r) return r.error();
    } else if (name == "write_timeout") {
      if (auto r = timeout(c.write_timeout); !r) return r.error();
    } else if (name == "failback_interval") {
      if (auto r = timeout(c.failback_interval); !r) return r.error();
    } else {
      return bad(fmt::format("unknown option '{}' (known: {})", name, kOptions));
    }
  }
  if (!c.unix_socket.empty() && c.hosts.size() > 1)
    return bad("unix_socket names one server: it cannot go with several hosts");
  return c;
}

}  // namespace bora::storage::mysql
