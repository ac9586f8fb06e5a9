// Direct workflows without expressions: sequences, error handling,
// publishing literals, engine commands, joins, inputs, ad-hoc actions.
#include "engine_fixture.h"

using namespace bora;
using namespace bora::engine;
using bora::engine::test::EngineFixture;

TEST_CASE("a sequence of actions succeeds, task by task") {
  EngineFixture f;
  f.define(R"(
version: '2.0'
seq:
  tasks:
    t1:
      action: std.echo output="a"
      on-success: t2
    t2:
      action: std.noop
      on-success: [t3]
    t3:
      action: std.echo
      input:
        output: [1, 2]
)");
  auto ex = f.run("seq");
  CHECK(ex.state == storage::State::Success);
  auto ts = f.tasks(ex.id);
  REQUIRE(ts.size() == 3);
  for (const auto& t : ts) {
    CHECK(t.state == storage::State::Success);
    CHECK(t.finished_at);
  }
  CHECK(f.task(ex.id, "t1").next_tasks == Value::list({Value::list({Value("t2"), Value("on-success")})}));
  CHECK_FALSE(f.task(ex.id, "t3").has_next_tasks);
  std::string t3 = f.task(ex.id, "t3").id;
  auto actions = f.db->read([&](storage::Transaction& tx) {
    return tx.action_executions()
        .list({bora::storage::ProjectScope::all(), {{"task_execution_id", storage::FilterOp::Eq, {t3}}}})
        .value();
  });
  REQUIRE(actions.size() == 1);
  CHECK(actions[0].state == storage::State::Success);
  CHECK(actions[0].output == Value::dict({{"result", Value::list({Value(1), Value(2)})}}));
  CHECK(actions[0].accepted);
}

TEST_CASE("a handled error lets the workflow succeed; an unhandled one fails it with Mistral's message") {
  EngineFixture f;
  f.define(R"(
version: '2.0'
handled:
  tasks:
    boom:
      action: std.fail
      on-error: recover
    recover:
      action: std.noop
unhandled:
  tasks:
    boom:
      action: std.fail
      on-success: never
    never:
      action: std.noop
)");
  auto ok = f.run("handled");
  CHECK(ok.state == storage::State::Success);
  CHECK(f.task(ok.id, "boom").state == storage::State::Error);
  CHECK(f.task(ok.id, "boom").error_handled);
  CHECK(f.task(ok.id, "recover").state == storage::State::Success);

  auto bad = f.run("unhandled");
  CHECK(bad.state == storage::State::Error);
  auto boom = f.task(bad.id, "boom");
  // Mistral's executor wraps what an action raises.
  std::string raised = "The action raised an exception [action=Fail action, action_ex_id=";
  REQUIRE(boom.state_info);
  CHECK_THAT(*boom.state_info, Catch::StartsWith(raised) && Catch::EndsWith(", msg='Fail action expected exception.']"));
  REQUIRE(bad.state_info);
  CHECK_THAT(*bad.state_info, Catch::StartsWith("Failure caused by error in tasks: boom\n\n  boom [task_ex_id=" +
                                                boom.id + "] -> " + raised));
  CHECK_THAT(*bad.state_info, Catch::EndsWith(", msg='Fail action expected exception.']\n"));
  CHECK(f.tasks(bad.id).size() == 1);
  CHECK(bad.output["result"].as_string() == *bad.state_info);
}

TEST_CASE("literal publish flows to later tasks and into the output") {
  EngineFixture f;
  f.define(R"(
version: '2.0'
pub:
  input:
    - who: world
  vars:
    stage: one
  tasks:
    first:
      action: std.noop
      publish:
        x: 1
        nested: {a: [1, 2]}
      on-success: second
    second:
      action: std.noop
      publish:
        y: two
)");
  auto ex = f.run("pub");
  REQUIRE(ex.state == storage::State::Success);
  CHECK(ex.input == Value::dict({{"who", Value("world")}}));
  CHECK(ex.context["stage"].as_string() == "one");
  CHECK(f.task(ex.id, "second").in_context["x"].as_int() == 1);
  // No output section: the output is the final context, what the end
  // tasks published and received, neither the vars (the workflow's context:
  // a start task's inbound context is empty, as in Mistral) nor the input.
  CHECK(ex.output["x"].as_int() == 1);
  CHECK(ex.output["y"].as_string() == "two");
  CHECK_FALSE(ex.output.find("stage"));
  CHECK_FALSE(ex.output.find("who"));
}

TEST_CASE("engine commands end or pause the workflow") {
  EngineFixture f;
  f.define(R"(
version: '2.0'
failing:
  tasks:
    t:
      action: std.noop
      on-success:
        - fail(msg='stopped on purpose')
succeeding:
  tasks:
    t:
      action: std.fail
      on-error:
        - succeed
pausing:
  tasks:
    t:
      action: std.noop
      on-success:
        - pause
        - after
    after:
      action: std.noop
)");
  auto failed = f.run("failing");
  CHECK(failed.state == storage::State::Error);
  CHECK(failed.state_info == std::optional<std::string>("stopped on purpose"));
  auto ok = f.run("succeeding");
  CHECK(ok.state == storage::State::Success);
  auto paused = f.run("pausing");
  CHECK(paused.state == storage::State::Paused);
  CHECK(f.tasks(paused.id).size() == 1);
}

TEST_CASE("join all waits for every branch and merges their contexts") {
  EngineFixture f;
  f.define(R"(
version: '2.0'
joined:
  tasks:
    a:
      action: std.echo output=1 delay=0.2
      publish: {from_a: 1}
      on-success: [j]
    b:
      action: std.noop
      publish: {from_b: 2}
      on-success: [j]
    j:
      join: all
      action: std.noop
)");
  auto ex = f.run("joined");
  REQUIRE(ex.state == storage::State::Success);
  auto ts = f.tasks(ex.id);
  CHECK(ts.size() == 3);
  auto j = f.task(ex.id, "j");
  CHECK(j.state == storage::State::Success);
  CHECK(j.in_context["from_a"].as_int() == 1);
  CHECK(j.in_context["from_b"].as_int() == 2);
}

TEST_CASE("a join that cannot be satisfied fails, naming the task that did not come") {
  EngineFixture f;
  f.define(R"(
version: '2.0'
broken_join:
  tasks:
    a:
      action: std.noop
      on-success: [j]
    b:
      action: std.fail
      on-success: [j]
      on-error: [cleanup]
    cleanup:
      action: std.noop
    j:
      join: all
      action: std.noop
one_of_two:
  tasks:
    a:
      action: std.noop
      on-success: [j]
    b:
      action: std.fail
      on-success: [j]
      on-error: [cleanup]
    cleanup:
      action: std.noop
    j:
      join: one
      action: std.noop
)");
  auto ex = f.run("broken_join");
  CHECK(ex.state == storage::State::Error);
  auto j = f.task(ex.id, "j");
  CHECK(j.state == storage::State::Error);
  CHECK(j.state_info == std::optional<std::string>("Failed by tasks: ['b']"));
  auto one = f.run("one_of_two");
  CHECK(one.state == storage::State::Success);
  CHECK(f.task(one.id, "j").state == storage::State::Success);
}

TEST_CASE("input is checked and completed with defaults") {
  EngineFixture f;
  f.define(R"(
version: '2.0'
needs_input:
  input:
    - a
    - b: 2
  tasks:
    t:
      action: std.noop
)");
  StartRequest req;
  req.workflow = "needs_input";
  req.caller = f.caller;
  auto missing = f.engine->start_workflow(req);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == "Invalid input [name=needs_input, class=DirectWorkflowSpec, missing=['a']]");
  auto ex = f.run("needs_input", Value::dict({{"a", Value(1)}}));
  CHECK(ex.input == Value::dict({{"a", Value(1)}, {"b", Value(2)}}));
  req.workflow = "nope";
  CHECK(f.engine->start_workflow(req).error().kind == ErrorKind::NotFound);
}

TEST_CASE("bad action input fails the task and the workflow with Mistral's message") {
  EngineFixture f;
  f.define(R"(
version: '2.0'
bad_input:
  tasks:
    t:
      action: std.echo wrong=1
)");
  auto ex = f.run("bad_input");
  CHECK(ex.state == storage::State::Error);
  std::string msg =
      "Failed to run task [error=Invalid input [name=std.echo, class=mistral.actions.std_actions.EchoAction, "
      "missing=['output'], unexpected=['wrong']], wf=bad_input, task=t]:";
  CHECK(f.task(ex.id, "t").state_info == std::optional<std::string>(msg));
  CHECK(ex.state_info == std::optional<std::string>(msg));  // not "Failure caused by...": no on-error either
}

TEST_CASE("ad-hoc actions unfold into their base action") {
  EngineFixture f;
  f.define_actions(R"(
version: '2.0'
greet:
  base: std.echo
  base-input:
    output: hello
  input:
    - name: x
)");
  f.define(R"(
version: '2.0'
uses_adhoc:
  tasks:
    t:
      action: greet
      publish:
        done: true
)");
  auto ex = f.run("uses_adhoc");
  REQUIRE(ex.state == storage::State::Success);
  std::string t = f.task(ex.id, "t").id;
  auto actions = f.db->read([&](storage::Transaction& tx) {
    return tx.action_executions()
        .list({bora::storage::ProjectScope::all(), {{"task_execution_id", storage::FilterOp::Eq, {t}}}})
        .value();
  });
  REQUIRE(actions.size() == 1);
  CHECK(actions[0].name == "greet");
  CHECK(actions[0].output == Value::dict({{"result", Value("hello")}}));
}

TEST_CASE("many parallel branches and long chains complete") {
  EngineFixture f;
  std::string yaml = "version: '2.0'\nwide:\n  tasks:\n";
  for (int i = 0; i < 50; ++i) yaml += "    t" + std::to_string(i) + ":\n      action: std.noop\n";
  yaml += "long:\n  tasks:\n";
  for (int i = 0; i < 100; ++i) {
    yaml += "    c" + std::to_string(i) + ":\n      action: std.noop\n";
    if (i < 99) yaml += "      on-success: c" + std::to_string(i + 1) + "\n";
  }
  f.define(yaml);
  auto wide = f.run("wide");
  CHECK(wide.state == storage::State::Success);
  CHECK(f.tasks(wide.id).size() == 50);
  auto chain = f.run("long");
  CHECK(chain.state == storage::State::Success);
  CHECK(f.tasks(chain.id).size() == 100);
}

TEST_CASE("without the expression engine, an expression fails the task with a clear message") {
  EngineFixture f;
  f.define(R"(
version: '2.0'
expr:
  tasks:
    t:
      action: std.echo output=<% 1 %>
)");
  auto ex = f.run("expr");
  CHECK(ex.state == storage::State::Error);
  CHECK_THAT(*f.task(ex.id, "t").state_info, Catch::Contains("without the expression engine"));
}
