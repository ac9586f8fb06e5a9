// events/listener_options: where and how the notification listener
// connects, from mistral.conf's options (oslo.messaging's names):
//   [oslo_messaging_notifications] transport_url, else [DEFAULT] transport_url
//     rabbit://USER:PASS@HOST:PORT[,USER:PASS@HOST2:PORT2]/VHOST
//   [event_engine] listener_pool_name, event_definitions_cfg_file
//   [oslo_messaging_rabbit] amqp_durable_queues, amqp_auto_delete,
//     rabbit_retry_interval, rabbit_retry_backoff, rabbit_interval_max,
//     heartbeat_timeout_threshold, rabbit_qos_prefetch_count
//   [oslo_messaging_rabbit] ssl, ssl_ca_file, ssl_cert_file, ssl_key_file,
//     ssl_version, ssl_enforce_hostname_verification (each also in the
//     URL's query, ?ssl=1&ssl_ca_file=..., as oslo.messaging reads it;
//     amqps:// is ssl=1)
//   [event_engine] trigger_refresh_interval (Bora's own)
// See docs/ACTIONS.md "Event triggers" and docs/OPERATIONS.md.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "bora/core/config.h"
#include "bora/core/error.h"

namespace bora::events {

struct BrokerAddress {
  std::string host;
  int port = 5672;
  std::string user = "guest", password = "guest";
};

// TLS to RabbitMQ as oslo.messaging's rabbit driver sets it up (kombu's
// ssl parameters): with a CA file the broker's certificate is verified,
// and its host name unless ssl_enforce_hostname_verification is false;
// without one nothing is verified (oslo's rule: encryption only).
struct TlsOptions {
  bool enabled = false;
  std::string ca_file, cert_file, key_file;  // empty: none
  // ssl_version: "" (the library's range), tlsv1, tlsv1_1, tlsv1_2, or
  // sslv23 (whatever both sides support).
  std::string version;
  bool verify_hostname = true;
};

struct ListenerOptions {
  std::vector<BrokerAddress> brokers;  // tried in turn
  TlsOptions tls;
  std::string virtual_host = "/";
  // Queues are named as oslo.messaging names a pooled notification
  // listener's: mistral-<exchange>-<listener_pool_name>.
  std::string pool_name = "events";
  bool durable_queues = false;  // amqp_durable_queues
  bool auto_delete = false;     // amqp_auto_delete
  // Notifications delivered and not yet acknowledged (their executions not
  // yet committed), at most; 0: no limit (oslo's default).
  int prefetch = 64;
  // Reconnecting: retry_interval, then retry_interval + backoff * attempt,
  // never more than interval_max between two attempts (oslo's rule).
  std::chrono::milliseconds retry_interval{1000}, retry_backoff{2000}, interval_max{30000};
  int heartbeat_seconds = 60;  // 0: no heartbeats
  // How often the stored triggers are read again for new or removed
  // (exchange, topic) pairs to bind.
  std::chrono::milliseconds refresh_interval{2000};
  // The transport URL's query options (name, value), as given.
  std::vector<std::pair<std::string, std::string>> query;
  // A connection attempt or a broker's answer to one request, at most.
  std::chrono::milliseconds io_timeout{10000};
};

// A transport URL as oslo.messaging reads one (rabbit:// or kombu://);
// BadInput naming what is wrong otherwise.
Result<ListenerOptions> parse_transport_url(const std::string& url);

// The listener's options, or nullopt when no transport_url is configured
// (no message bus: only the webhook fires event triggers). A value that
// does not parse is BadInput naming the option.
Result<std::optional<ListenerOptions>> listener_options(const Config& config);

}  // namespace bora::events
