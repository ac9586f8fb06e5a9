// engine/runtime_context: what the engine keeps in the `runtime_context`
// column of executions, tasks and actions, by name and type in this file
// only. The rest of the engine (and the API, services and CLI that show a
// part of it) reads and writes through these views, never by a key's text.
//
// The views work on the stored Value itself: a key is set where it was
// always set and keeps its place, so the stored JSON (and the API's
// `runtime_context` text) stays byte-identical, and keys another version
// wrote are kept. A missing or mistyped key reads as absent.
//
// Two structures stay their owners' values behind one key each: the
// rollback plan (engine/rollback.cpp, `WorkflowContextView::rollback`) and
// the trace context (engine/tracing.cpp, `WorkflowContextView::trace`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bora/core/value.h"
#include "bora/storage/state.h"

namespace bora::engine {

// A with-items task's progress, as counters (the items are evaluated again
// when more must start): the task's `with_items` key.
struct WithItemsProgress {
  int64_t count = 0;        // items in all
  int64_t next = 0;         // the next item to start
  int64_t concurrency = 0;  // at most this many running at once; 0: no limit
  int64_t done = 0;         // items that ended
  bool failed = false;      // an item failed
  // The items a rerun still has to start (its failed ones, as ranges
  // [first, last) in item order; next is then count). Started a batch at a
  // time as the first run's items are, not all in the rerun's transaction.
  std::vector<std::pair<int64_t, int64_t>> rerun;

  // Items of a rerun not started yet.
  int64_t rerun_left() const;
  // Items started and not ended (running, or paused sub-workflows).
  int64_t running() const;
  // Whether items are left to start (the first run's or a rerun's).
  bool more_to_start() const { return next < count || !rerun.empty(); }
  // The next item to start: the rerun's first, else next.
  int64_t peek_next() const { return rerun.empty() ? next : rerun.front().first; }
  // peek_next(), now counted as started.
  int64_t take_next();
  // The rerun's ranges from the indexes to start again, sorted.
  static std::vector<std::pair<int64_t, int64_t>> ranges_of(const std::vector<int64_t>& sorted_indexes);

  // Missing or mistyped fields read as their defaults.
  static WithItemsProgress from_value(const Value& v);
  Value to_value() const;
};

// The completion a wait-after holds until its timer: the task's
// `wait_after` key.
struct HeldCompletion {
  storage::State state = storage::State::Error;
  std::optional<std::string> state_info;
  Value result;
};

// The part of a compensation task (Bora's rollback, docs/LANGUAGE.md) that
// says what it undoes.
struct Compensation {
  std::string task_execution_id;         // `compensates`: the task execution undone
  int64_t unit = -1;                      // `unit`: its unit in the rollback plan
  Value attempt;                          // `attempt`: the rollback attempt that started it
  std::optional<int64_t> index;           // `index`: the with-items item undone
  std::optional<std::string> rollback_of; // `rollback_of`: the sub-execution rolled back instead
};

// A task execution's runtime_context, read.
class TaskContextView {
 public:
  explicit TaskContextView(const Value& stored) : v_(&stored) {}

  // The last task whose transition started this one (Mistral's
  // `triggered_by` list: [{"task_id", "event"}], a join's every arrival;
  // rows of earlier versions kept the id alone).
  std::optional<std::string> triggered_by() const;
  // Every task of triggered_by, in order (one for an earlier row's id).
  std::vector<std::string> triggered_by_all() const;
  // Retries done so far (the retry policy); absent before the first.
  std::optional<int64_t> retry_no() const;
  // The timeout policy: armed before the first start and again before each
  // retry (Mistral's executor gives every attempt of an action the whole
  // timeout); the seconds as shown in its message (an int when whole); the
  // attempt (retry_no) it was armed for; when the armed timer is due
  // (microseconds since the epoch): a timer of an earlier attempt fires
  // before that and is stale.
  bool timeout_armed() const;
  Value timeout_shown() const;
  int64_t timeout_attempt() const;
  std::optional<int64_t> timeout_due() const;
  // wait-before and pause-before ran (each runs once per task).
  bool wait_before_done() const;
  bool pause_before_done() const;
  // wait-after: the completion held, and whether the hold is over.
  std::optional<HeldCompletion> held_completion() const;
  bool wait_after_done() const;
  // A join waiting: arrivals counted so far; rows of earlier versions kept
  // the arrivals' ids instead (`arrived`).
  size_t arrived_count() const;
  std::vector<std::string> arrived_ids() const;
  // With-items progress; absent for a task without with-items.
  bool has_with_items() const;
  WithItemsProgress with_items() const;
  // How many times the task was rerun (mistral-lib's task_rerun_no): 0
  // before the first rerun.
  int64_t rerun_no() const;
  // A compensation task: what it undoes.
  bool is_compensation() const;
  std::optional<Compensation> compensation() const;
  // A compensation that rolls a sub-execution back: the sub-execution.
  std::optional<std::string> rollback_of() const;

 protected:
  const Value* v_;
};

// A task execution's runtime_context, read and written.
class TaskContext : public TaskContextView {
 public:
  explicit TaskContext(Value& stored) : TaskContextView(stored), w_(&stored) {}

  // Empty (a task starting afresh, a join that starts).
  void clear();
  // Mistral's `triggered_by`: each {task_id, event} (event: on-success,
  // on-error, on-complete, on-skip; null when not known).
  void set_triggered_by(const std::vector<std::pair<std::string, std::string>>& arrivals);
  void set_retry_no(int64_t n);
  // Arms the timeout for `attempt`; `shown` as timeout_shown() gives it back
  // and `due_us` when it fires (none: no timer was armed, the key is only
  // marked).
  void arm_timeout(std::optional<Value> shown, int64_t attempt, std::optional<int64_t> due_us);
  void mark_wait_before_done();
  void mark_pause_before_done();
  void hold_completion(const HeldCompletion& held);
  void mark_wait_after_done();
  void set_arrived_count(size_t n);
  void set_with_items(const WithItemsProgress& p);
  void set_rerun_no(int64_t n);
  // A compensation's context: its keys only (the task is new).
  void set_compensation(const Compensation& c);

 private:
  void set(const char* key, Value v);
  Value* w_;
};

// An action execution's or a sub-workflow execution's runtime_context
// (the item of a with-items task it runs), read and written.
class ItemContextView {
 public:
  explicit ItemContextView(const Value& stored) : v_(&stored) {}
  // The with-items item it runs; absent outside with-items.
  std::optional<int64_t> index() const;
  // An action created and never run (Engine::finish, a graceful stop):
  // recovery runs it whatever its task's safe-rerun says.
  bool not_started() const;

 protected:
  const Value* v_;
};

class ItemContext : public ItemContextView {
 public:
  explicit ItemContext(Value& stored) : ItemContextView(stored), w_(&stored) {}
  // A fresh context: the item's index, or none.
  void reset(std::optional<int64_t> index);
  void mark_not_started();
  void clear_not_started();

 private:
  Value* w_;
};

// A command a pause held back for the resume (Mistral's command backlog):
// the task execution whose transition it is, its target (a task name or
// fail/succeed/pause/noop), and an engine command's msg as evaluated then.
struct HeldCommand {
  std::string task_execution_id;
  std::string next;
  std::optional<Value> msg;
};

// A workflow execution's runtime_context, read.
class WorkflowContextView {
 public:
  explicit WorkflowContextView(const Value& stored) : v_(&stored) {}
  // The item of its parent's with-items task a sub-execution runs.
  std::optional<int64_t> index() const { return ItemContextView(*v_).index(); }
  // The commands a pause held back, for the resume.
  bool has_backlog() const;
  std::vector<HeldCommand> backlog() const;
  // The rollback plan (engine/rollback.cpp's record), when one was made.
  const Value* rollback() const;
  // The trace context (engine/tracing.cpp's record), when traced.
  const Value* trace() const;

 protected:
  const Value* v_;
};

class WorkflowContext : public WorkflowContextView {
 public:
  explicit WorkflowContext(Value& stored) : WorkflowContextView(stored), w_(&stored) {}
  // A fresh context: a sub-execution's item index, or none.
  void reset(std::optional<int64_t> index) { ItemContext(*w_).reset(index); }
  void set_backlog(const std::vector<HeldCommand>& held);
  void set_rollback(Value record);
  void set_trace(Value record);

 private:
  void set(const char* key, Value v);
  Value* w_;
};

}  // namespace bora::engine
