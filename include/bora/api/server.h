// api/server: the HTTP/1.1 server (Boost.Beast). Each connection is served on
// its own strand, on the I/O threads (`threads`); handlers run on a separate
// pool (`handler_threads`) so that no I/O thread ever waits for a commit or
// an action. Bodies over the
// limit get 413, idle connections time out, stop() drains gracefully.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "bora/api/connection_limits.h"
#include "bora/api/cors.h"
#include "bora/api/router.h"
#include "bora/core/error.h"

namespace bora::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8989;  // 0: any free port (see Server::port())
  int threads = 2;           // I/O threads: read and write connections only
  int handler_threads = 32;  // run the handlers (reads, parsing); none waits on the engine
  size_t max_body_size = 10 * 1024 * 1024;
  size_t max_header_size = 64 * 1024;  // request line and headers together
  std::string default_project = "<default-project>";
  // What a client may hold (src/api/connection_limits.h): time to send a
  // request's headers once it started, time to send its body, time a kept-
  // alive connection may stay silent, time to take a response, and how many
  // connections may be open at once.
  ConnectionLimits limits;
  // Called (on an I/O thread: it must not block) at the first SIGINT or
  // SIGTERM when run() handles signals; whoever sets it drains and then
  // calls stop(). Without it, the signal stops the server at once. A
  // second signal ends the process at once (what is acknowledged is
  // committed already).
  std::function<void()> on_stop_signal;
  // Authentication (auth enabled): called on the handler pool before the
  // router, where it may wait for an identity provider; it fills the
  // request's identity (project_id, user_id, roles, is_admin) from the
  // token, or returns the refusal to send (401, 503). Unset: the identity
  // headers are taken as they come.
  std::function<std::optional<Response>(Request&)> authenticate;
  // [cors] (api/cors.h): applied to every answer a route or the
  // authentication step gives.
  CorsOptions cors;
  // [oslo_middleware] enable_proxy_headers_parsing: behind a reverse proxy,
  // the links Bora writes take the client's scheme, host and path prefix
  // from the proxy's headers (api/proxy_headers.h).
  bool proxy_headers = false;
};

class Server {
 public:
  Server(ServerOptions options, const Router& router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; errors (port in use, bad address) are returned.
  Result<void> start();
  // The bound port (useful when options.port was 0).
  uint16_t port() const;
  // Handles SIGINT and SIGTERM from now on (see on_stop_signal), before
  // run(): a signal that arrives between start-up and run() is not lost
  // (the default action would kill the process).
  void watch_signals();
  // Serves until stop() is called or SIGINT/SIGTERM arrives (if
  // handle_signals: watch_signals()); blocks the calling thread.
  void run(bool handle_signals);
  // Graceful shutdown, first step: no new connection is accepted, a request
  // that arrives on an open connection gets 503 with `Connection: close`,
  // and the answers of requests in progress close their connections.
  // Requests in progress are still answered; stop() ends the rest.
  void begin_drain();
  // After begin_drain: waits until every request taken up has been
  // answered (or its connection is gone), or until `deadline`; true when
  // none is left.
  bool wait_idle(std::chrono::steady_clock::time_point deadline);
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bora::api
