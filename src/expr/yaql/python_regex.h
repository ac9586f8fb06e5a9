// expr/yaql/python_regex: Python's `re` patterns on std::regex, and yaql's
// regex objects. yaql's regex() returns a compiled pattern; a Value has no
// such type, so a regex object is a dict with one reserved key holding the
// pattern and its flags (kRegexKey is not a name YAML or JSON data carries).
// std::regex is ECMAScript: named groups, lookbehind and inline flags of
// Python's syntax are not available (named groups are read as plain ones).
#pragma once

#include <regex>
#include <string>

#include "bora/core/value.h"

namespace bora::expr::yaql {

inline constexpr const char* kRegexKey = "\x01yaql-regex";

struct RegexFlags {
  bool ignore_case = false;
  bool multi_line = false;
  bool dot_all = false;
};

// Throws EvalError naming the pattern when it does not compile.
std::regex compile_python_regex(const std::string& pattern, RegexFlags flags = {});

Value make_regex_object(const std::string& pattern, RegexFlags flags);
bool is_regex_object(const Value& v);
// The compiled pattern of a regex object or of a pattern string.
std::regex regex_of(const Value& v);

}  // namespace bora::expr::yaql
