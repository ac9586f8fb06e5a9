#include "stream_session.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <array>
#include <string>

#include "bora/api/event_stream.h"
#include "bora/api/stream.h"
#include "bora/core/log.h"

namespace bora::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

namespace {

// At most this much is written at once: messages waiting are sent together.
constexpr size_t kMaxBatchBytes = 64 * 1024;
// The kernel's send buffer of a stream: a client that stops reading holds at
// most this much in the kernel (autotuning would let it grow to MiBs), and
// its bounded queue soon tells it is too slow.
constexpr int kSendBuffer = 64 * 1024;

void bound_send_buffer(asio::ip::tcp::socket& socket) {
  beast::error_code ignored;
  socket.set_option(asio::socket_base::send_buffer_size(kSendBuffer), ignored);
}

// What both transports share: the source, the open-connection count, and
// the rule that `ready` from any thread only posts to the strand (a weak
// reference: a connection that is gone is not kept by its source).
template <class Derived>
class StreamConnection : public std::enable_shared_from_this<Derived> {
 public:
  StreamConnection(std::shared_ptr<StreamSource> source, std::shared_ptr<std::atomic<size_t>> open)
      : source_(std::move(source)), open_(std::move(open)) {
    open_->fetch_add(1);
  }
  ~StreamConnection() {
    source_->stop();
    open_->fetch_sub(1);
  }

 protected:
  template <class Executor>
  void start_source(const Executor& strand) {
    std::weak_ptr<Derived> weak = this->shared_from_this();
    source_->start([weak, strand] {
      if (auto self = weak.lock()) {
        asio::post(strand, [self] { self->write_next(); });
      }
    });
  }

  std::shared_ptr<StreamSource> source_;
  std::shared_ptr<std::atomic<size_t>> open_;
  bool writing_ = false;
  bool done_ = false;
};

// Server-Sent Events: the response's headers, then frames until the
// connection closes (no Content-Length: the body ends with the
// connection, which HTTP/1.1 allows and EventSource expects).
class SseConnection : public StreamConnection<SseConnection> {
 public:
  SseConnection(beast::tcp_stream&& stream, std::shared_ptr<StreamSource> source, const ServerOptions& options,
                std::shared_ptr<std::atomic<size_t>> open)
      : StreamConnection(std::move(source), std::move(open)), stream_(std::move(stream)), options_(options) {}

  void run(const Response& r, unsigned version) {
    bound_send_buffer(stream_.socket());
    out_ = "HTTP/" + std::to_string(version / 10) + "." + std::to_string(version % 10) +
           " 200 OK\r\nServer: bora\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
           "Connection: close\r\nX-Accel-Buffering: no\r\n";
    for (const auto& [k, v] : r.headers) out_ += k + ": " + v + "\r\n";
    // A first comment, so that a client sees the stream open at once.
    out_ += "\r\n: stream opened\n\n";
    write(std::move(out_));
    start_source(stream_.get_executor());
    watch_client();
    tick();
  }

  void write_next() {
    if (writing_ || done_) return;
    std::string batch;
    bool last = false;
    while (batch.size() < kMaxBatchBytes && !last) {
      auto m = source_->next();
      if (!m) break;
      batch += sse_frame(*m);
      last = m->last;
    }
    if (batch.empty()) return;
    last_ = last;
    write(std::move(batch));
  }

 private:
  void write(std::string text) {
    writing_ = true;
    wrote_ = true;
    out_ = std::move(text);
    stream_.expires_after(options_.limits.write_timeout);
    asio::async_write(stream_, asio::buffer(out_), [self = shared_from_this()](beast::error_code ec, size_t) {
      self->writing_ = false;
      self->stream_.expires_never();
      if (ec) return self->finish();
      if (self->last_) return self->finish();
      self->write_next();
    });
  }

  // Nothing is expected from the client; a read that ends tells it left.
  void watch_client() {
    stream_.async_read_some(asio::buffer(in_), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->finish();
      self->watch_client();
    });
  }

  // A comment on a silent stream keeps proxies and clients from timing out.
  void tick() {
    timer_.expires_after(source_->heartbeat());
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->done_) return;
      if (!self->wrote_ && !self->writing_) self->write(": keep-alive\n\n");
      self->wrote_ = false;
      self->tick();
    });
  }

  void finish() {
    if (done_) return;
    done_ = true;
    source_->stop();
    timer_.cancel();
    beast::error_code ec;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  const ServerOptions& options_;
  asio::steady_timer timer_{stream_.get_executor()};
  std::string out_;
  std::array<char, 64> in_{};
  bool wrote_ = false;
  bool last_ = false;
};

// WebSocket: one text message per event; the client's text messages go to
// the source ({"last_event_id": N}); Beast's keep-alive pings on silence
// (idle timeout twice the heartbeat) close a peer that stopped answering.
class WsConnection : public StreamConnection<WsConnection> {
 public:
  WsConnection(beast::tcp_stream&& stream, std::shared_ptr<StreamSource> source, const ServerOptions& options,
               std::shared_ptr<std::atomic<size_t>> open)
      : StreamConnection(std::move(source), std::move(open)), ws_(std::move(stream)), options_(options) {}

  void run(http::request<http::string_body> request) {
    beast::get_lowest_layer(ws_).expires_never();
    bound_send_buffer(beast::get_lowest_layer(ws_).socket());
    websocket::stream_base::timeout t;
    t.handshake_timeout = options_.limits.write_timeout;
    t.idle_timeout = source_->heartbeat() * 2;
    t.keep_alive_pings = true;
    ws_.set_option(t);
    ws_.read_message_max(64 * 1024);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "bora"); }));
    request_ = std::move(request);
    ws_.async_accept(request_, [self = shared_from_this()](beast::error_code ec) {
      self->request_ = {};
      if (ec) return self->finish();
      self->ws_.text(true);
      self->start_source(self->ws_.get_executor());
      self->read();
    });
  }

  void write_next() {
    if (writing_ || done_) return;
    auto m = source_->next();
    if (!m) return;
    writing_ = true;
    message_ = std::move(m);
    ws_.async_write(asio::buffer(message_->data), [self = shared_from_this()](beast::error_code ec, size_t) {
      self->writing_ = false;
      if (ec) return self->finish();
      if (self->message_->last) {
        self->done_ = true;
        self->source_->stop();
        return self->ws_.async_close(websocket::close_reason(websocket::close_code::policy_error, "overflow"),
                                     [self](beast::error_code) {});
      }
      self->message_.reset();
      self->write_next();
    });
  }

 private:
  void read() {
    ws_.async_read(in_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->finish();
      auto text = beast::buffers_to_string(self->in_.data());
      self->in_.consume(self->in_.size());
      self->source_->received(text);
      self->read();
    });
  }

  void finish() {
    if (done_) return;
    done_ = true;
    source_->stop();
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
  }

  websocket::stream<beast::tcp_stream> ws_;
  const ServerOptions& options_;
  http::request<http::string_body> request_;
  beast::flat_buffer in_;
  std::shared_ptr<const StreamMessage> message_;
};

}  // namespace

void serve_stream(beast::tcp_stream&& stream, http::request<http::string_body>&& request, Response response,
                  const ServerOptions& options, std::shared_ptr<std::atomic<size_t>> open_connections) {
  auto source = response.stream;
  if (websocket::is_upgrade(request)) {
    std::make_shared<WsConnection>(std::move(stream), std::move(source), options, std::move(open_connections))
        ->run(std::move(request));
  } else {
    std::make_shared<SseConnection>(std::move(stream), std::move(source), options, std::move(open_connections))
        ->run(response, request.version());
  }
}

}  // namespace bora::api
