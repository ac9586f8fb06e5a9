// services/definition_check: the one place that decides whether a definition
// text is acceptable: the language model's structural checks plus a compile
// of every expression in it. The REST API (create, update, validate) and
// `bora validate` both use it, so they refuse exactly the same things.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bora/lang/document_kind.h"
#include "bora/lang/problem.h"

namespace bora::services {

struct DefinitionCheck {
  lang::DocumentKind kind = lang::DocumentKind::Workflows;
  lang::Problems problems;  // errors and warnings; no errors when valid
  std::string summary;      // e.g. "2 workflows: wf1, wf2"
  bool valid() const { return !lang::has_errors(problems); }
};

// kind: nullopt guesses it from the document (see lang::guess_document_kind).
DefinitionCheck check_definition(std::string_view yaml_text, std::optional<lang::DocumentKind> kind = std::nullopt);

// The check as the REST validate endpoints answer it: Mistral's only parse,
// so what it refuses only when storing (Problem::on_store, a name with
// spaces) is valid there; such errors become warnings saying so.
DefinitionCheck as_validated(DefinitionCheck check);

// Mistral's models refuse a name with spaces only when they store it
// (Problem::on_store), which an update does after looking the stored
// definition up: an update whose parse refused nothing else answers its
// lookups first (a 404 for a definition that does not exist), then this.
// The document's top-level names in order (`version` left out; a
// workbook's `name`), when those errors are all its parse refused; else
// nullopt (the parse's error stands).
std::optional<std::vector<std::string>> names_refused_only_on_store(const lang::Problems& problems,
                                                                    std::string_view yaml_text,
                                                                    lang::DocumentKind kind);

// Mistral's refusal of an update by identifier whose document holds several
// definitions (`what`: "workflows" or "actions").
Error more_than_one_refused(std::string_view what, const std::string& identifier);

// An update (of workflows or actions: `what`) whose parse refused only
// names with spaces answers what Mistral's update answers first: several
// definitions with an identifier, else the first one it looks up and does
// not find (`exists`, `not_found_words`: its 404). nullopt: the parse's
// refusal stands.
std::optional<Error> update_refused_before_store(const lang::Problems& problems, std::string_view yaml_text,
                                                 lang::DocumentKind kind, std::string_view what,
                                                 const std::optional<std::string>& identifier,
                                                 const std::function<bool(const std::string&)>& exists,
                                                 const std::function<std::string(const std::string&)>& not_found_words);

// The warnings of an accepted definition, one server log line each: what
// Mistral's users see nowhere, Bora's operators at least find in the log.
void log_definition_warnings(const lang::Problems& problems, std::string_view what);

// The warnings as "LINE:COLUMN: PATH: warning: MESSAGE" lines (the validate
// responses' `warnings`).
std::vector<std::string> warning_lines(const lang::Problems& problems);

}  // namespace bora::services
