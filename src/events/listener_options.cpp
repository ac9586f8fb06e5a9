// events/listener_options: mistral.conf's messaging options.
#include "bora/events/listener_options.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>

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

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

Result<ListenerOptions> parse_transport_url(const std::string& url) {
  ListenerOptions o;
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url_error(url, "no scheme");
  std::string scheme = url.substr(0, scheme_end);
  if (scheme != "rabbit" && scheme != "kombu" && scheme != "amqp")
    return url_error(url, fmt::format("the '{}' transport is not supported: Bora listens on RabbitMQ (rabbit://)", scheme));
  std::string rest = url.substr(scheme_end + 3);
  if (auto q = rest.find('?'); q != std::string::npos) rest = rest.substr(0, q);  // query options: not read
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
  o.retry_interval = *interval;
  o.retry_backoff = *backoff;
  o.interval_max = *max;
  o.refresh_interval = *refresh;
  return std::optional<ListenerOptions>(std::move(o));
}

}  // namespace bora::events
