#include "json_util.h"

#include <cmath>
#include <cstdio>

namespace bora_openstack {

namespace {

std::string number_text(const Json& v) {
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  double d = v.GetDouble();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  // Python's repr: the shortest text that reads back, with a ".0" for integers.
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  std::string s = buf;
  if (s.find_first_of(".einn") == std::string::npos) s += ".0";
  return s;
}

std::string quote(const std::string& s) {
  // Python prefers single quotes unless the text has one and no double quote.
  char q = s.find('\'') != std::string::npos && s.find('"') == std::string::npos ? '"' : '\'';
  std::string out(1, q);
  for (char c : s) {
    if (c == '\\' || c == q) out += '\\';
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else out += c;
  }
  return out + q;
}

}  // namespace

std::string python_str(const Json& v) {
  if (v.IsString()) return text(v);
  if (v.IsNull()) return "None";
  if (v.IsBool()) return v.GetBool() ? "True" : "False";
  if (v.IsNumber()) return number_text(v);
  return python_repr(v);
}

std::string python_repr(const Json& v) {
  if (v.IsString()) return quote(text(v));
  if (v.IsArray()) {
    std::string out = "[";
    for (const auto& x : v.GetArray()) out += (out.size() > 1 ? ", " : "") + python_repr(x);
    return out + "]";
  }
  if (v.IsObject()) {
    std::string out = "{";
    for (const auto& m : v.GetObject())
      out += (out.size() > 1 ? ", " : "") + python_repr(m.name) + ": " + python_repr(m.value);
    return out + "}";
  }
  return python_str(v);
}

std::string id_of(const Json& v) {
  if (v.IsObject()) {
    if (get(v, "id").IsString() || get(v, "id").IsNumber()) return python_str(get(v, "id"));
    if (get(v, "uuid").IsString()) return text(get(v, "uuid"));
    if (get(v, "name").IsString()) return text(get(v, "name"));
  }
  return python_str(v);
}

}  // namespace bora_openstack
