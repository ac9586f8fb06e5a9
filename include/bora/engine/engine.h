// engine/engine: runs workflow executions. One command loop applies every
// change (a workflow started, an action finished) in batches, each batch in
// one storage transaction; actions run on the executor pool; a change is
// acknowledged only once committed. See docs/ENGINE.md.
//
// Every change has an asynchronous form taking `done`, which the engine
// calls once the change has committed (on its loop thread; for an action
// run on its own, on the executor thread that ran it), or with the error
// that kept it from applying. The API uses these, so no HTTP or handler
// thread waits for a commit. `done` must be quick and must not block: it
// hands the answer on. The blocking forms (same names, no `done`) wait for
// it; they are for the CLI and tests.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "bora/core/error.h"
#include "bora/core/time_source.h"
#include "bora/core/trace.h"
#include "bora/core/value.h"
#include "bora/engine/event_feed.h"
#include "bora/engine/random_source.h"
#include "bora/expr/expression_port.h"
#include "bora/executor/executor.h"
#include "bora/catalog/caller.h"
#include "bora/storage/database.h"

namespace bora::engine {

// The engine evaluates expressions through expr's port (and fills its
// scope with what task(), execution(), tasks()... need).
using expr::ExecutionsQuery;
using expr::ExpressionPort;
using expr::ExpressionScope;
using expr::TasksQuery;

// Several nodes on one database (issue 14; docs/STORAGE.md "Several
// nodes"): who this engine is, and how it tells the others it is alive.
struct ClusterOptions {
  // [cluster] node_id: this node's name in the registry, in /v2/services and
  // on the actions it runs. Empty: "<host>_<pid>", as Mistral names its
  // service members.
  std::string node_id;
  // Registered in the node registry with a lease renewed every
  // heartbeat_interval; a node whose lease lapsed is dead, and another
  // takes over its running actions. `bora server` registers; an engine
  // that does not (`bora run`, tests) is alone on its database.
  bool register_node = false;
  // [cluster] heartbeat_interval (seconds): how often the lease is renewed
  // and the other nodes' leases checked.
  std::chrono::milliseconds heartbeat_interval{std::chrono::seconds(5)};
  // [cluster] lease_seconds: how long after its last heartbeat a node
  // counts as dead. Larger than a few heartbeats, so that a slow database
  // never makes a live node look dead.
  std::chrono::milliseconds lease{std::chrono::seconds(30)};
};

struct EngineOptions {
  ClusterOptions cluster;
  size_t max_batch = 256;  // commands applied per transaction at most
  // Cheap std actions (std.noop, std.fail, std.echo without a delay) run
  // inside one batch's transaction at most; the rest go to the pool.
  // A bound on the transaction, not a schedule: 1 000 cheap actions and
  // what their results start are already milliseconds of SQL on a server.
  size_t max_inline_actions = 1'000;
  // [engine] compute_workers: threads that finish the expression
  // evaluations too long for the loop (engine/compute.h); 0: every
  // evaluation runs on the loop, whatever it costs.
  size_t compute_workers = 2;
  // [engine] evaluation_slice_ms: how long one evaluation may run on the
  // loop before it moves to a compute worker (the command waits for it,
  // the other executions go on).
  int64_t evaluation_slice_ms = 20;
  // [engine] max_recovery_attempts: starts that may take up an execution's
  // lost work before it is failed instead (a crash-loop guard).
  int64_t max_recovery_attempts = 3;
  // Test hook, from BORA_TEST_CRASH_ON_TASK when set (engine.cpp): the
  // process aborts while an action of this task runs or its timer fires.
  std::string test_crash_on_task;
  // [engine] max_with_items: the most items one with-items task may have.
  // The items are started a window at a time (with_items_window) and each
  // result stays in its action row; what this bounds is the evaluated list
  // and the task's result assembled when the task ends.
  size_t max_with_items = 100'000;
  // [engine] with_items_window: a with-items task without a concurrency
  // starts at most this many items at once (then one more as each ends),
  // so that its memory is bounded whatever its size; 0: all at once, as
  // Mistral does.
  size_t with_items_window = 10'000;
  // [engine] with_items_batch: at most this many items (actions or
  // sub-workflows) are started in one transaction, over all with-items
  // tasks; the window's rest starts in the next ones (a durable timer due
  // at once). This bounds the transaction that answers the POST of a
  // 10 000-item task, and each one after it; 0: no bound.
  size_t with_items_batch = 200;
  // [engine] max_adhoc_depth: how many ad-hoc actions one may be built on
  // (an ad-hoc action whose base is an ad-hoc action, and so on) before the
  // task fails; a chain that long is a definition built on itself.
  int64_t max_adhoc_depth = 100;
  // [action_heartbeat] first_heartbeat_timeout (Mistral's option, its
  // default): an action execution's last_heartbeat starts this far after
  // its creation, as Mistral's column default sets it. Bora watches nodes,
  // not actions (a dead node's actions are adopted, docs/STORAGE.md), so it
  // is shown, not renewed.
  std::chrono::seconds first_heartbeat_timeout{3600};
  // [engine] execution_field_size_limit_kb (Mistral's option, its default):
  // the most KiB of an execution's input, output, params or published
  // value; -1: no limit.
  int64_t execution_field_size_limit_kb = 1024;
  // Where "now" comes from for timers (wait-before/after, retry delays,
  // timeouts, cron) and for the actions that sleep. The workflow case
  // runner gives a VirtualTime and moves it itself (idle(), next_timer(),
  // poke()).
  std::shared_ptr<const TimeSource> time = system_time();
  // [engine] spec_cache_size: parsed specs of running executions kept in
  // memory (least recently used dropped first); one not kept is parsed
  // again from storage when needed.
  size_t spec_cache_size = 1000;
  // [notifier] notify: server-wide publishers (a list of dicts, as in
  // params.notify) that every execution started from outside (API, cron,
  // `bora run`) gets appended to its params.notify, as Mistral's engine
  // does; sub-workflows inherit them with their parent's.
  Value notify;
  // Where retry jitter draws from (docs/LANGUAGE.md); tests give a seeded
  // one so that the delays are repeatable.
  std::shared_ptr<RandomSource> random = std::make_shared<RandomSource>();
  // Completes an action's security context (ActionRunContext::security)
  // just before it runs, on the executor thread (it may ask Keystone for a
  // cron trigger's trust-scoped token): identity/security_resolver.h. Unset:
  // the action sees what the execution stored.
  std::function<Value(const Value&)> complete_security;
};

struct StartRequest {
  std::optional<std::string> id;          // the client's id for the execution (idempotent)
  std::string workflow;                   // name or id
  std::optional<std::string> namespace_;  // nullopt: any namespace
  Value input;                            // dict or null
  Value params;                           // dict or null (env, ...)
  std::string description;
  // Bora's own: run this version of the workflow's definition (its text as
  // kept by the definition versions) instead of the current one.
  std::optional<int64_t> workflow_version;
  catalog::Caller caller;
  // With tracing on: the trace the execution joins, span_id being its
  // parent (the API call's span). Unset: a new trace when tracing is on.
  std::optional<trace::SpanContext> trace;
  // Written in the transaction that creates the execution, once it is
  // created: both commit or neither (the event dispatcher records there
  // the delivery that started it). Not called when `id` names an
  // execution that exists already.
  std::function<void(storage::Transaction&, const storage::WorkflowExecution&)> with_creation;
};

// POST /v2/action_executions: an action run on its own (Mistral's
// start_action). run_sync: run now, the answer is its result; save_result:
// the run is stored as an action execution. Without run_sync, a saved or
// asynchronous action is stored RUNNING and completes later.
struct ActionRunRequest {
  std::string name;
  Value input;  // dict or null
  std::string description;
  std::string namespace_;  // where a dynamic action of this name is looked up
  catalog::Caller caller;
  bool run_sync = false;
  bool save_result = false;
  // params.timeout: seconds the action may run, as Mistral's executor
  // limits it (executor/action_timeout.h); null: no limit.
  Value timeout;
};

// What an asynchronous call hands its result to.
template <class T>
using Done = std::function<void(Result<T>)>;

class Engine {
 public:
  Engine(storage::Database& db, executor::Executor& executor, const ExpressionPort& expressions,
         EngineOptions options = {});
  ~Engine();  // stops the loop; running actions' results are then dropped
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Creates the execution and its first tasks.
  void start_workflow(StartRequest request, Done<storage::WorkflowExecution> done);
  Result<storage::WorkflowExecution> start_workflow(const StartRequest& request);

  // PUT /v2/executions/{id}: pause (RUNNING -> PAUSED; running actions
  // finish, nothing new starts), resume (PAUSED -> RUNNING, what was held
  // back runs; env merged into params.env), stop (to SUCCESS, ERROR or
  // CANCELLED with a message). On an execution that is not in a state
  // allowing it, they return it unchanged, as Mistral does.
  void pause(std::string id, catalog::Caller caller, Done<storage::WorkflowExecution> done);
  void resume(std::string id, Value env, catalog::Caller caller, Done<storage::WorkflowExecution> done);
  void stop(std::string id, std::string state, std::optional<std::string> message, catalog::Caller caller,
            Done<storage::WorkflowExecution> done);
  Result<storage::WorkflowExecution> pause(const std::string& id, const catalog::Caller& caller);
  Result<storage::WorkflowExecution> resume(const std::string& id, const Value& env, const catalog::Caller& caller);
  Result<storage::WorkflowExecution> stop(const std::string& id, const std::string& state,
                                          const std::optional<std::string>& message, const catalog::Caller& caller);
  // Bora's rollback of a root execution (POST /v2/executions/{id}/rollback;
  // docs/LANGUAGE.md "Rollback"): in-flight tasks are cancelled, then the
  // compensations of the tasks that succeeded run, in reverse; the
  // execution ends in ERROR, "Rolled back after: <why>" (message, else its
  // state_info). Again after a failed or cancelled rollback: resumes it.
  void rollback(std::string id, std::optional<std::string> message, catalog::Caller caller,
                Done<storage::WorkflowExecution> done);
  Result<storage::WorkflowExecution> rollback(const std::string& id, const std::optional<std::string>& message,
                                              const catalog::Caller& caller);
  // PUT /v2/tasks/{id} with state RUNNING: reruns a failed task (reset: all
  // of it; a with-items task without reset: its failed items only); with
  // state SKIPPED (skip): the failed task is skipped and the workflow goes on
  // by its on-skip clause (on-success when it has none).
  void rerun_task(std::string id, bool reset, Value env, catalog::Caller caller, bool skip,
                  Done<storage::TaskExecution> done);
  Result<storage::TaskExecution> rerun_task(const std::string& id, bool reset, const Value& env,
                                            const catalog::Caller& caller, bool skip = false);
  // POST /v2/action_executions with save_result and without run_sync: a
  // std or dynamic action (of the namespace) stored RUNNING, run on the
  // executor, completed later.
  void start_action(std::string name, Value input, std::string description, std::string namespace_,
                    catalog::Caller caller, Done<storage::ActionExecution> done);
  Result<storage::ActionExecution> start_action(const std::string& name, const Value& input,
                                                const std::string& description, const std::string& namespace_,
                                                const catalog::Caller& caller);
  // PUT /v2/action_executions/{id}: the result of an action (typically an
  // asynchronous one) sent by whoever ran it.
  void complete_action(std::string id, executor::ActionResult result, catalog::Caller caller,
                       Done<storage::ActionExecution> done);
  // PUT /v2/action_executions/{id} with state PAUSED or RUNNING (Mistral's
  // on_action_update): an asynchronous action paused pauses its task and
  // the workflow; resumed, it resumes them once nothing else is paused.
  void update_action_state(std::string id, storage::State state, catalog::Caller caller,
                           Done<storage::ActionExecution> done);
  Result<storage::ActionExecution> complete_action(const std::string& id, const executor::ActionResult& result,
                                                   const catalog::Caller& caller);

  // POST /v2/action_executions, every form (ActionRunRequest): the action
  // is looked up (a std action, or a dynamic one of the namespace) and its
  // input checked; a run_sync action runs on the executor pool and `done`
  // gets the finished action execution (not stored, so without id, unless
  // save_result: then stored in the loop's next commit first).
  void run_action(ActionRunRequest request, Done<storage::ActionExecution> done);
  Result<storage::ActionExecution> run_action(const ActionRunRequest& request);

  // Mistral's published_global of a task (GET /v2/tasks/{id}): the `global`
  // publishes of its final state, evaluated now in its context (null when
  // it has none, is not SUCCESS or ERROR, or they fail to evaluate).
  void task_published_global(std::string task_execution_id, Done<Value> done);

  // A service's own change (an execution's description, a deletion): runs
  // in the loop's next write transaction, with the other commands of its
  // batch (one commit), then `done` gets its result. `change` returns its
  // refusals as errors (it must not write before refusing: the
  // transaction commits with the batch).
  template <class T>
  void write(std::function<Result<T>(storage::Transaction&)> change, Done<T> done) {
    auto callback = std::make_shared<Done<T>>(std::move(done));
    post_write(
        [change = std::move(change), callback](storage::Transaction& tx) -> std::function<void()> {
          auto r = std::make_shared<Result<T>>(change(tx));
          return [callback, r] { (*callback)(std::move(*r)); };
        },
        [callback](const Error& e) { (*callback)(Result<T>(e)); });
  }

  // The execution once it is completed (SUCCESS, ERROR, CANCELLED) or
  // paused, or nullopt when the timeout passes first.
  std::optional<storage::WorkflowExecution> wait(const std::string& execution_id, std::chrono::milliseconds timeout);

  // For whoever drives the clock (the workflow case runner, tests): true
  // when no command is queued or being applied and every action on the
  // executor is asleep on the engine's clock (TimeSource::sleepers), so
  // that nothing changes until a timer is due or a request comes.
  bool idle() const;
  // The earliest time a stored timer (a delayed call: wait-before/after,
  // retry delay, timeout; or a cron trigger) is due, if any.
  std::optional<Timestamp> next_timer() const;
  // Checks timers now rather than at the next tick (after the clock moved);
  // idle() is false until that check has been applied.
  void poke();

  // Liveness (GET /readyz): how long the loop has been applying its current
  // batch; zero while it waits for work. A loop stuck in one batch (a
  // commit that does not return, an endless expression) shows here.
  std::chrono::milliseconds busy_for() const;

  // Graceful shutdown (`bora server` on SIGTERM), in three calls.
  // begin_drain(): from now on the loop fires no timers (cron triggers and
  // delayed calls stay stored for the next start) and hands no new action
  // to the executor; commands and the results of running actions still
  // apply and commit. An action created meanwhile stays RUNNING, and
  // finish() marks it as never started so that the next start's recovery
  // runs it (a run that never began is always safe to start).
  void begin_drain();
  // Waits until no action the engine handed to the executor is running and
  // no command waits, or until `deadline`; true when drained.
  bool wait_drained(std::chrono::steady_clock::time_point deadline);
  // Ends the loop after its current batch: actions handed to the executor
  // but not begun are withdrawn (marked never started, as above), running
  // ones are told to stop and their results are dropped (they stay RUNNING
  // for recovery, as after a crash). Later calls fail with Unavailable.
  void finish();
  // The durable event log: every execution's events (Mistral's
  // notification events), written in the transaction of their transition.
  EventFeed& events();

 private:
  // write()'s untyped form: change returns what to call after the commit.
  void post_write(std::function<std::function<void()>(storage::Transaction&)> change,
                  std::function<void(const Error&)> fail);

  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bora::engine
