// expr/template_scan: the one place that knows where the expressions of a
// string are, with Mistral's rules (mistral/expressions/): YAQL's `<% %>`
// (INLINE_YAQL_REGEXP `<%.*?%>`) and Jinja2's `{{ }}` / `{% %}`
// (JINJA_REGEXP, JINJA_BLOCK_REGEXP), each non-greedy and on one line (the
// regexes are not DOTALL). Jinja is looked for first: a string with any
// Jinja part is a Jinja template, else a string with `<% %>` parts is YAQL.
// A lone expression (the whole string is one part) keeps its value's type;
// otherwise the parts are interpolated as text. Used by the evaluator, the
// definition checks, the language parser (with-items, command lines) and the
// engine, so that all of them agree on what is an expression.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace bora::expr {

struct Delimiters {
  std::string_view open, close;
};
inline constexpr Delimiters kYaqlDelimiters{"<%", "%>"};
inline constexpr Delimiters kJinjaExpressionDelimiters{"{{", "}}"};
inline constexpr Delimiters kJinjaStatementDelimiters{"{%", "%}"};

// A part of a string: [begin, end) covers the delimiters too.
struct Span {
  size_t begin = 0, end = 0;
};

// Where `open ... close` starting exactly at `at` ends (past close), with no
// newline in between; the first close (Mistral's `.*?`) or, greedy, the last
// one on that line (`.*`). npos when the text at `at` is not such a part.
size_t delimited_end(std::string_view s, size_t at, Delimiters d, bool greedy = false);

// The first `open ... close` part on one line at or after `from`.
std::optional<Span> find_delimited(std::string_view s, Delimiters d, size_t from = 0);

enum class TemplateLanguage { None, Yaql, Jinja };

// A `<% %>` part and the expression inside, blanks around it trimmed.
struct YaqlPart {
  Span span;
  std::string_view expression;
};

struct TemplateScan {
  TemplateLanguage language = TemplateLanguage::None;
  // The string is one expression: a lone `<% %>`, or a first `{{ }}` that
  // is the whole string. Its result keeps its type.
  bool lone = false;
  // Every `<% %>` part, in order (also found in a Jinja string, so that a
  // check can say the string mixes both).
  std::vector<YaqlPart> yaql;
  // Jinja: the first `{{ }}` part (none: Mistral fails the evaluation).
  std::optional<Span> jinja_expression;
};

// Finds the expressions of a string (views into s).
TemplateScan scan_template(std::string_view s);

// Whether the string holds an expression Mistral would evaluate.
bool has_expression(std::string_view s);

// Mistral's schema type EXPRESSION (mistral/lang/types.py): the string,
// trailing blanks aside, opens with `<%` and closes with `%>` (or `{{` and
// `}}`), on one line. This is a shape, not an evaluation rule: `<% a %> <% b %>`
// has it.
bool expression_shaped(std::string_view s);

}  // namespace bora::expr
