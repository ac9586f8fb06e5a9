// expr/mistral_expressions: the evaluator facade: Mistral's expression rules on top of the
// YAQL and Jinja2 engines (mistral/expressions/): Jinja2 (`{{ }}`, `{% %}`)
// looked for first, then `<% %>` found in strings (not across lines), a whole-string expression keeping its value's type, several
// interpolated with Python's str(), structures evaluated recursively (the
// values: like Mistral's evaluate_recursively, a dict key is never evaluated,
// which the real Mistral confirms), and Mistral's functions (task(), env(), execution(), json_dump(),
// json_parse(), uuid()). A definition's values arrive compiled
// (expr/compiled.h); values built at run time are compiled when evaluated
// (each distinct string once: expr::shared_template).
#pragma once

#include <memory>

#include "bora/expr/budget.h"
#include "bora/expr/compiled.h"
#include "bora/expr/expression_port.h"

namespace bora::expr {

class MistralExpressions : public ExpressionPort {
 public:
  // Every expression evaluation (one `<% %>`, one Jinja expression or
  // template) gets a budget with these limits ([expressions] in bora.conf).
  explicit MistralExpressions(EvalLimits limits = {});
  ~MistralExpressions() override;
  Result<Value> evaluate(const CompiledValue& value, const Value& data, const ExpressionScope& scope) const override;
  Result<Value> evaluate(const Value& value, const Value& data, const ExpressionScope& scope) const override;

 private:
  // yield_at: when the whole value's evaluation must stop (scope.yield_after_ms).
  Result<Value> evaluate_template(const CompiledTemplate& t, const Value& data, const ExpressionScope& scope,
                                  EvalBudget::Deadline yield_at) const;
  Result<Value> evaluate_jinja(const CompiledTemplate& t, const Value& data, const ExpressionScope& scope,
                               EvalBudget::Deadline yield_at) const;
  Result<Value> evaluate_yaql(const CompiledTemplate& t, const Value& data, const ExpressionScope& scope,
                              EvalBudget::Deadline yield_at) const;
  struct Functions;
  std::unique_ptr<Functions> functions_;
  EvalLimits limits_;
};

}  // namespace bora::expr
