// api/connection_limits: how long and how many connections a client may
// hold. A slow or silent client (a body shorter than its Content-Length,
// headers sent a byte at a time, many idle sockets) must not keep a
// connection, a file descriptor and a strand busy for long, so each phase of
// a request has its own deadline and the number of open connections has a
// cap. Kept apart from request dispatch so that the two can change alone.
#pragma once

#include <chrono>
#include <cstddef>

namespace bora::api {

struct ConnectionLimits {
  // From the first byte of a request to the end of its headers:
  // [api] header_read_timeout. Past it: 408, connection closed.
  std::chrono::milliseconds header_read_timeout{std::chrono::seconds(10)};
  // From the end of the headers to the end of the body:
  // [api] body_read_timeout. Past it: 408, connection closed.
  std::chrono::milliseconds body_read_timeout{std::chrono::seconds(10)};
  // A kept-alive connection waiting for its next request:
  // [api] keepalive_timeout. Past it: closed without a word (HTTP allows it).
  std::chrono::milliseconds keepalive_timeout{std::chrono::seconds(30)};
  // Writing one response: [api] write_timeout. Past it: closed.
  std::chrono::milliseconds write_timeout{std::chrono::seconds(60)};
  // Connections open at once: [api] max_connections. Past it a new
  // connection gets 503 with a Retry-After and is closed.
  size_t max_connections = 500;
};

}  // namespace bora::api
