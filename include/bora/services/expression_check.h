// services/expression_check: every expression of a definition is compiled
// when it is stored (or validated), so that a syntax error is found then,
// with its line:column, path and the expression's text, rather than when a
// workflow runs. Where Mistral compiles it too (lang/expression_places) it
// is refused; elsewhere Mistral stores it, so Bora accepts it with a warning.
#pragma once

#include "bora/lang/document_kind.h"
#include "bora/lang/located_yaml.h"
#include "bora/lang/problem.h"

namespace bora::services {

lang::Problems check_expressions(const lang::LocatedDocument& doc, lang::DocumentKind kind);

}  // namespace bora::services
