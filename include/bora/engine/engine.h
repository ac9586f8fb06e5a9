// engine/engine: runs workflow executions. One command loop applies every
// change (a workflow started, an action finished) in batches, each batch in
// one storage transaction; actions run on the executor pool; a change is
// acknowledged only once committed. See docs/ENGINE.md.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "bora/core/error.h"
#include "bora/core/value.h"
#include "bora/expr/expression_port.h"
#include "bora/executor/executor.h"
#include "bora/services/caller.h"
#include "bora/storage/database.h"

namespace bora::engine {

// The engine evaluates expressions through expr's port (and fills its
// scope with what task(), execution(), tasks()... need).
using expr::ExecutionsQuery;
using expr::ExpressionPort;
using expr::ExpressionScope;
using expr::TasksQuery;

struct EngineOptions {
  size_t max_batch = 256;  // commands applied per transaction at most
  std::string callback_base_url;  // e.g. http://127.0.0.1:8989 (std.mistral_http)
  // [engine] max_recovery_attempts: starts that may take up an execution's
  // lost work before it is failed instead (a crash-loop guard).
  int64_t max_recovery_attempts = 3;
  // Test hook, from BORA_TEST_CRASH_ON_TASK when set (engine.cpp): the
  // process aborts while an action of this task runs or its timer fires.
  std::string test_crash_on_task;
  // [engine] max_with_items: the most items one with-items task may have.
  // Each item is an action execution created in one transaction, and the
  // task's result lists every item's result (stored within Mistral's 1 MiB
  // field limit, which cannot hold much more than 100 000 results).
  size_t max_with_items = 100'000;
  // [engine] execution_field_size_limit_kb (Mistral's option, its default):
  // the most KiB of an execution's input, output, params or published
  // value; -1: no limit.
  int64_t execution_field_size_limit_kb = 1024;
  // [engine] spec_cache_size: parsed specs of running executions kept in
  // memory (least recently used dropped first); one not kept is parsed
  // again from storage when needed.
  size_t spec_cache_size = 1000;
};

struct StartRequest {
  std::optional<std::string> id;          // the client's id for the execution (idempotent)
  std::string workflow;                   // name or id
  std::optional<std::string> namespace_;  // nullopt: any namespace
  Value input;                            // dict or null
  Value params;                           // dict or null (env, ...)
  std::string description;
  services::Caller caller;
};

class Engine {
 public:
  Engine(storage::Database& db, executor::Executor& executor, const ExpressionPort& expressions,
         EngineOptions options = {});
  ~Engine();  // stops the loop; running actions' results are then dropped
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Creates the execution and its first tasks; returns once committed.
  Result<storage::WorkflowExecution> start_workflow(const StartRequest& request);

  // PUT /v2/executions/{id}: pause (RUNNING -> PAUSED; running actions
  // finish, nothing new starts), resume (PAUSED -> RUNNING, what was held
  // back runs; env merged into params.env), stop (to SUCCESS, ERROR or
  // CANCELLED with a message). On an execution that is not in a state
  // allowing it, they return it unchanged, as Mistral does.
  Result<storage::WorkflowExecution> pause(const std::string& id, const services::Caller& caller);
  Result<storage::WorkflowExecution> resume(const std::string& id, const Value& env, const services::Caller& caller);
  Result<storage::WorkflowExecution> stop(const std::string& id, const std::string& state,
                                          const std::optional<std::string>& message, const services::Caller& caller);
  // PUT /v2/tasks/{id} with state RUNNING: reruns a failed task (reset: all
  // of it; a with-items task without reset: its failed items only); with
  // state SKIPPED (skip): the failed task is skipped and the workflow goes on
  // by its on-skip clause (on-success when it has none).
  Result<storage::TaskExecution> rerun_task(const std::string& id, bool reset, const Value& env,
                                            const services::Caller& caller, bool skip = false);
  // POST /v2/action_executions with save_result and without run_sync: a
  // std or dynamic action (of the namespace) stored RUNNING, run on the
  // executor, completed later.
  Result<storage::ActionExecution> start_action(const std::string& name, const Value& input,
                                                const std::string& description, const std::string& namespace_,
                                                const services::Caller& caller);
  // PUT /v2/action_executions/{id}: the result of an action (typically an
  // asynchronous one) sent by whoever ran it.
  Result<storage::ActionExecution> complete_action(const std::string& id, const executor::ActionResult& result,
                                                   const services::Caller& caller);

  // The execution once it is completed (SUCCESS, ERROR, CANCELLED) or
  // paused, or nullopt when the timeout passes first.
  std::optional<storage::WorkflowExecution> wait(const std::string& execution_id, std::chrono::milliseconds timeout);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bora::engine
