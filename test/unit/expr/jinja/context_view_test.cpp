// Inside a workflow Mistral's data context `_` is its ContextView
// (mistral/workflow/data_flow.py), a dict subclass whose own dict is empty:
// Jinja names it in its errors wherever the object goes, iterating it
// yields nothing, its len() and items() are the context's, and what would
// change it fails. Frozen from Mistral (scripts/gen_jinja_cases.py, with
// the context as a ContextView): test/data/expr/jinja/context_view.jsonl.
#include <catch2/catch.hpp>

#include "../frozen_cases.h"
#include "bora/core/regex.h"
#include "bora/expr/jinja/jinja.h"

using namespace bora;

namespace {

Result<Value> workflow_evaluate(const std::string& text, const expr::EvalContext& given) {
  expr::EvalContext ctx = given;
  ctx.data_type_name = "mistral.workflow.data_flow.ContextView object";
  static const Regex var = Regex::compile(R"(\{\{(.*?)\}\})").value();
  auto m = var.search(text, 0, RegexLimits{});
  if (!m) return m.error();
  if (*m && (*m)->begin() == 0 && (*m)->end() == text.size()) {
    auto e = expr::jinja::compile_expression(std::string((*m)->text(text, 1)));
    if (!e) return e.error();
    return expr::jinja::evaluate(**e, ctx);
  }
  auto t = expr::jinja::compile_template(text);
  if (!t) return t.error();
  return expr::jinja::render(**t, ctx);
}

}  // namespace

TEST_CASE("Jinja2 gives Mistral's answers when _ is a workflow's ContextView") {
  int total = test::check_frozen_cases("test/data/expr/jinja/context_view.jsonl", "text", workflow_evaluate);
  CHECK(total >= 10);
}
