// expr/yaql/python_regex: Python's `re` patterns on PCRE2 (core/regex), and
// yaql's regex objects. PCRE2 already reads most of Python's syntax (named
// groups (?P<name>...) and (?P=name), lookbehind, inline flags (?imsx),
// \A, atomic groups); translate_python_regex rewrites the few spellings that
// differ (\Z, \uXXXX, \UXXXXXXXX, {,n}, the (?u) flag) and refuses those
// PCRE2 cannot honour ((?a), (?L), \N{...}) with a message saying so.
// Matching is bounded by the process's regex limits (core/regex.h): a
// pattern that needs more fails the expression with a message naming the
// option, instead of crashing or freezing the engine as std::regex did.
// yaql's regex() returns a compiled pattern; a Value has no such type, so a
// regex object is a dict with one reserved key holding the pattern and its
// flags (kRegexKey is not a name YAML or JSON data carries).
#pragma once

#include <string>
#include <string_view>

#include "bora/core/regex.h"
#include "bora/core/value.h"

namespace bora::expr::yaql {

inline constexpr const char* kRegexKey = "\x01yaql-regex";

struct RegexFlags {
  bool ignore_case = false;
  bool multi_line = false;
  bool dot_all = false;
};

// Python `re` syntax -> PCRE2 syntax; throws EvalError naming the pattern for
// what PCRE2 cannot express.
std::string translate_python_regex(std::string_view pattern);

// Throws EvalError naming the pattern when it does not compile. Compiled
// patterns are kept (per thread, bounded), so a pattern used in a loop is
// compiled once.
Regex compile_python_regex(const std::string& pattern, RegexFlags flags = {});

// Python's re.search(...) is not None, within the process's regex limits
// (throws EvalError with the limit's message).
bool regex_found(const Regex& re, const std::string& text);

Value make_regex_object(const std::string& pattern, RegexFlags flags);
bool is_regex_object(const Value& v);
// The compiled pattern of a regex object or of a pattern string.
Regex regex_of(const Value& v);

}  // namespace bora::expr::yaql
