#include "bora/core/utf8.h"

#include <cstdio>

namespace bora {

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

size_t utf8_length(std::string_view s) {
  size_t count = 0;
  for (size_t i = 0; i < s.size(); ++count) {
    unsigned char c = s[i];
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    i += i + n > s.size() ? 1 : n;
  }
  return count;
}

size_t python_space_at(std::string_view s, size_t i) {
  if (i >= s.size()) return 0;
  unsigned char c = s[i];
  if (c < 0x80) return (c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F)) ? 1 : 0;
  std::string_view ch = utf8_character_at(s, i);
  uint32_t cp = 0;
  if (ch.size() == 2) {
    cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(ch[1]) & 0x3Fu);
  } else if (ch.size() == 3) {
    cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(ch[1]) & 0x3Fu) << 6) |
         (static_cast<unsigned char>(ch[2]) & 0x3Fu);
  } else {
    return 0;  // no whitespace above U+FFFF, and a broken sequence is none
  }
  bool space = cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
               cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
  return space ? ch.size() : 0;
}

std::string_view utf8_character_at(std::string_view s, size_t i) {
  if (i >= s.size()) return {};
  unsigned char c = s[i];
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (i + n > s.size()) return s.substr(i, 1);
  for (size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return s.substr(i, 1);
  return s.substr(i, n);
}

std::vector<std::string> utf8_characters(std::string_view s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (i + n > s.size()) n = 1;
    out.emplace_back(s.substr(i, n));
    i += n;
  }
  return out;
}

namespace {

// The sequence at s[i]: its length when well-formed (valid = true), else the
// length of its maximal ill-formed prefix (at least 1), which Unicode (and
// Python) replace by one U+FFFD. Table 3-7 of the Unicode standard: the
// second byte's range depends on the first, which excludes overlong forms,
// surrogates and code points above U+10FFFF.
size_t sequence_at(std::string_view s, size_t i, bool& valid, bool surrogates = false) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  valid = true;
  if (c < 0x80) return 1;
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED && !surrogates) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    valid = false;
    return 1;
  }
  size_t n = 1;
  for (; n < need; ++n) {
    if (i + n >= s.size()) break;
    unsigned char b = byte(i + n);
    if (n == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) break;
  }
  valid = n == need;
  return n;
}

size_t find_invalid(std::string_view s, bool surrogates) {
  for (size_t i = 0; i < s.size();) {
    // ASCII runs are the common case: skip them without the table.
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    bool valid;
    size_t n = sequence_at(s, i, valid, surrogates);
    if (!valid) return i;
    i += n;
  }
  return std::string_view::npos;
}

std::string repair(std::string_view s, bool surrogates) {
  size_t bad = find_invalid(s, surrogates);
  if (bad == std::string_view::npos) return std::string(s);
  std::string out(s.substr(0, bad));
  for (size_t i = bad; i < s.size();) {
    bool valid;
    size_t n = sequence_at(s, i, valid, surrogates);
    if (valid) {
      out.append(s.substr(i, n));
    } else {
      out += "\xEF\xBF\xBD";
    }
    i += n;
  }
  return out;
}

}  // namespace

size_t find_invalid_utf8(std::string_view s) { return find_invalid(s, false); }
size_t find_invalid_text(std::string_view s) { return find_invalid(s, true); }
std::string repair_utf8(std::string_view s) { return repair(s, false); }
std::string repair_text(std::string_view s) { return repair(s, true); }

bool is_surrogate_at(std::string_view s, size_t i) {
  return i + 2 < s.size() && static_cast<unsigned char>(s[i]) == 0xED && static_cast<unsigned char>(s[i + 1]) >= 0xA0 &&
         (static_cast<unsigned char>(s[i + 2]) & 0xC0) == 0x80;
}

namespace {

bool all_valid(const Value& v) {
  switch (v.type()) {
    case Value::Type::String: return is_valid_text(v.as_string());
    case Value::Type::List:
      for (const auto& item : v.as_list())
        if (!all_valid(item)) return false;
      return true;
    case Value::Type::Dict:
      for (const auto& [k, item] : v.as_dict())
        if (!is_valid_text(k) || !all_valid(item)) return false;
      return true;
    default: return true;
  }
}

Value repaired(const Value& v) {
  switch (v.type()) {
    case Value::Type::String: return Value(repair_text(v.as_string()));
    case Value::Type::List: {
      List l;
      l.reserve(v.as_list().size());
      for (const auto& item : v.as_list()) l.push_back(repaired(item));
      return Value(std::move(l));
    }
    case Value::Type::Dict: {
      Dict d;
      for (const auto& [k, item] : v.as_dict()) d.set(repair_text(k), repaired(item));
      return Value(std::move(d));
    }
    default: return v;
  }
}

}  // namespace

Value repair_text_strings(const Value& v) { return all_valid(v) ? v : repaired(v); }

TextPosition text_position(std::string_view text, size_t offset) {
  TextPosition p;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++p.line;
      p.column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++p.column;  // continuation bytes belong to the character before
    }
  }
  return p;
}

Result<void> check_utf8(std::string_view text, std::string_view what, bool with_position) {
  size_t bad = find_invalid_utf8(text);
  if (bad == std::string_view::npos) return {};
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned char>(text[bad]));
  std::string where = "byte " + std::string(hex) + " at offset " + std::to_string(bad);
  if (with_position) {
    TextPosition p = text_position(text, bad);
    where += " (line " + std::to_string(p.line) + ", column " + std::to_string(p.column) + ")";
  }
  return bad_input(std::string(what) + " is not valid UTF-8: " + where +
                   "; Bora stores text only, so save or send it encoded as UTF-8");
}

uint32_t utf8_code_point(std::string_view ch) {
  if (ch.empty()) return 0;
  auto lead = static_cast<unsigned char>(ch[0]);
  uint32_t cp = ch.size() == 1 ? lead : lead & (0xFF >> (ch.size() + 1));
  for (size_t k = 1; k < ch.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(ch[k]) & 0x3F);
  return cp;
}

}  // namespace bora
