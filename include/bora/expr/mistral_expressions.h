// expr/mistral_expressions: the evaluator facade: Mistral's expression rules on top of the
// YAQL and Jinja2 engines (mistral/expressions/): Jinja2 (`{{ }}`, `{% %}`)
// looked for first, then `<% %>` found in strings (not across lines), a whole-string expression keeping its value's type, several
// interpolated with Python's str(), structures evaluated recursively (the
// values: like Mistral's evaluate_recursively, a dict key is never evaluated,
// which the real Mistral confirms), and Mistral's functions (task(), env(), execution(), json_dump(),
// json_parse(), uuid()). Compiled expressions are cached.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "bora/expr/budget.h"
#include "bora/expr/expression_port.h"

namespace bora::expr::yaql {
class Program;
}
namespace bora::expr::jinja {
class Expression;
class Template;
}

namespace bora::expr {

class MistralExpressions : public ExpressionPort {
 public:
  // Every expression evaluation (one `<% %>`, one Jinja expression or
  // template) gets a budget with these limits ([expressions] in bora.conf).
  explicit MistralExpressions(EvalLimits limits = {});
  ~MistralExpressions() override;
  Result<Value> evaluate(const Value& value, const Value& data, const ExpressionScope& scope) const override;

 private:
  Result<Value> evaluate_string(const std::string& text, const Value& data, const ExpressionScope& scope) const;
  Result<Value> evaluate_jinja(const std::string& text, const Value& data, const ExpressionScope& scope) const;
  Result<std::shared_ptr<const expr::yaql::Program>> program(const std::string& expression) const;

  mutable std::mutex mutex_;
  mutable std::map<std::string, std::shared_ptr<const expr::yaql::Program>> cache_;
  mutable std::map<std::string, std::shared_ptr<const expr::jinja::Expression>> jinja_exprs_;
  mutable std::map<std::string, std::shared_ptr<const expr::jinja::Template>> jinja_templates_;
  struct Functions;
  std::unique_ptr<Functions> functions_;
  EvalLimits limits_;
};

}  // namespace bora::expr
