// engine/engine: the command loop. Commands queue up; the loop applies a
// batch of them in one write transaction, commits, then answers callers,
// wakes waiters and hands new actions to the executor.
#include "bora/engine/engine.h"

#include <condition_variable>
#include <cstdlib>
#include <atomic>
#include <deque>
#include <map>
#include <future>
#include <mutex>
#include <thread>
#include <variant>

#include "bora/core/ids.h"
#include "bora/core/log.h"
#include "step.h"

namespace bora::engine {

namespace {

constexpr std::chrono::milliseconds kTimerTick{50};

// A caller's request: runs inside the batch's transaction, returns what to
// do once it has committed (answer the caller); `fail` answers when the
// command could not be applied at all.
struct CallCommand {
  std::function<std::function<void()>(Step&)> run;
  std::function<void(const Error&)> fail;
};
struct ActionResultCommand {
  std::string action_execution_id;
  executor::ActionResult result;
};
using Command = std::variant<CallCommand, ActionResultCommand>;

// Wraps a Step operation returning Result<T> into a command whose caller
// waits on the future.
template <class T>
std::pair<CallCommand, std::future<Result<T>>> make_call(std::function<Result<T>(Step&)> op) {
  auto promise = std::make_shared<std::promise<Result<T>>>();
  auto future = promise->get_future();
  CallCommand c;
  c.run = [op = std::move(op), promise](Step& step) -> std::function<void()> {
    auto r = std::make_shared<Result<T>>(op(step));
    return [promise, r] { promise->set_value(std::move(*r)); };
  };
  c.fail = [promise](const Error& e) { promise->set_value(e); };
  return {std::move(c), std::move(future)};
}

// The queue is shared with the executor's completion callbacks, which may
// fire after the engine is gone: they then find it closed and drop the
// result (the action stays RUNNING in storage, and recovery handles it).
struct Inbox {
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Command> queue;
  bool closed = false;

  void post(Command c) {
    {
      std::lock_guard lock(mutex);
      if (closed) return;
      queue.push_back(std::move(c));
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
    // The crash-loop guard first, committed on its own, then recovery as
    // the first command the loop applies.
    try {
      db_.write([&](storage::Transaction& tx) {
        Step step(tx, expr_, specs_, options_);
        std::vector<std::string> failed;
        recovering_.clear();
        step.count_recovery_attempts(options_.max_recovery_attempts, recovering_, failed);
        for (const auto& id : failed)
          log::error("engine",
                     "execution {} was failed: bora stopped {} times while recovering it ([engine] "
                     "max_recovery_attempts)",
                     id, options_.max_recovery_attempts);
      });
    } catch (const std::exception& e) {
      log::error("engine", "counting recovery attempts failed: {}", e.what());
    }
    CallCommand recovery;
    recovery.run = [](Step& step) -> std::function<void()> {
      step.recover();
      return [] {};
    };
    recovery.fail = [](const Error& e) {
      // Stopped before it ran (a process that only lists its routes): the
      // next start recovers.
      if (e.kind == ErrorKind::Unavailable) log::info("engine", "recovery not run: {}", e.message);
      else log::error("engine", "recovery failed: {}", e.message);
    };
    inbox_->post(std::move(recovery));
    loop_ = std::thread([this] { run(); });
  }
  ~Impl() {
    {
      std::lock_guard lock(inbox_->mutex);
      inbox_->closed = true;
    }
    inbox_->wake.notify_all();
    loop_.join();
  }

  template <class T>
  Result<T> call(std::function<Result<T>(Step&)> op) {
    auto [command, answer] = make_call<T>(std::move(op));
    inbox_->post(std::move(command));
    return answer.get();
  }

  std::optional<storage::WorkflowExecution> wait(const std::string& id, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(mutex_);
    while (true) {
      lock.unlock();
      auto ex = db_.read(
          [&](storage::Transaction& tx) { return tx.workflow_executions().find(id, ProjectScope::internal()); });
      lock.lock();
      if (!ex) return std::nullopt;
      if (ex->state != "RUNNING" && ex->state != "IDLE") return ex;
      if (settled_.wait_until(lock, deadline) == std::cv_status::timeout) {
        lock.unlock();
        auto last = db_.read(
            [&](storage::Transaction& tx) { return tx.workflow_executions().find(id, ProjectScope::internal()); });
        if (last && last->state != "RUNNING" && last->state != "IDLE") return last;
        return std::nullopt;
      }
    }
  }

 private:
  void run() {
    while (true) {
      std::vector<Command> batch;
      {
        std::unique_lock lock(inbox_->mutex);
        // Timers are checked at least every tick, commands apply at once.
        inbox_->wake.wait_for(lock, kTimerTick, [&] { return inbox_->closed || !inbox_->queue.empty(); });
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
      }
      apply(batch);
    }
  }

  // True when a delayed call is due (a cheap read, so an idle engine does
  // not open write transactions).
  bool timers_due() {
    auto now = now_utc();
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

  // One transaction for the whole batch; if it fails, each command again
  // in its own, so that one bad command cannot sink the others.
  void apply(std::vector<Command>& batch) {
    bool fire_timers = timers_due();
    if (batch.empty() && !fire_timers) return;
    std::vector<ActionJob> jobs;
    std::vector<std::string> to_stop;
    std::vector<std::function<void()>> replies;  // run after the commit
    auto run_batch = [&](std::vector<Command*> commands) {
      db_.write([&](storage::Transaction& tx) {
        Step step(tx, expr_, specs_, options_);
        step.track_recovering(&recovering_);
        if (fire_timers) {
          step.fire_due_calls(now_utc(), node_id_);
          step.fire_due_cron_triggers(now_utc());
        }
        for (Command* c : commands) {
          if (auto* s = std::get_if<CallCommand>(c)) {
            replies.push_back(s->run(step));
          } else if (auto* a = std::get_if<ActionResultCommand>(c)) {
            step.on_action_result(a->action_execution_id, a->result);
          }
        }
        jobs = std::move(step.jobs());
        to_stop = step.stopped_actions();
      });
    };
    std::vector<Command*> all;
    for (auto& c : batch) all.push_back(&c);
    try {
      run_batch(all);
    } catch (const std::exception& e) {
      log::warning("engine", "a batch of {} commands failed ({}); applying them one by one", batch.size(), e.what());
      jobs.clear();
      replies.clear();
      for (auto& c : batch) {
        std::vector<ActionJob> kept;
        std::vector<std::string> kept_stops;  // what this command cancelled or timed out
        try {
          run_batch({&c});
          kept = std::move(jobs);
          kept_stops = std::move(to_stop);
        } catch (const std::exception& e2) {
          log::error("engine", "a command failed: {}", e2.what());
          if (auto* s = std::get_if<CallCommand>(&c))
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
      notify_settled();
      return;
    }
    for (auto& r : replies) r();
    for (auto& j : jobs) dispatch(std::move(j));
    stop_actions(to_stop);
    notify_settled();
  }

  // Running actions poll their flag (ActionRunContext::cancelled).
  void stop_actions(const std::vector<std::string>& ids) {
    std::lock_guard lock(running_mutex_);
    for (const auto& id : ids)
      if (auto it = running_.find(id); it != running_.end()) it->second->store(true);
  }

  void dispatch(ActionJob job) {
    std::string id = job.action_execution_id;
    auto flag = std::make_shared<std::atomic<bool>>(false);
    {
      std::lock_guard lock(running_mutex_);
      running_[id] = flag;
    }
    job.context.cancelled = flag.get();
    // Test hook (BORA_TEST_CRASH_ON_TASK, read only when set): the process
    // dies while this task's action runs, as a crashing action would, after
    // the action was stored RUNNING. test_recovery_crash_loop.py uses it.
    bool crash = !options_.test_crash_on_task.empty() && job.task_name == options_.test_crash_on_task;
    executor_.submit(
        [job = std::move(job), flag, crash] {
          if (crash) std::abort();
          if (job.dynamic) return executor::run_dynamic_action(*job.dynamic, job.input, job.context);
          return executor::run_std_action(job.action_name, job.input, job.context);
        },
        [inbox = inbox_, id, running = running_state_](executor::ActionResult result) {
          {
            std::lock_guard lock(running->mutex);
            running->flags.erase(id);
          }
          inbox->post(ActionResultCommand{id, std::move(result)});
        });
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
  std::string node_id_ = generate_uuid();  // this process, as owner of claimed timers
  std::set<std::string> recovering_;       // executions counted at this start (Step::track_recovering)

  std::shared_ptr<Inbox> inbox_ = std::make_shared<Inbox>();
  // Stop flags of the actions running on the executor, shared with the
  // completion callbacks (which may outlive the engine).
  struct Running {
    std::mutex mutex;
    std::map<std::string, std::shared_ptr<std::atomic<bool>>> flags;
  };
  std::shared_ptr<Running> running_state_ = std::make_shared<Running>();
  std::mutex& running_mutex_ = running_state_->mutex;
  std::map<std::string, std::shared_ptr<std::atomic<bool>>>& running_ = running_state_->flags;
  std::mutex mutex_;  // for settled_
  std::condition_variable settled_;
  std::thread loop_;
};

Engine::Engine(storage::Database& db, executor::Executor& executor, const ExpressionPort& expressions,
               EngineOptions options)
    : impl_(std::make_unique<Impl>(db, executor, expressions, std::move(options))) {}

Engine::~Engine() = default;

Result<storage::WorkflowExecution> Engine::start_workflow(const StartRequest& request) {
  return impl_->call<storage::WorkflowExecution>([request](Step& step) { return step.start_workflow(request); });
}

Result<storage::WorkflowExecution> Engine::pause(const std::string& id, const services::Caller& caller) {
  return impl_->call<storage::WorkflowExecution>([=](Step& step) { return step.pause_workflow(id, caller); });
}

Result<storage::WorkflowExecution> Engine::resume(const std::string& id, const Value& env,
                                                  const services::Caller& caller) {
  return impl_->call<storage::WorkflowExecution>([=](Step& step) { return step.resume_workflow(id, env, caller); });
}

Result<storage::WorkflowExecution> Engine::stop(const std::string& id, const std::string& state,
                                                const std::optional<std::string>& message,
                                                const services::Caller& caller) {
  return impl_->call<storage::WorkflowExecution>(
      [=](Step& step) { return step.stop_workflow(id, state, message, caller); });
}

Result<storage::TaskExecution> Engine::rerun_task(const std::string& id, bool reset, const Value& env,
                                                   const services::Caller& caller, bool skip) {
  return impl_->call<storage::TaskExecution>(
      [=](Step& step) { return step.rerun_task(id, reset, env, caller, skip); });
}

Result<storage::ActionExecution> Engine::start_action(const std::string& name, const Value& input,
                                                     const std::string& description,
                                                     const std::string& namespace_,
                                                     const services::Caller& caller) {
  return impl_->call<storage::ActionExecution>(
      [=](Step& step) { return step.start_ad_hoc_action(name, input, description, namespace_, caller); });
}

Result<storage::ActionExecution> Engine::complete_action(const std::string& id, const executor::ActionResult& result,
                                                         const services::Caller& caller) {
  return impl_->call<storage::ActionExecution>(
      [=](Step& step) { return step.complete_action_from_api(id, result, caller); });
}

std::optional<storage::WorkflowExecution> Engine::wait(const std::string& execution_id,
                                                       std::chrono::milliseconds timeout) {
  return impl_->wait(execution_id, timeout);
}

}  // namespace bora::engine
