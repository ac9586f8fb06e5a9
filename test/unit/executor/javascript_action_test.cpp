// std.javascript: the script is a function body, $ is the context.
#include <catch2/catch.hpp>

#include "bora/executor/executor.h"

using namespace bora;
using namespace bora::executor;

TEST_CASE("a script returns a value computed from $") {
  ActionRunContext ctx;
  auto r = run_std_action(
      "std.javascript",
      Value::dict({{"script", Value("return $.items.map(function (x) { return x * 2; });")},
                   {"context", Value::dict({{"items", Value::list({Value(1), Value(2)})}})}}),
      ctx);
  REQUIRE_FALSE(r.failed);
  CHECK(r.data == Value::list({Value(2), Value(4)}));
  auto obj = run_std_action("std.js", Value::dict({{"script", Value("return {a: 'é', n: null};")}}), ctx);
  REQUIRE_FALSE(obj.failed);
  CHECK(obj.data["a"].as_string() == "é");
  auto none = run_std_action("std.js", Value::dict({{"script", Value("var x = 1;")}}), ctx);
  REQUIRE_FALSE(none.failed);
  CHECK(none.data.is_null());
}

TEST_CASE("script errors and runaway memory are action failures") {
  ActionRunContext ctx;
  auto syntax = run_std_action("std.js", Value::dict({{"script", Value("return (;")}}), ctx);
  CHECK(syntax.failed);
  CHECK_THAT(syntax.error.as_string(), Catch::Contains(", msg=\'" "JavaScriptAction failed: SyntaxError"));
  auto thrown = run_std_action("std.js", Value::dict({{"script", Value("throw new Error('boom');")}}), ctx);
  CHECK(thrown.failed);
  CHECK_THAT(thrown.error.as_string(), Catch::Contains("boom"));
  auto hog = run_std_action(
      "std.js", Value::dict({{"script", Value("var s = 'x'; while (true) { s = s + s; } return 1;")}}), ctx);
  CHECK(hog.failed);
}

TEST_CASE("std.javascript that never ends is stopped at the deadline") {
  ActionRunContext ctx;
  ctx.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
  auto r = run_std_action("std.js", Value::dict({{"script", Value("while (true) {}")}}), ctx);
  REQUIRE(r.failed);
  CHECK_THAT(r.error.as_string(), Catch::Contains("the action was stopped"));
}
