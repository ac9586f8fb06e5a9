// expr/yaql: YAQL as Mistral configures Python's yaql 2.x, in C++.
// An expression is compiled once into an immutable Program (shareable across
// threads) and evaluated many times against different data.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "bora/core/error.h"
#include "bora/core/value.h"
#include "bora/expr/eval_context.h"

namespace bora::expr::yaql {

class Program;  // opaque: src/expr/yaql/

// Parses one YAQL expression (the text between <% and %>, already stripped).
// A syntax error is a BadInput Error whose message names the position.
Result<std::shared_ptr<const Program>> compile(std::string_view expression);

// The source text the program was compiled from.
const std::string& source(const Program& program);

// Evaluates against a context. The result is converted to a Value the way
// Mistral's yaql output conversion does (tuples to lists; sets, which a
// Value cannot hold, to lists in iteration order). Errors are BadInput
// Errors with yaql's message texts where Mistral shows them.
// yaql's datetime objects leave as Mistral stores them ("%Y-%m-%dT%H:%M:%S.%f"
// of their local time); a timespan cannot leave (an error, as in Mistral).
Result<Value> evaluate(const Program& program, const EvalContext& ctx);

// The result as it reads inside a longer string: Python's str() (a
// datetime as "2015-01-02 03:04:05+00:00").
Result<std::string> evaluate_to_text(const Program& program, const EvalContext& ctx);

// How many compiled regular expressions the calling thread keeps (at most
// [expressions] regex_cache_entries, core/regex.h's RegexLimits).
size_t cached_regex_patterns();

}  // namespace bora::expr::yaql
