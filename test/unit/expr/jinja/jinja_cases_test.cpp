// Every frozen answer of the real Mistral for a Jinja2 string
// (scripts/gen_jinja_cases.py). The string is handled as Mistral's
// JinjaEvaluator does: a lone `{{ }}` is an expression keeping its type,
// anything else with `{{ }}` a template rendered to text, `{% %}` alone an
// error.
#include <catch2/catch.hpp>

#include "../frozen_cases.h"
#include "bora/core/regex.h"
#include "bora/expr/jinja/jinja.h"

using namespace bora;

namespace {

Result<Value> mistral_evaluate(const std::string& text, const expr::EvalContext& ctx) {
  static const Regex var = Regex::compile(R"(\{\{(.*?)\}\})").value();
  static const Regex block = Regex::compile(R"(\{%(.*?)%\})").value();
  auto m = var.search(text, 0, RegexLimits{});
  if (!m) return m.error();
  if (!*m) {
    auto b = block.search(text, 0, RegexLimits{});
    if (!b) return b.error();
    if (*b) return bad_input("list index out of range");
    return Value(text);  // no Jinja in it
  }
  if ((*m)->begin() == 0 && (*m)->end() == text.size()) {
    auto e = expr::jinja::compile_expression(std::string((*m)->text(text, 1)));
    if (!e) return e.error();
    return expr::jinja::evaluate(**e, ctx);
  }
  auto t = expr::jinja::compile_template(text);
  if (!t) return t.error();
  return expr::jinja::render(**t, ctx);
}

}  // namespace

TEST_CASE("Jinja2 gives Mistral's answers") {
  int total = test::check_frozen_cases("test/data/expr/jinja/cases.jsonl", "text", mistral_evaluate);
  CHECK(total >= 100);
}

// Python's strings in Jinja (scripts/python_string_cases.py): %
// formatting, the format filter, str.format, Unicode case methods and
// filters, string literal escapes.
TEST_CASE("Jinja2 gives Mistral's answers for Python's strings") {
  int total = test::check_frozen_cases("test/data/expr/jinja/strings.jsonl", "text", mistral_evaluate);
  CHECK(total >= 2000);
}
