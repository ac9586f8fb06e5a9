// core/python_regex_syntax: the syntax errors Python's `re` module reports,
// in its words and at its positions, for patterns written for Python
// (YAQL's regex functions and `=~` in Mistral compile them with `re`).
// Bora matches with PCRE2 (core/regex), whose errors say the same things
// differently and elsewhere ("missing closing parenthesis at position 1"
// where Python says "missing ), unterminated subpattern at position 0"),
// and which accepts some patterns Python refuses (a look-behind with
// branches of different widths). A workflow that fails on Mistral must fail
// on Bora with the message its author would see there.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bora {

// The error Python 3.11's re.compile(pattern) raises, as str(error) reads
// ("nothing to repeat at position 0", "... at position 3 (line 2, column
// 2)" for a pattern of several lines), or nullopt when Python compiles it.
// Positions count characters. Covers groups and extensions, names and
// references, sets and ranges, escapes, repeats, inline flags, verbose mode
// and the look-behind width rule; Unicode character names in \N{...} are
// not looked up. Iterative: any nesting depth is checked without recursion.
std::optional<std::string> python_regex_syntax_error(std::string_view pattern);

}  // namespace bora
