// expr/yaql/parser: YAQL text to an AST, with yaql's operator precedence
// and associativity (yaql/language/factory.py) and its lexical rules
// (yaql/language/lexer.py): numbers without exponents, '...', "..." and
// `...` strings, $variables, keyword operators (and, or, not, in, mod).
#pragma once

#include <string_view>

#include "ast.h"
#include "bora/core/error.h"

namespace bora::expr::yaql {

// A syntax error is a BadInput error naming the position and the token.
Result<NodePtr> parse(std::string_view expression);

}  // namespace bora::expr::yaql
