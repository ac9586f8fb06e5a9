// Workflows with YAQL expressions: inputs, publish with task(), conditions
// on transitions, output, env, interpolation, and evaluation errors.
#include "engine_fixture.h"

using namespace bora;
using namespace bora::engine;
using bora::engine::test::EngineFixture;

TEST_CASE("input, publish with task().result, output") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
greet:
  input:
    - name: World
  output:
    greeting: <% $.greeting %>
    shout: <% $.greeting.toUpper() %>
  tasks:
    say:
      action: std.echo output="Hello, <% $.name %>!"
      publish:
        greeting: <% task().result %>
)");
  auto ex = f.run("greet", Value::dict({{"name", Value("Ada")}}));
  REQUIRE(ex.state == storage::State::Success);
  CHECK(ex.output == Value::dict({{"greeting", Value("Hello, Ada!")}, {"shout", Value("HELLO, ADA!")}}));
}

TEST_CASE("conditions choose the transition; task(name) reads another task") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
branch:
  input:
    - n
  tasks:
    check:
      action: std.echo output=<% $.n * 2 %>
      publish:
        doubled: <% task().result %>
      on-success:
        - big: <% $.doubled > 10 %>
        - small: <% $.doubled <= 10 %>
    big:
      action: std.echo output=<% task(check).result %>
      publish:
        size: big
    small:
      action: std.noop
      publish:
        size: small
)");
  auto big = f.run("branch", Value::dict({{"n", Value(8)}}));
  REQUIRE(big.state == storage::State::Success);
  CHECK(big.output["size"].as_string() == "big");
  CHECK(big.output["doubled"].as_int() == 16);
  auto small = f.run("branch", Value::dict({{"n", Value(2)}}));
  CHECK(small.output["size"].as_string() == "small");
  CHECK(f.tasks(small.id).size() == 2);
}

TEST_CASE("publish-on-error, env, and a failing expression") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
errors:
  tasks:
    boom:
      action: std.fail error_data=<% env().reason %>
      publish-on-error:
        why: <% task().result %>
      on-error: report
    report:
      action: std.echo output="failed because <% $.why %>"
      publish:
        report: <% task().result %>
bad_expr:
  tasks:
    t:
      action: std.echo output=<% $.nothing.here %>
)");
  StartRequest req;
  req.workflow = "errors";
  req.params = Value::dict({{"env", Value::dict({{"reason", Value("disk full")}})}});
  req.caller = f.caller;
  auto started = f.engine->start_workflow(req);
  REQUIRE(started.ok());
  auto ex = f.engine->wait(started->id, std::chrono::seconds(20));
  REQUIRE(ex);
  CHECK(ex->state == storage::State::Success);
  CHECK(ex->output["report"].as_string() == "failed because disk full");

  auto bad = f.run("bad_expr");
  CHECK(bad.state == storage::State::Error);
  CHECK_THAT(*f.task(bad.id, "t").state_info,
             Catch::Contains("Can not evaluate YAQL expression [expression=$.nothing.here, error='nothing'"));
}

TEST_CASE("vars, lists and dicts through expressions, interpolation of non-strings") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
data:
  vars:
    items: [3, 1, 2]
  output:
    sorted: <% $.items.orderBy($) %>
    text: "items: <% $.items %> count=<% $.items.len() %>"
    picked: <% $.items.where($ > 1).select($ * 10) %>
  tasks:
    t:
      action: std.noop
)");
  auto ex = f.run("data");
  REQUIRE(ex.state == storage::State::Success);
  CHECK(ex.output["sorted"] == Value::list({Value(1), Value(2), Value(3)}));
  CHECK(ex.output["text"].as_string() == "items: [3, 1, 2] count=3");
  CHECK(ex.output["picked"] == Value::list({Value(30), Value(20)}));
}

TEST_CASE("Jinja2 expressions: a lone {{ }} keeps its type, text is rendered, task() and env() work") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
jinja:
  input:
    - nums: [3, 1, 2]
  output:
    total: "{{ _.nums | sum }}"
    text: "sorted: {{ _.nums | sort | join(', ') }}"
    said: "{{ _.said }}"
    # As in Jinja, _.items would be the dict's items method: use other names.
    # task() is for tasks: in a workflow's output Mistral's Jinja fails it.
  tasks:
    say:
      action: std.echo output="{% for i in _.nums %}{{ i }}{% endfor %}"
      publish:
        said: "{{ task('say').result }}"
)");
  auto ex = f.run("jinja");
  REQUIRE(ex.state == storage::State::Success);
  CHECK(ex.output["total"].as_int() == 6);
  CHECK(ex.output["text"].as_string() == "sorted: 1, 2, 3");
  CHECK(ex.output["said"].as_string() == "312");
}

TEST_CASE("global(), yaml_dump(), yaml_parse(), json_dump() in a workflow") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
funcs:
  output:
    from_global: <% global(shared) %>
    yaml: '<% yaml_dump({b => 1, a => [1, "x"]}) %>'
    parsed: '<% yaml_parse("k: [1, 2]") %>' 
    json: <% json_dump({a => 1}) %>
  tasks:
    first:
      action: std.noop
      on-success:
        next: second
        publish:
          global:
            shared: set globally
    second:
      action: std.noop
)");
  auto ex = f.run("funcs");
  REQUIRE(ex.state == storage::State::Success);
  CHECK(ex.output["from_global"].as_string() == "set globally");
  CHECK(ex.output["yaml"].as_string() == "a:\n- 1\n- x\nb: 1\n");
  CHECK(ex.output["parsed"] == Value::dict({{"k", Value::list({Value(1), Value(2)})}}));
  CHECK(ex.output["json"].as_string() == "{\n    \"a\": 1\n}");
}

TEST_CASE("tasks() and executions(): Mistral's queries over the running executions") {
  // A keyword names a Python parameter the way yaql converts it
  // (rootExecutionId): Mistral refuses `root_execution_id =>`, and so does Bora.
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
main:
  output:
    names: <% tasks(execution().id).select($.name) %>
    recursive: <% tasks(execution().id, true).select($.name) %>
    flat: <% tasks(execution().id, true, flat => true).select($.name) %>
    succeeded: <% tasks(execution().id, state => SUCCESS).len() %>
    jinja: "{{ tasks(execution().id) | map(attribute='name') | join(',') }}"
    states: <% executions(execution().id).select($.state) %>
    subs: <% executions(rootExecutionId => execution().id).select($.name) %>
  tasks:
    a:
      action: std.noop
      on-success: [b]
    b:
      workflow: sub
sub:
  tasks:
    inner:
      action: std.noop
)");
  auto ex = f.run("main");
  REQUIRE(ex.state == storage::State::Success);
  CHECK(ex.output["names"] == Value::list({Value("a"), Value("b")}));
  CHECK(ex.output["recursive"] == Value::list({Value("a"), Value("b"), Value("inner")}));
  CHECK(ex.output["flat"] == Value::list({Value("a"), Value("inner")}));
  CHECK(ex.output["succeeded"].as_int() == 2);
  CHECK(ex.output["jinja"].as_string() == "a,b");
  CHECK(ex.output["states"] == Value::list({Value("RUNNING")}));  // while its output is evaluated
  CHECK(ex.output["subs"] == Value::list({Value("sub")}));
}
