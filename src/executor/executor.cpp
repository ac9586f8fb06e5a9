// executor/executor: the thread pool and the guarded run of one std action.
#include "bora/executor/executor.h"

#include <fmt/format.h>

#include "bora/core/log.h"
#include "bora/core/python_format.h"
#include "bora/core/utf8.h"
#include "bora/executor/action_descriptor.h"
#include "bora/executor/plugins.h"
#include "bora/executor/std_actions.h"
#include "action_metrics.h"

namespace bora::executor {

ActionResult run_std_action(std::string_view name, const Value& input, const ActionRunContext& ctx) {
  const ActionDescriptor* d = find_std_action(name);
  const ActionFunction* fn = find_std_action_function(name);
  const ActionDescriptor* pack_action = d && !fn ? find_plugin_action(name) : nullptr;
  if (!d || (!fn && !pack_action))
    return ActionResult::failure(Value(fmt::format("Action not found [action_name={}]", name)));
  auto prepared = prepare_action_input(*d, input);
  if (!prepared) return ActionResult::failure(Value(prepared.error().message));
  ActionResult result;
  auto started = std::chrono::steady_clock::now();
  try {
    result = fn ? (*fn)(*prepared, ctx) : run_plugin_action(*pack_action, *prepared, ctx);
  } catch (const std::exception& e) {
    result = ActionResult::raise(e.what());
  } catch (...) {
    result = ActionResult::raise("unknown error");
  }
  if (result.raised)
    result.error = Value(raised_message(*d, ctx.action_execution_id, python_str(result.error), ctx.ad_hoc));
  observe_action(name, result, started);
  return result;
}

std::string raised_message(const ActionDescriptor& action, const std::string& action_execution_id,
                           const std::string& message, bool ad_hoc) {
  // AdHocActionDescriptor.instantiate wraps the base action in an
  // AdHocAction, which has no __repr__ of its own.
  ActionDescriptor wrapper;
  if (ad_hoc) wrapper.class_name = "mistral.actions.adhoc.AdHocAction";
  return fmt::format("The action raised an exception [action={}, action_ex_id={}, msg='{}']",
                     (ad_hoc ? wrapper : action).repr(action_execution_id),
                     action_execution_id.empty() ? "None" : action_execution_id, message);
}

Executor::Executor(size_t threads) {
  if (threads == 0) threads = 1;
  workers_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
}

Executor::~Executor() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& w : workers_) w.join();
}

void Executor::submit(std::function<ActionResult()> job, std::function<void(ActionResult)> on_done) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({std::move(job), std::move(on_done)});
  }
  ready_.notify_one();
}

size_t Executor::pending() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void Executor::work() {
  while (true) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    ActionResult result;
    try {
      result = job.run();
    } catch (const std::exception& e) {
      result = ActionResult::raise(std::string("the action failed: ") + e.what());
    }
    // Actions bring text Bora did not choose (an HTTP body, SSH output).
    // In Mistral such a result is a Python str, which cannot hold bytes
    // that are not UTF-8, so users never see raw bytes there; failing the
    // action over one stray byte would lose a result that is otherwise
    // fine. So the bytes become U+FFFD, as bytes.decode(errors='replace')
    // shows them, here, before expressions read the result and before it
    // is stored. A lone surrogate is kept (core/utf8.h): a str holds it, as
    // std.echo's output of '\ud800' or a JavaScript string does.
    result.data = repair_text_strings(result.data);
    result.error = repair_text_strings(result.error);
    try {
      if (job.done) job.done(std::move(result));
    } catch (const std::exception& e) {
      log::error("executor", "a completion handler failed: {}", e.what());
    }
  }
}

}  // namespace bora::executor
