// Fuzz target: Jinja, compiled and evaluated as the engine does: the text as
// a lone expression (compile_expression, evaluate) and as a whole template
// (compile_template, render), then as a string value through the evaluator
// facade, which finds `{{ }}` / `{% %}` itself and adds Mistral's functions.
// Evaluation budgets are set small (fuzz::small_limits).
#include "fuzz_support.h"

#include "bora/expr/jinja/jinja.h"
#include "bora/expr/mistral_expressions.h"

using namespace bora;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::quiet_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  const Value& context = fuzz::sample_data();
  expr::EvalBudget budget(fuzz::small_limits());
  expr::EvalContext ctx{context};
  ctx.budget = &budget;
  if (auto e = expr::jinja::compile_expression(text); e.ok()) {
    if (auto v = expr::jinja::evaluate(**e, ctx); v.ok()) (void)to_json(*v);
  }
  if (auto t = expr::jinja::compile_template(text); t.ok()) (void)expr::jinja::render(**t, ctx);
  static const expr::MistralExpressions facade(fuzz::small_limits());
  expr::ExpressionScope scope;
  scope.env = Value::dict({{"region", Value("north")}});
  auto v = facade.evaluate(Value(std::string(text)), context, scope);
  if (v.ok()) (void)to_json(*v, JsonFormat::python());
  return 0;
}
