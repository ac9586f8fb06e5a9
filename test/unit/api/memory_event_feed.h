// A test-only EventFeed in memory (engine/event_feed.h), standing in for the
// engine's durable log in the api unit tests: append() plays a commit.
#pragma once

#include <algorithm>
#include <mutex>
#include <vector>

#include "bora/api/event_stream.h"
#include "bora/engine/event_feed.h"

namespace bora::test {

class MemoryEventFeed : public engine::EventFeed {
 public:
  // Adds an event (its seq is the next one) and wakes the subscribers, as
  // the engine does after a commit.
  int64_t append(engine::ExecutionEvent e) {
    int64_t seq;
    {
      std::lock_guard lock(mutex_);
      seq = ++next_seq_;
    }
    return commit(seq, std::move(e));
  }
  // Another node's transaction: it takes its seq at insert (reserve) and
  // commits later (commit), maybe after transactions with later seqs; a
  // reserved seq never committed is a rolled-back insert.
  int64_t reserve() {
    std::lock_guard lock(mutex_);
    several_writers_ = true;
    return ++next_seq_;
  }
  int64_t commit(int64_t seq, engine::ExecutionEvent e) {
    std::vector<Wake> wakes;
    {
      std::lock_guard lock(mutex_);
      e.seq = seq;
      auto at = std::find_if(events_.begin(), events_.end(), [&](const auto& x) { return x.seq > seq; });
      events_.insert(at, std::move(e));
      for (auto& w : wakes_)
        if (auto alive = w.first.lock()) wakes.push_back(w.second);
    }
    for (auto& w : wakes) w(seq, false);
    return seq;
  }
  static engine::ExecutionEvent event(std::string type, std::string project = "p1", std::string root = "r1") {
    engine::ExecutionEvent e;
    e.event = std::move(type);
    e.timestamp = "2026-01-01 00:00:00";
    e.project_id = std::move(project);
    e.root_execution_id = root;
    e.execution_id = root;
    e.workflow_name = "wf";
    e.data = Value::dict({{"state", "RUNNING"}});
    return e;
  }
  int64_t append(std::string type, std::string project = "p1", std::string root = "r1") {
    return append(event(std::move(type), std::move(project), std::move(root)));
  }

  Result<std::vector<engine::ExecutionEvent>> read_after(int64_t after, const engine::EventFilter& filter,
                                                         size_t limit) override {
    std::lock_guard lock(mutex_);
    ++reads;
    std::vector<engine::ExecutionEvent> out;
    for (const auto& e : events_) {
      if (out.size() >= limit) break;
      if (filter.up_to && e.seq > *filter.up_to) break;
      if (e.seq > after && api::event_matches(filter, e)) out.push_back(e);
    }
    return out;
  }
  Result<std::vector<int64_t>> seqs_after(int64_t after, size_t limit) override {
    std::lock_guard lock(mutex_);
    ++seq_reads;
    std::vector<int64_t> out;
    for (const auto& e : events_) {
      if (out.size() >= limit) break;
      if (e.seq > after) out.push_back(e.seq);
    }
    return out;
  }
  int64_t last_seq() const override {
    std::lock_guard lock(mutex_);
    return events_.empty() ? 0 : events_.back().seq;
  }
  bool commit_ordered() const override {
    std::lock_guard lock(mutex_);
    return !several_writers_;
  }
  std::shared_ptr<void> on_commit(Wake wake) override {
    auto handle = std::make_shared<int>(0);
    std::lock_guard lock(mutex_);
    wakes_.emplace_back(handle, std::move(wake));
    return handle;
  }

  size_t reads = 0;      // reads of events (read_after)
  size_t seq_reads = 0;  // reads of seqs alone (seqs_after)

 private:
  mutable std::mutex mutex_;
  std::vector<engine::ExecutionEvent> events_;  // by seq
  int64_t next_seq_ = 0;
  bool several_writers_ = false;  // reserve() was used: seqs may commit out of order
  std::vector<std::pair<std::weak_ptr<int>, Wake>> wakes_;
};

}  // namespace bora::test
