// lang/document_kind: which of the three definition documents a YAML text is
// (workflows, a workbook, or ad-hoc actions), for tools that take any of them
// (`bora validate`, `bora run`). The REST API knows the kind from the URL.
#pragma once

#include <optional>
#include <string_view>

#include "bora/core/value.h"

namespace bora::lang {

enum class DocumentKind { Workflows, Workbook, Actions };

const char* document_kind_name(DocumentKind kind);  // "workflow", "workbook", "action"
std::optional<DocumentKind> parse_document_kind(std::string_view name);

// A workbook has `workflows:` or `actions:` at the top level; a document
// whose every entry (besides version) has `base:` holds ad-hoc actions;
// anything else is read as workflows (whose errors then explain themselves).
DocumentKind guess_document_kind(const Value& root);

}  // namespace bora::lang
