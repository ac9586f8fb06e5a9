// core/text_repeat: Python's `str * n` (YAQL's and Jinja's string
// repetition), built by doubling: about log2(n) copies of growing size
// rather than n appends. 'a' * 300000000 is then a few large copies, not
// 300 million one-byte appends (each of which AddressSanitizer checks).
// An empty unit gives '' at once, whatever the count ('' * 10**12). The
// caller charges the evaluation budget for the result's size first.
#pragma once

#include <string>
#include <string_view>

namespace bora {

inline std::string repeat_text(std::string_view unit, size_t times) {
  std::string out;
  if (unit.empty() || times == 0) return out;
  size_t total = unit.size() * times;
  out.reserve(total);
  out.append(unit);
  // Within the reserved capacity, appending the string's own bytes copies
  // a range that the write does not overlap.
  while (out.size() <= total - out.size()) out.append(out.data(), out.size());
  out.append(out.data(), total - out.size());
  return out;
}

}  // namespace bora
