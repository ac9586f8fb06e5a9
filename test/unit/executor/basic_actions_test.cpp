// std.echo, std.noop, std.fail, std.sleep, std.test_dict and the guarded
// runner: results, coercions, stopping.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>

#include "bora/executor/executor.h"
#include "bora/executor/std_actions.h"

using namespace bora;
using namespace bora::executor;

TEST_CASE("echo returns its output; a bad delay counts as none") {
  ActionRunContext ctx;
  auto r = run_std_action("std.echo", Value::dict({{"output", Value::list({Value(1), Value("a")})}}), ctx);
  REQUIRE_FALSE(r.failed);
  CHECK(r.data == Value::list({Value(1), Value("a")}));
  auto bad = run_std_action("std.echo", Value::dict({{"output", Value(1)}, {"delay", Value("soon")}}), ctx);
  CHECK(bad.data.as_int() == 1);
}

TEST_CASE("noop succeeds with null; fail fails with its error data or Mistral's message") {
  ActionRunContext ctx;
  auto noop = run_std_action("std.noop", Value::dict({}), ctx);
  CHECK_FALSE(noop.failed);
  CHECK(noop.data.is_null());
  auto plain = run_std_action("std.fail", Value::dict({}), ctx);
  CHECK(plain.failed);
  CHECK_THAT(plain.error.as_string(), Catch::StartsWith("The action raised an exception [") && Catch::EndsWith(", msg='" "Fail action expected exception." "']"));
  auto data = run_std_action("std.fail", Value::dict({{"error_data", Value::dict({{"code", Value(7)}})}}), ctx);
  CHECK(data.failed);
  CHECK(data.error["code"].as_int() == 7);
}

TEST_CASE("sleep sleeps, and stops when cancelled") {
  ActionRunContext ctx;
  auto t0 = std::chrono::steady_clock::now();
  CHECK_FALSE(run_std_action("std.sleep", Value::dict({{"seconds", Value(1)}}), ctx).failed);
  CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(950));
  std::atomic<bool> cancelled{true};
  ActionRunContext stop;
  stop.cancelled = &cancelled;
  t0 = std::chrono::steady_clock::now();
  auto r = run_std_action("std.sleep", Value::dict({{"seconds", Value(30)}}), stop);
  CHECK(r.failed);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
  CHECK_FALSE(run_std_action("std.sleep", Value::dict({{"seconds", Value(-5)}}), ctx).failed);
}

TEST_CASE("test_dict builds size entries") {
  ActionRunContext ctx;
  auto r = run_std_action("std.test_dict",
                          Value::dict({{"size", Value(3)}, {"key_prefix", Value("k")}, {"val", Value("v")}}), ctx);
  REQUIRE_FALSE(r.failed);
  CHECK(r.data.size() == 3);
  CHECK(r.data["k2"].as_string() == "v");
}

TEST_CASE("unknown actions and bad input are failures, not exceptions") {
  ActionRunContext ctx;
  auto r = run_std_action("std.nothing", Value::dict({}), ctx);
  CHECK(r.failed);
  CHECK_THAT(r.error.as_string(), Catch::Contains("std.nothing"));
  auto bad = run_std_action("std.echo", Value::dict({}), ctx);
  CHECK(bad.failed);
  CHECK_THAT(bad.error.as_string(), Catch::Contains("missing=['output']"));
}

TEST_CASE("noop, fail and echo without a delay are instant; a delay, sleep or I/O is not") {
  CHECK(is_instant_std_action("std.noop", Value::dict({})));
  CHECK(is_instant_std_action("std.fail", Value::dict({})));
  CHECK(is_instant_std_action("std.echo", Value::dict({{"output", Value(1)}, {"delay", Value(0)}})));
  CHECK(is_instant_std_action("std.echo", Value::dict({{"output", Value(1)}})));
  CHECK_FALSE(is_instant_std_action("std.echo", Value::dict({{"output", Value(1)}, {"delay", Value(0.5)}})));
  CHECK_FALSE(is_instant_std_action("std.echo", Value::dict({{"output", Value(1)}, {"delay", Value("1")}})));
  CHECK_FALSE(is_instant_std_action("std.sleep", Value::dict({{"seconds", Value(0)}})));
  CHECK_FALSE(is_instant_std_action("std.http", Value::dict({})));
  CHECK_FALSE(is_instant_std_action("std.async_noop", Value::dict({})));
}
