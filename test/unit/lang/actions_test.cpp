// Ad-hoc action documents.
#include <catch2/catch.hpp>

#include "bora/lang/api_views.h"
#include "bora/lang/parser.h"
#include "lang_test_util.h"

using namespace bora;
using namespace bora::lang;

TEST_CASE("ad-hoc actions parse with base, base-input, input and output", "[lang][actions]") {
  auto r = parse_actions(test::read_data("valid/actions.yaml"));
  INFO(test::dump(r.problems()));
  REQUIRE(r.ok());
  REQUIRE(r->actions.size() == 2);
  const ActionSpec& greet = *r->actions[0];
  CHECK(greet.name == "greet");
  CHECK(greet.base == "std.echo");
  CHECK(*greet.base_input.find("output") == Value("Hi <% $.name %>"));
  CHECK(input_signature(greet.input) == "name");
  const ActionSpec& mail = *r->actions[1];
  CHECK(*mail.base_input.find("to_addrs") == Value::list({"ops@example.com"}));
  CHECK(mail.output.is_null());
  auto back = action_from_value(mail.data);
  REQUIRE(back.ok());
  CHECK((*back)->base == "std.email");
}

TEST_CASE("action problems", "[lang][actions][errors]") {
  auto r = parse_actions("version: '2.0'\na1:\n  bse: std.echo\na2: just text\na3:\n  base: ''\n  input: x\n");
  REQUIRE_FALSE(r.ok());
  INFO(test::dump(r.problems()));
  const Problem* p = test::find_problem(r.problems(), "a1.bse");
  REQUIRE(p);
  CHECK(p->pos.line == 3);
  CHECK_THAT(p->message, Catch::Contains("did you mean 'base'"));
  CHECK(test::find_problem(r.problems(), "a1"));
  CHECK(test::find_problem(r.problems(), "a2"));
  CHECK(test::find_problem(r.problems(), "a3.base"));
  CHECK(test::find_problem(r.problems(), "a3.input"));
}

TEST_CASE("an ad-hoc action's input string is Mistral's", "[lang][actions][api]") {
  // Expected strings from mistral.services.adhoc_actions.get_input_list.
  auto r = parse_actions(
      "version: '2.0'\na:\n  base: std.echo\n  input:\n    - x\n    - n: 5\n    - s: \"hi\"\n    - z: null\n"
      "    - l: [1, \"é\"]\n    - d: {k: true}\n");
  INFO(test::dump(r.problems()));
  REQUIRE(r.ok());
  CHECK(action_input_signature(r->actions[0]->input) ==
        "x, n=5, s=\"hi\", z=null, l=[1, \"\\u00e9\"], d={\"k\": true}");
  CHECK(action_input_signature({}) == "");
}
