// engine/compute: evaluations moved off the engine's loop (compute.h).
#include "compute.h"

#include <utility>

#include "bora/catalog/caller.h"
#include "bora/core/log.h"
#include "step.h"

namespace bora::engine {

namespace {

// A worker's storage read of an execution its snapshot does not hold yet
// (created by the parked command itself): only the loop can answer it.
struct NeedsLoop {};

bool same_values(const ExpressionScope& a, const ExpressionScope& b) {
  return a.workflow_execution_id == b.workflow_execution_id && a.task_execution_id == b.task_execution_id &&
         a.workflow_name == b.workflow_name && a.task_name == b.task_name && a.task_state == b.task_state &&
         a.task_state_info == b.task_state_info &&
         a.task_result == b.task_result && a.env == b.env && a.execution == b.execution && a.globals == b.globals;
}

// The worker's task('x'), tasks() and executions(): each through a read
// snapshot of its own, recorded into c so that the loop can check, when the
// command runs again, that they still give the same.
void bind_worker_reads(ExpressionScope& s, Computed& c, storage::Database& db) {
  std::optional<storage::WorkflowExecution> wf_ex = db.read([&](storage::Transaction& tx) {
    return tx.workflow_executions().find(s.workflow_execution_id, storage::ProjectScope::internal());
  });
  if (!wf_ex) {
    s.task_lookup = [](const std::string&) -> Value { throw NeedsLoop{}; };
    s.tasks_query = [](const TasksQuery&) -> Value { throw NeedsLoop{}; };
    s.executions_query = [](const ExecutionsQuery&) -> Value { throw NeedsLoop{}; };
    return;
  }
  bind_storage_reads(s, catalog::Caller::owner_of(*wf_ex).visible(),
                     [&db](const std::function<Value(storage::Transaction&)>& read) {
                       return db.read([&](storage::Transaction& tx) { return read(tx); });
                     });
  // Recorded after the fact: each read is made once here, once again on
  // the loop to check it.
  auto lookup = std::move(s.task_lookup);
  s.task_lookup = [&c, lookup](const std::string& name) {
    Value v = lookup(name);
    c.reads.push_back({[name](const ExpressionScope& x) { return x.task_lookup ? x.task_lookup(name) : Value(); }, v});
    return v;
  };
  auto tasks = std::move(s.tasks_query);
  s.tasks_query = [&c, tasks](const TasksQuery& q) {
    Value v = tasks(q);
    c.reads.push_back({[q](const ExpressionScope& x) { return x.tasks_query ? x.tasks_query(q) : Value(); }, v});
    return v;
  };
  auto executions = std::move(s.executions_query);
  s.executions_query = [&c, executions](const ExecutionsQuery& q) {
    Value v = executions(q);
    c.reads.push_back(
        {[q](const ExpressionScope& x) { return x.executions_query ? x.executions_query(q) : Value(); }, v});
    return v;
  };
}

}  // namespace

bool Computed::matches(const Value& v, const Value& d, const ExpressionScope& s) const {
  if (!result || needs_loop) return false;
  if (!(static_cast<const Value&>(value) == v) || !same_values(scope, s) || !(data == d)) return false;
  if (!(s.call_cache ? *s.call_cache == cache_seen : cache_seen.answers.empty())) return false;
  for (const auto& r : reads)
    if (!(r.again(s) == r.result)) return false;
  return true;
}

void Computed::park(std::function<void()> requeue) {
  std::unique_lock lock(mutex_);
  if (!finished_) {
    requeue_ = std::move(requeue);
    return;
  }
  lock.unlock();
  requeue();
}

void Computed::finish() {
  std::function<void()> requeue;
  {
    std::lock_guard lock(mutex_);
    finished_ = true;
    requeue = std::move(requeue_);
  }
  if (requeue) requeue();
}

ComputePool::ComputePool(size_t workers) {
  for (size_t i = 0; i < workers; ++i) threads_.emplace_back([this] { work(); });
}

ComputePool::~ComputePool() { stop(); }

void ComputePool::submit(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void ComputePool::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

void ComputePool::work() {
  while (true) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job();
  }
}

Result<Value> OffloadingExpressions::evaluate(const CompiledValue& value, const Value& data,
                                              const ExpressionScope& scope) const {
  if (current_) {
    for (const auto& c : current_->computed) {
      if (c->matches(value, data, scope)) {
        c->used = true;
        // What the worker's task() calls answered, this transaction answers.
        if (scope.call_cache && c->scope.call_cache)
          for (const auto& [key, answer] : c->scope.call_cache->answers) scope.call_cache->answers.emplace(key, answer);
        return *c->result;
      }
    }
  }
  try {
    return inner_.evaluate(value, data, scope);
  } catch (const expr::EvaluationYielded&) {
    if (current_ && enabled()) move_off(value, data, scope);
  }
  // Asked to yield with nowhere to go: finished here.
  ExpressionScope whole = scope;
  whole.yield_after_ms = 0;
  return inner_.evaluate(value, data, whole);
}

Result<Value> OffloadingExpressions::evaluate(const Value& value, const Value& data,
                                              const ExpressionScope& scope) const {
  return evaluate(CompiledValue(value), data, scope);
}

void OffloadingExpressions::move_off(const CompiledValue& value, const Value& data,
                                     const ExpressionScope& scope) const {
  // A result of an earlier run left unused: what it read had changed.
  for (const auto& old : current_->computed) {
    if (old->result && !old->used) {
      if (++current_->misses >= Replay::kMaxMisses) current_->on_loop = true;
      break;
    }
  }
  auto c = std::make_shared<Computed>();
  c->value = value;
  c->data = data;
  c->scope = scope;
  // The loop's reads point into its transaction: never kept.
  c->scope.task_lookup = nullptr;
  c->scope.tasks_query = nullptr;
  c->scope.executions_query = nullptr;
  c->scope.yield_after_ms = 0;
  // The worker never shares the loop's cache (another thread).
  if (scope.call_cache) c->cache_seen = *scope.call_cache;
  c->scope.call_cache = std::make_shared<expr::CallCache>(c->cache_seen);
  current_->computed.push_back(c);
  current_->waiting = c;
  pool_->submit([c, inner = &inner_, db = &db_] {
    try {
      ExpressionScope s = c->scope;
      bind_worker_reads(s, *c, *db);
      c->result = inner->evaluate(c->value, c->data, s);
    } catch (const NeedsLoop&) {
      c->needs_loop = true;
    } catch (const std::exception& e) {
      // A storage failure of a read: the loop evaluates it instead.
      log::warning("engine", "an evaluation moved off the loop failed ({}); it runs on the loop", e.what());
      c->needs_loop = true;
    } catch (...) {
      c->needs_loop = true;
    }
    if (c->needs_loop) c->result.reset();
    c->finish();
  });
  throw EvaluationParked{};
}

}  // namespace bora::engine
