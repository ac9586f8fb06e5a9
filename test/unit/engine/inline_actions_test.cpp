// Cheap std actions (std.noop, std.fail, std.echo without a delay) run inside
// the engine's transaction (engine.cpp, run_instant_actions): the stored
// rows are what the pool would have stored, and a batch budget smaller than
// the work spreads it over later batches without losing or reordering any.
#include <algorithm>

#include "bora/core/json.h"
#include "engine_fixture.h"

using namespace bora;
using namespace bora::engine;
using bora::engine::test::EngineFixture;

namespace {

const char* kMixed = R"(
version: '2.0'
mixed:
  tasks:
    a:
      action: std.noop
      on-success: b
    b:
      action: std.echo output=<% 2 * 21 %>
      publish:
        answer: <% task().result %>
      on-success: c
    c:
      action: std.fail
      on-error: d
    d:
      with-items: i in <% range(30) %>
      action: std.echo output=<% $.i * 10 %>
      publish:
        items: <% task().result %>
  output:
    answer: <% $.answer %>
    items: <% $.items %>
)";

// What a client can see of an execution: its state and output, each task's
// state, state_info and published values, each action's name, state and output.
struct Seen {
  storage::State state = storage::State::Idle;
  Value output;
  std::vector<std::string> tasks;
  std::vector<std::string> actions;
};

// The text with the action execution's id (std.fail's message names it)
// written <id>: ids differ from run to run.
std::string without_id(std::string text, const std::string& id) {
  for (size_t at = text.find(id); at != std::string::npos; at = text.find(id, at)) text.replace(at, id.size(), "<id>");
  return text;
}

Seen observe(EngineFixture& f, const storage::WorkflowExecution& ex) {
  Seen seen{ex.state, ex.output, {}, {}};
  for (const auto& t : f.tasks(ex.id)) {
    auto actions = f.db->read([&](storage::Transaction& tx) {
      return tx.action_executions()
          .list({storage::ProjectScope::all(), {{"task_execution_id", storage::FilterOp::Eq, {t.id}}}})
          .value();
    });
    std::string info = t.state_info.value_or("");
    for (const auto& a : actions) info = without_id(info, a.id);
    seen.tasks.push_back(t.name + " " + storage::state_name(t.state) + " " + info + " " + to_json(t.published));
    std::vector<std::string> mine;
    for (const auto& a : actions)
      mine.push_back(t.name + " " + a.name + " " + storage::state_name(a.state) + " " + without_id(to_json(a.output), a.id));
    std::sort(mine.begin(), mine.end());
    seen.actions.insert(seen.actions.end(), mine.begin(), mine.end());
  }
  std::sort(seen.tasks.begin(), seen.tasks.end());
  return seen;
}

}  // namespace

TEST_CASE("cheap actions run inline store what the executor pool would have stored") {
  EngineOptions pool_only;
  pool_only.max_inline_actions = 0;
  EngineFixture inline_(true), pooled(true, pool_only);
  inline_.define(kMixed);
  pooled.define(kMixed);
  Seen a = observe(inline_, inline_.run("mixed"));
  Seen b = observe(pooled, pooled.run("mixed"));
  REQUIRE(a.state == storage::State::Success);
  CHECK(a.output["answer"] == Value(42));
  REQUIRE(a.output["items"].is_list());
  CHECK(a.output["items"].as_list().size() == 30);
  CHECK(a.output["items"].as_list()[29] == Value(290));
  CHECK(a.state == b.state);
  CHECK(a.output == b.output);
  CHECK(a.tasks == b.tasks);
  CHECK(a.actions == b.actions);
  CHECK(a.actions.size() == 33);
}

TEST_CASE("a batch budget smaller than the work finishes it over later batches, items in order") {
  EngineOptions small;
  small.max_inline_actions = 3;
  EngineFixture f(true, small);
  f.define(R"(
version: '2.0'
many:
  tasks:
    each:
      with-items: i in <% range(50) %>
      action: std.echo output=<% $.i %>
      publish:
        all: <% task().result %>
      on-success: after
    after:
      action: std.noop
  output:
    all: <% $.all %>
)");
  auto ex = f.run("many");
  REQUIRE(ex.state == storage::State::Success);
  List expected;
  for (int i = 0; i < 50; ++i) expected.emplace_back(i);
  CHECK(ex.output["all"] == Value(std::move(expected)));
  CHECK(f.task(ex.id, "after").state == storage::State::Success);
}
