// Inside a workflow Mistral's data context `_` is its ContextView
// (mistral/workflow/data_flow.py), a dict subclass whose own dict is empty:
// Jinja names it in its errors wherever the object goes, iterating it
// yields nothing, its len() and items() are the context's, and what would
// change it fails. Frozen from Mistral (scripts/gen_jinja_cases.py, with
// the context as a ContextView): test/data/expr/jinja/context_view.jsonl.
#include <catch2/catch.hpp>

#include "../frozen_cases.h"
#include "mistral_evaluate.h"

using namespace bora;

namespace {

Result<Value> workflow_evaluate(const std::string& text, const expr::EvalContext& given) {
  expr::EvalContext ctx = given;
  ctx.data_type_name = "mistral.workflow.data_flow.ContextView object";
  return test::mistral_evaluate(text, ctx);
}

}  // namespace

TEST_CASE("Jinja2 gives Mistral's answers when _ is a workflow's ContextView") {
  int total = test::check_frozen_cases("test/data/expr/jinja/context_view.jsonl", "text", workflow_evaluate);
  CHECK(total >= 10);
}
