#include "bora/api/wsme_xml_body.h"

#include <expat.h>

#include <cctype>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "bora/core/error.h"
#include "bora/core/json.h"
#include "bora/core/python_format.h"

namespace bora::api {

namespace {

constexpr int kMaxDepth = 32;

// An element as ElementTree keeps what WSME reads of it: its name, its nil
// attribute, its text (the character data before its first child) and its
// children.
struct Element {
  std::string name;
  std::string nil;
  std::string text;
  bool text_done = false;  // a child started: later data is a tail, not text
  std::vector<std::unique_ptr<Element>> children;
  const Element* find(const std::string& child) const {
    for (const auto& c : children)
      if (c->name == child) return c.get();
    return nullptr;
  }
};

struct Parse {
  std::unique_ptr<Element> root;
  std::vector<Element*> open;
  std::string refused;  // why the parse was stopped (a DOCTYPE, too deep)
  XML_Parser parser = nullptr;
};

void XMLCALL on_start(void* data, const XML_Char* name, const XML_Char** attrs) {
  auto* p = static_cast<Parse*>(data);
  if (static_cast<int>(p->open.size()) >= kMaxDepth) {
    p->refused = fmt::format("elements nest deeper than {}", kMaxDepth);
    XML_StopParser(p->parser, XML_FALSE);
    return;
  }
  auto e = std::make_unique<Element>();
  e->name = name;
  for (size_t i = 0; attrs[i]; i += 2)
    if (std::string_view(attrs[i]) == "nil") e->nil = attrs[i + 1];
  Element* raw = e.get();
  if (p->open.empty()) {
    p->root = std::move(e);
  } else {
    p->open.back()->text_done = true;
    p->open.back()->children.push_back(std::move(e));
  }
  p->open.push_back(raw);
}

void XMLCALL on_end(void* data, const XML_Char*) { static_cast<Parse*>(data)->open.pop_back(); }

void XMLCALL on_text(void* data, const XML_Char* s, int len) {
  auto* p = static_cast<Parse*>(data);
  if (!p->open.empty() && !p->open.back()->text_done) p->open.back()->text.append(s, static_cast<size_t>(len));
}

void XMLCALL on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  auto* p = static_cast<Parse*>(data);
  p->refused = "a DOCTYPE is not accepted";
  XML_StopParser(p->parser, XML_FALSE);
}

[[noreturn]] void invalid(const std::string& field, const std::string& text, const std::string& why) {
  throw BoraError(ErrorKind::BadInput, fmt::format("Invalid input for field/attribute {}. Value: '{}'. {}", field,
                                                   text, why));
}

Value read_field(const BodyField& f, const Element& e) {
  // WSME: text and complex attributes are null for any nil, the others
  // for nil="true".
  if (e.nil == "true" || (!e.nil.empty() && (f.type == BodyField::Type::Text || f.type == BodyField::Type::Any)))
    return Value();
  switch (f.type) {
    case BodyField::Type::Bool: {
      std::string lower;
      for (char c : e.text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return Value(lower != "false");
    }
    case BodyField::Type::Json: {
      auto v = parse_json(e.text);
      if (!v) invalid(f.name, e.text, "Not JSON: " + v.error().message);
      // Mistral's JsonType.validate: nothing (false) is {}, else a dict.
      if (!v->truthy()) return Value(Dict{});
      if (!v->is_dict())
        throw BoraError(ErrorKind::BadInput,
                        "JsonType field value must be a dictionary [actual=" + python_str(*v) + "]");
      return std::move(v).value();
    }
    case BodyField::Type::Int: {
      // Python's int(text): spaces around, a sign, digits with single
      // underscores between them.
      std::string t = e.text;
      size_t a = t.find_first_not_of(" \t\r\n\f\v"), b = t.find_last_not_of(" \t\r\n\f\v");
      t = a == std::string::npos ? "" : t.substr(a, b - a + 1);
      std::string digits;
      size_t i = (!t.empty() && (t[0] == '+' || t[0] == '-')) ? 1 : 0;
      bool ok = i < t.size();
      for (; ok && i < t.size(); ++i) {
        if (std::isdigit(static_cast<unsigned char>(t[i]))) digits += t[i];
        else ok = t[i] == '_' && i > 0 && std::isdigit(static_cast<unsigned char>(t[i - 1])) && i + 1 < t.size() &&
                  std::isdigit(static_cast<unsigned char>(t[i + 1]));
      }
      if (!ok || digits.size() > 18) invalid(f.name, e.text, "Not an integer.");
      int64_t n = std::stoll(digits);
      return Value(t[0] == '-' ? -n : n);
    }
    case BodyField::Type::TextList: {
      List items;
      for (const auto& c : e.children)
        if (c->name == "item") items.emplace_back(c->nil.empty() ? Value(c->text) : Value());
      return Value(std::move(items));
    }
    default:
      return Value(e.text);
  }
}

}  // namespace

Value wsme_xml_body(std::string_view xml, const BodySchema& schema) {
  Parse p;
  std::unique_ptr<std::remove_pointer_t<XML_Parser>, void (*)(XML_Parser)> parser(XML_ParserCreate("UTF-8"),
                                                                                  XML_ParserFree);
  if (!parser) throw BoraError(ErrorKind::Internal, "could not create an XML parser");
  p.parser = parser.get();
  XML_SetUserData(p.parser, &p);
  XML_SetElementHandler(p.parser, on_start, on_end);
  XML_SetCharacterDataHandler(p.parser, on_text);
  XML_SetStartDoctypeDeclHandler(p.parser, on_doctype);
  if (XML_Parse(p.parser, xml.data(), static_cast<int>(xml.size()), XML_TRUE) != XML_STATUS_OK || !p.root) {
    // An attribute to show: the resource's first that a user sets (a name).
    std::string example = schema.fields.front().name;
    for (const BodyField& f : schema.fields)
      if (f.name == "name" || f.name == "workflow_name" || f.name == "state" || f.name == "member_id") {
        example = f.name;
        break;
      }
    std::string why = !p.refused.empty() ? p.refused
                      : xml.find_first_not_of(" \t\r\n") == std::string_view::npos
                          ? std::string("the body is empty")
                          : std::string(XML_ErrorString(XML_GetErrorCode(p.parser)));
    throw BoraError(ErrorKind::BadInput,
                    fmt::format("The text/xml body is not XML: {} (line {}, column {}); send the {} resource as "
                                "one element holding an element per attribute (<{}><{}>...</{}>...</{}>), or JSON "
                                "with Content-Type: application/json",
                                why, XML_GetCurrentLineNumber(p.parser), XML_GetCurrentColumnNumber(p.parser) + 1,
                                schema.argument, schema.argument, example, example, schema.argument));
  }
  Dict body;
  for (const BodyField& f : schema.fields)
    if (const Element* e = p.root->find(f.name)) body.set(f.name, read_field(f, *e));
  return Value(std::move(body));
}

}  // namespace bora::api
