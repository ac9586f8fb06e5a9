#include "bora/services/expression_check.h"

#include <fmt/format.h>

#include "bora/expr/compiled.h"
#include "bora/expr/jinja/jinja.h"
#include "bora/expr/template_scan.h"
#include "bora/expr/yaql/yaql.h"
#include "bora/lang/expression_places.h"

namespace bora::services {

namespace {

// The expression as quoted in a message: a hostile one can be megabytes long,
// and the path and line:column already say where it is.
std::string shown(const std::string& text) {
  constexpr size_t kShown = 80;
  if (text.size() <= kShown) return text;
  size_t cut = kShown;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  return text.substr(0, cut) + "... (" + std::to_string(text.size()) + " characters)";
}

}  // namespace

lang::Problems check_expressions(const lang::LocatedDocument& doc, lang::DocumentKind kind) {
  lang::Problems problems;
  lang::for_each_expression_text(doc, kind, [&](const lang::ExpressionText& e) {
    auto report = [&](std::string message, std::string mistral = {}) {
      if (e.checked_by_mistral) {
        problems.push_back({e.path, e.pos, std::move(message), lang::Severity::error, std::move(mistral)});
      } else {
        problems.push_back({e.path, e.pos,
                            std::move(message) + " (accepted, as Mistral does not check expressions here; it fails "
                                                 "when evaluated)",
                            lang::Severity::warning});
      }
    };
    // The evaluator's own compilation: what it would refuse is found now,
    // and the compiled template is kept (by text) for the parses of this
    // definition that follow, the executions' included.
    auto t = expr::shared_template(e.text);
    if (t->mixed) {
      report(fmt::format("'{}' mixes Jinja2 and YAQL expressions; Mistral evaluates one language per string: write "
                         "it with one of them",
                         shown(e.text)));
      return;
    }
    size_t pos = 0;
    for (const auto& part : t->yaql) {
      size_t begin = pos + part.literal.size();
      size_t end = expr::delimited_end(e.text, begin, expr::kYaqlDelimiters);
      if (end == std::string::npos) break;  // cannot happen: the scan found it so
      pos = end;
      if (!part.error) continue;
      // Mistral checks the text between the delimiters as written (blanks
      // kept: InlineYAQLEvaluator.validate strips only "<%>"), so yaql's
      // positions count the blank after `<%`, and its words lead the error.
      auto as_mistral = expr::yaql::compile(std::string_view(e.text).substr(begin + 2, end - begin - 4));
      std::string words = as_mistral ? part.error->message : as_mistral.error().message;
      report(fmt::format("YAQL syntax error in <% {} %>: {}", shown(part.expression), words), words);
    }
    if (t->jinja_error) {
      // Mistral parses the whole string as a template (env.parse) and says
      // "Syntax error '<Jinja's message>'.".
      auto as_template = expr::jinja::compile_template(e.text);
      std::string jinja_words = as_template ? t->jinja_error->message : as_template.error().message;
      report(fmt::format("Jinja2 syntax error in {}: {}", shown(e.text), jinja_words),
             fmt::format("Syntax error '{}'.", jinja_words));
    }
  });
  return problems;
}

}  // namespace bora::services
