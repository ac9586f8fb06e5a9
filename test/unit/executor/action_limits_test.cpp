// executor/action_limits: the [executor] options on what an action may
// produce or allocate, and what the user reads when an action passes one.
#include <catch2/catch.hpp>

#include "bora/core/config.h"
#include "bora/executor/action_limits.h"
#include "bora/executor/executor.h"
#include "loopback_server.h"

using namespace bora;
using namespace bora::executor;
using bora::executor::test::LoopbackServer;

namespace {

// Puts the process's limits back when a test ends, pass or fail.
struct LimitsGuard {
  ActionLimits saved = action_limits();
  ~LimitsGuard() { set_action_limits(saved); }
};

}  // namespace

TEST_CASE("the [executor] action limits: defaults, units, bad values named") {
  auto d = action_limits_from_config(Config{});
  REQUIRE(d.ok());
  CHECK(d->http_max_response_bytes == size_t{256} << 20);
  CHECK(d->ssh_max_output_bytes == size_t{64} << 20);
  CHECK(d->javascript_heap_bytes == size_t{256} << 20);

  Config c;
  c.set("executor", "http_max_response_kb", "10");
  c.set("executor", "ssh_max_output_kb", "20");
  c.set("executor", "javascript_heap_mb", "3");
  auto l = action_limits_from_config(c);
  REQUIRE(l.ok());
  CHECK(l->http_max_response_bytes == 10 * 1024);
  CHECK(l->ssh_max_output_bytes == 20 * 1024);
  CHECK(l->javascript_heap_bytes == 3 * 1024 * 1024);

  c.set("executor", "javascript_heap_mb", "0");
  auto bad = action_limits_from_config(c);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "[executor] javascript_heap_mb must be between 1 and 4096 (MiB), not 0");
  c.set("executor", "javascript_heap_mb", "many");
  CHECK_FALSE(action_limits_from_config(c).ok());
}

TEST_CASE("std.http: a response past http_max_response_kb fails the action, naming the option") {
  LimitsGuard guard;
  std::string big(64 * 1024, 'x');
  LoopbackServer server([&](int fd) {
    LoopbackServer::read_until(fd, "\r\n\r\n");
    LoopbackServer::write_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                                      std::to_string(big.size()) + "\r\nConnection: close\r\n\r\n" + big);
  });
  std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/big";
  ActionRunContext ctx;
  ActionLimits small;
  small.http_max_response_bytes = 16 * 1024;
  set_action_limits(small);
  auto r = run_std_action("std.http", Value::dict({{"url", Value(url)}}), ctx);
  REQUIRE(r.failed);
  CHECK_THAT(r.error.as_string(), Catch::Contains("is larger than 16 KiB"));
  CHECK_THAT(r.error.as_string(), Catch::Contains("[executor] http_max_response_kb"));

  // Within the limit the same response is read whole.
  small.http_max_response_bytes = 128 * 1024;
  set_action_limits(small);
  auto ok = run_std_action("std.http", Value::dict({{"url", Value(url)}}), ctx);
  REQUIRE_FALSE(ok.failed);
  CHECK(ok.data["content"].as_string().size() == big.size());
}

TEST_CASE("std.javascript: a script past javascript_heap_mb fails, naming the option; within it, it runs") {
  LimitsGuard guard;
  ActionLimits small;
  small.javascript_heap_bytes = size_t{4} << 20;
  set_action_limits(small);
  ActionRunContext ctx;
  // About 8 MiB of strings kept alive: over 4 MiB, far under the default.
  std::string script = "var a = []; for (var i = 0; i < 8192; i++) { a.push(new Array(1025).join(String.fromCharCode(65 + i % 26)) + i); } return a.length;";
  auto r = run_std_action("std.js", Value::dict({{"script", Value(script)}}), ctx);
  REQUIRE(r.failed);
  CHECK_THAT(r.error.as_string(), Catch::Contains("[executor] javascript_heap_mb"));
  CHECK_THAT(r.error.as_string(), Catch::Contains("4 MiB"));

  small.javascript_heap_bytes = size_t{64} << 20;
  set_action_limits(small);
  auto ok = run_std_action("std.js", Value::dict({{"script", Value(script)}}), ctx);
  REQUIRE_FALSE(ok.failed);
  CHECK(ok.data == Value(int64_t{8192}));
}
