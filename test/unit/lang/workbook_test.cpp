// Workbooks: workflows and actions sections, paths, stored spec.
#include <catch2/catch.hpp>

#include "bora/lang/api_views.h"
#include "bora/lang/parser.h"
#include "lang_test_util.h"

using namespace bora;
using namespace bora::lang;
using bora::lang::test::read_data;

TEST_CASE("a workbook with workflows and actions parses", "[lang][workbook]") {
  auto r = parse_workbook(read_data("valid/workbook.yaml"));
  INFO(test::dump(r.problems()));
  REQUIRE(r.ok());
  const WorkbookSpec& wb = *r->workbook;
  CHECK(wb.name == "my_workbook");
  CHECK(wb.description == "My set of workflows.");
  CHECK(wb.tags == std::vector<std::string>{"a", "b"});
  REQUIRE(wb.workflows.size() == 2);
  CHECK(wb.workflows[0]->name == "main");
  CHECK(wb.workflows[1]->name == "helper");
  REQUIRE(wb.actions.size() == 1);
  const ActionSpec& a = *wb.actions[0];
  CHECK(a.name == "local_echo");
  CHECK(a.base == "std.echo");
  CHECK(*a.base_input.find("output") == Value("Hello"));
  CHECK(*a.base_input.find("extra") == Value("<% $.who %>"));
  REQUIRE(a.input.size() == 2);
  CHECK(*a.input[1].default_value == Value("!"));
  CHECK(a.output == Value("<% $ %>"));
}

TEST_CASE("the workbook spec is Mistral's, and rebuilds", "[lang][workbook][spec]") {
  auto r = parse_workbook(read_data("valid/workbook.yaml"));
  REQUIRE(r.ok());
  const Value& data = r->workbook->data;
  CHECK(data["workflows"]["version"] == Value("2.0"));
  CHECK(data["actions"]["version"] == Value("2.0"));
  CHECK(data["workflows"]["main"]["tasks"]["greet"]["type"] == Value("direct"));
  CHECK(data["actions"]["local_echo"]["base-input"]["output"] == Value("Hello"));
  auto back = workbook_from_value(data);
  INFO(test::dump(back.problems()));
  REQUIRE(back.ok());
  CHECK((*back)->workflows.size() == 2);
  CHECK((*back)->data == data);
}

TEST_CASE("workbook problems carry section paths", "[lang][workbook][errors]") {
  auto r = parse_workbook(
      "version: '2.0'\n"           // 1
      "name: wb\n"                 // 2
      "workflow:\n"                // 3
      "  x: {}\n"                  // 4
      "workflows:\n"               // 5
      "  bad name:\n"              // 6
      "    tasks: {t: {action: std.noop}}\n"  // 7
      "  good:\n"                  // 8
      "    tasks:\n"               // 9
      "      t1:\n"                // 10
      "        on-success: t9\n"   // 11
      "actions:\n"                 // 12
      "  a1:\n"                    // 13
      "    base-input: {x: 1}\n");  // 14
  REQUIRE_FALSE(r.ok());
  INFO(test::dump(r.problems()));
  const Problem* p = test::find_problem(r.problems(), "workflow");
  REQUIRE(p);
  CHECK(p->pos.line == 3);
  CHECK_THAT(p->message, Catch::Contains("did you mean 'workflows'"));
  p = test::find_problem(r.problems(), "workflows.bad name");
  REQUIRE(p);
  CHECK(p->pos.line == 6);
  p = test::find_problem(r.problems(), "workflows.good.tasks.t1.on-success");
  REQUIRE(p);
  CHECK(p->pos.line == 11);
  p = test::find_problem(r.problems(), "actions.a1");
  REQUIRE(p);
  CHECK_THAT(p->message, Catch::Contains("'base'"));
}

TEST_CASE("a workbook needs a name", "[lang][workbook][errors]") {
  auto r = parse_workbook("version: '2.0'\nworkflows:\n  w:\n    tasks:\n      t: {action: std.noop}\n");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.problems()[0].message, Catch::Contains("name"));
}

TEST_CASE("a workbook item's definition is cut as Mistral cuts it", "[lang][workbook][api]") {
  std::string text = read_data("valid/workbook.yaml");
  CHECK(workbook_item_definition(text, "workflows", "helper") ==
        "helper:\n  type: direct\n  tasks:\n    noop_task:\n      action: std.noop\n");
  CHECK(workbook_item_definition(text, "workflows", "main") ==
        "main:\n  input:\n    - who\n  tasks:\n    greet:\n      action: local_echo who=<% $.who %>\n"
        "      on-success:\n        - sub\n\n    sub:\n      workflow: helper\n");
  CHECK(workbook_item_definition(text, "actions", "local_echo").starts_with("local_echo:\n  description:"));
}
