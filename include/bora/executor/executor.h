// executor/executor: the pool of threads that run actions, so that a slow
// action (an HTTP call, an SSH command, a sleep) never blocks the engine or
// the API. Jobs are queued in order; the queue is bounded only by memory,
// the number of threads by configuration ([executor] threads).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "bora/executor/action.h"
#include "bora/executor/action_descriptor.h"

namespace bora::executor {

// Looks the std action up, checks and completes its input, runs it; every
// failure (unknown action, bad input, an exception in the action) is an
// ActionResult failure with a message, never an exception.
ActionResult run_std_action(std::string_view name, const Value& input, const ActionRunContext& ctx);

// Mistral's executor text for an exception raised by an action: "The action
// raised an exception [action=Fail action, action_ex_id=..., msg='...']".
// ad_hoc: the action runs as an ad-hoc action's base, and the text names
// Mistral's wrapper, "<mistral.actions.adhoc.AdHocAction object at 0x...>".
std::string raised_message(const ActionDescriptor& action, const std::string& action_execution_id,
                           const std::string& message, bool ad_hoc = false);

class Executor {
 public:
  explicit Executor(size_t threads);
  ~Executor();  // stops taking jobs, waits for the running ones
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Runs job on a pool thread, then on_done(result) on that same thread.
  void submit(std::function<ActionResult()> job, std::function<void(ActionResult)> on_done);

  size_t threads() const { return workers_.size(); }
  size_t pending() const;  // queued, not yet started

 private:
  struct Job {
    std::function<ActionResult()> run;
    std::function<void(ActionResult)> done;
  };
  void work();

  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace bora::executor
