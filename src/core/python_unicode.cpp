// core/python_unicode: CPython's algorithms for its case methods and
// predicates (Objects/unicodeobject.c: do_upper, do_lower, do_title,
// do_capitalize, do_swapcase, handle_capital_sigma, and the is* methods)
// over the tables scripts/gen_unicode_tables.py read from Python.
#include "bora/core/python_unicode.h"

#include <algorithm>
#include <vector>

#include "bora/core/utf8.h"
#include "python_unicode_tables.h"

namespace bora {

namespace {

using namespace unicode_tables;

bool in(const Range* table, size_t size, uint32_t cp) {
  const Range* end = table + size;
  const Range* it = std::upper_bound(table, end, cp, [](uint32_t c, const Range& r) { return c < r.first; });
  return it != table && cp <= (it - 1)->last;
}

bool is_lower(uint32_t cp) { return in(k_lower, k_lower_size, cp); }
bool is_upper(uint32_t cp) { return in(k_upper, k_upper_size, cp); }
bool is_title(uint32_t cp) { return in(k_title, k_title_size, cp); }
bool is_cased(uint32_t cp) { return in(k_cased, k_cased_size, cp); }
bool is_case_ignorable(uint32_t cp) { return in(k_case_ignorable, k_case_ignorable_size, cp); }

struct Mapping {
  const CaseRun* runs;
  size_t runs_size;
  const Special* special;
  size_t special_size;
};

const Mapping kUpper{k_upper_runs, k_upper_runs_size, k_upper_special, k_upper_special_size};
const Mapping kLower{k_lower_runs, k_lower_runs_size, k_lower_special, k_lower_special_size};
const Mapping kTitle{k_title_runs, k_title_runs_size, k_title_special, k_title_special_size};
const Mapping kFold{k_fold_runs, k_fold_runs_size, k_fold_special, k_fold_special_size};

// The characters cp maps to, appended to out.
void map_into(std::string& out, const Mapping& m, uint32_t cp) {
  const Special* send = m.special + m.special_size;
  const Special* sp = std::lower_bound(m.special, send, cp, [](const Special& s, uint32_t c) { return s.code_point < c; });
  if (sp != send && sp->code_point == cp) {
    out += sp->utf8;
    return;
  }
  const CaseRun* end = m.runs + m.runs_size;
  const CaseRun* it = std::upper_bound(m.runs, end, cp, [](uint32_t c, const CaseRun& r) { return c < r.first; });
  if (it != m.runs) {
    const CaseRun& r = *(it - 1);
    if (cp <= r.last && (cp - r.first) % static_cast<uint32_t>(r.stride) == 0) {
      append_utf8(out, static_cast<uint32_t>(static_cast<int64_t>(cp) + r.delta));
      return;
    }
  }
  append_utf8(out, cp);
}

// The text as code points; a broken byte is kept as itself (marked so it
// is written back as the byte, not as a character).
struct Char {
  uint32_t cp;
  std::string_view raw;
  bool valid;
};

std::vector<Char> decode(std::string_view s) {
  std::vector<Char> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    std::string_view ch = utf8_character_at(s, i);
    size_t len = ch.empty() ? 1 : ch.size();
    std::string_view raw = s.substr(i, len);
    auto b = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(raw[k])); };
    uint32_t cp = b(0);
    bool valid = true;
    if (len == 1) valid = cp < 0x80;
    else if (len == 2) cp = ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    else if (len == 3) cp = ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    else cp = ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
    out.push_back({cp, raw, valid});
    i += len;
  }
  return out;
}

// handle_capital_sigma: U+03A3 lowers to the final 'ς' after a cased
// letter (case-ignorable ones between) and not before one.
uint32_t sigma(const std::vector<Char>& t, size_t i) {
  size_t j = i;
  uint32_t c = 0;
  bool found = false;
  while (j-- > 0) {
    c = t[j].cp;
    if (!t[j].valid || !is_case_ignorable(c)) {
      found = true;
      break;
    }
  }
  bool final_sigma = found && t[j].valid && is_cased(c);
  if (final_sigma) {
    size_t k = i + 1;
    for (; k < t.size(); ++k)
      if (!t[k].valid || !is_case_ignorable(t[k].cp)) break;
    final_sigma = k == t.size() || !t[k].valid || !is_cased(t[k].cp);
  }
  return final_sigma ? 0x3C2 : 0x3C3;
}

void lower_into(std::string& out, const std::vector<Char>& t, size_t i) {
  if (t[i].cp == 0x3A3) append_utf8(out, sigma(t, i));
  else map_into(out, kLower, t[i].cp);
}

template <typename F>
std::string each(std::string_view s, F&& f) {
  std::vector<Char> t = decode(s);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < t.size(); ++i) {
    if (!t[i].valid) out += t[i].raw;
    else f(out, t, i);
  }
  return out;
}

}  // namespace

std::string python_upper(std::string_view s) {
  return each(s, [](std::string& out, const std::vector<Char>& t, size_t i) { map_into(out, kUpper, t[i].cp); });
}

std::string python_lower(std::string_view s) { return each(s, lower_into); }

std::string python_casefold(std::string_view s) {
  return each(s, [](std::string& out, const std::vector<Char>& t, size_t i) { map_into(out, kFold, t[i].cp); });
}

std::string python_title(std::string_view s) {
  bool previous_cased = false;
  return each(s, [&](std::string& out, const std::vector<Char>& t, size_t i) {
    if (previous_cased) lower_into(out, t, i);
    else map_into(out, kTitle, t[i].cp);
    previous_cased = is_cased(t[i].cp);
  });
}

std::string python_capitalize(std::string_view s) {
  return each(s, [](std::string& out, const std::vector<Char>& t, size_t i) {
    if (i == 0) map_into(out, kTitle, t[i].cp);
    else lower_into(out, t, i);
  });
}

std::string python_swapcase(std::string_view s) {
  return each(s, [](std::string& out, const std::vector<Char>& t, size_t i) {
    if (is_upper(t[i].cp)) lower_into(out, t, i);
    else if (is_lower(t[i].cp)) map_into(out, kUpper, t[i].cp);
    else append_utf8(out, t[i].cp);
  });
}

bool python_isidentifier(std::string_view s) {
  std::vector<Char> t = decode(s);
  if (t.empty()) return false;
  for (size_t i = 0; i < t.size(); ++i) {
    if (!t[i].valid) return false;
    uint32_t cp = t[i].cp;
    bool ok = i == 0 ? in(k_identifier_start, k_identifier_start_size, cp)
                     : in(k_identifier_continue, k_identifier_continue_size, cp);
    if (!ok) return false;
  }
  return true;
}

bool python_str_is(std::string_view s, PythonCharClass c) {
  std::vector<Char> t = decode(s);
  if (t.empty()) return false;
  for (const Char& ch : t) {
    if (!ch.valid) return false;
    uint32_t cp = ch.cp;
    bool ok = false;
    switch (c) {
      case PythonCharClass::Alpha: ok = in(k_alpha, k_alpha_size, cp); break;
      case PythonCharClass::Decimal: ok = in(k_decimal, k_decimal_size, cp); break;
      case PythonCharClass::Digit: ok = in(k_digit, k_digit_size, cp); break;
      case PythonCharClass::Numeric: ok = in(k_numeric, k_numeric_size, cp); break;
      case PythonCharClass::Space: ok = in(k_space, k_space_size, cp); break;
      case PythonCharClass::Alnum:
        ok = in(k_alpha, k_alpha_size, cp) || in(k_decimal, k_decimal_size, cp) || in(k_digit, k_digit_size, cp) ||
             in(k_numeric, k_numeric_size, cp);
        break;
    }
    if (!ok) return false;
  }
  return true;
}

bool python_isupper(std::string_view s) {
  bool cased = false;
  for (const Char& ch : decode(s)) {
    if (!ch.valid) continue;
    if (is_lower(ch.cp) || is_title(ch.cp)) return false;
    if (is_upper(ch.cp)) cased = true;
  }
  return cased;
}

bool python_islower(std::string_view s) {
  bool cased = false;
  for (const Char& ch : decode(s)) {
    if (!ch.valid) continue;
    if (is_upper(ch.cp) || is_title(ch.cp)) return false;
    if (is_lower(ch.cp)) cased = true;
  }
  return cased;
}

std::string_view python_strip(std::string_view s, const std::optional<std::string_view>& chars, bool left, bool right) {
  auto dropped = [&](size_t i, size_t len) {
    if (!chars) return python_space_at(s, i) == len;
    std::string_view ch = s.substr(i, len);
    for (size_t k = 0; k < chars->size();) {
      size_t n = std::max<size_t>(utf8_character_at(*chars, k).size(), 1);
      if (chars->substr(k, n) == ch) return true;
      k += n;
    }
    return false;
  };
  size_t b = 0, e = s.size();
  if (left) {
    while (b < e) {
      size_t n = std::max<size_t>(utf8_character_at(s, b).size(), 1);
      if (!dropped(b, n)) break;
      b += n;
    }
  }
  if (right) {
    while (e > b) {
      size_t k = e - 1;  // the start of the character that ends at e
      while (k > b && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80 && e - k < 4) --k;
      size_t n = std::max<size_t>(utf8_character_at(s, k).size(), 1);
      if (k + n != e) k = e - 1, n = 1;  // a broken byte is one character
      if (!dropped(k, n)) break;
      e = k;
    }
  }
  return s.substr(b, e - b);
}

bool python_isprintable(uint32_t code_point) { return in(k_printable, k_printable_size, code_point); }

bool python_istitle(std::string_view s) {
  bool cased = false, previous_cased = false;
  for (const Char& ch : decode(s)) {
    uint32_t cp = ch.valid ? ch.cp : 0;
    if (is_upper(cp) || is_title(cp)) {
      if (previous_cased) return false;
      previous_cased = cased = true;
    } else if (is_lower(cp)) {
      if (!previous_cased) return false;
      previous_cased = cased = true;
    } else {
      previous_cased = false;
    }
  }
  return cased;
}

}  // namespace bora
