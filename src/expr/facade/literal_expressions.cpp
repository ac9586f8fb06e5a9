#include <fmt/format.h>

#include "bora/expr/expression_port.h"
#include "bora/expr/template_scan.h"

namespace bora::expr {

namespace {

bool holds_expression(const Value& v) {
  if (v.is_string()) return has_expression(v.as_string());
  if (v.is_list()) {
    for (const auto& item : v.as_list())
      if (holds_expression(item)) return true;
  }
  if (v.is_dict()) {
    for (const auto& [k, item] : v.as_dict())
      if (has_expression(k) || holds_expression(item)) return true;
  }
  return false;
}

Error refused() {
  return Error{ErrorKind::BadInput,
               "this bora was built without the expression engine, so expressions (<% %>, {{ }}) cannot be evaluated"};
}

}  // namespace

Result<Value> LiteralExpressions::evaluate(const CompiledValue& value, const Value& data,
                                           const ExpressionScope& scope) const {
  return evaluate(static_cast<const Value&>(value), data, scope);
}

Result<Value> LiteralExpressions::evaluate(const Value& value, const Value&, const ExpressionScope&) const {
  if (holds_expression(value)) return refused();
  return value;
}

}  // namespace bora::expr
