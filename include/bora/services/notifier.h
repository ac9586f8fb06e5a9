// services/notifier: Mistral's notifier (mistral/notifiers/), delivering
// the events of executions whose params.notify (or the server's [notifier]
// notify) names publishers. The engine writes each event, with the
// publishers that want it, into the event log in the transaction of its
// transition (the outbox, engine/event_feed.h); this thread, never the
// engine's, posts them: oldest first, an event of an execution tree never
// before its predecessors, at least once (progress is stored, so a restart
// or a SIGKILL loses nothing: at worst an event is posted again), with
// retries and exponential backoff. With several nodes on one database each
// event is delivered by one node: a pass claims the events it delivers for
// [notifier] claim_lease (storage::Transaction::claim_notifications), and a
// node that dies mid-pass leaves them to the others when the lease lapses.
// Webhook requests are std.http requests, so they obey the same reach
// limits ([executor] denied_networks...).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "bora/core/config.h"
#include "bora/core/error.h"
#include "bora/core/value.h"
#include "bora/engine/event_feed.h"
#include "bora/storage/database.h"

namespace bora::services {

struct NotifierOptions {
  int64_t max_attempts = 5;        // [notifier] max_attempts: delivery rounds per event before it is given up
  double initial_delay = 1.0;      // [notifier] initial_delay: seconds before the first retry, doubled each time
  double max_delay = 60.0;         // [notifier] max_delay: the longest wait between two rounds
  double timeout = 10.0;           // [notifier] timeout: seconds one webhook request may take
  int64_t event_retention = 100'000;  // [notifier] event_retention: delivered events kept (newest); 0: no count limit
  double claim_lease = 30.0;       // [notifier] claim_lease: seconds a node holds the events it delivers (several nodes)
  size_t batch = 100;              // events claimed per pass
};

// [notifier] max_attempts, initial_delay, max_delay, timeout,
// event_retention, claim_lease; BadInput names the option and the expected
// values.
Result<NotifierOptions> notifier_options_from_config(const Config& config);
// [notifier] notify: Mistral's server-wide publishers, a JSON list as in
// params.notify (null when unset); BadInput says what is wrong.
Result<Value> notify_publishers_from_config(const Config& config);

// Retention of the event log: removes delivered events of executions that
// no longer exist, and delivered events beyond the newest `keep_last` (0:
// no count limit), in batches of their own transactions; returns how many
// went. The server runs it every minute, `bora db purge` after purging.
Result<int64_t> prune_event_log(storage::Database& db, int64_t keep_last);

class Notifier {
 public:
  Notifier(storage::Database& db, engine::EventFeed& feed, NotifierOptions options);
  ~Notifier();  // stops the thread (a delivery under way finishes first)
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // Events with publishers still to reach, as of the last pass (the
  // metrics gauge).
  size_t pending_notifications() const { return pending_.load(); }

 private:
  void run();
  // One pass over the outbox; true when it may have more to do at once.
  bool deliver_due();
  void prune();

  storage::Database& db_;
  NotifierOptions options_;
  std::atomic<size_t> pending_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool news_ = false;
  std::shared_ptr<void> subscription_;
  std::thread thread_;
};

}  // namespace bora::services
