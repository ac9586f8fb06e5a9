#include "metrics_listener.h"

#include "bora/api/resources.h"
#include "bora/core/log.h"
#include "bora/core/metrics.h"

namespace bora::cli {

Result<MetricsOptions> metrics_options(const Config& config) {
  MetricsOptions o;
  auto enabled = config.get_bool("metrics", "enabled", true);
  if (!enabled) return enabled.error();
  o.enabled = *enabled;
  auto auth = config.get_bool("metrics", "require_auth", false);
  if (!auth) return auth.error();
  o.require_auth = *auth;
  auto labels = config.get_int("metrics", "max_label_values", 1000);
  if (!labels) return labels.error();
  if (*labels < 1 || *labels > 1'000'000)
    return bad_input("[metrics] max_label_values must be between 1 and 1000000, got " + std::to_string(*labels));
  o.max_label_values = static_cast<size_t>(*labels);
  std::string listen = config.get_or("metrics", "listen", "");
  if (!listen.empty()) {
    auto colon = listen.rfind(':');
    auto refuse = [&] {
      return bad_input("[metrics] listen must be host:port (e.g. 0.0.0.0:9464 or [::1]:9464), got '" + listen + "'");
    };
    if (colon == std::string::npos || colon == 0) return refuse();
    std::string host = listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    std::string port = listen.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return refuse();
    long p = std::stol(port);
    if (p > 65535) return refuse();
    o.listen_host = host;
    o.listen_port = static_cast<uint16_t>(p);
  }
  return o;
}

void apply_metrics_options(const MetricsOptions& options, api::ApiContext& ctx) {
  ctx.serve_metrics = options.enabled && options.listen_host.empty();
  ctx.metrics_require_auth = options.require_auth;
  metrics::Registry::global().set_max_label_values(options.max_label_values);
}

Result<void> MetricsListener::start(const MetricsOptions& options, api::ApiContext& ctx,
                                    const std::string& default_project) {
  if (!options.enabled || options.listen_host.empty()) return {};
  router_ = std::make_unique<api::Router>();
  api::register_metrics_resource(*router_, ctx);
  api::ServerOptions so;
  so.host = options.listen_host;
  so.port = options.listen_port;
  so.threads = 1;
  so.handler_threads = 2;  // a scrape every few seconds
  so.default_project = default_project;
  server_ = std::make_unique<api::Server>(so, *router_);
  if (auto started = server_->start(); !started) {
    server_.reset();
    return Error{started.error().kind, "[metrics] listen: " + started.error().message};
  }
  log::info("metrics", "serving /metrics on http://{}:{}/metrics", options.listen_host, server_->port());
  thread_ = std::thread([this] { server_->run(/*handle_signals=*/false); });
  return {};
}

MetricsListener::~MetricsListener() {
  if (!server_) return;
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace bora::cli
