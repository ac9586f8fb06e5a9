// expr/compiled: expressions compiled once. A CompiledTemplate is one string
// of a definition, scanned (expr/template_scan.h) and its expressions
// compiled: the literal parts kept as text, a lone expression marked as
// such. A CompiledValue is a Value (a spec field as written: a string, a
// list, a dict) that also holds the compiled template of every string with
// an expression in it, so that evaluating it never scans or parses text.
// The language parser (lang) builds them when it parses a definition; the
// engine evaluates them through ExpressionPort::evaluate(const CompiledValue&).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bora/core/error.h"
#include "bora/core/value.h"
#include "bora/expr/template_scan.h"

namespace bora::expr::yaql {
class Program;
}
namespace bora::expr::jinja {
class Expression;
class Template;
}  // namespace bora::expr::jinja

namespace bora::expr {

// A syntax error is kept, not returned: Mistral reports it when the
// expression is evaluated (with the data), and the definition checks report
// it when the definition is stored.
struct CompiledTemplate {
  std::string text;  // the string as written
  TemplateLanguage language = TemplateLanguage::None;
  bool lone = false;  // the whole string is one expression: its value keeps its type

  // YAQL: the literal text before each `<% %>`, the expression and its
  // program (or its syntax error); `tail` follows the last one.
  struct YaqlPart {
    std::string literal;
    std::string expression;
    std::shared_ptr<const yaql::Program> program;
    std::optional<Error> error;
  };
  std::vector<YaqlPart> yaql;
  std::string tail;
  // A Jinja string that also holds `<% %>` (the definition checks refuse
  // it; Mistral evaluates it as Jinja).
  bool mixed = false;

  // Jinja: a lone `{{ }}` compiles as an expression, anything else as a
  // template. A string with `{% %}` and no `{{ }}` is compiled too (the
  // definition checks report its syntax errors) but Mistral fails its
  // evaluation before compiling it ("list index out of range").
  bool jinja_has_expression = false;
  std::shared_ptr<const jinja::Expression> jinja_expression;
  std::shared_ptr<const jinja::Template> jinja_template;
  std::optional<Error> jinja_error;
};

// Scans and compiles one string (never fails: errors are kept).
std::shared_ptr<const CompiledTemplate> compile_template(std::string_view text);

// The same, compiled once per distinct text in the process: every
// execution re-parses its workflow's spec, and run-time values repeat the
// same strings, so they share the compiled templates (immutable, safe to
// share across threads). The cache is bounded by
// [expressions] template_cache_entries: when full it starts again empty
// (a flood of distinct texts only costs compiling them again).
std::shared_ptr<const CompiledTemplate> shared_template(std::string_view text);
size_t cached_templates();
constexpr size_t kDefaultTemplateCacheEntries = 10'000;
// A process-wide setting, as the regex limits: `bora server` sets it from
// its configuration at start-up; 0 keeps nothing.
void set_template_cache_entries(size_t entries);

// Structures nest at most this deep for evaluation (deeper: an error when
// evaluated, as before).
constexpr int kMaxEvaluatedDepth = 200;

class CompiledValue : public Value {
 public:
  CompiledValue() = default;
  // Compiles every string with an expression in it (list items and dict
  // values; a dict key is never evaluated, as in Mistral), through
  // shared_template.
  CompiledValue(Value value);  // NOLINT: a spec field is assigned Values

  // Whether evaluating it can give anything but the value itself.
  bool has_expressions() const noexcept { return root_ != nullptr; }
  // The compiled shape of the value: a template where a string has an
  // expression, children where a list or dict holds one somewhere.
  struct Node {
    std::shared_ptr<const CompiledTemplate> tmpl;
    std::vector<Node> items;   // one per list item / dict entry, in order
    bool constant = true;      // nothing below needs evaluating
    bool too_deep = false;     // nested deeper than kMaxEvaluatedDepth
  };
  const Node* root() const noexcept { return root_.get(); }

 private:
  std::shared_ptr<const Node> root_;  // null: no expression anywhere
};

}  // namespace bora::expr
