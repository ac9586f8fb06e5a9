#include "bora/api/server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

#include <atomic>
#include <cctype>
#include <array>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "bora/api/errors.h"
#include "bora/api/list_params.h"
#include "bora/api/request_conversion.h"
#include "bora/core/log.h"
#include "bora/api/proxy_headers.h"
#include "stream_session.h"

namespace bora::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// A target as WSGI servers pass it on and WebOb reads it: characters RFC
// 3986 does not allow there (`{}`, `|`, `^`, a backquote, non-ASCII
// bytes, a `%` without two hex digits) are taken literally, so they are
// escaped before Boost.URL's strict parse.
std::string escape_literal_target(std::string_view target) {
  static constexpr std::string_view allowed = "-._~!$&'()*+,;=:@/?";
  std::string out;
  for (size_t i = 0; i < target.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(target[i]);
    bool ok = std::isalnum(c) || allowed.find(static_cast<char>(c)) != std::string_view::npos ||
              (c == '%' && i + 2 < target.size() && is_hex(target[i + 1]) && is_hex(target[i + 2]));
    if (ok) {
      out += static_cast<char>(c);
    } else {
      static constexpr char digits[] = "0123456789ABCDEF";
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

}  // namespace

// Turns a Beast request into the handler's plain Request.
Result<Request> to_request(const http::request<http::string_body>& req, const ServerOptions& opts,
                           const std::string& base_url) {
  Request r;
  r.method = std::string(req.method_string());
  std::string_view raw(req.target().data(), req.target().size());
  auto target = boost::urls::parse_origin_form(raw);
  std::string escaped;
  if (!target) {
    escaped = escape_literal_target(raw);
    target = boost::urls::parse_origin_form(escaped);
  }
  if (!target) return bad_input("malformed request target: " + std::string(req.target()));
  r.path = target->path();
  for (auto p : target->params()) {
    // `?&task_execution_id=x` or `a=1&&b=2`: an empty field, which WebOb
    // (and so Mistral) drops; it is not a parameter named "".
    if (p.key.empty() && (!p.has_value || p.value.empty())) continue;
    r.query.emplace_back(p.key, p.has_value ? p.value : std::string());
  }
  for (const auto& f : req) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = std::string(f.value());
  }
  r.body = req.body();
  r.base_url = base_url;
  const std::string* project = r.header("x-project-id");
  r.project_id = (project && !project->empty()) ? *project : opts.default_project;
  if (const std::string* roles = r.header("x-roles")) {
    r.is_admin = roles->find("admin") != std::string::npos;
    r.roles = split_commas(*roles);  // as oslo.context splits X-Roles
  }
  if (const std::string* user = r.header("x-user-id"); user && !user->empty()) r.user_id = *user;
  return r;
}

namespace {

// Seconds in a message: "10 s", "0.5 s".
std::string seconds_text(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
  return std::to_string(static_cast<double>(d.count()) / 1000.0) + " s";
}

// Answers may come from the engine's loop or an executor thread after the
// server is gone (a run_sync action that ends during shutdown): they pass
// this gate, which the server closes before its io_context goes, so a late
// answer is dropped instead of posted to a destroyed context.
struct AnswerGate {
  std::mutex mutex;
  bool open = true;
  // Server::begin_drain: new requests are refused, connections close after
  // their answer.
  std::atomic<bool> draining{false};
  // Requests taken up and not yet answered (written, or their connection
  // gone): Server::wait_idle waits for none to be left.
  std::atomic<size_t> in_progress{0};
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, const Router& router, const ServerOptions& opts, asio::thread_pool& handlers,
          std::shared_ptr<std::atomic<size_t>> open_connections, std::shared_ptr<AnswerGate> gate)
      : stream_(std::move(socket)),
        router_(router),
        opts_(opts),
        handlers_(handlers),
        open_(std::move(open_connections)),
        gate_(std::move(gate)) {}
  ~Session() {
    open_->fetch_sub(1);
    uncount();
  }

  void start() {
    asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::read, shared_from_this()));
  }

  // The connection is one too many: say so and close.
  void refuse() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      Response r = error_response(503, "Bora has " + std::to_string(self->opts_.limits.max_connections) +
                                           " connections open, its limit ([api] max_connections); retry "
                                           "shortly, reuse connections, or raise the limit");
      r.headers.emplace_back("Retry-After", "1");
      self->send(std::move(r), 11, false);
    });
  }

 private:
  // Each phase of a request has its own deadline (connection_limits.h): a
  // kept-alive connection may wait for its next request's first byte, then
  // the headers and the body must arrive in their own time.
  void read() {
    parser_.emplace();
    parser_->body_limit(opts_.max_body_size);
    parser_->header_limit(static_cast<std::uint32_t>(opts_.max_header_size));
    if (buffer_.size() > 0) return read_header();  // a pipelined request is already here
    stream_.expires_after(opts_.limits.keepalive_timeout);
    stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, size_t n) {
      if (ec) return self->close();  // silent or gone: nothing to answer
      self->buffer_.commit(n);
      self->read_header();
    });
  }

  // Beast's stream timeout closes the socket, which would leave no way to
  // answer; a timer of our own cancels the read instead, so the client can
  // still be told why (408).
  void arm_deadline(std::chrono::milliseconds d) {
    stream_.expires_never();
    deadline_hit_ = false;
    deadline_.expires_after(d);
    // The generation tells a timer that fired just as its read completed
    // (too late to cancel) from the one still guarding a read.
    deadline_.async_wait([self = shared_from_this(), gen = ++deadline_gen_](beast::error_code ec) {
      if (ec || gen != self->deadline_gen_) return;  // the read finished in time
      self->deadline_hit_ = true;
      beast::error_code ignored;
      self->stream_.socket().cancel(ignored);
    });
  }

  void read_header() {
    arm_deadline(opts_.limits.header_read_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->disarm();
                              if (ec && self->deadline_hit_) {
                                return self->time_out("Request headers were not received within " +
                                                      seconds_text(self->opts_.limits.header_read_timeout) +
                                                      " ([api] header_read_timeout)");
                              }
                              if (ec || self->parser_->is_done()) return self->on_read(ec, n);
                              self->arm_deadline(self->opts_.limits.body_read_timeout);
                              http::async_read(self->stream_, self->buffer_, *self->parser_,
                                               beast::bind_front_handler(&Session::on_body, self));
                            });
  }

  void disarm() {
    deadline_.cancel();
    ++deadline_gen_;
  }

  void on_body(beast::error_code ec, size_t n) {
    disarm();
    if (ec && deadline_hit_) {
      return time_out("Request body was not received within " + seconds_text(opts_.limits.body_read_timeout) +
                      " ([api] body_read_timeout): it is shorter than its Content-Length, or sent too slowly");
    }
    on_read(ec, n);
  }

  // The socket's deadline passed with a request half-received: the client
  // learns why (408), then the connection closes.
  void time_out(const std::string& why) {
    log::info("api", "closing a connection: {}", why);
    send(error_response(408, why), 11, false);
  }

  void on_read(beast::error_code ec, size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::connection_reset ||
        ec == asio::error::operation_aborted) {
      return close();
    }
    if (ec == http::error::body_limit) {
      Response r = error_response(413, "Request body is larger than the limit of " +
                                           std::to_string(opts_.max_body_size) +
                                           " bytes; send less, or raise [api] max_body_size");
      return send(std::move(r), 11, false);
    }
    if (ec == http::error::header_limit) {
      Response r = error_response(431, "Request headers are larger than the limit of " +
                                           std::to_string(opts_.max_header_size) +
                                           " bytes; send fewer or shorter headers, or raise [api] max_header_size");
      return send(std::move(r), 11, false);
    }
    if (ec) {
      Response r = error_response(400, std::string("Malformed HTTP request: ") + ec.message());
      return send(std::move(r), 11, false);
    }
    const auto& req = parser_->get();
    unsigned version = req.version();
    bool keep_alive = req.keep_alive();
    // Counted before draining is read, as begin_drain sets draining before
    // wait_idle reads the count: a request is refused, or waited for.
    gate_->in_progress.fetch_add(1);
    counted_ = true;
    if (gate_->draining) {
      uncount();
      // Shutting down: a load balancer that has not yet seen /readyz fail
      // learns it here, and the client retries elsewhere.
      Response r = error_response(503, "Bora is shutting down (SIGTERM); send this request to another node or "
                                       "retry after the restart");
      r.headers.emplace_back("Retry-After", "1");
      return send(std::move(r), version, false);
    }
    std::string base = base_url(req);

    auto request = to_request(req, opts_, base);
    if (!request.ok()) return send(error_response(request.error()), version, keep_alive);
    // The handler runs on the handler pool, never on this I/O thread, and
    // waits for nothing: what changes state goes to the engine, which
    // completes the responder from its loop once committed (a run_sync
    // action: from the executor once run). The answer is posted back to
    // this connection's strand. Reading stops until then (HTTP/1.1 answers
    // in order, no pipelining).
    asio::post(handlers_, [self = shared_from_this(), request = std::move(*request),
                           method = std::string(req.method_string()), target = std::string(req.target()), version,
                           keep_alive]() mutable {
      auto started = std::chrono::steady_clock::now();
      std::string what = method + " " + target;
      Responder responder(
          [self, version, keep_alive, started, what, cors = cors_request(request)](Response r) {
            // The CORS filter wraps everything, as around Mistral's application.
            apply_cors(self->opts_.cors, cors, r);
            auto us =
                std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
            log::debug("api", "{} -> {} ({} us)", what, r.status, us.count());
            std::lock_guard lock(self->gate_->mutex);
            if (!self->gate_->open) return;
            bool head = cors.method == "HEAD";
            asio::post(self->stream_.get_executor(), [self, r = std::move(r), version, keep_alive, head]() mutable {
              self->send(std::move(r), version, keep_alive, head);
            });
          },
          what,
          // Answers completed on the engine's loop render here, not there.
          [self](std::function<void()> work) {
            std::unique_lock lock(self->gate_->mutex);
            if (!self->gate_->open) {
              lock.unlock();
              return;  // `work` (and its responder) goes after the lock
            }
            asio::post(self->handlers_, std::move(work));
          });
      // Authentication (api/auth.h) may wait for Keystone: here, on the
      // handler pool, never on the I/O thread.
      if (self->opts_.authenticate) {
        if (auto refused = self->opts_.authenticate(request)) {
          responder.reply(std::move(*refused));
          return;
        }
      }
      self->router_.dispatch(request, std::move(responder));
    });
  }

  // head: the answer to a HEAD request, whose headers (Content-Length
  // included) are the GET's and whose body is not sent.
  void send(Response r, unsigned version, bool keep_alive, bool head = false) {
    keep_alive = keep_alive && !gate_->draining;
    if (r.stream) {
      // A streaming answer (api/stream.h) takes the connection over; this
      // session ends here.
      return serve_stream(std::move(stream_), parser_->release(), std::move(r), opts_, open_);
    }
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status), version);
    res->set(http::field::server, "bora");
    if (!r.content_type.empty()) res->set(http::field::content_type, r.content_type);  // none: a CORS preflight's
    for (auto& [k, v] : r.headers) res->set(k, v);
    res->keep_alive(keep_alive);
    if (head) {
      res->content_length(r.body.size());
    } else {
      res->body() = std::move(r.body);
      res->prepare_payload();
    }
    stream_.expires_after(opts_.limits.write_timeout);
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res, keep_alive](beast::error_code ec, size_t) {
                        self->uncount();
                        if (ec) return self->close();
                        if (!keep_alive) return self->linger();
                        self->read();
                      });
  }

  // The address the links Bora writes start with (api/proxy_headers.h).
  std::string base_url(const http::request<http::string_body>& req) const {
    auto field = [&](std::string_view name) -> std::string {
      auto it = req.find(name);
      return it != req.end() ? std::string(it->value()) : std::string();
    };
    return client_base_url({field("Host"), field("Forwarded"), field("X-Forwarded-Proto"), field("X-Forwarded-Host"),
                            field("X-Forwarded-Prefix")},
                           opts_.proxy_headers, opts_.host + ":" + std::to_string(opts_.port));
  }

  void uncount() {
    if (counted_) gate_->in_progress.fetch_sub(1);
    counted_ = false;
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  // After refusing a request (413, 400) the client may still be sending its
  // body; closing at once would reset the connection and the client would
  // never read our answer. So: stop sending, drain what arrives for a bounded
  // time and amount, then close.
  void linger() {
    close();
    stream_.expires_after(kLingerTimeout);
    drain();
  }

  void drain() {
    if (drained_ > kLingerMaxBytes) return;
    stream_.async_read_some(asio::buffer(discard_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->drained_ += n;
                              if (!ec) self->drain();
                            });
  }

  static constexpr auto kLingerTimeout = std::chrono::seconds(5);
  static constexpr size_t kLingerMaxBytes = 256u << 20;

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::array<char, 16384> discard_{};
  size_t drained_ = 0;
  std::optional<http::request_parser<http::string_body>> parser_;
  const Router& router_;
  const ServerOptions& opts_;
  asio::thread_pool& handlers_;
  std::shared_ptr<std::atomic<size_t>> open_;
  std::shared_ptr<AnswerGate> gate_;
  asio::steady_timer deadline_{stream_.get_executor()};
  bool deadline_hit_ = false;
  unsigned deadline_gen_ = 0;
  bool counted_ = false;  // this connection's request is in gate_->in_progress
};

}  // namespace

struct Server::Impl {
  ServerOptions opts;
  const Router& router;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  // Where handlers run (see Session::on_read); joined before the router goes.
  asio::thread_pool handlers;
  std::atomic<bool> stopping{false};

  Impl(ServerOptions o, const Router& r)
      : opts(std::move(o)),
        router(r),
        ioc(std::max(1, opts.threads)),
        handlers(static_cast<size_t>(std::max(1, opts.handler_threads))) {}
  ~Impl() {
    // Queued handlers are dropped (their connections are gone with the I/O
    // threads); running ones finish. Answers still on their way (engine,
    // executor) are dropped at the gate.
    handlers.stop();
    handlers.join();
    std::lock_guard lock(gate->mutex);
    gate->open = false;
  }
  std::shared_ptr<AnswerGate> gate = std::make_shared<AnswerGate>();

  // Open connections, shared with the sessions, which may outlive the
  // acceptor while the io_context winds down.
  std::shared_ptr<std::atomic<size_t>> open_connections = std::make_shared<std::atomic<size_t>>(0);
  asio::steady_timer retry_accept{ioc};
  // SIGINT and SIGTERM, once watch_signals() installed them.
  std::optional<asio::signal_set> signals;

  void accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (stopping) return;
      if (ec) {
        if (ec == asio::error::operation_aborted) return;
        // Out of file descriptors (EMFILE) fails at once and again: wait a
        // moment instead of spinning on a core.
        log::warning("api", "accept failed: {}", ec.message());
        retry_accept.expires_after(std::chrono::milliseconds(100));
        retry_accept.async_wait([this](beast::error_code) {
          if (!stopping) accept();
        });
        return;
      }
      size_t open = open_connections->fetch_add(1) + 1;
      auto session = std::make_shared<Session>(std::move(socket), router, opts, handlers, open_connections, gate);
      if (open > opts.limits.max_connections) {
        session->refuse();
      } else {
        session->start();
      }
      accept();
    });
  }
};

Server::Server(ServerOptions options, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}

Server::~Server() { stop(); }

Result<void> Server::start() {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->opts.host, ec);
  if (ec) return bad_input("invalid listen address '" + impl_->opts.host + "': " + ec.message());
  tcp::endpoint ep(address, impl_->opts.port);
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error{ErrorKind::Unavailable, "cannot listen on " + impl_->opts.host + ":" +
                                             std::to_string(impl_->opts.port) + ": " + ec.message() +
                                             " (is another server on that port? use --port)"};
  }
  impl_->opts.port = a.local_endpoint().port();
  impl_->accept();
  return {};
}

uint16_t Server::port() const { return impl_->opts.port; }

void Server::watch_signals() {
  if (impl_->signals) return;
  auto& signals = impl_->signals.emplace(impl_->ioc, SIGINT, SIGTERM);
  signals.async_wait([this](beast::error_code ec, int sig) {
    if (ec) return;
    if (!impl_->opts.on_stop_signal) {
      log::info("api", "signal {} received, stopping", sig);
      return stop();
    }
    log::info("api", "signal {} received: draining (a second signal stops at once)", sig);
    impl_->signals->async_wait([](beast::error_code ec2, int sig2) {
      if (ec2) return;
      // Everything acknowledged is committed: exiting now loses no
      // answer given, only work in progress (which recovery takes up).
      log::warning("api", "second signal {} received: exiting now", sig2);
      std::_Exit(1);
    });
    impl_->opts.on_stop_signal();
  });
}

void Server::run(bool handle_signals) {
  if (handle_signals) watch_signals();
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->opts.threads; ++i) threads.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : threads) t.join();
}

void Server::begin_drain() {
  impl_->gate->draining = true;
  asio::post(impl_->ioc, [this] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
  });
}

bool Server::wait_idle(std::chrono::steady_clock::time_point deadline) {
  while (impl_->gate->in_progress.load() > 0) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

void Server::stop() {
  if (impl_->stopping.exchange(true)) return;
  asio::post(impl_->ioc, [this] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
    impl_->ioc.stop();
  });
}

}  // namespace bora::api
