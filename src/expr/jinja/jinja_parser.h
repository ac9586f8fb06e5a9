// expr/jinja/jinja_parser: Jinja2 expressions (Python-like precedence:
// conditional, or, and, not, comparisons and tests, +/-, ~, * / // %, **,
// unary, then attributes, items, calls and filters) and templates ({{ }},
// {% if/elif/else %}, {% for %} with else and an inline if, {% set %},
// {% with %}, {% filter %}, {% macro %}, {% call %}, {% raw %},
// {# #}, whitespace control with -, trim_blocks and lstrip_blocks as
// Mistral configures them).
#pragma once

#include <string_view>
#include <vector>

#include "bora/core/error.h"
#include "jinja_ast.h"

namespace bora::expr::jinja {

// The name a {% filter %} block's rendered body has in its filter
// expression: a control character, so no template can write it.
inline constexpr std::string_view kFilterBody = "\x01body";

Result<JNodePtr> parse_expression(std::string_view text);
Result<std::vector<StmtPtr>> parse_template(std::string_view text);

}  // namespace bora::expr::jinja
