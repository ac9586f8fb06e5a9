// Frozen answers checked as the engine evaluates a task's string: through
// MistralExpressions (Mistral's functions registered), with errors compared
// as the generators keep them (scripts/gen_function_cases.py,
// gen_jinja_cases.py functions): the part after "error=", without the data
// dump.
#pragma once

#include <string>

#include "bora/expr/mistral_expressions.h"
#include "frozen_cases.h"

namespace bora::test {

inline int check_cases_through_mistral_expressions(const std::string& path) {
  expr::MistralExpressions e;
  return check_frozen_cases(path, "text", [&](const std::string& text, const expr::EvalContext& ctx) -> Result<Value> {
    auto r = e.evaluate(Value(text), ctx.data, expr::ExpressionScope{});
    if (r) return r;
    std::string m = r.error().message;
    if (size_t at = m.find("error="); at != std::string::npos) m = m.substr(at + 6);
    if (size_t at = m.rfind(", data="); at != std::string::npos) m = m.substr(0, at);
    return bad_input(m);
  });
}

}  // namespace bora::test
