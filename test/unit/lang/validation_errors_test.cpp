// Refusals of whole documents: every problem listed with path and line:column.
#include <catch2/catch.hpp>

#include "bora/core/json.h"
#include "bora/lang/parser.h"
#include "lang_test_util.h"

using namespace bora;
using namespace bora::lang;
using bora::lang::test::read_data;

TEST_CASE("a broken document lists every problem, as frozen in the data file", "[lang][errors]") {
  auto r = parse_workflows(read_data("invalid/many_problems.yaml"));
  REQUIRE_FALSE(r.ok());
  CHECK(format_problems(r.problems(), "invalid/many_problems.yaml") == read_data("invalid/many_problems.expected"));
}

TEST_CASE("each kind of problem has its path and position", "[lang][errors]") {
  auto r = parse_workflows(read_data("invalid/many_problems.yaml"));
  REQUIRE_FALSE(r.ok());
  const Problems& ps = r.problems();
  INFO(test::dump(ps));
  struct Expect {
    const char* path;
    int line, column;
    const char* text;
    bool warning = false;  // what Mistral accepts: shown, never a refusal on its own
  };
  for (const Expect& e : {
           Expect{"wf1.tasks.t2.action", 19, 7, "duplicate key 'action' (first defined at line 17); the last value is used", true},
           Expect{"wf1.type", 4, 9, "'direct' or 'reverse'"},
           Expect{"wf1.input[1]", 7, 7, "appears twice"},
           Expect{"wf1.input[2]", 8, 7, "invalid input parameter"},
           Expect{"wf1.outputs", 9, 3, "did you mean 'output'", true},
           Expect{"wf1.tasks.t1", 12, 5, "both 'action' and 'workflow'"},
           Expect{"wf1.tasks.t1.on-sucess", 15, 7, "did you mean 'on-success'"},
           Expect{"wf1.tasks.t2.requires", 18, 7, "only allowed in reverse workflows"},
           Expect{"wf2.tasks.a.on-success", 26, 7, "only allowed in direct workflows"},
           Expect{"wf2.tasks.b.requires", 28, 17, "'c', which is not defined"},
           Expect{"wf3.tasks.x", 33, 5, "cycle: x -> y -> z -> x"},
           Expect{"empty_wf.tasks", 41, 10, "doesn't have any tasks"},
           Expect{"123e4567-e89b-12d3-a456-426655440000", 43, 1, "looks like a UUID"},
       }) {
    const Problem* p = nullptr;
    for (const auto& x : ps)
      if (x.path == e.path && x.message.find(e.text) != std::string::npos) p = &x;
    INFO(e.path << " / " << e.text);
    REQUIRE(p);
    CHECK(p->pos.line == e.line);
    CHECK(p->pos.column == e.column);
    CHECK(p->is_warning() == e.warning);
  }
}

TEST_CASE("what Mistral accepts is accepted with warnings, the last duplicate value kept", "[lang][errors][warnings]") {
  auto r = parse_workflows(
      "version: '2.0'\n"
      "wf:\n"
      "  descrption: typo\n"
      "  input:\n"
      "    - a\n"
      "    - a: 1\n"
      "  tasks:\n"
      "    t:\n"
      "      action: std.fail\n"
      "      action: std.echo output=1\n");
  REQUIRE(r.ok());
  REQUIRE(r.problems().size() == 2);
  for (const auto& p : r.problems()) CHECK(p.is_warning());
  CHECK_FALSE(has_errors(r.problems()));
  const auto& wf = *r->workflows.at(0);
  REQUIRE(wf.tasks.size() == 1);
  REQUIRE(wf.input.size() == 1);  // the same name twice, with other defaults: the last entry wins
  CHECK(wf.input.at(0).default_value == Value(int64_t{1}));
  CHECK(wf.tasks.at(0).action == "std.echo");  // the last value, as PyYAML keeps
  CHECK_THAT(format_problems(r.problems()), Catch::Contains("10:7: wf.tasks.t.action: warning: duplicate key 'action'"));
  // A document with errors and warnings lists both; the error refuses it.
  auto bad = parse_workflows("version: '2.0'\nwf:\n  descrption: x\n  tasks:\n    t: {action: std.noop, on-sucess: x}\n");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.problems().size() == 2);
  CHECK(errors_of(bad.problems()).size() == 1);
  CHECK_THAT(problems_to_error(bad.problems()).message, !Catch::Contains("descrption"));
  // The same entry twice is what Mistral's schema refuses (uniqueItems), in
  // its words; long entries are compared whole, not as shown.
  auto twice = parse_workflows("version: '2.0'\nwf:\n  input: [a, a]\n  tasks:\n    t: {action: std.noop}\n");
  REQUIRE_FALSE(twice.ok());
  CHECK_THAT(problems_to_error(twice.problems()).message,
             Catch::StartsWith("Invalid DSL: ['a', 'a'] has non-unique elements 3:14: wf.input[1]: input parameter 'a' "
                               "appears twice"));
  std::string long_a(100, 'x'), long_b = long_a;
  long_b.back() = 'y';
  auto distinct = parse_workflows("version: '2.0'\nwf:\n  input: [" + long_a + ", " + long_b +
                                  "]\n  tasks:\n    t: {action: std.noop}\n");
  CHECK(distinct.ok());
  CHECK(distinct.problems().empty());
}

TEST_CASE("version is required; another than 2.0 is a warning, refused in a workbook", "[lang][errors][version]") {
  // Mistral 15 checks a workflow or action document's version against its
  // schema only (and reads it as 2.0); a workbook's through
  // _get_spec_version ("Unsupported DSL version").
  auto r = parse_workflows(read_data("invalid/bad_version.yaml"));
  REQUIRE(r.ok());
  REQUIRE(r.problems().size() == 1);
  CHECK(r.problems()[0].is_warning());
  CHECK(r.problems()[0].path == "version");
  CHECK(r.problems()[0].pos.line == 1);
  CHECK(r.problems()[0].pos.column == 10);
  CHECK_THAT(r.problems()[0].message, Catch::Contains("version '3.0' is not '2.0'"));
  auto wb = parse_workbook("version: '3.0'\nname: wb\nworkflows:\n  x:\n    tasks:\n      t:\n        action: std.noop\n");
  REQUIRE_FALSE(wb.ok());
  CHECK_THAT(wb.error().message, Catch::StartsWith("Unsupported DSL version: 3.0"));
  auto empty = parse_workflows("version: ''\nx:\n  tasks:\n    t:\n      action: std.noop\n");
  REQUIRE_FALSE(empty.ok());

  auto missing = parse_workflows(read_data("invalid/no_version.yaml"));
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.problems()[0].message, Catch::Contains("missing 'version'"));
}

TEST_CASE("invalid YAML is one problem with its position", "[lang][errors]") {
  auto r = parse_workflows(read_data("invalid/bad_yaml.yaml"));
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.problems().size() == 1);
  CHECK(r.problems()[0].pos.line == 6);
  CHECK_THAT(r.problems()[0].message, Catch::StartsWith("invalid YAML"));
}

TEST_CASE("one YAML document, with directives only before its ---, as PyYAML reads a stream", "[lang][errors]") {
  const std::string wf = "version: '2.0'\nwf:\n  tasks:\n    t:\n      action: std.noop\n";
  // What PyYAML (and so Mistral) takes.
  for (const std::string& ok : {wf, "---\n" + wf, "%YAML 1.1\n---\n" + wf, wf + "...\n", "# c\n%YAML 1.1\n--- \n" + wf,
                                wf + "  description: |\n    %literal\n", wf + "  description: '%quoted'\n"}) {
    INFO(ok);
    CHECK(parse_workflows(ok).ok());
  }
  // Refused, with the position of the line that breaks the rule
  // (Mistral's words frozen in mistral_error_words.json).
  for (const auto& [text, line] : std::vector<std::pair<std::string, int>>{{wf + "---\nx: 1\n", 6},
                                                                          {wf + "---\n", 6},
                                                                          {wf + "...\nx: 1\n", 7},
                                                                          {"---\n" + wf + "---\n", 7},
                                                                          {wf + "%FOO\n", 6},
                                                                          {"---\n%\n", 2},
                                                                          {"%YAML 1.1\n" + wf, 1}}) {
    auto r = parse_workflows(text);
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.problems().size() == 1);
    CHECK(r.problems()[0].pos.line == line);
    // PyYAML's own first line follows (frozen per case in
    // mistral_error_words.json, "yaml_two_documents" and the rest).
    CHECK(r.problems()[0].mistral.rfind("Definition could not be parsed: ", 0) == 0);
  }
}

TEST_CASE("documents that are not mappings, or hold no workflow", "[lang][errors]") {
  CHECK_FALSE(parse_workflows("").ok());
  CHECK_FALSE(parse_workflows("- a\n- b\n").ok());
  auto r = parse_workflows("version: '2.0'\n");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.problems()[0].message, Catch::Contains("no workflows"));
  auto t = parse_workflows("version: '2.0'\nwf:\n  tasks:\n    t1:\n");
  REQUIRE_FALSE(t.ok());
  CHECK(t.problems()[0].path == "wf.tasks.t1");
  CHECK(t.problems()[0].pos.line == 4);
}

TEST_CASE("wrong types of task attributes", "[lang][errors]") {
  auto r = parse_workflows(
      "version: '2.0'\nwf:\n  tasks:\n    t:\n      action: [std.noop]\n      input: []\n      publish: x\n"
      "      target: ''\n      tags: [a, a]\n      description: 5\n");
  REQUIRE_FALSE(r.ok());
  INFO(test::dump(r.problems()));
  for (const char* path : {"wf.tasks.t.action", "wf.tasks.t.input", "wf.tasks.t.publish", "wf.tasks.t.target",
                           "wf.tasks.t.tags[1]", "wf.tasks.t.description"})
    CHECK(test::find_problem(r.problems(), path));
  CHECK(test::find_problem(r.problems(), "wf.tasks.t.publish")->pos.line == 7);
}

TEST_CASE("problems format one per line as FILE:LINE:COLUMN: PATH: MESSAGE", "[lang][errors]") {
  Problems ps{{"wf.tasks.t1", {3, 5}, "bad"}, {"", {}, "no position"}};
  CHECK(format_problems(ps, "f.yaml") == "f.yaml:3:5: wf.tasks.t1: bad\nf.yaml: no position\n");
  Error e = problems_to_error(ps);
  CHECK(e.kind == ErrorKind::BadInput);
  CHECK_THAT(e.message, Catch::Contains("3:5: wf.tasks.t1: bad"));
  CHECK_THAT(e.message, Catch::StartsWith("Invalid DSL: 2 problems:\n3:5: wf.tasks.t1: bad\n"));
  // Mistral's own words of the first problem stay whole before the count.
  ps[0].mistral = "Task 'b' not found.";
  CHECK_THAT(problems_to_error(ps).message, Catch::StartsWith("Task 'b' not found. (2 problems):\n3:5: "));
}

TEST_CASE("workbook-only keys in a workflows document say so", "[lang][errors]") {
  auto r = parse_workflows("version: '2.0'\nname: my_wb\nwf:\n  tasks:\n    t: {action: std.noop}\n");
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.problems().size() == 1);
  CHECK(r.problems()[0].path == "name");
  CHECK(r.problems()[0].pos.line == 2);
  CHECK_THAT(r.problems()[0].message, Catch::Contains("belongs to workbooks"));
}

// Mistral's own words lead the error (Problem::mistral): each case is a
// definition the real Mistral refused, with the start of its message, frozen
// by scripts/gen_definition_error_cases.py.
TEST_CASE("a refused definition's error starts with Mistral's words, then Bora's line:column", "[lang][errors]") {
  Value data = parse_json(read_data("mistral_error_words.json")).value();
  REQUIRE(data["cases"].as_list().size() >= 80);
  for (const Value& c : data["cases"].as_list()) {
    INFO(c["name"].as_string() << " (" << c["document"].as_string() << ")\nMistral: " << c["mistral_error"].as_string());
    // Each document kind through its own entry point, as Mistral's API
    // parses it (the generator's PARSE).
    const std::string& document = c["document"].as_string();
    const std::string& definition = c["definition"].as_string();
    bool ok = true;
    std::string message;
    if (document == "workflows") {
      auto r = parse_workflows(definition);
      ok = r.ok();
      if (!ok) message = r.error().message;
    } else if (document == "workbook") {
      auto r = parse_workbook(definition);
      ok = r.ok();
      if (!ok) message = r.error().message;
    } else {
      REQUIRE(document == "actions");
      auto r = parse_actions(definition);
      ok = r.ok();
      if (!ok) message = r.error().message;
    }
    CHECK_FALSE(ok);
    if (ok) continue;
    INFO("Bora: " << message);
    const std::string& words = c["starts_with"].as_string();
    CHECK(message.rfind(words, 0) == 0);
    // Bora's own part follows: where (LINE:COLUMN: ) and what to do.
    bool located = false;
    for (size_t i = words.size(); i < message.size() && !located; ++i) {
      size_t j = i;
      while (j < message.size() && std::isdigit(static_cast<unsigned char>(message[j]))) ++j;
      if (j == i || j >= message.size() || message[j] != ':') continue;
      size_t k = ++j;
      while (k < message.size() && std::isdigit(static_cast<unsigned char>(message[k]))) ++k;
      located = k > j && message.compare(k, 2, ": ") == 0;
    }
    CHECK(located);
  }
}

TEST_CASE("a workflow's description of any type is accepted with a warning, a task's is refused", "[lang][errors]") {
  // Mistral 15's WorkflowSpec meta-schema has no rule for `description`;
  // a task's, an action's and a workbook's are non-empty strings.
  for (const char* d : {"true", "[1]", "''", "5"}) {
    auto r = parse_workflows(std::string("version: '2.0'\nwf:\n  description: ") + d + "\n  tasks:\n    t: {action: std.noop}\n");
    INFO(d << ": " << test::dump(r.problems()));
    REQUIRE(r.ok());
    REQUIRE(r.problems().size() == 1);
    CHECK(r.problems()[0].is_warning());
    CHECK(r.problems()[0].path == "wf.description");
    CHECK(r->workflows.at(0)->description.empty());
  }
  auto task = parse_workflows("version: '2.0'\nwf:\n  tasks:\n    t: {action: std.noop, description: 5}\n");
  REQUIRE_FALSE(task.ok());
  CHECK_THAT(problems_to_error(task.problems()).message, Catch::StartsWith("Invalid DSL: 5 is not of type 'string'"));
}

TEST_CASE("what PyYAML makes a date, bytes or a set of is refused wherever it is, as Mistral refuses it", "[lang][errors][yaml]") {
  // Mistral's schemas refuse them where they check a value (the frozen
  // cases of mistral_error_words.json); where they do not (in a list, a
  // `with-items` array), its database cannot store them (a 500). A key of
  // a timestamp's form is a date key, which it cannot store either.
  struct Case {
    const char* yaml;
    const char* path;
    const char* words;
  };
  for (const Case& c : {
           Case{"  vars:\n    l: [2020-01-01]\n", "wf.vars.l[0]", "'2020-01-01' is a date to Mistral's YAML loader (datetime.date(2020, 1, 1))"},
           Case{"  vars:\n    at: 2020-1-2 3:04:05.5 +01:00\n", "wf.vars.at",
                "datetime.datetime(2020, 1, 2, 3, 4, 5, 500000, tzinfo=datetime.timezone(datetime.timedelta(seconds=3600)))"},
           Case{"  vars:\n    l: [!!binary \"J2EnIA==\"]\n", "wf.vars.l[0]", "bytes (b\"'a' \")"},
           Case{"  vars:\n    s: !!set {}\n", "wf.vars.s", "(set())"},
           Case{"  vars:\n    2020-01-01: x\n", "wf.vars.2020-01-01", "the key '2020-01-01' is a date"},
       }) {
    auto r = parse_workflows(std::string("version: '2.0'\nwf:\n") + c.yaml + "  tasks:\n    t: {action: std.noop}\n");
    INFO(c.yaml << test::dump(r.problems()));
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.problems().size() == 1);
    CHECK(r.problems()[0].path == c.path);
    CHECK_THAT(r.problems()[0].message, Catch::Contains(c.words));
  }
  // Text of the same form is text: quoted, or not a timestamp.
  for (const char* v : {"'2020-01-01'", "\"2020-01-01 10:00:00\"", "2020-1-1", "2020-01-01x", "!!str 2020-01-01"}) {
    auto r = parse_workflows(std::string("version: '2.0'\nwf:\n  vars:\n    d: ") + v + "\n  tasks:\n    t: {action: std.noop}\n");
    INFO(v << test::dump(r.problems()));
    CHECK(r.ok());
  }
}

TEST_CASE("explicit YAML tags construct their type or fail as PyYAML's constructor does", "[lang][errors][yaml]") {
  auto vars = [](const std::string& v) {
    return parse_workflows("version: '2.0'\nwf:\n  vars:\n    v: " + v + "\n  tasks:\n    t: {action: std.noop}\n");
  };
  // A copy: the parse result, and the specs in it, end with the call.
  auto value = [&](const std::string& v) {
    auto r = vars(v);
    REQUIRE(r.ok());
    const Value* found = r->workflows.at(0)->vars.find("v");
    REQUIRE(found);
    return Value(*found);
  };
  CHECK(value("!!null abc").is_null());  // construct_yaml_null: None whatever the text
  CHECK(value("!!float 5").is_double());
  CHECK(value("!!float 1e3").as_double() == 1000.0);  // float() takes it, the plain resolver does not
  CHECK(value("!!bool On").as_bool());
  CHECK(value("!!int '0x1F'").as_int() == 31);
  for (auto [v, words] : {std::pair{"!!bool maybe", "'maybe'"},
                          std::pair{"!!int 1.5", "invalid literal for int() with base 10: '1.5'"},
                          std::pair{"!!float 1,5", "could not convert string to float: '1,5'"},
                          std::pair{"!!binary abc", "Definition could not be parsed: failed to decode base64 data: Incorrect padding"},
                          std::pair{"!!timestamp 2020", "'NoneType' object has no attribute 'groupdict'"},
                          std::pair{"2021-02-29", "day is out of range for month"}}) {
    auto r = vars(v);
    INFO(v << test::dump(r.problems()));
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(problems_to_error(r.problems()).message, Catch::StartsWith(words));
    CHECK(r.problems()[0].path == "wf.vars.v");
  }
  // A key PyYAML's constructor fails on stops the parse the same way.
  auto key = parse_workflows("version: '2.0'\nwf:\n  vars:\n    2020-13-01: x\n  tasks:\n    t: {action: std.noop}\n");
  REQUIRE_FALSE(key.ok());
  CHECK_THAT(problems_to_error(key.problems()).message, Catch::StartsWith("month must be in 1..12"));
  CHECK(key.problems()[0].pos.line == 4);
}

TEST_CASE("a key that is no text to PyYAML is refused where Mistral's schema matches key patterns", "[lang][errors][yaml]") {
  // Mistral's jsonschema searches its key patterns in an int, a float, a
  // bool: Python's TypeError (a 500). Quoted, the key is text; where no
  // pattern applies (inside a value) Mistral takes it.
  auto r = parse_workflows("version: '2.0'\nwf:\n  tasks:\n    10:\n      action: std.noop\n");
  REQUIRE_FALSE(r.ok());
  INFO(test::dump(r.problems()));
  REQUIRE(r.problems().size() == 1);
  CHECK(r.problems()[0].path == "wf.tasks.10");
  CHECK(r.problems()[0].pos.line == 4);
  CHECK_THAT(problems_to_error(r.problems()).message,
             Catch::StartsWith("expected string or bytes-like object, got 'int'"));
  CHECK_THAT(r.problems()[0].message, Catch::Contains("quote it ('10')"));
  auto b = parse_workflows("version: '2.0'\nwf:\n  vars:\n    on: 1\n  tasks:\n    t: {action: std.noop}\n");
  REQUIRE_FALSE(b.ok());
  CHECK_THAT(b.problems()[0].message, Catch::Contains("the key True is a bool"));
  for (const char* ok : {"version: '2.0'\nwf:\n  tasks:\n    '10':\n      action: std.noop\n",
                         "version: '2.0'\nwf:\n  vars:\n    a: {5: 1}\n  tasks:\n    t: {action: std.noop}\n",
                         "version: '2.0'\n10:\n  tasks:\n    t: {action: std.noop}\n"}) {
    auto a = parse_workflows(ok);
    INFO(ok << test::dump(a.problems()));
    CHECK(a.ok());
  }
}

TEST_CASE("a block mapping's key needs its ':', as PyYAML's scanner requires", "[lang][errors][yaml]") {
  auto input = [](const std::string& lines) {
    return parse_workflows("version: '2.0'\nwf:\n  tasks:\n    t:\n      action: std.echo\n      input:\n" + lines +
                           "  output: {x: 1}\n");
  };
  // (yaml-cpp reads such a line as a plain scalar going on at the next
  // line, and fails there, or as a key with a null value at the end.)
  for (const char* bad : {"        output: 1\n        extra\n", "        output: 1\n        'extra'\n",
                          "        output: 1\n        a:b\n", "        output: 1\n        extra # a comment\n"}) {
    auto r = input(bad);
    INFO(bad << test::dump(r.problems()));
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(problems_to_error(r.problems()).message,
               Catch::StartsWith("Definition could not be parsed: while scanning a simple key"));
    CHECK(r.problems()[0].pos.line == 8);
  }
  // Keys that have their ':' (or need none: flow mappings, `?` keys), and
  // a lone scalar that is a key's value on the next line.
  for (const char* good : {"        output: 1\n        extra:\n", "        output: 1\n        'a:b': 2\n",
                           "        output: 1\n        extra: # nothing\n", "        output: {a, b: 1}\n",
                           "        ? output\n        : 1\n", "        output:\n          'x'\n"}) {
    auto r = input(good);
    INFO(good << test::dump(r.problems()));
    CHECK(r.ok());
  }
}
