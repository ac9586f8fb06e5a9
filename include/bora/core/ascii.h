// core/ascii: the ASCII byte classes and case mapping that parsers of
// configuration, YAML scalars and command lines share. They are C's "C"
// locale classes (std::isspace and std::tolower there), which agree with
// Python's str.isspace()/str.lower() on ASCII; Unicode-aware case mapping is
// core/python_unicode's.
#pragma once

#include <string>
#include <string_view>

namespace bora {

constexpr bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

// The value of a hex digit (either case), or -1.
constexpr int ascii_hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// ' ', \t, \n, \v, \f, \r.
constexpr bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Only A-Z change: other bytes (UTF-8 sequences included) stay as they are.
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Only a-z change.
inline std::string ascii_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

}  // namespace bora
