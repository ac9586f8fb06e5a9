// engine/step: what one command does inside one transaction: start a
// workflow, apply an action's result, and everything that follows
// (publishing, transitions, joins, completing the workflow). Actions to run
// are collected and handed to the executor after the commit. The file map:
// docs/ENGINE.md "Where things are".
#pragma once

#include <map>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "bora/core/trace.h"
#include "bora/engine/engine.h"
#include "bora/expr/expression_port.h"
#include "bora/engine/merge_dicts.h"
#include "bora/engine/runtime_context.h"
#include "bora/engine/states.h"
#include "bora/executor/action.h"
#include "bora/executor/dynamic_action.h"
#include "bora/lang/specs.h"
#include "bora/storage/transaction.h"
#include "engine_metrics.h"
#include "items_cache.h"
#include "join_passes.h"
#include "spec_cache.h"

namespace bora::engine {

// Reads of project-owned rows name their scope (storage/list_query.h): the
// owner's (catalog::Caller::owner_of) for anything a definition, an
// expression or a request named; ProjectScope::internal() only to follow a
// reference between rows the engine already holds.
using storage::ProjectScope;

// An action to hand to the executor once the transaction has committed.
struct ActionJob {
  std::string action_execution_id;
  std::string action_name;
  Value input;
  executor::ActionRunContext context;
  bool is_async = false;
  std::optional<executor::DynamicActionCode> dynamic;  // set: run this JavaScript, not a std action
  std::string task_name;                               // for logs and the crash test hook (engine.cpp)
  // A run on its own with params.timeout: seconds it may run
  // (executor/action_timeout.h); null: no limit of its own.
  Value timeout;
};

// One command's work inside one transaction: the transaction's context (the
// data members at the end) and the runners, each defined in the file of its
// concept (named beside each group). Everything is public: the policies
// (policies/) and the runners work on the same context; nothing outside
// src/engine sees this header.

// The clause (on-success, on-error, on-complete, on-skip) by which `from`
// went to the task named `task_name` (its next_tasks); empty when it did
// not (transitions.cpp).
std::string next_event(const storage::TaskExecution& from, const std::string& task_name);
// Whether `from`'s next_tasks name the task `task_name` (transitions.cpp).
bool names_next(const storage::TaskExecution& from, const std::string& task_name);

class Step {
 public:
  Step(storage::Transaction& tx, const ExpressionPort& expressions, SpecCache& specs, const EngineOptions& options)
      : tx_(tx), expr_(expressions), specs_(specs), options_(options) {}
  // The engine's cache of with-items lists (items_cache.h), kept beyond
  // this transaction.
  void use_items_cache(ItemsCache& cache) { items_cache_ = &cache; }
  // The engine's count of Mistral's refresh passes, kept beyond this
  // transaction (join_passes.h).
  void use_join_passes(JoinPasses& passes) { join_passes_ = &passes; }

  // -- The workflow runner (workflow_runner.cpp) --------------------------
  Result<storage::WorkflowExecution> start_workflow(const StartRequest& request);
  // Who asks for an execution: the API (id, description) or a parent task.
  struct ExecutionOrigin {
    std::optional<std::string> id;
    std::string description;
    std::string project_id;
    std::optional<std::string> task_execution_id;
    std::optional<std::string> root_execution_id;
    std::optional<int64_t> index;  // the item of a with-items workflow task
    // The version `def` holds when it is not the latest (a start at a
    // given version); unset: the definition's latest version.
    std::optional<int64_t> workflow_version;
    // The starter's security context (catalog::Caller::security): kept in
    // the execution's context['openstack'] as Mistral does; null: none.
    Value security;
    // The trace it joins, span_id its parent span (tracing.cpp).
    std::optional<trace::SpanContext> trace;
    // Whether the starter is an admin (a named environment of any project).
    bool caller_is_admin = false;
  };
  Result<storage::WorkflowExecution> create_execution(const storage::WorkflowDefinition& def, const Value& input,
                                                      const Value& params, const ExecutionOrigin& origin);
  std::optional<int64_t> latest_version_of(const storage::WorkflowDefinition& def);
  Result<storage::WorkflowExecution> pause_workflow(const std::string& id, const catalog::Caller& caller);
  // Mistral's pause cascade (workflow_handler.pause_workflow and
  // task_handler._on_action_update): running sub-workflows are paused first,
  // their workflow task goes PAUSED, and a paused sub-workflow pauses its
  // parent the same way. Resume undoes it top-down.
  // state_info: the pause's message (Mistral's pause_workflow(msg) gives
  // it to the sub-workflows too).
  void pause_execution(storage::WorkflowExecution& wf_ex, const std::optional<std::string>& state_info = std::nullopt);
  // The running sub-workflows of wf_ex's tasks paused, each task with its
  // own (pause_execution's first part; the `pause` command's too).
  void pause_subworkflows_of(const storage::WorkflowExecution& wf_ex, const std::optional<std::string>& state_info);
  void pause_parent_of(const storage::WorkflowExecution& sub);
  void resume_subworkflows(storage::WorkflowExecution& wf_ex);
  void resume_parent_of(const storage::WorkflowExecution& sub);
  Result<storage::WorkflowExecution> resume_workflow(const std::string& id, const Value& env,
                                                     const catalog::Caller& caller);
  Result<storage::WorkflowExecution> stop_workflow(const std::string& id, const std::string& state,
                                                   const std::optional<std::string>& message,
                                                   const catalog::Caller& caller);
  // Mistral's answer to a state change its state machine refuses (ending a
  // paused execution with SUCCESS, pausing an ended one): 400.
  Error refused_transition(const storage::WorkflowExecution& wf_ex, State to) const;
  // The execution's parsed spec, from the cache or parsed again from the
  // stored execution.
  std::shared_ptr<const lang::WorkflowSpec> spec_of(const storage::WorkflowExecution& wf_ex);
  Result<storage::WorkflowExecution> find_execution(const std::string& id, const catalog::Caller& caller);
  void check_completion(storage::WorkflowExecution& wf_ex);
  // Starts the joins this transaction found satisfied (run_join), once the
  // batch's commands all ran; true when it started any (their actions may
  // be cheap ones to run inline). Mistral starts a join by a refresh that
  // its scheduler runs after the transaction (task_handler.
  // _refresh_task_state), with the context of every inbound task completed
  // by then: a partial join (`join: 2`, `join: one`) over tasks that end
  // together sees them all, as it does in Mistral.
  bool start_satisfied_joins();
  // Its refreshes and starts, as one of Mistral's passes.
  bool start_joins_in_this_pass();
  // While one is alive, check_completion of that execution waits: Mistral
  // checks a workflow's completion after the transaction
  // (check_and_complete, post_tx_queue), so a start task that ends at once
  // (a with-items over nothing) cannot end the workflow before the other
  // start tasks exist. The holder checks once it is done.
  class CompletionHeld {
   public:
    CompletionHeld(Step& step, std::string id) : step_(step), id_(std::move(id)) {
      fresh_ = step_.completion_held_.insert(id_).second;
    }
    ~CompletionHeld() {
      if (fresh_) step_.completion_held_.erase(id_);
    }
    CompletionHeld(const CompletionHeld&) = delete;
    CompletionHeld& operator=(const CompletionHeld&) = delete;

   private:
    Step& step_;
    std::string id_;
    bool fresh_ = false;
  };
  // The tasks of `wf_ex` that match `where`, oldest first: from this
  // transaction's rows when it holds them all (holds_all_tasks_of), tested
  // by `which` (the same condition as `where`), else read.
  std::vector<storage::TaskExecution> tasks_of(const storage::WorkflowExecution& wf_ex,
                                               std::vector<storage::Filter> where,
                                               const std::function<bool(const storage::TaskExecution&)>& which);
  // Ends the workflow in `state`: its output, output-on-error, the event,
  // the report to its parent. An output that cannot be had (an expression
  // error, too large to store) fails the workflow, as Mistral does.
  // result: what a failed workflow's output holds as `result` when it is
  // not the state_info (the `fail` command's msg as mistral_lib's cut()
  // leaves it: a false value as it is, a dict or list its str(); Mistral
  // stores json.dumps of a dict as state_info).
  void finish_workflow(storage::WorkflowExecution& wf_ex, State state,
                       const std::optional<std::string>& state_info, const Value* result = nullptr);
  // The `succeed` engine command: as finish_workflow(SUCCESS), but an
  // output that cannot be had is returned, the workflow left RUNNING, for
  // the task whose transition it was to fail (Mistral evaluates it while
  // handling that task's completion).
  Result<void> succeed_workflow(storage::WorkflowExecution& wf_ex, const std::optional<std::string>& state_info);
  void report_to_parent(const storage::WorkflowExecution& sub);
  // A sub-workflow that ended while it was being started (a task of it
  // that cannot run, a with-items over nothing) completes its parent's task
  // only once the unit of work that started it is through, as Mistral sends
  // a sub-workflow's result to its parent after the transaction
  // (workflows.py _send_result_to_parent_workflow, post_tx_queue). Done from
  // inside the parent's own frames, the completion would be overwritten by
  // their copies of the parent execution and task (a parent's `on-error:
  // fail` ended SUCCESS). Whoever applies a unit of work (the engine loop: a
  // command, an inline action's result; a timer) calls this after it.
  void report_ended_subworkflows();
  enum class OutputFailure { fails_workflow, returned };
  Result<void> end_workflow(storage::WorkflowExecution& wf_ex, State state,
                            const std::optional<std::string>& state_info, OutputFailure on_output_failure,
                            const Value* result = nullptr);

  // -- The task runner (task_runner.cpp) -----------------------------------
  // triggered_by: the task whose transition (`event`: on-success...)
  // starts this one; empty for a start task.
  void run_task(storage::WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec, const lang::TaskSpec& task,
                const Value& in_context, const std::string& triggered_by, const std::string& event = "");
  // Starts the task's action, sub-workflow or items, once no policy holds
  // it back (TaskPolicy::before_start; without `before_start`, none is
  // asked: a join that waited, see run_join).
  void start_action(storage::WorkflowExecution& wf_ex, storage::TaskExecution& task_ex, const lang::TaskSpec& task,
                    bool before_start = true);
  // from_api: the result was sent through the API (completes asynchronous
  // actions too).
  void on_action_result(const std::string& action_execution_id, const executor::ActionResult& result,
                        bool from_api = false);
  // An action cancelled from outside (ActionResult::cancel): it, its task
  // and, at the end, the workflow are CANCELLED, as in Mistral.
  void apply_action_cancel(storage::ActionExecution& a, const Value& error);
  void apply_action_result(const std::string& action_execution_id, const executor::ActionResult& result, bool from_api);
  // The result the executor of this node sends for an action it ran: taken
  // under the lock of the action's execution tree, unless the action is no
  // longer this node's (another node adopted it after this node's lease
  // lapsed: that node recovers it, and this late result is dropped).
  void on_executor_result(const std::string& action_execution_id, const executor::ActionResult& result);
  Result<storage::ActionExecution> update_action_from_api(const std::string& id, State state,
                                                          const catalog::Caller& caller);
  Result<storage::ActionExecution> complete_action_from_api(const std::string& id, const executor::ActionResult& result,
                                                            const catalog::Caller& caller);
  // true when a policy took the result (TaskPolicy::on_result: a retry).
  // state_info: what the task's completion would set.
  bool policies_take_result(storage::WorkflowExecution& wf_ex, storage::TaskExecution& t, bool failed,
                            const Value& result, const std::optional<std::string>& state_info);
  void complete_task(storage::WorkflowExecution& wf_ex, storage::TaskExecution& task_ex, State state,
                     const std::optional<std::string>& state_info, const Value& result);
  // Evaluates and stores what the task publishes for the state it ends in.
  // The publish spec a task ending in `state` publishes with (Mistral's
  // get_publish, merges and their losses included): branch and global are
  // null when absent.
  struct MergedPublish {
    bool exists = false;  // some publish spec applies
    bool merged = false;  // built from an on-clause (else the task's own compiled publish)
    Value branch, global;
  };
  static MergedPublish publish_of(const lang::TaskSpec& task, State state);
  // keep-result: false, tested as written (Mistral's `if not
  // task_spec.get_keep_result()`); drop_result empties the task's action
  // outputs, as Mistral's Task.complete does after publishing.
  static bool drops_result(const lang::TaskSpec& task);
  void drop_result(const storage::TaskExecution& t);
  Result<Value> task_published_global(const std::string& task_execution_id);
  Result<void> publish(storage::WorkflowExecution& wf_ex, storage::TaskExecution& t, const lang::TaskSpec& task,
                       State state, const Value& result);
  // Mistral's force_fail_task after a failure to run a task: the task and
  // the workflow fail with "Failed to run task [error=..., wf=..., task=...]",
  // no on-error; actions this step created for the task are dropped, unless
  // keep_started (a with-items item failing after the items before it were
  // scheduled, as Mistral's scheduling loop leaves them).
  void force_fail_task(storage::WorkflowExecution& wf_ex, storage::TaskExecution& task_ex, const std::string& error,
                       bool keep_started = false);
  // The same after a failure to take an action's result (publish...):
  // "Failed to handle action completion [error=..., wf=..., task=..., action=...]".
  void force_fail_completion(storage::WorkflowExecution& wf_ex, storage::TaskExecution& task_ex,
                             const std::string& error);
  // The same after a failure of its transitions: after a wait-after hold,
  // "Failed to complete task [error=..., wf=..., task=...]".
  void force_fail_transition(storage::WorkflowExecution& wf_ex, storage::TaskExecution& task_ex,
                             const std::string& error);
  void fail_task_and_workflow(storage::WorkflowExecution& wf_ex, storage::TaskExecution& task_ex,
                              const std::string& msg);
  // An action's completion that fails (its ad-hoc output cannot be
  // evaluated): "Failed to complete action [error=..., action=..., task=...]".
  void fail_action_completion(storage::ActionExecution& a, const std::string& error);

  // -- The action launcher (action_launcher.cpp) ---------------------------
  // Creates one action execution of a task and its job; an error when the
  // action cannot be started (bad input, unknown action...).
  // check_only: everything that may fail but the target, nothing created.
  // input: the task's input already evaluated (task_input), or null.
  Result<void> launch_action(storage::WorkflowExecution& wf_ex, storage::TaskExecution& task_ex,
                             const lang::TaskSpec& task, const Value& data, std::optional<int64_t> index,
                             bool check_only = false, const Value* input = nullptr);
  // Mistral's _get_action_input: the task's input (or its dynamic input, a
  // dict) evaluated in `data`, with the environment's defaults for its
  // action (none for a sub-workflow).
  Result<Value> task_input(const storage::WorkflowExecution& wf_ex, const storage::TaskExecution& task_ex,
                           const lang::TaskSpec& task, const Value& data);
  // Mistral's _get_target: evaluated when the action or sub-workflow is
  // scheduled, after its input, and dropped (Mistral 15 sends every action
  // to any executor); an expression that fails fails the task.
  Result<void> evaluate_target(const storage::WorkflowExecution& wf_ex, const storage::TaskExecution& task_ex,
                               const lang::TaskSpec& task, const Value& input);
  // What a task's action or sub-workflow input sees (a compensation's:
  // compensation_scope).
  ExpressionScope call_scope(const storage::WorkflowExecution& wf_ex, const storage::TaskExecution& task_ex);
  // The job that hands a stored RUNNING action to the executor after the
  // commit; wf_ex and t are null for a standalone action.
  void queue_job(const std::string& action_execution_id, const std::string& action_name, const Value& input,
                 bool is_async, std::optional<executor::DynamicActionCode> dynamic,
                 const storage::WorkflowExecution* wf_ex, const storage::TaskExecution* t,
                 std::optional<int64_t> with_items_index = std::nullopt);
  // POST /v2/action_executions (save_result, not run_sync): an action on
  // its own, stored RUNNING and run by the executor.
  Result<storage::ActionExecution> start_ad_hoc_action(const std::string& name, const Value& input,
                                                       const std::string& description,
                                                       const std::string& namespace_,
                                                       const catalog::Caller& caller,
                                                       const Value& timeout = Value());

  // -- Sub-workflows (subworkflows.cpp) ------------------------------------
  // Starts one sub-workflow (index: the with-items item); an error when it
  // cannot be started.
  Result<void> start_subworkflow(storage::WorkflowExecution& wf_ex, storage::TaskExecution& task_ex,
                                               const lang::TaskSpec& task, const Value& data,
                                               std::optional<int64_t> index, const Value* input = nullptr);

  // -- With-items (with_items.cpp) -----------------------------------------
  // Starts the first items of a with-items task (a failure to start it
  // fails it, as force_fail_task).
  void start_with_items(storage::WorkflowExecution& wf_ex, storage::TaskExecution& t, const lang::TaskSpec& task);
  // check_only: evaluate the item's action and input, create nothing;
  // input: the item's input already evaluated (item_input), or null.
  Result<void> launch_item(storage::WorkflowExecution& wf_ex, storage::TaskExecution& task_ex,
                           const lang::TaskSpec& task, const Value& vars, int64_t index, bool check_only = false,
                           const Value* input = nullptr);
  Result<Value> item_input(const storage::WorkflowExecution& wf_ex, const storage::TaskExecution& task_ex,
                           const lang::TaskSpec& task, const Value& vars);
  void with_items_progress(storage::WorkflowExecution& wf_ex, storage::TaskExecution& task_ex, bool item_failed);
  // Starts the items due (up to the concurrency and the transaction's
  // budget), stores the progress, and ends the task once none runs or is
  // left: after an item's end, and after a rerun.
  void settle_with_items(storage::WorkflowExecution& wf_ex, storage::TaskExecution& task_ex,
                         WithItemsProgress& progress);
  // The kContinueWithItems timer: starts the items an earlier transaction
  // left to start ([engine] with_items_batch spent), up to the window.
  void continue_with_items(storage::WorkflowExecution& wf_ex, storage::TaskExecution& task_ex,
                           const lang::TaskSpec& task);
  // Starts items while the window (or concurrency) allows and this
  // transaction's budget lasts (the rest: defer_items); false when a start
  // failed and the task was failed.
  bool start_more_items(storage::WorkflowExecution& wf_ex, storage::TaskExecution& task_ex,
                        const lang::TaskSpec& task, WithItemsProgress& progress, int64_t& running);
  // Items this transaction may still start (EngineOptions::with_items_batch).
  size_t item_start_budget() const;
  // Arms the timer that starts the task's remaining items in a later
  // transaction (once per task and transaction).
  void defer_items(const storage::TaskExecution& task_ex);
  // The items (each with-items variable and its list), evaluated once per
  // transaction and task.
  using WithItemsLists = ItemsCache::Lists;
  Result<std::shared_ptr<const WithItemsLists>> with_items_lists(storage::WorkflowExecution& wf_ex,
                                                                 storage::TaskExecution& task_ex,
                                                                 const lang::TaskSpec& task);
  static Value item_vars(const WithItemsLists& lists, size_t i);

  // -- Transitions (transitions.cpp, joins.cpp, reverse_transitions.cpp) ---
  // A completed task's transitions (Mistral's continue_workflow): its next
  // tasks and engine commands, run. `dispatch` false, for a task that
  // completed while its execution is paused: they are evaluated and its
  // next_tasks noted (an expression that fails fails the task), nothing
  // runs and the task stays unprocessed until the resume.
  void schedule_next(storage::WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec,
                     storage::TaskExecution& task_ex, bool dispatch = true);
  // A transition taken: its clause's event, and an engine command's `msg`
  // evaluated with its condition.
  struct NextTransition {
    lang::Transition transition;
    std::string event;
    std::optional<Value> msg;
  };
  // What an engine command's msg (as evaluated with its condition) gives:
  // the text, the state_info stored, and a failed workflow's output
  // `result` (mistral_lib's cut(msg)).
  struct CommandMessage {
    std::optional<std::string> info, state_info;
    Value result;
  };
  static CommandMessage command_message(const std::optional<Value>& msg);
  // Runs the commands schedule_next chose, in Mistral's dispatcher order.
  // A `pause` command pauses the execution; `rest`, the commands after it,
  // join the backlog the resume runs first (Mistral's command backlog).
  void pause_by_command(storage::WorkflowExecution& wf_ex, const std::optional<std::string>& state_info,
                        const std::vector<HeldCommand>& rest);
  void run_commands(storage::WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec, storage::TaskExecution& t,
                    const std::vector<NextTransition>& next, const Value& outbound);
  // A transition from triggered_by (a task execution id) reached a join.
  void run_join(storage::WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec, const lang::TaskSpec& join,
                const std::string& triggered_by);
  void fail_unsatisfiable_join(storage::WorkflowExecution& wf_ex, storage::TaskExecution& join_ex);
  // A join that can no longer be satisfied ends in ERROR (`why`: "Failed
  // by tasks: [...]"), unless its retry policy evaluates it again later.
  void fail_join(storage::WorkflowExecution& wf_ex, storage::TaskExecution& join_ex, const std::string& why);
  // A satisfied join's in_context (its arrivals' contexts merged) and
  // triggered_by, from its arrivals.
  void join_inbound_context(storage::TaskExecution& t, const lang::TaskSpec& join,
                            const std::vector<storage::TaskExecution>& upstream);
  // Mistral's _reset_actions without the reset flag: a task's failed and
  // cancelled runs stop counting, its successful ones stay accepted.
  void unaccept_failed_runs(const storage::TaskExecution& t);
  // Mistral's continue_task of a join that `wait-after` holds when a
  // refresh finds it still satisfied: it runs again.
  void rerun_held_join(storage::WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec, const lang::TaskSpec& join,
                       storage::TaskExecution& t);
  // The result a completing action gives its (non-with-items) task: the
  // action's, or for a join the task's accepted runs' (a join can run
  // again: run_join, rerun_held_join).
  Value joined_result(const storage::TaskExecution& t, const Value& action_result);
  // The task executions that reached a join (plus triggered_by, when
  // given), in the order they were stored.
  std::vector<storage::TaskExecution> join_arrivals(const storage::WorkflowExecution& wf_ex,
                                                    const lang::WorkflowSpec& spec, const lang::TaskSpec& join,
                                                    const std::string& triggered_by);
  static size_t join_needed(const lang::TaskSpec& join, size_t inbound);
  static std::vector<const lang::TaskSpec*> reverse_needed(const storage::WorkflowExecution& wf_ex,
                                                           const lang::WorkflowSpec& spec);
  void schedule_reverse_next(storage::WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec,
                             storage::TaskExecution& task_ex);

  // -- Rerun and skip (rerun.cpp) ------------------------------------------
  // PUT /v2/tasks/{id} state=RUNNING: a failed task runs again (reset: all
  // over; with-items without reset: only the failed items).
  Result<storage::TaskExecution> rerun_task(const std::string& task_execution_id, bool reset, const Value& env,
                                            const catalog::Caller& caller, bool skip = false);
  // A rerun inside a sub-workflow reopens the failed tasks and executions
  // above it.
  void reopen_parents(const storage::WorkflowExecution& sub);

  // -- Recovery (recovery.cpp) ---------------------------------------------
  // The actions this node adopted (at its start, from a stopped process;
  // later, from a node whose lease lapsed: node_registry.cpp) and still
  // holds: run again (safe-rerun, or never started: ItemContextView::not_started) or
  // failed. Each under the lock of its execution tree.
  void recover(const std::vector<std::string>& adopted);
  // Before recover() and committed apart from it: counts one more recovery
  // attempt for each execution recover() will take up (with `due_timers`,
  // those with a timer already due too, at a start: their ids go into
  // `counted`), and fails (plainly, running nothing) those that already
  // had `limit` (their ids go into `failed`).
  void count_recovery_attempts(const std::vector<std::string>& adopted, bool due_timers, int64_t limit,
                               std::set<std::string>& counted, std::vector<std::string>& failed);
  // The executions counted at this start (the engine's set, loop thread
  // only): the first action result one of them takes sets its count back
  // to zero. Without it, results cost no extra read.
  void track_recovering(std::set<std::string>* counted) { recovering_ = counted; }
  // The execution, its unfinished tasks and running actions, and the
  // executions above it, set to ERROR with `info` by plain updates.
  void fail_without_running(storage::WorkflowExecution& wf_ex, const std::string& info);

  // -- Rollback (rollback.cpp; docs/LANGUAGE.md "Rollback") ---------------
  // A task execution that undoes another (runtime_context.compensates).
  static bool is_compensation(const storage::TaskExecution& t);
  // The execution is rolling back (a rollback record neither done nor failed).
  static bool rolling_back(const storage::WorkflowExecution& wf_ex);
  // RUNNING and not rolling back: forward tasks may start.
  static bool going_on(const storage::WorkflowExecution& wf_ex);
  // The spec a task execution runs: its task's, or for a compensation the
  // task's `compensate:` (null for the rollback of a sub-execution).
  static const lang::TaskSpec* task_spec_of(const lang::WorkflowSpec& spec, const storage::TaskExecution& t);
  // What a compensation's expressions see: task() is the task it undoes.
  ExpressionScope compensation_scope(const storage::WorkflowExecution& wf_ex, const storage::TaskExecution& comp);
  // Starts (or, after a failed or cancelled one, resumes) rolling wf_ex
  // back; report_to: the parent's compensation task waiting for it.
  void begin_rollback(storage::WorkflowExecution& wf_ex, const std::string& cause,
                      const std::optional<std::string>& report_to = std::nullopt);
  // Starts the compensations that may start, ends the rollback when all
  // are done or one failed.
  void rollback_progress(storage::WorkflowExecution& wf_ex);
  void rollback_round(storage::WorkflowExecution& wf_ex);
  Value rollback_plan(const storage::WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec);
  void start_compensation(storage::WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec, const Value& rb,
                          size_t unit);
  void report_rollback(const storage::WorkflowExecution& wf_ex);
  // The API's rollback of a root execution (message: why, else its state_info).
  Result<storage::WorkflowExecution> rollback_workflow(const std::string& id, const std::optional<std::string>& message,
                                                       const catalog::Caller& caller);

  // -- Cancel (cancellation.cpp) --------------------------------------------
  // Unfinished tasks (and their running actions) CANCELLED, as a cancel does.
  void cancel_open_tasks(storage::WorkflowExecution& wf_ex);
  // Mistral's cancel (workflow_handler.stop_workflow with CANCELLED): the
  // sub-executions not completed are cancelled first, recursively, with
  // the same message, then the execution's own running tasks, then the
  // execution (output {"result": <state_info>}). An execution cancelled
  // while it rolls back says so in its state_info (a rollback called
  // again resumes it).
  void cancel_execution(storage::WorkflowExecution& wf_ex, const std::optional<std::string>& message);
  // The sub-executions of the execution's workflow tasks (and of its
  // compensations rolling one back) not completed yet: cancelled with
  // `message`, and the task waiting for each is cancelled with it.
  void cancel_subexecutions(storage::WorkflowExecution& wf_ex, const std::optional<std::string>& message);

  // -- Timers (policies/policy.cpp) and cron triggers (cron_triggers.cpp) --
  // How the loop applies each timer or cron trigger it fires (engine.cpp):
  // as a unit of its own with its own replay, like a command, so that an
  // evaluation the firing starts (a retried task's input, a cron trigger's
  // first tasks) can move off the loop (compute.h); a unit still waiting
  // for its worker is not fired (nor claimed) until the worker is done.
  // Keys: "call:<delayed call id>", "cron:<trigger id>".
  struct TimerUnits {
    virtual ~TimerUnits() = default;
    virtual bool waiting(const std::string& key) const = 0;
    virtual void apply(const std::string& key, const std::function<void()>& fire) = 0;
  };
  // Fires the durable timers that are due (policies); returns how many.
  // units: null fires each in place (on the loop, no slice).
  size_t fire_due_calls(Timestamp now, const std::string& owner, TimerUnits* units = nullptr);
  // Starts the workflows of the cron triggers that are due; returns how many.
  size_t fire_due_cron_triggers(Timestamp now, TimerUnits* units = nullptr);
  // One due trigger: advanced (or deleted when exhausted), its workflow started.
  void fire_cron_trigger(storage::CronTrigger& trigger, Timestamp now);

  // -- The environment (environment.cpp) ----------------------------------
  // params with params.env resolved as Mistral's _get_environment: a name
  // read (as caller), false -> {}, evaluated unless params.evaluate_env is false.
  Result<Value> with_environment(const Value& params, const catalog::Caller& caller);
  // What env() and `$.__env` are in wf_ex's expressions: its root's params.env.
  const Value& environment_of(const storage::WorkflowExecution& wf_ex) const;
  // wf_ex's params.env changed (resume or rerun with an env).
  void environment_changed(const storage::WorkflowExecution& wf_ex);
  // input with wf_ex's env.__actions[action] filled in under it.
  Value with_action_defaults(const storage::WorkflowExecution& wf_ex, const std::string& action,
                             const Value& input) const;

  // -- Data flow (data_flow.cpp) -------------------------------------------
  Value expression_data(const storage::WorkflowExecution& wf_ex, const Value& in_context,
                        const storage::TaskExecution* task_ex) const;
  // What a task's target sees (Mistral's _get_target): the action's input
  // over the task's context, the env, the workflow's context and input.
  Value target_data(const storage::WorkflowExecution& wf_ex, const Value& in_context, const Value& input) const;
  ExpressionScope scope_of(const storage::WorkflowExecution& wf_ex, const storage::TaskExecution* task_ex,
                           const Value& result) const;
  // What one of Mistral's transactions remembers: the answers of task(),
  // tasks(), execution() and executions() (expr::CallCache), and the tasks
  // it created (which a reverse workflow's requirement check in the same
  // transaction does not see: reverse_transitions.cpp).
  // new_transaction: one begins; the loop calls it for each unit of work
  // it applies (a command, an action's result, a timer, a cron firing).
  // ScopedTransaction: what Mistral does in a transaction of its own inside
  // such a unit (a workflow's completion check, a join's start, a
  // sub-workflow's result reaching its parent).
  struct MistralTransaction {
    std::shared_ptr<expr::CallCache> call_cache = std::make_shared<expr::CallCache>();
    std::set<std::string> created_tasks;
  };
  void new_transaction() { mistral_tx_ = MistralTransaction{}; }
  // While one is alive, the task's completion is applied as Mistral's
  // task_handler.complete_task applies it (completing_held_task_).
  class CompletingThroughHandler {
   public:
    CompletingThroughHandler(Step& step, const std::string& task_execution_id) : step_(step) {
      step_.completing_held_task_ = task_execution_id;
    }
    // However the completion leaves (a parked evaluation throws).
    ~CompletingThroughHandler() { step_.completing_held_task_.clear(); }
    CompletingThroughHandler(const CompletingThroughHandler&) = delete;
    CompletingThroughHandler& operator=(const CompletingThroughHandler&) = delete;

   private:
    Step& step_;
  };
  class ScopedTransaction {
   public:
    explicit ScopedTransaction(Step& step) : step_(step), outer_(std::exchange(step.mistral_tx_, MistralTransaction{})) {}
    ~ScopedTransaction() { step_.mistral_tx_ = std::move(outer_); }
    ScopedTransaction(const ScopedTransaction&) = delete;
    ScopedTransaction& operator=(const ScopedTransaction&) = delete;

   private:
    Step& step_;
    MistralTransaction outer_;
  };

  // The engine's "now" for its timing (timers, started_at, finished_at):
  // every engine read of the clock goes through here, so that an injected
  // time source (virtual time in tests) is one change.
  Timestamp now() const { return options_.time->now(); }
  // A new action execution's last_heartbeat: Mistral's column default
  // (whole seconds, utc_now_sec, plus first_heartbeat_timeout).
  Timestamp first_heartbeat() const {
    return std::chrono::floor<std::chrono::seconds>(now()) + options_.first_heartbeat_timeout;
  }

  // -- State changes (state_changes.cpp) ----------------------------------
  // The one seam every observer of a state change hangs on: a runner that
  // has stored a workflow, task or action execution in a new state calls
  // one of these (after the row is stored; from: the state before, none
  // for a new record), and they count the metric, write the workflow trace line
  // and span and the durable event. A new observer goes there, not at the
  // sites. The task metric is counted by set_task_state (below), the one
  // setter of a task's state.
  // What a change does not tell: every site tells all, but for the few
  // that keep an older asymmetry, each named at its site.
  enum class Tell { all, no_event, no_trace };
  void workflow_state_changed(const storage::WorkflowExecution& wf_ex, std::optional<State> from,
                              Tell tell = Tell::all);
  void task_state_changed(const storage::WorkflowExecution& wf_ex, const storage::TaskExecution& t,
                          std::optional<State> from, Tell tell = Tell::all);
  void action_state_changed(const storage::ActionExecution& a, std::optional<State> from);

  // -- Tracing and the workflow trace log (tracing.cpp) --------------------
  // The trace an execution runs under (its span's id in span_id), from
  // what create_execution stored; nullopt when it has none.
  static std::optional<trace::SpanContext> execution_trace(const storage::WorkflowExecution& wf_ex);
  // Stores the origin's trace in the new execution (with tracing on, a
  // new trace when it has none).
  static void attach_trace(storage::WorkflowExecution& wf_ex, const ExecutionOrigin& origin);
  // A state change: the workflow trace line (when on) and, when it ends
  // the record with tracing on, its span (into spans_, sent after commit).
  // from: the state before (none for a new record).
  void traced(const storage::WorkflowExecution& wf_ex, std::optional<State> from);
  void traced(const storage::WorkflowExecution& wf_ex, const storage::TaskExecution& t, std::optional<State> from);
  void traced(const storage::ActionExecution& a, std::optional<State> from);
  // -- Events (event_log.cpp) ----------------------------------------------
  // Writes Mistral's event for a state change just stored (from: the state
  // before, none for a new execution), in this transaction; nothing when
  // the change has no event. Call after the row is updated.
  void task_event(const storage::WorkflowExecution& wf_ex, const storage::TaskExecution& t,
                  std::optional<State> from);
  void workflow_event(const storage::WorkflowExecution& wf_ex, std::optional<State> from);
  void emit_event(const storage::WorkflowExecution& wf_ex, const storage::TaskExecution* t, const std::string& event,
                  std::string payload);
  // The seq of the last event this step wrote (0: none), for the loop to
  // announce after the commit. The events are queued in the transaction
  // (written in multi-row INSERTs, storage::Transaction::queue_event):
  // this writes them.
  int64_t last_event_seq() { return wrote_events_ ? tx_.flush_events() : 0; }
  // Whether some of them have publishers (the notifier's work).
  bool wrote_events_to_publish() const { return wrote_events_to_publish_; }

  // -- What the engine loop takes after the commit -------------------------
  std::vector<ActionJob>& jobs() { return jobs_; }
  // Executions that reached a state a waiter may be waiting for.
  const std::vector<std::string>& settled() const { return settled_; }
  // Running actions to stop (cancelled or timed out) once committed.
  const std::vector<std::string>& stopped_actions() const { return stopped_actions_; }

  // -- The transaction's context -------------------------------------------
  storage::Transaction& tx_;
  const ExpressionPort& expr_;
  SpecCache& specs_;
  const EngineOptions& options_;
  std::vector<ActionJob> jobs_;
  std::vector<std::string> settled_;
  std::vector<std::string> stopped_actions_;
  int starting_subworkflows_ = 0;              // > 0 inside start_subworkflow
  // The task whose completion is being applied through what Mistral does
  // in task_handler.complete_task (wait-after's held completion, a task's
  // timeout: _fail_task_if_incomplete), whose failure reads "Failed to
  // complete task [...]" (force_fail_transition, force_fail_completion).
  // That task only: a sub-workflow it ends reaches its parent's task
  // through on_action_complete, in Mistral's words for that.
  std::string completing_held_task_;
  // The task whose start is being run (start_action): a task that completes
  // while it starts (a with-items over nothing) does so inside Mistral's
  // task_handler.run_task, whose failure reads "Failed to run task [...]".
  std::string starting_task_id_;
  // The joins found satisfied in this transaction, (execution id, task
  // name) in the order found, that start_satisfied_joins starts; the
  // completion check of their executions waits for them. The key of the
  // one it starts (run_join starts that one at once).
  std::vector<std::pair<std::string, std::string>> satisfied_joins_;
  std::string starting_join_;
  // The join task executions a completion affected (Mistral's
  // find_indirectly_affected_task_executions), refreshed once the batch ran.
  std::vector<std::string> joins_to_refresh_;  // in the order found
  // Mistral's refresh passes (join_passes.h): the engine's, or this step's
  // own. Each start_satisfied_joins call is a pass, and so is each failure
  // of a join that nothing can satisfy any more; refresh_pass_ is the pass
  // whose refreshes run now (0: none, an action's completion).
  JoinPasses own_join_passes_;
  JoinPasses* join_passes_ = &own_join_passes_;
  int refresh_pass_ = 0;
  // Runs `refreshes` as a new pass.
  template <class F>
  void in_refresh_pass(F&& refreshes) {
    int outer = std::exchange(refresh_pass_, join_passes_->next_pass());
    struct Restore {
      int& pass;
      int outer;
      ~Restore() { pass = outer; }
    } restore{refresh_pass_, outer};
    refreshes();
  }
  // A direct workflow's tasks reached from each task (any clause), by
  // spec, for that search.
  std::map<const lang::WorkflowSpec*, std::map<std::string, std::vector<std::string>>> outbound_;
  void note_affected_joins(const storage::WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec,
                           const std::string& completed);
  // Mistral's refresh of a waiting join (_refresh_task_state,
  // _get_join_logical_state): one that can no longer be satisfied fails,
  // naming the inbound tasks that ended without triggering it or can no
  // longer be reached; true when it did.
  bool refresh_join(const std::string& join_ex_id);
  // True while a rerun starts a with-items task's items (start_more_items).
  bool starting_rerun_items_ = false;
  // True while a resume schedules what completed during the pause: their
  // `pause` commands are dropped (transitions.cpp).
  bool resuming_held_tasks_ = false;
  std::vector<std::string> ended_while_starting_;  // see report_ended_subworkflows
  std::vector<trace::Span> spans_;  // finished spans, sent once committed
  std::set<std::string>* recovering_ = nullptr;
  bool wrote_events_ = false;
  bool wrote_events_to_publish_ = false;
  // > 0: the scopes this step builds make an evaluation yield after that
  // many ms (ExpressionScope::yield_after_ms); the loop sets it for each
  // command it applies while it can move evaluations off (compute.h).
  int64_t yield_after_ms_ = 0;
  // The Mistral transaction being applied (new_transaction).
  MistralTransaction mistral_tx_;
  // Executions whose completion check waits (CompletionHeld).
  std::set<std::string> completion_held_;
  // Joins (joins.cpp): the arrivals this transaction counted (join key and
  // task execution id), and the join rows it met, by key, so that the next
  // arrival reads the row from the identity map, not by its unique key.
  std::set<std::string> counted_arrivals_;
  std::map<std::string, std::string> join_rows_;
  // With-items (with_items.cpp): the items evaluated in this transaction,
  // by task execution id.
  std::map<std::string, std::shared_ptr<const WithItemsLists>> with_items_lists_;
  // and across transactions (the engine's, set by use_items_cache).
  ItemsCache* items_cache_ = nullptr;
  // Items (actions or sub-workflows) this transaction started, and the
  // tasks whose remaining items it left to a later one (defer_items).
  size_t item_starts_ = 0;
  std::set<std::string> items_deferred_;
  // The earliest due time of the timers this transaction scheduled (the
  // loop then knows a timer of its own is due without asking storage).
  std::optional<Timestamp> earliest_timer_;
  // The definitions start_workflow found in this transaction, by caller and
  // name (a batch of starts of one workflow reads it once).
  std::unordered_map<std::string, storage::WorkflowDefinition> definitions_seen_;
  // Root executions' envs read in this transaction (environment_of).
  mutable std::unordered_map<std::string, Value> root_envs_;
  // Rollback (rollback.cpp): executions whose progress is being computed,
  // and those asked for one more round meanwhile.
  std::set<std::string> rollback_busy_, rollback_again_;
};


// Mistral's check of a task's evaluated input (tasks.py _get_action_input):
// a dict, or none when the task gives none; else its "Wrong dynamic input
// for task: t. Dict type is expected. ..." (action_launcher.cpp).
std::optional<std::string> dynamic_input_problem(const lang::TaskSpec& task, const Value& input);

// A new task execution of `task` in `state` (not stored yet): what every
// task execution starts with (task_runner.cpp).
storage::TaskExecution new_task_execution(const storage::WorkflowExecution& wf_ex, const lang::TaskSpec& task,
                                          State state);
// The one setter of a task execution's state (state_changes.cpp): counts
// the change {from, to} (a new task from NONE) in the transitions metric.
// It counts where the state is set, not where it is stored, so a success
// that fail-on turns into an error counts both changes, as it always has.
void set_task_state(storage::TaskExecution& t, State state);
// Resume and rerun: the given env merged over the execution's params.env
// (data_flow.cpp).
void merge_env(storage::WorkflowExecution& wf_ex, const Value& env);
// A task's outbound context: its in_context updated with what it published
// (data_flow.cpp).
Value outbound_context(const storage::TaskExecution& t);
// The unique key of a join's task execution, the one all arrivals count on
// (joins.cpp); Mistral's dispatcher orders joins by it too.
std::string join_key(const storage::WorkflowExecution& wf_ex, const std::string& task);
// What the retry policy's state_info starts with while a retry waits: a
// task DELAYED, or a failed join left WAITING until its timer evaluates it
// again (retrying_join; Mistral's RetryPolicy, retry.cpp).
inline constexpr const char* kRetryDelayInfo = "Delayed by 'retry' policy";
bool retrying_join(const storage::TaskExecution& t);

// How an expression's storage reads reach a transaction: the step's own
// on the loop, a read snapshot on a compute worker (compute.cpp).
using StorageVia = std::function<Value(const std::function<Value(storage::Transaction&)>&)>;
// Fills task('name'), tasks() and executions() of s (its
// workflow_execution_id set), reading as `owner` through `via`.
void bind_storage_reads(ExpressionScope& s, const storage::ProjectScope& owner, const StorageVia& via);

// What task() and tasks() show of a task execution; the tasks() query.
Value task_user_model(storage::Transaction& tx, const storage::TaskExecution& t);
Value tasks_of(storage::Transaction& tx, const TasksQuery& q, const storage::ProjectScope& scope);

}  // namespace bora::engine
