// lang/mistral_schema: the first line of Mistral 15's error for a definition
// its JSON schemas refuse ("Invalid DSL: 5 is not of type 'array'"). Mistral
// validates each spec's raw data with jsonschema when it instantiates the
// spec (mistral/lang/base.py, BaseSpec.__init__), in its own order (the
// document, each workflow, its task-defaults, each task, its policies,
// retry and transitions...) and after its own changes to the data (a
// workflow's or task's `name` and `version`, a task's `type`), and reports
// str(jsonschema.exceptions.best_match(errors)). Clients written for Mistral
// match on that line, so Bora's error starts with it (Problem::mistral),
// followed by Bora's own words (line:column, path, hint).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bora/core/value.h"
#include "bora/lang/located_yaml.h"

namespace bora::lang {

enum class MistralDocument { workflows, workbook, actions };

// `root` is the YAML document as loaded. Returns the whole first line of
// Mistral's error ("Invalid DSL: ...", or "Failed to find a specification
// class to instantiate [...]" for a workflow `type` no class has) when the
// first thing Mistral refuses in the document is a schema violation, and
// nullopt when its schemas accept the document or the answer is uncertain:
// a check Mistral makes before the violation that Bora cannot tell (an
// expression's syntax, a semantic rule of an earlier workflow), an order
// Python leaves to its hash seed (two missing required properties, two
// unexpected keys whose schemas both fail), or a YAML value Bora loads differently (a date, a
// non-string key).
std::optional<std::string> mistral_schema_error(const Value& root, MistralDocument kind);
// The same, with the values Mistral's YAML loader makes Python objects of
// (dates, bytes, sets: LocatedDocument::python_objects) standing in the
// data as it validates them: `Invalid DSL: datetime.date(2020, 1, 1) is
// not valid under any of the given schemas`.
// Keys that are no text to PyYAML (LocatedDocument::python_keys) are
// renamed so that a pattern searched in one fails as Python's re.search
// does: the line is then Python's TypeError, `expected string or
// bytes-like object, got 'int'` (Mistral answers it with a 500).
std::optional<std::string> mistral_schema_error(const Value& root, MistralDocument kind,
                                                const std::vector<PythonObject>& objects,
                                                const std::vector<PythonKey>& keys);

}  // namespace bora::lang
