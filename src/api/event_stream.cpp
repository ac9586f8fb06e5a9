#include "bora/api/event_stream.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <algorithm>
#include <atomic>
#include <deque>
#include <mutex>
#include <unordered_set>

#include "bora/core/json.h"
#include "bora/core/log.h"

namespace bora::api {

namespace asio = boost::asio;

std::string event_json(const engine::ExecutionEvent& e) {
  Dict d;
  d.set("seq", Value(static_cast<long long>(e.seq)));
  d.set("event", e.event);
  d.set("timestamp", e.timestamp);
  d.set("project_id", e.project_id);
  d.set("root_execution_id", e.root_execution_id);
  d.set("execution_id", e.execution_id);
  d.set("task_execution_id", e.task_execution_id.empty() ? Value() : Value(e.task_execution_id));
  d.set("workflow_name", e.workflow_name);
  d.set("data", e.data);
  // JSON escapes line breaks inside strings: the text is one line, as an
  // SSE `data:` field must be.
  return to_json(Value(std::move(d)), JsonFormat::python());
}

StreamMessage event_message(const engine::ExecutionEvent& event) {
  return StreamMessage{std::to_string(event.seq), event.event, event_json(event), false};
}

std::string sse_frame(const StreamMessage& m) {
  std::string out;
  out.reserve(m.data.size() + m.event.size() + m.id.size() + 24);
  if (!m.id.empty()) out.append("id: ").append(m.id).append("\n");
  if (!m.event.empty()) out.append("event: ").append(m.event).append("\n");
  out.append("data: ").append(m.data).append("\n\n");
  return out;
}

bool event_matches(const engine::EventFilter& f, const engine::ExecutionEvent& e) {
  auto has = [](const std::vector<std::string>& set, const std::string& v) {
    return set.empty() || std::find(set.begin(), set.end(), v) != set.end();
  };
  if (f.root_execution_id && *f.root_execution_id != e.root_execution_id) return false;
  if (f.execution_id && *f.execution_id != e.execution_id) return false;
  if (f.workflow_name && *f.workflow_name != e.workflow_name) return false;
  return has(f.event_types, e.event) && has(f.project_ids, e.project_id);
}

namespace {

// Events read from the feed at once: by the pump for everybody, by a
// catch-up for one subscriber (less when its queue has less room).
constexpr size_t kReadBatch = 256;

}  // namespace

class Subscriber;

struct EventStream::Impl {
  engine::EventFeed& feed;
  EventStreamOptions options;
  // The one thread that reads the feed (the pump and every catch-up), so
  // `fanned` and each subscriber's cursor change on it alone.
  asio::thread_pool reader{1};
  std::shared_ptr<void> subscription;  // on_commit

  mutable std::mutex mutex;  // the live set and the count (before any subscriber's mutex)
  std::unordered_set<Subscriber*> live;
  size_t count = 0;
  // !live.empty(), set under the mutex wherever the live set changes: the
  // engine's wake-up reads it without a lock.
  std::atomic<bool> any_live{false};
  void live_changed() { any_live = !live.empty(); }

  // Reader thread: the live set has been offered every event up to this
  // seq (none missing: a seq not yet readable is waited for, gap_wait).
  int64_t fanned = 0;
  // Reader thread: the first missing seq the pump waits for, and since when.
  int64_t gap_at = 0;
  std::chrono::steady_clock::time_point gap_since{};
  std::atomic<int64_t> newest{0};  // fanned, for other threads (a subscription "from now")
  std::atomic<bool> pump_posted{false};
  // Other nodes' commits wake nobody here: while anybody subscribes, the
  // log is read every options.poll_interval (on the reader thread).
  asio::steady_timer poll_timer{reader};
  // A pump that stopped at a missing seq reads again when its wait ends,
  // whether or not a poll or a commit comes first.
  asio::steady_timer gap_timer{reader};

  Impl(engine::EventFeed& f, EventStreamOptions o) : feed(f), options(o) {}
  void pump();
  void catch_up(const std::shared_ptr<Subscriber>& s);
  void post_pump() {
    if (!pump_posted.exchange(true)) asio::post(reader, [this] { pump(); });
  }
  void arm_poll();
};

class Subscriber : public StreamSource, public std::enable_shared_from_this<Subscriber> {
 public:
  Subscriber(std::weak_ptr<EventStream::Impl> hub, int64_t after, engine::EventFilter filter, EventStreamOptions o)
      : cursor_(after), hub_(std::move(hub)), filter_(std::move(filter)), options_(o) {}
  ~Subscriber() override { stop(); }

  std::chrono::milliseconds heartbeat() const override { return options_.heartbeat; }

  void start(std::function<void()> ready) override {
    {
      std::lock_guard lock(mutex_);
      ready_ = std::move(ready);
    }
    post_catch_up();
  }

  std::shared_ptr<const StreamMessage> next() override {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) return nullptr;
    auto m = std::move(queue_.front());
    queue_.pop_front();
    // A catch-up paused for room goes on once half the queue has gone.
    if (waiting_for_room_ && queue_.size() <= options_.max_queue / 2) {
      waiting_for_room_ = false;
      post_catch_up();
    }
    return m;
  }

  // {"last_event_id": N}: start again after N (WebSocket clients resume so).
  void received(std::string_view text) override {
    auto v = parse_json(text);
    const Value* id = v.ok() ? v->find("last_event_id") : nullptr;
    if (!id || !id->is_int()) {
      log::info("api", "event stream: ignored a client message (expected {{\"last_event_id\": N}})");
      return;
    }
    auto hub = hub_.lock();
    if (!hub) return;
    int64_t after = id->as_int();
    asio::post(hub->reader, [self = shared_from_this(), h = hub.get(), after] {
      {
        std::lock_guard lock(h->mutex);
        h->live.erase(self.get());
        h->live_changed();
      }
      {
        std::lock_guard lock(self->mutex_);
        if (self->ended_) return;
        self->queue_.clear();
        self->waiting_for_room_ = false;
      }
      self->cursor_ = after;
      h->catch_up(self);
    });
  }

  void stop() override {
    std::function<void()> ready;
    {
      std::lock_guard lock(mutex_);
      if (stopped_) return;
      stopped_ = ended_ = true;
      ready.swap(ready_);
      queue_.clear();
    }
    if (auto hub = hub_.lock()) {
      std::lock_guard lock(hub->mutex);
      hub->live.erase(this);
      hub->live_changed();
      --hub->count;
    }
  }

  // Reader thread, hub mutex held: a live event. False when this
  // subscriber overflowed and must leave the live set.
  bool offer(const engine::ExecutionEvent& e, const std::shared_ptr<const StreamMessage>& m) {
    if (e.seq <= cursor_) return true;
    cursor_ = e.seq;
    if (!event_matches(filter_, e)) return true;
    return enqueue(m);
  }

  // Reader thread: events read for this subscriber alone.
  bool enqueue(const std::shared_ptr<const StreamMessage>& m) {
    std::function<void()> ready;
    bool ok = true;
    {
      std::lock_guard lock(mutex_);
      if (ended_) return false;
      if (queue_.size() >= options_.max_queue) {
        // Too slow: what is queued is dropped and the client told so; it
        // resumes from the last id it received.
        queue_.clear();
        auto last = std::make_shared<StreamMessage>();
        last->event = "overflow";
        last->data = "{\"event\": \"overflow\", \"message\": \"this client did not keep up with the event stream (more than " +
                     std::to_string(options_.max_queue) +
                     " events waiting, [api] event_stream_max_queue); reconnect with Last-Event-ID set to the "
                     "last id received to resume\"}";
        last->last = true;
        queue_.push_back(std::move(last));
        ended_ = true;
        ok = false;
      } else {
        queue_.push_back(m);
      }
      ready = ready_;
    }
    if (ready) ready();
    return ok;
  }

  // Room in the queue; none: the next next() that frees half of it posts
  // the catch-up again (checked and flagged under one lock, so a queue
  // emptied in between cannot leave the catch-up waiting for ever).
  size_t room_or_wait() {
    std::lock_guard lock(mutex_);
    if (ended_) return 0;
    if (queue_.size() < options_.max_queue) return options_.max_queue - queue_.size();
    waiting_for_room_ = true;
    return 0;
  }
  bool ended() {
    std::lock_guard lock(mutex_);
    return ended_;
  }

  const engine::EventFilter& filter() const { return filter_; }
  int64_t cursor_;  // reader thread only: newest seq this subscriber has seen

 private:
  void post_catch_up() {
    auto hub = hub_.lock();
    if (!hub) return;
    asio::post(hub->reader, [self = shared_from_this(), h = hub.get()] { h->catch_up(self); });
  }

  std::weak_ptr<EventStream::Impl> hub_;
  engine::EventFilter filter_;
  EventStreamOptions options_;
  std::mutex mutex_;
  std::deque<std::shared_ptr<const StreamMessage>> queue_;
  std::function<void()> ready_;
  bool waiting_for_room_ = false;
  bool ended_ = false;    // overflowed or stopped: nothing more is queued
  bool stopped_ = false;  // the connection is gone
};

void EventStream::Impl::catch_up(const std::shared_ptr<Subscriber>& s) {
  if (s->ended()) return;
  if (s->cursor_ >= fanned) {
    std::lock_guard lock(mutex);
    live.insert(s.get());
    live_changed();
    // Events after the horizon reach it from the next pump: now, not at
    // the next commit or poll (while nobody streamed, several nodes'
    // horizon moved at the polls alone).
    post_pump();
    return;
  }
  size_t room = s->room_or_wait();
  if (room == 0) return;
  size_t want = std::min(room, kReadBatch);
  int64_t covered = fanned;  // every event up to it is readable
  // Never past the pump's gap-free horizon: an event of another node that
  // commits later with a smaller seq would be skipped for good.
  engine::EventFilter bounded = s->filter();
  bounded.up_to = covered;
  auto batch = feed.read_after(s->cursor_, bounded, want);
  if (!batch.ok()) {
    log::warning("api", "event stream: reading the event log failed: {}", batch.error().message);
    // The client is told and the stream ends: it resumes with its last id.
    s->enqueue(std::make_shared<StreamMessage>(StreamMessage{
        "", "error", "{\"event\": \"error\", \"message\": \"reading the event log failed\"}", true}));
    return;
  }
  for (const auto& e : *batch) {
    s->cursor_ = e.seq;
    if (!s->enqueue(std::make_shared<StreamMessage>(event_message(e)))) return;
  }
  // A short batch holds every match up to what was committed before it.
  if (batch->size() < want) s->cursor_ = std::max(s->cursor_, covered);
  asio::post(reader, [this, s] { catch_up(s); });
}

void EventStream::Impl::pump() {
  pump_posted = false;  // a commit from now on posts another pump
  if (!any_live && feed.commit_ordered()) {
    // Nobody streams live: nothing is read (reading and parsing every
    // committed event for nobody was a fifth of a busy server's CPU). A
    // subscriber that comes catches up from the log itself, up to here,
    // which has no gap when one writer numbers the events.
    fanned = std::max(fanned, feed.last_seq());
    newest = fanned;
    gap_at = 0;
    return;
  }
  for (;;) {
    // Only this thread adds to the live set, so nobody can join while a
    // batch read for nobody is gone through.
    const bool anybody = any_live;
    std::vector<engine::ExecutionEvent> events;
    std::vector<int64_t> seqs;
    if (anybody) {
      auto batch = feed.read_after(fanned, engine::EventFilter{}, kReadBatch);
      if (!batch.ok()) {
        log::warning("api", "event stream: reading the event log failed: {} (retried at the next commit)",
                     batch.error().message);
        return;
      }
      events = std::move(batch).value();
      seqs.reserve(events.size());
      for (const auto& e : events) seqs.push_back(e.seq);
    } else {
      // Several nodes and nobody live: the horizon still moves, so that a
      // subscriber who comes reads the log up to a recent gap-free seq,
      // but from the seqs alone (no payload sent by the database, none
      // parsed: on MariaDB that was a third of what a chain of tasks cost
      // the server).
      auto batch = feed.seqs_after(fanned, kReadBatch);
      if (!batch.ok()) {
        log::warning("api", "event stream: reading the event log failed: {} (retried at the next poll)",
                     batch.error().message);
        return;
      }
      seqs = std::move(batch).value();
    }
    for (size_t i = 0; i < seqs.size(); ++i) {
      const int64_t seq = seqs[i];
      if (seq > fanned + 1 && options.gap_wait.count() > 0 && !feed.commit_ordered()) {
        // A seq is missing: another node's transaction that took it may
        // not have committed yet (with one writer a missing seq is never
        // coming: nothing to wait for). Wait for it (the next poll or commit
        // reads again), up to gap_wait; then it was rolled back (or
        // purged): go on without it.
        auto now = std::chrono::steady_clock::now();
        if (gap_at != fanned + 1) {
          gap_at = fanned + 1;
          gap_since = now;
        }
        if (now - gap_since < options.gap_wait) {
          gap_timer.expires_at(gap_since + options.gap_wait + std::chrono::milliseconds(1));
          gap_timer.async_wait([this](const boost::system::error_code& ec) {
            if (!ec) post_pump();
          });
          return;
        }
        log::debug("api", "event stream: seqs {}..{} never became readable within [api] event_stream_gap_wait; "
                          "going on without them",
                   fanned + 1, seq - 1);
      }
      if (anybody) {
        auto m = std::make_shared<const StreamMessage>(event_message(events[i]));
        std::lock_guard lock(mutex);
        for (auto it = live.begin(); it != live.end();) {
          if ((*it)->offer(events[i], m)) {
            ++it;
          } else {
            it = live.erase(it);
          }
        }
        live_changed();
      }
      fanned = seq;
      newest = fanned;
    }
    if (seqs.size() < kReadBatch) return;
  }
}

void EventStream::Impl::arm_poll() {
  poll_timer.expires_after(options.poll_interval);
  poll_timer.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled: the stream is going
    // Events another node committed since the last read (a subscriber
    // still catching up reads them itself); while nobody streams, the
    // horizon moves here alone (the seqs, see pump).
    if (any_live || !feed.commit_ordered()) post_pump();
    arm_poll();
  });
}

EventStream::EventStream(engine::EventFeed& feed, EventStreamOptions options)
    : impl_(std::make_shared<Impl>(feed, options)) {
  impl_->fanned = feed.last_seq();
  impl_->newest = impl_->fanned;
  Impl* impl = impl_.get();
  // On the engine's thread: a flag and at most one post, never a read.
  // Several nodes while nobody streams: the polls move the horizon, not
  // every commit (each a read of the log for nobody).
  impl_->subscription = feed.on_commit([impl](int64_t, bool) {
    if (impl->any_live || impl->feed.commit_ordered() || impl->options.poll_interval.count() == 0) impl->post_pump();
  });
  if (options.poll_interval.count() > 0) asio::post(impl->reader, [impl] { impl->arm_poll(); });
}

EventStream::~EventStream() {
  impl_->subscription.reset();
  asio::post(impl_->reader, [impl = impl_.get()] {
    impl->poll_timer.cancel();
    impl->gap_timer.cancel();
  });
  impl_->reader.stop();
  impl_->reader.join();
}

Result<std::shared_ptr<StreamSource>> EventStream::subscribe(std::optional<int64_t> after,
                                                             engine::EventFilter filter) {
  // "From now": the newest event this node committed or has read from
  // the others, whichever is later.
  int64_t from = after ? std::max<int64_t>(0, *after) : std::max(impl_->feed.last_seq(), impl_->newest.load());
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->count >= impl_->options.max_subscribers) {
      return Error{ErrorKind::Unavailable,
                   "Bora already streams events to " + std::to_string(impl_->options.max_subscribers) +
                       " subscribers, its limit ([api] event_stream_max_subscribers); retry later or raise the "
                       "limit"};
    }
    ++impl_->count;
  }
  return std::shared_ptr<StreamSource>(
      std::make_shared<Subscriber>(impl_, from, std::move(filter), impl_->options));
}

size_t EventStream::subscribers() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->count;
}

const EventStreamOptions& EventStream::options() const { return impl_->options; }

}  // namespace bora::api
