#include "bora/services/definition_check.h"

#include <fmt/format.h>

#include "bora/core/log.h"
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

void append(lang::Problems& to, lang::Problems more) {
  for (auto& p : more) to.push_back(std::move(p));
}

}  // namespace

void log_definition_warnings(const lang::Problems& problems, std::string_view what) {
  for (const auto& line : warning_lines(problems)) log::warning("definitions", "{} accepted with a warning: {}", what, line);
}

std::vector<std::string> warning_lines(const lang::Problems& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems) {
    if (!p.is_warning()) continue;
    std::string line = lang::format_problems({p});
    if (!line.empty() && line.back() == '\n') line.pop_back();
    out.push_back(std::move(line));
  }
  return out;
}

std::optional<std::vector<std::string>> names_refused_only_on_store(const lang::Problems& problems,
                                                                    std::string_view yaml_text,
                                                                    lang::DocumentKind kind) {
  bool any = false;
  for (const auto& p : problems) {
    if (p.is_warning()) continue;
    if (!p.on_store) return std::nullopt;
    any = true;
  }
  if (!any) return std::nullopt;
  lang::Problems ignored;
  auto doc = lang::load_located_yaml(yaml_text, ignored);
  if (!doc || !doc->root.is_dict()) return std::nullopt;
  std::vector<std::string> names;
  if (kind == lang::DocumentKind::Workbook) {
    const Value* name = doc->root.find("name");
    if (!name || !name->is_string()) return std::nullopt;
    names.push_back(name->as_string());
    return names;
  }
  for (const auto& [name, v] : doc->root.as_dict())
    if (name != "version") names.push_back(name);
  return names;
}

Error more_than_one_refused(std::string_view what, const std::string& identifier) {
  return Error{ErrorKind::BadInput,
               fmt::format("More than one {} are not supported for update with identifier. [identifier: {}]", what,
                           identifier)};
}

std::optional<Error> update_refused_before_store(const lang::Problems& problems, std::string_view yaml_text,
                                                 lang::DocumentKind kind, std::string_view what,
                                                 const std::optional<std::string>& identifier,
                                                 const std::function<bool(const std::string&)>& exists,
                                                 const std::function<std::string(const std::string&)>& not_found_words) {
  auto names = names_refused_only_on_store(problems, yaml_text, kind);
  if (!names) return std::nullopt;
  if (identifier && names->size() > 1) return more_than_one_refused(what, *identifier);
  for (const auto& name : *names) {
    const std::string& key = identifier ? *identifier : name;
    if (!exists(key)) return Error{ErrorKind::NotFound, not_found_words(key)};
    if (name.find(' ') != std::string::npos) break;  // found: its model refuses the name
  }
  return std::nullopt;
}

DefinitionCheck as_validated(DefinitionCheck check) {
  for (const auto& p : check.problems)
    if (!p.is_warning() && !p.on_store) return check;
  for (auto& p : check.problems) {
    if (!p.on_store) continue;
    p.severity = lang::Severity::warning;
    p.message += " (creating it is refused)";
  }
  return check;
}

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
      out.problems = parsed.problems();  // its warnings
      append(out.problems, check_expressions(*parsed->source, out.kind));
      out.summary = names_summary(parsed->workflows.size(), "workflow", join_names(parsed->workflows));
      break;
    }
    case lang::DocumentKind::Workbook: {
      auto parsed = lang::parse_workbook(yaml_text);
      if (!parsed.ok()) {
        out.problems = parsed.problems();
        break;
      }
      out.problems = parsed.problems();  // its warnings
      append(out.problems, check_expressions(*parsed->source, out.kind));
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
      out.problems = parsed.problems();  // its warnings
      append(out.problems, check_expressions(*parsed->source, out.kind));
      out.summary = names_summary(parsed->actions.size(), "action", join_names(parsed->actions));
      break;
    }
  }
  return out;
}

}  // namespace bora::services
