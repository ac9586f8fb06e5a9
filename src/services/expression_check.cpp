#include "bora/services/expression_check.h"

#include <fmt/format.h>

#include "bora/expr/compiled.h"

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

lang::Problems check_expressions(const lang::LocatedDocument& doc) {
  lang::Problems problems;
  lang::for_each_string(doc, [&](const std::string& path, lang::SourcePos pos, const std::string& text) {
    // The evaluator's own compilation: what it would refuse is refused now,
    // and the compiled template is kept (by text) for the parses of this
    // definition that follow, the executions' included.
    auto t = expr::shared_template(text);
    if (t->mixed) {
      problems.push_back({path, pos,
                          fmt::format("'{}' mixes Jinja2 and YAQL expressions; Mistral evaluates one language per "
                                      "string: write it with one of them",
                                      shown(text))});
      return;
    }
    for (const auto& part : t->yaql)
      if (part.error)
        problems.push_back(
            {path, pos, fmt::format("YAQL syntax error in <% {} %>: {}", shown(part.expression), part.error->message)});
    if (t->jinja_error)
      problems.push_back({path, pos, fmt::format("Jinja2 syntax error in {}: {}", shown(text), t->jinja_error->message)});
  });
  return problems;
}

}  // namespace bora::services
