// core/python_string_format: Python's two ways of formatting text, used by
// both expression languages. Users' templates write `"%05.2f" % x`,
// `"{:>8}".format(x)` and Jinja's `format` filter and expect Python's
// answer, byte for byte, and Python's error words when the format is wrong.
//
//   python_percent_format  `fmt % args`            (printf-style, PEP 461's str half)
//   python_str_format      `fmt.format(*a, **kw)`  (PEP 3101, with nested specs)
//   python_format_value    `format(value, spec)`   (the format mini-language)
//
// Values are Bora's JSON-like values: Python's int (64 bits here: a bigger
// int arrives as a double and prints through the float path), float, str,
// bool (an int to every numeric conversion), None, list and dict. What the
// engines print differently (yaql prints a list as a tuple, Jinja reads a
// dict's key as an attribute) comes in through PyFormatHooks.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bora/core/error.h"
#include "bora/core/value.h"

namespace bora {

struct PyFormatHooks {
  // str(v) and repr(v) as the language prints them (defaults: python_str,
  // python_repr).
  std::function<std::string(const Value&)> str;
  std::function<std::string(const Value&)> repr;
  // Python's type name in messages ("list", "NoneType"; yaql says "tuple").
  std::function<std::string(const Value&)> type_name;
  // Called with the size of a text before it is built (a width of 10**9
  // must fail the caller's budget, not allocate); may throw.
  std::function<void(uint64_t)> charge;
  // str.format's `{0.name}` and `{0[key]}` (is_attribute tells which);
  // empty: Python's rules (an item of a dict, list or str; the attributes
  // real/imag/numerator/denominator of a number).
  std::function<Result<Value>(const Value&, const std::string&, bool is_attribute)> field;
  // string.Formatter's wording, which Jinja's sandbox uses: a missing
  // positional field is "tuple index out of range", and both switches
  // between automatic and manual numbering say "cannot switch from manual
  // field specification to automatic field numbering".
  bool formatter_class = false;
  // Applied to each replacement field's formatted text (markupsafe's
  // EscapeFormatter escapes it when the format string is Markup).
  std::function<std::string(std::string)> field_text;
};

// Python's `fmt % args`. `args_is_tuple`: args is a tuple whose items are
// the values; otherwise args is the one value (a dict also serves
// %(key)s, and a dict or a list may go unused, as in Python).
Result<std::string> python_percent_format(std::string_view fmt, const Value& args, bool args_is_tuple,
                                          const PyFormatHooks& hooks = {});

// Python's `fmt.format(*args, **kwargs)`.
Result<std::string> python_str_format(std::string_view fmt, const std::vector<Value>& args,
                                      const std::vector<std::pair<std::string, Value>>& kwargs,
                                      const PyFormatHooks& hooks = {});

// Python's `format(value, spec)`; a string value is a str.
Result<std::string> python_format_value(const Value& value, std::string_view spec, const PyFormatHooks& hooks = {});

// Python's ascii() of a repr: every non-ASCII character escaped (\xNN,
// \uNNNN, \UNNNNNNNN).
std::string python_ascii_escape(std::string_view repr_text);

}  // namespace bora
