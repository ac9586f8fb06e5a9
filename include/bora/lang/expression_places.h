// lang/expression_places: every string of a definition with whether Mistral
// compiles it when the definition is stored. Mistral checks expressions
// only in some places (mistral/lang/v2: a task's inline parameters, input,
// publish, policies and transitions; a workflow's output and vars; an
// action's base parameters, base-input and output), and only one level
// down in them; a broken expression anywhere else is stored and fails when
// it is evaluated. Bora compiles every string: what Mistral checks is an
// error, the rest a warning, so it accepts what Mistral accepts and still
// says what will fail.
#pragma once

#include <functional>
#include <string>

#include "bora/lang/document_kind.h"
#include "bora/lang/located_yaml.h"

namespace bora::lang {

struct ExpressionText {
  std::string path;  // as for_each_string names it
  SourcePos pos;
  std::string text;
  bool checked_by_mistral = false;
};

// Like for_each_string, except that a one-line call (`action:`,
// `workflow:`, an ad-hoc action's `base:`) is visited as its parts: the
// name, then each inline parameter's value (Mistral compiles the values
// one by one, so `cmd=<% $.a %> other={{ _.b }}` mixes nothing).
void for_each_expression_text(const LocatedDocument& doc, DocumentKind kind,
                              const std::function<void(const ExpressionText&)>& fn);

}  // namespace bora::lang
