// engine/engine: the command loop. Commands queue up; the loop applies a
// batch of them in one write transaction, commits, then answers callers,
// wakes waiters and hands new actions to the executor.
#include "bora/engine/engine.h"

#include <condition_variable>
#include <cstdlib>
#include <algorithm>
#include <atomic>
#include <deque>
#include <map>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <variant>

#include <unistd.h>

#include "bora/catalog/catalog.h"
#include "bora/core/ids.h"
#include "bora/core/log.h"
#include "bora/core/metrics.h"
#include "bora/core/replay_tape.h"
#include "bora/executor/action_timeout.h"
#include "bora/executor/std_actions.h"
#include "ad_hoc_unfold.h"
#include "compute.h"
#include "event_log.h"
#include "peer_watch.h"
#include "step.h"

namespace bora::engine {

namespace {

constexpr std::chrono::milliseconds kTimerTick{50};

// An action handed to the executor: its stop flag (ActionRunContext::
// cancelled), and whether a pool thread has begun it or finish() withdrew
// it first (compare-and-swap: exactly one of the two wins).
struct RunningAction {
  enum Phase : int { kQueued, kStarted, kWithdrawn };
  std::atomic<bool> cancelled{false};
  std::atomic<int> phase{kQueued};
};

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// A caller's request: runs inside the batch's transaction (through the
// Step, or on the transaction itself for a service's own change), returns
// what to do once it has committed (answer the caller); `fail` answers when
// the command could not be applied at all.
// replay: set once the command was applied (compute.h): the ids and times
// it drew, the evaluations workers did for it.
struct CallCommand {
  std::function<std::function<void()>(Step&, storage::Transaction&)> run;
  std::function<void(const Error&)> fail;
  std::shared_ptr<Replay> replay = nullptr;
};
struct ActionResultCommand {
  std::string action_execution_id;
  executor::ActionResult result;
  std::shared_ptr<Replay> replay = nullptr;
};
using Command = std::variant<CallCommand, ActionResultCommand>;

std::shared_ptr<Replay>& replay_of(Command& c) {
  return std::visit([](auto& x) -> std::shared_ptr<Replay>& { return x.replay; }, c);
}

// Calls a caller's callback; it runs on the loop (or an executor) thread,
// which an exception must not unwind.
template <class T>
void answer(const std::function<void(Result<T>)>& done, Result<T> r) {
  try {
    done(std::move(r));
  } catch (const std::exception& e) {
    log::error("engine", "a caller's completion threw: {}", e.what());
  }
}

// Wraps an operation returning Result<T> into a command that calls `done`
// with it after the commit (or with the error that kept it from applying).
template <class T>
CallCommand make_call(std::function<Result<T>(Step&, storage::Transaction&)> op,
                      std::function<void(Result<T>)> done) {
  auto callback = std::make_shared<std::function<void(Result<T>)>>(std::move(done));
  CallCommand c;
  c.run = [op = std::move(op), callback](Step& step, storage::Transaction& tx) -> std::function<void()> {
    auto r = std::make_shared<Result<T>>(op(step, tx));
    return [callback, r] { answer(*callback, std::move(*r)); };
  };
  c.fail = [callback](const Error& e) { answer(*callback, Result<T>(e)); };
  return c;
}

// The blocking form of an asynchronous call, for the CLI and tests.
template <class T>
Result<T> wait_for(const std::function<void(std::function<void(Result<T>)>)>& start) {
  auto promise = std::make_shared<std::promise<Result<T>>>();
  auto future = promise->get_future();
  start([promise](Result<T> r) { promise->set_value(std::move(r)); });
  return future.get();
}

// The queue is shared with the executor's completion callbacks, which may
// fire after the engine is gone: they then find it closed and drop the
// result (the action stays RUNNING in storage, and recovery handles it).
struct Inbox {
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Command> queue;
  bool closed = false;
  bool finishing = false;  // Engine::finish: apply what is queued, then close
  bool applying = false;  // the loop holds a batch taken from the queue (Engine::idle)

  void post(Command c) {
    {
      std::lock_guard lock(mutex);
      if (!closed) {
        queue.push_back(std::move(c));
        c = ActionResultCommand{};  // queued: nothing left to refuse below
      }
    }
    // A caller still waiting for its answer learns why it gets none.
    if (auto* call = std::get_if<CallCommand>(&c)) {
      if (call->fail) call->fail(Error{ErrorKind::Unavailable, "the engine is stopping"});
      return;
    }
    wake.notify_one();
  }
};

}  // namespace

class Engine::Impl {
 public:
  Impl(storage::Database& db, executor::Executor& executor, const ExpressionPort& expressions, EngineOptions options)
      : db_(db), executor_(executor), expr_(expressions), options_(std::move(options)) {
    if (const char* task = std::getenv("BORA_TEST_CRASH_ON_TASK"); task && *task) {
      options_.test_crash_on_task = task;
      log::warning("engine", "test hook: an action or a timer of any task named '{}' aborts the process", task);
    }
    if (options_.cluster.node_id.empty()) options_.cluster.node_id = default_node_id();
    // This node joins the registry, adopts what stopped nodes left running
    // and counts the crash-loop guard, committed on its own; recovery of
    // the adopted actions is the first command the loop applies.
    adopt_leftovers(/*at_start=*/true);
    loop_ = std::thread([this] { run(); });
    if (options_.cluster.register_node) heartbeat_ = std::thread([this] { beat(); });
  }
  ~Impl() {
    stop_heartbeat(false);
    {
      std::lock_guard lock(inbox_->mutex);
      inbox_->closed = true;
    }
    inbox_->wake.notify_all();
    if (loop_.joinable()) loop_.join();
    expire_lease();
    // Evaluations still on a worker end (each within its budget); their
    // commands find the inbox closed.
    compute_.stop();
  }

  std::chrono::milliseconds busy_for() const {
    int64_t since = busy_since_ms_.load();
    return std::chrono::milliseconds(since == 0 ? 0 : std::max<int64_t>(0, steady_ms() - since));
  }

  void begin_drain() {
    draining_ = true;
    log::info("engine", "draining: no timer fires and no new action starts; running actions may finish");
  }

  bool wait_drained(std::chrono::steady_clock::time_point deadline) {
    while (true) {
      bool drained;
      {
        std::lock_guard lock(inbox_->mutex);
        drained = inbox_->queue.empty() && !inbox_->applying && parked_.load() == 0;
      }
      if (drained) {
        std::lock_guard lock(running_state_->mutex);
        drained = running_state_->flags.empty();
      }
      if (drained) return true;
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  void finish() {
    draining_ = true;
    stop_heartbeat(false);
    {
      std::lock_guard lock(inbox_->mutex);
      inbox_->finishing = true;
    }
    inbox_->wake.notify_all();
    if (loop_.joinable()) loop_.join();
    // The lease ends once the last batch committed: what this node leaves
    // RUNNING (not started, or cut) another node adopts at once.
    expire_lease();
  }

  template <class T>
  void call(std::function<Result<T>(Step&)> op, std::function<void(Result<T>)> done) {
    inbox_->post(make_call<T>([op = std::move(op)](Step& step, storage::Transaction&) { return op(step); },
                              std::move(done)));
  }

  bool idle() const {
    {
      std::lock_guard lock(inbox_->mutex);
      if (!inbox_->queue.empty() || inbox_->applying) return false;
    }
    if (parked_.load() > 0) return false;  // a command waits for a worker's evaluation
    size_t running;
    {
      std::lock_guard lock(running_state_->mutex);
      running = running_state_->flags.size();
    }
    return running <= options_.time->sleepers();
  }

  std::optional<Timestamp> next_timer() const {
    return db_.read([&](storage::Transaction& tx) {
      std::optional<Timestamp> at;
      auto calls = tx.delayed_calls()
                       .list({ProjectScope::internal(), {}, {{"execution_time", false}}, std::nullopt, 1})
                       .value();
      if (!calls.empty()) at = calls[0].execution_time;
      auto crons = tx.cron_triggers()
                       .list({ProjectScope::internal(), {}, {{"next_execution_time", false}}, std::nullopt, 1})
                       .value();
      if (!crons.empty() && (!at || crons[0].next_execution_time < *at)) at = crons[0].next_execution_time;
      return at;
    });
  }

  // A command that changes nothing: applying it checks the timers.
  void poke() {
    CallCommand tick;
    tick.run = [](Step&, storage::Transaction&) -> std::function<void()> { return [] {}; };
    tick.fail = [](const Error&) {};
    inbox_->post(std::move(tick));
  }

  void post_write(std::function<std::function<void()>(storage::Transaction&)> change,
                  std::function<void(const Error&)> fail) {
    CallCommand c;
    // The caller's callbacks run on the loop thread, which an exception
    // must not unwind.
    c.run = [change = std::move(change)](Step&, storage::Transaction& tx) -> std::function<void()> {
      return [reply = change(tx)] {
        try {
          reply();
        } catch (const std::exception& e) {
          log::error("engine", "a caller's completion threw: {}", e.what());
        }
      };
    };
    c.fail = [fail = std::move(fail)](const Error& e) {
      try {
        fail(e);
      } catch (const std::exception& e2) {
        log::error("engine", "a caller's completion threw: {}", e2.what());
      }
    };
    inbox_->post(std::move(c));
  }

  void run_action(ActionRunRequest request, std::function<void(Result<storage::ActionExecution>)> done);

  std::optional<storage::WorkflowExecution> wait(const std::string& id, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(mutex_);
    while (true) {
      lock.unlock();
      auto ex = db_.read(
          [&](storage::Transaction& tx) { return tx.workflow_executions().find(id, ProjectScope::internal()); });
      lock.lock();
      if (!ex) return std::nullopt;
      if (ex->state != State::Running && ex->state != State::Idle) return ex;
      if (settled_.wait_until(lock, deadline) == std::cv_status::timeout) {
        lock.unlock();
        auto last = db_.read(
            [&](storage::Transaction& tx) { return tx.workflow_executions().find(id, ProjectScope::internal()); });
        if (last && last->state != State::Running && last->state != State::Idle) return last;
        return std::nullopt;
      }
    }
  }

 private:
  void run() {
    while (true) {
      // A dead node seen by the heartbeat: its actions adopted here, on the
      // loop thread (the spec cache is the loop's).
      if (takeover_due_.exchange(false) && !draining_) adopt_leftovers(/*at_start=*/false);
      std::vector<Command> batch;
      {
        std::unique_lock lock(inbox_->mutex);
        // Timers are checked at least every tick, commands apply at once.
        // A backlog of cheap actions is taken up at once too.
        if (instant_backlog_.empty())
          inbox_->wake.wait_for(lock, kTimerTick,
                                [&] { return inbox_->closed || inbox_->finishing || !inbox_->queue.empty(); });
        if (inbox_->finishing && !inbox_->closed) {
          // The last batch: what is queued applies (results that arrived
          // in time commit), then the engine winds down.
          while (!inbox_->queue.empty()) {
            batch.push_back(std::move(inbox_->queue.front()));
            inbox_->queue.pop_front();
          }
          inbox_->applying = true;
          lock.unlock();
          busy_since_ms_ = steady_ms();
          apply(batch);
          wind_down();
          busy_since_ms_ = 0;
          return;
        }
        if (inbox_->closed) {
          // Callers waiting for a start get an answer, not a hang.
          for (auto& c : inbox_->queue)
            if (auto* s = std::get_if<CallCommand>(&c)) s->fail(Error{ErrorKind::Unavailable, "the engine is stopping"});
          inbox_->queue.clear();
          return;
        }
        while (!inbox_->queue.empty() && batch.size() < options_.max_batch) {
          batch.push_back(std::move(inbox_->queue.front()));
          inbox_->queue.pop_front();
        }
        inbox_->applying = true;
      }
      busy_since_ms_ = steady_ms();
      apply(batch);
      busy_since_ms_ = 0;
      // Cheap actions left in the backlog are work in progress: the engine
      // is not idle (Engine::idle) until the next batches take them up.
      bool more = !instant_backlog_.empty();
      std::lock_guard lock(inbox_->mutex);
      inbox_->applying = more;
    }
  }

  // -- Several nodes (docs/STORAGE.md "Several nodes") --------------------

  static std::string default_node_id() {
    char host[256] = {0};
    if (gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "localhost");
    return std::string(host) + "_" + std::to_string(getpid());
  }

  storage::NodeRow own_row(Timestamp now) const {
    storage::NodeRow row;
    row.id = options_.cluster.node_id;
    char host[256] = {0};
    if (gethostname(host, sizeof host - 1) == 0) row.host = host;
    row.pid = getpid();
    row.started_at = started_at_;
    row.heartbeat_at = now;
    row.lease_expires_at = now + std::chrono::duration_cast<std::chrono::microseconds>(options_.cluster.lease);
    return row;
  }

  // Takes over what stopped nodes left running, in a transaction of its
  // own: each dead node's row is removed by exactly one node (a conditional
  // delete), which adopts that node's RUNNING actions and counts the
  // crash-loop guard for their executions; then their recovery is queued
  // as a command. Alone on the database (SQLite, or an engine that does not
  // register), every other node is dead: whatever is RUNNING and not this
  // node's is adopted at start, as a single process recovers at start.
  // At start the node also registers, and adopts the actions of rows
  // older than schema version 9 (no node) and those a former run under
  // its own node id left.
  void adopt_leftovers(bool at_start) {
    const bool alone = !options_.cluster.register_node || !db_.shared_by_nodes();
    std::vector<std::string> adopted;
    std::vector<std::string> failed;
    try {
      int64_t seq = 0;
      bool to_publish = false;
      db_.write([&](storage::Transaction& tx) {
        adopted.clear();
        failed.clear();
        Timestamp now = now_utc();
        if (at_start && options_.cluster.register_node) tx.register_node(own_row(now));
        if (at_start) {
          // This node's own id on RUNNING actions at start: a former run
          // under the same [cluster] node_id, which is gone. (First: the
          // adoptions below give actions this id too.)
          adopted = tx.adopt_running_actions(options_.cluster.node_id, options_.cluster.node_id);
        }
        // Alone, every other node is dead. Otherwise a node is dead when
        // its lease lapsed and, after start, when this node's heartbeat
        // saw it silent for a whole lease (PeerWatch: a stall of the
        // database that stopped every heartbeat kills no one).
        std::vector<std::string> silent;
        if (!at_start && !alone) {
          std::lock_guard lock(heartbeat_mutex_);
          silent = silent_peers_;
        }
        std::vector<std::string> dead;
        for (const auto& node : tx.list_nodes()) {
          if (node.id == options_.cluster.node_id) continue;
          bool watched_dead = at_start || std::find(silent.begin(), silent.end(), node.id) != silent.end();
          if (alone || (node.lease_expires_at <= now && watched_dead)) dead.push_back(node.id);
        }
        for (const auto& id : dead) {
          if (!tx.remove_node_if_dead(id, alone ? std::nullopt : std::optional<Timestamp>(now))) continue;
          auto ids = tx.adopt_running_actions(id, options_.cluster.node_id);
          log::warning("engine", "node {} is gone ({}): node {} takes over its {} running actions", id,
                       alone ? "this node is alone on its database" : "its lease lapsed", options_.cluster.node_id,
                       ids.size());
          adopted.insert(adopted.end(), ids.begin(), ids.end());
        }
        if (at_start) {
          auto ids = alone ? tx.adopt_all_running_actions(options_.cluster.node_id)
                      : tx.adopt_running_actions(std::nullopt, options_.cluster.node_id);
          adopted.insert(adopted.end(), ids.begin(), ids.end());
        }
        Step step(tx, expr_, specs_, options_);
        if (at_start) recovering_.clear();
        step.count_recovery_attempts(adopted, at_start, options_.max_recovery_attempts, recovering_, failed);
        seq = step.last_event_seq();
        to_publish = step.wrote_events_to_publish();
      });
      events_.committed(seq, to_publish);
    } catch (const std::exception& e) {
      // Nothing was adopted (the transaction rolled back): the next
      // heartbeat tries again; at start, the next start does.
      log::error("engine", "taking over the work of stopped nodes failed: {}", e.what());
      if (!at_start) takeover_due_ = true;
      return;
    }
    for (const auto& id : failed)
      log::error("engine",
                 "execution {} was failed: bora stopped {} times while recovering it ([engine] "
                 "max_recovery_attempts)",
                 id, options_.max_recovery_attempts);
    if (!at_start && adopted.empty()) return;
    CallCommand recovery;
    recovery.run = [adopted](Step& step, storage::Transaction&) -> std::function<void()> {
      step.recover(adopted);
      return [] {};
    };
    recovery.fail = [](const Error& e) {
      // Stopped before it ran (a process that only lists its routes): the
      // actions stay this node's, and whoever adopts them next recovers.
      if (e.kind == ErrorKind::Unavailable) log::info("engine", "recovery not run: {}", e.message);
      else log::error("engine", "recovery failed: {}", e.message);
    };
    inbox_->post(std::move(recovery));
  }

  // The heartbeat thread: renews this node's lease, and looks for nodes
  // whose lease lapsed (a read; the takeover itself runs on the loop).
  void beat() {
    std::unique_lock lock(heartbeat_mutex_);
    while (!heartbeat_stop_) {
      heartbeat_wake_.wait_for(lock, options_.cluster.heartbeat_interval, [&] { return heartbeat_stop_; });
      if (heartbeat_stop_) break;
      lock.unlock();
      try {
        bool renewed = false;
        std::vector<PeerWatch::Peer> peers;
        std::vector<std::string> lapsed;
        db_.write([&](storage::Transaction& tx) {
          // The time of the write itself: a write that waited for the
          // database does not start its lease in the past.
          Timestamp now = now_utc();
          peers.clear();
          lapsed.clear();
          renewed = tx.renew_node(options_.cluster.node_id, now,
                                  own_row(now).lease_expires_at);
          if (!renewed) tx.register_node(own_row(now));
          for (const auto& node : tx.list_nodes()) {
            if (node.id == options_.cluster.node_id) continue;
            peers.push_back({node.id, node.heartbeat_at});
            if (node.lease_expires_at <= now) lapsed.push_back(node.id);
          }
        });
        auto silent = peer_watch_.observe(std::chrono::steady_clock::now(), peers);
        std::vector<std::string> dead;
        for (const auto& id : silent)
          if (std::find(lapsed.begin(), lapsed.end(), id) != lapsed.end()) dead.push_back(id);
        bool others_dead = !dead.empty();
        if (lapsed.size() > dead.size())
          log::info("engine", "{} node(s) with a lapsed lease not yet silent for [cluster] lease_seconds of this "
                              "node's own heartbeats (the database stalled?): not taken over yet", lapsed.size() - dead.size());
        {
          std::lock_guard lock(heartbeat_mutex_);
          silent_peers_ = std::move(dead);
        }
        if (!renewed)
          log::error("engine",
                     "node {} was taken for dead (no heartbeat for [cluster] lease_seconds) and registered again; "
                     "the actions it ran were adopted by another node, their results here are dropped",
                     options_.cluster.node_id);
        if (others_dead) {
          takeover_due_ = true;
          inbox_->wake.notify_one();
        }
        stop_actions_ended_elsewhere();
      } catch (const std::exception& e) {
        log::warning("engine", "heartbeat of node {} failed: {}", options_.cluster.node_id, e.what());
      }
      lock.lock();
    }
  }

  // A cancel, a pause-then-cancel or a task timeout applied by another
  // node marks this node's running actions CANCELLED (or ERROR) in the
  // database; nothing else tells this node. At each heartbeat it reads
  // the rows of the actions its executor runs and stops those that are
  // no longer RUNNING as its own (cancelled, timed out, completed through
  // the API, adopted by another node, deleted): within a heartbeat, as a
  // cancel on this node stops them at once. Their results are dropped on
  // arrival (the rows are not RUNNING, or not this node's).
  void stop_actions_ended_elsewhere() {
    if (!db_.shared_by_nodes() || !options_.cluster.register_node) return;  // one node: its own cancels stop its actions directly
    std::vector<std::string> ids;
    {
      std::lock_guard lock(running_mutex_);
      ids.reserve(running_.size());
      for (const auto& [id, action] : running_)
        if (!action->cancelled.load()) ids.push_back(id);
    }
    if (ids.empty()) return;
    auto stop = db_.read([&](storage::Transaction& tx) { return tx.actions_to_stop(options_.cluster.node_id, ids); });
    if (stop.empty()) return;
    log::info("engine", "stopping {} action(s) ended by another node (cancelled, timed out or taken over): {}{}",
              stop.size(), stop.front(), stop.size() > 1 ? ", ..." : "");
    stop_actions(stop);
  }

  void stop_heartbeat(bool expire) {
    {
      std::lock_guard lock(heartbeat_mutex_);
      heartbeat_stop_ = true;
    }
    heartbeat_wake_.notify_all();
    if (heartbeat_.joinable()) heartbeat_.join();
    if (expire) expire_lease();
  }

  // A node that stops on purpose ends its lease at once rather than let it
  // lapse: the others take over its leftovers at their next heartbeat.
  void expire_lease() {
    if (!options_.cluster.register_node || lease_expired_) return;
    lease_expired_ = true;
    try {
      db_.write([&](storage::Transaction& tx) {
        Timestamp now = now_utc();
        tx.renew_node(options_.cluster.node_id, now, now);
      });
    } catch (const std::exception& e) {
      log::warning("engine", "ending the lease of node {} failed ({}); it lapses after [cluster] lease_seconds",
                   options_.cluster.node_id, e.what());
    }
  }

  // Whether this batch asks storage for due timers (timers_due): always
  // when the loop woke with no command (its tick, a poke), else only when
  // a tick has passed since the last question or a timer this node
  // scheduled is due. On a database server that read is four round trips
  // (its transaction and two counts) ahead of every batch's transaction;
  // a timer another node scheduled, or a cron trigger, still fires within
  // a tick, as before.
  bool timers_may_be_due(bool woke_without_command) {
    if (woke_without_command) return true;
    if (own_timer_due_ && *own_timer_due_ <= options_.time->now()) return true;
    return std::chrono::steady_clock::now() - last_timer_check_ >= kTimerTick;
  }

  // True when a delayed call is due (a cheap read, so an idle engine does
  // not open write transactions).
  bool timers_due() {
    last_timer_check_ = std::chrono::steady_clock::now();
    auto now = options_.time->now();
    // The timers of this node due by now are fired by this batch (or were
    // by another node): asked again at the next tick if any is left.
    if (own_timer_due_ && *own_timer_due_ <= now) own_timer_due_.reset();
    std::string at = format_iso_time(now);
    return db_.read([&](storage::Transaction& tx) {
      return tx.delayed_calls()
                     .count({{"execution_time", storage::FilterOp::Lte, {at}}}, ProjectScope::internal())
                     .value() > 0 ||
             tx.cron_triggers()
                     .count({{"next_execution_time", storage::FilterOp::Lte, {at}}}, ProjectScope::internal())
                     .value() > 0;
    });
  }

  // What a try of the batch was applying when an evaluation moved off the
  // loop (compute.h): a command, or a cheap action's result
  // (run_instant_actions), kept as it is needed once the try unwound.
  struct ParkedUnit {
    Command* command = nullptr;
    std::optional<ActionResultCommand> result;
    bool from_backlog = false;
    std::string timer;  // or a fired timer's key (Step::TimerUnits)
  };

  // Each timer or cron trigger the batch fires, applied as a command is
  // (Applying): its own replay, its evaluations sliced, moved off the loop
  // when they outrun the slice (the batch then parks it: park_timer).
  class TimerUnitsOnLoop : public Step::TimerUnits {
   public:
    TimerUnitsOnLoop(Impl& impl, Step& step) : impl_(impl), step_(step) {}
    bool waiting(const std::string& key) const override {
      std::lock_guard lock(impl_.timers_mutex_);
      return impl_.waiting_timers_.count(key) > 0;
    }
    void apply(const std::string& key, const std::function<void()>& fire) override {
      Applying applying(impl_, step_, impl_.timer_replay_for(key));
      try {
        fire();
      } catch (const EvaluationParked&) {
        impl_.parked_unit_ = ParkedUnit{};
        impl_.parked_unit_.timer = key;
        throw;
      }
      impl_.fired_timers_.push_back(key);
    }

   private:
    Impl& impl_;
    Step& step_;
  };

  Replay* timer_replay_for(const std::string& key) {
    if (!offload_.enabled() || offload_off_) return nullptr;
    auto& r = timer_replays_[key];
    if (!r) r = std::make_shared<Replay>();
    return r.get();
  }

  // A timer whose evaluation moved to a worker: not fired (nor claimed)
  // until the worker is done, then the loop is poked and the next batch
  // fires it with the worker's result (its replay).
  void park_timer(const std::string& key) {
    std::shared_ptr<Computed> waiting = timer_replays_.at(key)->waiting;
    count_evaluation_moved();
    ++parked_;
    {
      std::lock_guard lock(timers_mutex_);
      waiting_timers_.insert(key);
    }
    waiting->park([this, key] {
      {
        std::lock_guard lock(timers_mutex_);
        waiting_timers_.erase(key);
        resumed_timers_.push_back(key);
      }
      poke();
      --parked_;  // poked first: idle() never sees neither
    });
  }

  std::vector<std::string> take_resumed_timers() {
    std::lock_guard lock(timers_mutex_);
    return std::exchange(resumed_timers_, {});
  }

  // Replays of timers that fired in a committed batch, or that a batch
  // begun after their worker finished did not find due any more (their
  // execution ended, was deleted): kept only while a timer waits.
  void forget_timer_replays(const std::vector<std::string>& keys) {
    std::lock_guard lock(timers_mutex_);
    for (const auto& key : keys)
      if (!waiting_timers_.count(key)) timer_replays_.erase(key);
  }

  // One command (or cheap action's result) applied inside the batch: its
  // tape bound from the start (a second run draws the same ids and times),
  // its evaluations sliced while they can move off the loop.
  class Applying {
   public:
    Applying(Impl& impl, Step& step, Replay* replay) : impl_(impl), step_(step), bind_(tape(replay)) {
      // Each unit of work is one of Mistral's transactions (step.h).
      step_.new_transaction();
      if (!replay) return;
      for (const auto& c : replay->computed) {
        c->used = false;
        if (c->needs_loop) replay->on_loop = true;
      }
      impl_.offload_.set_current(replay);
      step_.yield_after_ms_ = replay->on_loop ? 0 : impl_.options_.evaluation_slice_ms;
    }
    ~Applying() {
      impl_.offload_.set_current(nullptr);
      step_.yield_after_ms_ = 0;
    }
    Applying(const Applying&) = delete;
    Applying& operator=(const Applying&) = delete;

   private:
    static ReplayTape* tape(Replay* replay) {
      if (!replay) return nullptr;
      replay->tape.rewind();
      return &replay->tape;
    }
    Impl& impl_;
    Step& step_;
    ReplayTape::Bind bind_;
  };

  // The replay state of a command (made at its first run), null when no
  // evaluation can move off the loop.
  Replay* replay_for(Command& c) {
    if (!offload_.enabled() || offload_off_) return nullptr;
    auto& r = replay_of(c);
    if (!r) r = std::make_shared<Replay>();
    return r.get();
  }

  // A command whose evaluation moved to a worker waits for it, out of the
  // queue; it is queued again (at the back) once the worker is done.
  void park(Command c) {
    std::shared_ptr<Computed> waiting = replay_of(c)->waiting;
    count_evaluation_moved();
    ++parked_;
    auto cmd = std::make_shared<Command>(std::move(c));
    waiting->park([inbox = inbox_, cmd, this] {
      inbox->post(std::move(*cmd));
      --parked_;  // queued first: idle() never sees it in neither place
    });
  }

  // One transaction for the whole batch; if it fails, each command again
  // in its own, so that one bad command cannot sink the others. A command
  // whose evaluation moves off the loop is parked and the batch applied
  // again without it (compute.h).
  void apply(std::vector<Command>& batch) {
    // Timers whose worker finished before this batch began are fired by it
    // (or found gone): their replay is dropped once it commits. They are
    // fired whatever the tick says: a batch that dropped their replay
    // without firing them would make them evaluate, move off the loop and
    // park again, for ever when the evaluation takes about a tick.
    std::vector<std::string> resumed = take_resumed_timers();
    // Draining: due timers stay stored; the next start fires them.
    bool fire_timers = !draining_ && (!resumed.empty() || timers_may_be_due(batch.empty())) && timers_due();
    if (batch.empty() && !fire_timers && instant_backlog_.empty()) {
      forget_timer_replays(resumed);  // found gone (or draining: the next start evaluates again)
      return;
    }
    std::vector<ActionJob> jobs;
    std::vector<std::string> to_stop;
    std::vector<trace::Span> spans;  // of what this batch ended (tracing on), sent once committed
    std::vector<std::function<void()>> replies;  // run after the commit
    // instant: run cheap actions inline (not when replaying a failed batch
    // one command at a time: an action result that fails then fails alone,
    // as a command of its own, as it did before actions ran inline).
    std::vector<ActionJob> taken;  // backlog jobs the batch ran
    // Applied again after a parking, the timers draw the same ids and times
    // too (each its own replay: TimerUnits below), and so do the cheap
    // actions' results (by action id).
    job_replays_.clear();
    parked_jobs_.clear();
    offload_off_ = false;
    auto run_batch = [&](std::vector<Command*> commands, bool instant) {
      metrics::Deferred counted;  // what the transaction counts, counted once it commits
      int64_t seq = 0;
      bool to_publish = false;
      bool items_left = false;
      std::optional<Timestamp> earliest_timer;
      db_.write([&](storage::Transaction& tx) {
        // A server backend runs this again after a deadlock or a lost
        // connection (storage/database.h): nothing of an attempt that
        // rolled back is kept. Backlog jobs it ran are still RUNNING in
        // storage: they go to the pool, as after a failed batch.
        replies.clear();
        for (auto& j : taken) dispatch(std::move(j));
        taken.clear();
        Step step(tx, offload_, specs_, options_);
        step.use_items_cache(items_);
        step.use_join_passes(join_passes_);
        step.track_recovering(&recovering_);
        fired_timers_.clear();
        if (fire_timers) {
          TimerUnitsOnLoop units(*this, step);
          step.fire_due_calls(options_.time->now(), options_.cluster.node_id, &units);
          step.fire_due_cron_triggers(options_.time->now(), &units);
        }
        for (Command* c : commands) {
          Applying applying(*this, step, replay_for(*c));
          try {
            if (auto* s = std::get_if<CallCommand>(c)) {
              replies.push_back(s->run(step, tx));
            } else if (auto* a = std::get_if<ActionResultCommand>(c)) {
              step.on_executor_result(a->action_execution_id, a->result);
            }
            step.report_ended_subworkflows();
          } catch (const EvaluationParked&) {
            parked_unit_ = ParkedUnit{c, std::nullopt, false, {}};
            throw;
          }
        }
        if (instant) run_instant_actions(step, taken);
        // Joins satisfied by the batch start after it, as Mistral's
        // scheduled refresh starts them (Step::start_satisfied_joins).
        while (step.start_satisfied_joins())
          if (instant) run_instant_actions(step, taken);
        jobs = std::move(step.jobs());
        drop_parked(jobs);
        to_stop = step.stopped_actions();
        spans = std::move(step.spans_);
        seq = step.last_event_seq();
        to_publish = step.wrote_events_to_publish();
        items_left = !step.items_deferred_.empty();
        earliest_timer = step.earliest_timer_;
      });
      if (earliest_timer && (!own_timer_due_ || *earliest_timer < *own_timer_due_)) own_timer_due_ = earliest_timer;
      counted.commit();
      events_.committed(seq, to_publish);  // committed: the feed's readers may see them now
      // Items left for later (with_items_batch): their timer is due now,
      // and the next batch fires it without waiting for the timer tick.
      if (items_left) poke();
      forget_timer_replays(fired_timers_);
      forget_timer_replays(resumed);
      resumed.clear();
    };
    if (!batch.empty()) observe_batch(batch.size());
    std::vector<Command*> all;
    for (auto& c : batch) all.push_back(&c);
    // Parks what the unit being applied waited for, and forgets what the
    // rolled-back try made.
    auto park_unit = [&]() -> bool {
      ParkedUnit unit = std::move(parked_unit_);
      parked_unit_ = ParkedUnit{};
      jobs.clear();
      replies.clear();
      spans.clear();
      to_stop.clear();
      if (!unit.timer.empty()) {
        park_timer(unit.timer);
      } else if (unit.command) {
        all.erase(std::find(all.begin(), all.end(), unit.command));
        park(std::move(*unit.command));
      } else if (unit.result) {
        // A cheap action's result: parked as the command it would have
        // been; its row is stored RUNNING by the batch (or an earlier one).
        const std::string id = unit.result->action_execution_id;
        parked_jobs_.insert(id);
        if (unit.from_backlog) {
          auto it = std::find_if(taken.begin(), taken.end(),
                                 [&](const ActionJob& j) { return j.action_execution_id == id; });
          if (it != taken.end()) taken.erase(it);
        }
        park(Command(std::move(*unit.result)));
      }
      // The backlog's jobs the rolled-back try took are taken again.
      instant_backlog_.push_front(std::move(taken));
      taken.clear();
      return unit.command || unit.result || !unit.timer.empty();
    };
    while (true) {
      try {
        run_batch(all, true);
        break;
      } catch (const EvaluationParked&) {
        if (!park_unit()) {
          // Nothing to park (never expected): the batch again with every
          // evaluation on the loop, which cannot park.
          log::error("engine", "an evaluation moved off the loop outside a command; applying the batch on the loop");
          offload_off_ = true;
        }
        if (all.empty() && !fire_timers && instant_backlog_.empty()) {
          notify_settled();
          return;
        }
      } catch (const std::exception& e) {
        log::warning("engine", "a batch of {} commands failed ({}); applying them one by one", all.size(), e.what());
        jobs.clear();
        replies.clear();
        spans.clear();  // of a transaction that did not commit
        for (Command* c : std::vector<Command*>(all)) {
          std::vector<ActionJob> kept;
          std::vector<std::string> kept_stops;  // what this command cancelled or timed out
          try {
            run_batch({c}, false);
            kept = std::move(jobs);
            kept_stops = std::move(to_stop);
            emit_spans(spans);
          } catch (const EvaluationParked&) {
            park_unit();
          } catch (const std::exception& e2) {
            log::error("engine", "a command failed: {}", e2.what());
            if (auto* s = std::get_if<CallCommand>(c))
              s->fail(Error{ErrorKind::Internal, std::string("the engine failed: ") + e2.what()});
            replies.clear();
          }
          for (auto& j : kept) dispatch(std::move(j));
          stop_actions(kept_stops);
          for (auto& r : replies) r();
          replies.clear();
          jobs.clear();
          to_stop.clear();
        }
        // The backlog's actions the failed batch ran are still RUNNING in
        // storage: they run on the pool and their results come back as
        // commands of their own.
        for (auto& j : taken) dispatch(std::move(j));
        notify_settled();
        return;
      }
    }
    emit_spans(spans);
    for (auto& r : replies) r();
    hand_over(jobs);
    stop_actions(to_stop);
    notify_settled();
  }

  // Jobs of cheap actions whose results were parked: the parked command
  // takes their result, nobody runs them.
  void drop_parked(std::vector<ActionJob>& jobs) const {
    if (parked_jobs_.empty()) return;
    jobs.erase(std::remove_if(jobs.begin(), jobs.end(),
                              [&](const ActionJob& j) { return parked_jobs_.count(j.action_execution_id) > 0; }),
               jobs.end());
  }

  // A cheap action's result applied inside the batch (run_instant_actions).
  void apply_inline(Step& step, const ActionJob& job, bool from_backlog) {
    executor::ActionResult result = executor::run_std_action(job.action_name, job.input, job.context);
    Replay* replay = nullptr;
    if (offload_.enabled() && !offload_off_) {
      auto& r = job_replays_[job.action_execution_id];
      if (!r) r = std::make_shared<Replay>();
      replay = r.get();
    }
    Applying applying(*this, step, replay);
    try {
      step.on_executor_result(job.action_execution_id, result);
      step.report_ended_subworkflows();
    } catch (const EvaluationParked&) {
      parked_unit_ = ParkedUnit{
          nullptr, ActionResultCommand{job.action_execution_id, result, job_replays_[job.action_execution_id]},
          from_backlog, {}};
      throw;
    }
  }

  // Cheap std actions (executor::is_instant_std_action: std.noop, std.fail,
  // std.echo without a delay) of tasks run here, inside the batch's
  // transaction: their results apply at once, and the cheap actions those
  // results start are taken up in turn, so a chain of such tasks costs one
  // commit and no thread hop instead of one of each per step. The rows
  // stored are the same (the action execution is created RUNNING, then
  // completed). At most options_.max_inline_actions per batch: the rest wait
  // in instant_backlog_ for the next batches (oldest first), after the
  // commands queued meanwhile, so one huge workflow cannot hold the loop and
  // the others; they never take the pool's queue (100 000 items would each
  // hold a closure there and a result command in the inbox). `taken`: the
  // backlog jobs this batch ran, put back if its transaction fails.
  void run_instant_actions(Step& step, std::vector<ActionJob>& taken) {
    size_t budget = options_.max_inline_actions;
    while (budget > 0 && !instant_backlog_.empty()) {
      taken.push_back(instant_backlog_.take());
      --budget;
      apply_inline(step, taken.back(), true);
    }
    // The pool's jobs, and cheap ones over the budget, compacted in place in
    // the vectors the step made (100 000 items: one vector, not two).
    std::vector<ActionJob> deferred;
    auto defer = [&](std::vector<ActionJob>&& jobs) {
      if (deferred.empty()) {
        deferred = std::move(jobs);
      } else {
        deferred.reserve(deferred.size() + jobs.size());
        for (auto& j : jobs) deferred.push_back(std::move(j));
      }
    };
    while (!step.jobs().empty()) {
      std::vector<ActionJob> round = std::move(step.jobs());
      step.jobs().clear();
      drop_parked(round);
      size_t kept = 0;
      for (size_t i = 0; i < round.size(); ++i) {
        if (budget > 0 && runs_inline(round[i])) {
          --budget;
          apply_inline(step, round[i], false);
          continue;
        }
        if (kept != i) round[kept] = std::move(round[i]);
        ++kept;
      }
      round.erase(round.begin() + static_cast<std::ptrdiff_t>(kept), round.end());
      defer(std::move(round));
    }
    step.jobs() = std::move(deferred);
  }

  // After a commit: actions go to the pool, cheap ones left over to the
  // backlog.
  void hand_over(std::vector<ActionJob>& jobs) {
    if (std::all_of(jobs.begin(), jobs.end(), [&](const ActionJob& j) { return runs_inline(j); })) {
      instant_backlog_.push(std::move(jobs));  // the vector itself: 100 000 items are not copied
      jobs.clear();
      return;
    }
    std::vector<ActionJob> instant;
    for (auto& j : jobs) {
      if (runs_inline(j)) instant.push_back(std::move(j));
      else dispatch(std::move(j));
    }
    instant_backlog_.push(std::move(instant));
    jobs.clear();
  }

  bool runs_inline(const ActionJob& job) const {
    // max_inline_actions 0: every action goes to the pool (none waits in a
    // backlog that no batch would take up).
    return options_.max_inline_actions > 0 && !job.dynamic && !job.is_async && !job.context.task_execution_id.empty() &&
           (options_.test_crash_on_task.empty() || job.task_name != options_.test_crash_on_task) &&
           executor::is_instant_std_action(job.action_name, job.input);
  }

  // Finished spans go to the exporter, which queues them (never blocks).
  static void emit_spans(std::vector<trace::Span>& spans) {
    for (auto& s : spans) trace::emit(std::move(s));
    spans.clear();
  }

  // Running actions poll their flag (ActionRunContext::cancelled).
  void stop_actions(const std::vector<std::string>& ids) {
    std::lock_guard lock(running_mutex_);
    for (const auto& id : ids)
      if (auto it = running_.find(id); it != running_.end()) it->second->cancelled.store(true);
  }

  void dispatch(ActionJob job) {
    std::string id = job.action_execution_id;
    if (draining_) {
      // Shutting down: the executor takes no new action; this one stays
      // RUNNING and is marked never started by wind_down().
      held_.push_back(std::move(id));
      return;
    }
    auto flag = std::make_shared<RunningAction>();
    {
      std::lock_guard lock(running_mutex_);
      running_[id] = flag;
    }
    log::debug("engine", "action {} ({}) handed to the executor", id, job.action_name);
    job.context.cancelled = &flag->cancelled;
    job.context.time = options_.time.get();
    // Test hook (BORA_TEST_CRASH_ON_TASK, read only when set): the process
    // dies while this task's action runs, as a crashing action would, after
    // the action was stored RUNNING. test_recovery_crash_loop.py uses it.
    bool crash = !options_.test_crash_on_task.empty() && job.task_name == options_.test_crash_on_task;
    // The job holds the clock it sleeps on: it may outlive the engine.
    executor_.submit(
        [job = std::move(job), flag, crash, clock = options_.time, complete = options_.complete_security]() mutable {
          int queued = RunningAction::kQueued;
          if (!flag->phase.compare_exchange_strong(queued, RunningAction::kStarted)) {
            // Withdrawn by finish() before a pool thread took it up: it
            // does not run now (its result would be dropped); the next
            // start runs it.
            return executor::ActionResult::failure(Value("withdrawn: bora was stopping"));
          }
          if (crash) std::abort();
          // What the action logs names its execution, task and span.
          std::string_view tp = job.context.traceparent;
          log::ScopedContext lc(job.context.workflow_execution_id, job.context.task_execution_id,
                                tp.size() >= 52 ? tp.substr(3, 32) : std::string_view(),
                                tp.size() >= 52 ? tp.substr(36, 16) : std::string_view());
          if (complete) job.context.security = complete(job.context.security);
          auto run = [&job](const executor::ActionRunContext& context) {
            if (job.dynamic) return executor::run_dynamic_action(*job.dynamic, job.input, context);
            return executor::run_std_action(job.action_name, job.input, context);
          };
          if (job.timeout.is_null()) return run(job.context);
          return executor::run_within(job.timeout, executor::descriptor_of(job.action_name, job.dynamic.has_value()),
                                      job.action_execution_id, job.context, run);
        },
        [inbox = inbox_, id, running = running_state_](executor::ActionResult result) {
          // Queued before it stops counting as running, so that idle()
          // never sees the result in neither place.
          inbox->post(ActionResultCommand{id, std::move(result)});
          std::lock_guard lock(running->mutex);
          running->flags.erase(id);
        });
  }

  // The end of Engine::finish(), on the loop thread after its last batch:
  // actions not begun are withdrawn, running ones told to stop, the inbox
  // closed (later results are dropped: those actions stay RUNNING for
  // recovery), and the actions created but never run are marked so.
  void wind_down() {
    std::vector<std::string> not_started = std::move(held_);
    held_.clear();
    while (!instant_backlog_.empty()) not_started.push_back(instant_backlog_.take().action_execution_id);
    size_t cut = 0;
    {
      std::lock_guard lock(running_mutex_);
      for (auto& [id, action] : running_) {
        int queued = RunningAction::kQueued;
        if (action->phase.compare_exchange_strong(queued, RunningAction::kWithdrawn)) {
          not_started.push_back(id);
        } else {
          action->cancelled.store(true);
          ++cut;
        }
      }
    }
    {
      std::lock_guard lock(inbox_->mutex);
      inbox_->closed = true;
      inbox_->applying = false;
      for (auto& c : inbox_->queue)
        if (auto* s = std::get_if<CallCommand>(&c)) s->fail(Error{ErrorKind::Unavailable, "the engine is stopping"});
      inbox_->queue.clear();
    }
    if (!not_started.empty()) {
      try {
        db_.write([&](storage::Transaction& tx) {
          for (const auto& id : not_started) {
            auto a = tx.action_executions().find(id, ProjectScope::internal());
            if (!a || a->state != State::Running) continue;
            ItemContext(a->runtime_context).mark_not_started();
            tx.action_executions().update(*a).value();
          }
        });
      } catch (const std::exception& e) {
        // Unmarked, they are recovered as actions that were running.
        log::error("engine", "marking {} actions as not started failed: {}", not_started.size(), e.what());
      }
    }
    if (cut > 0 || !not_started.empty())
      log::warning("engine",
                   "stopped with {} actions still running (stopped, their results dropped) and {} not started; "
                   "the next start recovers them",
                   cut, not_started.size());
    notify_settled();
  }

  void notify_settled() {
    std::lock_guard lock(mutex_);
    settled_.notify_all();
  }

  storage::Database& db_;
  executor::Executor& executor_;
  const ExpressionPort& expr_;
  EngineOptions options_;
  SpecCache specs_{options_.spec_cache_size};  // loop thread only
  std::optional<Timestamp> own_timer_due_;  // loop thread only: timers_may_be_due
  std::chrono::steady_clock::time_point last_timer_check_{};  // loop thread only
  // With-items lists across transactions (loop thread only): twice the
  // largest task's items, at least two million.
  ItemsCache items_{std::max<size_t>(2'000'000, 2 * options_.max_with_items)};
  // Mistral's refresh passes, across batches (join_passes.h).
  JoinPasses join_passes_;
  std::set<std::string> recovering_;       // executions counted at this start (Step::track_recovering)
  // Several nodes: the heartbeat thread (beat()), the takeover it asks the
  // loop for, and when this node started.
  Timestamp started_at_ = now_utc();
  std::thread heartbeat_;
  std::mutex heartbeat_mutex_;
  std::condition_variable heartbeat_wake_;
  bool heartbeat_stop_ = false;
  std::atomic<bool> takeover_due_{false};
  // The heartbeat thread's count of the other nodes' silence, and the
  // nodes it found dead (guarded by heartbeat_mutex_), which the loop's
  // takeover may adopt.
  PeerWatch peer_watch_{options_.cluster.lease, options_.cluster.heartbeat_interval * 3 / 2};
  std::vector<std::string> silent_peers_;
  bool lease_expired_ = false;
  // Evaluations moved off the loop (compute.h): the workers, the port the
  // steps evaluate through, and the commands waiting for a worker.
  ComputePool compute_{options_.compute_workers};
  OffloadingExpressions offload_{expr_, db_, &compute_};
  std::atomic<int64_t> parked_{0};
  // Loop thread, for the batch being applied: the cheap actions' replay
  // states (by action id), the actions whose results were parked, what the
  // last try was applying when it parked.
  std::unordered_map<std::string, std::shared_ptr<Replay>> job_replays_;
  std::set<std::string> parked_jobs_;
  ParkedUnit parked_unit_;
  bool offload_off_ = false;  // this batch evaluates everything on the loop
  // Timers and cron triggers applied as units (TimerUnitsOnLoop): their
  // replays (loop thread), the keys fired by the batch's current try, and,
  // shared with the workers, those waiting for one and those whose worker
  // finished since the last batch began.
  std::unordered_map<std::string, std::shared_ptr<Replay>> timer_replays_;
  std::vector<std::string> fired_timers_;
  mutable std::mutex timers_mutex_;
  std::set<std::string> waiting_timers_;
  std::vector<std::string> resumed_timers_;
 public:
  EventLog events_{db_};  // the durable event log's feed (Engine::events)

 private:
  // Cheap actions over a batch's budget (run_instant_actions), oldest
  // first, kept in the vectors the batches made.
  class Backlog {
   public:
    bool empty() const { return chunks_.empty(); }
    void push(std::vector<ActionJob>&& jobs) {
      if (!jobs.empty()) chunks_.push_back(std::move(jobs));
    }
    // Jobs taken by a batch that was rolled back: first again, in order.
    void push_front(std::vector<ActionJob>&& jobs) {
      if (jobs.empty()) return;
      if (next_ > 0) {
        // The rest of the front chunk goes behind them.
        auto from = chunks_.front().begin() + static_cast<std::ptrdiff_t>(next_);
        std::vector<ActionJob> rest(std::make_move_iterator(from), std::make_move_iterator(chunks_.front().end()));
        chunks_.front() = std::move(rest);
        next_ = 0;
      }
      chunks_.push_front(std::move(jobs));
    }
    ActionJob take() {
      ActionJob job = std::move(chunks_.front()[next_++]);
      if (next_ == chunks_.front().size()) {
        chunks_.pop_front();
        next_ = 0;
      }
      return job;
    }

   private:
    std::deque<std::vector<ActionJob>> chunks_;
    size_t next_ = 0;  // in chunks_.front()
  };
  Backlog instant_backlog_;

  std::shared_ptr<Inbox> inbox_ = std::make_shared<Inbox>();
  // Stop flags of the actions running on the executor, shared with the
  // completion callbacks (which may outlive the engine).
  struct Running {
    std::mutex mutex;
    std::map<std::string, std::shared_ptr<RunningAction>> flags;
  };
  std::shared_ptr<Running> running_state_ = std::make_shared<Running>();
  std::mutex& running_mutex_ = running_state_->mutex;
  std::map<std::string, std::shared_ptr<RunningAction>>& running_ = running_state_->flags;
  std::atomic<bool> draining_{false};
  std::vector<std::string> held_;  // loop thread: actions created while draining, not run
  std::atomic<int64_t> busy_since_ms_{0};  // steady_ms() when the current batch began; 0: waiting
  std::mutex mutex_;  // for settled_
  std::condition_variable settled_;
  std::thread loop_;
  // Read at scrape time (GET /metrics); removed before the members above go.
  std::vector<metrics::CallbackHandle> gauges_ = register_gauges();

  std::vector<metrics::CallbackHandle> register_gauges() {
    auto& r = metrics::Registry::global();
    std::vector<metrics::CallbackHandle> out;
    out.push_back(r.callback("bora_engine_queue_depth", "Commands waiting for the engine's loop.",
                             metrics::Type::Gauge, [inbox = inbox_]() -> std::optional<double> {
                               std::lock_guard lock(inbox->mutex);
                               return static_cast<double>(inbox->queue.size());
                             }));
    out.push_back(r.callback("bora_engine_commands_waiting_for_evaluation",
                             "Commands parked while a compute worker finishes one of their expression evaluations.",
                             metrics::Type::Gauge,
                             [this]() -> std::optional<double> { return static_cast<double>(parked_.load()); }));
    out.push_back(r.callback("bora_engine_actions_running", "Actions handed to the executor pool and not finished.",
                             metrics::Type::Gauge, [running = running_state_]() -> std::optional<double> {
                               std::lock_guard lock(running->mutex);
                               return static_cast<double>(running->flags.size());
                             }));
    // Delayed calls (wait-before/after, retry delays, timeouts) whose time
    // has come and the loop has not fired yet; overdue: for more than a
    // minute, which a loop keeping up (it checks every 50 ms) never shows.
    auto due_since = [this](std::chrono::seconds late) -> std::optional<double> {
      std::string at = format_iso_time(options_.time->now() - late);
      return static_cast<double>(db_.read([&](storage::Transaction& tx) {
        return tx.delayed_calls()
            .count({{"execution_time", storage::FilterOp::Lte, {at}}}, ProjectScope::internal())
            .value();
      }));
    };
    out.push_back(r.callback("bora_delayed_calls_due", "Delayed calls due and not fired yet.", metrics::Type::Gauge,
                             [due_since] { return due_since(std::chrono::seconds(0)); }));
    out.push_back(r.callback("bora_delayed_calls_overdue", "Delayed calls due for more than 60 s and not fired yet.",
                             metrics::Type::Gauge, [due_since] { return due_since(std::chrono::seconds(60)); }));
    return out;
  }
};

// Standalone runs (Mistral's start_action): the lookup is a short read on
// the caller's thread; the action itself runs on the executor pool, never
// on the caller's or the loop's thread.
void Engine::Impl::run_action(ActionRunRequest r, Done<storage::ActionExecution> done) {
  // A std, ad-hoc or dynamic action, as Mistral's start_action finds it;
  // an ad-hoc action's base-input is evaluated here (its expressions see
  // only its input, as in Mistral).
  UnfoldOptions unfold;
  unfold.max_depth = options_.max_adhoc_depth;
  unfold.name_namespace_when_missing = false;
  unfold.direct_run = true;
  Result<UnfoldedAction> unfolded = bad_input("not looked up");
  try {
    unfolded = db_.read([&](storage::Transaction& tx) {
      return unfold_action(catalog::Catalog(tx, r.caller), catalog::Place{r.namespace_, ""}, r.name, r.input, expr_,
                           ExpressionScope{}, unfold);
    });
  } catch (const BoraError& e) {
    return answer(done, Result<storage::ActionExecution>(e.error()));
  }
  if (!unfolded) return answer(done, Result<storage::ActionExecution>(unfolded.error()));
  bool is_async = unfolded->is_async();
  if (r.run_sync && is_async)
    return answer(done, Result<storage::ActionExecution>(bad_input("Action does not support synchronous execution.")));
  if (!r.run_sync && (r.save_result || is_async)) {
    // Stored RUNNING now, completed by its result later.
    return call<storage::ActionExecution>(
        [r](Step& step) {
          return step.start_ad_hoc_action(r.name, r.input, r.description, r.namespace_, r.caller, r.timeout);
        },
        std::move(done));
  }
  // Read from `r` before the call: the second callback moves `r`, and the
  // order in which a call's arguments are built is unspecified (built
  // first, the move left the run without its caller's credentials).
  Value security =
      r.caller.security.is_null() ? Value::dict({{"project_id", Value(r.caller.project_id)}}) : r.caller.security;
  Value timeout = r.timeout;
  bool ad_hoc = r.name != unfolded->base;
  executor_.submit(
      [ad_hoc, base = unfolded->base, input = unfolded->base_input, dynamic = std::move(unfolded->dynamic),
       security = std::move(security), complete = options_.complete_security, timeout = std::move(timeout)] {
        executor::ActionRunContext context;
        context.security = complete ? complete(security) : security;
        context.ad_hoc = ad_hoc;
        auto run = [&](const executor::ActionRunContext& c) {
          if (dynamic) return executor::run_dynamic_action(*dynamic, input, c);
          return executor::run_std_action(base, input, c);
        };
        if (timeout.is_null()) return run(context);
        // Not stored yet: Mistral's message names no action execution.
        return executor::run_within(timeout, executor::descriptor_of(base, dynamic.has_value()), "", context, run);
      },
      [r = std::move(r), shown_input = unfolded->input, done = std::move(done),
       inbox = inbox_](executor::ActionResult result) {
        // The base action's result as it is: Mistral's start_action runs
        // the action itself here (actions.RegularAction.run), which leaves
        // an ad-hoc action's `output:` unapplied; only a scheduled run (one
        // stored first, above) completes through post_process_result.
        // Mistral's start_action: the run's values (description None when
        // not given, its namespace); a stored one is not `accepted` (the
        // column's default: no task took its result).
        storage::ActionExecution a;
        a.name = r.name;
        if (!r.description.empty()) a.description = r.description;
        a.workflow_namespace = r.namespace_;
        a.state = result.failed ? State::Error : State::Success;
        a.input = shown_input;
        a.output = Value::dict({{"result", result.failed ? result.error : result.data}});
        a.accepted = false;
        a.is_sync = true;
        a.project_id = r.caller.project_id;
        a.created_at = now_utc();
        if (!r.save_result) return answer(done, Result<storage::ActionExecution>(std::move(a)));
        // Stored with the loop's next batch; the answer follows the commit.
        // (An engine stopping drops the command, and with it `done`.)
        inbox->post(make_call<storage::ActionExecution>(
            [a](Step&, storage::Transaction& tx) { return tx.action_executions().create(a); }, done));
      });
}

Engine::Engine(storage::Database& db, executor::Executor& executor, const ExpressionPort& expressions,
               EngineOptions options)
    : impl_(std::make_unique<Impl>(db, executor, expressions, std::move(options))) {}

Engine::~Engine() = default;

void Engine::start_workflow(StartRequest request, Done<storage::WorkflowExecution> done) {
  impl_->call<storage::WorkflowExecution>(
      [request = std::move(request)](Step& step) { return step.start_workflow(request); }, std::move(done));
}

void Engine::pause(std::string id, catalog::Caller caller, Done<storage::WorkflowExecution> done) {
  impl_->call<storage::WorkflowExecution>([=](Step& step) {
    step.tx_.lock_tree(storage::TreeOf::Execution, id);  // another node may be running it
    return step.pause_workflow(id, caller);
  },
                                          std::move(done));
}

void Engine::resume(std::string id, Value env, catalog::Caller caller, Done<storage::WorkflowExecution> done) {
  impl_->call<storage::WorkflowExecution>([=](Step& step) {
    step.tx_.lock_tree(storage::TreeOf::Execution, id);
    return step.resume_workflow(id, env, caller);
  },
                                          std::move(done));
}

void Engine::stop(std::string id, std::string state, std::optional<std::string> message, catalog::Caller caller,
                  Done<storage::WorkflowExecution> done) {
  impl_->call<storage::WorkflowExecution>(
      [=](Step& step) {
        step.tx_.lock_tree(storage::TreeOf::Execution, id);
        return step.stop_workflow(id, state, message, caller);
      }, std::move(done));
}

void Engine::rollback(std::string id, std::optional<std::string> message, catalog::Caller caller,
                      Done<storage::WorkflowExecution> done) {
  impl_->call<storage::WorkflowExecution>(
      [=](Step& step) {
        step.tx_.lock_tree(storage::TreeOf::Execution, id);
        return step.rollback_workflow(id, message, caller);
      }, std::move(done));
}

Result<storage::WorkflowExecution> Engine::rollback(const std::string& id, const std::optional<std::string>& message,
                                                    const catalog::Caller& caller) {
  return wait_for<storage::WorkflowExecution>([&](auto done) { rollback(id, message, caller, std::move(done)); });
}

void Engine::rerun_task(std::string id, bool reset, Value env, catalog::Caller caller, bool skip,
                        Done<storage::TaskExecution> done) {
  impl_->call<storage::TaskExecution>([=](Step& step) {
    step.tx_.lock_tree(storage::TreeOf::Task, id);
    return step.rerun_task(id, reset, env, caller, skip);
  },
                                      std::move(done));
}

void Engine::start_action(std::string name, Value input, std::string description, std::string namespace_,
                          catalog::Caller caller, Done<storage::ActionExecution> done) {
  impl_->call<storage::ActionExecution>(
      [=](Step& step) { return step.start_ad_hoc_action(name, input, description, namespace_, caller); },
      std::move(done));
}

void Engine::complete_action(std::string id, executor::ActionResult result, catalog::Caller caller,
                             Done<storage::ActionExecution> done) {
  impl_->call<storage::ActionExecution>(
      [=](Step& step) { return step.complete_action_from_api(id, result, caller); }, std::move(done));
}

void Engine::update_action_state(std::string id, storage::State state, catalog::Caller caller,
                                 Done<storage::ActionExecution> done) {
  impl_->call<storage::ActionExecution>(
      [=](Step& step) { return step.update_action_from_api(id, state, caller); }, std::move(done));
}

void Engine::task_published_global(std::string task_execution_id, Done<Value> done) {
  impl_->call<Value>([id = std::move(task_execution_id)](Step& step) { return step.task_published_global(id); },
                     std::move(done));
}

void Engine::run_action(ActionRunRequest request, Done<storage::ActionExecution> done) {
  impl_->run_action(std::move(request), std::move(done));
}

void Engine::post_write(std::function<std::function<void()>(storage::Transaction&)> change,
                        std::function<void(const Error&)> fail) {
  impl_->post_write(std::move(change), std::move(fail));
}

// The blocking forms wait for the asynchronous ones.

Result<storage::WorkflowExecution> Engine::start_workflow(const StartRequest& request) {
  return wait_for<storage::WorkflowExecution>([&](auto done) { start_workflow(request, std::move(done)); });
}

Result<storage::WorkflowExecution> Engine::pause(const std::string& id, const catalog::Caller& caller) {
  return wait_for<storage::WorkflowExecution>([&](auto done) { pause(id, caller, std::move(done)); });
}

Result<storage::WorkflowExecution> Engine::resume(const std::string& id, const Value& env,
                                                  const catalog::Caller& caller) {
  return wait_for<storage::WorkflowExecution>([&](auto done) { resume(id, env, caller, std::move(done)); });
}

Result<storage::WorkflowExecution> Engine::stop(const std::string& id, const std::string& state,
                                                const std::optional<std::string>& message,
                                                const catalog::Caller& caller) {
  return wait_for<storage::WorkflowExecution>(
      [&](auto done) { stop(id, state, message, caller, std::move(done)); });
}

Result<storage::TaskExecution> Engine::rerun_task(const std::string& id, bool reset, const Value& env,
                                                   const catalog::Caller& caller, bool skip) {
  return wait_for<storage::TaskExecution>(
      [&](auto done) { rerun_task(id, reset, env, caller, skip, std::move(done)); });
}

Result<storage::ActionExecution> Engine::start_action(const std::string& name, const Value& input,
                                                     const std::string& description,
                                                     const std::string& namespace_,
                                                     const catalog::Caller& caller) {
  return wait_for<storage::ActionExecution>(
      [&](auto done) { start_action(name, input, description, namespace_, caller, std::move(done)); });
}

Result<storage::ActionExecution> Engine::complete_action(const std::string& id, const executor::ActionResult& result,
                                                         const catalog::Caller& caller) {
  return wait_for<storage::ActionExecution>(
      [&](auto done) { complete_action(id, result, caller, std::move(done)); });
}

Result<storage::ActionExecution> Engine::run_action(const ActionRunRequest& request) {
  return wait_for<storage::ActionExecution>([&](auto done) { run_action(request, std::move(done)); });
}

std::optional<storage::WorkflowExecution> Engine::wait(const std::string& execution_id,
                                                       std::chrono::milliseconds timeout) {
  return impl_->wait(execution_id, timeout);
}

bool Engine::idle() const { return impl_->idle(); }

std::optional<Timestamp> Engine::next_timer() const { return impl_->next_timer(); }

void Engine::poke() { impl_->poke(); }

std::chrono::milliseconds Engine::busy_for() const { return impl_->busy_for(); }

void Engine::begin_drain() { impl_->begin_drain(); }

bool Engine::wait_drained(std::chrono::steady_clock::time_point deadline) { return impl_->wait_drained(deadline); }

void Engine::finish() { impl_->finish(); }
EventFeed& Engine::events() { return impl_->events_; }


}  // namespace bora::engine
