#include "bora/api/context.h"

#include "bora/api/query_args.h"
#include "bora/api/wsme_xml_body.h"

#include <algorithm>

#include <fmt/format.h>

#include "bora/catalog/caller.h"
#include "bora/core/error.h"
#include "bora/core/json.h"
#include "bora/core/percent_decode.h"
#include "bora/core/python_codecs.h"
#include "bora/core/ids.h"
#include "bora/core/python_format.h"
#include "bora/core/python_int.h"
#include "bora/services/json_object.h"

namespace bora::api {

Response json_response(const Value& body, int status) {
  Response r;
  r.status = status;
  r.body = to_json(body, JsonFormat::python());
  return r;
}

Response no_content() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

std::string definition_text(const Request& request, const char* what, const char* format) {
  std::string type = request.content_type();
  if (type == "multipart/form-data" || type == "application/x-www-form-urlencoded" ||
      type == "application/octet-stream") {
    throw BoraError(ErrorKind::BadInput, std::string("Content-Type '") + type + "' cannot carry a " + what +
                                             ": send the " + format + " text itself with Content-Type: text/plain");
  }
  // An empty body is an empty document, which the definition's checks
  // refuse with Mistral's words ('version' is a required property).
  return request.body;
}

namespace {

// A JSON escape can put a lone surrogate in any string (core/utf8.h). A JSON
// field's value keeps it, as Mistral's does; a text field is a column of
// its own, which no database takes it in (Mistral's answer is a 500,
// "Encoding directive wasn't provided"): a 400 that says so.
void refuse_lone_surrogates(const std::string& field, const Value& v) {
  std::vector<const std::string*> texts;
  if (v.is_string()) texts.push_back(&v.as_string());
  if (v.is_list())
    for (const Value& item : v.as_list())
      if (item.is_string()) texts.push_back(&item.as_string());
  for (const std::string* t : texts) {
    auto refused = python_utf8_encode_error(*t);
    if (!refused) continue;
    throw BoraError(ErrorKind::BadInput,
                    fmt::format("Invalid input for field/attribute {}. Value: {}. {} (a \\u escape of half a surrogate "
                                "pair is a character only JSON values such as input, params or variables can hold; "
                                "remove that escape, or send both halves of the pair)",
                                field, python_repr(Value(*t)), *refused));
  }
}

// WSME's fromjson of a complex type, attribute by attribute (see BodyField).
void check_body_fields(const Value& body, const BodySchema& schema) {
  auto invalid = [](const std::string& field, const Value& value, const std::string& why) {
    throw BoraError(ErrorKind::BadInput,
                    fmt::format("Invalid input for field/attribute {}. Value: '{}'. {}", field, python_str(value), why));
  };
  const Value* state = body.find("state");
  bool skipping = schema.skip_needs_no_mandatory && state && state->is_string() && state->as_string() == "SKIPPED";
  // In the resource's attribute order, as WSME converts them: the first
  // attribute that fails is the one reported, before the method reads any
  // (a lookup's 404, a check of its own).
  for (const BodyField& f : schema.fields) {
    const Value* v = body.find(f.name);
    if (!v) {
      if (f.mandatory && !skipping) invalid(f.name, Value(), "Mandatory field missing.");
      continue;
    }
    if (f.type == BodyField::Type::Json) {
      // Mistral's JsonType: fromjson (json.loads of a text, the empty one
      // too) then validate (a dict, or nothing).
      if (v->is_string() && v->as_string().empty())
        invalid(schema.argument, body,
                "Expecting value: line 1 column 1 (char 0) (field '" + f.name +
                    "' is empty: send a JSON object, its JSON text, or leave the field out)");
      if (auto ok = services::json_object_field(*v, f.name.c_str(), schema.argument.c_str(), &body); !ok)
        throw BoraError(ok.error());
      continue;
    }
    if (f.type == BodyField::Type::Int && !v->is_null()) {
      // IntegerType's frombasetype: Python's int() of the value.
      if (v->is_list() || v->is_dict())
        invalid(schema.argument, body,
                fmt::format("int() argument must be a string, a bytes-like object or a real number, not '{}' (field '{}' "
                            "is an integer)",
                            python_type_name(*v), f.name));
      if (v->is_string()) {
        auto parsed = python_int::parse(v->as_string());
        if (parsed && !*parsed)
          invalid(schema.argument, body,
                  "invalid literal for int() with base 10: " + python_repr(*v) + " (field '" + f.name + "' is an integer)");
      }
      // IntegerType.validate, on the converted value.
      std::optional<Value> number = python_int::of_json(*v);
      if (f.minimum && number && python_int::compare(*number, Value(*f.minimum)) == std::optional<int>(-1))
        invalid(f.name, *number, fmt::format("Value should be greater or equal to {}", *f.minimum));
    }
    if (f.type == BodyField::Type::Uuid && !v->is_null()) {
      // Mistral's UuidType.validate, in fromjson: an operator prefix is
      // taken off (in/nin make a list), the rest must be a UUID; its
      // InputException is the whole answer.
      UuidArgument a = v->is_string() ? uuid_argument(v->as_string()) : UuidArgument{python_str(*v), false};
      if (!a.uuid)
        throw BoraError(ErrorKind::BadInput, "Expected a uuid but received " + a.shown + ". (field '" + f.name +
                                                 "' takes the id of a workflow: GET /v2/workflows lists them)");
    }
    // WSME refuses a read-only attribute before its type is checked.
    if (f.read_only) invalid(f.name, *v, "Cannot set read only field.");
    if (f.type == BodyField::Type::Scope && !v->is_null()) {
      // wtypes.Enum's `value not in self.values`: a list or dict cannot be
      // looked up in its set.
      if (v->is_list() || v->is_dict()) invalid(f.name, *v, std::string("unhashable type: '") + python_type_name(*v) + "'");
      if (auto ok = catalog::check_scope_attribute(*v); !ok) throw BoraError(ok.error());
    }
    if (f.type == BodyField::Type::Text || f.type == BodyField::Type::TextList) refuse_lone_surrogates(f.name, *v);
    if (f.type == BodyField::Type::Text && !v->is_null() && !v->is_string()) {
      invalid(f.name, *v, fmt::format("Wrong type. Expected '<class 'str'>', got '<class '{}'>'", python_type_name(*v)));
    } else if (f.type == BodyField::Type::Bool && !v->is_null() && !v->is_bool() && !v->is_integer()) {
      static constexpr std::string_view words[] = {"true", "t", "yes", "y", "on", "1",
                                                   "false", "f", "no", "n", "off", "0"};
      bool word = v->is_string() && std::find(std::begin(words), std::end(words), v->as_string()) != std::end(words);
      // A ValueError, which WSME reports for the whole body.
      if (!word) invalid(schema.argument, body, "Value not an unambiguous boolean: " + python_str(*v));
    }
  }
}

}  // namespace

Value json_body(const Request& request, const BodySchema& schema) {
  std::string type = request.content_type();
  // WSME reads a form's fields as the method's arguments: Mistral's methods
  // that take a JSON body declare none, so the first is an unknown one.
  if (type == "application/x-www-form-urlencoded") {
    std::string first = request.body.substr(0, request.body.find_first_of("&="));
    if (!first.empty())
      throw BoraError(ErrorKind::BadInput, "Unknown argument: \"" + percent_decode(first, true) +
                                               "\" (send the JSON object with Content-Type: application/json)");
    throw BoraError(ErrorKind::BadInput, "Missing argument: \"" + schema.argument +
                                             "\" (send a JSON object with Content-Type: application/json)");
  }
  // WSME's protocols read JSON, and XML as text/xml (application/xml is
  // not among its XML protocol's types: its 415).
  if (!type.empty() && type != "application/json" && type != "text/xml") {
    throw BoraError(ErrorKind::MediaType,
                    "Unknown mimetype: " + type + " (send a JSON object with Content-Type: application/json)");
  }
  // WSME's words (an empty body is its missing body argument), then where.
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos)
    throw BoraError(ErrorKind::BadInput, "Missing argument: \"" + schema.argument + "\" (the request has no JSON body)");
  if (type == "text/xml") {
    // Elements the resource does not declare are ignored, as WSME's XML
    // reading does; the attributes are then checked as a JSON body's.
    Value body = wsme_xml_body(request.body, schema);
    check_body_fields(body, schema);
    if (!request.missing_argument.empty()) refuse_missing_argument(request);
    return body;
  }
  auto v = parse_json(request.body);
  if (!v)
    throw BoraError(ErrorKind::BadInput, "Request is not in valid JSON format (" + v.error().message + ")");
  if (!v->is_dict()) throw BoraError(ErrorKind::BadInput, "The request body must be a JSON object.");
  std::vector<std::string> unknown;
  for (const auto& [name, value] : v->as_dict()) {
    // `&name = name`: clang 14 (the sanitizer build) cannot capture a structured binding.
    if (std::none_of(schema.fields.begin(), schema.fields.end(),
                     [&name = name](const BodyField& f) { return f.name == name; }))
      unknown.push_back(name);
  }
  if (!unknown.empty()) {
    std::sort(unknown.begin(), unknown.end());
    std::string names;
    for (const auto& n : unknown) names += (names.empty() ? "" : ", ") + n;
    throw BoraError(ErrorKind::BadInput, std::string(unknown.size() > 1 ? "Unknown attributes" : "Unknown attribute") +
                                             " for argument " + schema.argument + ": " + names);
  }
  check_body_fields(*v, schema);
  if (!request.missing_argument.empty()) refuse_missing_argument(request);
  return std::move(v).value();
}

void refuse_missing_argument(const Request& request) {
  // The path as sent ends with the slash the argument was missing after.
  std::string path = request.path;
  while (!path.empty() && path.back() == '/') path.pop_back();
  throw BoraError(ErrorKind::BadInput, "Missing argument: \"" + request.missing_argument + "\" (name it in the path: " +
                                           path + "/<" + request.missing_argument + ">, or as ?" +
                                           request.missing_argument + "=)");
}

void refuse_unknown_query_params(const Request& request, std::span<const std::string_view> allowed) {
  std::vector<std::string> unknown;
  for (const auto& [name, value] : request.query)
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end() &&
        std::find(unknown.begin(), unknown.end(), name) == unknown.end())
      unknown.push_back(name);
  refuse_unknown_arguments(unknown);
}

engine::Engine& engine_of(const ApiContext& ctx) {
  if (!ctx.engine) throw BoraError(ErrorKind::Unavailable, "this server runs no engine");
  return *ctx.engine;
}

std::string text_field(const Value& body, const char* key) {
  const Value* v = body.find(key);
  if (!v || v->is_null()) return "";
  if (!v->is_string()) throw BoraError(ErrorKind::BadInput, std::string("Field '") + key + "' must be a string.");
  return v->as_string();
}

std::optional<bool> bool_field(const Value& body, const char* key) {
  const Value* v = body.find(key);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_string()) {
    static constexpr std::string_view yes[] = {"true", "t", "yes", "y", "on", "1"};
    return std::find(std::begin(yes), std::end(yes), v->as_string()) != std::end(yes);
  }
  return v->truthy();
}

std::string scope_attribute(const Value& body) {
  const Value* scope = body.find("scope");
  if (!scope || scope->is_null()) return "";
  if (auto ok = catalog::check_scope_attribute(*scope); !ok) throw BoraError(ok.error());
  return scope->as_string();
}

Value json_text_field(const Value& body, const char* key, const char* resource) {
  const Value* v = body.find(key);
  if (!v) return Value();
  auto obj = services::json_object_field(*v, key, resource, &body);
  if (!obj) throw BoraError(obj.error());
  return *obj;
}

Value without(Value v, std::string_view key) {
  if (!v.is_dict()) return v;
  Dict d = v.as_dict();
  d.erase(key);
  return Value(std::move(d));
}

std::string namespace_param(const Request& request) { return request.query_param("namespace").value_or(""); }

services::DefinitionTarget definition_target(const Request& request) {
  return {namespace_param(request), request.query_param("scope").value_or("private")};
}

Response validation_response(bool valid, const std::string& error, const std::vector<std::string>& warnings) {
  Value body = valid ? Value::dict({{"valid", true}}) : Value::dict({{"valid", false}, {"error", error}});
  if (!warnings.empty()) {
    std::vector<Value> items(warnings.begin(), warnings.end());
    body = body.with("warnings", Value(std::move(items)));
  }
  return json_response(body);
}

}  // namespace bora::api
