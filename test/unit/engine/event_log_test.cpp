// The events the engine writes into the event log (engine/event_feed.h):
// which, in which order, for the cases of Mistral's
// mistral/tests/unit/notifiers/test_notify.py (success, a failed task, a
// with-items task, a sub-workflow, rerun) and the ones it leaves out
// (retry, skip, join), read back through Engine::events().
#include <map>

#include "engine_fixture.h"
#include "event_log.h"

using namespace bora;
using namespace bora::engine;
using bora::engine::test::EngineFixture;

namespace {

// "event name" for workflow events, "task:event" for task events.
std::vector<std::string> events_of(EngineFixture& f, const std::string& root) {
  EventFilter filter;
  filter.root_execution_id = root;
  auto events = f.engine->events().read_after(0, filter, 10'000);
  REQUIRE(events.ok());
  std::vector<std::string> out;
  for (const auto& e : *events) {
    if (e.task_execution_id.empty()) {
      out.push_back((e.execution_id == root ? "" : "sub:") + e.event);
    } else {
      out.push_back(e.data["name"].as_string() + ":" + e.event);
      CHECK(e.data["id"].as_string() == e.task_execution_id);
    }
    CHECK(e.data["event"].as_string() == e.event);
    CHECK(e.root_execution_id == root);
  }
  return out;
}

}  // namespace

TEST_CASE("event_names_follow_mistrals_state_map") {
  CHECK(task_event_name(std::nullopt, State::Running) == "TASK_LAUNCHED");
  CHECK(task_event_name(State::Delayed, State::Running) == "TASK_LAUNCHED");
  CHECK(task_event_name(State::Waiting, State::Running) == "TASK_RESUMED");
  CHECK(task_event_name(State::Idle, State::Running) == "TASK_RESUMED");
  CHECK(task_event_name(State::Error, State::Running) == "TASK_RERUN");
  CHECK(task_event_name(State::Running, State::Delayed).empty());
  CHECK(task_event_name(std::nullopt, State::Waiting).empty());
  CHECK(task_event_name(State::Error, State::Skipped) == "TASK_SKIPPED");
  CHECK(workflow_event_name(std::nullopt, State::Running) == "WORKFLOW_LAUNCHED");
  CHECK(workflow_event_name(State::Paused, State::Running) == "WORKFLOW_RESUMED");
  CHECK(workflow_event_name(State::Error, State::Running) == "WORKFLOW_RERUN");
  // A rollback runs a SUCCESS or CANCELLED execution again (docs/LANGUAGE.md "Rollback").
  CHECK(workflow_event_name(State::Success, State::Running) == "WORKFLOW_RERUN");
  CHECK(workflow_event_name(State::Cancelled, State::Running) == "WORKFLOW_RERUN");
  CHECK(workflow_event_name(State::Running, State::Cancelled) == "WORKFLOW_CANCELLED");
}

TEST_CASE("events_of_success_failure_with_items_and_subworkflows") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
chain:
  tasks:
    t1:
      action: std.noop
      on-success: [t2]
    t2:
      action: std.noop
failing:
  tasks:
    t1:
      action: std.noop
      on-success: [t2]
    t2:
      action: std.fail
items:
  tasks:
    t1:
      with-items: i in [1, 2, 3]
      action: std.noop
      on-success: [t2]
    t2:
      action: std.noop
parent:
  tasks:
    t1:
      workflow: child
      on-success: [t2]
    t2:
      action: std.noop
child:
  tasks:
    c1:
      action: std.noop
failed_on:
  tasks:
    t1:
      action: std.noop
      fail-on: <% true %>
)");
  using V = std::vector<std::string>;
  // test_notify_order
  auto ex = f.run("chain");
  CHECK(events_of(f, ex.id) == V{"WORKFLOW_LAUNCHED", "t1:TASK_LAUNCHED", "t1:TASK_SUCCEEDED", "t2:TASK_LAUNCHED",
                                 "t2:TASK_SUCCEEDED", "WORKFLOW_SUCCEEDED"});
  // test_notify_task_error
  ex = f.run("failing");
  CHECK(events_of(f, ex.id) == V{"WORKFLOW_LAUNCHED", "t1:TASK_LAUNCHED", "t1:TASK_SUCCEEDED", "t2:TASK_LAUNCHED",
                                 "t2:TASK_FAILED", "WORKFLOW_FAILED"});
  // test_notify_with_items_task: one launch and one end for the task.
  ex = f.run("items");
  CHECK(events_of(f, ex.id) == V{"WORKFLOW_LAUNCHED", "t1:TASK_LAUNCHED", "t1:TASK_SUCCEEDED", "t2:TASK_LAUNCHED",
                                 "t2:TASK_SUCCEEDED", "WORKFLOW_SUCCEEDED"});
  // test_workbook_notify: the sub-workflow's events inside its parent's.
  ex = f.run("parent");
  CHECK(events_of(f, ex.id) == V{"WORKFLOW_LAUNCHED", "t1:TASK_LAUNCHED", "sub:WORKFLOW_LAUNCHED", "c1:TASK_LAUNCHED",
                                 "c1:TASK_SUCCEEDED", "sub:WORKFLOW_SUCCEEDED", "t1:TASK_SUCCEEDED",
                                 "t2:TASK_LAUNCHED", "t2:TASK_SUCCEEDED", "WORKFLOW_SUCCEEDED"});
  // fail-on: the task succeeded, then the policy failed it; Mistral tells
  // both (Task.set_state SUCCESS, then FailOnPolicy's ERROR).
  ex = f.run("failed_on");
  CHECK(events_of(f, ex.id) == V{"WORKFLOW_LAUNCHED", "t1:TASK_LAUNCHED", "t1:TASK_SUCCEEDED", "t1:TASK_FAILED",
                                 "WORKFLOW_FAILED"});
  // The feed's newest seq is the last event written, and reading after it
  // gives nothing.
  auto last = f.engine->events().last_seq();
  CHECK(last > 0);
  CHECK(f.engine->events().read_after(last, {}, 10)->empty());
}

TEST_CASE("events_of_rerun_skip_retry_and_join") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
fragile:
  tasks:
    t1:
      action: std.fail
      on-skip: [t2]
    t2:
      action: std.noop
retrying:
  tasks:
    t1:
      action: std.fail
      retry:
        count: 2
        delay: 1
joining:
  tasks:
    a:
      action: std.noop
      on-success: [j]
    b:
      action: std.noop
      on-success: [j]
    j:
      join: all
      action: std.noop
)");
  using V = std::vector<std::string>;
  // test_notify_rerun_task (the task fails again here).
  auto ex = f.run("fragile");
  REQUIRE(f.engine->rerun_task(f.task(ex.id, "t1").id, true, Value(), f.caller).ok());
  REQUIRE(f.settle(ex.id));
  CHECK(events_of(f, ex.id) == V{"WORKFLOW_LAUNCHED", "t1:TASK_LAUNCHED", "t1:TASK_FAILED", "WORKFLOW_FAILED",
                                 "WORKFLOW_RERUN", "t1:TASK_RERUN", "t1:TASK_FAILED", "WORKFLOW_FAILED"});
  // Skip: the workflow runs again, the task is skipped, on-skip follows.
  ex = f.run("fragile");
  REQUIRE(f.engine->rerun_task(f.task(ex.id, "t1").id, false, Value(), f.caller, true).ok());
  REQUIRE(f.settle(ex.id)->state == storage::State::Success);
  CHECK(events_of(f, ex.id) == V{"WORKFLOW_LAUNCHED", "t1:TASK_LAUNCHED", "t1:TASK_FAILED", "WORKFLOW_FAILED",
                                 "WORKFLOW_RERUN", "t1:TASK_SKIPPED", "t2:TASK_LAUNCHED", "t2:TASK_SUCCEEDED",
                                 "WORKFLOW_SUCCEEDED"});
  // Retry: each new attempt leaves DELAYED for RUNNING, which Mistral
  // announces as TASK_LAUNCHED.
  ex = f.run("retrying");
  CHECK(events_of(f, ex.id) == V{"WORKFLOW_LAUNCHED", "t1:TASK_LAUNCHED", "t1:TASK_LAUNCHED", "t1:TASK_LAUNCHED",
                                 "t1:TASK_FAILED", "WORKFLOW_FAILED"});
  // Join: the join's task waits (no event), then runs: WAITING -> RUNNING
  // is TASK_RESUMED in Mistral's map.
  ex = f.run("joining");
  auto events = events_of(f, ex.id);
  CHECK(std::count(events.begin(), events.end(), "j:TASK_RESUMED") + std::count(events.begin(), events.end(), "j:TASK_LAUNCHED") == 1);
  CHECK(events.back() == "WORKFLOW_SUCCEEDED");
}

TEST_CASE("events_of_wait_policies_and_pause_before") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
waiting:
  tasks:
    before:
      wait-before: <% 1 %>
      on-success: [after]
    after:
      wait-after: <% 1 %>
held:
  tasks:
    t:
      action: std.noop
      pause-before: true
)");
  using V = std::vector<std::string>;
  // wait-before's DELAYED -> RUNNING is TASK_LAUNCHED again; wait-after's
  // own DELAYED -> RUNNING hop before the held completion has no event.
  auto ex = f.run("waiting");
  REQUIRE(ex.state == storage::State::Success);
  CHECK(events_of(f, ex.id) == V{"WORKFLOW_LAUNCHED", "before:TASK_LAUNCHED", "before:TASK_LAUNCHED",
                                 "before:TASK_SUCCEEDED", "after:TASK_LAUNCHED", "after:TASK_SUCCEEDED",
                                 "WORKFLOW_SUCCEEDED"});
  // pause-before: the workflow pauses (the task's IDLE has no event) and
  // the resume resumes both.
  ex = f.run("held");
  REQUIRE(ex.state == storage::State::Paused);
  CHECK(events_of(f, ex.id) == V{"WORKFLOW_LAUNCHED", "t:TASK_LAUNCHED", "WORKFLOW_PAUSED"});
  REQUIRE(f.engine->resume(ex.id, Value(), f.caller).ok());
  REQUIRE(f.settle(ex.id)->state == storage::State::Success);
  CHECK(events_of(f, ex.id) == V{"WORKFLOW_LAUNCHED", "t:TASK_LAUNCHED", "WORKFLOW_PAUSED", "WORKFLOW_RESUMED",
                                 "t:TASK_RESUMED", "t:TASK_SUCCEEDED", "WORKFLOW_SUCCEEDED"});
}

TEST_CASE("event_feed_wakes_subscribers_after_commit_until_the_handle_is_dropped") {
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
one:
  tasks:
    t1:
      action: std.noop
)");
  std::atomic<int64_t> seen{0};
  auto handle = f.engine->events().on_commit([&](int64_t seq, bool) { seen = seq; });
  auto ex = f.run("one");
  CHECK(seen.load() == f.engine->events().last_seq());
  handle.reset();
  int64_t before = seen.load();
  f.run("one");
  CHECK(seen.load() == before);
  CHECK(f.engine->events().last_seq() > before);
}

TEST_CASE("event_feed_says_whether_a_commit_has_events_to_publish") {
  // The notifier wakes for those alone (services/notifier.cpp): a read of
  // the outbox after every commit was three round trips on MariaDB.
  EngineFixture f(true);
  f.define(R"(
version: '2.0'
one:
  tasks:
    t1:
      action: std.noop
)");
  std::atomic<int> plain{0}, to_publish{0};
  auto handle = f.engine->events().on_commit([&](int64_t, bool publish) { ++(publish ? to_publish : plain); });
  f.run("one");
  CHECK(plain.load() > 0);
  CHECK(to_publish.load() == 0);
  StartRequest req;
  req.workflow = "one";
  req.caller = f.caller;
  req.params = Value::dict({{"notify", Value(List{Value::dict({{"type", "noop"}})})}});
  auto started = f.engine->start_workflow(req);
  REQUIRE(started.ok());
  REQUIRE(f.settle(started->id));
  CHECK(to_publish.load() > 0);
}
