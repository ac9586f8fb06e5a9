// engine/event_feed: the durable, ordered sequence of execution events
// (Mistral's notification events, issue 17). The engine writes an event in
// the same transaction as the transition that caused it, so an event exists
// exactly when its transition was committed, and a SIGKILL loses none. Two
// readers consume the same sequence: the notifier (webhook delivery, at
// least once, ordered per execution) and the live stream (SSE and
// WebSocket, resumable by sequence number: a client that reconnects with
// Last-Event-ID misses nothing still retained).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bora/core/error.h"
#include "bora/core/value.h"

namespace bora::engine {

struct ExecutionEvent {
  int64_t seq = 0;                // durable, strictly increasing in one database
  std::string event;              // Mistral's name: WORKFLOW_LAUNCHED, TASK_SUCCEEDED, ...
  std::string timestamp;          // UTC, as the REST API writes times
  std::string project_id;
  std::string root_execution_id;  // the root of the execution tree
  std::string execution_id;       // the workflow execution (of the task, for task events)
  std::string task_execution_id;  // empty for workflow events
  std::string workflow_name;
  Value data;                     // Mistral's notification payload for this event
};

struct EventFilter {
  std::optional<std::string> root_execution_id;
  std::optional<std::string> execution_id;
  std::optional<std::string> workflow_name;
  std::vector<std::string> event_types;  // empty: every type
  std::vector<std::string> project_ids;  // the caller's visibility; empty: every project (admin)
  // Only events with seq <= up_to: a reader that knows every event up to
  // some seq (the live stream's gap-free horizon) reads no further.
  std::optional<int64_t> up_to;
};

class EventFeed {
 public:
  virtual ~EventFeed() = default;
  // Committed events with seq > after that pass the filter, oldest first,
  // at most `limit` of them. Safe from any thread (reads, never the writer).
  virtual Result<std::vector<ExecutionEvent>> read_after(int64_t after, const EventFilter& filter,
                                                         size_t limit) = 0;
  // The seqs alone of the committed events after `after`, oldest first, at
  // most `limit`: what a reader that follows the horizon for nobody needs
  // (no payload read, none parsed). By default read_after's seqs.
  virtual Result<std::vector<int64_t>> seqs_after(int64_t after, size_t limit) {
    auto events = read_after(after, EventFilter{}, limit);
    if (!events.ok()) return events.error();
    std::vector<int64_t> seqs;
    seqs.reserve(events->size());
    for (const auto& e : *events) seqs.push_back(e.seq);
    return seqs;
  }
  // The seq of the newest committed event (0 when there is none).
  virtual int64_t last_seq() const = 0;
  // Whether seqs become readable in their order (one writer: SQLite, or a
  // database no other node writes). When false, a later seq may be
  // readable before an earlier one commits (several nodes).
  virtual bool commit_ordered() const { return true; }
  // `wake(last_seq, to_publish)` is called after every commit that added
  // events, on the engine's thread: it must be quick and never block (hand
  // the news on to an I/O thread). to_publish: some of them have
  // publishers (params.notify), i.e. the notifier has work. The
  // subscription ends when the returned handle is dropped.
  using Wake = std::function<void(int64_t last_seq, bool to_publish)>;
  virtual std::shared_ptr<void> on_commit(Wake wake) = 0;
};

}  // namespace bora::engine
