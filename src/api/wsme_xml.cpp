#include "bora/api/wsme_xml.h"

#include <cstdint>
#include <string_view>

#include "bora/core/json.h"
#include "bora/core/utf8.h"

namespace bora::api {

namespace {

// ElementTree's text with encoding="us-ascii": &, < and > as entities,
// every other non-ASCII character as a decimal reference.
void append_text(std::string& out, std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c == '&') out += "&amp;";
      else if (c == '<') out += "&lt;";
      else if (c == '>') out += "&gt;";
      else out += static_cast<char>(c);
      ++i;
      continue;
    }
    // A whole sequence (Bora's answers are valid UTF-8; a broken byte
    // would be referenced alone).
    std::string_view ch = utf8_character_at(s, i);
    if (ch.empty()) ch = s.substr(i, 1);
    uint32_t code = ch.size() == 1 ? c : c & (0xff >> (ch.size() + 1));
    for (size_t k = 1; k < ch.size(); ++k) code = (code << 6) | (static_cast<unsigned char>(ch[k]) & 0x3f);
    out += "&#" + std::to_string(code) + ";";
    i += ch.size();
  }
}

// How WSME typed the value: a resource (complex type: its attributes are
// elements), or an attribute of another type.
enum class Typed { Resource, Attribute };

// The execution report's attributes that hold resources, not JsonType.
bool resource_attribute(std::string_view name) { return name == "root_workflow_execution" || name == "statistics"; }

void append_element(std::string& out, const std::string& tag, const Value& v, Typed typed) {
  out += '<';
  out += tag;
  if (v.is_null()) {
    out += " nil=\"true\" />";
    return;
  }
  std::string inner;
  if (v.is_dict() && typed == Typed::Resource) {
    for (const auto& [name, x] : v.as_dict())
      append_element(inner, name, x, resource_attribute(name) ? Typed::Resource : Typed::Attribute);
  } else if (v.is_list()) {
    for (const Value& x : v.as_list()) append_element(inner, "item", x, Typed::Resource);
  } else if (v.is_dict()) {
    append_text(inner, to_json(v, JsonFormat::python()));  // JsonType.tobasetype: json.dumps
  } else if (v.is_string()) {
    append_text(inner, v.as_string());
  } else if (v.is_bool()) {
    inner = v.as_bool() ? "true" : "false";
  } else {
    inner = to_json(v, JsonFormat::python());  // str() of an int or a float: Python's repr
  }
  if (inner.empty()) {
    out += " />";
    return;
  }
  out += '>';
  out += inner;
  out += "</";
  out += tag;
  out += '>';
}

}  // namespace

void render_wsme_xml(Response& r, const std::string& media_type) {
  if (r.body.empty() || r.stream) return;
  auto parsed = parse_json(r.body);
  if (!parsed) return;
  const Value& v = parsed.value();
  std::string out;
  if (v.is_dict() && v.find("faultcode") && v.find("faultstring")) {
    // wsme.rest.xml.encode_error: a null debuginfo is an empty element.
    out = "<error>";
    for (const char* name : {"faultcode", "faultstring", "debuginfo"}) {
      const Value* x = v.find(name);
      if (!x) continue;
      std::string text = x->is_string() ? x->as_string() : x->is_null() ? "" : to_json(*x, JsonFormat::python());
      if (text.empty()) {
        out += std::string("<") + name + " />";
      } else {
        out += std::string("<") + name + ">";
        append_text(out, text);
        out += std::string("</") + name + ">";
      }
    }
    out += "</error>";
  } else {
    append_element(out, "result", v, Typed::Resource);
  }
  r.body = std::move(out);
  r.content_type = media_type + "; charset=UTF-8";
}

}  // namespace bora::api
