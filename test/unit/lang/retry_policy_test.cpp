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

TEST_CASE("retry backoff, max-delay and jitter in the one-line form", "[lang][retry]") {
  auto r = with_retry(" count=5 delay=1 backoff=2 max-delay=60 jitter=full\n");
  INFO(test::dump(r.problems()));
  REQUIRE(r.ok());
  const RetrySpec& rs = *r->workflows[0]->tasks[0].policies.retry;
  CHECK(rs.count == Value(5));
  CHECK(rs.delay == Value(1));
  CHECK(rs.backoff == Value(2));
  CHECK(rs.max_delay == Value(60));
  CHECK(rs.jitter == Value("full"));
  auto named = with_retry(" count=2 delay=1 backoff=exponential jitter=equal\n");
  INFO(test::dump(named.problems()));
  REQUIRE(named.ok());
  CHECK(named->workflows[0]->tasks[0].policies.retry->backoff == Value("exponential"));
  CHECK(named->workflows[0]->tasks[0].policies.retry->jitter == Value("equal"));
  auto expressions = with_retry(" count=2 delay=1 backoff=<% $.b %> max-delay=<% $.m %> jitter=<% $.j %>\n");
  INFO(test::dump(expressions.problems()));
  REQUIRE(expressions.ok());
  CHECK(expressions->workflows[0]->tasks[0].policies.retry->jitter == Value("<% $.j %>"));
}

TEST_CASE("retry backoff, max-delay and jitter in the full form", "[lang][retry]") {
  auto r = with_retry("\n        count: 3\n        delay: 1\n        backoff: linear\n        max-delay: 2.5\n"
                      "        jitter: none\n");
  INFO(test::dump(r.problems()));
  REQUIRE(r.ok());
  const RetrySpec& rs = *r->workflows[0]->tasks[0].policies.retry;
  CHECK(rs.backoff == Value("linear"));
  CHECK(rs.max_delay == Value(2.5));
  CHECK(rs.jitter == Value("none"));
  // Without them, nothing is set: the retry is Mistral's.
  auto plain = with_retry(" count=3 delay=1\n");
  REQUIRE(plain.ok());
  CHECK(plain->workflows[0]->tasks[0].policies.retry->backoff.is_null());
  CHECK(plain->workflows[0]->tasks[0].policies.retry->max_delay.is_null());
  CHECK(plain->workflows[0]->tasks[0].policies.retry->jitter.is_null());
}

TEST_CASE("retry backoff, max-delay and jitter refuse bad values with line:column", "[lang][retry][errors]") {
  auto r = with_retry("\n        count: 3\n        delay: 1\n        backoff: 0\n        max-delay: -1\n"
                      "        jitter: half\n");
  REQUIRE_FALSE(r.ok());
  INFO(test::dump(r.problems()));
  const Problem* p = test::find_problem(r.problems(), "wf.tasks.t.retry.backoff");
  REQUIRE(p);
  CHECK(p->pos.line == 9);
  CHECK(p->pos.column == 18);
  CHECK_THAT(p->message, Catch::Contains("'exponential'"));
  p = test::find_problem(r.problems(), "wf.tasks.t.retry.max-delay");
  REQUIRE(p);
  CHECK(p->pos.line == 10);
  p = test::find_problem(r.problems(), "wf.tasks.t.retry.jitter");
  REQUIRE(p);
  CHECK(p->pos.line == 11);
  CHECK_THAT(p->message, Catch::Contains("'full'"));
  // One-line: the problem points at the line; a misspelt key is named.
  auto line = with_retry(" count=3 delay=1 backof=2 jitter=some\n");
  REQUIRE_FALSE(line.ok());
  INFO(test::dump(line.problems()));
  REQUIRE(line.problems().size() == 2);
  CHECK_THAT(line.problems()[0].message, Catch::Contains("did you mean 'backoff'"));
  for (const auto& q : line.problems()) {
    CHECK(q.path == "wf.tasks.t.retry");
    CHECK(q.pos.line == 6);
  }
}
