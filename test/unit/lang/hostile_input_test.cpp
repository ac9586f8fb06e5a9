// Hostile input: deep nesting, alias bombs, oversized documents, odd strings.
#include <catch2/catch.hpp>

#include "bora/lang/parser.h"
#include "lang_test_util.h"

using namespace bora;
using namespace bora::lang;

TEST_CASE("deeply nested documents are refused, not crashed on", "[lang][hostile]") {
  std::string deep = "version: '2.0'\nwf:\n  tasks:\n    t:\n      input:\n        x: ";
  for (int i = 0; i < 5000; ++i) deep += "[";
  auto r = parse_workflows(deep);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(format_problems(r.problems()), Catch::Contains("nested deeper"));
  std::string flow = "version: '2.0'\nwf:\n  vars:\n    x: ";
  for (int i = 0; i < 300; ++i) flow += "[";
  for (int i = 0; i < 300; ++i) flow += "]";
  auto f = parse_workflows(flow);
  REQUIRE_FALSE(f.ok());
  CHECK_THAT(format_problems(f.problems()), Catch::Contains("nested deeper"));
}

TEST_CASE("alias expansion past the node limit is refused", "[lang][hostile]") {
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 9; ++i) {
    std::string prev = "*a" + std::to_string(i - 1);
    bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + prev;
    for (int k = 0; k < 9; ++k) bomb += ", " + prev;
    bomb += "]\n";
  }
  auto r = parse_workflows(bomb);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(format_problems(r.problems()), Catch::Contains("YAML nodes"));
}

TEST_CASE("oversized documents are refused", "[lang][hostile]") {
  std::string big(kMaxDefinitionBytes + 1, '#');
  auto r = parse_workflows(big);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.problems()[0].message, Catch::Contains("limit"));
}

TEST_CASE("long and odd strings in one-line forms do not blow up", "[lang][hostile]") {
  std::string long_value(200000, 'a');
  auto r = parse_workflows("version: '2.0'\nwf:\n  tasks:\n    t:\n      action: std.echo output=\"" + long_value +
                           "\" x=[" + std::string(50000, '[') + "\n      retry: count=<% " + std::string(10000, '%') +
                           "\n");
  // Whatever the verdict, it is a verdict.
  if (!r.ok()) CHECK_FALSE(r.problems().empty());
  auto s = parse_workflows("version: '2.0'\nwf:\n  tasks:\n    t:\n      with-items: x in " + std::string(100000, '[') + "\n");
  CHECK_FALSE(s.ok());
}
