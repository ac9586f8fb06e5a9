// api/stream_session (private to the server): the connection of a response
// that streams (api/stream.h). The HTTP session hands its socket over; from
// then on this object owns it: Server-Sent Events (a text/event-stream body
// that ends when the connection does), or a WebSocket when the request was
// an upgrade. Writes one batch at a time on the connection's strand, pulls
// the next batch from the source when the last is written (so a slow
// client fills its own bounded queue, never the server's memory), sends
// keep-alives on silence, and stops the source when the client goes.
#pragma once

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <memory>

#include "bora/api/http.h"
#include "bora/api/server.h"

namespace bora::api {

// Serves `response` (its stream set) on `stream`, for `request`; counts
// itself in `open_connections` while the connection lives.
void serve_stream(boost::beast::tcp_stream&& stream, boost::beast::http::request<boost::beast::http::string_body>&& request,
                  Response response, const ServerOptions& options,
                  std::shared_ptr<std::atomic<size_t>> open_connections);

}  // namespace bora::api
