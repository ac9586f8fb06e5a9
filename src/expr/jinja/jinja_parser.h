// expr/jinja/jinja_parser: Jinja2 expressions (Python-like precedence:
// conditional, or, and, not, comparisons and tests, +/-, ~, * / // %, **,
// unary, then attributes, items, calls and filters) and templates ({{ }},
// {% if/elif/else %}, {% for %} with else and an inline if, {% set %},
// {# #}, whitespace control with -, trim_blocks and lstrip_blocks as
// Mistral configures them).
#pragma once

#include <string_view>
#include <vector>

#include "bora/core/error.h"
#include "jinja_ast.h"

namespace bora::expr::jinja {

Result<JNodePtr> parse_expression(std::string_view text);
Result<std::vector<StmtPtr>> parse_template(std::string_view text);

}  // namespace bora::expr::jinja
