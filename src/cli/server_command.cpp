// bora server: loads the configuration, opens (and if needed creates and
// migrates) the database, wires the REST API and serves until SIGINT/SIGTERM,
// then drains: no new connection or request, no timer fired, no new action
// started; requests in progress answered, running actions given until
// [api] shutdown_timeout to finish and commit their results; what is left
// is recovered at the next start.
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <thread>

#include "bora/api/bearer_auth.h"
#include "bora/api/auth.h"
#include "bora/api/event_stream.h"
#include "bora/api/resources.h"
#include "bora/api/server.h"
#include "bora/core/log.h"
#include "bora/core/metrics.h"
#include "bora/events/webhook_route.h"
#include "bora/executor/reach.h"
#include "bora/identity/policy.h"
#include "bora/identity/keystone_auth.h"
#include "options.h"
#include "maintenance.h"
#include "metrics_listener.h"
#include "tracing_setup.h"
#include "event_listener_setup.h"
#include "runtime.h"

namespace bora::cli {

namespace {

const char* kServerHelp =
    "Usage: bora server [--config FILE] [--host H] [--port P] [--db URL] [--log-level LEVEL]\n"
    "                   [--log-format text|json]\n"
    "       bora server --list-routes\n"
    "\n"
    "Serves Mistral's REST API v2 on http://H:P/v2 (default 127.0.0.1:8989), with the\n"
    "engine and executor in the same process.\n"
    "\n"
    "  --config FILE      INI configuration (default: $BORA_CONFIG, else /etc/bora/bora.conf\n"
    "                     if present, else built-in defaults)\n"
    "  --host H           listen address ([api] host)\n"
    "  --port P           listen port ([api] port; 0 picks a free port, printed at start)\n"
    "  --db URL           database ([database] connection), e.g. sqlite:///var/bora.db\n"
    "                     (relative path), sqlite:////abs/path.db, sqlite:// (in memory),\n"
    "                     mysql://USER:PASS@HOST:3306/DB (docs/STORAGE.md, \"MariaDB\")\n"
    "  --log-level LEVEL  debug, info, warning, error ([logging] level)\n"
    "  --log-format F     text (default) or json: one JSON object per line ([logging] format)\n"
    "  --list-routes      print \"METHOD /path\" for every route served, and exit\n"
    "\n"
    "Every option can also be set with BORA_<SECTION>_<NAME>, e.g. BORA_API_PORT=9000.\n";

// After the drain, how long the process may take to end (threads joined,
// database closed) before it exits regardless.
constexpr std::chrono::seconds kTeardownGrace{5};
// After the engine's last batch, how long its answers may take to be sent.
constexpr std::chrono::seconds kAnswerGrace{1};

// [pecan] auth_enable (or [api] auth_enable) with [auth] auth_type =
// keycloak-oidc: bearer JWTs verified against the realm's keys. Nothing
// (no authentication step) otherwise.
Result<std::function<std::optional<api::Response>(api::Request&)>> oidc_authenticate(const Config& config) {
  auto pecan = config.get_bool("pecan", "auth_enable", false);
  if (!pecan) return pecan.error();
  auto api_enable = config.get_bool("api", "auth_enable", false);
  if (!api_enable) return api_enable.error();
  std::string type = config.get_or("auth", "auth_type", config.get_or("DEFAULT", "auth_type", "keystone"));
  if (!(*pecan || *api_enable) || type != "keycloak-oidc") return std::function<std::optional<api::Response>(api::Request&)>{};
  auto options = identity::oidc_options_from_config(config);
  if (!options) return options.error();
  log::info("api", "authentication: OpenID Connect bearer tokens, keys from {}{}", options->auth_url,
            options->public_cert_url);
  return api::bearer_authenticator(std::make_shared<identity::OidcVerifier>(*options));
}

}  // namespace

int server_main(const Args& args) {
  auto opts =
      parse_options(args, {"--config", "--host", "--port", "--db", "--log-level", "--log-format"}, {"--help", "--list-routes"}, "server");
  if (!opts.ok()) {
    std::fprintf(stderr, "bora server: %s\n", opts.error().message.c_str());
    return 2;
  }
  if (opts->has("--help")) {
    std::fputs(kServerHelp, stdout);
    return 0;
  }
  Config config = load_config(*opts).value();
  if (opts->has("--list-routes")) {
    // What the router really serves (CI checks the OpenAPI description
    // against it); an in-memory database, nothing touches the disk.
    config.set("database", "connection", "sqlite://");
    Runtime runtime = open_runtime(config).value();
    api::Router router = api::build_router(*runtime.api);
    events::add_webhook_route(router, *runtime.api, nullptr);  // Bora's webhook (src/events/)
    for (const auto& route : router.describe()) std::printf("%s\n", route.c_str());
    return 0;
  }
  if (auto h = opts->get("--host")) config.set("api", "host", *h);
  if (auto p = opts->get("--port")) config.set("api", "port", *p);

  // SIGHUP reads the policy file again, as oslo services reload on it:
  // blocked in every thread started from here on, waited for by one.
  sigset_t hangup;
  sigemptyset(&hangup);
  sigaddset(&hangup, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &hangup, nullptr);
  auto tracing = start_tracing(config).value();  // [tracing]: null when off
  Runtime runtime = open_runtime(config).value();
  std::thread([policy = runtime.api->policy, hangup] {
    for (;;) {
      int sig = 0;
      if (sigwait(&hangup, &sig) != 0) return;
      log::info("policy", "SIGHUP: reading the policy file again");
      if (policy) (void)policy->reload();  // a bad file is logged, the rules in force stay
    }
  }).detach();
  start_notifier(runtime).value();
  // Event triggers fire from the webhook route and, with a transport_url,
  // from RabbitMQ (its listener stops first when the server drains, below).
  EventSources event_sources = start_event_sources(runtime).value();
  const std::function<void()>& stop_event_listener = event_sources.stop_listener;

  api::ServerOptions so;
  so.host = config.get_or("api", "host", "127.0.0.1");
  long port = config.get_int("api", "port", 8989).value();
  if (port < 0 || port > 65535) throw BoraError(ErrorKind::BadInput, "[api] port must be 0..65535");
  so.port = static_cast<uint16_t>(port);
  so.threads = static_cast<int>(config.get_int("api", "workers", 2).value());
  long handler_threads = config.get_int("api", "handler_threads", 32).value();
  if (handler_threads < 1 || handler_threads > 1024) {
    throw BoraError(ErrorKind::BadInput, "[api] handler_threads must be between 1 and 1024");
  }
  so.handler_threads = static_cast<int>(handler_threads);
  so.max_body_size = static_cast<size_t>(config.get_int("api", "max_body_size", 10 << 20).value());
  long header_size = config.get_int("api", "max_header_size", 64 << 10).value();
  if (header_size < 1024 || header_size > (64 << 20)) {
    throw BoraError(ErrorKind::BadInput, "[api] max_header_size must be between 1024 and 67108864 bytes");
  }
  so.max_header_size = static_cast<size_t>(header_size);
  so.default_project = config.get_or("api", "default_project", "<default-project>");
  // Connection limits (api/connection_limits.h), in whole seconds.
  auto seconds = [&](const char* name, std::chrono::milliseconds fallback) {
    long v = config.get_int("api", name, static_cast<long>(fallback.count() / 1000)).value();
    if (v <= 0) throw BoraError(ErrorKind::BadInput, std::string("[api] ") + name + " must be a positive number of seconds");
    return std::chrono::milliseconds(v * 1000);
  };
  so.limits.header_read_timeout = seconds("header_read_timeout", so.limits.header_read_timeout);
  so.limits.body_read_timeout = seconds("body_read_timeout", so.limits.body_read_timeout);
  so.limits.keepalive_timeout = seconds("keepalive_timeout", so.limits.keepalive_timeout);
  so.limits.write_timeout = seconds("write_timeout", so.limits.write_timeout);
  long max_connections =
      config.get_int("api", "max_connections", static_cast<long>(so.limits.max_connections)).value();
  if (max_connections <= 0) throw BoraError(ErrorKind::BadInput, "[api] max_connections must be positive");
  so.limits.max_connections = static_cast<size_t>(max_connections);

  // [cors] and [oslo_middleware] as oslo.middleware reads them for Mistral.
  so.cors.allowed_origin = config.get_list("cors", "allowed_origin");
  so.cors.allow_credentials = config.get_bool("cors", "allow_credentials", true).value();
  if (config.get("cors", "expose_headers")) so.cors.expose_headers = config.get_list("cors", "expose_headers");
  so.cors.max_age = config.get_int("cors", "max_age", 3600).value();
  if (so.cors.max_age < 0) throw BoraError(ErrorKind::BadInput, "[cors] max_age must be 0 or a number of seconds");
  if (config.get("cors", "allow_methods")) so.cors.allow_methods = config.get_list("cors", "allow_methods");
  if (config.get("cors", "allow_headers")) so.cors.allow_headers = config.get_list("cors", "allow_headers");
  so.proxy_headers = config.get_bool("oslo_middleware", "enable_proxy_headers_parsing", false).value();

  // [pecan] auth_enable: every call but the public ones authenticated with
  // Keystone (api/auth.h), on the handler pool.
  // (auth_type = keycloak-oidc: the bearer step below, identity/oidc.h.)
  if (runtime.keystone) {
    so.authenticate = api::keystone_auth_step(std::make_shared<identity::KeystoneAuth>(runtime.keystone),
                                              {.metrics_require_auth = runtime.api->metrics_require_auth});
  }

  auto shutdown_timeout = positive_seconds(config, "api", "shutdown_timeout", 30);
  if (!shutdown_timeout) {
    std::fprintf(stderr, "bora server: %s\n", shutdown_timeout.error().message.c_str());
    return 1;
  }

  auto expiration = services::expiration_policy_from_config(config);
  if (!expiration) {
    std::fprintf(stderr, "bora server: %s\n", expiration.error().message.c_str());
    return 1;
  }

  // The drain runs on a thread of its own: the I/O threads keep answering
  // the requests in progress meanwhile. maintenance is set below, before
  // any signal is handled (run()).
  std::optional<Maintenance> maintenance;
  std::thread drainer;
  std::once_flag drain_once;
  api::Server* serving = nullptr;
  auto authenticate = oidc_authenticate(config);
  if (!authenticate) {
    std::fprintf(stderr, "bora server: %s\n", authenticate.error().message.c_str());
    return 1;
  }
  // Only with auth_type = keycloak-oidc; Keystone's step (above) stays otherwise.
  if (*authenticate) so.authenticate = std::move(authenticate).value();
  so.on_stop_signal = [&] {
    std::call_once(drain_once, [&] {
      drainer = std::thread([&] {
        auto started = std::chrono::steady_clock::now();
        auto deadline = started + *shutdown_timeout;
        runtime.readiness->set_draining();
        // No new notification is taken; those in flight stay unacknowledged
        // and come back at the next start (their delivery records say
        // whether they ran).
        if (stop_event_listener) stop_event_listener();
        serving->begin_drain();
        maintenance.reset();  // an expiration run in progress ends its batch first
        bool drained = true;
        if (runtime.engine) {
          runtime.engine->begin_drain();
          drained = runtime.engine->wait_drained(deadline);
        }
        // Requests in progress (a synchronous action run on its own, a read)
        // are answered within the same deadline.
        drained = serving->wait_idle(deadline) && drained;
        if (runtime.engine) runtime.engine->finish();  // the last batch commits; what still runs is left to recovery
        // The answers the last batch gave (or the refusals of what it could
        // not take) reach their clients before the connections close.
        serving->wait_idle(std::chrono::steady_clock::now() + kAnswerGrace);
        auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        if (drained) {
          log::info("api", "drained in {} ms", took.count());
        } else {
          log::warning("api",
                       "running actions did not finish within [api] shutdown_timeout ({} s): stopped; the next "
                       "start recovers them",
                       shutdown_timeout->count() / 1000);
        }
        serving->stop();
      });
    });
  };

  api::Router router = api::build_router(*runtime.api);
  events::add_webhook_route(router, *runtime.api, event_sources.dispatcher.get());
  // Issue 17's figures on GET /metrics, read at scrape time (the handles go
  // before `runtime`, whose parts they read).
  auto& registry = metrics::Registry::global();
  metrics::CallbackHandle subscribers_gauge = registry.callback(
      "bora_event_stream_subscribers", "Clients following the SSE/WebSocket event stream.", metrics::Type::Gauge,
      [&runtime]() -> std::optional<double> {
        if (!runtime.api->event_stream) return std::nullopt;
        return static_cast<double>(runtime.api->event_stream->subscribers());
      });
  metrics::CallbackHandle pending_gauge = registry.callback(
      "bora_notifications_pending", "Notifications in the outbox not delivered yet.", metrics::Type::Gauge,
      [&runtime]() -> std::optional<double> {
        if (!runtime.notifier) return std::nullopt;
        return static_cast<double>(runtime.notifier->pending_notifications());
      });
  api::Server server(so, router);
  serving = &server;
  if (auto started = server.start(); !started.ok()) {
    std::fprintf(stderr, "bora server: %s\n", started.error().message.c_str());
    return 1;
  }
  MetricsListener metrics_listener;  // [metrics] listen: /metrics on a port of its own
  if (auto listening = metrics_listener.start(metrics_options(config).value(), *runtime.api, so.default_project);
      !listening) {
    std::fprintf(stderr, "bora server: %s\n", listening.error().message.c_str());
    return 1;
  }
  server.watch_signals();  // before "listening": a stop sent at once drains too
  // Only now is the port known ([api] port = 0 picks one): the port that
  // [executor] deny_own_api_port keeps actions away from.
  executor::set_own_api_port(server.port());
  log::info("api", "serving Mistral API v2 on http://{}:{}/v2 (database {})", so.host, server.port(),
            config.get_or("database", "connection", ""));
  // A line on stdout that scripts (and the integration tests) wait for.
  std::printf("bora: listening on http://%s:%u/v2\n", so.host.c_str(), server.port());
  std::fflush(stdout);
  maintenance.emplace(*runtime.db, *expiration);
  server.run(/*handle_signals=*/true);
  if (drainer.joinable()) drainer.join();
  if (stop_event_listener) stop_event_listener();
  // What remains is teardown: the executor waits for its threads, and an
  // action that ignores its stop flag (a long HTTP call) could hold the
  // process. Everything is committed by now, so past a short grace the
  // process exits anyway.
  std::thread([] {
    std::this_thread::sleep_for(kTeardownGrace);
    log::warning("api", "an action did not stop within {} s of the drain: exiting without waiting for it",
                 kTeardownGrace.count());
    std::_Exit(0);
  }).detach();
  log::info("api", "stopped");
  return 0;
}

}  // namespace bora::cli
