// lang/located_yaml: a YAML document as a bora::Value plus the line:column of
// every key and value, addressed by path. Specs are parsed from the Value, so
// the same code rebuilds specs from stored JSON (no positions then).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bora/core/value.h"
#include "bora/lang/problem.h"

namespace bora::lang {

// Hostile-input limits: a workflow definition is never anywhere near them.
// The defaults of [definitions] max_bytes, max_nodes and max_depth.
constexpr size_t kMaxDefinitionBytes = 16 * 1024 * 1024;
constexpr size_t kMaxDefinitionDepth = 100;
constexpr size_t kMaxDefinitionNodes = 1'000'000;

struct DefinitionLimits {
  size_t max_bytes = kMaxDefinitionBytes;
  size_t max_nodes = kMaxDefinitionNodes;  // YAML nodes, aliases expanded
  // A definition becomes a Value: it may not nest deeper than one can.
  size_t max_depth = kMaxDefinitionDepth;
};
// Process-wide, set once from the configuration before serving (bora server,
// run, validate: cli/runtime's load_config); reads are lock-free.
DefinitionLimits definition_limits() noexcept;
void set_definition_limits(const DefinitionLimits& limits) noexcept;

// A value Mistral's YAML loader makes a Python object of where Bora reads
// text (or, for !!set, a mapping): a date or datetime, bytes, a set.
// Mistral refuses every one in a definition; its schema's words name it by
// repr (lang/mistral_schema).
struct PythonObject {
  std::vector<Value> steps;  // from the root: a key (string) or a list index (int) each
  std::string repr;          // Python's repr(): datetime.date(2020, 1, 1)
};

// A mapping key that PyYAML reads as no text (10, 1.5, true, null) where
// Bora's keys are text ("10"): Mistral's schemas fail on one where they
// match key patterns (a task's name, a publish key...).
struct PythonKey {
  std::vector<Value> steps;  // to the mapping that holds it, as PythonObject::steps
  std::string name;          // the key as Bora holds it
  std::string type;          // Python's type name: int, float, bool, NoneType
  std::string repr;          // 10, 1.5, True, None
};

struct LocatedDocument {
  Value root;
  std::unordered_map<std::string, SourcePos> value_positions;
  std::unordered_map<std::string, SourcePos> key_positions;
  std::vector<PythonObject> python_objects;  // in document order
  std::vector<PythonKey> python_keys;        // in document order

  // Position of the value at `path`, else of its key, else of the nearest
  // enclosing path that has one.
  SourcePos at(std::string_view path) const;
  // Position of the key at `path` (falls back to at()).
  SourcePos key_at(std::string_view path) const;
};

// Paths: dict keys joined with '.', list items as "[i]": "wf.input[1]".
std::string child_path(std::string_view parent, std::string_view key);
std::string item_path(std::string_view parent, size_t index);

// Loads YAML with PyYAML's scalar rules; duplicate keys, non-scalar keys,
// and documents past the limits are reported as problems.
Parsed<LocatedDocument> load_located_yaml(std::string_view text);
// Lenient form: duplicate keys are appended to `problems` but the document
// (first occurrence kept) is still returned, so that parsing goes on and
// reports everything else too; nullopt on unreadable YAML or past limits.
std::optional<LocatedDocument> load_located_yaml(std::string_view text, Problems& problems);

// A document without positions (a spec loaded back from storage).
LocatedDocument unlocated(Value root);

// Calls fn for every string in the document (values and dict keys excluded:
// only values), with its path and position, in document order.
using StringVisitor = std::function<void(const std::string& path, SourcePos pos, const std::string& text)>;
void for_each_string(const LocatedDocument& doc, const StringVisitor& fn);
void for_each_string(const LocatedDocument& doc, std::string_view under, const StringVisitor& fn);

}  // namespace bora::lang
