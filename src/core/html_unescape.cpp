// core/html_unescape: see the header. Follows html/__init__.py of the
// Python Mistral runs on: the pattern
//   &(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)
// and _replace_charref, over code points (the 32 is characters).
#include "bora/core/html_unescape.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "bora/core/utf8.h"
#include "html_entities_table.h"

namespace bora {

namespace {

const char* named_reference(std::string_view name) {
  using html_tables::k_named;
  const auto* end = k_named + html_tables::k_named_count;
  const auto* it = std::lower_bound(k_named, end, name, [](const html_tables::NamedReference& r, std::string_view n) {
    return std::string_view(r.name) < n;
  });
  return it != end && std::string_view(it->name) == name ? it->value : nullptr;
}

void append_numeric(std::string& out, uint64_t num) {
  for (size_t i = 0; i < html_tables::k_invalid_charrefs_count; ++i)
    if (html_tables::k_invalid_charrefs[i].number == num) {
      out += html_tables::k_invalid_charrefs[i].value;
      return;
    }
  if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) {
    out += "\xef\xbf\xbd";  // U+FFFD
    return;
  }
  const uint32_t* first = html_tables::k_invalid_codepoints;
  const uint32_t* last = first + html_tables::k_invalid_codepoints_count;
  if (std::binary_search(first, last, static_cast<uint32_t>(num))) return;  // dropped
  append_utf8(out, static_cast<uint32_t>(num));
}

bool is_digit(char c, bool hex) {
  return (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
}

}  // namespace

std::string html_unescape(std::string_view s) {
  if (s.find('&') == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    size_t amp = s.find('&', i);
    if (amp == std::string_view::npos) {
      out.append(s.substr(i));
      break;
    }
    out.append(s.substr(i, amp - i));
    size_t p = amp + 1;
    if (p < s.size() && s[p] == '#') {
      bool hex = p + 1 < s.size() && (s[p + 1] == 'x' || s[p + 1] == 'X');
      size_t digits = p + (hex ? 2 : 1);
      size_t end = digits;
      while (end < s.size() && is_digit(s[end], hex)) ++end;
      if (end == digits) {  // `&#` without digits: no reference
        out += '&';
        i = p;
        continue;
      }
      uint64_t num = 0;
      for (size_t k = digits; k < end; ++k) {
        uint64_t d = s[k] <= '9' ? uint64_t(s[k] - '0') : uint64_t((s[k] | 0x20) - 'a' + 10);
        num = std::min<uint64_t>(num * (hex ? 16 : 10) + d, 0x7FFFFFFF);  // past 0x10FFFF all read alike
      }
      if (end < s.size() && s[end] == ';') ++end;
      append_numeric(out, num);
      i = end;
      continue;
    }
    // A name: 1 to 32 characters other than \t \n \f space < & # ;
    std::vector<size_t> bounds;  // byte offset after each character
    size_t end = p;
    while (end < s.size() && bounds.size() < 32) {
      char c = s[end];
      if (c == '\t' || c == '\n' || c == '\f' || c == ' ' || c == '<' || c == '&' || c == '#' || c == ';') break;
      std::string_view ch = utf8_character_at(s, end);
      end += ch.empty() ? 1 : ch.size();
      bounds.push_back(end);
    }
    if (bounds.empty()) {
      out += '&';
      i = p;
      continue;
    }
    if (end < s.size() && s[end] == ';') {
      ++end;
      bounds.push_back(end);
    }
    std::string_view name = s.substr(p, end - p);
    if (const char* v = named_reference(name)) {
      out += v;
      i = end;
      continue;
    }
    // The longest known prefix of at least two characters, the rest kept.
    bool found = false;
    for (size_t x = bounds.size() - 1; x >= 2; --x) {
      std::string_view prefix = s.substr(p, bounds[x - 1] - p);
      if (const char* v = named_reference(prefix)) {
        out += v;
        out.append(s.substr(bounds[x - 1], end - bounds[x - 1]));
        found = true;
        break;
      }
    }
    if (!found) out.append(s.substr(amp, end - amp));
    i = end;
  }
  return out;
}

}  // namespace bora
