// lang/mistral_schema_engine: jsonschema's validation and best_match, for
// the keywords Mistral's schemas use (see mistral_schema_engine.h). Written
// from how jsonschema 4.10.3 behaves (its _validators.py, exceptions.py):
// keywords in schema order, errors in the order they are found, Python's
// repr() of instances and schemas in messages, and the relevance
// best_match ranks errors by.
#include "mistral_schema_engine.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>
#include <unordered_set>
#include <utility>
#include <vector>

#include "bora/core/python_format.h"
#include "bora/core/python_int.h"
#include "bora/core/regex.h"
#include "bora/core/utf8.h"

namespace bora::lang::detail {

namespace {

struct SchemaError {
  std::string message;
  std::string keyword;  // error.validator
  size_t depth = 0;     // len(error.path): relative to the instance validated
  Value schema;         // the schema the keyword sits in (for _matches_type)
  Value instance;
  std::vector<SchemaError> context;  // anyOf / oneOf: the subschemas' errors
  // Set iteration order: (group, member) for each error found under one of
  // several members of a Python set (additionalProperties' extras when
  // they are schemas, a required list made from a set). Members' order
  // varies with the seed.
  std::vector<std::pair<int, size_t>> groups;
  bool text_unordered = false;  // the message itself lists a set
};

using Errors = std::vector<SchemaError>;

std::optional<bool> search_cached(const std::string& pattern, const std::string& text) {
  thread_local std::map<std::string, std::optional<Regex>> cache;
  auto it = cache.find(pattern);
  if (it == cache.end()) {
    auto compiled = Regex::compile(pattern);
    it = cache.emplace(pattern, compiled ? std::optional<Regex>(*compiled) : std::nullopt).first;
  }
  if (!it->second) return std::nullopt;
  auto m = it->second->search(text, 0, process_regex_limits());
  if (!m) return std::nullopt;
  return m->has_value();
}

std::string key_repr(const std::string& key);

// repr() of an instance that may hold Python objects (their markers) or
// keys that are no text.
bool holds_python_object(const Value& v) {
  if (python_object_text(v)) return true;
  if (v.is_list())
    for (const Value& x : v.as_list())
      if ((x.is_list() || x.is_dict()) && holds_python_object(x)) return true;
  if (v.is_dict())
    for (const auto& [k, x] : v.as_dict())
      if (python_key_parts(k) || ((x.is_list() || x.is_dict()) && holds_python_object(x))) return true;
  return false;
}
std::string instance_repr(const Value& v) {
  if (const std::string* text = python_object_text(v)) return *text;
  if (!holds_python_object(v)) return python_repr(v);
  std::string out;
  if (v.is_list()) {
    for (const Value& x : v.as_list()) out += (out.empty() ? "" : ", ") + instance_repr(x);
    return "[" + out + "]";
  }
  for (const auto& [k, x] : v.as_dict()) out += (out.empty() ? "" : ", ") + key_repr(k) + ": " + instance_repr(x);
  return "{" + out + "}";
}

// repr() of a mapping key: a renamed non-text key (python_key_marker)
// shows as Python shows it (10, True, None).
std::string key_repr(const std::string& key) {
  if (auto parts = python_key_parts(key)) return parts->repr;
  return python_string_repr(key);
}

// jsonschema's Draft 2020-12 type checker.
bool is_type(const Value& v, std::string_view type) {
  if (python_object_text(v)) return false;  // a date, bytes, a set
  if (type == "object") return v.is_dict();
  if (type == "array") return v.is_list();
  if (type == "string") return v.is_string();
  if (type == "null") return v.is_null();
  if (type == "boolean") return v.is_bool();
  if (type == "number") return v.is_number();
  if (type == "integer") {
    if (v.is_integer()) return true;
    // A float with an integral value counts (float.is_integer()).
    return v.is_double() && std::isfinite(v.as_double()) && std::floor(v.as_double()) == v.as_double();
  }
  return false;
}

// instance < minimum, for numbers (Python's mixed int/float comparison).
bool less_than(const Value& a, const Value& b) {
  if (a.is_big_int() || b.is_big_int()) {
    if (a.is_big_int() && b.is_big_int()) return false;  // no schema has a big minimum
    if (a.is_big_int()) return python_int::sign(a) < 0;
    return python_int::sign(b) > 0;
  }
  if (a.is_int() && b.is_int()) return a.as_int() < b.as_int();
  if (a.is_int() && b.is_double())
    return static_cast<long double>(a.as_int()) < static_cast<long double>(b.as_double());
  if (a.is_double() && b.is_int())
    return static_cast<long double>(a.as_double()) < static_cast<long double>(b.as_int());
  return a.as_double() < b.as_double();
}

// jsonschema's _utils.equal: bool apart from int, 1 == 1.0, recursively.
// Value's == and hash() have these rules; hashed, so that a long list in a
// hostile definition costs linear time, not quadratic.
bool unique(const List& items) {
  std::unordered_set<Value, ValueHash> seen;
  seen.reserve(items.size());
  for (const Value& item : items)
    if (!seen.insert(item).second) return false;
  return true;
}

// `instance in enums`, with jsonschema's unbool for 0 and 1.
bool in_enum(const Value& instance, const List& enums) {
  bool zero_or_one = (instance.is_bool()) || (instance.is_number() && !instance.is_big_int() &&
                                              (instance.as_double() == 0.0 || instance.as_double() == 1.0));
  for (const Value& e : enums) {
    if (zero_or_one) {
      if (instance.is_bool() != e.is_bool()) continue;
      if (instance == e) return true;
    } else if (instance == e) {
      return true;
    }
  }
  return false;
}

// Python's TypeError from re.search(pattern, key) on a key that is no
// text: it leaves jsonschema (and Mistral's parser) at once.
struct KeyTypeError {
  std::string message;
};

class Engine {
 public:
  bool uncertain = false;

  Errors errors(const Value& instance, const Value& schema) {
    Errors out;
    iter(instance, schema, out);
    return out;
  }

  bool valid(const Value& instance, const Value& schema) { return errors(instance, schema).empty(); }

 private:
  int next_group_ = 0;

  bool search(const std::string& pattern, const std::string& text) {
    if (auto parts = python_key_parts(text))
      throw KeyTypeError{"expected string or bytes-like object, got '" + parts->type + "'"};
    auto r = search_cached(pattern, text);
    if (!r) {
      uncertain = true;
      return false;
    }
    return *r;
  }

  // validator.descend(instance, schema, path=...): errors one level deeper.
  void descend(const Value& instance, const Value& schema, Errors& out, bool with_path) {
    size_t first = out.size();
    iter(instance, schema, out);
    if (with_path)
      for (size_t i = first; i < out.size(); ++i) ++out[i].depth;
  }

  void add(Errors& out, std::string message, const std::string& keyword, const Value& schema, const Value& instance) {
    SchemaError e;
    e.message = std::move(message);
    e.keyword = keyword;
    e.schema = schema;
    e.instance = instance;
    out.push_back(std::move(e));
  }

  std::vector<std::string> additional(const Value& instance, const Value& schema) {
    std::vector<std::string> extras;
    const Value* props = schema.find("properties");
    const Value* patterns = schema.find("patternProperties");
    for (const auto& [key, _] : instance.as_dict()) {
      if (props && props->is_dict() && props->find(key)) continue;
      bool matched = false;
      if (patterns && patterns->is_dict())
        for (const auto& [p, __] : patterns->as_dict())
          if (search(p, key)) {
            matched = true;
            break;
          }
      if (!matched) extras.push_back(key);
    }
    return extras;
  }

  void iter(const Value& instance, const Value& schema, Errors& out) {
    if (!schema.is_dict()) return;
    // A Python object is no dict, list, string nor number: only the
    // keywords of every type apply to it.
    const bool object = python_object_text(instance) != nullptr;
    for (const auto& [k, v] : schema.as_dict()) {
      if (object && k != "type" && k != "enum" && k != "anyOf" && k != "oneOf" && k != "not") continue;
      if (k == "type") {
        if (!is_type(instance, v.as_string()))
          add(out, instance_repr(instance) + " is not of type " + python_repr(v), k, schema, instance);
      } else if (k == "properties") {
        if (!instance.is_dict()) continue;
        for (const auto& [name, sub] : v.as_dict())
          if (const Value* item = instance.find(name)) descend(*item, sub, out, true);
      } else if (k == "patternProperties") {
        if (!instance.is_dict()) continue;
        for (const auto& [pattern, sub] : v.as_dict())
          for (const auto& [key, item] : instance.as_dict())
            if (search(pattern, key)) descend(item, sub, out, true);
      } else if (k == "additionalProperties") {
        if (!instance.is_dict()) continue;
        std::vector<std::string> extras = additional(instance, schema);
        if (v.is_dict()) {
          // `for extra in set(extras)`: the order of several is the seed's.
          int group = next_group_++;
          for (size_t m = 0; m < extras.size(); ++m) {
            size_t first = out.size();
            descend(*instance.find(extras[m]), v, out, true);
            if (extras.size() > 1)
              for (size_t i = first; i < out.size(); ++i) out[i].groups.emplace_back(group, m);
          }
        } else if (v.is_bool() && !v.as_bool() && !extras.empty()) {
          std::string joined;
          if (const Value* patterns = schema.find("patternProperties")) {
            std::sort(extras.begin(), extras.end());
            for (const auto& e : extras) joined += (joined.empty() ? "" : ", ") + python_string_repr(e);
            std::vector<std::string> names;
            for (const auto& [p, _] : patterns->as_dict()) names.push_back(p);
            std::sort(names.begin(), names.end());
            std::string pats;
            for (const auto& p : names) pats += (pats.empty() ? "" : ", ") + python_string_repr(p);
            add(out, joined + (extras.size() == 1 ? " does" : " do") + " not match any of the regexes: " + pats, k,
                schema, instance);
          } else {
            // extras_msg lists them sorted(): text sorts by code point, as
            // its UTF-8 bytes do. Keys that are no text to PyYAML sort among
            // themselves by Python's rules, or fail against text: unknown.
            bool all_text = true;
            for (const auto& e : extras) all_text = all_text && !python_key_parts(e);
            if (all_text) std::sort(extras.begin(), extras.end());
            for (const auto& e : extras) joined += (joined.empty() ? "" : ", ") + key_repr(e);
            add(out,
                "Additional properties are not allowed (" + joined + (extras.size() == 1 ? " was" : " were") +
                    " unexpected)",
                k, schema, instance);
            out.back().text_unordered = extras.size() > 1 && !all_text;
          }
        }
      } else if (k == "items") {
        if (!instance.is_list()) continue;
        for (const Value& item : instance.as_list()) descend(item, v, out, true);
      } else if (k == "minimum") {
        if (instance.is_number() && less_than(instance, v))
          add(out, instance_repr(instance) + " is less than the minimum of " + python_repr(v), k, schema, instance);
      } else if (k == "minItems") {
        if (instance.is_list() && static_cast<int64_t>(instance.as_list().size()) < v.as_int())
          add(out, instance_repr(instance) + " is too short", k, schema, instance);
      } else if (k == "uniqueItems") {
        if (v.as_bool() && instance.is_list() && !unique(instance.as_list()))
          add(out, instance_repr(instance) + " has non-unique elements", k, schema, instance);
      } else if (k == "pattern") {
        if (instance.is_string() && !search(v.as_string(), instance.as_string()))
          add(out, instance_repr(instance) + " does not match " + python_repr(v), k, schema, instance);
      } else if (k == "minLength") {
        if (instance.is_string() && static_cast<int64_t>(utf8_length(instance.as_string())) < v.as_int())
          add(out, instance_repr(instance) + " is too short", k, schema, instance);
      } else if (k == "enum") {
        if (!in_enum(instance, v.as_list()))
          add(out, instance_repr(instance) + " is not one of " + python_repr(v), k, schema, instance);
      } else if (k == "required") {
        if (!instance.is_dict()) continue;
        bool unordered = schema.find(kUnorderedRequired) != nullptr;
        int group = next_group_++;
        size_t first = out.size();
        size_t m = 0;
        for (const Value& name : v.as_list())
          if (!instance.find(name.as_string())) {
            add(out, python_repr(name) + " is a required property", k, schema, instance);
            out.back().groups.emplace_back(group, m++);
          }
        if (!unordered || out.size() - first < 2)
          for (size_t i = first; i < out.size(); ++i) out[i].groups.clear();
      } else if (k == "minProperties") {
        if (instance.is_dict() && static_cast<int64_t>(instance.as_dict().size()) < v.as_int())
          add(out, instance_repr(instance) + " does not have enough properties", k, schema, instance);
      } else if (k == "maxProperties") {
        if (instance.is_dict() && static_cast<int64_t>(instance.as_dict().size()) > v.as_int())
          add(out, instance_repr(instance) + " has too many properties", k, schema, instance);
      } else if (k == "anyOf") {
        Errors all;
        bool any = false;
        for (const Value& sub : v.as_list()) {
          Errors errs = errors(instance, sub);
          if (errs.empty()) {
            any = true;
            break;
          }
          for (auto& e : errs) all.push_back(std::move(e));
        }
        if (!any) {
          add(out, instance_repr(instance) + " is not valid under any of the given schemas", k, schema, instance);
          out.back().context = std::move(all);
        }
      } else if (k == "oneOf") {
        Errors all;
        const List& subs = v.as_list();
        size_t first_valid = subs.size();
        for (size_t i = 0; i < subs.size(); ++i) {
          Errors errs = errors(instance, subs[i]);
          if (errs.empty()) {
            first_valid = i;
            break;
          }
          for (auto& e : errs) all.push_back(std::move(e));
        }
        if (first_valid == subs.size()) {
          add(out, instance_repr(instance) + " is not valid under any of the given schemas", k, schema, instance);
          out.back().context = std::move(all);
        } else {
          std::string reprs;
          for (size_t i = first_valid + 1; i < subs.size(); ++i)
            if (valid(instance, subs[i])) reprs += (reprs.empty() ? "" : ", ") + python_repr(subs[i]);
          if (!reprs.empty())
            add(out, instance_repr(instance) + " is valid under each of " + reprs + ", " + python_repr(subs[first_valid]),
                k, schema, instance);
        }
      } else if (k == "not") {
        if (valid(instance, v))
          add(out, instance_repr(instance) + " should not be valid under " + python_repr(v), k, schema, instance);
      }
      // Anything else (definitions, description, Bora's marker) is no keyword.
    }
  }
};

// exceptions.relevance: (-len(path), validator not in weak, validator in
// strong (never), not error._matches_type()); greater is more relevant.
using Relevance = std::tuple<long, bool, bool>;

Relevance relevance(const SchemaError& e) {
  bool weak = e.keyword == "anyOf" || e.keyword == "oneOf";
  bool matches = false;
  if (const Value* t = e.schema.find("type"); t && t->is_string()) matches = is_type(e.instance, t->as_string());
  return {-static_cast<long>(e.depth), !weak, !matches};
}

// best_match's descent into anyOf / oneOf from `e`: the least relevant
// error of the context (the deepest), unless the two least relevant tie.
SchemaVerdict resolve(const SchemaError* e) {
  while (!e->context.empty()) {
    size_t low = 0;
    for (size_t i = 1; i < e->context.size(); ++i)
      if (relevance(e->context[i]) < relevance(e->context[low])) low = i;
    bool tie = false;
    for (size_t i = 0; i < e->context.size() && !tie; ++i)
      tie = i != low && relevance(e->context[i]) == relevance(e->context[low]);
    if (tie) break;
    e = &e->context[low];
  }
  if (e->text_unordered) return {SchemaVerdict::uncertain, ""};
  std::string message = e->message;
  if (size_t nl = message.find('\n'); nl != std::string::npos) message.resize(nl);
  return {SchemaVerdict::invalid, std::move(message)};
}

}  // namespace

std::optional<bool> python_search(const std::string& pattern, const std::string& text) {
  return search_cached(pattern, text);
}

SchemaVerdict check_schema(const Value& instance, const Value& schema) {
  Engine engine;
  Errors errors;
  try {
    errors = engine.errors(instance, schema);
  } catch (const KeyTypeError& e) {
    return {SchemaVerdict::type_error, e.message};
  }
  if (engine.uncertain) return {SchemaVerdict::uncertain, ""};
  if (errors.empty()) return {};
  // max(errors, key=relevance): the first of the most relevant.
  size_t best = 0;
  for (size_t i = 1; i < errors.size(); ++i)
    if (relevance(errors[i]) > relevance(errors[best])) best = i;
  SchemaVerdict verdict = resolve(&errors[best]);
  // Python orders a set's members by the hash seed: when another member of
  // the same set has an error as relevant as the winner, either could come
  // first; it matters only if its words differ.
  for (const auto& [group, member] : errors[best].groups)
    for (const auto& e : errors)
      if (&e != &errors[best] && relevance(e) == relevance(errors[best]))
        for (const auto& [g, m] : e.groups)
          if (g == group && m != member) {
            SchemaVerdict other = resolve(&e);
            if (other.outcome != verdict.outcome || other.message != verdict.message)
              return {SchemaVerdict::uncertain, ""};
          }
  return verdict;
}

}  // namespace bora::lang::detail
