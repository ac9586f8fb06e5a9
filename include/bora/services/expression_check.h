// services/expression_check: every expression of a definition is compiled
// when it is stored (or validated), so that a syntax error is refused then,
// with its line:column, path and the expression's text, rather than found
// when a workflow runs.
#pragma once

#include "bora/lang/located_yaml.h"
#include "bora/lang/problem.h"

namespace bora::services {

lang::Problems check_expressions(const lang::LocatedDocument& doc);

}  // namespace bora::services
