#include "bora/core/python_format.h"
#include "bora/core/error.h"
#include "bora/core/json.h"
#include "bora/core/python_int.h"

#include "bora/core/limits.h"
#include "bora/core/python_unicode.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace bora {

std::string python_float_repr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";

  // Shortest round-trip digits in scientific form: "d.ddde[+-]x".
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  bool neg = sci[0] == '-';
  if (neg) sci.erase(0, 1);
  size_t epos = sci.find('e');
  int exp = std::atoi(sci.c_str() + epos + 1);
  std::string digits;
  for (size_t i = 0; i < epos; ++i)
    if (sci[i] != '.') digits.push_back(sci[i]);

  std::string out = neg ? "-" : "";
  if (exp >= -5 + 1 && exp < 16) {  // Python: scientific when exp < -4 or exp >= 16
    if (exp < 0) {
      out += "0.";
      out.append(static_cast<size_t>(-exp - 1), '0');
      out += digits;
    } else {
      size_t int_len = static_cast<size_t>(exp) + 1;
      if (digits.size() <= int_len) {
        out += digits;
        out.append(int_len - digits.size(), '0');
        out += ".0";
      } else {
        out += digits.substr(0, int_len);
        out += '.';
        out += digits.substr(int_len);
      }
    }
    return out;
  }
  out += digits.substr(0, 1);
  if (digits.size() > 1) {
    out += '.';
    out += digits.substr(1);
  }
  char e[16];
  std::snprintf(e, sizeof e, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
  out += e;
  return out;
}

namespace {

// Decodes one UTF-8 code point at s[i]; returns its length (1 on bad bytes,
// which then print as \x escapes the way Python prints surrogate escapes).
size_t decode_utf8(const std::string& s, size_t i, uint32_t& cp) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    cp = c;
    return 1;
  }
  cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
  for (size_t k = 1; k < len; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc >> 6) != 0x2) {
      cp = c;
      return 1;
    }
    cp = (cp << 6) | (cc & 0x3f);
  }
  return len;
}

}  // namespace

std::string python_bytes_repr(const std::string& bytes) {
  bool has_single = bytes.find('\'') != std::string::npos;
  bool has_double = bytes.find('"') != std::string::npos;
  char quote = (has_single && !has_double) ? '"' : '\'';
  std::string out = "b";
  out += quote;
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '\\' || c == static_cast<unsigned char>(quote)) {
      out += '\\';
      out += ch;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c >= 0x7f) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\x%02x", c);
      out += esc;
    } else {
      out += ch;
    }
  }
  out += quote;
  return out;
}

std::string python_string_repr(const std::string& s) {
  bool has_single = s.find('\'') != std::string::npos;
  bool has_double = s.find('"') != std::string::npos;
  char quote = (has_single && !has_double) ? '"' : '\'';
  std::string out;
  out.reserve(s.size() + 2);
  out += quote;
  for (size_t i = 0; i < s.size();) {
    uint32_t cp;
    size_t len = decode_utf8(s, i, cp);
    char esc[16];
    if (cp == '\\') {
      out += "\\\\";
    } else if (cp == static_cast<uint32_t>(quote)) {
      out += '\\';
      out += quote;
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (len == 1 && cp >= 0x80) {
      std::snprintf(esc, sizeof esc, "\\x%02x", cp);  // a broken byte, as Python shows a surrogate escape
      out += esc;
    } else if (!python_isprintable(cp)) {
      // Python's repr escapes what str.isprintable() refuses (controls,
      // format characters such as U+200B, separators, unassigned ones).
      std::snprintf(esc, sizeof esc, cp < 0x100 ? "\\x%02x" : cp < 0x10000 ? "\\u%04x" : "\\U%08x", cp);
      out += esc;
    } else {
      out.append(s, i, len);
    }
    i += len;
  }
  out += quote;
  return out;
}

void append_python_repr(std::string& out, const Value& v) {
  switch (v.type()) {
    case Value::Type::Null: out += "None"; return;
    case Value::Type::Bool: out += v.as_bool() ? "True" : "False"; return;
    case Value::Type::Int: out += std::to_string(v.as_int()); return;
    case Value::Type::Double: out += python_float_repr(v.as_double()); return;
    case Value::Type::BigInt:
      // Python's str() and repr() refuse an int of more than 4 300 digits.
      if (auto e = python_int::str_digits_error(v)) throw BoraError(ErrorKind::BadInput, *e);
      out += python_int::to_text(v);
      return;
    case Value::Type::String: out += python_string_repr(v.as_string()); return;
    case Value::Type::List: {
      // A tuple (Value::is_tuple) as Python prints one: (1, 2), (1,), ().
      out += v.is_tuple() ? '(' : '[';
      bool first = true;
      for (const auto& x : v.as_list()) {
        if (!first) out += ", ";
        first = false;
        append_python_repr(out, x);
      }
      if (v.is_tuple() && v.size() == 1) out += ',';
      out += v.is_tuple() ? ')' : ']';
      return;
    }
    case Value::Type::Dict: {
      out += '{';
      bool first = true;
      for (const auto& [k, x] : v.as_dict()) {
        if (!first) out += ", ";
        first = false;
        // A key that is not text, as the expression engines hold one
        // ('\x02' and its JSON: src/expr/yaql/evaluator.h, kTypedKey):
        // its own repr, a list as the tuple it stands for.
        if (!k.empty() && k[0] == '\x02') {
          if (auto key = parse_json(std::string_view(k).substr(1))) {
            append_python_repr(out, key->is_list() ? with_marks(*key, true) : *key);
            out += ": ";
            append_python_repr(out, x);
            continue;
          }
        }
        out += python_string_repr(k);
        out += ": ";
        append_python_repr(out, x);
      }
      out += '}';
      return;
    }
  }
}

std::string python_repr(const Value& v) {
  std::string out;
  require_printable(v, "Python text");  // append_python_repr recurses once per level
  append_python_repr(out, v);
  return out;
}

std::string python_str(const Value& v) {
  if (v.is_string()) return v.as_string();
  return python_repr(v);
}

std::string python_type_name(const Value& v) {
  switch (v.type()) {
    case Value::Type::Null: return "NoneType";
    case Value::Type::Bool: return "bool";
    case Value::Type::Int:
    case Value::Type::BigInt: return "int";
    case Value::Type::Double: return "float";
    case Value::Type::String: return "str";
    case Value::Type::List: return v.is_tuple() ? "tuple" : "list";
    case Value::Type::Dict: return "dict";
  }
  return "object";
}

}  // namespace bora
