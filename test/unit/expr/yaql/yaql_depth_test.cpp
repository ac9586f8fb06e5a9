// Hostile nesting in YAQL: every recursive step of the parser, every level of
// the tree it builds and every value the evaluator builds is bounded, so these
// fail with a message instead of exhausting a small thread stack.
#include <catch2/catch.hpp>

#include <vector>

#include "../../hostile_text.h"
#include "../../small_stack.h"
#include "bora/core/limits.h"
#include "bora/expr/yaql/yaql.h"

using namespace bora;
using bora::test::run_on_small_stack;

namespace {

using bora::test::repeat;

// Each nests 100 000 levels one way or another.
std::vector<std::string> hostile_expressions() {
  return {repeat("not ", 100000) + "true", repeat("-", 200000) + "1", "1" + repeat(" + 1", 100000),
          "$" + repeat(".a", 100000), "$" + repeat("[0]", 100000), "$" + repeat(".len()", 100000),
          "1" + repeat(" -> 1", 100000), repeat("(", 100000) + "1" + repeat(")", 100000),
          repeat("[", 100000) + repeat("]", 100000), repeat("f(", 100000) + repeat(")", 100000),
          repeat("{a => ", 100000) + "1" + repeat("}", 100000)};
}

// The parser takes well under 1 KiB of stack per nesting level; the exact
// limit messages are checked with room to reach the limit, then every hostile
// input again on 256 KiB (where the parser may stop earlier, cleanly).
std::string compile_error(const std::string& text, size_t stack = 1024 * 1024) {
  std::string error = "(compiled)";
  run_on_small_stack([&] {
    auto c = expr::yaql::compile(text);
    if (!c) error = c.error().message;
  }, stack);
  return error;
}

// The error (or "(evaluated)") of evaluating, on a small stack.
std::string eval_error(const std::string& text, const Value& data = Value(), size_t stack = bora::test::kSmallStack) {
  std::string error;
  run_on_small_stack([&] {
    auto c = expr::yaql::compile(text);
    if (!c) {
      error = "compile: " + c.error().message;
      return;
    }
    expr::EvalContext ctx{data};
    auto r = expr::yaql::evaluate(**c, ctx);
    error = r.ok() ? "(evaluated)" : r.error().message;
  }, stack);
  return error;
}

}  // namespace

TEST_CASE("YAQL: unary, operator, index and call chains are bounded", "[yaql][depth]") {
  for (const auto& text : hostile_expressions())
    CHECK_THAT(compile_error(text), Catch::Contains("nested deeper than 200 levels"));
  CHECK_THAT(compile_error(repeat("not ", 300) + "true"), Catch::Contains("[expressions] max_depth"));
  CHECK(compile_error(repeat("not ", 50) + "true") == "(compiled)");
  CHECK(compile_error("1" + repeat(" + 1", 150)) == "(compiled)");
}

TEST_CASE("YAQL: on a 256 KiB stack every hostile expression fails cleanly", "[yaql][depth]") {
  for (const auto& text : hostile_expressions())
    CHECK_THAT(compile_error(text, bora::test::kSmallStack), Catch::Contains("nested"));
}

TEST_CASE("YAQL: a value built step by step deeper than any input is refused", "[yaql][depth]") {
  // reduce wrapping a list in a list 100 000 times.
  CHECK_THAT(eval_error("range(100000).reduce([$1], [])"),
             Catch::Contains("built a value nested deeper than 1000 levels"));
  CHECK_THAT(eval_error("range(2000).reduce([$1], [[[1]]])"),
             Catch::Contains("built a value nested deeper than 1000 levels"));
  CHECK(eval_error("range(100).reduce([$1], [])") == "(evaluated)");
}

TEST_CASE("YAQL: the limit follows [expressions] max_depth", "[yaql][depth]") {
  set_expression_max_depth(20);
  CHECK_THAT(compile_error(repeat("not ", 30) + "true"), Catch::Contains("nested deeper than 20 levels"));
  set_expression_max_depth(kDefaultExpressionMaxDepth);
  CHECK(compile_error(repeat("not ", 30) + "true") == "(compiled)");
}

TEST_CASE("YAQL: an expression just under the limit evaluates on a small stack", "[yaql][depth]") {
  CHECK(eval_error(repeat("not ", 190) + "true") == "(evaluated)");
  CHECK(eval_error(repeat("(", 190) + "1" + repeat(")", 190)) == "(evaluated)");
  CHECK(eval_error("1" + repeat(" + 1", 190)) == "(evaluated)");
  CHECK(eval_error("$" + repeat(".where(true)", 190), Value::list({1})) == "(evaluated)");
  CHECK(eval_error(repeat("[", 190) + repeat("]", 190)) == "(evaluated)");
  // The largest [expressions] max_depth still fits a thread's 8 MiB.
  set_expression_max_depth(kMaxExpressionMaxDepth);
  CHECK(eval_error(repeat("[", 990) + repeat("]", 990), Value(), 8 << 20) == "(evaluated)");
  CHECK(eval_error(repeat("not ", 990) + "true", Value(), 8 << 20) == "(evaluated)");
  CHECK(eval_error("$" + repeat(".where(true)", 990), Value::list({1}), 8 << 20) == "(evaluated)");
  set_expression_max_depth(kDefaultExpressionMaxDepth);
}
