// on-success / on-error / on-complete / on-skip in all forms, engine commands, join.
#include <catch2/catch.hpp>

#include "bora/lang/parser.h"
#include "lang_test_util.h"

using namespace bora;
using namespace bora::lang;

namespace {

std::shared_ptr<const WorkflowSpec> one(const std::string& tasks_yaml) {
  auto r = parse_workflows("version: '2.0'\nwf:\n  tasks:\n" + tasks_yaml);
  INFO(test::dump(r.problems()));
  REQUIRE(r.ok());
  return r->workflows[0];
}

}  // namespace

TEST_CASE("a single task name", "[lang][transitions]") {
  auto wf = one("    a:\n      on-success: b\n    b:\n      action: std.noop\n");
  const auto& next = wf->task("a")->on_success->next;
  REQUIRE(next.size() == 1);
  CHECK(next[0].task == "b");
  CHECK(next[0].condition.is_null());
  CHECK_FALSE(next[0].engine_command());
}

TEST_CASE("a list with conditions and engine commands", "[lang][transitions]") {
  auto wf = one(
      "    a:\n      on-error:\n        - b: <% $.x > 1 %>\n        - fail(msg='bad thing'): <% $.y %>\n"
      "        - succeed\n        - pause\n      on-complete:\n        - fail msg=\"stop\"\n"
      "    b:\n      action: std.noop\n");
  const auto& next = wf->task("a")->on_error->next;
  REQUIRE(next.size() == 4);
  CHECK(next[0].task == "b");
  CHECK(next[0].condition == Value("<% $.x > 1 %>"));
  CHECK(next[1].task == "fail");
  CHECK(next[1].engine_command());
  CHECK(*next[1].params.find("msg") == Value("bad thing"));
  CHECK(next[1].condition == Value("<% $.y %>"));
  CHECK(next[2].task == "succeed");
  CHECK(next[3].task == "pause");
  const auto& complete = wf->task("a")->on_complete->next;
  REQUIRE(complete.size() == 1);
  CHECK(complete[0].task == "fail");
  CHECK(*complete[0].params.find("msg") == Value("stop"));
}

TEST_CASE("the call form without a blank is refused, as Mistral's schema refuses it", "[lang][transitions]") {
  // on_clause.py's NEXT_TASK takes `^\S+$` and `^\w+\(\w+=(.*)\)$` with
  // oneOf: `fail(msg='x')` is both ("is valid under each of", Mistral 15).
  auto r = parse_workflows("version: '2.0'\nwf:\n  tasks:\n    a:\n      action: std.noop\n      on-error: fail(msg='x')\n");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("'fail(msg='x')' in 'on-error' is valid under each of Mistral's transition forms") !=
        std::string::npos);
  auto spaced = one("    a:\n      on-error: fail(msg=<% 'x' %>)\n");
  REQUIRE(spaced->task("a")->on_error->next.size() == 1);
  CHECK(spaced->task("a")->on_error->next[0].task == "fail");
}

TEST_CASE("a single `task: condition` mapping", "[lang][transitions]") {
  auto wf = one("    a:\n      on-success:\n        b: <% $.ok %>\n    b:\n      action: std.noop\n");
  const auto& next = wf->task("a")->on_success->next;
  REQUIRE(next.size() == 1);
  CHECK(next[0].task == "b");
  CHECK(next[0].condition == Value("<% $.ok %>"));
}

TEST_CASE("the next/publish form with branch, global and atomic", "[lang][transitions][publish]") {
  auto wf = one(
      "    a:\n      on-success:\n        publish:\n          branch:\n            x: 1\n          global:\n"
      "            y: <% $.y %>\n          atomic:\n            z: 3\n        next:\n          - b: <% $.x %>\n"
      "          - c\n    b:\n      action: std.noop\n    c:\n      action: std.noop\n");
  const auto& clause = *wf->task("a")->on_success;
  REQUIRE(clause.publish.has_value());
  CHECK(clause.publish->branch["x"] == Value(1));
  CHECK(clause.publish->global["y"] == Value("<% $.y %>"));
  CHECK(clause.publish->atomic["z"] == Value(3));
  REQUIRE(clause.next.size() == 2);
  CHECK(clause.next[0].condition == Value("<% $.x %>"));
  CHECK(clause.next[1].task == "c");
}

TEST_CASE("publish alone in the dict form, and on-skip with publish-on-skip", "[lang][transitions]") {
  auto wf = one(
      "    a:\n      publish-on-skip:\n        s: 1\n      on-skip: c\n      on-complete:\n        publish:\n"
      "          branch:\n            r: <% task().result %>\n    c:\n      action: std.noop\n");
  const TaskSpec& a = *wf->task("a");
  CHECK(a.publish_on_skip["s"] == Value(1));
  REQUIRE(a.on_skip.has_value());
  CHECK(a.on_skip->next[0].task == "c");
  REQUIRE(a.on_complete->publish.has_value());
  CHECK(a.on_complete->next.empty());
}

TEST_CASE("join all, one and a number", "[lang][join]") {
  auto wf = one(
      "    a:\n      on-success: [j_all, j_one, j_two]\n    b:\n      on-success: [j_all, j_one, j_two]\n"
      "    j_all:\n      join: all\n    j_one:\n      join: one\n    j_two:\n      join: 2\n");
  CHECK(wf->task("j_all")->join == Value("all"));
  CHECK(wf->task("j_one")->join == Value("one"));
  CHECK(wf->task("j_two")->join == Value(2));
  auto starts = wf->start_tasks();
  REQUIRE(starts.size() == 2);
}

TEST_CASE("bad transitions are refused with their position", "[lang][transitions][errors]") {
  auto r = parse_workflows(
      "version: '2.0'\n"          // 1
      "wf:\n"                     // 2
      "  tasks:\n"                // 3
      "    a:\n"                  // 4
      "      on-success:\n"       // 5
      "        - b\n"             // 6
      "        - nope\n"          // 7
      "      on-error:\n"         // 8
      "        - b: not an expression\n"  // 9
      "    b:\n"                  // 10
      "      on-complete: []\n");  // 11
  REQUIRE_FALSE(r.ok());
  INFO(test::dump(r.problems()));
  const Problem* p = test::find_problem(r.problems(), "wf.tasks.a.on-success[1]");
  REQUIRE(p);
  CHECK(p->pos.line == 7);
  CHECK(p->pos.column == 11);
  CHECK_THAT(p->message, Catch::Contains("'nope'") && Catch::Contains("not defined"));
  p = test::find_problem(r.problems(), "wf.tasks.a.on-error[0].b");
  REQUIRE(p);
  CHECK(p->pos.line == 9);
  CHECK_THAT(p->message, Catch::Contains("must be an expression"));
  p = test::find_problem(r.problems(), "wf.tasks.b.on-complete");
  REQUIRE(p);
  CHECK(p->pos.line == 11);
}

TEST_CASE("a typo in a transition target gets a suggestion", "[lang][transitions][errors]") {
  auto r = parse_workflows("version: '2.0'\nwf:\n  tasks:\n    a:\n      on-success: finsh\n    finish:\n      action: std.noop\n");
  REQUIRE_FALSE(r.ok());
  const Problem* p = test::find_problem(r.problems(), "wf.tasks.a.on-success");
  REQUIRE(p);
  CHECK(p->pos.line == 5);
  CHECK_THAT(p->message, Catch::Contains("did you mean 'finish'"));
}

TEST_CASE("an unknown task in task-defaults transitions is refused", "[lang][transitions][errors]") {
  auto r = parse_workflows(
      "version: '2.0'\nwf:\n  task-defaults:\n    on-error:\n      - cleanup\n  tasks:\n    a:\n      action: std.noop\n");
  REQUIRE_FALSE(r.ok());
  const Problem* p = test::find_problem(r.problems(), "wf.task-defaults.on-error[0]");
  REQUIRE(p);
  CHECK(p->pos.line == 5);
}

TEST_CASE("join problems", "[lang][join][errors]") {
  auto r = parse_workflows(
      "version: '2.0'\nwf:\n  tasks:\n    a:\n      on-success: j\n    j:\n      join: 3\n    k:\n      join: all\n"
      "    m:\n      join: some\n");
  REQUIRE_FALSE(r.ok());
  INFO(test::dump(r.problems()));
  const Problem* bad = test::find_problem(r.problems(), "wf.tasks.m.join");
  REQUIRE(bad);
  CHECK(bad->pos.line == 11);
  CHECK_THAT(bad->message, Catch::Contains("'all', 'one'"));
}

TEST_CASE("join counts inbound tasks", "[lang][join][errors]") {
  auto r = parse_workflows(
      "version: '2.0'\nwf:\n  tasks:\n    a:\n      on-success: j\n    j:\n      join: 3\n    k:\n      join: all\n");
  REQUIRE_FALSE(r.ok());
  INFO(test::dump(r.problems()));
  const Problem* p = test::find_problem(r.problems(), "wf.tasks.j.join");
  REQUIRE(p);
  CHECK(p->pos.line == 7);
  CHECK_THAT(p->message, Catch::Contains("only 1"));
  CHECK(test::find_problem(r.problems(), "wf.tasks.k.join"));
}

TEST_CASE("a direct workflow whose tasks all have inbound transitions has no start", "[lang][errors]") {
  auto r = parse_workflows("version: '2.0'\nwf:\n  tasks:\n    a:\n      on-success: b\n    b:\n      on-success: a\n");
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.problems().size() == 1);
  CHECK(r.problems()[0].path == "wf.tasks");
  CHECK_THAT(r.problems()[0].message, Catch::Contains("no start task"));
}

TEST_CASE("a mistyped key of the next/publish form gets a suggestion", "[lang][transitions][errors]") {
  auto r = parse_workflows(
      "version: '2.0'\nwf:\n  tasks:\n    a:\n      on-success:\n        next: b\n        publsh:\n"
      "          branch: {x: 1}\n    b: {action: std.noop}\n");
  REQUIRE_FALSE(r.ok());
  const Problem* p = test::find_problem(r.problems(), "wf.tasks.a.on-success.publsh");
  REQUIRE(p);
  CHECK(p->pos.line == 7);
  CHECK_THAT(p->message, Catch::Contains("did you mean 'publish'"));
}
