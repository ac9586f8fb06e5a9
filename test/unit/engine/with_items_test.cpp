// with-items: results in item order, zipped lists, concurrency, empty
// lists, a failing item, and a large list.
#include <chrono>

#include "engine_fixture.h"
#include "support/sanitizers.h"

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
  REQUIRE(ex.state == storage::State::Success);
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
  REQUIRE(ex.state == storage::State::Success);
  CHECK(ex.output["sums"] == Value::list({Value(11), Value(22), Value(33)}));
  auto bad = f.run("uneven");
  CHECK(bad.state == storage::State::Error);
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
  REQUIRE(ex.state == storage::State::Success);
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
  REQUIRE(ex.state == storage::State::Success);
  CHECK(ex.output["out"] == Value(List{}));
  auto bad = f.run("failing");
  CHECK(bad.state == storage::State::Error);
  CHECK(f.task(bad.id, "t").state == storage::State::Error);
}

// Under the sanitizers 2 000 items take the same code paths (ten batches
// of the default with_items_batch) at a fifth of the cost.
TEST_CASE("ten thousand items are routine") {
  const int64_t n = bora::test::kSlowdown > 1 ? 2000 : 10000;
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
many:
  tasks:
    t:
      with-items: i in <% range()" + std::to_string(n) + R"() %>
      action: std.echo output=<% $.i * 2 %>
      publish:
        total: <% task().result.sum() %>
        n: <% task().result.len() %>
)");
  auto ex = f.run("many");
  REQUIRE(ex.state == storage::State::Success);
  CHECK(ex.output["n"].as_int() == n);
  CHECK(ex.output["total"].as_int() == n * (n - 1));
}

// [engine] with_items_window: without a concurrency, at most that many items
// are started at once (memory stays bounded whatever the list's size); what
// a client sees at the end is what Mistral's all-at-once start gives.
TEST_CASE("the with-items window bounds the items started at once, not what the task gives") {
  EngineOptions options;
  options.with_items_window = 3;
  EngineFixture f(true, options);
  f.define(R"(
version: '2.0'
windowed:
  tasks:
    t:
      with-items: i in <% range(10) %>
      action: std.echo
      input:
        output: <% $.i * 3 %>
        delay: 0.1
      publish:
        out: <% task().result %>
one_fails:
  tasks:
    t:
      with-items: i in <% range(8) %>
      action: std.fail
bad_late_input:
  tasks:
    t:
      with-items: i in <% range(8) %>
      action: std.echo output=<% 10 / ($.i - 6) %>
)");
  auto t0 = f.clock->now();
  auto ex = f.run("windowed");
  auto elapsed = f.clock->now() - t0;  // virtual time
  REQUIRE(ex.state == storage::State::Success);
  List expected;
  for (int i = 0; i < 10; ++i) expected.emplace_back(i * 3);
  CHECK(ex.output["out"] == Value(std::move(expected)));
  // Windows of three 0.1 s items: at least 0.4 s (all at once: 0.1 s).
  CHECK(elapsed >= std::chrono::milliseconds(400));

  // Items that fail do not stop the others from starting (Mistral had
  // started them all): every item has its action, the task fails.
  auto failed = f.run("one_fails");
  CHECK(failed.state == storage::State::Error);
  auto t = f.task(failed.id, "t");
  CHECK(t.state == storage::State::Error);
  auto actions = f.db->read([&](storage::Transaction& tx) {
    return tx.action_executions()
        .list({storage::ProjectScope::all(), {{"task_execution_id", storage::FilterOp::Eq, {t.id}}}})
        .value();
  });
  CHECK(actions.size() == 8);

  // An item past the window whose input cannot be evaluated fails the task
  // before any item starts, as Mistral evaluates every input first.
  auto bad = f.run("bad_late_input");
  CHECK(bad.state == storage::State::Error);
  auto bt = f.task(bad.id, "t");
  CHECK_THAT(*bt.state_info, Catch::StartsWith("Failed to run task"));
  auto none = f.db->read([&](storage::Transaction& tx) {
    return tx.action_executions()
        .count({{"task_execution_id", storage::FilterOp::Eq, {bt.id}}}, storage::ProjectScope::all())
        .value();
  });
  CHECK(none == 0);
}
