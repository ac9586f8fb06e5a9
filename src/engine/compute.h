// engine/compute: expression evaluations moved off the engine's loop, so
// that one execution evaluating something expensive never stalls the
// others (issue 12, finding 6(b); docs/ENGINE.md "Evaluating off the
// loop").
//
// The loop evaluates each value with a slice ([engine] evaluation_slice_ms,
// ExpressionScope::yield_after_ms). One still running when its slice is
// spent stops (expr::EvaluationYielded); OffloadingExpressions hands it to
// a compute worker ([engine] compute_workers), which evaluates it whole
// (its own budget, [expressions] max_time_ms), and throws EvaluationParked:
// the loop rolls its batch back, applies the batch again without that
// command, and queues the command again once the worker is done. Applied
// again with the same ids and times (its Replay's tape), the command asks
// for the same evaluation with the same data and scope, and gets the
// worker's result at once (Computed::matches). If what the evaluation read
// changed in between, the command evaluates anew (and may move it off
// again); after kMaxMisses such runs it evaluates on the loop, as before.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "bora/core/replay_tape.h"
#include "bora/expr/budget.h"
#include "bora/expr/compiled.h"
#include "bora/expr/expression_port.h"
#include "bora/storage/database.h"

namespace bora::engine {

using expr::CompiledValue;
using expr::ExpressionPort;
using expr::ExpressionScope;

// Thrown through the step to the loop when a command's evaluation moved to
// a worker: the command is parked (not an error; not a std::exception, so
// no handler of errors on the way takes it).
struct EvaluationParked {};

// One evaluation done (or being done) by a worker for a parked command.
struct Computed {
  CompiledValue value;    // the expression(s), as the step asked
  Value data;             // the data context it saw
  ExpressionScope scope;  // what it saw of the execution (values only)
  // The transaction's task()/tasks()/executions() answers when it was
  // moved off; scope.call_cache is the worker's own copy, which its calls
  // add to (the loop takes those additions with the result).
  expr::CallCache cache_seen;
  // Every storage read it made (task('x'), tasks(), executions()): how to
  // make it again on another scope, and what it gave.
  struct Read {
    std::function<Value(const ExpressionScope&)> again;
    Value result;
  };
  std::vector<Read> reads;
  std::optional<Result<Value>> result;  // set by the worker
  // It read storage the worker could not see (an execution created by the
  // command itself): the command evaluates on the loop next time.
  bool needs_loop = false;
  bool used = false;  // the command's current run took it

  // Whether the loop's evaluation of (value, data, scope) is this one: the
  // same expression, data and scope, and every read gives what it gave.
  bool matches(const Value& v, const Value& d, const ExpressionScope& s) const;

  // Where the worker and the loop meet, in either order: the loop parks the
  // command (requeue), the worker finishes; the second one queues it again.
  void park(std::function<void()> requeue);
  void finish();

 private:
  std::mutex mutex_;
  bool finished_ = false;
  std::function<void()> requeue_;
};

// What a command carries from one run to the next: the ids and times it
// drew, the evaluations done for it.
struct Replay {
  static constexpr int kMaxMisses = 3;
  ReplayTape tape;
  std::vector<std::shared_ptr<Computed>> computed;
  std::shared_ptr<Computed> waiting;  // the evaluation it was parked for
  int misses = 0;                     // runs that found the worker's results stale
  bool on_loop = false;               // evaluate on the loop (no slice) from now on
};

// A few threads evaluating what the loop moved off it.
class ComputePool {
 public:
  explicit ComputePool(size_t workers);
  ~ComputePool();
  ComputePool(const ComputePool&) = delete;
  ComputePool& operator=(const ComputePool&) = delete;
  size_t workers() const { return threads_.size(); }
  void submit(std::function<void()> job);
  // Joins the workers after the running jobs; queued ones run first (each
  // is bounded by [expressions] max_time_ms).
  void stop();

 private:
  void work();
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// The expression port the engine's steps use: the real one, with a slice
// on the loop and the parked command's computed results.
class OffloadingExpressions : public ExpressionPort {
 public:
  OffloadingExpressions(const ExpressionPort& inner, storage::Database& db, ComputePool* pool)
      : inner_(inner), db_(db), pool_(pool) {}

  // Loop thread: the replay state of the command being applied, null
  // between commands (then nothing moves off the loop).
  void set_current(Replay* replay) { current_ = replay; }
  // Whether evaluations can move off the loop at all.
  bool enabled() const { return pool_ != nullptr && pool_->workers() > 0; }

  Result<Value> evaluate(const CompiledValue& value, const Value& data, const ExpressionScope& scope) const override;
  Result<Value> evaluate(const Value& value, const Value& data, const ExpressionScope& scope) const override;

 private:
  [[noreturn]] void move_off(const CompiledValue& value, const Value& data, const ExpressionScope& scope) const;
  const ExpressionPort& inner_;
  storage::Database& db_;
  ComputePool* pool_;
  Replay* current_ = nullptr;
};

}  // namespace bora::engine
