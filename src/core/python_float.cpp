#include "bora/core/python_float.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "bora/core/python_unicode.h"

namespace bora::python_float {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  return true;
}

// Digits with single underscores between them (Python 3.6's rule), copied
// without the underscores; false when the run breaks the rule.
bool digits(std::string_view s, size_t& i, std::string& out, bool& any) {
  bool last_digit = false;
  while (i < s.size()) {
    char c = s[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      out += c;
      any = last_digit = true;
    } else if (c == '_') {
      if (!last_digit || i + 1 >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i + 1]))) return false;
      last_digit = false;
    } else {
      break;
    }
    ++i;
  }
  return true;
}

}  // namespace

std::optional<double> from_text(std::string_view text) {
  std::string_view s = python_strip(text, std::nullopt, true, true);
  std::string clean;
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) clean += s[i++];
  std::string_view word = s.substr(i);
  double sign = !clean.empty() && clean[0] == '-' ? -1.0 : 1.0;
  if (iequals(word, "inf") || iequals(word, "infinity")) return sign * std::numeric_limits<double>::infinity();
  if (iequals(word, "nan")) return std::numeric_limits<double>::quiet_NaN();
  bool mantissa = false;
  if (!digits(s, i, clean, mantissa)) return std::nullopt;
  if (i < s.size() && s[i] == '.') {
    clean += s[i++];
    if (i < s.size() && s[i] == '_') return std::nullopt;
    if (!digits(s, i, clean, mantissa)) return std::nullopt;
  }
  if (!mantissa) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    clean += s[i++];
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) clean += s[i++];
    bool exponent = false;
    if (i < s.size() && s[i] == '_') return std::nullopt;
    if (!digits(s, i, clean, exponent) || !exponent) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  // Correctly rounded as Python's; out of range is inf or 0.0 as there
  // (strtod says which, in the C locale Bora runs in).
  const char* begin = clean.data() + (clean[0] == '+' ? 1 : 0);
  double d = 0;
  auto [p, ec] = std::from_chars(begin, clean.data() + clean.size(), d);
  if (ec == std::errc::result_out_of_range) return std::strtod(clean.c_str(), nullptr);
  if (ec != std::errc()) return std::nullopt;
  return d;
}

}  // namespace bora::python_float
