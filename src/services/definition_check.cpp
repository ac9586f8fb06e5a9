#include "bora/services/definition_check.h"

#include "bora/lang/located_yaml.h"
#include "bora/lang/parser.h"
#include "bora/services/expression_check.h"

namespace bora::services {

namespace {

std::string names_summary(size_t n, const char* singular, const std::string& names) {
  return std::to_string(n) + " " + singular + (n == 1 ? "" : "s") + (names.empty() ? "" : ": " + names);
}

template <typename Specs>
std::string join_names(const Specs& specs) {
  std::string out;
  for (const auto& s : specs) out += (out.empty() ? "" : ", ") + s->name;
  return out;
}

}  // namespace

DefinitionCheck check_definition(std::string_view yaml_text, std::optional<lang::DocumentKind> kind) {
  DefinitionCheck out;
  if (kind) {
    out.kind = *kind;
  } else {
    lang::Problems ignored;
    auto doc = lang::load_located_yaml(yaml_text, ignored);
    out.kind = doc ? lang::guess_document_kind(doc->root) : lang::DocumentKind::Workflows;
  }
  switch (out.kind) {
    case lang::DocumentKind::Workflows: {
      auto parsed = lang::parse_workflows(yaml_text);
      if (!parsed.ok()) {
        out.problems = parsed.problems();
        break;
      }
      out.problems = check_expressions(*parsed->source);
      out.summary = names_summary(parsed->workflows.size(), "workflow", join_names(parsed->workflows));
      break;
    }
    case lang::DocumentKind::Workbook: {
      auto parsed = lang::parse_workbook(yaml_text);
      if (!parsed.ok()) {
        out.problems = parsed.problems();
        break;
      }
      out.problems = check_expressions(*parsed->source);
      const auto& wb = *parsed->workbook;
      out.summary = "workbook " + wb.name + ", " + names_summary(wb.workflows.size(), "workflow", "") + ", " +
                    names_summary(wb.actions.size(), "action", "");
      break;
    }
    case lang::DocumentKind::Actions: {
      auto parsed = lang::parse_actions(yaml_text);
      if (!parsed.ok()) {
        out.problems = parsed.problems();
        break;
      }
      out.problems = check_expressions(*parsed->source);
      out.summary = names_summary(parsed->actions.size(), "action", join_names(parsed->actions));
      break;
    }
  }
  return out;
}

}  // namespace bora::services
