// Fuzz target: raw bytes as they arrive on a connection -> Beast's request
// parser (with the server's header limit and body limit) -> to_request (the
// server's conversion) -> the router `bora server` builds (api::build_router:
// every real resource) over a fresh in-memory database, then the response
// serialized as the server sends it. Several requests may follow each other
// in one input (keep-alive), so a POST can be followed by the GET, PUT or
// DELETE of what it created. Each input gets its own database, so that a
// crash replays from its input alone.
//
// No engine: a real engine would run the std actions a fuzzed workflow names
// (std.http, std.ssh to whatever address the mutator writes) and would make
// a run depend on threads; executions routes answer 503 "this server runs no
// engine" here, and the engine is covered by the sanitizer test run.
//
// Besides crashes: a response is never a 5xx other than that 503 (bad input
// is a 4xx), its header values carry no CR/LF (no header injection), and a
// JSON response body is JSON.
#include "fuzz_support.h"

#include "bora/api/resources.h"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>

#include <sstream>

#include "bora/api/request_conversion.h"
#include "bora/api/router.h"
#include "runtime.h"

using namespace bora;
namespace http = boost::beast::http;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::quiet_logs();
  return 0;
}

namespace {

constexpr int kMaxRequestsPerInput = 8;

void check_response(const api::Request& request, const api::Response& r) {
  const std::string what = request.method + " " + request.path;
  // 503s that are answers, not failures: a server that runs no engine, and
  // GET /readyz saying not ready (this harness checks no readiness).
  const bool expected_503 =
      r.status == 503 && (r.body.find("runs no engine") != std::string::npos || request.path == "/readyz");
  if (r.status >= 500 && !expected_503) {
    fuzz::finding("a request was answered with a 5xx", what + "\n-> " + std::to_string(r.status) + " " + r.body);
  }
  if (r.status < 100 || r.status > 599) fuzz::finding("an HTTP status out of range", what);
  for (const auto& [name, value] : r.headers) {
    if ((name + value).find_first_of("\r\n") != std::string::npos) {
      fuzz::finding("a response header carries CR/LF", what + "\n-> " + name + ": " + value);
    }
  }
  if (r.content_type == "application/json" && !r.body.empty()) {
    if (auto body = parse_json(r.body); !body.ok()) {
      fuzz::finding("a JSON response body is not JSON", what + "\n-> " + r.body + "\n" + body.error().message);
    }
  }
  // What Session::send does with it.
  http::response<http::string_body> res{static_cast<http::status>(r.status), 11};
  res.set(http::field::content_type, r.content_type);
  for (const auto& [name, value] : r.headers) res.set(name, value);
  res.body() = r.body;
  res.prepare_payload();
  std::ostringstream wire;
  wire << res;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Config config = default_config();
  config.set("database", "connection", "sqlite://");
  cli::Runtime runtime;
  runtime.config = config;
  runtime.db = storage::Database::open("sqlite://").value();
  (void)runtime.db->upgrade().value();
  runtime.api = std::make_unique<api::ApiContext>(api::ApiContext{.db = *runtime.db,
                                                                  .engine = nullptr,
                                                                  .allow_action_execution_deletion = false,
                                                                  .readiness = nullptr,
                                                                  .serve_metrics = true,
                                                                  .metrics_require_auth = false,
                                                                  .events = nullptr,
                                                                  .event_stream_options = {},
                                                                  .event_stream = nullptr,
                                                                  .policy = nullptr});
  const api::Router router = api::build_router(*runtime.api);
  const api::ServerOptions opts;

  std::string_view rest = fuzz::as_text(data, size);
  for (int n = 0; n < kMaxRequestsPerInput && !rest.empty(); ++n) {
    http::request_parser<http::string_body> parser;
    parser.eager(true);
    parser.body_limit(opts.max_body_size);
    parser.header_limit(64 * 1024);
    boost::beast::error_code ec;
    while (!parser.is_done()) {
      if (rest.empty()) {
        parser.put_eof(ec);  // the client closed the connection here
        break;
      }
      size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
      rest.remove_prefix(used);
      if (ec == http::error::need_more) {
        ec = {};
        if (used == 0) {
          parser.put_eof(ec);  // all there is, and not a whole message
          break;
        }
        continue;
      }
      if (ec) break;
    }
    if (ec || !parser.is_done()) return 0;  // the server answers 400 and closes

    const auto& req = parser.get();
    auto host = req.find(http::field::host);
    std::string base = "http://" + (host != req.end() ? std::string(host->value())
                                                      : opts.host + ":" + std::to_string(opts.port));
    auto request = api::to_request(req, opts, base);
    if (!request.ok()) continue;
    // Without an engine every handler answers before dispatch returns (the
    // responder's last copy goes with it: at worst a 500, which fails).
    std::optional<api::Response> answer;
    router.dispatch(*request, api::Responder([&answer](api::Response r) { answer = std::move(r); }, "fuzz"));
    if (!answer) std::abort();
    check_response(*request, *answer);
  }
  return 0;
}
