// engine/runtime_context: the typed views read and write the stored JSON
// exactly as the engine always stored it (keys in the order they were set,
// other keys kept), and a missing or mistyped key reads as absent.
#include <catch2/catch.hpp>

#include "bora/core/json.h"
#include "bora/engine/runtime_context.h"

namespace bora::engine::test {

TEST_CASE("with-items progress: stored JSON read and written back byte for byte") {
  const std::string stored = R"({"count": 5, "next": 3, "concurrency": 2, "done": 1, "failed": true})";
  auto value = parse_json(stored);
  REQUIRE(value.ok());
  WithItemsProgress p = WithItemsProgress::from_value(*value);
  CHECK(p.count == 5);
  CHECK(p.next == 3);
  CHECK(p.concurrency == 2);
  CHECK(p.done == 1);
  CHECK(p.failed);
  CHECK(to_json(p.to_value()) == to_json(*value));
}

TEST_CASE("with-items progress: missing or mistyped fields read as defaults") {
  WithItemsProgress p = WithItemsProgress::from_value(parse_json(R"({"count": "x", "done": 4})").value());
  CHECK(p.count == 0);
  CHECK(p.done == 4);
  CHECK_FALSE(p.failed);
  WithItemsProgress none = WithItemsProgress::from_value(Value());
  CHECK(none.count == 0);
  CHECK(to_json(none.to_value()) ==
        to_json(parse_json(R"({"count": 0, "next": 0, "concurrency": 0, "done": 0, "failed": false})").value()));
}

TEST_CASE("with-items progress: a rerun's items as ranges, taken in item order") {
  WithItemsProgress p;
  p.count = 10;
  p.next = 10;
  p.done = 4;
  p.rerun = WithItemsProgress::ranges_of({0, 1, 2, 5, 8, 9});
  REQUIRE(p.rerun.size() == 3);
  CHECK(p.rerun_left() == 6);
  CHECK(p.running() == 0);  // 10 reached, 6 left to start again, 4 done
  CHECK(p.more_to_start());
  // Stored and read back whole.
  WithItemsProgress back = WithItemsProgress::from_value(parse_json(to_json(p.to_value())).value());
  CHECK(back.rerun == p.rerun);
  std::vector<int64_t> taken;
  while (back.more_to_start()) taken.push_back(back.take_next());
  CHECK(taken == std::vector<int64_t>{0, 1, 2, 5, 8, 9});
  CHECK(back.next == 10);  // the first run's cursor is not moved by a rerun
  // Without a rerun no key is written: the stored JSON is as before.
  CHECK_FALSE(back.to_value().find("rerun"));
  // A mistyped or empty range is dropped.
  auto odd = WithItemsProgress::from_value(parse_json(R"({"rerun": [[3, 3], [1], "x", [4, 6]]})").value());
  CHECK(odd.rerun == std::vector<std::pair<int64_t, int64_t>>{{4, 6}});
}

namespace {

Value json(const char* text) { return parse_json(text).value(); }

// As json.dumps spaces it (the expected texts below read better so).
std::string text(const Value& v) { return to_json(v, JsonFormat::python()); }

}  // namespace

TEST_CASE("task context: each key written as the engine always stored it, in the order set") {
  Value rc(Dict{});
  TaskContext c(rc);
  c.set_triggered_by({{"t-1", "on-success"}});
  c.arm_timeout(Value(int64_t(5)), 0, std::nullopt);
  c.mark_wait_before_done();
  c.mark_pause_before_done();
  c.set_retry_no(2);
  c.hold_completion(HeldCompletion{storage::State::Success, std::nullopt, json(R"({"a": 1})")});
  c.mark_wait_after_done();
  c.set_rerun_no(3);
  CHECK(text(rc) ==
        R"({"triggered_by": [{"task_id": "t-1", "event": "on-success"}], "timeout": 5, "timeout_armed": true, "wait_before_done": true, )"
        R"("pause_before_done": true, "retry_no": 2, "wait_after": {"state": "SUCCESS", "state_info": null, )"
        R"("result": {"a": 1}}, "wait_after_done": true, "rerun_no": 3})");
  // Setting a key again keeps its place.
  c.set_retry_no(3);
  CHECK(text(rc).find(R"("retry_no": 3, "wait_after")") != std::string::npos);
  // Read back.
  TaskContextView v(rc);
  CHECK(v.triggered_by() == std::optional<std::string>("t-1"));
  CHECK(v.timeout_armed());
  CHECK(v.timeout_shown() == Value(int64_t(5)));
  CHECK(v.wait_before_done());
  CHECK(v.pause_before_done());
  CHECK(v.retry_no() == std::optional<int64_t>(3));
  REQUIRE(v.held_completion());
  CHECK(v.held_completion()->state == storage::State::Success);
  CHECK_FALSE(v.held_completion()->state_info);
  CHECK(v.held_completion()->result == json(R"({"a": 1})"));
  CHECK(v.wait_after_done());
  CHECK(v.rerun_no() == 3);
  CHECK_FALSE(v.has_with_items());
  CHECK_FALSE(v.is_compensation());
}

TEST_CASE("task context: a timeout without a timer only marks the key") {
  Value rc(Dict{});
  TaskContext(rc).arm_timeout(std::nullopt, 0, std::nullopt);
  CHECK(text(rc) == R"({"timeout_armed": true})");
  CHECK(TaskContextView(rc).timeout_armed());
  CHECK(TaskContextView(rc).timeout_shown().is_null());
}

TEST_CASE("task context: triggered_by, Mistral's list (a join's every arrival) or an earlier row's id") {
  Value rc(Dict{});
  TaskContext(rc).set_triggered_by({{"a-1", "on-success"}, {"b-2", ""}});
  CHECK(text(rc) == R"({"triggered_by": [{"task_id": "a-1", "event": "on-success"}, {"task_id": "b-2", "event": null}]})");
  CHECK(TaskContextView(rc).triggered_by() == std::optional<std::string>("b-2"));
  Value old = json(R"({"triggered_by": "t-9"})");
  CHECK(TaskContextView(old).triggered_by() == std::optional<std::string>("t-9"));
}

TEST_CASE("task context: a timeout armed again for a retry keeps its attempt and when it is due") {
  Value rc(Dict{});
  TaskContext c(rc);
  c.arm_timeout(Value(int64_t(2)), 0, int64_t(2000000));
  CHECK(TaskContextView(rc).timeout_attempt() == 0);
  c.set_retry_no(1);
  c.arm_timeout(Value(int64_t(2)), 1, int64_t(5000000));
  CHECK(text(rc) == R"({"timeout": 2, "timeout_armed": true, "timeout_due": 5000000, "retry_no": 1, "timeout_attempt": 1})");
  CHECK(TaskContextView(rc).timeout_attempt() == 1);
  CHECK(TaskContextView(rc).timeout_due() == std::optional<int64_t>(5000000));
}

TEST_CASE("task context: missing, mistyped and foreign keys") {
  Value empty;  // a row with no runtime_context at all
  TaskContextView none(empty);
  CHECK_FALSE(none.retry_no());
  CHECK(none.rerun_no() == 0);
  CHECK(none.arrived_count() == 0);
  CHECK_FALSE(none.held_completion());
  CHECK_FALSE(none.triggered_by());
  Value odd = json(R"({"retry_no": "2", "rerun_no": 1.5, "triggered_by": 7, "wait_after": [], "other": {"x": 1}})");
  TaskContextView v(odd);
  CHECK_FALSE(v.retry_no());
  CHECK(v.rerun_no() == 0);
  CHECK_FALSE(v.triggered_by());
  CHECK_FALSE(v.held_completion());
  // A key this version does not know survives a write.
  TaskContext(odd).set_retry_no(1);
  CHECK(text(odd) ==
        R"({"retry_no": 1, "rerun_no": 1.5, "triggered_by": 7, "wait_after": [], "other": {"x": 1}})");
  // Written on a value that is not a dict: a dict with the key.
  Value not_dict(int64_t(4));
  TaskContext(not_dict).set_rerun_no(1);
  CHECK(text(not_dict) == R"({"rerun_no": 1})");
}

TEST_CASE("task context: a join's arrivals, counted or (rows of earlier versions) listed") {
  Value rc(Dict{});
  TaskContext(rc).set_arrived_count(2);
  CHECK(text(rc) == R"({"arrived_count": 2})");
  CHECK(TaskContextView(rc).arrived_count() == 2);
  Value old = json(R"({"arrived": ["a", "b", "c"]})");
  CHECK(TaskContextView(old).arrived_count() == 3);
  CHECK(TaskContextView(old).arrived_ids() == std::vector<std::string>{"a", "b", "c"});
  Value negative = json(R"({"arrived_count": -4})");
  CHECK(TaskContextView(negative).arrived_count() == 0);
  TaskContext(rc).clear();
  CHECK(text(rc) == "{}");
}

TEST_CASE("task context: with-items progress under its key") {
  Value rc = json(R"({"rerun_no": 1})");
  WithItemsProgress p;
  p.count = 3;
  p.next = 1;
  TaskContext(rc).set_with_items(p);
  CHECK(text(rc) ==
        R"({"rerun_no": 1, "with_items": {"count": 3, "next": 1, "concurrency": 0, "done": 0, "failed": false}})");
  CHECK(TaskContextView(rc).has_with_items());
  CHECK(TaskContextView(rc).with_items().count == 3);
}

TEST_CASE("task context: a compensation's keys") {
  Value rc = json(R"({"triggered_by": "x"})");
  Compensation c;
  c.task_execution_id = "fwd";
  c.unit = 4;
  c.attempt = Value(int64_t(2));
  c.index = 7;
  c.rollback_of = "sub";
  TaskContext(rc).set_compensation(c);  // the task is new: its keys only
  CHECK(text(rc) == R"({"compensates": "fwd", "unit": 4, "attempt": 2, "index": 7, "rollback_of": "sub"})");
  TaskContextView v(rc);
  CHECK(v.is_compensation());
  REQUIRE(v.compensation());
  CHECK(v.compensation()->task_execution_id == "fwd");
  CHECK(v.compensation()->unit == 4);
  CHECK(v.compensation()->attempt == Value(int64_t(2)));
  CHECK(v.compensation()->index == std::optional<int64_t>(7));
  CHECK(v.rollback_of() == std::optional<std::string>("sub"));
  Compensation plain;
  plain.task_execution_id = "fwd";
  plain.unit = 0;
  TaskContext(rc).set_compensation(plain);
  CHECK(text(rc) == R"({"compensates": "fwd", "unit": 0, "attempt": null})");
  CHECK_FALSE(TaskContextView(rc).rollback_of());
}

TEST_CASE("item context: an action's or sub-execution's item, and the not-started mark") {
  Value rc;
  ItemContext(rc).reset(5);
  CHECK(text(rc) == R"({"index": 5})");
  CHECK(ItemContextView(rc).index() == std::optional<int64_t>(5));
  CHECK(WorkflowContextView(rc).index() == std::optional<int64_t>(5));
  CHECK_FALSE(ItemContextView(rc).not_started());
  ItemContext(rc).mark_not_started();
  CHECK(text(rc) == R"({"index": 5, "not_started": true})");
  CHECK(ItemContextView(rc).not_started());
  ItemContext(rc).clear_not_started();
  CHECK(text(rc) == R"({"index": 5})");
  ItemContext(rc).reset(std::nullopt);
  CHECK(text(rc) == "{}");
  CHECK_FALSE(ItemContextView(rc).index());
}

TEST_CASE("workflow context: the pause backlog, the rollback and trace records") {
  Value rc = json(R"({"index": 1})");
  WorkflowContext c(rc);
  c.set_backlog({{"t1", "next_a", std::nullopt}, {"t1", "fail", Value("why")}});
  CHECK(text(rc) == R"({"index": 1, "backlog": [["t1", "next_a"], ["t1", "fail", "why"]]})");
  CHECK(WorkflowContextView(rc).has_backlog());
  auto held = WorkflowContextView(rc).backlog();
  REQUIRE(held.size() == 2);
  CHECK(held[0].next == "next_a");
  CHECK_FALSE(held[0].msg);
  CHECK(held[1].task_execution_id == "t1");
  CHECK(held[1].next == "fail");
  REQUIRE(held[1].msg);
  CHECK(*held[1].msg == Value("why"));
  c.set_backlog({});
  CHECK(text(rc) == R"({"index": 1, "backlog": []})");
  CHECK(WorkflowContextView(rc).has_backlog());  // emptied, still there: as before
  CHECK_FALSE(WorkflowContextView(rc).rollback());
  c.set_rollback(json(R"({"attempt": 1})"));
  c.set_trace(json(R"({"trace_id": "ab"})"));
  REQUIRE(WorkflowContextView(rc).rollback());
  CHECK((*WorkflowContextView(rc).rollback())["attempt"] == Value(int64_t(1)));
  REQUIRE(WorkflowContextView(rc).trace());
  // A malformed backlog entry is skipped, a non-dict record is none.
  Value odd = json(R"({"backlog": [["t"], "x", ["a", "b"]], "rollback": 3})");
  CHECK(WorkflowContextView(odd).backlog().size() == 1);
  CHECK_FALSE(WorkflowContextView(odd).rollback());
}

}  // namespace bora::engine::test
