// Hostile nesting in Jinja2: every recursive step of the parser, every level
// of the tree it builds and every value the evaluator builds is bounded, so
// these fail with a message instead of exhausting a small thread stack.
#include <catch2/catch.hpp>

#include <vector>

#include "../../hostile_text.h"
#include "../../small_stack.h"
#include "bora/core/limits.h"
#include "bora/expr/jinja/jinja.h"
#include "support/sanitizers.h"

using namespace bora;
using bora::test::run_on_small_stack;

namespace {

using bora::test::repeat;

// Parsing takes ~1.4 KiB of stack per bracket level: the default limit (200)
// needs ~300 KiB, the largest (1000) under 2 MiB; Bora's threads have 8 MiB.
// On a smaller stack the parser stops before its end (next test case).
constexpr size_t kLimitStack = 1024 * 1024;

// The compile error of an expression, computed on a small stack.
std::string expression_error(const std::string& text, size_t stack = kLimitStack) {
  std::string error = "(compiled)";
  run_on_small_stack([&] {
    auto c = expr::jinja::compile_expression(text);
    if (!c) error = c.error().message;
  }, stack);
  return error;
}

std::string template_error(const std::string& text, size_t stack = kLimitStack) {
  std::string error = "(compiled)";
  run_on_small_stack([&] {
    auto c = expr::jinja::compile_template(text);
    if (!c) error = c.error().message;
  }, stack);
  return error;
}

// Each far deeper than any limit (200 by default, 1000 at most) and than a
// small stack holds; under the sanitizers 20 000 rather than 100 000 levels:
// the time goes with the text's length, and there the 256 KiB stack case
// took 24 s (5.5 s now).
const std::vector<std::string>& hostile_expressions() {
  constexpr size_t n = bora::test::kSlowdown > 1 ? 20000 : 100000;
  static const std::vector<std::string> all = {
      repeat("not ", n) + "1", repeat("- ", 2 * n) + "1", "1" + repeat(" + 1", n),
      "x" + repeat("|abs", n), "x" + repeat("[0]", n), repeat("(", n) + "1" + repeat(")", n),
      repeat("[", n) + repeat("]", n), repeat("{1:", n) + "1" + repeat("}", n),
      repeat("f(", n) + repeat(")", n), repeat("1 if 1 else ", n) + "1",
      repeat("+", 2 * n) + "1", "1" + repeat(" ** 1", n), "x" + repeat(" is divisibleby(1)", n),
      "x" + repeat(".a", n), "x" + repeat("()", n), "1" + repeat(" if 1 else 1", n)};
  return all;
}

}  // namespace

TEST_CASE("Jinja: unary chains, operator chains and filter chains are bounded", "[jinja][depth]") {
  for (const auto& text : hostile_expressions()) {
    INFO(text.substr(0, 24));
    CHECK_THAT(expression_error(text), Catch::Contains("nested deeper than 200 levels"));
  }
  CHECK_THAT(expression_error(repeat("not ", 300) + "1"), Catch::Contains("[expressions] max_depth"));
  // A sane depth still compiles.
  CHECK(expression_error(repeat("not ", 50) + "1") == "(compiled)");
  CHECK(expression_error("1" + repeat(" + 1", 150)) == "(compiled)");
}

TEST_CASE("Jinja: on a 256 KiB stack every hostile expression and template fails cleanly", "[jinja][depth]") {
  for (const auto& text : hostile_expressions()) {
    CHECK_THAT(expression_error(text, bora::test::kSmallStack), Catch::Contains("nested"));
    CHECK_THAT(template_error("{{ " + text + " }}", bora::test::kSmallStack), Catch::Contains("nested"));
  }
  CHECK_THAT(template_error(repeat("{% if true %}", 10000) + repeat("{% endif %}", 10000), bora::test::kSmallStack),
             Catch::Contains("nested"));
  CHECK_THAT(template_error(repeat("{% for i in [1] %}", 10000) + repeat("{% endfor %}", 10000), bora::test::kSmallStack),
             Catch::Contains("nested"));
}

TEST_CASE("Jinja: template block nesting is bounded", "[jinja][depth]") {
  CHECK_THAT(template_error(repeat("{% if true %}", 10000) + "x" + repeat("{% endif %}", 10000)),
             Catch::Contains("nested deeper than 200 levels ({% if %}"));
  CHECK_THAT(template_error(repeat("{% for i in [1] %}", 10000) + "x" + repeat("{% endfor %}", 10000)),
             Catch::Contains("nested deeper than 200 levels ({% for %}"));
  CHECK_THAT(template_error("{% if x %}a" + repeat("{% elif x %}a", 10000) + "{% endif %}"),
             Catch::Contains("nested deeper than 200 levels"));
  CHECK_THAT(template_error("{{ " + repeat("not ", 100000) + "1 }}"), Catch::Contains("nested deeper than 200"));
  CHECK(template_error(repeat("{% if true %}", 100) + "x" + repeat("{% endif %}", 100)) == "(compiled)");
}

TEST_CASE("Jinja: the limit follows [expressions] max_depth", "[jinja][depth]") {
  set_expression_max_depth(20);
  CHECK_THAT(expression_error(repeat("not ", 30) + "1"), Catch::Contains("nested deeper than 20 levels"));
  set_expression_max_depth(kDefaultExpressionMaxDepth);
  CHECK(expression_error(repeat("not ", 30) + "1") == "(compiled)");
}

TEST_CASE("Jinja: a value built deeper than any input is refused when built", "[jinja][depth]") {
  // Each step wraps the previous list; evaluated on a small stack.
  std::string error;
  run_on_small_stack([&] {
    Value data = Value::dict({{"x", Value::list({})}});
    for (int i = 0; i < 995; ++i) data = Value::dict({{"x", Value::list({data["x"]})}});
    auto e = expr::jinja::compile_expression("[[[[[[[[_.x]]]]]]]]");
    if (!e) {
      error = "compile: " + e.error().message;
      return;
    }
    expr::EvalContext ctx{data};
    auto r = expr::jinja::evaluate(**e, ctx);
    error = r.ok() ? "(evaluated)" : r.error().message;
  });
  CHECK_THAT(error, Catch::Contains("built a value nested deeper than 1000 levels"));
}

// Parsing takes ~1.4 KiB of stack per bracket level and evaluating ~1 KiB:
// the default limit (200) needs well under 1 MiB, the largest (1000) under
// 4 MiB; Bora's threads have 8 MiB.
TEST_CASE("Jinja: an expression or template just under the limit evaluates on a small stack", "[jinja][depth]") {
  auto evaluate_error = [](const std::string& text, size_t stack = 1024 * 1024) {
    std::string error;
    run_on_small_stack([&] {
      Value data = Value::dict({{"x", Value(1)}});
      expr::EvalContext ctx{data};
      auto e = expr::jinja::compile_expression(text);
      if (!e) {
        error = "compile: " + e.error().message;
        return;
      }
      auto r = expr::jinja::evaluate(**e, ctx);
      error = r.ok() ? "(evaluated)" : r.error().message;
    }, stack);
    return error;
  };
  CHECK(evaluate_error(repeat("not ", 190) + "1") == "(evaluated)");
  CHECK(evaluate_error(repeat("- ", 190) + "1") == "(evaluated)");
  CHECK(evaluate_error("_.x" + repeat("|abs", 190)) == "(evaluated)");
  CHECK(evaluate_error("1" + repeat(" + 1", 190)) == "(evaluated)");
  CHECK(evaluate_error(repeat("[", 190) + repeat("]", 190)) == "(evaluated)");
  std::string rendered;
  run_on_small_stack([&] {
    Value data = Value::dict({});
    expr::EvalContext ctx{data};
    auto t = expr::jinja::compile_template(repeat("{% if true %}", 190) + "deep" + repeat("{% endif %}", 190));
    if (!t) {
      rendered = "compile: " + t.error().message;
      return;
    }
    auto r = expr::jinja::render(**t, ctx);
    rendered = r.ok() ? r->as_string() : r.error().message;
  }, 1024 * 1024);
  CHECK(rendered == "deep");

  // The largest [expressions] max_depth still fits a thread's 8 MiB.
  set_expression_max_depth(kMaxExpressionMaxDepth);
  CHECK(evaluate_error(repeat("[", 990) + repeat("]", 990), 8 << 20) == "(evaluated)");
  CHECK(evaluate_error(repeat("(", 990) + "_.x" + repeat("|abs)", 990), 8 << 20) == "(evaluated)");
  CHECK_THAT(evaluate_error(repeat("[", 5000) + repeat("]", 5000), 8 << 20),
             Catch::Contains("nested deeper than 1000 levels"));
  set_expression_max_depth(kDefaultExpressionMaxDepth);
}

namespace {

// The text or error of a template rendered on a thread with `stack` bytes.
std::string render_on(const std::string& text, size_t stack) {
  std::string rendered;
  run_on_small_stack([&] {
    Value data = Value::dict({});
    expr::EvalContext ctx{data};
    auto t = expr::jinja::compile_template(text);
    if (!t) {
      rendered = "compile: " + t.error().message;
      return;
    }
    auto r = expr::jinja::render(**t, ctx);
    rendered = r.ok() ? r->as_string() : r.error().message;
  }, stack);
  return rendered;
}

}  // namespace

TEST_CASE("Jinja: a macro or a recursive loop calling itself without end fails cleanly, even on a small stack",
          "[jinja][depth]") {
  const std::string endless_macro = "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}";
  const std::string endless_loop = "{% for x in [1] recursive %}{{ loop([x]) }}{% endfor %}{{ 1 }}";
  const std::string endless_caller =
      "{% macro f() %}{% call f() %}{{ caller() }}{% endcall %}{% endmacro %}{{ f() }}";
  // On Bora's 8 MiB: Python's recursion limit as Jinja meets it.
  CHECK(render_on(endless_macro, 8 << 20) == "maximum recursion depth exceeded while calling a Python object");
  CHECK(render_on(endless_caller, 8 << 20) == "maximum recursion depth exceeded while calling a Python object");
  CHECK_THAT(render_on(endless_loop, 8 << 20), Catch::Contains("recurses too deeply"));
  // On 256 KiB the stack guard stops first; either way a message, no crash.
  for (const auto& text : {endless_macro, endless_loop, endless_caller}) {
    std::string r = render_on(text, bora::test::kSmallStack);
    CHECK_THAT(r, Catch::Contains("deep") || Catch::Contains("recursion") || Catch::Contains("stack"));
  }
  // A deep but finite recursion renders, as in Jinja (150 levels pass there).
  CHECK(render_on("{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{% else %}end{% endif %}{% endmacro %}{{ f(150) }}",
                  8 << 20) == "end");
  // Nesting of the new blocks is bounded by the parser like if/for.
  for (const char* block : {"with", "filter upper", "macro m()", "call m()"}) {
    std::string word = std::string(block).substr(0, std::string(block).find(' '));
    std::string text = repeat(std::string("{% ") + block + " %}", 10000) + "x" + repeat("{% end" + word + " %}", 10000);
    CHECK_THAT(template_error(text, bora::test::kSmallStack), Catch::Contains("nested"));
  }
}
