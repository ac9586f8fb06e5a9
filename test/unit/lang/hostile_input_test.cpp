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

TEST_CASE("anchors and aliases in a definition are text, as Mistral's SafeLoader reads them", "[lang][hostile]") {
  // mistral.utils.safe_yaml reads `&` and `*` as the start of a plain
  // scalar (its guard against alias bombs), so nothing is expanded: a bomb
  // is a few short strings.
  std::string wf = "version: '2.0'\nwf:\n  vars:\n    a0: &a0 [x, x, x]\n";
  for (int i = 1; i < 9; ++i) {
    std::string prev = "*a" + std::to_string(i - 1);
    wf += "    a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + prev;
    for (int k = 0; k < 9; ++k) wf += ", " + prev;
    wf += "]\n";
  }
  wf += "    glob: *.log\n    cron: * * * * *\n    user: @admin\n    flow: [*a0, &b 1]\n"
        "  tasks:\n    t:\n      action: std.noop\n";
  auto r = parse_workflows(wf);
  REQUIRE(r.ok());
  const auto& vars = r.value().workflows.front()->vars;
  CHECK(vars["a0"] == Value("&a0 [x, x, x]"));
  CHECK(vars["a1"].as_string().rfind("&a1 [*a0, *a0, ", 0) == 0);
  CHECK(vars["glob"] == Value("*.log"));
  CHECK(vars["cron"] == Value("* * * * *"));
  CHECK(vars["user"] == Value("@admin"));
  CHECK(vars["flow"] == Value(List{Value("*a0"), Value("&b 1")}));
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

TEST_CASE("billion laughs is read as text in milliseconds", "[lang][hostile]") {
  // 9^12 leaves if it were expanded; Mistral's loader (and so Bora's
  // reading of a definition) takes each line for a string.
  std::string bomb = bora::test::billion_laughs("version: '2.0'\n");
  std::string problems;
  double seconds = 0;
  bora::test::run_on_small_stack([&] {
    auto start = std::chrono::steady_clock::now();
    auto r = parse_workflows(bomb);
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!r.ok()) problems = format_problems(r.problems());
  });
  CHECK_THAT(problems, Catch::Contains("got '&a6 [*a5, *a5,"));  // each a string, not a workflow
  CHECK_THAT(problems, !Catch::Contains("YAML nodes"));
  CHECK(seconds < 0.5);

  // Nor is nesting reached through aliases: each is a one-line string.
  std::string chain = bora::test::alias_chain("version: '2.0'\n", 150);
  auto c = parse_workflows(chain);
  REQUIRE_FALSE(c.ok());
  CHECK_THAT(format_problems(c.problems()), Catch::Contains("got '&l149 [*l148]'"));
  CHECK_THAT(format_problems(c.problems()), !Catch::Contains("nested deeper"));
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
