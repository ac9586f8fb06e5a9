#include "bora/core/json.h"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <limits>
#include <string_view>
#include <cctype>
#include <cmath>
#include <optional>
#include <vector>
#include <cstdio>

#include "bora/core/ascii.h"
#include "bora/core/limits.h"
#include "bora/core/python_format.h"
#include "bora/core/python_int.h"
#include "bora/core/utf8.h"

namespace bora {

namespace {

// RapidJSON refuses a number of more than about 308 digits, or with a
// positive exponent beyond 308 ("Number too big to be stored in double"),
// even when it hands numbers over as text; Python's json reads the first as
// an int of any size and the second as inf. parse_json puts each such
// number aside and writes in its place this mark and its index (a number no
// JSON writer makes; any number of the input that starts with it is put
// aside too, so that the mark never means anything else).
constexpr std::string_view kLongNumberMark = "-0.000000000000000000000000000000000000000000000000000000000000001";

// The number of text starting at i (outside strings): its end.
size_t number_end(std::string_view text, size_t i) {
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '-' || text[i] == '+' ||
                             text[i] == '.' || text[i] == 'e' || text[i] == 'E'))
    ++i;
  return i;
}

// JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool json_number(std::string_view n) {
  size_t i = 0;
  auto digits = [&] {
    size_t from = i;
    while (i < n.size() && std::isdigit(static_cast<unsigned char>(n[i]))) ++i;
    return i > from;
  };
  if (i < n.size() && n[i] == '-') ++i;
  if (i < n.size() && n[i] == '0') ++i;
  else if (!digits()) return false;
  if (i < n.size() && n[i] == '.' && (++i, !digits())) return false;
  if (i < n.size() && (n[i] == 'e' || n[i] == 'E')) {
    ++i;
    if (i < n.size() && (n[i] == '+' || n[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == n.size();
}

// A number RapidJSON would refuse although it is valid JSON, or one that
// looks like the mark.
bool scans_badly(std::string_view number) {
  if (!json_number(number)) return false;  // RapidJSON's own error stands
  if (number.substr(0, kLongNumberMark.size()) == kLongNumberMark) return true;
  size_t digits = number.find_first_of(".eE");
  if ((digits == std::string_view::npos ? number.size() : digits) > 300) return true;
  size_t e = number.find_first_of("eE");
  if (e == std::string_view::npos || e + 1 >= number.size() || number[e + 1] == '-') return false;
  std::string_view exponent = number.substr(e + 1 + (number[e + 1] == '+'));
  return exponent.size() > 3 || (exponent.size() == 3 && exponent >= "280");
}

// The text with each number RapidJSON cannot scan replaced by the mark;
// nullopt when there is none (the text is parsed as it is).
std::optional<std::string> set_long_numbers_aside(std::string_view text, std::vector<std::string>& numbers) {
  std::string out;
  size_t copied = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (in_string) {
      if (ch == '\\') ++i;
      else if (ch == '"') in_string = false;
      continue;
    }
    if (ch == '"') {
      in_string = true;
    } else if (ch == '-' || std::isdigit(static_cast<unsigned char>(ch))) {
      size_t end = number_end(text, i);
      std::string_view number = text.substr(i, end - i);
      if (scans_badly(number)) {
        out.append(text.substr(copied, i - copied));
        out.append(kLongNumberMark).append(std::to_string(numbers.size()));
        numbers.emplace_back(number);
        copied = end;
      }
      i = end - 1;
    }
  }
  if (numbers.empty()) return std::nullopt;
  out.append(text.substr(copied));
  return out;
}

// Python's json reads a lone surrogate escape ("\ud800" without its low
// half) as a str holding that character, which Bora holds in its generalized
// UTF-8 form (core/utf8.h). RapidJSON lets a lone low surrogate through in
// that form but refuses a lone high one. So, only when it has refused one,
// parse_json rewrites each lone high escape as the escape of U+DFFF (a lone
// low one) and notes the character it stands for; the builder then puts the
// noted characters back, in document order, in place of each U+DFFF it
// meets. A U+DFFF escape that was in the text is noted as itself, so that
// the order holds. Raw surrogate bytes cannot reach the builder: RapidJSON
// refuses them as not UTF-8, as Python's decoder does.
constexpr std::string_view kSurrogateMark = "\xED\xBF\xBF";  // U+DFFF

// The \uXXXX escape at text[i] (text[i] == '\\'): its code unit, or -1.
long escape_unit(std::string_view text, size_t i) {
  if (i + 6 > text.size() || text[i] != '\\' || text[i + 1] != 'u') return -1;
  long unit = 0;
  for (size_t k = i + 2; k < i + 6; ++k) {
    int h = ascii_hex_value(text[k]);
    if (h < 0) return -1;
    unit = unit * 16 + h;
  }
  return unit;
}

std::optional<std::string> set_lone_surrogates_aside(std::string_view text, std::vector<uint32_t>& units) {
  std::string out;
  size_t copied = 0;
  bool in_string = false, rewritten = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (!in_string) {
      if (ch == '"') in_string = true;
      continue;
    }
    if (ch == '"') {
      in_string = false;
      continue;
    }
    if (ch != '\\') continue;
    long unit = escape_unit(text, i);
    if (unit < 0) {
      ++i;  // another escape: its character is not a quote or a backslash
      continue;
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      long low = escape_unit(text, i + 6);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        i += 11;  // a pair: one character, as RapidJSON and Python read it
        continue;
      }
      out.append(text.substr(copied, i - copied));
      out.append("\\udfff");
      copied = i + 6;
      units.push_back(static_cast<uint32_t>(unit));
      rewritten = true;
    } else if (unit == 0xDFFF) {
      units.push_back(0xDFFF);
    }
    i += 5;
  }
  if (!rewritten) return std::nullopt;
  out.append(text.substr(copied));
  return out;
}

// A text Bora holds (a JSON field sent as a string, an expression's
// json_parse argument) may carry a lone surrogate as its character, which
// Python's json.loads reads inside a string; RapidJSON refuses its bytes.
// Written as its escape, it reads the same; outside a string it is still an
// error. nullopt: no surrogate in the text.
std::optional<std::string> surrogates_escaped(std::string_view text) {
  if (find_invalid_utf8(text) == std::string_view::npos || !is_valid_text(text)) return std::nullopt;
  std::string out;
  out.reserve(text.size() + 8);
  for (size_t i = 0; i < text.size(); ++i) {
    if (!is_surrogate_at(text, i)) {
      out += text[i];
      continue;
    }
    char escape[8];
    std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned>(utf8_code_point(text.substr(i, 3))));
    out += escape;
    i += 2;
  }
  return out;
}

// Builds Values from SAX events with an explicit stack of open containers.
class ValueBuilder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, ValueBuilder> {
 public:
  explicit ValueBuilder(size_t max_depth) : max_depth_(max_depth) {}

  bool Null() { return add(Value()); }
  bool Bool(bool b) { return add(Value(b)); }
  bool Int(int i) { return add(Value(i)); }
  bool Uint(unsigned u) { return add(Value(static_cast<int64_t>(u))); }
  bool Int64(int64_t i) { return add(Value(i)); }
  bool Uint64(uint64_t u) {
    if (u > static_cast<uint64_t>(INT64_MAX)) return add(*python_int::parse_decimal(std::to_string(u)));
    return add(Value(static_cast<int64_t>(u)));
  }
  bool Double(double d) { return add(Value(d)); }
  // The numbers parse_json took out of the text, in order (see there).
  void set_long_numbers(std::vector<std::string> numbers) { long_numbers_ = std::move(numbers); }
  // The surrogates parse_json wrote as U+DFFF, in order (see there).
  void set_surrogates(std::vector<uint32_t> units) { surrogates_ = std::move(units); }
  // Numbers arrive as their text (kParseNumbersAsStringsFlag) and are
  // converted here: RapidJSON 1.1.0's own full-precision conversion is
  // undefined behaviour on some inputs ("0e308": __builtin_clzll(0), found by
  // the json fuzz target). std::from_chars rounds correctly, as Python does.
  bool RawNumber(const char* s, rapidjson::SizeType len, bool) {
    std::string_view t(s, len);
    if (!long_numbers_.empty() && t.substr(0, kLongNumberMark.size()) == kLongNumberMark) {
      // A number RapidJSON cannot scan, set aside by parse_json: its text again.
      size_t k = 0;
      std::from_chars(t.data() + kLongNumberMark.size(), t.data() + t.size(), k);
      if (k < long_numbers_.size()) return number(long_numbers_[k]);
    }
    return number(t);
  }
  // A number's text as Python's json reads it.
  bool number(std::string_view t) {
    const char* s = t.data();
    size_t len = t.size();
    // kParseNanAndInfFlag: Python's json reads NaN, Infinity, -Infinity.
    if (t == "NaN" || t == "-NaN") return add(Value(std::numeric_limits<double>::quiet_NaN()));
    if (t == "Infinity" || t == "Inf") return add(Value(std::numeric_limits<double>::infinity()));
    if (t == "-Infinity" || t == "-Inf") return add(Value(-std::numeric_limits<double>::infinity()));
    const char* end = s + len;
    if (t.find_first_of(".eE") == std::string_view::npos) {
      int64_t i = 0;
      auto [p, ec] = std::from_chars(s, end, i);
      if (ec == std::errc() && p == end) return add(Value(i));
      // Beyond int64: exact, as Python's json keeps an int of any size,
      // up to Python's limit on digits converted from text.
      if (ec == std::errc::result_out_of_range) {
        auto big = python_int::parse(t, 10);
        if (!big) {
          too_many_digits_ = big.error().message;
          return false;
        }
        if (*big) return add(std::move(**big));
      }
    }
    double d = 0;
    auto [p, ec] = std::from_chars(s, end, d);
    if (ec == std::errc::result_out_of_range) {
      // Python: 1e400 is inf, 1e-400 is 0.0 (strtod says which, in the C
      // locale Bora runs in).
      d = std::strtod(std::string(t).c_str(), nullptr);
    } else if (ec != std::errc() || p != end) {
      return false;
    }
    return add(Value(d));
  }
  bool String(const char* s, rapidjson::SizeType len, bool) {
    if (!text_ok(s, len)) return false;
    return add(Value(restored(s, len)));
  }
  bool Key(const char* s, rapidjson::SizeType len, bool) {
    if (!text_ok(s, len)) return false;
    stack_.back().key = restored(s, len);
    return true;
  }
  bool StartObject() { return open(true); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool StartArray() { return open(false); }
  bool EndArray(rapidjson::SizeType) { return close(); }

  bool too_deep() const { return too_deep_; }
  bool bad_text() const { return bad_text_; }
  const std::string& too_many_digits() const { return too_many_digits_; }
  Value take() { return std::move(root_); }

 private:
  struct Frame {
    bool is_dict;
    List list;
    Dict dict;
    std::string key;
  };

  bool add(Value v) {
    if (stack_.empty()) {
      root_ = std::move(v);
    } else if (stack_.back().is_dict) {
      stack_.back().dict.set(std::move(stack_.back().key), std::move(v));
    } else {
      stack_.back().list.push_back(std::move(v));
    }
    return true;
  }
  bool open(bool is_dict) {
    if (stack_.size() >= max_depth_) {
      too_deep_ = true;
      return false;
    }
    stack_.push_back(Frame{is_dict, {}, {}, {}});
    return true;
  }
  bool close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    return add(f.is_dict ? Value(std::move(f.dict)) : Value(std::move(f.list)));
  }

  // RapidJSON validates the raw bytes, and escapes make UTF-8 or a lone
  // low surrogate in its generalized form: text (core/utf8.h). Checked
  // still, as what is read here is stored and must be written again.
  bool text_ok(const char* s, size_t len) {
    if (is_valid_text(std::string_view(s, len))) return true;
    bad_text_ = true;
    return false;
  }
  std::string restored(const char* s, size_t len) {
    std::string text(s, len);
    if (next_surrogate_ == surrogates_.size()) return text;
    for (size_t at = text.find(kSurrogateMark); at != std::string::npos && next_surrogate_ < surrogates_.size();
         at = text.find(kSurrogateMark, at + kSurrogateMark.size())) {
      std::string unit;
      append_utf8(unit, surrogates_[next_surrogate_++]);
      text.replace(at, kSurrogateMark.size(), unit);
    }
    return text;
  }

  size_t max_depth_;
  bool too_deep_ = false;
  bool bad_text_ = false;
  std::string too_many_digits_;  // Python's text for an int of too many digits
  std::vector<std::string> long_numbers_;
  std::vector<uint32_t> surrogates_;
  size_t next_surrogate_ = 0;
  std::vector<Frame> stack_;
  Value root_;
};

void append_indent(std::string& out, int indent, int level) {
  out += '\n';
  out.append(static_cast<size_t>(indent * level), ' ');
}

void append_number(std::string& out, double d) {
  if (std::isnan(d)) {
    out += "NaN";
  } else if (std::isinf(d)) {
    out += d < 0 ? "-Infinity" : "Infinity";
  } else {
    out += python_float_repr(d);
  }
}

void write(std::string& out, const Value& v, const JsonFormat& f, int level) {
  const char* item_sep = f.indent >= 0 ? "," : (f.python_spacing ? ", " : ",");
  const char* key_sep = (f.python_spacing || f.indent >= 0) ? ": " : ":";
  switch (v.type()) {
    case Value::Type::Null: out += "null"; return;
    case Value::Type::Bool: out += v.as_bool() ? "true" : "false"; return;
    case Value::Type::Int: out += std::to_string(v.as_int()); return;
    case Value::Type::Double: append_number(out, v.as_double()); return;
    case Value::Type::BigInt: out += python_int::to_text(v); return;
    case Value::Type::String: append_json_string(out, v.as_string(), f.ensure_ascii); return;
    case Value::Type::List: {
      const List& l = v.as_list();
      if (l.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      for (size_t i = 0; i < l.size(); ++i) {
        if (i) out += item_sep;
        if (f.indent >= 0) append_indent(out, f.indent, level + 1);
        write(out, l[i], f, level + 1);
      }
      if (f.indent >= 0) append_indent(out, f.indent, level);
      out += ']';
      return;
    }
    case Value::Type::Dict: {
      const Dict& d = v.as_dict();
      if (d.empty()) {
        out += "{}";
        return;
      }
      std::vector<const Dict::Entry*> entries;
      entries.reserve(d.size());
      for (const auto& e : d) entries.push_back(&e);
      if (f.sort_keys)
        std::stable_sort(entries.begin(), entries.end(),
                         [](auto* a, auto* b) { return a->first < b->first; });
      out += '{';
      for (size_t i = 0; i < entries.size(); ++i) {
        if (i) out += item_sep;
        if (f.indent >= 0) append_indent(out, f.indent, level + 1);
        append_json_string(out, entries[i]->first, f.ensure_ascii);
        out += key_sep;
        write(out, entries[i]->second, f, level + 1);
      }
      if (f.indent >= 0) append_indent(out, f.indent, level);
      out += '}';
      return;
    }
  }
}

}  // namespace

namespace {

// One pass of RapidJSON over the text; `code` gets RapidJSON's own error.
Result<Value> parse_once(std::string_view text, size_t max_depth, std::vector<std::string> long_numbers,
                         std::vector<uint32_t> surrogates, rapidjson::ParseErrorCode& code) {
  rapidjson::MemoryStream ms(text.data(), text.size());
  rapidjson::Reader reader;
  ValueBuilder builder(max_depth);
  builder.set_long_numbers(std::move(long_numbers));
  builder.set_surrogates(std::move(surrogates));
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseNanAndInfFlag |
                              rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseValidateEncodingFlag;
  rapidjson::ParseResult r = reader.Parse<kFlags>(ms, builder);
  if (builder.too_deep()) {
    return bad_input("JSON is nested deeper than " + std::to_string(max_depth) +
                     " levels at offset " + std::to_string(r.Offset()) +
                     "; flatten the document");
  }
  if (builder.bad_text()) {
    return bad_input("invalid JSON: the string ending at offset " + std::to_string(r.Offset()) +
                     " is not UTF-8 once its escapes are read; send the text encoded as UTF-8");
  }
  if (!builder.too_many_digits().empty()) {
    return bad_input("invalid JSON at offset " + std::to_string(r.Offset()) + ": " + builder.too_many_digits());
  }
  if (r.IsError()) {
    code = r.Code();
    return bad_input(std::string("invalid JSON at offset ") + std::to_string(r.Offset()) + ": " +
                     rapidjson::GetParseError_En(r.Code()));
  }
  return builder.take();
}

}  // namespace

Result<Value> parse_json(std::string_view text, size_t max_depth) {
  // The text as it is first: only when RapidJSON finds a number it cannot
  // scan are such numbers set aside and the text parsed again (a second
  // pass over every text read cost a third of a with-items run's CPU).
  rapidjson::ParseErrorCode code = rapidjson::kParseErrorNone;
  auto parsed = parse_once(text, max_depth, {}, {}, code);
  if (parsed || (code != rapidjson::kParseErrorNumberTooBig && code != rapidjson::kParseErrorStringUnicodeSurrogateInvalid &&
                 code != rapidjson::kParseErrorStringInvalidEncoding))
    return parsed;
  // Every rewrite, whichever problem RapidJSON met first: the text may need
  // them all.
  std::optional<std::string> escaped = surrogates_escaped(text);
  std::string_view current = escaped ? std::string_view(*escaped) : text;
  std::vector<uint32_t> surrogates;
  std::optional<std::string> without_surrogates = set_lone_surrogates_aside(current, surrogates);
  if (without_surrogates) current = *without_surrogates;
  std::vector<std::string> long_numbers;
  std::optional<std::string> rewritten = set_long_numbers_aside(current, long_numbers);
  if (!rewritten && !without_surrogates && !escaped) return parsed;
  return parse_once(rewritten ? std::string_view(*rewritten) : current, max_depth, std::move(long_numbers),
                    std::move(surrogates), code);
}

void append_json_string(std::string& out, std::string_view s, bool ensure_ascii) {
  static const char* hex = "0123456789abcdef";
  // Invalid UTF-8 (action output, rows written by older versions) is written
  // as U+FFFD, never as bytes: what Bora writes must always parse again, or
  // one stored value would make every later read of its row fail. A lone
  // surrogate is text (core/utf8.h) and is written as its \u escape, with
  // or without ensure_ascii, as its bytes are not UTF-8.
  std::string repaired;
  if (!is_valid_text(s)) {
    repaired = repair_text(s);
    s = repaired;
  }
  out.reserve(out.size() + s.size() + 2);
  out += '"';
  // Bytes written as they are go out in runs, appended at once (a large
  // string value is mostly one run).
  auto plain = [ensure_ascii](unsigned char c) {
    return c >= 0x20 && c != '"' && c != '\\' && (!ensure_ascii ? c != 0xED : c < 0x7f);
  };
  for (size_t i = 0; i < s.size(); ++i) {
    size_t run = i;
    while (run < s.size() && plain(static_cast<unsigned char>(s[run]))) ++run;
    if (run > i) {
      out.append(s.data() + i, run - i);
      i = run;
      if (i == s.size()) break;
    }
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      default: break;
    }
    if (c < 0x20 || (ensure_ascii && c == 0x7f)) {
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 0xf];
    } else if (c >= 0x80 && (ensure_ascii || is_surrogate_at(s, i))) {
      size_t len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 1;
      uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
      if (i + len > s.size()) len = 1, cp = c;
      for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
      i += len - 1;
      auto emit = [&](uint32_t u) {
        out += "\\u";
        out += hex[(u >> 12) & 0xf];
        out += hex[(u >> 8) & 0xf];
        out += hex[(u >> 4) & 0xf];
        out += hex[u & 0xf];
      };
      if (cp >= 0x10000) {
        cp -= 0x10000;
        emit(0xd800 + (cp >> 10));
        emit(0xdc00 + (cp & 0x3ff));
      } else {
        emit(cp);
      }
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

void append_json(std::string& out, const Value& v, const JsonFormat& format) {
  require_printable(v, "JSON");  // write() recurses once per level
  write(out, v, format, 0);
}

std::string to_json(const Value& v, const JsonFormat& format) {
  std::string out;
  append_json(out, v, format);
  return out;
}

}  // namespace bora
