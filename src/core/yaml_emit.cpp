// core/yaml_emit: Values as block YAML in the layout of PyYAML's safe_dump
// (sort_keys=False): two-space mappings, sequences not indented under their
// key, `{}`/`[]` for empty ones, strings plain, single- or double-quoted as
// PyYAML's emitter chooses (non-ASCII escaped: safe_dump's allow_unicode is
// off), and long lines folded at PyYAML's width of 80.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

#include "bora/core/json.h"
#include "bora/core/limits.h"
#include "bora/core/python_format.h"
#include "bora/core/python_int.h"
#include "bora/core/yaml.h"
#include "bora/core/yaml_timestamp.h"

namespace bora {

namespace {

// PyYAML's best_width: a plain or quoted scalar is folded at a single space
// once its line has gone past 80 characters.
constexpr size_t kBestWidth = 80;

std::vector<uint32_t> code_points(const std::string& s) {
  std::vector<uint32_t> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (i + n > s.size()) n = 1;
    uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    out.push_back(cp);
    i += n;
  }
  return out;
}

bool is_break(uint32_t c) { return c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029; }

// PyYAML's timestamp resolver: [0-9]{4}-[0-9]{2}-[0-9]{2} alone, or
// [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}
// (\.[0-9]*)?([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))? . The loader makes a
// date or datetime of it, so the emitter quotes such a string.
bool is_timestamp(std::string_view s) { return match_yaml_timestamp(s).has_value(); }

// Whether PyYAML's resolver reads the text, written plain, back as a str
// (the representer's implicit[0]): not a bool, int, float, null, timestamp,
// merge key (`<<`) or value key (`=`).
bool plain_reads_as_str(const std::string& s, bool strings_are_text) {
  if (s == "<<" || s == "=" || (strings_are_text && is_timestamp(s))) return false;
  return resolve_plain_scalar(s).is_string();
}

bool is_blank_or_break(uint32_t c) {
  return c == 0 || c == ' ' || c == '\t' || c == '\r' || is_break(c);
}

// PyYAML's Emitter.analyze_scalar, what safe_dump's choices need of it.
struct Analysis {
  bool empty = false, multiline = false, allow_block_plain = true, allow_single_quoted = true;
};

Analysis analyze(const std::vector<uint32_t>& cps) {
  Analysis a;
  if (cps.empty()) {
    a.empty = true;
    return a;
  }
  bool block_indicators = false, special = false, line_breaks = false;
  bool leading = false, trailing = false, break_space = false, space_break = false;
  auto starts = [&](const char* p) { return cps.size() >= 3 && cps[0] == uint32_t(p[0]) && cps[1] == uint32_t(p[1]) && cps[2] == uint32_t(p[2]); };
  if (starts("---") || starts("...")) block_indicators = true;
  bool preceded_by_ws = true;
  bool followed_by_ws = cps.size() == 1 || is_blank_or_break(cps[1]);
  bool previous_space = false, previous_break = false;
  for (size_t i = 0; i < cps.size(); ++i) {
    uint32_t ch = cps[i];
    if (i == 0) {
      static const std::string_view leading_indicators = "#,[]{}&*!|>'\"%@`";
      if (ch < 0x80 && leading_indicators.find(static_cast<char>(ch)) != std::string_view::npos) block_indicators = true;
      if ((ch == '?' || ch == ':' || ch == '-') && followed_by_ws) block_indicators = true;
    } else {
      if (ch == ':' && followed_by_ws) block_indicators = true;
      if (ch == '#' && preceded_by_ws) block_indicators = true;
    }
    if (is_break(ch)) line_breaks = true;
    // allow_unicode is off: anything but printable ASCII and '\n' is escaped.
    if (!(ch == '\n' || (ch >= 0x20 && ch <= 0x7E))) special = true;
    if (ch == ' ') {
      if (i == 0) leading = true;
      if (i + 1 == cps.size()) trailing = true;
      if (previous_break) break_space = true;
      previous_space = true;
      previous_break = false;
    } else if (is_break(ch)) {
      if (i == 0) leading = true;
      if (i + 1 == cps.size()) trailing = true;
      if (previous_space) space_break = true;
      previous_space = false;
      previous_break = true;
    } else {
      previous_space = previous_break = false;
    }
    preceded_by_ws = is_blank_or_break(ch);
    followed_by_ws = i + 2 >= cps.size() || is_blank_or_break(cps[i + 2]);
  }
  a.multiline = line_breaks;
  if (leading || trailing || line_breaks || block_indicators) a.allow_block_plain = false;
  if (break_space) a.allow_block_plain = a.allow_single_quoted = false;
  if (space_break || special) a.allow_block_plain = a.allow_single_quoted = false;
  return a;
}

enum class Style { Plain, Single, Double };

// PyYAML's Emitter.choose_scalar_style for a str in block context.
// `simple_key`: written as `key:` (never an empty or multiline one).
Style choose_style(const std::string& s, bool simple_key, bool strings_are_text) {
  Analysis a = analyze(code_points(s));
  if (plain_reads_as_str(s, strings_are_text) && !(simple_key && (a.empty || a.multiline)) && a.allow_block_plain) return Style::Plain;
  if (a.allow_single_quoted && !(simple_key && a.multiline)) return Style::Single;
  return Style::Double;
}

// Writes like PyYAML's Emitter: the column it is at, and the indentation a
// folded line continues at.
struct Writer {
  std::string& out;
  size_t column = 0;
  bool strings_are_text = false;  // to_yaml's option

  void write(std::string_view text) {
    out += text;
    for (char c : text) {
      if (c == '\n') {
        column = 0;
      } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
        ++column;
      }
    }
  }
  void line_break() { write("\n"); }
  // A fold in the middle of a line: a new line at the continuation indent.
  void fold(size_t indent) {
    line_break();
    pad(indent);
  }
  // Right after line breaks: only the indentation.
  void pad(size_t indent) {
    if (column < indent) write(std::string(indent - column, ' '));
  }
};

std::string utf8_of(uint32_t cp) {
  std::string o;
  if (cp < 0x80) {
    o += static_cast<char>(cp);
  } else if (cp < 0x800) {
    o += static_cast<char>(0xC0 | (cp >> 6));
    o += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    o += static_cast<char>(0xE0 | (cp >> 12));
    o += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    o += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    o += static_cast<char>(0xF0 | (cp >> 18));
    o += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    o += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    o += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return o;
}

std::string text_of(const std::vector<uint32_t>& cps, size_t b, size_t e) {
  std::string o;
  for (size_t i = b; i < e; ++i) o += utf8_of(cps[i]);
  return o;
}

// Emitter.write_plain: a single space past the width becomes a fold.
void write_plain(Writer& w, const std::string& s, size_t indent, bool split) {
  auto t = code_points(s);
  size_t start = 0;
  bool spaces = false;
  for (size_t end = 0; end <= t.size(); ++end) {
    bool none = end == t.size();
    uint32_t ch = none ? 0 : t[end];
    if (spaces) {
      if (none || ch != ' ') {
        if (start + 1 == end && w.column > kBestWidth && split) {
          w.fold(indent);
        } else {
          w.write(text_of(t, start, end));
        }
        start = end;
      }
    } else if (none || ch == ' ') {
      if (start < end) w.write(text_of(t, start, end));
      start = end;
    }
    if (!none) spaces = ch == ' ';
  }
}

// Emitter.write_single_quoted: `'` doubled, a line break written as an empty
// line (folding would eat a single one), long lines folded at a space.
void write_single_quoted(Writer& w, const std::string& s, size_t indent, bool split) {
  auto t = code_points(s);
  w.write("'");
  size_t start = 0;
  bool spaces = false, breaks = false;
  for (size_t end = 0; end <= t.size(); ++end) {
    bool none = end == t.size();
    uint32_t ch = none ? 0 : t[end];
    if (spaces) {
      if (none || ch != ' ') {
        if (start + 1 == end && w.column > kBestWidth && split && start != 0 && end != t.size()) {
          w.fold(indent);
        } else {
          w.write(text_of(t, start, end));
        }
        start = end;
      }
    } else if (breaks) {
      if (none || !is_break(ch)) {
        if (t[start] == '\n') w.line_break();
        for (size_t i = start; i < end; ++i) {
          if (t[i] == '\n') {
            w.line_break();
          } else {
            w.write(utf8_of(t[i]));
            w.column = 0;
          }
        }
        w.pad(indent);
        start = end;
      }
    } else if (none || ch == ' ' || is_break(ch) || ch == '\'') {
      if (start < end) w.write(text_of(t, start, end));
      start = end;
    }
    if (ch == '\'' && !none) {
      w.write("''");
      start = end + 1;
    }
    if (!none) {
      spaces = ch == ' ';
      breaks = is_break(ch);
    }
  }
  w.write("'");
}

// Emitter.write_double_quoted: escapes as PyYAML writes them (\xE9, \u2028,
// \n...), long lines folded with a trailing backslash.
void write_double_quoted(Writer& w, const std::string& s, size_t indent, bool split) {
  auto t = code_points(s);
  w.write("\"");
  size_t start = 0;
  for (size_t end = 0; end <= t.size(); ++end) {
    bool none = end == t.size();
    uint32_t ch = none ? 0 : t[end];
    if (none || ch == '"' || ch == '\\' || ch == 0x85 || ch == 0x2028 || ch == 0x2029 || ch == 0xFEFF ||
        !(ch >= 0x20 && ch <= 0x7E)) {
      if (start < end) w.write(text_of(t, start, end));
      start = end;
      if (!none) {
        std::string data;
        switch (ch) {
          case 0x00: data = "\\0"; break;
          case 0x07: data = "\\a"; break;
          case 0x08: data = "\\b"; break;
          case 0x09: data = "\\t"; break;
          case 0x0A: data = "\\n"; break;
          case 0x0B: data = "\\v"; break;
          case 0x0C: data = "\\f"; break;
          case 0x0D: data = "\\r"; break;
          case 0x1B: data = "\\e"; break;
          case '"': data = "\\\""; break;
          case '\\': data = "\\\\"; break;
          case 0x85: data = "\\N"; break;
          case 0xA0: data = "\\_"; break;
          case 0x2028: data = "\\L"; break;
          case 0x2029: data = "\\P"; break;
          default: {
            char buf[16];
            if (ch <= 0xFF) {
              std::snprintf(buf, sizeof buf, "\\x%02X", ch);
            } else if (ch <= 0xFFFF) {
              std::snprintf(buf, sizeof buf, "\\u%04X", ch);
            } else {
              std::snprintf(buf, sizeof buf, "\\U%08X", ch);
            }
            data = buf;
          }
        }
        w.write(data);
        start = end + 1;
      }
    }
    if (end > 0 && end + 1 < t.size() && (ch == ' ' || start >= end) && w.column + (end - start) > kBestWidth &&
        split) {
      std::string data = text_of(t, start, end) + "\\";
      if (start < end) start = end;
      w.write(data);
      w.fold(indent);
      if (t[start] == ' ') w.write("\\");
    }
  }
  w.write("\"");
}

std::string plain_or_other(const Value& v) {
  switch (v.type()) {
    case Value::Type::Null:
      return "null";
    case Value::Type::Bool:
      return v.as_bool() ? "true" : "false";
    case Value::Type::Int:
      return std::to_string(v.as_int());
    case Value::Type::BigInt:
      return python_int::to_text(v);
    case Value::Type::Double: {
      double d = v.as_double();
      if (std::isnan(d)) return ".nan";
      if (std::isinf(d)) return d > 0 ? ".inf" : "-.inf";
      // PyYAML's represent_float: repr(), with ".0" before an exponent
      // that has no point (1e+20 is 1.0e+20).
      std::string r = python_float_repr(d);
      if (r.find('.') == std::string::npos)
        if (size_t e = r.find('e'); e != std::string::npos) r.insert(e, ".0");
      return r;
    }
    default:
      return "";
  }
}

// Emitter.check_simple_key: a key is written `key:` when it is neither
// empty nor multiline and it and its tag ('!!str', '!!int'...) are shorter
// than 128 characters; otherwise as `? key` and `: value` lines.
// The text of a timestamp handed to to_yaml (kYamlTimestampKey), or null.
const std::string* timestamp_text(const Value& v) {
  if (!v.is_dict() || v.size() != 1) return nullptr;
  const auto& [k, text] = v.as_dict().at(0);
  return k == kYamlTimestampKey && text.is_string() ? &text.as_string() : nullptr;
}

bool is_simple_key(const Value& key) {
  if (const std::string* text = timestamp_text(key)) return code_points(*text).size() + 11 < 128;  // !!timestamp
  if (key.is_list() || key.is_dict()) return key.size() == 0;  // `[]` and `{}` only
  if (!key.is_string()) {
    const char* tag = key.is_null() ? "!!null" : key.is_bool() ? "!!bool" : key.is_double() ? "!!float" : "!!int";
    return plain_or_other(key).size() + std::strlen(tag) < 128;
  }
  auto cps = code_points(key.as_string());
  Analysis a = analyze(cps);
  return !a.empty && !a.multiline && cps.size() + 5 < 128;
}

// One scalar at the writer's column; `indent` is where a folded line goes
// on. Returns whether it was written plain (PyYAML then closes a document
// holding only it with "...").
bool write_scalar(Writer& w, const Value& v, size_t indent, bool is_key) {
  if (const std::string* text = timestamp_text(v)) {
    // PyYAML's resolver reads it back as the timestamp it is: plain.
    write_plain(w, *text, indent, !is_key);
    return true;
  }
  if (!v.is_string()) {
    w.write(plain_or_other(v));
    return true;
  }
  const std::string& s = v.as_string();
  switch (choose_style(s, is_key, w.strings_are_text)) {
    case Style::Plain:
      write_plain(w, s, indent, !is_key);
      return true;
    case Style::Single:
      write_single_quoted(w, s, indent, !is_key);
      return false;
    case Style::Double:
      write_double_quoted(w, s, indent, !is_key);
      return false;
  }
  return false;
}

bool is_block(const Value& v) {
  return (v.is_list() && !v.as_list().empty()) || (v.is_dict() && !v.as_dict().empty() && !timestamp_text(v));
}

void emit(Writer& w, const Value& v, size_t indent);

// After "key:" or "-": a nested block on the next lines, or the scalar on
// this one (folded lines continue two columns in from `indent`).
void emit_entry_value(Writer& w, const Value& v, size_t indent, bool in_mapping) {
  if (is_block(v)) {
    w.line_break();
    // PyYAML does not indent a sequence under a mapping key.
    emit(w, v, v.is_list() && in_mapping ? indent : indent + 2);
  } else if (v.is_list()) {
    w.write(" []\n");
  } else if (v.is_dict() && !timestamp_text(v)) {
    w.write(" {}\n");
  } else {
    w.write(" ");
    write_scalar(w, v, indent + 2, false);
    w.line_break();
  }
}

void emit(Writer& w, const Value& v, size_t indent) {
  std::string pad(indent, ' ');
  if (v.is_dict()) {
    for (const auto& [k, item] : v.as_dict()) {
      if (w.column == 0) w.write(pad);
      // A key that is not text, as the expression engines hold one
      // ('\x02' and its JSON: src/expr/yaql/evaluator.h, kTypedKey): the
      // value it stands for (`null: 1`, `1: x`, a tuple as a sequence).
      std::optional<Value> typed;
      if (!k.empty() && k[0] == '\x02')
        if (auto key = parse_json(std::string_view(k).substr(1))) typed = std::move(*key);
      const Value key = typed ? *typed : Value(k);
      if (is_simple_key(key)) {
        if (key.is_list()) w.write("[]");  // an empty collection is written in flow style
        else if (key.is_dict() && !timestamp_text(key)) w.write("{}");
        else write_scalar(w, key, indent, true);
        w.write(":");
        emit_entry_value(w, item, indent, true);
        continue;
      }
      // Emitter.expect_block_mapping_key's explicit form: `? key` (a
      // collection's first line after the `? `, the rest indented under
      // it), then `: value` with a nested collection starting on the same
      // line (indented, as after `- `).
      w.write("? ");
      if (is_block(key)) {
        emit(w, key, indent + 2);
      } else {
        write_scalar(w, key, indent + 2, false);
        w.line_break();
      }
      w.write(pad);
      w.write(":");
      if (is_block(item)) {
        w.write(" ");
        emit(w, item, indent + 2);
      } else {
        emit_entry_value(w, item, indent, true);
      }
    }
  } else if (v.is_list()) {
    for (const auto& item : v.as_list()) {
      if (w.column == 0) w.write(pad);
      if (is_block(item)) {
        // `- key: value` with the following keys aligned after the dash.
        w.write("- ");
        emit(w, item, indent + 2);
      } else {
        w.write("-");
        emit_entry_value(w, item, indent, false);
      }
    }
  }
}

}  // namespace

std::string to_yaml(const Value& v, bool strings_are_text) {
  std::string out;
  require_printable(v, "YAML");  // emit() recurses once per level
  if (v.is_list() && !is_block(v)) return "[]\n";
  if (v.is_dict() && !is_block(v) && !timestamp_text(v)) return "{}\n";
  Writer w{out};
  w.strings_are_text = strings_are_text;
  if (!is_block(v)) {
    // A document that is one plain scalar is closed with "..." (PyYAML's
    // open-ended document); a quoted one is not.
    bool plain = write_scalar(w, v, 2, false);
    w.line_break();
    if (plain) w.write("...\n");
    return out;
  }
  emit(w, v, 0);
  return out;
}

}  // namespace bora
