// Bora's rollback keys (docs/LANGUAGE.md "Rollback"): `compensate:` in its
// forms, `rollback-on-error`, the `rollback` command (and a task of that
// name keeping its meaning), and their refusals with line:column.
#include <catch2/catch.hpp>

#include "bora/lang/parser.h"
#include "lang_test_util.h"

using namespace bora;
using namespace bora::lang;

namespace {

std::shared_ptr<const WorkflowSpec> parsed(const std::string& workflow_yaml) {
  auto r = parse_workflows("version: '2.0'\nwf:\n" + workflow_yaml);
  INFO(lang::test::dump(r.problems()));
  REQUIRE(r.ok());
  return r->workflows[0];
}

}  // namespace

TEST_CASE("compensate: a one-line action call with inline parameters", "[lang][rollback]") {
  auto wf = parsed(
      "  tasks:\n    a:\n      action: std.echo output=1\n      retry: count=2 delay=1\n      wait-before: 3\n"
      "      compensate: std.echo output=\"undo <% $.x %>\"\n");
  const TaskSpec* a = wf->task("a");
  REQUIRE(a->compensation);
  const TaskSpec& c = *a->compensation;
  CHECK(c.action == "std.echo");
  CHECK(c.compensates == "a");
  CHECK(static_cast<const Value&>(c.input) == Value::dict({{"output", Value("undo <% $.x %>")}}));
  // The task's retry, no other policy.
  REQUIRE(c.policies.retry);
  CHECK(c.policies.wait_before.is_null());
  CHECK(wf->has_compensations);
  CHECK_FALSE(wf->rollback_on_error);
}

TEST_CASE("compensate: a workflow call with input, task-defaults' timeout applied", "[lang][rollback]") {
  auto wf = parsed(
      "  rollback-on-error: true\n  task-defaults:\n    timeout: 30\n    pause-before: true\n  tasks:\n    a:\n"
      "      action: std.noop\n      compensate:\n        workflow: teardown id=7\n        input:\n          "
      "why: test\n");
  const TaskSpec& c = *wf->task("a")->compensation;
  CHECK(c.workflow == "teardown");
  CHECK(c.is_workflow_task());
  CHECK(static_cast<const Value&>(c.input) == Value::dict({{"why", Value("test")}, {"id", Value(7)}}));
  CHECK_FALSE(c.policies.timeout.is_null());
  CHECK(c.policies.pause_before.is_null());
  CHECK(wf->rollback_on_error);
}

TEST_CASE("a plain Mistral workflow has no compensation", "[lang][rollback]") {
  auto wf = parsed("  tasks:\n    a:\n      action: std.noop\n");
  CHECK_FALSE(wf->task("a")->compensation);
  CHECK_FALSE(wf->has_compensations);
}

TEST_CASE("rollback is an engine command unless a task has that name", "[lang][rollback]") {
  auto cmd = parsed("  tasks:\n    a:\n      on-error:\n        - rollback(msg='x')\n");
  const auto& next = cmd->task("a")->on_error->next;
  REQUIRE(next.size() == 1);
  CHECK(next[0].rollback);
  CHECK(next[0].engine_command());
  auto task = parsed("  tasks:\n    a:\n      on-error: rollback\n    rollback:\n      action: std.noop\n");
  CHECK_FALSE(task->task("a")->on_error->next[0].rollback);
  CHECK_FALSE(task->task("a")->on_error->next[0].engine_command());
}

TEST_CASE("bad compensate and rollback-on-error values are refused with their position", "[lang][rollback]") {
  auto r = parse_workflows(
      "version: '2.0'\nwf:\n  rollback-on-error: yes please\n  tasks:\n    a:\n      compensate:\n"
      "        action: std.echo\n        workflow: x\n    b:\n      compensate: 42\n    c:\n      compensate:\n"
      "        input: {a: 1}\n  task-defaults:\n    compensate: std.noop\n");
  REQUIRE_FALSE(r.ok());
  const Problems& ps = r.problems();
  INFO(lang::test::dump(ps));
  auto has = [&](const std::string& path, int line, const std::string& text) {
    for (const auto& p : ps)
      if (p.path == path && p.pos.line == line && p.message.find(text) != std::string::npos) return true;
    return false;
  };
  CHECK(has("wf.rollback-on-error", 3, "must be true or false"));
  CHECK(has("wf.tasks.a.compensate", 6, "both 'action' and 'workflow'"));
  CHECK(has("wf.tasks.b.compensate", 10, "must be an action call"));
  CHECK(has("wf.tasks.c.compensate", 13, "needs 'action' or 'workflow'"));
  CHECK(has("wf.task-defaults.compensate", 15, "unknown attribute 'compensate'"));
}
