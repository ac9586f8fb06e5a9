// A large value in a workflow's context flows through a chain of tasks
// without a copy per task: every task's in_context, read back from storage,
// holds the very payload the workflow was started with (storage keeps it
// once per execution and hands out the shared Value, storage/shared_values),
// and the values a task publishes are shared the same way.
#include "engine_fixture.h"

using namespace bora;
using namespace bora::engine;
using bora::engine::test::EngineFixture;

namespace {

std::string chain(int n) {
  std::string y = "version: '2.0'\nbig:\n  input: [blob]\n  vars:\n    data: <% $.blob %>\n  tasks:\n";
  for (int i = 0; i < n; ++i) {
    y += "    t" + std::to_string(i) + ":\n      action: std.noop\n";
    if (i == n / 2) y += "      publish:\n        again: <% $.data %>\n";
    if (i + 1 < n) y += "      on-success: t" + std::to_string(i + 1) + "\n";
  }
  y += "  output:\n    size: <% len($.again) %>\n    same: <% $.again = $.blob %>\n";
  return y;
}

}  // namespace

// 9 MiB: above what storage/json_column_cache keeps (8 MiB a text), so that
// only storing the value once can make the payloads the same.
TEST_CASE("a 9 MiB context value through 30 tasks is one shared payload") {
  EngineOptions unlimited;
  unlimited.execution_field_size_limit_kb = -1;  // above Mistral's 1 MiB default
  EngineFixture f(true, unlimited);
  f.define(chain(30));
  const int64_t size = 9 << 20;
  Value blob(std::string(static_cast<size_t>(size), 'x'));
  auto ex = f.run("big", Value::dict({{"blob", blob}}));
  REQUIRE(ex.state == storage::State::Success);
  CHECK(ex.output == Value::dict({{"size", Value(size)}, {"same", Value(true)}}));
  CHECK(&ex.input["blob"].as_string() == &blob.as_string());
  CHECK(&ex.context["data"].as_string() == &blob.as_string());
  auto tasks = f.tasks(ex.id);
  REQUIRE(tasks.size() == 30);
  for (const auto& t : tasks) {
    INFO(t.name);
    // Mistral's in_context: what upstream tasks published (the input and
    // the vars are layers of their own: the workflow's input and context).
    CHECK(t.in_context.find("blob") == nullptr);
    CHECK(t.in_context.find("data") == nullptr);
    // Published halfway: the tasks after it see it, shared too.
    if (const Value* again = t.in_context.find("again")) CHECK(&again->as_string() == &blob.as_string());
  }
  CHECK(&f.task(ex.id, "t15").published["again"].as_string() == &blob.as_string());
  CHECK(f.task(ex.id, "t29").in_context.find("again") != nullptr);
  CHECK(f.task(ex.id, "t15").in_context.find("again") == nullptr);
}
