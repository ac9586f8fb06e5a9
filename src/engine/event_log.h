// engine/event_log: the engine's side of engine/event_feed.h. Steps write
// events into their transaction (Step::task_event, Step::workflow_event,
// defined in event_log.cpp); after the commit the loop tells the EventLog,
// which wakes its subscribers. Private to src/engine.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>

#include "bora/engine/event_feed.h"
#include "bora/engine/notify_params.h"
#include "bora/engine/states.h"
#include "bora/storage/database.h"

namespace bora::engine {

// Mistral's event for a state change (mistral/notifiers/
// notification_events.py), or "" when the change has none (to WAITING,
// DELAYED, IDLE...). from: none for a new execution.
std::string task_event_name(std::optional<State> from, State to);
std::string workflow_event_name(std::optional<State> from, State to);

class EventLog final : public EventFeed {
 public:
  explicit EventLog(storage::Database& db);
  Result<std::vector<ExecutionEvent>> read_after(int64_t after, const EventFilter& filter, size_t limit) override;
  Result<std::vector<int64_t>> seqs_after(int64_t after, size_t limit) override;
  int64_t last_seq() const override { return last_seq_.load(); }
  bool commit_ordered() const override { return !db_.shared_by_nodes(); }
  std::shared_ptr<void> on_commit(Wake wake) override;
  // The loop, after a commit that added events up to `seq`, some of them
  // with publishers when to_publish.
  void committed(int64_t seq, bool to_publish);

 private:
  struct Subscribers {
    std::mutex mutex;
    uint64_t next = 0;
    std::map<uint64_t, std::shared_ptr<Wake>> wakes;
  };
  storage::Database& db_;
  std::atomic<int64_t> last_seq_{0};
  std::shared_ptr<Subscribers> subscribers_ = std::make_shared<Subscribers>();
};

}  // namespace bora::engine
