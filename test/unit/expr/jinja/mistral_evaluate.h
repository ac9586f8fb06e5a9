// A Jinja2 string evaluated as Mistral's JinjaEvaluator does: a lone `{{ }}`
// is an expression keeping its type, anything else with `{{ }}` a template
// rendered to text, `{% %}` alone an error (its IndexError), no Jinja the
// text itself. Shared by the frozen-case tests.
#pragma once

#include <string>

#include "bora/core/regex.h"
#include "bora/expr/jinja/jinja.h"

namespace bora::test {

inline Result<Value> mistral_evaluate(const std::string& text, const expr::EvalContext& ctx) {
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

}  // namespace bora::test
