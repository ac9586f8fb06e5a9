#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "bora/api/event_stream.h"
#include "bora/core/json.h"
#include "memory_event_feed.h"

using namespace bora;
using bora::test::MemoryEventFeed;

namespace {

// Messages a source yields within `wait` (the reader thread fills it).
std::vector<std::shared_ptr<const api::StreamMessage>> drain(api::StreamSource& s, size_t want,
                                                             std::chrono::milliseconds wait = std::chrono::seconds(5)) {
  std::vector<std::shared_ptr<const api::StreamMessage>> out;
  auto until = std::chrono::steady_clock::now() + wait;
  while (out.size() < want && std::chrono::steady_clock::now() < until) {
    if (auto m = s.next()) {
      out.push_back(m);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  return out;
}

std::vector<std::string> ids(const std::vector<std::shared_ptr<const api::StreamMessage>>& ms) {
  std::vector<std::string> out;
  for (const auto& m : ms) out.push_back(m->id);
  return out;
}

}  // namespace

TEST_CASE("an event is one SSE frame with id, event and one line of JSON") {
  engine::ExecutionEvent e;
  e.seq = 7;
  e.event = "TASK_SUCCEEDED";
  e.timestamp = "2026-01-01 00:00:00";
  e.project_id = "p";
  e.root_execution_id = "r";
  e.execution_id = "x";
  e.workflow_name = "wf";
  e.data = Value::dict({{"text", "two\nlines"}});
  auto m = api::event_message(e);
  std::string frame = api::sse_frame(m);
  REQUIRE(frame.rfind("id: 7\nevent: TASK_SUCCEEDED\ndata: {", 0) == 0);
  REQUIRE(frame.substr(frame.size() - 2) == "\n\n");
  // One data line: the line break inside the payload is escaped.
  REQUIRE(std::count(frame.begin(), frame.end(), '\n') == 4);
  Value j = parse_json(m.data).value();
  CHECK(j["seq"].as_int() == 7);
  CHECK(j["event"].as_string() == "TASK_SUCCEEDED");
  CHECK(j["task_execution_id"].is_null());
  CHECK(j["execution_id"].as_string() == "x");
  CHECK(j["root_execution_id"].as_string() == "r");
  CHECK(j["project_id"].as_string() == "p");
  CHECK(j["workflow_name"].as_string() == "wf");
  CHECK(j["data"]["text"].as_string() == "two\nlines");
  e.task_execution_id = "t";
  CHECK(parse_json(api::event_json(e)).value()["task_execution_id"].as_string() == "t");
}

TEST_CASE("filters: ids, workflow name, event types, projects") {
  engine::ExecutionEvent e;
  e.event = "TASK_FAILED";
  e.project_id = "a";
  e.root_execution_id = "r";
  e.execution_id = "x";
  e.workflow_name = "wf";
  engine::EventFilter f;
  CHECK(api::event_matches(f, e));
  f.project_ids = {"b"};
  CHECK_FALSE(api::event_matches(f, e));
  f.project_ids = {"b", "a"};
  CHECK(api::event_matches(f, e));
  f.event_types = {"TASK_SUCCEEDED"};
  CHECK_FALSE(api::event_matches(f, e));
  f.event_types = {"TASK_SUCCEEDED", "TASK_FAILED"};
  CHECK(api::event_matches(f, e));
  f.root_execution_id = "other";
  CHECK_FALSE(api::event_matches(f, e));
  f.root_execution_id = "r";
  f.execution_id = "y";
  CHECK_FALSE(api::event_matches(f, e));
  f.execution_id = "x";
  f.workflow_name = "other";
  CHECK_FALSE(api::event_matches(f, e));
  f.workflow_name = "wf";
  CHECK(api::event_matches(f, e));
}

TEST_CASE("resume: a subscriber after seq N gets every retained event after N, then live ones") {
  MemoryEventFeed feed;
  for (int i = 0; i < 5; ++i) feed.append("TASK_LAUNCHED");
  api::EventStream stream(feed, {});
  auto s = stream.subscribe(2, {}).value();
  s->start([] {});
  CHECK(ids(drain(*s, 3)) == std::vector<std::string>{"3", "4", "5"});
  feed.append("TASK_SUCCEEDED");
  auto live = drain(*s, 1);
  REQUIRE(ids(live) == std::vector<std::string>{"6"});
  CHECK(live[0]->event == "TASK_SUCCEEDED");
  CHECK(drain(*s, 1, std::chrono::milliseconds(50)).empty());
  s->stop();
}

TEST_CASE("without a start, a subscriber begins at the newest event; from 0 it gets everything") {
  MemoryEventFeed feed;
  feed.append("WORKFLOW_LAUNCHED");
  api::EventStream stream(feed, {});
  auto now = stream.subscribe(std::nullopt, {}).value();
  auto all = stream.subscribe(0, {}).value();
  now->start([] {});
  all->start([] {});
  feed.append("WORKFLOW_SUCCEEDED");
  CHECK(ids(drain(*now, 1)) == std::vector<std::string>{"2"});
  CHECK(ids(drain(*all, 2)) == std::vector<std::string>{"1", "2"});
}

TEST_CASE("a subscriber sees only what its filter lets through, live and in catch-up") {
  MemoryEventFeed feed;
  feed.append("TASK_LAUNCHED", "a");
  feed.append("TASK_LAUNCHED", "b");
  api::EventStream stream(feed, {});
  engine::EventFilter mine;
  mine.project_ids = {"a"};
  auto s = stream.subscribe(0, mine).value();
  s->start([] {});
  CHECK(ids(drain(*s, 1)) == std::vector<std::string>{"1"});
  feed.append("TASK_LAUNCHED", "b");
  feed.append("TASK_SUCCEEDED", "a");
  CHECK(ids(drain(*s, 2, std::chrono::milliseconds(300))) == std::vector<std::string>{"4"});
}

TEST_CASE("many live subscribers share one read of the feed per commit") {
  MemoryEventFeed feed;
  api::EventStream stream(feed, {});
  std::vector<std::shared_ptr<api::StreamSource>> subs;
  for (int i = 0; i < 50; ++i) {
    subs.push_back(stream.subscribe(std::nullopt, {}).value());
    subs.back()->start([] {});
  }
  CHECK(stream.subscribers() == 50);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // every one joins the live set
  size_t before = feed.reads;
  feed.append("TASK_LAUNCHED");
  for (auto& s : subs) REQUIRE(drain(*s, 1).size() == 1);
  CHECK(feed.reads - before <= 2);
  for (auto& s : subs) s->stop();
  CHECK(stream.subscribers() == 0);
}

TEST_CASE("a slow subscriber is dropped with a last overflow message; the others go on") {
  MemoryEventFeed feed;
  api::EventStreamOptions o;
  o.max_queue = 3;
  api::EventStream stream(feed, o);
  auto slow = stream.subscribe(std::nullopt, {}).value();
  auto fast = stream.subscribe(std::nullopt, {}).value();
  int woken = 0;
  slow->start([&] { ++woken; });
  fast->start([] {});
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::vector<std::shared_ptr<const api::StreamMessage>> got;
  for (int i = 0; i < 10; ++i) {
    feed.append("TASK_LAUNCHED");
    auto m = drain(*fast, 1);
    got.insert(got.end(), m.begin(), m.end());
  }
  CHECK(got.size() == 10);
  auto last = drain(*slow, 1);
  REQUIRE(last.size() == 1);
  CHECK(last[0]->event == "overflow");
  CHECK(last[0]->last);
  CHECK(parse_json(last[0]->data).value()["message"].as_string().find("event_stream_max_queue") != std::string::npos);
  feed.append("TASK_LAUNCHED");
  CHECK(drain(*slow, 1, std::chrono::milliseconds(100)).empty());
  CHECK(woken > 0);
}

TEST_CASE("catch-up is paced by the send queue: a long replay never overflows") {
  MemoryEventFeed feed;
  for (int i = 0; i < 100; ++i) feed.append("TASK_LAUNCHED");
  api::EventStreamOptions o;
  o.max_queue = 4;
  api::EventStream stream(feed, o);
  auto s = stream.subscribe(0, {}).value();
  s->start([] {});
  auto all = drain(*s, 100);
  REQUIRE(all.size() == 100);
  CHECK(all.front()->id == "1");
  CHECK(all.back()->id == "100");
  for (const auto& m : all) CHECK(m->event == "TASK_LAUNCHED");
}

TEST_CASE("a WebSocket client's {\"last_event_id\": N} starts the stream again after N") {
  MemoryEventFeed feed;
  for (int i = 0; i < 4; ++i) feed.append("TASK_LAUNCHED");
  api::EventStream stream(feed, {});
  auto s = stream.subscribe(std::nullopt, {}).value();
  s->start([] {});
  s->received("{\"last_event_id\": 2}");
  CHECK(ids(drain(*s, 2)) == std::vector<std::string>{"3", "4"});
  s->received("not json");  // ignored
  feed.append("TASK_LAUNCHED");
  CHECK(ids(drain(*s, 1)) == std::vector<std::string>{"5"});
}

TEST_CASE("past max_subscribers a subscription is refused as unavailable") {
  MemoryEventFeed feed;
  api::EventStreamOptions o;
  o.max_subscribers = 2;
  api::EventStream stream(feed, o);
  auto a = stream.subscribe(std::nullopt, {}).value();
  auto b = stream.subscribe(std::nullopt, {}).value();
  auto c = stream.subscribe(std::nullopt, {});
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().kind == ErrorKind::Unavailable);
  CHECK(c.error().message.find("event_stream_max_subscribers") != std::string::npos);
  a.reset();  // a dropped subscription frees its place
  CHECK(stream.subscribers() == 1);
  CHECK(stream.subscribe(std::nullopt, {}).ok());
}

TEST_CASE("several nodes: a seq committed after a later one is waited for, never skipped") {
  // Node A took seq 1 and has not committed; node B committed seq 2.
  MemoryEventFeed feed;
  api::EventStreamOptions o;
  o.poll_interval = std::chrono::milliseconds(10);
  o.gap_wait = std::chrono::seconds(30);
  api::EventStream stream(feed, o);
  auto s = stream.subscribe(0, {}).value();
  s->start([] {});
  int64_t a = feed.reserve();
  feed.append("TASK_SUCCEEDED");  // seq 2, committed first
  // Live and in catch-up alike, nothing goes past the missing seq 1 ...
  CHECK(drain(*s, 1, std::chrono::milliseconds(200)).empty());
  auto late = stream.subscribe(0, {}).value();
  late->start([] {});
  CHECK(drain(*late, 1, std::chrono::milliseconds(100)).empty());
  // ... and once it commits, both get 1 then 2, in seq order.
  feed.commit(a, MemoryEventFeed::event("WORKFLOW_LAUNCHED"));
  CHECK(ids(drain(*s, 2)) == std::vector<std::string>{"1", "2"});
  CHECK(ids(drain(*late, 2)) == std::vector<std::string>{"1", "2"});
}

TEST_CASE("several nodes: a seq never committed (a rolled-back insert) is passed after gap_wait") {
  MemoryEventFeed feed;
  api::EventStreamOptions o;
  o.poll_interval = std::chrono::milliseconds(0);  // no polling: the wait ends by itself
  o.gap_wait = std::chrono::milliseconds(150);
  api::EventStream stream(feed, o);
  auto s = stream.subscribe(0, {}).value();
  s->start([] {});
  feed.reserve();  // rolled back: seq 1 never appears
  feed.append("TASK_SUCCEEDED");
  auto started = std::chrono::steady_clock::now();
  auto got = drain(*s, 1);
  auto waited = std::chrono::steady_clock::now() - started;
  CHECK(ids(got) == std::vector<std::string>{"2"});
  CHECK(waited >= std::chrono::milliseconds(100));
  // Later events flow at once.
  feed.append("WORKFLOW_SUCCEEDED");
  CHECK(ids(drain(*s, 1, std::chrono::milliseconds(100))) == std::vector<std::string>{"3"});
}

TEST_CASE("several nodes, nobody streaming: the polls read the seqs alone; a later subscriber misses nothing") {
  MemoryEventFeed feed;
  api::EventStreamOptions o;
  o.poll_interval = std::chrono::milliseconds(20);
  o.gap_wait = std::chrono::seconds(30);
  api::EventStream stream(feed, o);
  int64_t a = feed.reserve();     // another node's transaction, not committed yet
  feed.append("TASK_SUCCEEDED");  // seq 2
  feed.append("TASK_SUCCEEDED");  // seq 3
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  CHECK(feed.reads == 0);  // no event was read (or parsed) for nobody
  CHECK(feed.seq_reads > 0);
  feed.commit(a, MemoryEventFeed::event("WORKFLOW_LAUNCHED"));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto s = stream.subscribe(0, {}).value();
  s->start([] {});
  CHECK(ids(drain(*s, 3)) == std::vector<std::string>{"1", "2", "3"});
  feed.append("WORKFLOW_SUCCEEDED");
  CHECK(ids(drain(*s, 1)) == std::vector<std::string>{"4"});
}
