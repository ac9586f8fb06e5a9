// cli/metrics_listener: the [metrics] options and, when `listen` is set,
// the plain HTTP listener of its own that serves only GET /metrics (a port
// the firewall keeps for the monitoring network, apart from the API).
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "bora/api/context.h"
#include "bora/api/router.h"
#include "bora/api/server.h"
#include "bora/core/config.h"
#include "bora/core/error.h"

namespace bora::cli {

struct MetricsOptions {
  bool enabled = true;         // [metrics] enabled
  bool require_auth = false;   // [metrics] require_auth: the admin role
  std::string listen_host;     // [metrics] listen = host:port; empty: on the API's port
  uint16_t listen_port = 0;
  size_t max_label_values = 1000;  // [metrics] max_label_values
};

// Reads [metrics]; a malformed value is an error naming the option.
Result<MetricsOptions> metrics_options(const Config& config);

// Applies the options to the API's context (whether its router serves
// /metrics, with which auth) and to the registry (the label bound).
void apply_metrics_options(const MetricsOptions& options, api::ApiContext& ctx);

class MetricsListener {
 public:
  MetricsListener() = default;
  ~MetricsListener();  // stops serving
  MetricsListener(const MetricsListener&) = delete;
  MetricsListener& operator=(const MetricsListener&) = delete;

  // Listens when options ask for a listener of its own (enabled, listen
  // set); otherwise does nothing. Errors: the address cannot be bound.
  Result<void> start(const MetricsOptions& options, api::ApiContext& ctx, const std::string& default_project);

 private:
  std::unique_ptr<api::Router> router_;
  std::unique_ptr<api::Server> server_;
  std::thread thread_;
};

}  // namespace bora::cli
