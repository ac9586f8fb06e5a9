// core/python_unicode_lookup: unicodedata.lookup for \N{...} escapes. The
// 33 000 names are decoded into a map the first time one is looked up (a
// template rarely names a character, so most processes never pay for it).
#include <string>
#include <unordered_map>
#include <vector>

#include "bora/core/python_escapes.h"
#include "python_unicode_tables.h"

namespace bora {

namespace {

using namespace unicode_tables;

// The Hangul syllables' names come from their jamo (Unicode's algorithm).
const char* const kLeading[] = {"G", "GG", "N", "D", "DD", "R", "M", "B", "BB", "S", "SS", "", "J", "JJ", "C", "K", "T",
                                "P", "H"};
const char* const kVowel[] = {"A", "AE", "YA", "YAE", "EO", "E", "YEO", "YE", "O", "WA", "WAE", "OE", "YO", "U", "WEO",
                              "WE", "WI", "YU", "EU", "YI", "I"};
const char* const kTrailing[] = {"", "G", "GG", "GS", "N", "NJ", "NH", "D", "L", "LG", "LM", "LB", "LS", "LT", "LP",
                                 "LH", "M", "B", "BS", "S", "SS", "NG", "J", "C", "K", "T", "P", "H"};

std::unordered_map<std::string, uint32_t> build() {
  std::unordered_map<std::string, uint32_t> names;
  std::vector<std::string> words;
  std::string word;
  for (const char* p = k_name_words;; ++p) {
    if (*p == ' ' || *p == '\0') {
      words.push_back(word);
      word.clear();
      if (*p == '\0') break;
    } else {
      word += *p;
    }
  }
  int digit_of[256];
  for (int& d : digit_of) d = -1;
  for (int i = 0; k_name_alphabet[i]; ++i) digit_of[static_cast<unsigned char>(k_name_alphabet[i])] = i;
  const char* p = k_names;
  auto number = [&]() {
    uint32_t n = 0;
    while (true) {
      int d = digit_of[static_cast<unsigned char>(*p++)];
      n = n * 45 + static_cast<uint32_t>(d % 45);
      if (d < 45) return n;
    }
  };
  uint32_t cp = 0;
  names.reserve(45000);
  while (*p) {
    cp += number();
    std::string name;
    while (*p != ' ') {
      if (!name.empty()) name += ' ';
      name += words.at(number());
    }
    ++p;
    names.emplace(std::move(name), cp);
  }
  for (size_t i = 0; i < k_name_aliases_size; ++i) names.emplace(k_name_aliases[i].name, k_name_aliases[i].code_point);
  for (uint32_t l = 0; l < 19; ++l)
    for (uint32_t v = 0; v < 21; ++v)
      for (uint32_t t = 0; t < 28; ++t)
        names.emplace(std::string("HANGUL SYLLABLE ") + kLeading[l] + kVowel[v] + kTrailing[t], 0xAC00 + (l * 21 + v) * 28 + t);
  return names;
}

}  // namespace

std::optional<uint32_t> python_unicode_lookup(std::string_view name) {
  std::string upper(name);
  for (char& c : upper)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  for (size_t i = 0; i < k_prefixed_names_size; ++i) {
    const PrefixedNames& r = k_prefixed_names[i];
    std::string_view prefix(r.prefix);
    if (upper.size() <= prefix.size() || upper.compare(0, prefix.size(), prefix) != 0) continue;
    std::string_view hex = std::string_view(upper).substr(prefix.size());
    if (hex.size() != 4 && hex.size() != 5) continue;
    uint32_t cp = 0;
    bool ok = true;
    for (char c : hex) {
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) ok = false;
      cp = cp * 16 + static_cast<uint32_t>(d < 0 ? 0 : d);
    }
    if (ok && cp >= r.first && cp <= r.last) return cp;
  }
  static const std::unordered_map<std::string, uint32_t> names = build();
  auto it = names.find(upper);
  if (it == names.end()) return std::nullopt;
  return it->second;
}

}  // namespace bora
