// api/event_stream: the live stream of execution events (issue 17) over the
// engine's durable EventFeed (engine/event_feed.h), for the SSE and
// WebSocket routes (resources/events_resource.cpp).
//
// Thousands of idle subscribers must cost little, and no subscriber may slow
// the engine, so:
// - one reader thread of its own reads the feed: after each commit the
//   engine's wake-up only records the newest seq and posts one pump (never
//   a read, never a lock shared with subscribers); the pump reads the new
//   events once for everybody, renders each once (a shared StreamMessage)
//   and offers it to every live subscriber, which keeps it or not by its
//   filter;
// - a subscriber that starts behind (Last-Event-ID, ?from=0) catches up
//   with reads of its own on that thread, paced by its send queue, then
//   joins the live set;
// - several nodes on one database: another node's commits wake nobody
//   here, so while anybody subscribes the pump also runs every
//   [api] event_stream_poll_interval and picks them up from the log;
// - each subscriber's send queue is bounded ([api] event_stream_max_queue):
//   a client that does not keep up is dropped with a last `overflow`
//   message; it reconnects with Last-Event-ID and misses nothing retained.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "bora/api/stream.h"
#include "bora/core/error.h"
#include "bora/engine/event_feed.h"

namespace bora::api {

struct EventStreamOptions {
  std::chrono::milliseconds heartbeat{std::chrono::seconds(15)};  // [api] event_stream_heartbeat
  size_t max_queue = 1000;        // [api] event_stream_max_queue: events waiting for one client
  size_t max_subscribers = 10000;  // [api] event_stream_max_subscribers
  // [api] event_stream_poll_interval (ms): how often the log is read for
  // events committed by other nodes while anybody subscribes; 0: never
  // (one node: its own commits wake the stream at once).
  std::chrono::milliseconds poll_interval{500};
  // [api] event_stream_gap_wait (ms): how long the stream waits for a
  // missing seq before it goes on without it. Several nodes take seqs when
  // they insert and commit in their own order, so seq 11 may be readable
  // before seq 10 is; the stream never goes past 10 until it commits (or
  // this long has passed: a transaction that inserted it and rolled back
  // leaves the seq unused for ever). 0: never wait.
  std::chrono::milliseconds gap_wait{2000};
};

// The JSON of one event as every stream sends it: seq, event, timestamp,
// project_id, root_execution_id, execution_id, task_execution_id (null for
// workflow events), workflow_name, data.
std::string event_json(const engine::ExecutionEvent& event);
// The stream message of an event (id: seq, event: its type, data: its JSON).
StreamMessage event_message(const engine::ExecutionEvent& event);
// An SSE frame: "id: 7\nevent: TASK_SUCCEEDED\ndata: {...}\n\n".
std::string sse_frame(const StreamMessage& message);
// Whether an event passes a filter (what the feed's read_after applies).
bool event_matches(const engine::EventFilter& filter, const engine::ExecutionEvent& event);

class Subscriber;

class EventStream {
 public:
  EventStream(engine::EventFeed& feed, EventStreamOptions options);
  ~EventStream();
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  // A stream of the events after `after` (none: from now) that pass the
  // filter: catch-up from the feed, then live. Unavailable beyond
  // max_subscribers.
  Result<std::shared_ptr<StreamSource>> subscribe(std::optional<int64_t> after, engine::EventFilter filter);

  // Open subscriptions (the metrics gauge).
  size_t subscribers() const;
  const EventStreamOptions& options() const;

 private:
  friend class Subscriber;  // event_stream.cpp: one subscription
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace bora::api
