// events/listener_options: mistral.conf's messaging options.
#include "bora/events/listener_options.h"

#include "bora/core/percent_decode.h"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace bora::events {

namespace {

Error url_error(const std::string& url, const std::string& what) {
  // The password is not repeated in the message.
  std::string shown = url;
  if (auto at = shown.rfind('@'); at != std::string::npos) {
    if (auto scheme = shown.find("://"); scheme != std::string::npos && scheme < at)
      shown = shown.substr(0, scheme + 3) + "***" + shown.substr(at);
  }
  return Error{ErrorKind::BadInput,
               fmt::format("transport_url {}: {} (expected rabbit://USER:PASS@HOST:PORT/VHOST, several hosts "
                           "separated by commas)",
                           shown, what)};
}

}  // namespace

Result<ListenerOptions> parse_transport_url(const std::string& url) {
  ListenerOptions o;
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url_error(url, "no scheme");
  std::string scheme = url.substr(0, scheme_end);
  if (scheme != "rabbit" && scheme != "kombu" && scheme != "amqp" && scheme != "amqps")
    return url_error(url, fmt::format("the '{}' transport is not supported: Bora listens on RabbitMQ (rabbit://)", scheme));
  o.tls.enabled = scheme == "amqps";
  std::string rest = url.substr(scheme_end + 3);
  if (auto q = rest.find('?'); q != std::string::npos) {
    // oslo.messaging: a query option overrides [oslo_messaging_rabbit]'s
    // (listener_options applies them after the file's).
    std::string query = rest.substr(q + 1);
    rest = rest.substr(0, q);
    size_t start = 0;
    while (start < query.size()) {
      size_t amp = query.find('&', start);
      std::string pair = query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
      start = amp == std::string::npos ? query.size() : amp + 1;
      if (pair.empty()) continue;
      auto eq = pair.find('=');
      o.query.emplace_back(percent_decode(pair.substr(0, eq)),
                           eq == std::string::npos ? std::string() : percent_decode(pair.substr(eq + 1)));
    }
  }
  std::string hosts = rest, vhost;
  if (auto slash = rest.find('/'); slash != std::string::npos) {
    hosts = rest.substr(0, slash);
    vhost = percent_decode(rest.substr(slash + 1));
  }
  // oslo.messaging: no virtual host in the URL is RabbitMQ's default "/".
  o.virtual_host = vhost.empty() ? "/" : vhost;
  // oslo.messaging (kombu): "rabbit://" alone is guest:guest@localhost:5672.
  if (hosts.empty()) hosts = "localhost";
  size_t start = 0;
  while (start <= hosts.size()) {
    size_t comma = hosts.find(',', start);
    std::string part = hosts.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? hosts.size() + 1 : comma + 1;
    if (part.empty()) return url_error(url, "an empty host");
    BrokerAddress b;
    if (o.tls.enabled) b.port = 5671;  // amqps: RabbitMQ's TLS port (kombu's default)
    if (auto at = part.rfind('@'); at != std::string::npos) {
      std::string cred = part.substr(0, at);
      part = part.substr(at + 1);
      auto colon = cred.find(':');
      b.user = percent_decode(cred.substr(0, colon));
      b.password = colon == std::string::npos ? "" : percent_decode(cred.substr(colon + 1));
    }
    std::string port;
    if (!part.empty() && part.front() == '[') {  // [IPv6]:port
      auto close = part.find(']');
      if (close == std::string::npos) return url_error(url, "an unclosed [IPv6 address]");
      b.host = part.substr(1, close - 1);
      if (close + 1 < part.size() && part[close + 1] == ':') port = part.substr(close + 2);
    } else if (auto colon = part.rfind(':'); colon != std::string::npos) {
      b.host = part.substr(0, colon);
      port = part.substr(colon + 1);
    } else {
      b.host = part;
    }
    if (b.host.empty()) return url_error(url, "an empty host");
    if (!port.empty()) {
      char* end = nullptr;
      long p = std::strtol(port.c_str(), &end, 10);
      if (*end != '\0' || p < 1 || p > 65535) return url_error(url, fmt::format("port '{}' is not 1..65535", port));
      b.port = static_cast<int>(p);
    }
    o.brokers.push_back(std::move(b));
  }
  return o;
}

namespace {

Result<std::chrono::milliseconds> seconds_option(const Config& c, const char* section, const char* name, long fallback,
                                                 long min) {
  auto v = c.get_int(section, name, fallback);
  if (!v) return v.error();
  if (*v < min || *v > 86400)
    return Error{ErrorKind::BadInput,
                 fmt::format("[{}] {} must be a number of seconds between {} and 86400, not {}", section, name, min, *v)};
  return std::chrono::milliseconds(*v * 1000);
}

}  // namespace

namespace {

// oslo_config's BoolOpt spellings.
std::optional<bool> bool_text(std::string v) {
  for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "no" || v == "off") return false;
  return std::nullopt;
}

// [oslo_messaging_rabbit] ssl*, then the URL's query (oslo's order), then
// checked: the files must be readable now, the version one librabbitmq has.
Result<void> tls_options(const Config& config, ListenerOptions& o) {
  const char* rabbit = "oslo_messaging_rabbit";
  TlsOptions& t = o.tls;
  auto ssl = config.get_bool(rabbit, "ssl", t.enabled);
  if (!ssl) return ssl.error();
  t.enabled = *ssl;
  auto hostname = config.get_bool(rabbit, "ssl_enforce_hostname_verification", true);
  if (!hostname) return hostname.error();
  t.verify_hostname = *hostname;
  t.ca_file = config.get_or(rabbit, "ssl_ca_file", "");
  t.cert_file = config.get_or(rabbit, "ssl_cert_file", "");
  t.key_file = config.get_or(rabbit, "ssl_key_file", "");
  t.version = config.get_or(rabbit, "ssl_version", "");
  for (const auto& [name, value] : o.query) {
    if (name == "ssl" || name == "ssl_enforce_hostname_verification") {
      auto b = bool_text(value);
      if (!b)
        return Error{ErrorKind::BadInput, fmt::format("transport_url: ?{}={} is not a boolean (true/false, 1/0)",
                                                      name, value)};
      (name == "ssl" ? t.enabled : t.verify_hostname) = *b;
    } else if (name == "ssl_ca_file") {
      t.ca_file = value;
    } else if (name == "ssl_cert_file") {
      t.cert_file = value;
    } else if (name == "ssl_key_file") {
      t.key_file = value;
    } else if (name == "ssl_version") {
      t.version = value;
    }
    // Other query options (heartbeat_rate, ...) are oslo's and not used here.
  }
  if (!t.enabled) return {};
  std::string version = t.version;
  for (char& c : version) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!version.empty() && version != "tlsv1" && version != "tlsv1_1" && version != "tlsv1_2" && version != "sslv23")
    return Error{ErrorKind::BadInput,
                 fmt::format("[oslo_messaging_rabbit] ssl_version = {}: give TLSv1_2, TLSv1_1, TLSv1 or SSLv23 "
                             "(whatever both sides support), or nothing (SSLv2 and SSLv3 are not supported)",
                             t.version)};
  t.version = version;
  if (t.cert_file.empty() != t.key_file.empty())
    return Error{ErrorKind::BadInput,
                 "[oslo_messaging_rabbit] ssl_cert_file and ssl_key_file go together (the client certificate and "
                 "its private key): give both or neither"};
  for (const auto& [name, path] : {std::pair<const char*, const std::string*>{"ssl_ca_file", &t.ca_file},
                                   {"ssl_cert_file", &t.cert_file},
                                   {"ssl_key_file", &t.key_file}}) {
    if (path->empty()) continue;
    if (FILE* f = std::fopen(path->c_str(), "rb")) {
      std::fclose(f);
    } else {
      return Error{ErrorKind::BadInput,
                   fmt::format("[oslo_messaging_rabbit] {} = {}: cannot be read ({})", name, *path,
                               std::strerror(errno))};
    }
  }
  return {};
}

}  // namespace

Result<std::optional<ListenerOptions>> listener_options(const Config& config) {
  // oslo.messaging: notifications use their own transport when one is set.
  std::string url = config.get_or("oslo_messaging_notifications", "transport_url", "");
  if (url.empty()) url = config.get_or("DEFAULT", "transport_url", "");
  if (url.empty()) return std::optional<ListenerOptions>{};
  auto parsed = parse_transport_url(url);
  if (!parsed) return parsed.error();
  ListenerOptions o = std::move(parsed).value();
  o.pool_name = config.get_or("event_engine", "listener_pool_name", o.pool_name);
  if (o.pool_name.empty()) return Error{ErrorKind::BadInput, "[event_engine] listener_pool_name must not be empty"};
  const char* rabbit = "oslo_messaging_rabbit";
  auto durable = config.get_bool(rabbit, "amqp_durable_queues", false);
  if (!durable) return durable.error();
  o.durable_queues = *durable;
  auto auto_delete = config.get_bool(rabbit, "amqp_auto_delete", false);
  if (!auto_delete) return auto_delete.error();
  o.auto_delete = *auto_delete;
  auto prefetch = config.get_int(rabbit, "rabbit_qos_prefetch_count", o.prefetch);
  if (!prefetch) return prefetch.error();
  // 0 is oslo's default and means no limit, as there; Bora's default is 64.
  if (*prefetch < 0 || *prefetch > 65535)
    return Error{ErrorKind::BadInput,
                 fmt::format("[oslo_messaging_rabbit] rabbit_qos_prefetch_count must be 0..65535 (0: no limit), not {}",
                             *prefetch)};
  o.prefetch = static_cast<int>(*prefetch);
  auto heartbeat = config.get_int(rabbit, "heartbeat_timeout_threshold", o.heartbeat_seconds);
  if (!heartbeat) return heartbeat.error();
  if (*heartbeat < 0 || *heartbeat > 3600)
    return Error{ErrorKind::BadInput,
                 fmt::format("[oslo_messaging_rabbit] heartbeat_timeout_threshold must be 0..3600 seconds, not {}",
                             *heartbeat)};
  o.heartbeat_seconds = static_cast<int>(*heartbeat);
  auto interval = seconds_option(config, rabbit, "rabbit_retry_interval", 1, 1);
  auto backoff = seconds_option(config, rabbit, "rabbit_retry_backoff", 2, 0);
  auto max = seconds_option(config, rabbit, "rabbit_interval_max", 30, 1);
  auto refresh = seconds_option(config, "event_engine", "trigger_refresh_interval", 2, 1);
  for (const auto* r : {&interval, &backoff, &max, &refresh})
    if (!*r) return r->error();
  if (auto tls = tls_options(config, o); !tls) return tls.error();
  o.retry_interval = *interval;
  o.retry_backoff = *backoff;
  o.interval_max = *max;
  o.refresh_interval = *refresh;
  return std::optional<ListenerOptions>(std::move(o));
}

}  // namespace bora::events
