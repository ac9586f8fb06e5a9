// lang/mistral_schema: the first line of Mistral's error for a definition its
// JSON schemas refuse, computed as jsonschema's best_match picks it. The
// frozen cases (validation_errors_test.cpp) check whole documents; these
// pin jsonschema's subtleties one by one.
#include "bora/lang/mistral_schema.h"

#include <catch2/catch.hpp>

#include "bora/core/yaml.h"

using namespace bora;
using namespace bora::lang;

namespace {

std::optional<std::string> schema_error(const std::string& yaml, MistralDocument kind = MistralDocument::workflows) {
  auto root = parse_yaml(yaml);
  REQUIRE(root);
  return mistral_schema_error(*root, kind);
}

const std::string kHead = "version: '2.0'\nwf:\n  tasks:\n    a:\n      action: std.noop\n";

}  // namespace

TEST_CASE("two errors at the same depth: the first in the schema's order, a type error before a oneOf",
          "[lang][mistral_schema]") {
  // Written timeout first, but the task schema lists wait-before before it.
  CHECK(schema_error(kHead + "      timeout: -1\n      wait-before: -2\n") ==
        "Invalid DSL: -2 is not valid under any of the given schemas");
  // oneOf and anyOf are weak: a plain error at the same depth wins, wherever it is.
  CHECK(schema_error(kHead + "      timeout: -1\n      target: 5\n") == "Invalid DSL: 5 is not of type 'string'");
  // A shallower error wins over a deeper one: the unknown key (depth 0)
  // over the bad timeout (depth 1).
  CHECK(schema_error(kHead + "      timeout: -1\n      foo: 1\n") ==
        "Invalid DSL: Additional properties are not allowed ('foo' was unexpected)");
}

TEST_CASE("best_match descends into oneOf unless its two least relevant errors tie", "[lang][mistral_schema]") {
  // The dict alternative's `required` is less relevant than the string
  // alternative's type error: it is reported.
  CHECK(schema_error(kHead + "      retry: {count: 1}\n") == "Invalid DSL: 'delay' is a required property");
  // Both expression patterns fail alike, and so does the integer's type:
  // the oneOf's own words.
  CHECK(schema_error(kHead + "      timeout: abc\n") ==
        "Invalid DSL: 'abc' is not valid under any of the given schemas");
  // Down two levels: the list alternative's item.
  CHECK(schema_error(kHead + "      on-success: [b, 1]\n    b:\n      action: std.noop\n") ==
        "Invalid DSL: 1 is not valid under any of the given schemas");
  // A oneOf with two valid alternatives prints them, the later ones first.
  CHECK(schema_error(kHead + "      workflow: other\n") ==
        "Invalid DSL: {'action': 'std.noop', 'workflow': 'other', 'type': 'direct', 'name': 'a', 'version': '2.0'} is "
        "valid under each of {'type': 'object', 'required': ['workflow']}, {'type': 'object', 'required': ['action']}");
}

TEST_CASE("additionalProperties: the extras sorted, their schemas' errors left to the hash seed",
          "[lang][mistral_schema]") {
  CHECK(schema_error(kHead + "      on-sucess: b\n") ==
        "Invalid DSL: Additional properties are not allowed ('on-sucess' was unexpected)");
  // extras_msg sorts the set it is given (jsonschema 4).
  CHECK(schema_error(kHead + "      zed: 3\n      foo: 1\n      bar: 2\n") ==
        "Invalid DSL: Additional properties are not allowed ('bar', 'foo', 'zed' were unexpected)");
  // A workbook sent as a workflows document: each top-level key is an extra
  // whose schema (a workflow is an object) fails, visited in the set's
  // order, which varies between processes.
  CHECK_FALSE(schema_error("version: '2.0'\nname: wb\ntags: [g]\nworkflows: {}\n"));
  // The other way round: unknown keys at a workbook's top level beside a
  // missing name; additionalProperties comes first in the schema.
  CHECK(schema_error("version: '2.0'\nwf2: {tasks: {a: {action: std.noop}}}\nwf1: {}\n", MistralDocument::workbook) ==
        "Invalid DSL: Additional properties are not allowed ('wf1', 'wf2' were unexpected)");
  // With patternProperties the extras are sorted, and so are the patterns.
  CHECK(schema_error("version: '2.0'\nname: wb\nworkflows:\n  b c: {tasks: {a: {action: std.noop}}}\n  a b: {}\n",
                     MistralDocument::workbook) ==
        "Invalid DSL: 'a b', 'b c' do not match any of the regexes: '^(?!version$)[\\\\w-]+$', '^version$'");
  // Two members of a set failing with the same words: no doubt.
  CHECK(schema_error("version: '2.0'\nact: {}\nact2: {}\n", MistralDocument::actions) ==
        "Invalid DSL: {} does not have enough properties");
  // A workbook missing both name and version: `required` came from a set.
  CHECK_FALSE(schema_error("workflows:\n  wf: {tasks: {a: {action: std.noop}}}\n", MistralDocument::workbook));
}

TEST_CASE("Mistral's order: the data as it mutates it, and what it checks first", "[lang][mistral_schema]") {
  CHECK_FALSE(schema_error(kHead));  // accepted
  CHECK(schema_error("version: '2.0'\nwf:\n  type: sideways\n  tasks: {a: {action: std.noop}}\n") ==
        "Failed to find a specification class to instantiate [spec_cls=<class "
        "'mistral.lang.v2.workflows.WorkflowSpec'>, data={'type': 'sideways', 'tasks': {'a': {'action': "
        "'std.noop'}}, 'name': 'wf', 'version': '2.0'}]");
  // An expression Mistral cannot parse, in a task before the schema error:
  // Mistral reports the expression (YaqlGrammarException) first.
  CHECK_FALSE(schema_error(kHead + "      publish: {x: <% $. %>}\n    b:\n      action: std.noop\n      timeout: x\n"));
  // A one-line retry policy is checked as the parameters it holds.
  CHECK(schema_error(kHead + "      retry: count=3 break-on=x\n") == "Invalid DSL: 'delay' is a required property");
  // A date: PyYAML loads a datetime, which Bora does not.
  CHECK_FALSE(schema_error(kHead + "      target: 2020-01-01\n"));
  // A workbook whose version is not '2.0' never reaches the schemas.
  CHECK_FALSE(schema_error("version: 3\nname: 5\n", MistralDocument::workbook));
}
