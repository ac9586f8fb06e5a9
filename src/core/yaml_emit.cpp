// core/yaml_emit: Values as block YAML in the layout of PyYAML's safe_dump
// (sort_keys=False): two-space mappings, sequences not indented under their
// key, `{}`/`[]` for empty ones, and strings quoted whenever reading them
// back would not give the same string. Long lines are not folded.
#include <cmath>

#include "bora/core/limits.h"
#include "bora/core/python_format.h"
#include "bora/core/yaml.h"

namespace bora {

namespace {

bool needs_quotes(const std::string& s) {
  if (s.empty()) return true;
  if (!resolve_plain_scalar(s).is_string()) return true;  // 'yes', '12', 'null'...
  static const std::string_view indicators = "-?:,[]{}#&*!|>'\"%@`";
  if (indicators.find(s.front()) != std::string_view::npos) {
    // `-x`, `?x` and `:x` are plain-safe in PyYAML only when not followed by a space; keep it simple.
    if (!((s.front() == '-' || s.front() == '?' || s.front() == ':') && s.size() > 1 && s[1] != ' ')) return true;
  }
  if (s.front() == ' ' || s.back() == ' ') return true;
  if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos) return true;
  if (s.back() == ':') return true;
  for (unsigned char ch : s)
    if (ch < 0x20 || ch == 0x7f) return true;
  return false;
}

std::string scalar(const Value& v) {
  switch (v.type()) {
    case Value::Type::Null:
      return "null";
    case Value::Type::Bool:
      return v.as_bool() ? "true" : "false";
    case Value::Type::Int:
      return std::to_string(v.as_int());
    case Value::Type::Double: {
      double d = v.as_double();
      if (std::isnan(d)) return ".nan";
      if (std::isinf(d)) return d > 0 ? ".inf" : "-.inf";
      return python_float_repr(d);
    }
    case Value::Type::String: {
      const std::string& s = v.as_string();
      if (!needs_quotes(s)) return s;
      bool control = false;
      for (unsigned char ch : s)
        if (ch < 0x20 || ch == 0x7f) control = true;
      if (!control) {
        std::string out = "'";
        for (char ch : s) out += ch == '\'' ? std::string("''") : std::string(1, ch);
        return out + "'";
      }
      std::string out = "\"";
      for (unsigned char ch : s) {
        switch (ch) {
          case '\n': out += "\\n"; break;
          case '\t': out += "\\t"; break;
          case '\r': out += "\\r"; break;
          case '"': out += "\\\""; break;
          case '\\': out += "\\\\"; break;
          default:
            if (ch < 0x20 || ch == 0x7f) {
              char buf[8];
              std::snprintf(buf, sizeof buf, "\\x%02X", ch);
              out += buf;
            } else {
              out += static_cast<char>(ch);
            }
        }
      }
      return out + "\"";
    }
    default:
      return "";
  }
}

bool is_block(const Value& v) {
  return (v.is_list() && !v.as_list().empty()) || (v.is_dict() && !v.as_dict().empty());
}

std::string key_text(const std::string& k) { return scalar(Value(k)); }

void emit(std::string& out, const Value& v, size_t indent);

void emit_entry_value(std::string& out, const Value& v, size_t indent, bool in_mapping) {
  if (is_block(v)) {
    out += '\n';
    // PyYAML does not indent a sequence under a mapping key.
    emit(out, v, v.is_list() && in_mapping ? indent : indent + 2);
  } else if (v.is_list()) {
    out += " []\n";
  } else if (v.is_dict()) {
    out += " {}\n";
  } else {
    out += ' ' + scalar(v) + '\n';
  }
}

void emit(std::string& out, const Value& v, size_t indent) {
  std::string pad(indent, ' ');
  if (v.is_dict()) {
    for (const auto& [k, item] : v.as_dict()) {
      out += pad + key_text(k) + ':';
      emit_entry_value(out, item, indent, true);
    }
  } else if (v.is_list()) {
    for (const auto& item : v.as_list()) {
      if (item.is_dict() && !item.as_dict().empty()) {
        // `- key: value` with the following keys aligned after the dash.
        std::string nested;
        emit(nested, item, indent + 2);
        out += pad + "- " + nested.substr(indent + 2);
      } else if (item.is_list() && !item.as_list().empty()) {
        std::string nested;
        emit(nested, item, indent + 2);
        out += pad + "- " + nested.substr(indent + 2);
      } else {
        out += pad + "-";
        emit_entry_value(out, item, indent, false);
      }
    }
  } else {
    out += pad + scalar(v) + '\n';
  }
}

}  // namespace

std::string to_yaml(const Value& v) {
  std::string out;
  require_printable(v, "YAML");  // emit() recurses once per level
  if (v.is_list() && !is_block(v)) return "[]\n";
  if (v.is_dict() && !is_block(v)) return "{}\n";
  if (!is_block(v)) return scalar(v) + "\n";
  emit(out, v, 0);
  return out;
}

}  // namespace bora
