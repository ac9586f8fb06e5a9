#include <fmt/format.h>

#include "bora/expr/expression_port.h"

namespace bora::expr {

namespace {

bool holds_expression(const Value& v) {
  if (v.is_string()) {
    const std::string& s = v.as_string();
    return s.find("<%") != std::string::npos || s.find("{{") != std::string::npos ||
           s.find("{%") != std::string::npos;
  }
  if (v.is_list()) {
    for (const auto& item : v.as_list())
      if (holds_expression(item)) return true;
  }
  if (v.is_dict()) {
    for (const auto& [k, item] : v.as_dict())
      if (holds_expression(Value(k)) || holds_expression(item)) return true;
  }
  return false;
}

}  // namespace

Result<Value> LiteralExpressions::evaluate(const Value& value, const Value&, const ExpressionScope&) const {
  if (holds_expression(value)) {
    return bad_input(
        "this bora was built without the expression engine, so expressions (<% %>, {{ }}) cannot be evaluated");
  }
  return value;
}

}  // namespace bora::expr
