#include "bora/lang/document_kind.h"

namespace bora::lang {

const char* document_kind_name(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::Workflows: return "workflow";
    case DocumentKind::Workbook: return "workbook";
    case DocumentKind::Actions: return "action";
  }
  return "workflow";
}

std::optional<DocumentKind> parse_document_kind(std::string_view name) {
  if (name == "workflow" || name == "workflows") return DocumentKind::Workflows;
  if (name == "workbook" || name == "workbooks") return DocumentKind::Workbook;
  if (name == "action" || name == "actions") return DocumentKind::Actions;
  return std::nullopt;
}

DocumentKind guess_document_kind(const Value& root) {
  if (!root.is_dict()) return DocumentKind::Workflows;
  if (root.find("workflows") || root.find("actions")) return DocumentKind::Workbook;
  bool any = false;
  for (const auto& [key, item] : root.as_dict()) {
    if (key == "version") continue;
    if (!item.is_dict() || !item.find("base")) return DocumentKind::Workflows;
    any = true;
  }
  return any ? DocumentKind::Actions : DocumentKind::Workflows;
}

}  // namespace bora::lang
