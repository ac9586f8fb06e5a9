// expr/jinja: Jinja2 as Mistral configures it (SandboxedEnvironment,
// StrictUndefined, trim_blocks, lstrip_blocks), in C++.
// Two compiled forms, both immutable and shareable across threads:
// an Expression (the inside of a lone `{{ ... }}`, giving a native value)
// and a Template (a whole string rendered to text).
#pragma once

#include <memory>
#include <string_view>

#include "bora/core/error.h"
#include "bora/core/value.h"
#include "bora/expr/eval_context.h"

namespace bora::expr::jinja {

class Expression;  // opaque: src/expr/jinja/
class Template;    // opaque: src/expr/jinja/

// Compiles the text inside `{{ }}` as Jinja2's Environment.compile_expression.
Result<std::shared_ptr<const Expression>> compile_expression(std::string_view expression);
// Compiles a whole template (text with {{ }}, {% %}, {# #}).
Result<std::shared_ptr<const Template>> compile_template(std::string_view source);

// The native value of the expression (a list stays a list).
Result<Value> evaluate(const Expression& expression, const EvalContext& ctx);
// The rendered text, values printed with Python's str(), as a string Value.
Result<Value> render(const Template& tmpl, const EvalContext& ctx);

}  // namespace bora::expr::jinja
