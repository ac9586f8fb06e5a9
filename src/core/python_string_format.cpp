// core/python_string_format: Python's `%` formatting, str.format and the
// format mini-language, read from CPython's documented behaviour
// (Objects/unicodeobject.c's PyUnicode_Format, Python/formatter_unicode.c,
// Objects/stringlib/unicode_format.h) and checked against Python's answers
// in the frozen expression cases.
#include "bora/core/python_string_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "bora/core/python_format.h"
#include "bora/core/python_int.h"
#include "bora/core/utf8.h"

namespace bora {

namespace {

// Inside this file a Python error is thrown and caught once at the entry
// points: every helper can fail and the code reads as Python's does.
struct PyError {
  std::string message;
};

[[noreturn]] void fail(std::string message) { throw PyError{std::move(message)}; }

std::string type_name(const Value& v, const PyFormatHooks& h) {
  if (h.type_name) return h.type_name(v);
  return python_type_name(v);
}

std::string str_of(const Value& v, const PyFormatHooks& h) {
  if (v.is_string()) return v.as_string();
  return h.str ? h.str(v) : python_str(v);
}

std::string repr_of(const Value& v, const PyFormatHooks& h) { return h.repr ? h.repr(v) : python_repr(v); }

void charge(const PyFormatHooks& h, uint64_t n) {
  if (h.charge) h.charge(n);
}

// The code point at s[i] and its length in bytes (a broken byte is one
// character, as utf8_characters counts it).
uint32_t code_point_at(std::string_view s, size_t i, size_t& len) {
  std::string_view ch = utf8_character_at(s, i);
  len = ch.empty() ? 1 : ch.size();
  auto b = [&](size_t k) { return static_cast<unsigned char>(ch[k]); };
  if (len == 1) return static_cast<unsigned char>(s[i]);
  if (len == 2) return ((b(0) & 0x1Fu) << 6) | (b(1) & 0x3Fu);
  if (len == 3) return ((b(0) & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu);
  return ((b(0) & 0x07u) << 18) | ((b(1) & 0x3Fu) << 12) | ((b(2) & 0x3Fu) << 6) | (b(3) & 0x3Fu);
}

// The first n characters of s.
std::string_view first_characters(std::string_view s, uint64_t n) {
  size_t i = 0;
  for (uint64_t k = 0; k < n && i < s.size(); ++k) i += std::max<size_t>(utf8_character_at(s, i).size(), 1);
  return s.substr(0, i);
}

std::string repeat(const std::string& fill, uint64_t n) {
  std::string out;
  out.reserve(fill.size() * n);
  for (uint64_t i = 0; i < n; ++i) out += fill;
  return out;
}

// ---------------------------------------------------------------- numbers

// Digits of a magnitude in a base (2, 8, 10, 16).
std::string digits_of(uint64_t mag, int base, bool upper) {
  if (mag == 0) return "0";
  const char* set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  while (mag) {
    out.insert(out.begin(), set[mag % static_cast<uint64_t>(base)]);
    mag /= static_cast<uint64_t>(base);
  }
  return out;
}

uint64_t magnitude(int64_t v) { return v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v); }

// PyOS_double_to_string for |d| with a type among e E f F g G r and a
// precision; alt is the '#' flag, add_dot_0 str.format's "at least one
// digit after the point" for a format without a type.
std::string float_digits(double d, char type, int64_t precision, bool alt, bool add_dot_0, const PyFormatHooks& h) {
  d = std::fabs(d);
  bool upper = type == 'E' || type == 'F' || type == 'G';
  if (std::isnan(d)) return upper ? "NAN" : "nan";
  if (std::isinf(d)) return upper ? "INF" : "inf";
  std::string out;
  char t = static_cast<char>(std::tolower(type));
  if (t == 'g' && precision == 0) precision = 1;
  // Digits before the point (|d| < 1e309) plus the precision: charged
  // first, so '%.1000000000f' fails the budget instead of allocating.
  uint64_t size = static_cast<uint64_t>(precision) + 330;
  if (t != 'r') charge(h, size);
  auto print = [&](char conv, int64_t prec, bool keep) {
    std::string f = std::string("%") + (keep ? "#" : "") + ".*" + conv;
    std::string text(size, '\0');
    int n = std::snprintf(text.data(), text.size(), f.c_str(), static_cast<int>(prec), d);
    text.resize(static_cast<size_t>(n));
    return text;
  };
  if (t == 'r') {
    out = python_float_repr(d);
    // '#' keeps a point in the mantissa: 1e+22 reads 1.e+22.
    if (alt && out.find('.') == std::string::npos && out.find('e') != std::string::npos) out.insert(out.find('e'), ".");
  } else if (t == 'g' && add_dot_0) {
    // str.format without a type: 'g', but scientific from exponent p - 1
    // (Python's repr rule), with at least one digit after the point.
    std::string sci = print('e', precision - 1, false);
    int exp = std::atoi(sci.c_str() + sci.find('e') + 1);
    if (exp >= -4 && exp < precision - 1) {
      out = print('f', precision - 1 - exp, alt);
    } else {
      out = print('e', precision - 1, alt);
    }
    if (!alt) {
      // Trailing zeros go, as %g drops them.
      size_t e = out.find('e');
      std::string mant = out.substr(0, e), tail = e == std::string::npos ? "" : out.substr(e);
      if (mant.find('.') != std::string::npos) {
        while (!mant.empty() && mant.back() == '0') mant.pop_back();
        if (!mant.empty() && mant.back() == '.') mant.pop_back();
      }
      out = mant + tail;
    }
  } else {
    out = print(t, precision, alt);
  }
  if (upper)
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (add_dot_0 && out.find_first_of(".eE") == std::string::npos) out += ".0";
  return out;
}

// The integer digits with their separators, padded with zeros (also
// grouped) to min_width characters: CPython's InsertThousandsGrouping.
std::string group_digits(const std::string& digits, char sep, size_t group, int64_t min_width) {
  if (digits.empty()) return "";
  if (!sep) {
    if (min_width > static_cast<int64_t>(digits.size())) return std::string(static_cast<size_t>(min_width) - digits.size(), '0') + digits;
    return digits;
  }
  std::vector<std::string> groups;
  int64_t remaining = static_cast<int64_t>(digits.size());
  while (true) {
    int64_t l = std::min<int64_t>(std::max<int64_t>({remaining, min_width, 1}), static_cast<int64_t>(group));
    int64_t chars = std::min(remaining, l);
    std::string g(static_cast<size_t>(l - chars), '0');
    g += digits.substr(static_cast<size_t>(remaining - chars), static_cast<size_t>(chars));
    groups.push_back(std::move(g));
    remaining -= chars;
    min_width -= l;
    if (remaining <= 0 && min_width <= 0) break;
    min_width -= 1;
  }
  std::string out;
  for (auto it = groups.rbegin(); it != groups.rend(); ++it) {
    if (!out.empty()) out += sep;
    out += *it;
  }
  return out;
}

// ------------------------------------------------- the format mini-language

struct Spec {
  std::string fill = " ";
  bool fill_given = false;
  char align = 0;
  char sign = 0;
  bool no_neg_0 = false;
  bool alt = false;
  int64_t width = -1;
  char grouping = 0;
  int64_t precision = -1;
  uint32_t type = 0;
};

bool is_align(uint32_t c) { return c == '<' || c == '>' || c == '=' || c == '^'; }

std::string type_char(uint32_t c) {
  std::string out;
  append_utf8(out, c);
  return out;
}

// Digits at s[i...]: the number of digits read; "Too many decimal digits".
size_t read_int(std::string_view s, size_t& i, int64_t& out) {
  size_t start = i;
  out = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    int d = s[i] - '0';
    if (out > (INT64_MAX - d) / 10) fail("Too many decimal digits in format string");
    out = out * 10 + d;
    ++i;
  }
  return i - start;
}

Spec parse_spec(std::string_view s, char default_align, const std::string& type) {
  Spec spec;
  size_t i = 0;
  size_t first_len = 0;
  uint32_t first = s.empty() ? 0 : code_point_at(s, 0, first_len);
  if (s.size() > first_len && is_align(static_cast<unsigned char>(s[first_len]))) {
    spec.fill = std::string(s.substr(0, first_len));
    spec.fill_given = true;
    spec.align = s[first_len];
    i = first_len + 1;
  } else if (!s.empty() && is_align(first)) {
    spec.align = s[0];
    i = 1;
  }
  bool align_given = spec.align != 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-' || s[i] == ' ')) spec.sign = s[i++];
  if (i < s.size() && s[i] == 'z') spec.no_neg_0 = true, ++i;
  if (i < s.size() && s[i] == '#') spec.alt = true, ++i;
  if (i < s.size() && s[i] == '0' && !spec.fill_given) {
    spec.fill = "0";
    if (!align_given && default_align == '>') spec.align = '=';
    ++i;
  }
  if (read_int(s, i, spec.width) == 0) spec.width = -1;
  if (i < s.size() && s[i] == ',') spec.grouping = ',', ++i;
  if (i < s.size() && s[i] == '_') {
    if (spec.grouping) fail("Cannot specify both ',' and '_'.");
    spec.grouping = '_', ++i;
  }
  if (i < s.size() && s[i] == ',' && spec.grouping == '_') fail("Cannot specify both ',' and '_'.");
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (read_int(s, i, spec.precision) == 0) fail("Format specifier missing precision");
  }
  if (i < s.size()) {
    size_t len = 0;
    uint32_t c = code_point_at(s, i, len);
    if (i + len < s.size()) fail(fmt::format("Invalid format specifier '{}' for object of type '{}'", s, type));
    spec.type = c;
  }
  if (spec.grouping) {
    // A str's spec without a type is 's' (Python's default type).
    switch (spec.type ? spec.type : default_align == '<' ? 's' : 0) {
      case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case 0: break;
      case 'b': case 'o': case 'x': case 'X':
        if (spec.grouping == '_') break;
        [[fallthrough]];
      default:
        uint32_t t = spec.type ? spec.type : 's';
        if (t > 32 && t < 128) fail(fmt::format("Cannot specify '{}' with '{}'.", spec.grouping, static_cast<char>(t)));
        fail(fmt::format("Cannot specify '{}' with '\\x{:x}'.", spec.grouping, t));
    }
  }
  return spec;
}

[[noreturn]] void unknown_code(uint32_t code, const std::string& type) {
  if (code > 32 && code < 128) fail(fmt::format("Unknown format code '{}' for object of type '{}'", static_cast<char>(code), type));
  fail(fmt::format("Unknown format code '\\x{:x}' for object of type '{}'", code, type));
}

// Pads a body of `len` characters to the spec's width.
std::string pad(const Spec& spec, char align, const std::string& before, const std::string& after, size_t len,
                const PyFormatHooks& h) {
  if (spec.width <= static_cast<int64_t>(len)) return before + after;
  uint64_t n = static_cast<uint64_t>(spec.width) - len;
  charge(h, n * spec.fill.size() + before.size() + after.size());
  std::string fill = repeat(spec.fill, align == '^' ? n / 2 : n);
  switch (align) {
    case '<': return before + after + fill;
    case '^': return fill + before + after + repeat(spec.fill, n - n / 2);
    case '=': return before + fill + after;
    default: return fill + before + after;
  }
}

// sign + prefix + grouped digits + rest, aligned as a number.
std::string layout_number(const Spec& spec, const std::string& sign, const std::string& prefix, const std::string& digits,
                          const std::string& rest, size_t group, const PyFormatHooks& h) {
  char align = spec.align ? spec.align : '>';
  size_t fixed = sign.size() + prefix.size() + utf8_length(rest);
  int64_t min_width = spec.fill == "0" && align == '=' ? spec.width - static_cast<int64_t>(fixed) : 0;
  if (min_width > 0) charge(h, static_cast<uint64_t>(min_width) * 2);
  std::string grouped = group_digits(digits, spec.grouping, group, min_width);
  return pad(spec, align, sign + prefix, grouped + rest, fixed + grouped.size(), h);
}

std::string format_str(const std::string& s, const Spec& spec, const PyFormatHooks& h) {
  if (spec.type != 0 && spec.type != 's') unknown_code(spec.type, "str");
  if (spec.sign == ' ') fail("Space not allowed in string format specifier");
  if (spec.sign) fail("Sign not allowed in string format specifier");
  if (spec.no_neg_0) fail("Negative zero coercion (z) not allowed in string format specifier");
  if (spec.alt) fail("Alternate form (#) not allowed in string format specifier");
  if (spec.align == '=') fail("'=' alignment not allowed in string format specifier");
  std::string text(spec.precision >= 0 ? first_characters(s, static_cast<uint64_t>(spec.precision)) : std::string_view(s));
  return pad(spec, spec.align ? spec.align : '<', "", text, utf8_length(text), h);
}

std::string format_float(double d, Spec spec, const std::string& type, const PyFormatHooks& h) {
  uint32_t t = spec.type;
  bool add_dot_0 = false;
  switch (t) {
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%': break;
    case 'n': t = 'g'; break;
    case 0: add_dot_0 = true; t = spec.precision < 0 ? 'r' : 'g'; break;
    default: unknown_code(t, type);
  }
  int64_t precision = spec.precision < 0 ? 6 : spec.precision;
  std::string suffix;
  if (t == '%') d *= 100, t = 'f', suffix = "%";
  std::string body = float_digits(d, static_cast<char>(t), precision, spec.alt, add_dot_0, h);
  bool negative = std::signbit(d) && !std::isnan(d);
  if (negative && spec.no_neg_0 && std::isfinite(d) && body.find_first_of("123456789") == std::string::npos) negative = false;
  std::string sign = negative ? "-" : spec.sign == '+' ? "+" : spec.sign == ' ' ? " " : "";
  size_t int_end = body.find_first_not_of("0123456789");
  if (int_end == std::string::npos) int_end = body.size();
  return layout_number(spec, sign, "", body.substr(0, int_end), body.substr(int_end) + suffix, 3, h);
}

// An int (a bool as 0/1, or one beyond 64 bits) under a format spec: its
// sign and its digits in base 2, 8, 10 or 16 laid out by layout_number
// (grouping and padding work on digit strings); a float presentation
// converts it as Python's float(x).
std::string format_int(const Value& v, const Spec& spec, const std::string& type, const PyFormatHooks& h) {
  const bool big = v.is_big_int();
  const int64_t small = big ? 0 : v.is_bool() ? int64_t(v.as_bool()) : v.as_int();
  uint32_t t = spec.type;
  switch (t) {
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%': {
      if (!big) return format_float(static_cast<double>(small), spec, type, h);
      auto d = python_int::to_float(v);
      if (!d) fail(d.error().message);
      return format_float(*d, spec, type, h);
    }
    case 'b': case 'c': case 'd': case 'o': case 'x': case 'X': case 'n': case 0: break;
    default: unknown_code(t, type);
  }
  if (spec.precision >= 0) fail("Precision not allowed in integer format specifier");
  if (spec.no_neg_0) fail("Negative zero coercion (z) not allowed in integer format specifier");
  if (t == 'c') {
    if (spec.sign) fail("Sign not allowed with integer format specifier 'c'");
    if (spec.alt) fail("Alternate form (#) not allowed with integer format specifier 'c'");
    if (big) fail("Python int too large to convert to C long");
    if (small < 0 || small > 0x10FFFF) fail("%c arg not in range(0x110000)");
    std::string ch;
    append_utf8(ch, static_cast<uint32_t>(small));
    return layout_number(spec, "", "", "", ch, 3, h);
  }
  int base = t == 'b' ? 2 : t == 'o' ? 8 : (t == 'x' || t == 'X') ? 16 : 10;
  std::string digits;
  if (big) {
    if (base == 10)
      if (auto e = python_int::str_digits_error(v)) fail(*e);
    digits = python_int::magnitude_digits(v, base, t == 'X');
    charge(h, digits.size());
  } else {
    digits = digits_of(magnitude(small), base, t == 'X');
  }
  std::string prefix;
  if (spec.alt && base != 10) prefix = base == 2 ? "0b" : base == 8 ? "0o" : t == 'X' ? "0X" : "0x";
  const bool negative = big ? python_int::sign(v) < 0 : small < 0;
  std::string sign = negative ? "-" : spec.sign == '+' ? "+" : spec.sign == ' ' ? " " : "";
  return layout_number(spec, sign, prefix, digits, "", base == 10 ? 3 : 4, h);
}

std::string format_value(const Value& v, std::string_view spec_text, const PyFormatHooks& h) {
  if (v.is_string()) {
    if (spec_text.empty()) return v.as_string();
    return format_str(v.as_string(), parse_spec(spec_text, '<', "str"), h);
  }
  std::string type = type_name(v, h);
  if (v.is_int() || v.is_bool() || v.is_big_int()) {
    if (spec_text.empty()) return str_of(v, h);  // bool's str is True
    return format_int(v, parse_spec(spec_text, '>', type), type, h);
  }
  if (v.is_double()) {
    if (spec_text.empty()) return str_of(v, h);
    return format_float(v.as_double(), parse_spec(spec_text, '>', type), type, h);
  }
  // object.__format__: only the empty spec, which is str().
  if (!spec_text.empty()) fail(fmt::format("unsupported format string passed to {}.__format__", type));
  return str_of(v, h);
}

// ------------------------------------------------------------ % formatting

struct PercentState {
  const Value* args;
  bool tuple;
  int64_t arglen;  // -1: one value
  int64_t argidx;  // -2: the one value not read yet
  const Value* dict;
};

const Value& next_arg(PercentState& st) {
  if (st.argidx < st.arglen) {
    int64_t i = st.argidx++;
    if (st.arglen < 0) return *st.args;
    return st.args->as_list()[static_cast<size_t>(i)];
  }
  fail("not enough arguments for format string");
}

// The int a numeric conversion reads: Python's int(x) for %d (a float is
// truncated), an int only for %x %o %X and '*'.
struct IntArg {
  bool is_int = true;
  int64_t i = 0;
  std::string big;  // a float beyond 64 bits, exactly (its digits)
  bool negative = false;
};

IntArg int_arg(const Value& v, char conv, const PyFormatHooks& h) {
  IntArg r;
  if (v.is_bool()) r.i = v.as_bool() ? 1 : 0;
  else if (v.is_int()) r.i = v.as_int();
  else if (v.is_big_int()) {
    // Beyond 64 bits: the digits in the conversion's base.
    int base = conv == 'o' ? 8 : (conv == 'x' || conv == 'X') ? 16 : 10;
    if (base == 10)
      if (auto e = python_int::str_digits_error(v)) fail(*e);
    r.is_int = false;
    r.big = python_int::magnitude_digits(v, base, conv == 'X');
    charge(h, r.big.size());
    r.negative = python_int::sign(v) < 0;
    return r;
  }
  else if (v.is_double() && (conv == 'd' || conv == 'i' || conv == 'u')) {
    double d = v.as_double();
    if (std::isinf(d)) fail("cannot convert float infinity to integer");
    if (std::isnan(d)) fail("cannot convert float NaN to integer");
    d = std::trunc(d);
    if (std::fabs(d) < 9.2e18) {
      r.i = static_cast<int64_t>(d);
    } else {
      char buf[400];
      std::snprintf(buf, sizeof buf, "%.0f", std::fabs(d));  // an integral double's exact digits
      r.is_int = false;
      r.big = buf;
      r.negative = d < 0;
    }
  } else if (conv == 'd' || conv == 'i' || conv == 'u') {
    fail(fmt::format("%{} format: a real number is required, not {}", conv, type_name(v, h)));
  } else {
    fail(fmt::format("%{} format: an integer is required, not {}", conv, type_name(v, h)));
  }
  if (r.is_int) r.negative = r.i < 0;
  return r;
}

double float_arg(const Value& v, const PyFormatHooks& h) {
  if (v.is_bool()) return v.as_bool() ? 1 : 0;
  if (v.is_number()) return v.as_double();
  fail(fmt::format("must be real number, not {}", type_name(v, h)));
}

enum Flags { kLeft = 1, kSign = 2, kBlank = 4, kAlt = 8, kZero = 16 };

std::string percent_format(std::string_view f, const Value& args, bool args_is_tuple, const PyFormatHooks& h) {
  PercentState st{&args, args_is_tuple, args_is_tuple ? static_cast<int64_t>(args.size()) : -1,
                  args_is_tuple ? 0 : -2, nullptr};
  // A mapping serves %(key)s: a dict, or (Python's PyMapping_Check) a list.
  if (!args_is_tuple && (args.is_dict() || args.is_list())) st.dict = &args;
  std::string out;
  size_t i = 0;
  size_t chars = 0;  // characters before i: the index an error names
  while (i < f.size()) {
    size_t pct = f.find('%', i);
    if (pct == std::string_view::npos) pct = f.size();
    out.append(f.substr(i, pct - i));
    chars += utf8_length(f.substr(i, pct - i));
    i = pct;
    if (i >= f.size()) break;
    size_t start_chars = chars;
    ++i;
    if (i < f.size() && f[i] == '%') {
      out += '%';
      ++i;
      chars += 2;
      continue;
    }
    const Value* keyed = nullptr;
    Value keyed_value;
    if (i < f.size() && f[i] == '(') {
      if (!st.dict) fail("format requires a mapping");
      int depth = 1;
      size_t key_start = ++i;
      while (i < f.size() && depth > 0) {
        if (f[i] == '(') ++depth;
        else if (f[i] == ')') --depth;
        ++i;
      }
      if (depth > 0) fail("incomplete format key");
      std::string key(f.substr(key_start, i - 1 - key_start));
      if (st.dict->is_list()) fail("list indices must be integers or slices, not str");
      keyed = st.dict->find(key);
      if (!keyed) fail(python_string_repr(key));
      keyed_value = *keyed;
      st.args = &keyed_value;
      st.arglen = -1;
      st.argidx = -2;
    }
    int flags = 0;
    for (; i < f.size(); ++i) {
      char c = f[i];
      if (c == '-') flags |= kLeft;
      else if (c == '+') flags |= kSign;
      else if (c == ' ') flags |= kBlank;
      else if (c == '#') flags |= kAlt;
      else if (c == '0') flags |= kZero;
      else break;
    }
    int64_t width = -1, precision = -1;
    auto star = [&]() -> int64_t {
      const Value& v = next_arg(st);
      if (!v.is_int() && !v.is_bool()) fail("* wants int");
      return v.is_bool() ? int64_t(v.as_bool()) : v.as_int();
    };
    if (i < f.size() && f[i] == '*') {
      width = star();
      if (width < 0) flags |= kLeft, width = width == INT64_MIN ? INT64_MAX : -width;
      ++i;
    } else {
      size_t b = i;
      while (i < f.size() && f[i] >= '0' && f[i] <= '9') {
        if (width > (INT64_MAX - 9) / 10) fail("width too big");
        width = (width < 0 ? 0 : width) * 10 + (f[i++] - '0');
      }
      if (i == b) width = -1;
    }
    if (i < f.size() && f[i] == '.') {
      ++i;
      precision = 0;
      if (i < f.size() && f[i] == '*') {
        precision = std::max<int64_t>(star(), 0);
        ++i;
      } else {
        while (i < f.size() && f[i] >= '0' && f[i] <= '9') {
          if (precision > (INT64_MAX - 9) / 10) fail("precision too big");
          precision = precision * 10 + (f[i++] - '0');
        }
      }
    }
    while (i < f.size() && (f[i] == 'h' || f[i] == 'l' || f[i] == 'L')) ++i;
    if (i >= f.size()) fail("incomplete format");
    size_t conv_len = 0;
    uint32_t conv = code_point_at(f, i, conv_len);
    chars = start_chars + utf8_length(f.substr(pct, i - pct));
    size_t conv_index = chars;
    i += conv_len;
    chars += 1;
    const Value& v = next_arg(st);

    std::string sign, prefix, body;  // the text is sign + prefix + body
    bool numeric = true;
    switch (conv) {
      case 's': case 'r': case 'a': {
        numeric = false;
        if (conv == 's') body = str_of(v, h);
        else body = conv == 'r' ? repr_of(v, h) : python_ascii_escape(repr_of(v, h));
        if (precision >= 0) body = std::string(first_characters(body, static_cast<uint64_t>(precision)));
        charge(h, body.size());  // '%s%s%s' % (big, big, big)
        break;
      }
      case 'c': {
        numeric = false;
        if (v.is_string()) {
          if (utf8_length(v.as_string()) != 1) fail("%c requires int or char");
          body = v.as_string();
        } else if (v.is_big_int()) {
          fail("%c arg not in range(0x110000)");
        } else if (v.is_int() || v.is_bool()) {
          int64_t c = v.is_bool() ? int64_t(v.as_bool()) : v.as_int();
          if (c < 0 || c > 0x10FFFF) fail("%c arg not in range(0x110000)");
          append_utf8(body, static_cast<uint32_t>(c));
        } else {
          fail("%c requires int or char");
        }
        break;
      }
      case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': {
        IntArg n = int_arg(v, static_cast<char>(conv), h);
        int base = conv == 'o' ? 8 : (conv == 'x' || conv == 'X') ? 16 : 10;
        body = n.is_int ? digits_of(magnitude(n.i), base, conv == 'X') : n.big;
        if (precision > static_cast<int64_t>(body.size())) {
          charge(h, static_cast<uint64_t>(precision));
          body.insert(0, static_cast<size_t>(precision) - body.size(), '0');
        }
        if (flags & kAlt && base != 10) prefix = conv == 'o' ? "0o" : conv == 'x' ? "0x" : "0X";
        sign = n.negative ? "-" : flags & kSign ? "+" : flags & kBlank ? " " : "";
        break;
      }
      case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': {
        double d = float_arg(v, h);
        body = float_digits(d, static_cast<char>(conv), precision < 0 ? 6 : precision, flags & kAlt, false, h);
        sign = std::signbit(d) && !std::isnan(d) ? "-" : flags & kSign ? "+" : flags & kBlank ? " " : "";
        break;
      }
      default: {
        char shown = conv >= 32 && conv < 127 ? static_cast<char>(conv) : '?';
        fail(fmt::format("unsupported format character '{}' (0x{:x}) at index {}", shown, conv, conv_index));
      }
    }
    size_t len = sign.size() + prefix.size() + utf8_length(body);
    if (width > static_cast<int64_t>(len)) {
      uint64_t n = static_cast<uint64_t>(width) - len;
      charge(h, n + sign.size() + prefix.size() + body.size());
      if (flags & kLeft) out += sign + prefix + body + std::string(n, ' ');
      else if (numeric && flags & kZero) out += sign + prefix + std::string(n, '0') + body;
      else out += std::string(n, ' ') + sign + prefix + body;
    } else {
      out += sign + prefix + body;
    }
  }
  if (st.argidx < st.arglen && !st.dict) fail("not all arguments converted during string formatting");
  return out;
}

// ------------------------------------------------------------- str.format

struct Numbering {
  enum { Init, Auto, Manual } state = Init;
  int64_t next = 0;
};

// All digits (get_integer): the index, or -1.
int64_t as_index(std::string_view s) {
  if (s.empty()) return -1;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    if (v > (INT64_MAX - 9) / 10) fail("Too many decimal digits in format string");
    v = v * 10 + (c - '0');
  }
  return v;
}

// Python's getattr/getitem for the values Bora has.
Value default_field(const Value& obj, const std::string& name, bool is_attribute, const PyFormatHooks& h) {
  std::string type = type_name(obj, h);
  if (is_attribute) {
    if (obj.is_number() || obj.is_bool()) {
      bool is_float = obj.is_double();
      if (name == "real") return obj.is_bool() ? Value(int64_t(obj.as_bool())) : obj;
      if (name == "imag") return is_float ? Value(0.0) : Value(int64_t(0));
      if (!is_float && name == "numerator") return obj.is_bool() ? Value(int64_t(obj.as_bool())) : obj;
      if (!is_float && name == "denominator") return Value(int64_t(1));
    }
    fail(fmt::format("'{}' object has no attribute '{}'", type, name));
  }
  int64_t index = as_index(name);
  if (obj.is_dict()) {
    if (const Value* x = obj.find(name)) {
      if (index < 0) return *x;
    }
    fail(index >= 0 ? name : python_string_repr(name));
  }
  if (obj.is_list() || obj.is_string()) {
    if (index < 0) {
      if (obj.is_string()) fail("string indices must be integers, not 'str'");
      fail(fmt::format("{} indices must be integers or slices, not str", type));
    }
    if (obj.is_list()) {
      if (static_cast<uint64_t>(index) >= obj.size()) fail(fmt::format("{} index out of range", type));
      return obj.as_list()[static_cast<size_t>(index)];
    }
    std::vector<std::string> chars = utf8_characters(obj.as_string());
    if (static_cast<uint64_t>(index) >= chars.size()) fail("string index out of range");
    return Value(chars[static_cast<size_t>(index)]);
  }
  fail(fmt::format("'{}' object is not subscriptable", type));
}

class StrFormatter {
 public:
  StrFormatter(const std::vector<Value>& args, const std::vector<std::pair<std::string, Value>>& kwargs,
               const PyFormatHooks& h)
      : args_(args), kwargs_(kwargs), h_(h) {}

  std::string build(std::string_view s, int depth) {
    if (depth <= 0) fail("Max string recursion exceeded");
    std::string out;
    size_t i = 0;
    while (i < s.size()) {
      size_t at = s.find_first_of("{}", i);
      if (at == std::string_view::npos) {
        out.append(s.substr(i));
        break;
      }
      out.append(s.substr(i, at - i));
      char c = s[at];
      i = at + 1;
      bool at_end = i >= s.size();
      if (c == '}' && (at_end || s[i] != '}')) fail("Single '}' encountered in format string");
      if (at_end && c == '{') fail("Single '{' encountered in format string");
      if (s[i] == c) {
        out += c;
        ++i;
        continue;
      }
      // The field: its name ends at ':', '!' or '}' ('[' skips to ']').
      size_t name_start = i;
      char end = 0;
      while (i < s.size()) {
        char x = s[i++];
        if (x == '{') fail("unexpected '{' in field name");
        if (x == '[') {
          while (i < s.size() && s[i] != ']') ++i;
          continue;
        }
        if (x == '}' || x == ':' || x == '!') {
          end = x;
          break;
        }
      }
      std::string_view name = s.substr(name_start, (end ? i - 1 : i) - name_start);
      uint32_t conversion = 0;
      std::string_view spec;
      bool spec_has_fields = false;
      if (end == '!' || end == ':') {
        if (end == '!') {
          if (i >= s.size()) fail("end of string while looking for conversion specifier");
          size_t len = 0;
          conversion = code_point_at(s, i, len);
          i += len;
          if (i < s.size()) {
            char x = s[i++];
            if (x != '}' && x != ':') fail("expected ':' after conversion specifier");
            if (x == '}') end = '}';
          }
        }
        if (end != '}') {
          size_t spec_start = i;
          int count = 1;
          bool closed = false;
          while (i < s.size()) {
            char x = s[i++];
            if (x == '{') spec_has_fields = true, ++count;
            else if (x == '}' && --count == 0) {
              closed = true;
              break;
            }
          }
          if (!closed) fail("unmatched '{' in format spec");
          spec = s.substr(spec_start, i - 1 - spec_start);
        }
      } else if (end != '}') {
        fail("expected '}' before end of string");
      }
      Value obj = field(name);
      if (conversion) {
        if (conversion == 'r') obj = Value(repr_of(obj, h_));
        else if (conversion == 's') obj = Value(str_of(obj, h_));
        else if (conversion == 'a') obj = Value(python_ascii_escape(repr_of(obj, h_)));
        else if (conversion > 32 && conversion < 127 && !h_.formatter_class)
          fail(fmt::format("Unknown conversion specifier {}", static_cast<char>(conversion)));
        else if (h_.formatter_class)
          fail("Unknown conversion specifier " + type_char(conversion));
        else
          fail(fmt::format("Unknown conversion specifier \\x{:x}", conversion));
      }
      std::string expanded;
      if (spec_has_fields) expanded = build(spec, depth - 1);
      std::string text = format_value(obj, spec_has_fields ? std::string_view(expanded) : spec, h_);
      if (h_.field_text) text = h_.field_text(std::move(text));
      charge(h_, text.size());
      out += text;
    }
    return out;
  }

 private:
  Value field(std::string_view name) {
    size_t first_end = name.find_first_of(".[");
    if (first_end == std::string_view::npos) first_end = name.size();
    std::string_view first = name.substr(0, first_end);
    int64_t index = as_index(first);
    bool empty = first.empty();
    if (h_.formatter_class) {
      // string.Formatter: the whole field name decides the numbering.
      if (name.empty()) {
        if (numbering_.state == Numbering::Manual)
          fail("cannot switch from manual field specification to automatic field numbering");
        numbering_.state = Numbering::Auto;
        index = numbering_.next++;
      } else if (as_index(name) >= 0) {
        if (numbering_.next > 0) fail("cannot switch from manual field specification to automatic field numbering");
        numbering_.state = Numbering::Manual;
      }
    } else if (empty || index >= 0) {
      if (numbering_.state == Numbering::Init) numbering_.state = empty ? Numbering::Auto : Numbering::Manual;
      if (numbering_.state == Numbering::Manual && empty)
        fail("cannot switch from manual field specification to automatic field numbering");
      if (numbering_.state == Numbering::Auto && !empty)
        fail("cannot switch from automatic field numbering to manual field specification");
      if (empty) index = numbering_.next++;
    }
    Value obj;
    if (index >= 0) {
      if (static_cast<uint64_t>(index) >= args_.size()) {
        if (h_.formatter_class) fail("tuple index out of range");
        fail(fmt::format("Replacement index {} out of range for positional args tuple", index));
      }
      obj = args_[static_cast<size_t>(index)];
    } else {
      const Value* found = nullptr;
      for (const auto& [k, v] : kwargs_)
        if (k == first) found = &v;
      if (!found) fail(python_string_repr(std::string(first)));
      obj = *found;
    }
    size_t i = first_end;
    while (i < name.size()) {
      char c = name[i++];
      bool is_attribute = c == '.';
      std::string key;
      if (is_attribute) {
        size_t e = name.find_first_of(".[", i);
        if (e == std::string_view::npos) e = name.size();
        key = std::string(name.substr(i, e - i));
        i = e;
      } else if (c == '[') {
        size_t e = name.find(']', i);
        if (e == std::string_view::npos) fail("Missing ']' in format string");
        key = std::string(name.substr(i, e - i));
        i = e + 1;
        as_index(key);  // "Too many decimal digits"
      } else {
        fail("Only '.' or '[' may follow ']' in format field specifier");
      }
      if (key.empty()) fail("Empty attribute in format string");
      if (h_.field) {
        Result<Value> r = h_.field(obj, key, is_attribute);
        if (!r) fail(r.error().message);
        obj = std::move(r).value();
      } else {
        obj = default_field(obj, key, is_attribute, h_);
      }
    }
    return obj;
  }

  const std::vector<Value>& args_;
  const std::vector<std::pair<std::string, Value>>& kwargs_;
  const PyFormatHooks& h_;
  Numbering numbering_;
};

template <typename F>
Result<std::string> guarded(F&& f) {
  try {
    return f();
  } catch (const PyError& e) {
    return Error{ErrorKind::BadInput, e.message};
  }
}

}  // namespace

std::string python_ascii_escape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    size_t len = 0;
    uint32_t cp = code_point_at(s, i, len);
    if (cp < 0x80) out += static_cast<char>(cp);
    else if (cp < 0x100) out += fmt::format("\\x{:02x}", cp);
    else if (cp < 0x10000) out += fmt::format("\\u{:04x}", cp);
    else out += fmt::format("\\U{:08x}", cp);
    i += len;
  }
  return out;
}

Result<std::string> python_percent_format(std::string_view fmt, const Value& args, bool args_is_tuple,
                                          const PyFormatHooks& hooks) {
  return guarded([&] { return percent_format(fmt, args, args_is_tuple, hooks); });
}

Result<std::string> python_str_format(std::string_view fmt, const std::vector<Value>& args,
                                      const std::vector<std::pair<std::string, Value>>& kwargs,
                                      const PyFormatHooks& hooks) {
  return guarded([&] { return StrFormatter(args, kwargs, hooks).build(fmt, 2); });
}

Result<std::string> python_format_value(const Value& value, std::string_view spec, const PyFormatHooks& hooks) {
  return guarded([&] { return format_value(value, spec, hooks); });
}

}  // namespace bora
