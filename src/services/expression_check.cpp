#include "bora/services/expression_check.h"

#include <fmt/format.h>

#include "bora/expr/compiled.h"
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
    auto report = [&](std::string message) {
      if (e.checked_by_mistral) {
        problems.push_back({e.path, e.pos, std::move(message)});
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
    for (const auto& part : t->yaql)
      if (part.error) report(fmt::format("YAQL syntax error in <% {} %>: {}", shown(part.expression), part.error->message));
    if (t->jinja_error) report(fmt::format("Jinja2 syntax error in {}: {}", shown(e.text), t->jinja_error->message));
  });
  return problems;
}

}  // namespace bora::services
