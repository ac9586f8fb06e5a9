// A with-items task's result (the list of its items' results) is read back
// from its action rows at its end only when the completion evaluates
// something that may read it: a publish, fail-on or wait-after. keep-result
// reads nothing (Mistral tests it as written, an expression included): a
// million-item task that publishes nothing would
// otherwise hold a million values at its end (docs/PERFORMANCE.md,
// items1000000). Measured as the rows storage returned
// (storage_work().rows) over a whole execution.
#include "bora/storage/database.h"
#include "engine_fixture.h"
#include "support/sanitizers.h"

using namespace bora;
using namespace bora::engine;
using bora::engine::test::EngineFixture;

namespace {

// (1 000 under the sanitizers: the same comparison at a third of the cost.)
constexpr int kItems = bora::test::kSlowdown > 1 ? 1000 : 3000;

std::string items_workflow(const std::string& extra) {
  return "version: '2.0'\nitems:\n  tasks:\n    each:\n      with-items: i in <% range(" + std::to_string(kItems) +
         ") %>\n      action: std.echo output=<% $.i %>\n" + extra;
}

// The rows storage returned while the execution ran, and its end state.
int64_t rows_read(const std::string& extra, const std::function<void(EngineFixture&, const std::string&)>& check) {
  EngineFixture f(/*with_yaql=*/true);
  f.define(items_workflow(extra));
  StartRequest req;
  req.workflow = "items";
  req.caller = f.caller;
  auto before = storage::storage_work();
  auto started = f.engine->start_workflow(req);
  REQUIRE(started.ok());
  auto ex = f.settle(started->id);
  int64_t rows = storage::storage_work().rows - before.rows;
  REQUIRE(ex);
  INFO("state_info: " << ex->state_info.value_or(""));
  CHECK(ex->state == storage::State::Success);
  check(f, ex->id);
  return rows;
}

}  // namespace

TEST_CASE("a with-items task's result is read back at its end only when the completion reads it") {
  auto ends_success = [](EngineFixture& f, const std::string& id) {
    auto tasks = f.tasks(id);
    REQUIRE(tasks.size() == 1);
    CHECK(tasks[0].state == storage::State::Success);
  };
  int64_t plain = rows_read("", ends_success);
  int64_t constant_keep = rows_read("      keep-result: true\n", ends_success);
  int64_t expression_keep = rows_read("      keep-result: <% true %>\n", ends_success);
  int64_t published = rows_read("      publish:\n        last: <% task().result.last() %>\n",
                                [&](EngineFixture& f, const std::string& id) {
                                  ends_success(f, id);
                                  CHECK(f.tasks(id)[0].published["last"] == Value(int64_t(kItems - 1)));
                                });
  INFO("rows read: plain " << plain << ", keep-result: true " << constant_keep << ", keep-result: <% true %> "
                           << expression_keep << ", publish " << published);
  // What reads the result reads every item's row; what does not, none.
  CHECK(plain < kItems / 2);
  CHECK(constant_keep < kItems / 2);
  CHECK(expression_keep < kItems / 2);
  CHECK(published >= plain + kItems);
}
