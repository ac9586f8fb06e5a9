// Fuzz target: YAQL, compiled and evaluated as the engine does: the bare
// expression through expr/yaql (compile, evaluate, evaluate_to_text, the
// result written as JSON as it is stored), then inside `<% %>` through the
// evaluator facade, with Mistral's functions (task(), env(), json_parse(),
// ...) and a scope that answers task() and tasks().
// Evaluation budgets are set small (fuzz::small_limits).
#include "fuzz_support.h"

#include "bora/expr/mistral_expressions.h"
#include "bora/expr/yaql/yaql.h"

using namespace bora;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::quiet_logs();
  return 0;
}

namespace {

const expr::ExpressionScope& sample_scope() {
  static const expr::ExpressionScope scope = [] {
    expr::ExpressionScope s;
    s.workflow_execution_id = "2f0c2b55-4a3c-4b2e-9a57-1b6a1f7c0001";
    s.workflow_name = "wf";
    s.task_execution_id = "2f0c2b55-4a3c-4b2e-9a57-1b6a1f7c0002";
    s.task_name = "t1";
    s.task_result = fuzz::sample_data();
    s.task_state = Value("SUCCESS");
    s.env = Value::dict({{"region", Value("north")}, {"n", Value(3)}});
    s.task_lookup = [](const std::string& name) {
      return Value::dict({{"name", Value(name)}, {"state", Value("SUCCESS")}, {"result", Value(1)}});
    };
    return s;
  }();
  return scope;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  const Value& context = fuzz::sample_data();
  if (auto program = expr::yaql::compile(text); program.ok()) {
    expr::EvalBudget budget(fuzz::small_limits());
    expr::EvalContext ctx{context};
    ctx.budget = &budget;
    if (auto v = expr::yaql::evaluate(**program, ctx); v.ok()) (void)to_json(*v);
    (void)expr::yaql::evaluate_to_text(**program, ctx);
  }
  static const expr::MistralExpressions facade(fuzz::small_limits());
  auto v = facade.evaluate(Value("<% " + std::string(text) + " %>"), context, sample_scope());
  if (v.ok()) (void)to_json(*v, JsonFormat::python());
  return 0;
}
