// Hostile input: deep nesting, alias bombs, oversized documents, odd strings.
#include <catch2/catch.hpp>

#include <chrono>

#include "../hostile_text.h"
#include "../small_stack.h"
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

TEST_CASE("billion laughs is refused in milliseconds, before converting", "[lang][hostile]") {
  // 9^12 leaves once expanded; yaml-cpp shares the aliased nodes.
  std::string bomb = bora::test::billion_laughs("version: '2.0'\n");
  std::string problems;
  double seconds = 0;
  bora::test::run_on_small_stack([&] {
    auto start = std::chrono::steady_clock::now();
    auto r = parse_workflows(bomb);
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!r.ok()) problems = format_problems(r.problems());
  });
  CHECK_THAT(problems, Catch::Contains("YAML nodes (after expanding aliases)"));
  CHECK(problems.rfind("8:7: ", 0) == 0);  // where the block past the limit starts: lol6's list
  CHECK(seconds < 0.5);

  // Nesting reached only through aliases is refused too, with its line.
  std::string chain = bora::test::alias_chain("version: '2.0'\n", 150);
  auto c = parse_workflows(chain);
  REQUIRE_FALSE(c.ok());
  CHECK_THAT(format_problems(c.problems()), Catch::Contains("nested deeper than 100 levels"));
}

TEST_CASE("hostile nesting in a definition is refused on a small stack", "[lang][hostile]") {
  for (const std::string& open : {std::string("["), std::string("{a: "), std::string("[{a: ")}) {
    std::string deep = "version: '2.0'\nwf:\n  vars:\n    x: ";
    for (int i = 0; i < 20000; ++i) deep += open;
    std::string problems = "(parsed)";
    bora::test::run_on_small_stack([&] {
      auto r = parse_workflows(deep);
      if (!r.ok()) problems = format_problems(r.problems());
    });
    CHECK_THAT(problems, Catch::Contains("nested deeper"));
  }
}
