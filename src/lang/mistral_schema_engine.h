// lang/mistral_schema_engine (private): the small part of jsonschema 4.10
// (Draft 2020-12, as jsonschema.validate picks it for a schema without
// $schema) that Mistral's schemas use, with best_match's choice of the
// error to report, and Mistral's schemas as data (mistral_schema_specs.cpp).
// Schemas are Values (insertion-ordered dicts): jsonschema applies a
// schema's keywords in its dict's order, and prints subschemas with repr()
// in some messages ("... is valid under each of {...}").
#pragma once

#include <optional>
#include <string>

#include "bora/core/value.h"

namespace bora::lang::detail {

// A schema key the engine reads and jsonschema does not have: the schema's
// `required` came out of a Python set (BaseSpec.get_schema), so its order,
// and which of two missing properties is reported, depends on the hash seed.
inline constexpr const char* kUnorderedRequired = "bora:unordered-required";

// An instance that is a Python object of no JSON type (a date, bytes, a
// set: PythonObject), standing in the data the walk validates: every type
// check fails on it, and messages print its repr.
inline constexpr const char* kPythonObjectKey = "\x01python-object";
inline Value python_object_marker(const std::string& repr) {
  return Value::dict({{kPythonObjectKey, Value(repr)}}).marked();
}
inline const std::string* python_object_text(const Value& v) {
  if (!v.is_python_dict() || v.as_dict().size() != 1) return nullptr;
  const Value* text = v.find(kPythonObjectKey);
  return text && text->is_string() ? &text->as_string() : nullptr;
}

// A mapping key that is no text to PyYAML (10, 1.5, true, null), renamed
// in the data the walk validates: kPythonKeyPrefix, its Python type name,
// ':', its repr. A pattern searched in it is Python's TypeError.
inline constexpr const char* kPythonKeyPrefix = "\x01python-key:";
inline std::string python_key_marker(const std::string& type, const std::string& repr) {
  return kPythonKeyPrefix + type + ":" + repr;
}
// A renamed key's Python type name and repr; nullopt for any other key.
struct PythonKeyParts {
  std::string type, repr;
};
inline std::optional<PythonKeyParts> python_key_parts(const std::string& key) {
  const size_t from = std::char_traits<char>::length(kPythonKeyPrefix);
  if (key.rfind(kPythonKeyPrefix, 0) != 0) return std::nullopt;
  const size_t colon = key.find(':', from);
  return PythonKeyParts{key.substr(from, colon - from), key.substr(colon + 1)};
}

struct SchemaVerdict {
  // type_error: re.search on a key that is no text raised Python's
  // TypeError out of jsonschema (Mistral's 500); message is its text.
  enum Outcome { valid, invalid, uncertain, type_error };
  Outcome outcome = valid;
  std::string message;  // str(best_match(errors)).split("\n")[0], when invalid
};

// jsonschema.validate(instance, schema) as Mistral calls it.
SchemaVerdict check_schema(const Value& instance, const Value& schema);

// Python's re.search(pattern, text) is not None; nullopt when the pattern
// cannot be compiled or the match hits a limit.
std::optional<bool> python_search(const std::string& pattern, const std::string& text);

// The full schemas (cls.get_schema()) of Mistral's v2 spec classes.
struct MistralSchemas {
  Value workflow_list;    // WorkflowListSpec, ActionListSpec (the same)
  Value direct_workflow;  // DirectWorkflowSpec, ReverseWorkflowSpec (the same)
  Value direct_task;      // DirectWorkflowTaskSpec
  Value reverse_task;     // ReverseWorkflowTaskSpec
  Value task_defaults;    // TaskDefaultsSpec
  Value retry;            // RetrySpec
  Value on_clause;        // OnClauseSpec
  Value publish;          // PublishSpec
  Value action;           // ActionSpec
  Value workbook;         // WorkbookSpec
};
const MistralSchemas& mistral_schemas();

}  // namespace bora::lang::detail
