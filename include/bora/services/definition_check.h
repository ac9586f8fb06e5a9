// services/definition_check: the one place that decides whether a definition
// text is acceptable: the language model's structural checks plus a compile
// of every expression in it. The REST API (create, update, validate) and
// `bora validate` both use it, so they refuse exactly the same things.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bora/lang/document_kind.h"
#include "bora/lang/problem.h"

namespace bora::services {

struct DefinitionCheck {
  lang::DocumentKind kind = lang::DocumentKind::Workflows;
  lang::Problems problems;  // empty when valid
  std::string summary;      // e.g. "2 workflows: wf1, wf2"
};

// kind: nullopt guesses it from the document (see lang::guess_document_kind).
DefinitionCheck check_definition(std::string_view yaml_text, std::optional<lang::DocumentKind> kind = std::nullopt);

}  // namespace bora::services
