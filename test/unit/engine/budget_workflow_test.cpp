// Hostile expressions inside workflows: a task whose input, publish or
// with-items expression exceeds the evaluation budget, or whose with-items
// gives more items than [engine] max_with_items, ends in ERROR with the
// message (naming the expression and the option) in its state_info; the
// engine stays free for other executions.
#include <chrono>

#include "engine_fixture.h"

#include "support/sanitizers.h"

using bora::test::kSlowdown;

using namespace bora;
using namespace bora::engine;
using bora::engine::test::EngineFixture;

namespace {

const char* kWorkflows = R"(
version: '2.0'
huge_string:
  tasks:
    t:
      action: std.echo output=<% 'a' * 1000000000 %>
endless_loop:
  tasks:
    t:
      action: std.echo output="{% for i in range(100000) %}{% for j in range(100000) %}{{ j }}{% endfor %}{% endfor %}"
self_sharing:
  tasks:
    t:
      action: std.noop
      publish:
        x: <% range(0, 70).aggregate([$1, $1], 1) %>
huge_items:
  tasks:
    t:
      with-items: i in <% range(0, 5000000) %>
      action: std.noop
many_items:
  tasks:
    t:
      with-items: i in <% range(0, 300) %>
      action: std.noop
trivial:
  tasks:
    t:
      action: std.echo output="ok"
      publish:
        r: <% task().result %>
)";

}  // namespace

TEST_CASE("a task whose expression exceeds the budget is ERROR with the expression and the option") {
  EngineFixture f(true);
  f.define(kWorkflows);
  struct Expect {
    const char* workflow;
    const char* option;
    const char* expression;
  } cases[] = {
      {"huge_string", "(option [expressions] max_value_bytes)", "'a' * 1000000000"},
      {"endless_loop", "(option [expressions] max_steps)", "{% for i in range(100000) %}"},
      {"self_sharing", "(option [expressions] max_value_bytes)", "range(0, 70).aggregate([$1, $1], 1)"},
  };
  for (const auto& c : cases) {
    INFO(c.workflow);
    auto t0 = std::chrono::steady_clock::now();
    auto ex = f.run(c.workflow);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10) * kSlowdown);
    CHECK(ex.state == storage::State::Error);
    auto t = f.task(ex.id, "t");
    CHECK(t.state == storage::State::Error);
    REQUIRE(t.state_info);
    // Under the sanitizers the time budget may stop the loop before its
    // step budget does (everything runs 5-10 times slower): either is the
    // evaluation budget at work.
    if (kSlowdown > 1 && t.state_info->find("(option [expressions] max_time_ms)") != std::string::npos)
      SUCCEED("stopped by the time budget under the sanitizers");
    else
      CHECK_THAT(*t.state_info, Catch::Contains(c.option));
    CHECK_THAT(*t.state_info, Catch::Contains(c.expression));
  }
}

TEST_CASE("with-items over more items than max_with_items fails the task before creating any") {
  EngineOptions options;
  options.max_with_items = 200;
  EngineFixture f(true, options);
  f.define(kWorkflows);
  auto t0 = std::chrono::steady_clock::now();
  auto ex = f.run("huge_items");
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10));
  CHECK(ex.state == storage::State::Error);
  auto t = f.task(ex.id, "t");
  CHECK(t.state == storage::State::Error);
  REQUIRE(t.state_info);
  CHECK_THAT(*t.state_info, Catch::Contains("gives 5000000 items for 'i', more than the 200 allowed (option [engine] max_with_items)"));
  auto actions = f.db->read([&](storage::Transaction& tx) {
    return tx.action_executions().list({storage::ProjectScope::all(), {{"task_execution_id", storage::FilterOp::Eq, {t.id}}}}).value();
  });
  CHECK(actions.empty());

  auto over = f.run("many_items");  // 300 > 200
  CHECK(over.state == storage::State::Error);
  EngineOptions roomy;
  roomy.max_with_items = 300;
  EngineFixture g(true, roomy);
  g.define(kWorkflows);
  CHECK(g.run("many_items").state == storage::State::Success);
}

TEST_CASE("the default max_with_items refuses range(0, 5000000) promptly") {
  EngineFixture f(true);
  f.define(kWorkflows);
  auto t0 = std::chrono::steady_clock::now();
  auto ex = f.run("huge_items");
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10));
  CHECK(ex.state == storage::State::Error);
  CHECK_THAT(*f.task(ex.id, "t").state_info, Catch::Contains("more than the 100000 allowed"));
  // The engine is free: a trivial execution completes.
  auto ok = f.run("trivial");
  INFO(ok.state_info.value_or(""));
  CHECK(ok.state == storage::State::Success);
  CHECK(ok.output["r"] == Value("ok"));
}

TEST_CASE("execution_field_size_limit_kb: what exceeds it fails with Mistral's message, nothing is stored") {
  EngineOptions options;
  options.execution_field_size_limit_kb = 1;
  EngineFixture f(true, options);
  f.define(R"(
version: '2.0'
big_input:
  input: [x]
  tasks:
    t:
      action: std.noop
big_publish:
  tasks:
    t:
      action: std.noop
      publish:
        big: <% 'x' * 5000 %>
big_action_input:
  tasks:
    t:
      action: std.echo output=<% 'x' * 5000 %>
big_output:
  tasks:
    t:
      action: std.noop
  output:
    big: <% 'x' * 5000 %>
small:
  tasks:
    t:
      action: std.echo output=<% 'x' * 500 %>
      publish:
        r: <% task().result %>
)");
  // Python: sys.getsizeof(str({'x': 'xxx...'})) = 49 + 5 + 5000 + 3 bytes, 4 KiB.
  StartRequest req;
  req.workflow = "big_input";
  req.input = Value::dict({{"x", Value(std::string(5000, 'x'))}});
  req.caller = f.caller;
  auto refused = f.engine->start_workflow(req);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == ErrorKind::BadInput);
  CHECK(refused.error().message == "Field size limit exceeded [class=TaskExecution, field=input, size=4KB, limit=1KB]");

  auto ex = f.run("big_publish");
  CHECK(ex.state == storage::State::Error);
  auto t = f.task(ex.id, "t");
  CHECK(t.state == storage::State::Error);
  CHECK_THAT(*t.state_info, Catch::Contains("Field size limit exceeded [class=TaskExecution, field=published, size=4KB, limit=1KB]"));
  CHECK(t.published.size() == 0);

  ex = f.run("big_action_input");
  CHECK(ex.state == storage::State::Error);
  CHECK_THAT(*f.task(ex.id, "t").state_info, Catch::Contains("Field size limit exceeded [class=TaskExecution, field=input, size=4KB, limit=1KB]"));

  ex = f.run("big_output");
  CHECK(ex.state == storage::State::Error);
  REQUIRE(ex.state_info);
  CHECK_THAT(*ex.state_info, Catch::Contains("Field size limit exceeded [class=TaskExecution, field=output, size=4KB, limit=1KB]"));

  ex = f.run("small");
  CHECK(ex.state == storage::State::Success);
  CHECK(ex.output["r"].as_string().size() == 500);
}
