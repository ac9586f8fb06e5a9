#include "bora/core/yaml.h"

#include "bora/core/ascii.h"
#include "bora/core/python_int.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>


#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "bora/core/python_codecs.h"
#include "bora/core/python_format.h"
#include "bora/core/python_unicode.h"
#include "bora/core/utf8.h"
#include "bora/core/yaml_timestamp.h"

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

// PyYAML's int and float resolvers (YAML 1.1) as hand-written scanners:
// one pass, no backtracking, no recursion, so a 1 MB scalar costs 1 MB of
// reading (std::regex recursed per character and crashed on such a scalar).

bool all_in(std::string_view s, bool (*ok)(char)) {
  for (char c : s)
    if (!ok(c)) return false;
  return true;
}
bool is_digit_(char c) { return (c >= '0' && c <= '9') || c == '_'; }
bool is_octal_(char c) { return (c >= '0' && c <= '7') || c == '_'; }
bool is_binary_(char c) { return c == '0' || c == '1' || c == '_'; }
bool is_hex_(char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == '_'; }

std::string_view without_sign(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  return s;
}

// (?::[0-5]?[0-9])+ : one or more ":" followed by one or two digits (a
// two-digit part starts with 0-5).
bool is_sexagesimal_tail(std::string_view s) {
  if (s.empty()) return false;
  while (!s.empty()) {
    if (s[0] != ':') return false;
    s.remove_prefix(1);
    if (s.size() >= 2 && s[0] >= '0' && s[0] <= '5' && is_ascii_digit(s[1]) && (s.size() == 2 || s[2] == ':')) {
      s.remove_prefix(2);
    } else if (!s.empty() && is_ascii_digit(s[0]) && (s.size() == 1 || s[1] == ':')) {
      s.remove_prefix(1);
    } else {
      return false;
    }
  }
  return true;
}

// [-+]?0b[0-1_]+ | [-+]?0[0-7_]+ | [-+]?(0|[1-9][0-9_]*) | [-+]?0x[0-9a-fA-F_]+
// | [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+
bool is_yaml_int(std::string_view s) {
  std::string_view t = without_sign(s);
  if (t.empty()) return false;
  if (t.substr(0, 2) == "0b") return t.size() > 2 && all_in(t.substr(2), is_binary_);
  if (t.substr(0, 2) == "0x") return t.size() > 2 && all_in(t.substr(2), is_hex_);
  if (t == "0") return true;
  if (t[0] == '0') return all_in(t.substr(1), is_octal_);
  if (t[0] < '1' || t[0] > '9') return false;
  size_t colon = t.find(':');
  if (colon == std::string_view::npos) return all_in(t.substr(1), is_digit_);
  return all_in(t.substr(1, colon - 1), is_digit_) && is_sexagesimal_tail(t.substr(colon));
}

// [eE][-+][0-9]+ at the end, or nothing.
bool is_exponent_or_empty(std::string_view s) {
  if (s.empty()) return true;
  return s.size() >= 3 && (s[0] == 'e' || s[0] == 'E') && (s[1] == '-' || s[1] == '+') &&
         all_in(s.substr(2), is_ascii_digit);
}

// [-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)? | \.[0-9][0-9_]*([eE][-+][0-9]+)?
// | [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]* | [-+]?\.(inf|Inf|INF) | \.(nan|NaN|NAN)
bool is_yaml_float(std::string_view s) {
  std::string_view t = without_sign(s);
  bool signed_ = t.size() != s.size();
  if (t == ".inf" || t == ".Inf" || t == ".INF") return true;
  if (!signed_ && (t == ".nan" || t == ".NaN" || t == ".NAN")) return true;
  if (t.empty()) return false;
  if (t[0] == '.') {  // \.[0-9][0-9_]* (exponent)? , without a sign (PyYAML 6: '._' is text)
    if (signed_ || t.size() < 2 || !is_ascii_digit(t[1])) return false;
    size_t end = 1;
    while (end < t.size() && is_digit_(t[end])) ++end;
    return end > 1 && is_exponent_or_empty(t.substr(end));
  }
  if (!is_ascii_digit(t[0])) return false;
  size_t i = 1;
  while (i < t.size() && is_digit_(t[i])) ++i;
  if (i < t.size() && t[i] == '.') {  // digits . digits (exponent)?
    size_t end = i + 1;
    while (end < t.size() && is_digit_(t[end])) ++end;
    return is_exponent_or_empty(t.substr(end));
  }
  // digits (:[0-5]?[0-9])+ . digits
  size_t dot = t.find('.', i);
  if (dot == std::string_view::npos || i >= t.size() || t[i] != ':') return false;
  return is_sexagesimal_tail(t.substr(i, dot - i)) && all_in(t.substr(dot + 1), is_digit_);
}

// A value beyond int64: exact, as PyYAML makes a Python int of any size.
// Beyond what Python converts to decimal text (4 300 digits: PyYAML would
// refuse a decimal one, and Mistral could not write either as JSON) it is
// the nearest double, so that no stored value costs quadratic time to write.
Value digits_as_int(std::string_view digits, int base, bool neg) {
  auto r = python_int::parse(digits, base);
  if (r && *r && !python_int::str_digits_error(**r)) return neg ? python_int::neg(**r) : **r;
  if (r && *r) return Value(neg ? -python_int::to_float_nearest(**r) : python_int::to_float_nearest(**r));
  double d = std::strtod(std::string(digits).c_str(), nullptr);
  return Value(neg ? -d : d);
}

}  // namespace

Value resolve_plain_scalar(const std::string& s) {
  // PyYAML's resolvers, checked in the order it registers them.
  if (is_one_of(s, {"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})) return Value(true);
  if (is_one_of(s, {"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})) return Value(false);
  if (s.empty() || is_one_of(s, {"~", "null", "Null", "NULL"})) return Value();

  if (is_yaml_int(s)) {
    std::string v = without_underscores(s);
    bool neg = false;
    if (v[0] == '-' || v[0] == '+') {
      neg = v[0] == '-';
      v.erase(0, 1);
    }
    int64_t out = 0;
    if (v == "0") return Value(int64_t{0});
    if (v.rfind("0b", 0) == 0)
      return parse_int(v.substr(2), 2, neg, out) ? Value(out) : digits_as_int(v.substr(2), 2, neg);
    if (v.rfind("0x", 0) == 0)
      return parse_int(v.substr(2), 16, neg, out) ? Value(out) : digits_as_int(v.substr(2), 16, neg);
    if (v[0] == '0')
      return parse_int(v.substr(1), 8, neg, out) ? Value(out) : digits_as_int(v.substr(1), 8, neg);
    if (v.find(':') != std::string::npos) {  // sexagesimal: 1:30 == 90
      // Parts after the first are below 60, so only the first can be long.
      // Exact as PyYAML's int; a scalar longer than Python converts from
      // text (which would take quadratic time) is the nearest double.
      bool exact = v.size() <= python_int::kMaxStrDigits;
      Value acc(int64_t{0});
      double approx = 0;
      size_t start = 0;
      while (true) {
        size_t colon = v.find(':', start);
        std::string part = v.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
        if (exact) acc = python_int::add(python_int::mul(acc, Value(60)), digits_as_int(part, 10, false));
        else approx = approx * 60 + std::strtod(part.c_str(), nullptr);
        if (colon == std::string::npos) break;
        start = colon + 1;
      }
      if (!exact) return Value(neg ? -approx : approx);
      return neg ? python_int::neg(acc) : acc;
    }
    return parse_int(v, 10, neg, out) ? Value(out) : digits_as_int(v, 10, neg);
  }
  if (is_yaml_float(s)) {
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
        acc = acc * 60 + std::strtod(v.substr(start, colon - start).c_str(), nullptr);
        if (colon == std::string::npos) break;
        start = colon + 1;
      }
      return Value(sign * acc);
    }
    return Value(sign * std::strtod(v.c_str(), nullptr));  // HUGE_VAL beyond double, never a throw
  }
  return Value(s);
}

namespace {

struct ExtentWalk {
  size_t max_nodes;
  size_t max_depth;
  YamlLimitHit hit;
  struct Extent {
    size_t nodes;   // expanded, saturating just past max_nodes
    size_t height;  // levels of containers below and including this node
  };
  // yaml-cpp has no public node identity; a container is identified by
  // where it starts and its type (two containers of one type cannot start
  // at the same place), which is what aliases of it share.
  std::unordered_map<uint64_t, Extent> seen;

  void stop(YamlLimitHit::Kind kind, const YAML::Node& n) {
    if (hit.kind != YamlLimitHit::None) return;
    hit.kind = kind;
    hit.line = n.Mark().line + 1;
    hit.column = n.Mark().column + 1;
  }

  Extent measure(const YAML::Node& n, size_t depth) {
    if (hit.kind != YamlLimitHit::None) return {0, 0};
    if (!n.IsSequence() && !n.IsMap()) return {1, 0};
    if (depth >= max_depth) {
      stop(YamlLimitHit::Depth, n);
      return {0, 0};
    }
    uint64_t key = (static_cast<uint64_t>(static_cast<uint32_t>(n.Mark().pos)) << 2) | (n.IsMap() ? 1u : 2u);
    auto known = seen.find(key);
    if (known == seen.end()) {
      Extent e{1, 1};
      auto add = [&](const YAML::Node& child) {
        Extent c = measure(child, depth + 1);
        e.nodes = std::min(e.nodes + c.nodes, max_nodes + 1);
        e.height = std::max(e.height, c.height + 1);
        if (e.nodes > max_nodes) stop(YamlLimitHit::Nodes, n);  // the innermost block past the limit
      };
      if (n.IsSequence()) {
        for (const auto& item : n) {
          add(item);
          if (hit.kind != YamlLimitHit::None) return {0, 0};
        }
      } else {
        for (const auto& kv : n) {
          add(kv.second);
          if (hit.kind != YamlLimitHit::None) return {0, 0};
        }
      }
      known = seen.emplace(key, e).first;
    }
    // Met again through an alias, perhaps deeper than the first time.
    if (depth + known->second.height > max_depth) stop(YamlLimitHit::Depth, n);
    return known->second;
  }
};

}  // namespace

YamlLimitHit check_yaml_extent(const YAML::Node& root, size_t max_nodes, size_t max_depth) {
  ExtentWalk walk{max_nodes, max_depth, {}, {}};
  auto total = walk.measure(root, 0);
  if (walk.hit.kind == YamlLimitHit::None && total.nodes > max_nodes) walk.stop(YamlLimitHit::Nodes, root);
  return walk.hit;
}

namespace {

// The bytes that stand for `&`, `*` and `@` in masked text: 0xF8-0xFA never
// occur in UTF-8, and yaml-cpp passes bytes at or above 0x80 through as
// plain characters.
constexpr char kMasked[3] = {'&', '*', '@'};
constexpr unsigned char kMask0 = 0xF8;

}  // namespace

std::string mask_mistral_plain_indicators(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    for (unsigned k = 0; k < 3; ++k)
      if (c == kMasked[k]) c = static_cast<char>(kMask0 + k);
  }
  return out;
}

void unmask_mistral_plain_indicators(std::string& scalar) {
  for (char& c : scalar) {
    auto u = static_cast<unsigned char>(c);
    if (u >= kMask0 && u < kMask0 + 3) c = kMasked[u - kMask0];
  }
}

std::optional<std::string> pyyaml_unconstructible_tag(const YAML::Node& node, YamlFlavour flavour, bool is_key) {
  const std::string& tag = node.Tag();
  if (tag == "?") {
    if (!node.IsScalar()) return std::nullopt;
    std::string text = node.Scalar();
    if (flavour == YamlFlavour::mistral_safe_loader) unmask_mistral_plain_indicators(text);
    // flatten_mapping makes a `=` key a str; elsewhere it stays a value.
    if (text == "=" && !is_key) return std::string("tag:yaml.org,2002:value");
    if (flavour == YamlFlavour::mistral_safe_loader && (text == "*" || text == "&"))
      return std::string("tag:yaml.org,2002:yaml");
    return std::nullopt;
  }
  if (tag.empty() || tag == "!") return std::nullopt;
  static constexpr std::string_view kCore = "tag:yaml.org,2002:";
  std::string full = tag.rfind("!!", 0) == 0 ? std::string(kCore) + tag.substr(2) : tag;
  if (full.rfind(kCore, 0) == 0) {
    std::string_view type = std::string_view(full).substr(kCore.size());
    for (std::string_view known : {"null", "bool", "int", "float", "binary", "timestamp", "omap", "pairs", "set",
                                   "str", "seq", "map"})
      if (type == known) return std::nullopt;
  }
  return full;
}

void repair_yaml_cpp_escapes(std::string& scalar) {
  size_t from = 0;
  while (from < scalar.size()) {
    size_t bad = find_invalid_text(std::string_view(scalar).substr(from));
    if (bad == std::string_view::npos) return;
    bad += from;
    auto b = static_cast<unsigned char>(scalar[bad]);
    if (b != 0x85 && b != 0xA0) return;  // not one of those escapes: stays invalid
    scalar.insert(bad, 1, '\xC2');
    from = bad + 2;
  }
}

namespace {

bool is_merge_key(const YAML::Node& key) { return key.IsScalar() && key.Tag() == "?" && key.Scalar() == "<<"; }

const char* pyyaml_node_id(const YAML::Node& n) {
  return n.IsMap() ? "mapping" : n.IsSequence() ? "sequence" : "scalar";
}

// flatten_mapping's recursion: the merged pairs of `mapping`, then its own.
bool flatten_mapping(const YAML::Node& mapping, std::vector<std::pair<YAML::Node, YAML::Node>>& out,
                     YamlMappingPairs& result, size_t depth) {
  if (depth > kYamlMaxDepth) {
    result.error = "nested deeper than " + std::to_string(kYamlMaxDepth) + " levels through merge keys";
    result.line = mapping.Mark().line + 1;
    result.column = mapping.Mark().column + 1;
    return false;
  }
  std::vector<std::pair<YAML::Node, YAML::Node>> merge, own;
  for (const auto& kv : mapping) {
    if (!is_merge_key(kv.first)) {
      own.emplace_back(kv.first, kv.second);
      continue;
    }
    const YAML::Node& v = kv.second;
    if (v.IsMap()) {
      if (!flatten_mapping(v, merge, result, depth + 1)) return false;
    } else if (v.IsSequence()) {
      std::vector<std::vector<std::pair<YAML::Node, YAML::Node>>> submerge;
      for (const auto& sub : v) {
        if (!sub.IsMap()) {
          result.error = std::string("expected a mapping for merging, but found ") + pyyaml_node_id(sub);
          result.line = sub.Mark().line + 1;
          result.column = sub.Mark().column + 1;
          return false;
        }
        submerge.emplace_back();
        if (!flatten_mapping(sub, submerge.back(), result, depth + 1)) return false;
      }
      // Reversed, so that the first mapping of the list wins a key.
      for (auto it = submerge.rbegin(); it != submerge.rend(); ++it)
        for (auto& p : *it) merge.push_back(std::move(p));
    } else {
      result.error =
          std::string("expected a mapping or list of mappings for merging, but found ") + pyyaml_node_id(v);
      result.line = v.Mark().line + 1;
      result.column = v.Mark().column + 1;
      return false;
    }
  }
  if (depth == 0) result.merged = merge.size();
  for (auto& p : merge) out.push_back(std::move(p));
  for (auto& p : own) out.push_back(std::move(p));
  return true;
}

}  // namespace

YamlMappingPairs yaml_mapping_pairs(const YAML::Node& mapping) {
  YamlMappingPairs result;
  if (!flatten_mapping(mapping, result.pairs, result, 0)) result.pairs.clear();
  return result;
}

namespace {

Value node_to_value(const YAML::Node& node, size_t depth, YamlFlavour flavour, bool is_key);

}  // namespace

namespace {

// The name of a node's YAML core tag ("int" for !!int), or "" for none.
std::string core_tag_name(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  static constexpr std::string_view kCore = "tag:yaml.org,2002:";
  if (tag.rfind(kCore, 0) == 0) return tag.substr(kCore.size());
  if (tag.rfind("!!", 0) == 0) return tag.substr(2);
  return "";
}

// base64.decodebytes (binascii.a2b_base64, not strict): characters outside
// the alphabet are skipped; the data must be padded to a multiple of four.
std::optional<std::string> decode_base64(std::string_view text, std::string& error) {
  std::string out;
  uint32_t bits = 0;
  int nbits = 0;
  size_t data = 0, pads = 0;
  for (char ch : text) {
    int v = ch >= 'A' && ch <= 'Z'   ? ch - 'A'
            : ch >= 'a' && ch <= 'z' ? ch - 'a' + 26
            : ch >= '0' && ch <= '9' ? ch - '0' + 52
            : ch == '+'              ? 62
            : ch == '/'              ? 63
                                     : -1;
    if (ch == '=') {
      ++pads;
      continue;
    }
    if (v < 0 || pads > 0) continue;
    ++data;
    bits = (bits << 6) | static_cast<uint32_t>(v);
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      out.push_back(static_cast<char>((bits >> nbits) & 0xFF));
    }
  }
  if (data % 4 == 1) {
    error = "Invalid base64-encoded string: number of data characters (" + std::to_string(data) +
            ") cannot be 1 more than a multiple of 4";
    return std::nullopt;
  }
  if ((data % 4 == 2 && pads < 2) || (data % 4 == 3 && pads < 1)) {
    error = "Incorrect padding";
    return std::nullopt;
  }
  return out;
}

// construct_yaml_float: '_' dropped, lower-cased, the sign taken off;
// .inf, .nan, base 60 (1:30.5), else float(). The cleaned text and the
// value (nullopt: float() refuses it).
std::pair<std::string, std::optional<double>> pyyaml_float(const std::string& text) {
  std::string s;
  for (char c : python_lower(text))
    if (c != '_') s += c;
  double sign = 1;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    if (s[0] == '-') sign = -1;
    s.erase(0, 1);
  }
  if (s == ".inf") return {s, sign * HUGE_VAL};
  if (s == ".nan") return {s, std::nan("")};
  if (s.find(':') != std::string::npos) {
    double value = 0;
    size_t from = 0;
    while (true) {
      size_t colon = s.find(':', from);
      std::string part = s.substr(from, colon == std::string::npos ? std::string::npos : colon - from);
      char* end = nullptr;
      double d = std::strtod(part.c_str(), &end);
      if (part.empty() || *end) return {part, std::nullopt};
      value = value * 60 + d;
      if (colon == std::string::npos) break;
      from = colon + 1;
    }
    return {s, sign * value};
  }
  // float(): blanks around; digits, a dot, an exponent, inf, nan.
  size_t a = s.find_first_not_of(" \t\n\r"), b = s.find_last_not_of(" \t\n\r");
  std::string core = a == std::string::npos ? "" : s.substr(a, b - a + 1);
  bool ok = !core.empty();
  for (char c : core) ok = ok && (std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == '+' ||
                                  c == '-' || c == 'i' || c == 'n' || c == 'f' || c == 'a' || c == 't' || c == 'y');
  char* end = nullptr;
  double d = ok ? std::strtod(core.c_str(), &end) : 0;
  if (!ok || *end) return {s, std::nullopt};
  return {s, sign * d};
}

}  // namespace

std::optional<std::string> pyyaml_scalar_construct_error(const YAML::Node& node, const std::string& text) {
  if (!node.IsScalar()) return std::nullopt;
  const std::string name = core_tag_name(node);
  if (node.Tag() == "?" || name == "timestamp") {
    auto m = match_yaml_timestamp(text);
    if (m && !m->error.empty()) return m->error;
    // construct_yaml_timestamp matches its pattern and reads the groups.
    if (!m && name == "timestamp") return std::string("'NoneType' object has no attribute 'groupdict'");
    return std::nullopt;
  }
  if (name == "bool") {
    const std::string lower = python_lower(text);
    for (const char* w : {"yes", "no", "true", "false", "on", "off"})
      if (lower == w) return std::nullopt;
    return python_string_repr(lower);  // bool_values[value.lower()]: a KeyError
  }
  if (name == "int") {
    Value v = resolve_plain_scalar(text);
    if (v.is_integer()) return std::nullopt;
    // construct_yaml_int: '_' dropped, the sign taken off, then int() in
    // the base its prefix names.
    std::string s;
    for (char c : text)
      if (c != '_') s += c;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.erase(0, 1);
    if (s.rfind("0b", 0) == 0) return "invalid literal for int() with base 2: " + python_string_repr(s.substr(2));
    if (s.rfind("0x", 0) == 0) return "invalid literal for int() with base 16: " + python_string_repr(s.substr(2));
    if (!s.empty() && s[0] == '0' && s.find(':') == std::string::npos)
      return "invalid literal for int() with base 8: " + python_string_repr(s);
    if (s.find(':') != std::string::npos) {
      size_t colon = s.find(':');
      return "invalid literal for int() with base 10: " + python_string_repr(s.substr(0, colon));
    }
    return "invalid literal for int() with base 10: " + python_string_repr(s);
  }
  if (name == "float") {
    auto [cleaned, value] = pyyaml_float(text);
    if (value) return std::nullopt;
    return "could not convert string to float: " + python_string_repr(cleaned);
  }
  if (name == "binary") {
    // value.encode('ascii') first.
    if (auto ascii = python_ascii_encode_error(text)) return "failed to convert base64 data into ascii: " + *ascii;
    std::string error;
    if (!decode_base64(text, error)) return "failed to decode base64 data: " + error;
  }
  return std::nullopt;
}

std::optional<std::string> pyyaml_object_repr(const YAML::Node& node, const std::string& text) {
  const std::string name = core_tag_name(node);
  if (node.IsScalar()) {
    if (node.Tag() == "?" || name == "timestamp") {
      auto m = match_yaml_timestamp(text);
      if (m && m->error.empty()) return yaml_timestamp_repr(m->value);
      return std::nullopt;
    }
    if (name == "binary") {
      std::string error;
      if (auto bytes = decode_base64(text, error)) return python_bytes_repr(*bytes);
    }
    return std::nullopt;
  }
  if (node.IsMap() && name == "set") {
    std::string out;
    for (const auto& kv : node) {
      std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string();
      Value k = kv.first.IsNull() ? Value() : kv.first.Tag() == "?" ? resolve_plain_scalar(key) : Value(key);
      out += (out.empty() ? "" : ", ") + python_repr(k);
    }
    return out.empty() ? std::string("set()") : "{" + out + "}";
  }
  return std::nullopt;
}

Value yaml_node_to_value(const YAML::Node& node, size_t depth, YamlFlavour flavour) {
  return node_to_value(node, depth, flavour, false);
}

Value yaml_key_to_value(const YAML::Node& key, YamlFlavour flavour) { return node_to_value(key, 0, flavour, true); }

namespace {

Value node_to_value(const YAML::Node& node, size_t depth, YamlFlavour flavour, bool is_key) {
  const bool mistral = flavour == YamlFlavour::mistral_safe_loader;
  if (auto tag = pyyaml_unconstructible_tag(node, flavour, is_key)) {
    throw BoraError(ErrorKind::BadInput, "could not determine a constructor for the tag '" + *tag + "' at line " +
                                             std::to_string(node.Mark().line + 1) + ", column " +
                                             std::to_string(node.Mark().column + 1) +
                                             "; remove the tag, or quote the value");
  }
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
      std::string text = node.Scalar();
      if (mistral) unmask_mistral_plain_indicators(text);
      // The text was checked before parsing; a double-quoted "\ud800"
      // escape decodes to a lone surrogate, which is text (core/utf8.h),
      // as PyYAML reads it.
      repair_yaml_cpp_escapes(text);
      if (!is_valid_text(text)) {
        throw BoraError(ErrorKind::BadInput,
                        "the scalar at line " + std::to_string(node.Mark().line + 1) + ", column " +
                            std::to_string(node.Mark().column + 1) +
                            " is not valid UTF-8 once its escapes are read; write the character itself or a \\U "
                            "escape of its code point");
      }
      // A plain scalar has the non-specific tag "?"; quoted ones have "!".
      if (node.Tag() == "?") return resolve_plain_scalar(text);
      const std::string tag = core_tag_name(node);
      if (tag.empty()) return Value(std::move(text));
      // An explicit tag is constructed as its type whatever the text
      // looks like, or fails as PyYAML's constructor fails.
      if (auto error = pyyaml_scalar_construct_error(node, text)) throw BoraError(ErrorKind::BadInput, *error);
      if (tag == "null") return Value();  // construct_yaml_null: None, whatever the text
      if (tag == "bool") {
        const std::string lower = python_lower(text);
        return Value(lower == "yes" || lower == "true" || lower == "on");
      }
      if (tag == "int") return resolve_plain_scalar(text);
      if (tag == "float") return Value(*pyyaml_float(text).second);
      return Value(std::move(text));
    }
    case YAML::NodeType::Sequence: {
      List l;
      l.reserve(node.size());
      for (const auto& item : node) l.push_back(node_to_value(item, depth + 1, flavour, false));
      return Value(std::move(l));
    }
    case YAML::NodeType::Map: {
      Dict d;
      YamlMappingPairs merged = yaml_mapping_pairs(node);
      if (!merged.error.empty()) {
        throw BoraError(ErrorKind::BadInput, "while constructing a mapping at line " +
                                                 std::to_string(node.Mark().line + 1) + ", column " +
                                                 std::to_string(node.Mark().column + 1) + ": " + merged.error +
                                                 " at line " + std::to_string(merged.line) + ", column " +
                                                 std::to_string(merged.column));
      }
      for (const auto& kv : merged.pairs) {
        // A plain `null`/`~` key is a null node in yaml-cpp.
        if (!kv.first.IsScalar() && !kv.first.IsNull()) {
          throw BoraError(ErrorKind::BadInput,
                          "a mapping key at line " + std::to_string(kv.first.Mark().line + 1) + ", column " +
                              std::to_string(kv.first.Mark().column + 1) +
                              " is not a scalar; only scalar keys are supported");
        }
        Value key = kv.first.IsNull() ? Value() : node_to_value(kv.first, depth + 1, flavour, true);
        // Python keys may be None, ints or bools; JSON (and so Bora) keys
        // are text, named as Python's json names them.
        std::string k = key.is_string() ? key.as_string()
                      : key.is_bool()   ? (key.as_bool() ? "true" : "false")
                      : key.is_null()   ? "null"
                                        : kv.first.Scalar();
        d.set(std::move(k), node_to_value(kv.second, depth + 1, flavour, false));
      }
      return Value(std::move(d));
    }
  }
  return Value();
}

}  // namespace

namespace {

bool starts_marker(std::string_view line, std::string_view marker) {
  return line.substr(0, 3) == marker && (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
}

// Lines are read at column 0, where no block scalar continues (a quoted
// scalar's line at column 0 is not told apart).
}  // namespace

namespace {

// PyYAML's Reader refuses a character its NON_PRINTABLE class holds
// ("unacceptable character #x0007: special characters are not allowed"):
// C0 controls but tab, LF and CR, DEL, C1 controls but NEL, U+FFFE and
// U+FFFF. The text was valid UTF-8; a surrogate here is one an escape made
// (pyyaml_prepared_text), which PyYAML's reader never sees.
std::optional<YamlStreamProblem> pyyaml_reader_problem(std::string_view text) {
  int line = 1, column = 1;
  for (size_t i = 0; i < text.size();) {
    auto b = static_cast<unsigned char>(text[i]);
    uint32_t cp = b;
    size_t len = 1;
    if (b >= 0xF0) cp = b & 0x07, len = 4;
    else if (b >= 0xE0) cp = b & 0x0F, len = 3;
    else if (b >= 0xC0) cp = b & 0x1F, len = 2;
    for (size_t k = 1; k < len && i + k < text.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    bool printable = cp == 0x09 || cp == 0x0A || cp == 0x0D || (cp >= 0x20 && cp <= 0x7E) || cp == 0x85 ||
                     (cp >= 0xA0 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000 ||
                     (len == 3 && cp >= 0xD800 && cp <= 0xDFFF);
    if (!printable) {
      std::string words = fmt::format("unacceptable character #x{:04x}: special characters are not allowed", cp);
      return YamlStreamProblem{line, column,
                               words + "; remove it, or write it as an escape in a double-quoted string", words};
    }
    if (cp == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += len;
  }
  return std::nullopt;
}

// PyYAML's scanner skips only spaces between tokens and ends a plain
// scalar at a tab: a tab is refused ("found character '\t' that cannot
// start any token") everywhere but inside a quoted scalar, a block
// scalar's content (after its indentation) and a comment. yaml-cpp takes
// tabs as separators. The scan follows what PyYAML needs to tell those
// apart: a quote or a block indicator (`|`, `>`) where a token starts, a
// `#` at a line's start or after a space.
// The same scan finds an empty entry of a flow collection (`[1,,2]`,
// `[,]`, `{a: 1,,b: 2}`), which PyYAML's parser refuses ("expected the node
// content, but found ','") and yaml-cpp reads as a null.
std::optional<YamlStreamProblem> pyyaml_scan_problem(std::string_view text) {
  if (text.find('\t') == std::string_view::npos && text.find(',') == std::string_view::npos) return std::nullopt;
  int line_no = 0;
  char quote = 0;           // inside a quoted scalar that goes on past a line's end
  int flow_level = 0;       // inside [...] or {...}, which may span lines
  bool entry_empty = false;  // in a flow collection, no content since its `[`/`{` or the last `,`
  long block_parent = -1;   // inside a block scalar's content: the indentation of its key's line
  size_t at = 0;
  while (at < text.size()) {
    size_t eol = text.find('\n', at);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(at, eol - at);
    ++line_no;
    at = eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t indent = line.find_first_not_of(' ');
    if (block_parent >= 0) {
      // Blank lines and lines indented deeper than the key's belong to the
      // block; its content may hold tabs after the indentation.
      if (indent == std::string_view::npos) continue;
      if (static_cast<long>(indent) > block_parent) continue;
      block_parent = -1;
    }
    auto tab_at = [&](size_t i) {
      return YamlStreamProblem{line_no, static_cast<int>(i) + 1,
                               "found character '\\t' that cannot start any token (YAML takes only spaces to "
                               "indent and separate; a tab may be inside quotes or a | or > block); replace it "
                               "with spaces",
                               "while scanning for the next token"};
    };
    size_t i = 0;
    bool token_start = true;  // where a quote or block indicator starts a scalar
    // The indentation of the line where the node that holds a block scalar
    // starts (a `- |` item: its dash's; a `key: |`: the line's).
    long line_indent = indent == std::string_view::npos ? 0 : static_cast<long>(indent);
    while (i < line.size()) {
      char c = line[i];
      if (quote) {
        if (quote == '\'' && c == '\'') {
          if (i + 1 < line.size() && line[i + 1] == '\'') {
            i += 2;
            continue;
          }
          quote = 0;
          token_start = false;
        } else if (quote == '"' && c == '\\') {
          i += 2;
          continue;
        } else if (quote == '"' && c == '"') {
          quote = 0;
          token_start = false;
        }
        ++i;
        continue;
      }
      if (c == '\t') return tab_at(i);
      if (c == ' ') {
        ++i;
        continue;
      }
      if (c == '#' && (i == 0 || line[i - 1] == ' ')) break;  // a comment: the rest of the line
      if (token_start && (c == '\'' || c == '"')) {
        quote = c;
        entry_empty = false;
        ++i;
        continue;
      }
      if (token_start && (c == '|' || c == '>')) {
        // A block scalar's header: indicators, then spaces or a comment.
        size_t j = i + 1;
        while (j < line.size() && (line[j] == '+' || line[j] == '-' || std::isdigit(static_cast<unsigned char>(line[j]))))
          ++j;
        size_t rest = line.find_first_not_of(' ', j);
        if (rest != std::string_view::npos && line[rest] == '\t') return tab_at(rest);
        if (rest == std::string_view::npos || line[rest] == '#') {
          block_parent = line_indent;
          break;
        }
      }
      // Indicators after which a token starts: `- `, `? `, `: `, flow
      // punctuation; anything else is part of a plain scalar or a token.
      if ((c == '-' || c == '?' || c == ':') && (i + 1 >= line.size() || line[i + 1] == ' ' || line[i + 1] == '\t')) {
        if (c == '-' && token_start) line_indent = static_cast<long>(i);
        token_start = true;
        ++i;
        continue;
      }
      // Flow punctuation, where it is flow punctuation: `[`, `{` opening
      // where a token starts, `,` `]` `}` inside a flow collection (in a
      // block plain scalar, `{0}` is text).
      if ((c == '[' || c == '{') && (token_start || flow_level > 0)) {
        ++flow_level;
        token_start = true;
        entry_empty = true;
        ++i;
        continue;
      }
      if (flow_level > 0 && (c == ',' || c == ']' || c == '}')) {
        if (c == ',' && entry_empty)
          return YamlStreamProblem{line_no, static_cast<int>(i) + 1,
                                   "an empty entry in a flow collection (`,` with nothing before it since the "
                                   "last `,` or the opening bracket); remove the extra comma, or write null",
                                   "while parsing a flow node"};
        if (c != ',') --flow_level;
        token_start = c == ',';
        entry_empty = c == ',';
        ++i;
        continue;
      }
      entry_empty = false;
      if (c == '&' || c == '*' || c == '!') {
        // An anchor, alias or tag (or, as Mistral reads `&`/`*`, plain
        // text): a token follows it after a space.
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
        token_start = true;
        entry_empty = false;
        continue;
      }
      token_start = false;
      ++i;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<YamlStreamProblem> pyyaml_stream_problem(std::string_view text) {
  if (auto p = pyyaml_reader_problem(text)) return p;
  if (auto p = pyyaml_scan_problem(text)) return p;
  bool started = false, ended = false;
  int directive_line = 0, line_no = 0;
  auto problem = [](int line, int column, std::string message, std::string pyyaml_words = {}) {
    return YamlStreamProblem{line, column, std::move(message), std::move(pyyaml_words)};
  };
  // What PyYAML's parser found where it wanted a document's start (after a
  // directive no key may start on the next line: its scanner allows no
  // simple key there).
  auto found_instead = [&](size_t offset, bool after_directive) {
    return "expected '<document start>', but found '" + pyyaml_token_name(text, offset, !after_directive) + "'";
  };
  size_t at = 0;
  auto another_document = [&](int line, bool after_end) {
    return problem(line, 1,
                   "expected a single document in the stream, but found another document; send one YAML "
                   "document (remove the second `---` or what follows `...`)",
                   after_end ? found_instead(at, false) : "expected a single document in the stream");
  };
  size_t directive_end = 0;
  while (at <= text.size()) {
    const size_t line_at = at;
    size_t eol = text.find('\n', at);
    std::string_view line = text.substr(at, eol == std::string_view::npos ? std::string_view::npos : eol - at);
    ++line_no;
    at = eol == std::string_view::npos ? text.size() + 1 : eol + 1;
    if (!line.empty() && line[0] == '%') {
      size_t n = 1;
      auto name_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; };
      while (n < line.size() && name_char(line[n])) ++n;
      if (n == 1)
        return problem(line_no, 2,
                       "a line starting with '%' is a YAML directive, which needs a name (%YAML, %TAG); indent the "
                       "line or quote the value",
                       "while scanning a directive");
      if (started && !ended) {
        // PyYAML ends the document there and then wants a `---`.
        size_t next = at > text.size() ? text.size() : at;
        return problem(line_no, 1,
                       "a line starting with '%' is a YAML directive, allowed only before the `---` that starts "
                       "the document; indent the line or quote the value",
                       starts_marker(text.substr(next), "---") ? "expected a single document in the stream"
                                                                 : found_instead(next, true));
      }
      directive_line = line_no;
      directive_end = at > text.size() ? text.size() : at;
      continue;
    }
    if (starts_marker(line, "---")) {
      if (started) return another_document(line_no, false);
      started = true;
      directive_line = 0;
      continue;
    }
    if (starts_marker(line, "...")) {
      ended = started = true;
      continue;
    }
    size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || line[first] == '#') continue;
    if (directive_line)
      return problem(directive_line, 1,
                     "a YAML directive must be followed by `---` before the document; add `---` after it",
                     found_instead(line_at, true));
    if (ended) {
      at = line_at;
      return another_document(line_no, true);
    }
    started = true;
  }
  if (directive_line && !ended)
    return problem(directive_line, 1, "a YAML directive must be followed by `---` and a document; remove it",
                   found_instead(directive_end, true));
  return std::nullopt;
}

Result<Value> parse_yaml(std::string_view original, YamlFlavour flavour) {
  if (auto ok = check_utf8(original, "the YAML text"); !ok) return ok.error();
  const std::string read = pyyaml_prepared_text(original, flavour);
  std::string_view text = read;
  if (auto p = pyyaml_stream_problem(text))
    return bad_input("invalid YAML at line " + std::to_string(p->line) + ", column " + std::to_string(p->column) +
                     ": " + p->message);
  try {
    const std::string read_text =
        flavour == YamlFlavour::mistral_safe_loader ? mask_mistral_plain_indicators(text) : std::string(text);
    YAML::Node root = load_pyyaml_document(read_text);
    YamlLimitHit hit = check_yaml_extent(root, kYamlMaxNodes, kYamlMaxDepth);
    if (hit.kind == YamlLimitHit::Nodes) {
      return bad_input("YAML has more than " + std::to_string(kYamlMaxNodes) +
                       " nodes once its aliases are expanded; use fewer or smaller aliased blocks");
    }
    if (hit.kind == YamlLimitHit::Depth) {
      return bad_input("YAML is nested deeper than " + std::to_string(kYamlMaxDepth) + " levels at line " +
                       std::to_string(hit.line) + ", column " + std::to_string(hit.column) + "; flatten it");
    }
    if (auto lone = pyyaml_block_mapping_problem(root, read_text))
      return bad_input("invalid YAML at line " + std::to_string(lone->line) + ", column " +
                       std::to_string(lone->column) + ": " + lone->message);
    return yaml_node_to_value(root, 0, flavour);
  } catch (const YAML::Exception& e) {
    // A key alone on its line that yaml-cpp took as a plain scalar going
    // on, failing at the next line: PyYAML stops at the key.
    if (auto lone = pyyaml_lone_key_line(text, e.mark.line + 1))
      return bad_input("invalid YAML at line " + std::to_string(lone->first) + ", column " +
                       std::to_string(lone->second) + ": this line holds only a key, without ':'; write `key: " +
                       "<value>`, or remove the line");
    return bad_input("invalid YAML at line " + std::to_string(e.mark.line + 1) + ", column " +
                     std::to_string(e.mark.column + 1) + ": " + e.msg);
  } catch (const BoraError& e) {
    return e.error();
  }
}

}  // namespace bora
