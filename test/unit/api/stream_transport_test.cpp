// The stream routes over a real server on loopback: SSE frames and
// WebSocket messages as a client reads them, the 404 without a feed, the
// 400 for /v2/ws without an upgrade.
#include <catch2/catch.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <thread>

#include "bora/api/context.h"
#include "bora/api/resources.h"
#include "bora/api/server.h"
#include "bora/core/json.h"
#include "bora/storage/database.h"
#include "memory_event_feed.h"

using namespace bora;
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

struct Running {
  std::unique_ptr<storage::Database> db = storage::Database::open("sqlite://").value();
  test::MemoryEventFeed feed;
  api::ApiContext ctx{.db = *db,
                      .engine = nullptr,
                      .allow_action_execution_deletion = false,
                      .readiness = nullptr,
                      .serve_metrics = true,
                      .metrics_require_auth = false,
                      .events = nullptr,
                      .event_stream_options = {},
                      .event_stream = nullptr,
                      .policy = nullptr};
  api::Router router;
  std::unique_ptr<api::Server> server;
  std::thread thread;

  explicit Running(bool with_feed, api::EventStreamOptions o = {}) {
    if (with_feed) ctx.events = &feed;
    ctx.event_stream_options = o;
    router = api::build_router(ctx);
    api::ServerOptions so;
    so.port = 0;
    so.handler_threads = 2;
    server = std::make_unique<api::Server>(so, router);
    server->start().value();
    thread = std::thread([this] { server->run(false); });
  }
  ~Running() {
    server->stop();
    thread.join();
    server.reset();
  }
};

// A socket with a receive deadline, so no read of the test hangs.
tcp::socket connect(asio::io_context& io, uint16_t port) {
  tcp::socket s(io);
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  struct timeval tv {5, 0};
  setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return s;
}

// Reads until `needle` has arrived (or the deadline), returns all read.
std::string read_until(tcp::socket& s, const std::string& have, const std::string& needle) {
  std::string out = have;
  char buf[4096];
  while (out.find(needle) == std::string::npos) {
    beast::error_code ec;
    size_t n = s.read_some(asio::buffer(buf), ec);
    if (ec) break;
    out.append(buf, n);
  }
  return out;
}

}  // namespace

TEST_CASE("SSE over a real connection: headers, resume from Last-Event-ID, live frames, client close") {
  Running r(true);
  r.feed.append("WORKFLOW_LAUNCHED");
  r.feed.append("TASK_LAUNCHED");
  asio::io_context io;
  auto s = connect(io, r.server->port());
  std::string req = "GET /v2/events HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 1\r\nX-Project-Id: p1\r\n\r\n";
  asio::write(s, asio::buffer(req));
  std::string got = read_until(s, "", "id: 2\n");
  CHECK(got.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(got.find("Content-Type: text/event-stream\r\n") != std::string::npos);
  CHECK(got.find("id: 1\n") == std::string::npos);
  CHECK(got.find("id: 2\nevent: TASK_LAUNCHED\ndata: {\"seq\": 2, ") != std::string::npos);
  r.feed.append("TASK_SUCCEEDED");
  r.feed.append("TASK_SUCCEEDED", "another-project");
  r.feed.append("WORKFLOW_SUCCEEDED");
  got = read_until(s, got, "id: 5\n");
  CHECK(got.find("id: 3\nevent: TASK_SUCCEEDED\n") != std::string::npos);
  CHECK(got.find("id: 4\n") == std::string::npos);  // another project's
  CHECK(got.find("id: 5\nevent: WORKFLOW_SUCCEEDED\n") != std::string::npos);
  CHECK(r.ctx.event_stream->subscribers() == 1);
  s.close();
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (r.ctx.event_stream->subscribers() != 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(r.ctx.event_stream->subscribers() == 0);
}

TEST_CASE("SSE heartbeats on a silent stream; a slow reader is dropped with event: overflow") {
  api::EventStreamOptions o;
  o.heartbeat = std::chrono::milliseconds(100);
  o.max_queue = 5;
  Running r(true, o);
  asio::io_context io;
  auto s = connect(io, r.server->port());
  asio::write(s, asio::buffer(std::string("GET /v2/events HTTP/1.1\r\nHost: x\r\nX-Project-Id: p1\r\n\r\n")));
  std::string got = read_until(s, "", ": keep-alive\n\n");
  CHECK(got.find(": keep-alive\n\n") != std::string::npos);
  // A client that reads nothing while big events pile up fills the socket
  // buffers, then its queue: the server drops it, the engine never waits.
  engine::ExecutionEvent big;
  big.event = "TASK_SUCCEEDED";
  big.project_id = "p1";
  big.data = Value(std::string(64 * 1024, 'x'));
  for (int i = 0; i < 400; ++i) r.feed.append(big);
  std::string rest = read_until(s, "", "event: overflow\n");
  CHECK(rest.find("event: overflow\ndata: {\"event\": \"overflow\"") != std::string::npos);
  // ... and the connection ends after it.
  char buf[256];
  beast::error_code ec;
  while (!ec) s.read_some(asio::buffer(buf), ec);
  CHECK(ec == asio::error::eof);
}

TEST_CASE("WebSocket: one text message per event, resume with {\"last_event_id\": N}") {
  Running r(true);
  for (int i = 0; i < 3; ++i) r.feed.append("TASK_LAUNCHED");
  asio::io_context io;
  beast::websocket::stream<tcp::socket> ws(connect(io, r.server->port()));
  ws.set_option(beast::websocket::stream_base::decorator(
      [](beast::websocket::request_type& req) { req.set("X-Project-Id", "p1"); }));
  ws.handshake("127.0.0.1", "/v2/ws?event_types=TASK_LAUNCHED,TASK_SUCCEEDED");
  ws.write(asio::buffer(std::string("{\"last_event_id\": 1}")));
  std::vector<int64_t> seqs;
  for (int i = 0; i < 3; ++i) {
    beast::flat_buffer b;
    ws.read(b);
    Value j = parse_json(beast::buffers_to_string(b.data())).value();
    CHECK(j["project_id"].as_string() == "p1");
    seqs.push_back(j["seq"].as_int());
    if (i == 1) {
      r.feed.append("WORKFLOW_SUCCEEDED");  // filtered out
      r.feed.append("TASK_SUCCEEDED");
    }
  }
  CHECK(seqs == std::vector<int64_t>{2, 3, 5});
  ws.close(beast::websocket::close_code::normal);
}

TEST_CASE("without an event feed the routes answer 404; /v2/ws without an upgrade is a 400") {
  {
    Running r(false);
    asio::io_context io;
    auto s = connect(io, r.server->port());
    asio::write(s, asio::buffer(std::string("GET /v2/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")));
    std::string got = read_until(s, "", "}");
    CHECK(got.rfind("HTTP/1.1 404", 0) == 0);
    CHECK(got.find("no event log") != std::string::npos);
  }
  Running r(true);
  asio::io_context io;
  auto s = connect(io, r.server->port());
  asio::write(s, asio::buffer(std::string("GET /v2/ws HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")));
  std::string got = read_until(s, "", "}");
  CHECK(got.rfind("HTTP/1.1 400", 0) == 0);
  CHECK(got.find("/v2/events") != std::string::npos);
  auto s2 = connect(io, r.server->port());
  asio::write(s2, asio::buffer(std::string("GET /v2/events?last_event_id=x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")));
  CHECK(read_until(s2, "", "}").rfind("HTTP/1.1 400", 0) == 0);
}
