// with-items: one or several `var in source`, literal lists, and refusals.
#include <catch2/catch.hpp>

#include "bora/lang/parser.h"
#include "lang_test_util.h"

using namespace bora;
using namespace bora::lang;

namespace {

Parsed<WorkflowsDocument> with_items(const std::string& yaml) {
  return parse_workflows("version: '2.0'\nwf:\n  tasks:\n    t:\n      action: std.echo output=<% $.x %>\n"
                         "      with-items:" + yaml);
}

}  // namespace

TEST_CASE("with-items as one string", "[lang][with-items]") {
  auto r = with_items(" x in <% $.xs %>\n      concurrency: 2\n");
  INFO(test::dump(r.problems()));
  REQUIRE(r.ok());
  const auto& w = r->workflows[0]->tasks[0].with_items;
  REQUIRE(w.size() == 1);
  CHECK(w[0].var == "x");
  CHECK(w[0].source == Value("<% $.xs %>"));
  CHECK(r->workflows[0]->tasks[0].policies.concurrency == Value(2));
}

TEST_CASE("with-items as a list with Jinja and literal lists", "[lang][with-items]") {
  auto r = with_items("\n        - x in <% $.xs %>\n        - y in {{ _.ys }}\n        - z in [1, \"two\", 3]\n");
  INFO(test::dump(r.problems()));
  REQUIRE(r.ok());
  const auto& w = r->workflows[0]->tasks[0].with_items;
  REQUIRE(w.size() == 3);
  CHECK(w[1].var == "y");
  CHECK(w[1].source == Value("{{ _.ys }}"));
  CHECK(w[2].var == "z");
  CHECK(w[2].source == Value::list({1, "two", 3}));
}

TEST_CASE("with-items refuses bad syntax with the item's position", "[lang][with-items][errors]") {
  auto r = with_items("\n        - x in <% $.xs %>\n        - y of $.ys\n        - z in ['a']\n        - 12\n");
  REQUIRE_FALSE(r.ok());
  INFO(test::dump(r.problems()));
  const Problem* p = test::find_problem(r.problems(), "wf.tasks.t.with-items[1]");
  REQUIRE(p);
  CHECK(p->pos.line == 8);
  CHECK(p->pos.column == 11);
  CHECK_THAT(p->message, Catch::Contains("var in <% $.list %>"));
  p = test::find_problem(r.problems(), "wf.tasks.t.with-items[2]");
  REQUIRE(p);
  CHECK_THAT(p->message, Catch::Contains("invalid array"));
  CHECK(test::find_problem(r.problems(), "wf.tasks.t.with-items[3]"));
}

TEST_CASE("with-items keeps the last list of a repeated variable, as Mistral", "[lang][with-items]") {
  auto r = with_items("\n        - x in <% $.a %>\n        - x in <% $.b %>\n");
  REQUIRE(r.ok());
  const auto& w = r->workflows[0]->tasks[0].with_items;
  REQUIRE(w.size() == 1);
  CHECK(w[0].source == Value("<% $.b %>"));
}
