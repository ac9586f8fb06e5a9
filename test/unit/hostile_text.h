// Hostile documents and expressions shared by the unit tests of the parsers.
#pragma once

#include <string>

namespace bora::test {

inline std::string repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

// "Billion laughs": top-level keys lol0..lol<levels-1>, each a list of nine
// aliases of the one before (9^levels leaves once expanded), after `prefix`.
inline std::string billion_laughs(const std::string& prefix = "", int levels = 12) {
  std::string bomb = prefix + "lol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < levels; ++i) {
    std::string prev = "*a" + std::to_string(i - 1);
    bomb += "lol" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + prev;
    for (int k = 0; k < 8; ++k) bomb += ", " + prev;
    bomb += "]\n";
  }
  return bomb;
}

// Keys l0..l<n-1>, each a one-item list holding an alias of the one before:
// nested n levels deep only through aliases.
inline std::string alias_chain(const std::string& prefix, int n) {
  std::string chain = prefix + "l0: &l0 [x]\n";
  for (int i = 1; i < n; ++i)
    chain += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [*l" + std::to_string(i - 1) + "]\n";
  return chain;
}

}  // namespace bora::test
