// What the REST API shows: input strings, interface, per-workflow definitions,
// and every expression string with its position.
#include <catch2/catch.hpp>

#include "bora/core/yaml.h"
#include "bora/lang/api_views.h"
#include "bora/lang/parser.h"
#include "lang_test_util.h"

using namespace bora;
using namespace bora::lang;
using bora::lang::test::read_data;

TEST_CASE("input signature strings are Mistral's", "[lang][api]") {
  // Expected strings produced by mistral.api.controllers.v2.resources.Workflow.
  auto r = parse_workflows(
      "version: '2.0'\nwf:\n  input:\n    - a\n    - b: 5\n    - c: null\n    - d: text\n    - e: [1, 'x']\n"
      "    - f: {k: true}\n    - g: 1.5\n    - h: false\n  tasks:\n    t: {action: std.noop}\n");
  INFO(test::dump(r.problems()));
  REQUIRE(r.ok());
  CHECK(input_signature(r->workflows[0]->input) ==
        "a, b=\"5\", c=\"None\", d=\"text\", e=\"[1, 'x']\", f=\"{'k': True}\", g=\"1.5\", h=\"False\"");
  CHECK(input_signature({}) == "");
}

TEST_CASE("the interface lists input as written and output names", "[lang][api]") {
  auto r = parse_workflows(read_data("valid/direct_full.yaml"));
  REQUIRE(r.ok());
  Value iface = workflow_interface(*r->workflows[0]);
  CHECK(iface["input"][2] == Value::dict({{"flavor_ref", 2}}));
  CHECK(iface["output"] == Value::list({"vm_id"}));
}

TEST_CASE("one workflow keeps its text; several are cut as Mistral re-dumps them", "[lang][api]") {
  std::string single = read_data("valid/direct_full.yaml");
  auto r1 = parse_workflows(single);
  REQUIRE(r1.ok());
  CHECK(workflow_definition(*r1, "create_vm") == single);

  auto r2 = parse_workflows(read_data("valid/two_workflows.yaml"));
  REQUIRE(r2.ok());
  // Frozen from mistral.services.workflows._cut_wf_definition_from_all.
  CHECK(workflow_definition(*r2, "wf1") ==
        "version: '2.0'\nwf1:\n  input:\n  - a\n  - b: 5\n  tasks:\n    t1:\n      action: std.echo output=\"x\" a=1\n"
        "      on-success: t2\n    t2:\n      action: std.noop\n      retry: count=3 delay=1\n");
  CHECK(workflow_definition(*r2, "wf2") ==
        "version: '2.0'\nwf2:\n  type: reverse\n  tasks:\n    t1:\n      workflow: wf1 a=1\n");
}

TEST_CASE("YAML output quotes what would not read back as the same string", "[lang][api]") {
  Value v = Value::dict({{"s", "yes"}, {"n", "12"}, {"m", "a: b"}, {"e", Value::dict({})}, {"l", Value(List{})},
                         {"ml", "line1\nline2"}, {"q", "it's"}, {"x", "<% $.x %>"}, {"f", 2.5}, {"z", Value()}});
  CHECK(to_yaml(v) ==
        // Frozen from PyYAML's safe_dump(sort_keys=False): a line break is single-quoted as an empty line.
        "s: 'yes'\nn: '12'\nm: 'a: b'\ne: {}\nl: []\nml: 'line1\n\n  line2'\nq: it's\nx: <% $.x %>\nf: 2.5\nz: null\n");
  auto back = parse_workflows("version: '2.0'\nwf:\n  vars:\n" + std::string("    v: ") + "'it''s'\n  tasks:\n    t: {}\n");
  (void)back;
}

TEST_CASE("every string of a document is reachable with its path and position", "[lang][api][expressions]") {
  auto r = parse_workflows(read_data("valid/two_workflows.yaml"));
  REQUIRE(r.ok());
  std::vector<std::tuple<std::string, int, int, std::string>> seen;
  for_each_string(*r->source, [&](const std::string& path, SourcePos pos, const std::string& text) {
    seen.emplace_back(path, pos.line, pos.column, text);
  });
  REQUIRE(seen.size() >= 6);
  CHECK(seen[0] == std::make_tuple(std::string("version"), 1, 10, std::string("2.0")));
  bool found = false;
  for (const auto& [path, line, col, text] : seen)
    if (path == "wf1.tasks.t1.action") {
      found = true;
      CHECK(line == 9);
      CHECK(col == 15);
      CHECK(text == "std.echo output=\"x\" a=1");
    }
  CHECK(found);
  std::vector<std::string> under;
  for_each_string(*r->source, "wf2", [&](const std::string& path, SourcePos, const std::string&) { under.push_back(path); });
  CHECK(under == std::vector<std::string>{"wf2.type", "wf2.tasks.t1.workflow"});
}
