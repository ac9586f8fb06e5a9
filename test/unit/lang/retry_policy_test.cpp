// retry: full form, one-line form, and refusals.
#include <catch2/catch.hpp>

#include "bora/lang/parser.h"
#include "lang_test_util.h"

using namespace bora;
using namespace bora::lang;

namespace {

Parsed<WorkflowsDocument> with_retry(const std::string& retry_yaml) {
  return parse_workflows("version: '2.0'\nwf:\n  tasks:\n    t:\n      action: std.noop\n      retry:" + retry_yaml);
}

}  // namespace

TEST_CASE("retry in full form", "[lang][retry]") {
  auto r = with_retry("\n        count: 5\n        delay: <% $.d %>\n        break-on: <% $.stop %>\n"
                      "        continue-on: <% $.go %>\n");
  INFO(test::dump(r.problems()));
  REQUIRE(r.ok());
  const RetrySpec& rs = *r->workflows[0]->tasks[0].policies.retry;
  CHECK(rs.count == Value(5));
  CHECK(rs.delay == Value("<% $.d %>"));
  CHECK(rs.break_on == Value("<% $.stop %>"));
  CHECK(rs.continue_on == Value("<% $.go %>"));
}

TEST_CASE("retry in one-line form", "[lang][retry]") {
  auto r = with_retry(" count=3 delay=1 break-on=<% $.done %>\n");
  INFO(test::dump(r.problems()));
  REQUIRE(r.ok());
  const RetrySpec& rs = *r->workflows[0]->tasks[0].policies.retry;
  CHECK(rs.count == Value(3));
  CHECK(rs.delay == Value(1));
  CHECK(rs.break_on == Value("<% $.done %>"));
  CHECK(rs.continue_on.is_null());
}

TEST_CASE("retry needs count and delay", "[lang][retry][errors]") {
  auto r = with_retry("\n        count: 5\n");
  REQUIRE_FALSE(r.ok());
  const Problem* p = test::find_problem(r.problems(), "wf.tasks.t.retry");
  REQUIRE(p);
  CHECK(p->pos.line == 7);
  CHECK_THAT(p->message, Catch::Contains("'delay'"));
}

TEST_CASE("retry refuses negative numbers, non-expressions and unknown keys", "[lang][retry][errors]") {
  auto r = with_retry("\n        count: -1\n        delay: 1\n        break-on: true\n        contine-on: <% 1 %>\n");
  REQUIRE_FALSE(r.ok());
  INFO(test::dump(r.problems()));
  const Problem* p = test::find_problem(r.problems(), "wf.tasks.t.retry.count");
  REQUIRE(p);
  CHECK(p->pos.line == 7);
  CHECK(p->pos.column == 16);
  p = test::find_problem(r.problems(), "wf.tasks.t.retry.break-on");
  REQUIRE(p);
  CHECK(p->pos.line == 9);
  p = test::find_problem(r.problems(), "wf.tasks.t.retry.contine-on");
  REQUIRE(p);
  CHECK(p->pos.line == 10);
  CHECK(p->pos.column == 9);
  CHECK_THAT(p->message, Catch::Contains("did you mean 'continue-on'"));
}

TEST_CASE("one-line retry problems point at the line", "[lang][retry][errors]") {
  auto r = with_retry(" count=3 dleay=1\n");
  REQUIRE_FALSE(r.ok());
  INFO(test::dump(r.problems()));
  REQUIRE(r.problems().size() == 2);
  for (const auto& p : r.problems()) {
    CHECK(p.path == "wf.tasks.t.retry");
    CHECK(p.pos.line == 6);
    CHECK(p.pos.column == 14);
  }
}

TEST_CASE("other policies accept integers, booleans or expressions only", "[lang][policies][errors]") {
  auto r = parse_workflows(
      "version: '2.0'\nwf:\n  tasks:\n    t:\n      wait-before: -5\n      timeout: 'soon'\n"
      "      pause-before: 1\n      concurrency: 2.5\n      fail-on: maybe\n      keep-result: <% false %>\n");
  REQUIRE_FALSE(r.ok());
  INFO(test::dump(r.problems()));
  CHECK(r.problems().size() == 5);
  for (const char* path : {"wf.tasks.t.wait-before", "wf.tasks.t.timeout", "wf.tasks.t.pause-before",
                           "wf.tasks.t.concurrency", "wf.tasks.t.fail-on"})
    CHECK(test::find_problem(r.problems(), path));
  CHECK(test::find_problem(r.problems(), "wf.tasks.t.timeout")->pos.line == 6);
}
