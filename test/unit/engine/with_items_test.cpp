// with-items: results in item order, zipped lists, concurrency, empty
// lists, a failing item, and a large list.
#include <chrono>

#include "engine_fixture.h"

using namespace bora;
using namespace bora::engine;
using bora::engine::test::EngineFixture;

TEST_CASE("one action per item, results in item order, published as a list") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
fan:
  input:
    - names: [ann, bob, cid]
  tasks:
    greet:
      with-items: name in <% $.names %>
      action: std.echo output="hi <% $.name %>" delay=<% 0.05 * (3 - $.names.indexOf($.name)) %>
      publish:
        greetings: <% task().result %>
)");
  auto ex = f.run("fan");
  REQUIRE(ex.state == "SUCCESS");
  CHECK(ex.output["greetings"] == Value::list({Value("hi ann"), Value("hi bob"), Value("hi cid")}));
}

TEST_CASE("several lists are zipped; lengths must agree") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
zipped:
  tasks:
    t:
      with-items:
        - x in <% [1, 2, 3] %>
        - y in <% [10, 20, 30] %>
      action: std.echo output=<% $.x + $.y %>
      publish:
        sums: <% task().result %>
uneven:
  tasks:
    t:
      with-items:
        - x in <% [1, 2] %>
        - y in <% [1] %>
      action: std.noop
)");
  auto ex = f.run("zipped");
  REQUIRE(ex.state == "SUCCESS");
  CHECK(ex.output["sums"] == Value::list({Value(11), Value(22), Value(33)}));
  auto bad = f.run("uneven");
  CHECK(bad.state == "ERROR");
  CHECK_THAT(*f.task(bad.id, "t").state_info, Catch::Contains("must have the same length"));
}

TEST_CASE("concurrency bounds the items running at once") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
limited:
  tasks:
    t:
      with-items: i in <% range(6) %>
      concurrency: 2
      action: std.echo
      input:
        output: <% $.i %>
        # (Mistral reads an inline delay=0.1 as 0, so the long form.)
        delay: 0.1
      publish:
        out: <% task().result %>
)");
  auto t0 = f.clock->now();
  auto ex = f.run("limited");
  auto elapsed = f.clock->now() - t0;  // virtual time
  REQUIRE(ex.state == "SUCCESS");
  CHECK(ex.output["out"] == Value::list({Value(0), Value(1), Value(2), Value(3), Value(4), Value(5)}));
  // Three rounds of two 0.1 s items: 0.3 s (six at once would take 0.1 s).
  CHECK(elapsed >= std::chrono::milliseconds(300));
  CHECK(elapsed < std::chrono::milliseconds(400));
}

TEST_CASE("an empty list succeeds with an empty result; a failing item fails the task") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
empty:
  tasks:
    t:
      with-items: x in <% [] %>
      action: std.fail
      publish:
        out: <% task().result %>
failing:
  tasks:
    t:
      with-items: x in <% [1, 2, 3] %>
      action: std.echo output=<% 10 / ($.x - 2) %>
)");
  auto ex = f.run("empty");
  REQUIRE(ex.state == "SUCCESS");
  CHECK(ex.output["out"] == Value(List{}));
  auto bad = f.run("failing");
  CHECK(bad.state == "ERROR");
  CHECK(f.task(bad.id, "t").state == "ERROR");
}

TEST_CASE("ten thousand items are routine") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
many:
  tasks:
    t:
      with-items: i in <% range(10000) %>
      action: std.echo output=<% $.i * 2 %>
      publish:
        total: <% task().result.sum() %>
        n: <% task().result.len() %>
)");
  auto ex = f.run("many");
  REQUIRE(ex.state == "SUCCESS");
  CHECK(ex.output["n"].as_int() == 10000);
  CHECK(ex.output["total"].as_int() == 99990000);
}
