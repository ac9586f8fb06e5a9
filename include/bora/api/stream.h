// api/stream: a response that does not end. A route that streams (the
// event stream: Server-Sent Events, or WebSocket when the request asks for
// an upgrade) answers with a Response whose `stream` is set; the server
// then sends the status and headers, keeps the connection and writes what
// the source gives it, one message at a time, until the source ends or the
// client goes. Handlers stay free of Beast: the transport (SSE framing,
// the WebSocket handshake, keep-alives) is the server's (src/api/
// stream_session.cpp), what to send is the source's.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace bora::api {

// One message of a stream: an SSE event (`id:`, `event:`, `data:`) or one
// WebSocket text message (the data alone). Shared by every subscriber that
// sends it, so a thousand clients of one event hold one copy.
struct StreamMessage {
  std::string id;     // SSE id (the event's seq); empty: none
  std::string event;  // SSE event name
  std::string data;   // JSON, one line
  bool last = false;  // the stream ends after this message (e.g. overflow)
};

class StreamSource {
 public:
  virtual ~StreamSource() = default;
  // How long a silent stream waits before a keep-alive (an SSE comment, a
  // WebSocket ping).
  virtual std::chrono::milliseconds heartbeat() const = 0;
  // The server took the connection over. `ready` is called, from any thread
  // and quickly, whenever next() may have something new; it must not call
  // back into the source.
  virtual void start(std::function<void()> ready) = 0;
  // The next message to send, or null. Called on an I/O thread: never
  // blocks, never reads the disk.
  virtual std::shared_ptr<const StreamMessage> next() = 0;
  // A text message the client sent (WebSocket only).
  virtual void received(std::string_view text) { (void)text; }
  // The connection is gone (client closed, write failed or timed out, the
  // server stopping); no call follows. Idempotent.
  virtual void stop() = 0;
};

}  // namespace bora::api
