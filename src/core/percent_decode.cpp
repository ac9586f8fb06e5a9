#include "bora/core/percent_decode.h"

#include "bora/core/ascii.h"

namespace bora {

namespace {


// The byte %XX at s[i] stands for, or -1 when s[i..i+2] is not one.
int escaped_byte(std::string_view s, size_t i) {
  if (s[i] != '%' || i + 2 >= s.size()) return -1;
  int hi = ascii_hex_value(s[i + 1]), lo = ascii_hex_value(s[i + 2]);
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

}  // namespace

std::string percent_decode(std::string_view s, bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (int b = escaped_byte(s, i); b >= 0) {
      out += static_cast<char>(b);
      i += 2;
    } else {
      out += plus_as_space && s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

std::optional<std::string> percent_decode_strict(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i] == '%' && escaped_byte(s, i) < 0) return std::nullopt;
  return percent_decode(s);
}

}  // namespace bora
