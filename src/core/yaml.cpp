#include "bora/core/yaml.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <limits>
#include <regex>

#include "bora/core/utf8.h"

namespace bora {

namespace {

bool is_one_of(const std::string& s, std::initializer_list<const char*> words) {
  for (const char* w : words)
    if (s == w) return true;
  return false;
}

std::string without_underscores(const std::string& s) {
  std::string r;
  r.reserve(s.size());
  for (char c : s)
    if (c != '_') r.push_back(c);
  return r;
}

// int64 from digits in a base; nullopt-like false on overflow.
bool parse_int(const std::string& digits, int base, bool neg, int64_t& out) {
  unsigned __int128 acc = 0;
  for (char c : digits) {
    int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10
          : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : 99;
    if (d >= base) return false;
    acc = acc * static_cast<unsigned>(base) + static_cast<unsigned>(d);
    if (acc > static_cast<unsigned __int128>(INT64_MAX) + 1) return false;
  }
  if (!neg && acc > static_cast<unsigned __int128>(INT64_MAX)) return false;
  out = neg ? -static_cast<int64_t>(acc - 1) - 1 : static_cast<int64_t>(acc);
  if (neg && acc == 0) out = 0;
  return true;
}

}  // namespace

Value resolve_plain_scalar(const std::string& s) {
  // PyYAML's resolvers, checked in the order it registers them.
  if (is_one_of(s, {"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})) return Value(true);
  if (is_one_of(s, {"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})) return Value(false);
  if (s.empty() || is_one_of(s, {"~", "null", "Null", "NULL"})) return Value();

  static const std::regex int_re(
      R"(^[-+]?0b[0-1_]+$|^[-+]?0[0-7_]+$|^[-+]?(?:0|[1-9][0-9_]*)$|^[-+]?0x[0-9a-fA-F_]+$|^[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+$)");
  static const std::regex float_re(
      R"(^[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?$|^\.[0-9_]+(?:[eE][-+][0-9]+)?$|^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$)");

  if (std::regex_match(s, int_re)) {
    std::string v = without_underscores(s);
    bool neg = false;
    if (v[0] == '-' || v[0] == '+') {
      neg = v[0] == '-';
      v.erase(0, 1);
    }
    int64_t out = 0;
    bool ok;
    if (v == "0") {
      ok = true;
    } else if (v.rfind("0b", 0) == 0) {
      ok = parse_int(v.substr(2), 2, neg, out);
    } else if (v.rfind("0x", 0) == 0) {
      ok = parse_int(v.substr(2), 16, neg, out);
    } else if (v[0] == '0') {
      ok = parse_int(v.substr(1), 8, neg, out);
    } else if (v.find(':') != std::string::npos) {  // sexagesimal: 1:30 == 90
      int64_t acc = 0;
      size_t start = 0;
      ok = true;
      while (ok && start <= v.size()) {
        size_t colon = v.find(':', start);
        int64_t part = 0;
        ok = parse_int(v.substr(start, colon - start), 10, false, part);
        acc = acc * 60 + part;
        if (colon == std::string::npos) break;
        start = colon + 1;
      }
      out = neg ? -acc : acc;
    } else {
      ok = parse_int(v, 10, neg, out);
    }
    if (ok) return Value(out);
    return Value(std::stod(s));  // beyond int64: the nearest double
  }
  if (std::regex_match(s, float_re)) {
    std::string v = without_underscores(s);
    for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    double sign = 1;
    if (v[0] == '-' || v[0] == '+') {
      sign = v[0] == '-' ? -1 : 1;
      v.erase(0, 1);
    }
    if (v == ".inf") return Value(sign * std::numeric_limits<double>::infinity());
    if (v == ".nan") return Value(std::numeric_limits<double>::quiet_NaN());
    if (v.find(':') != std::string::npos) {
      double acc = 0;
      size_t start = 0;
      while (true) {
        size_t colon = v.find(':', start);
        acc = acc * 60 + std::stod(v.substr(start, colon - start));
        if (colon == std::string::npos) break;
        start = colon + 1;
      }
      return Value(sign * acc);
    }
    return Value(sign * std::stod(v));
  }
  return Value(s);
}

Value yaml_node_to_value(const YAML::Node& node, size_t depth) {
  if (depth > kYamlMaxDepth) {
    throw BoraError(ErrorKind::BadInput,
                    "YAML is nested deeper than " + std::to_string(kYamlMaxDepth) + " levels at line " +
                        std::to_string(node.Mark().line + 1));
  }
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return Value();
    case YAML::NodeType::Scalar: {
      // The text was checked before parsing, but a double-quoted "\ud800"
      // escape still decodes to bytes that are not UTF-8.
      if (!is_valid_utf8(node.Scalar())) {
        throw BoraError(ErrorKind::BadInput,
                        "the scalar at line " + std::to_string(node.Mark().line + 1) + ", column " +
                            std::to_string(node.Mark().column + 1) +
                            " is not valid UTF-8 once its escapes are read (a \\u escape of a lone "
                            "surrogate?); write the character itself or a \\U escape of its code point");
      }
      // A plain scalar has the non-specific tag "?"; quoted ones have "!".
      if (node.Tag() == "?") return resolve_plain_scalar(node.Scalar());
      if (node.Tag() == "tag:yaml.org,2002:int" || node.Tag() == "!!int" ||
          node.Tag() == "tag:yaml.org,2002:float" || node.Tag() == "!!float" ||
          node.Tag() == "tag:yaml.org,2002:bool" || node.Tag() == "!!bool" ||
          node.Tag() == "tag:yaml.org,2002:null" || node.Tag() == "!!null")
        return resolve_plain_scalar(node.Scalar());
      return Value(node.Scalar());
    }
    case YAML::NodeType::Sequence: {
      List l;
      l.reserve(node.size());
      for (const auto& item : node) l.push_back(yaml_node_to_value(item, depth + 1));
      return Value(std::move(l));
    }
    case YAML::NodeType::Map: {
      Dict d;
      for (const auto& kv : node) {
        if (!kv.first.IsScalar()) {
          throw BoraError(ErrorKind::BadInput,
                          "a mapping key at line " + std::to_string(kv.first.Mark().line + 1) + ", column " +
                              std::to_string(kv.first.Mark().column + 1) +
                              " is not a scalar; only scalar keys are supported");
        }
        Value key = kv.first.Tag() == "?" ? resolve_plain_scalar(kv.first.Scalar()) : Value(kv.first.Scalar());
        // Python keys may be ints or bools; JSON (and so Bora) keys are text.
        std::string k = key.is_string() ? key.as_string()
                      : key.is_bool()   ? (key.as_bool() ? "True" : "False")
                      : key.is_null()   ? "None"
                                        : kv.first.Scalar();
        d.set(std::move(k), yaml_node_to_value(kv.second, depth + 1));
      }
      return Value(std::move(d));
    }
  }
  return Value();
}

Result<Value> parse_yaml(std::string_view text) {
  if (auto ok = check_utf8(text, "the YAML text"); !ok) return ok.error();
  try {
    YAML::Node root = YAML::Load(std::string(text));
    return yaml_node_to_value(root);
  } catch (const YAML::Exception& e) {
    return bad_input("invalid YAML at line " + std::to_string(e.mark.line + 1) + ", column " +
                     std::to_string(e.mark.column + 1) + ": " + e.msg);
  } catch (const BoraError& e) {
    return e.error();
  }
}

}  // namespace bora
