// engine/with_items: a task over a list of items: one action (or
// sub-workflow) per item, at most `concurrency` at once, the results in item
// order (mistral/engine/tasks.py WithItemsTask).
#include <optional>
#include <set>
#include <cmath>
#include <fmt/format.h>

#include "bora/core/python_format.h"
#include "bora/core/utf8.h"
#include "bora/engine/task_result.h"
#include "policies/policy.h"
#include "bora/engine/runtime_context.h"
#include "step.h"

namespace bora::engine {

namespace {

// A task's key in the engine's items cache: a rerun may bring another env.
std::string items_cache_key(const storage::TaskExecution& t) {
  return t.id + ":" + std::to_string(TaskContextView(t.runtime_context).rerun_no());
}

// Whether completing `task` evaluates anything that may read the result
// handed to complete_task: a publish (the task's, publish-on-error/skip, a
// clause's), fail-on, or wait-after (which holds it until the wait ends).
// keep-result is read as written, never evaluated (task_runner).
bool completion_reads_result(const lang::TaskSpec& task, const lang::PoliciesSpec& p) {
  auto publishes = [](const std::optional<lang::OnClauseSpec>& c) { return c && c->publish; };
  return !task.publish.is_null() || !task.publish_on_error.is_null() || !task.publish_on_skip.is_null() ||
         publishes(task.on_complete) || publishes(task.on_success) || publishes(task.on_error) ||
         publishes(task.on_skip) || !p.fail_on.is_null() ||
         !p.wait_after.is_null();
}

}  // namespace

using storage::ActionExecution;
using storage::FilterOp;
using storage::TaskExecution;
using storage::WorkflowExecution;

namespace {

// Whether Mistral's _get_next_indexes picks no item when the retry policy
// starts a with-items task again. It starts the items whose executions
// ended unaccepted (and those after them), else those past the executions
// accepted or still running. A retry unaccepts every ended item, so that
// is all of them again, unless none has ended: items a timeout left
// running (asynchronous actions) are not started again, and when every
// item is one of those, nothing starts and the task succeeds.
bool retry_starts_no_item(storage::Transaction& tx, const TaskExecution& t, size_t count) {
  std::set<int64_t> accepted_ended, unaccepted_ended;
  size_t started = 0;  // accepted, running or idle
  auto note = [&](bool accepted, State state, std::optional<int64_t> index) {
    if (accepted || state == State::Running || state == State::Idle) ++started;
    if (!is_completed(state) || !index) return;
    (accepted ? accepted_ended : unaccepted_ended).insert(*index);
  };
  auto by_task = storage::ListQuery{ProjectScope::internal(), {{"task_execution_id", FilterOp::Eq, {t.id}}}};
  for (const auto& a : tx.action_executions().list(by_task).value())
    note(a.accepted, a.state, ItemContextView(a.runtime_context).index());
  for (const auto& w : tx.workflow_executions().list(by_task).value())
    note(w.accepted, w.state, WorkflowContextView(w.runtime_context).index());
  for (int64_t i : unaccepted_ended)
    if (!accepted_ended.count(i)) return false;
  return started >= count;
}

}  // namespace

void Step::start_with_items(WorkflowExecution& wf_ex, TaskExecution& t, const lang::TaskSpec& task) {
  // with-items: one action per item (several lists are zipped), at most
  // `concurrency` running at once; the task's result is the list of the
  // items' results in item order. Progress is kept as counters (the items
  // are evaluated again when more must start), so a 10 000-item task does
  // not rewrite its items at every completion.
  // Mistral's ConcurrencyPolicy (before_task_start) is checked before the
  // items are evaluated: a wrong concurrency is the failure even when the
  // with-items expression would fail too.
  Value data = expression_data(wf_ex, t.in_context, &t);
  int64_t concurrency = 0;
  if (!task.policies.concurrency.is_null()) {
    auto c = expr_.evaluate(task.policies.concurrency, data, scope_of(wf_ex, &t, Value()));
    if (!c) return force_fail_task(wf_ex, t, "Failed to evaluate concurrency: " + c.error().message);
    // Mistral's ConcurrencyPolicy validates the evaluated value against its
    // schema ({"type": "integer", "minimum": 0}) and fails the task if not.
    std::optional<std::string> wrong;
    if (c->is_double() && std::floor(c->as_double()) == c->as_double() && std::isfinite(c->as_double())) {
      *c = Value(static_cast<int64_t>(c->as_double()));
    }
    if (!c->is_int()) {
      wrong = python_repr(*c) + " is not of type 'integer'";
    } else if (c->as_int() < 0) {
      wrong = python_repr(*c) + " is less than the minimum of 0";
    }
    if (wrong) {
      return force_fail_task(wf_ex, t,
                             "Invalid data type in ConcurrencyPolicy: " + *wrong +
                                 ". Value(s) can be shown after YAQL evaluating. If you use YAQL here, please "
                                 "correct it.");
    }
    concurrency = c->as_int();
  }
  auto lists = with_items_lists(wf_ex, t, task);
  if (!lists) return force_fail_task(wf_ex, t, lists.error().message);
  size_t count = (*lists)->empty() ? 0 : (*lists)->front().second.size();
  if (count == 0) {
    // Mistral's Task.complete(SUCCESS) at once, its policies included: a
    // retry's conditions are evaluated (one that fails fails the task,
    // "Failed to run task"; direct/with_items_empty_retry_*).
    if (policies_take_result(wf_ex, t, false, Value(List{}), std::nullopt)) return;
    complete_task(wf_ex, t, State::Success, std::nullopt, Value(List{}));
    return;
  }
  if (TaskContextView(t.runtime_context).retry_no().value_or(0) > 0 && retry_starts_no_item(tx_, t, count)) {
    // Mistral's empty input_dicts complete the task SUCCESS at once.
    complete_task(wf_ex, t, State::Success, std::nullopt, task_execution_result(tx_, t));
    return;
  }
  // Without a concurrency, Mistral starts every item at once; here at most
  // [engine] with_items_window are running at once (then one more as each
  // ends), so that a million items never hold a million action rows and
  // jobs in memory at once. Mistral evaluates every item's input before it
  // starts any, and a failure starts none ("Failed to run task"): the items
  // not started now are evaluated now too (and dropped), so that the same
  // input fails the same way. Sub-workflow items have no window.
  size_t window = concurrency > 0 ? static_cast<size_t>(concurrency) : count;
  if (concurrency == 0 && options_.with_items_window > 0 && !task.is_workflow_task())
    window = std::min(window, options_.with_items_window);
  // And at most [engine] with_items_batch items start in this transaction
  // (the one that answers the POST): the rest of the window starts in
  // later ones (continue_with_items), so that no transaction grows with
  // the number of items.
  size_t first_batch = std::min({count, window, item_start_budget()});
  // Mistral evaluates every item's input first (_get_input_dicts), then
  // schedules item by item (the target, the action, its input's check): a
  // failure there leaves the items scheduled before it.
  std::vector<Value> inputs;
  inputs.reserve(first_batch);
  for (size_t i = 0; i < first_batch; ++i) {
    auto input = item_input(wf_ex, t, task, item_vars(**lists, i));
    if (!input) return force_fail_task(wf_ex, t, input.error().message);
    inputs.push_back(std::move(*input));
  }
  if (concurrency == 0) {
    for (size_t i = first_batch; i < count; ++i) {
      if (auto checked = launch_item(wf_ex, t, task, item_vars(**lists, i), static_cast<int64_t>(i), true); !checked)
        return force_fail_task(wf_ex, t, checked.error().message);
    }
  }
  WithItemsProgress progress;
  progress.count = static_cast<int64_t>(count);
  progress.next = static_cast<int64_t>(first_batch);
  progress.concurrency = concurrency;
  TaskContext(t.runtime_context).set_with_items(progress);
  t = tx_.task_executions().update(t).value();
  for (size_t i = 0; i < first_batch; ++i) {
    if (auto launched =
            launch_item(wf_ex, t, task, item_vars(**lists, i), static_cast<int64_t>(i), false, &inputs[i]);
        !launched)
      return force_fail_task(wf_ex, t, launched.error().message, /*keep_started=*/true);
  }
  if (first_batch < std::min(count, window)) defer_items(t);
}

size_t Step::item_start_budget() const {
  if (options_.with_items_batch == 0) return SIZE_MAX;
  return options_.with_items_batch > item_starts_ ? options_.with_items_batch - item_starts_ : 0;
}

void Step::defer_items(const TaskExecution& t) {
  // A durable timer due now, not a promise in memory: a node that dies
  // after this commit leaves it for another node, and on several nodes
  // whichever is free takes the next batch (the tree lock orders them).
  if (!items_deferred_.insert(t.id).second) return;  // one per task and transaction
  schedule_timer(*this, kContinueWithItems, t.id, 0);
}

bool Step::start_more_items(WorkflowExecution& wf_ex, TaskExecution& t, const lang::TaskSpec& task,
                            WithItemsProgress& progress, int64_t& running) {
  // Items start up to the concurrency limit (or the window), also after a
  // failed item (Mistral goes on with the iterations), at most the
  // transaction's budget of them.
  int64_t window = progress.concurrency;
  if (progress.concurrency == 0 && options_.with_items_window > 0 && !task.is_workflow_task())
    window = static_cast<int64_t>(options_.with_items_window);
  auto wanted = [&] { return progress.more_to_start() && (window == 0 || running < window); };
  if (!wanted()) return true;
  auto lists = with_items_lists(wf_ex, t, task);
  if (!lists) {
    force_fail_completion(wf_ex, t, lists.error().message);
    return false;
  }
  while (wanted()) {
    // A rerun's failed items first (Mistral's _get_next_indexes), then the
    // first run's next one.
    int64_t index = progress.peek_next();
    if (static_cast<size_t>(index) >= (*lists)->front().second.size()) break;  // the list shrank
    if (item_start_budget() == 0) {
      defer_items(t);
      break;
    }
    if (auto launched = launch_item(wf_ex, t, task, item_vars(**lists, static_cast<size_t>(index)), index);
        !launched) {
      // While a rerun starts its items, Mistral's run_task fails it ("Failed
      // to run task"); while taking an item's result, its completion.
      if (starting_rerun_items_) force_fail_task(wf_ex, t, launched.error().message);
      else force_fail_completion(wf_ex, t, launched.error().message);
      return false;
    }
    progress.take_next();
    ++running;
  }
  return true;
}

void Step::continue_with_items(WorkflowExecution& wf_ex, TaskExecution& t, const lang::TaskSpec& task) {
  // The items a former transaction left to start (its budget was spent).
  if (t.state != State::Running || !TaskContextView(t.runtime_context).has_with_items()) return;
  WithItemsProgress progress = TaskContextView(t.runtime_context).with_items();
  int64_t running = progress.running();
  int64_t before = running;
  if (!start_more_items(wf_ex, t, task, progress, running)) return;
  if (running == before) return;
  TaskContext(t.runtime_context).set_with_items(progress);
  t = tx_.task_executions().update(t).value();
}

Result<std::shared_ptr<const Step::WithItemsLists>> Step::with_items_lists(WorkflowExecution& wf_ex, TaskExecution& t,
                                                                      const lang::TaskSpec& task) {
  // Evaluated once per transaction and task: the items a batch of results
  // starts come from one evaluation, not one per result (a million items
  // would be a million evaluations of a million-item list).
  if (auto known = with_items_lists_.find(t.id); known != with_items_lists_.end()) return known->second;
  // And once per task (and rerun) while the engine keeps them.
  std::string cache_key;
  if (items_cache_) {
    cache_key = items_cache_key(t);
    if (auto kept = items_cache_->find(cache_key)) {
      with_items_lists_[t.id] = kept;
      return kept;
    }
  }
  Value data = expression_data(wf_ex, t.in_context, &t);
  ExpressionScope scope = scope_of(wf_ex, &t, Value());
  // Mistral takes any Python iterable: a list, a string (its characters),
  // a dict (its keys).
  WithItemsLists sources;
  Dict evaluated;
  for (const auto& wi : task.with_items) {
    auto value = expr_.evaluate(wi.source, data, scope);
    if (!value) return value.error();
    // Counted before the items are copied or any action is created: each
    // item becomes an action execution in this one transaction.
    size_t count = value->is_string() ? utf8_length(value->as_string()) : value->size();
    if ((value->is_list() || value->is_string() || value->is_dict()) && count > options_.max_with_items) {
      return Error{ErrorKind::Limit,
                   fmt::format("with-items of task '{}' gives {} items for '{}', more than the {} allowed (option "
                               "[engine] max_with_items); split the work (e.g. into sub-workflows) or raise the option",
                               task.name, count, wi.var, options_.max_with_items)};
    }
    evaluated.set(wi.var, *value);
    List items;
    if (value->is_list()) {
      items = value->as_list();
    } else if (value->is_string()) {
      for (const auto& ch : utf8_characters(value->as_string())) items.emplace_back(ch);
    } else if (value->is_dict()) {
      for (const auto& [k, v] : value->as_dict()) items.emplace_back(k);
    } else {
      Dict so_far;
      for (const auto& [var, list] : sources) so_far.set(var, Value(list));
      return bad_input(fmt::format("Wrong input format for: {}. Iterable type is expected for each value.",
                                   python_repr(Value(std::move(so_far)))));
    }
    sources.emplace_back(wi.var, std::move(items));
  }
  for (const auto& [var, list] : sources) {
    if (list.size() != sources.front().second.size()) {
      return bad_input(fmt::format("Wrong input format for: {}. All arrays must have the same length.",
                                   python_repr(Value(std::move(evaluated)))));
    }
  }
  auto shared = std::make_shared<const WithItemsLists>(std::move(sources));
  with_items_lists_[t.id] = shared;
  if (items_cache_) items_cache_->put(cache_key, shared);
  return shared;
}

Value Step::item_vars(const WithItemsLists& lists, size_t i) {
  Dict vars;
  for (const auto& [var, list] : lists) vars.set(var, list[i]);
  return Value(std::move(vars));
}

namespace {

Value item_context(const TaskExecution& t, const Value& vars) {
  Value ctx = t.in_context.is_dict() ? t.in_context : Value(Dict{});
  for (const auto& [k, v] : vars.as_dict()) ctx = ctx.with(k, v);
  return ctx;
}

}  // namespace

Result<void> Step::launch_item(WorkflowExecution& wf_ex, TaskExecution& t, const lang::TaskSpec& task,
                               const Value& vars, int64_t index, bool check_only, const Value* input) {
  // A sub-workflow's input is checked when it starts (its items have no
  // window: they are not checked ahead).
  if (check_only && task.is_workflow_task()) return {};
  Value ctx = item_context(t, vars);
  if (!check_only) ++item_starts_;
  if (task.is_workflow_task()) return start_subworkflow(wf_ex, t, task, expression_data(wf_ex, ctx, &t), index, input);
  return launch_action(wf_ex, t, task, expression_data(wf_ex, ctx, &t), index, check_only, input);
}

Result<Value> Step::item_input(const WorkflowExecution& wf_ex, const TaskExecution& t, const lang::TaskSpec& task,
                               const Value& vars) {
  return task_input(wf_ex, t, task, expression_data(wf_ex, item_context(t, vars), &t));
}

void Step::with_items_progress(WorkflowExecution& wf_ex, TaskExecution& t, bool item_failed) {
  WithItemsProgress progress = TaskContextView(t.runtime_context).with_items();
  progress.done += 1;
  progress.failed = progress.failed || item_failed;
  settle_with_items(wf_ex, t, progress);
}

void Step::settle_with_items(WorkflowExecution& wf_ex, TaskExecution& t, WithItemsProgress& progress) {
  int64_t running = progress.running();
  // Items left to start, also after a failed item: Mistral's with-items
  // task goes on with its iterations (_has_more_iterations) and ends, ERROR
  // if one failed, once every item has (is_with_items_completed).
  auto more_to_start = [&] { return progress.more_to_start(); };
  if (more_to_start()) {
    auto spec = spec_of(wf_ex);
    const lang::TaskSpec* task = spec->task(t.name);
    if (!task) {
      force_fail_completion(wf_ex, t, "the task is not in the workflow");
      return;
    }
    if (!start_more_items(wf_ex, t, *task, progress, running)) return;
  }
  TaskContext(t.runtime_context).set_with_items(progress);
  t = tx_.task_executions().update(t).value();
  // Still running, or items left that a later transaction starts
  // (continue_with_items).
  if (running > 0 || more_to_start() || progress.done < progress.count) return;
  bool failed = progress.failed;
  auto spec = spec_of(wf_ex);
  const lang::TaskSpec* task = spec->task(t.name);
  // A with-items task retries as a whole (Mistral's retry policy): after a
  // failure, a fail-on that holds, or while continue-on holds.
  if (task && policies_of(*spec, *task).retry &&
      policies_take_result(wf_ex, t, failed, task_execution_result(tx_, t),
                           failed ? std::optional<std::string>("One or more actions had failed.") : std::nullopt))
    return;
  // Every item has ended: the result is the items' results in order, read
  // back from the action rows, but only for a completion that reads it (a
  // 1 000 000-item task that publishes nothing would hold a million values
  // at its end for no one; task() and the API read it from the rows).
  if (items_cache_) items_cache_->erase(items_cache_key(t));
  bool reads = !task || completion_reads_result(*task, policies_of(*spec, *task));
  complete_task(wf_ex, t, failed ? State::Error : State::Success,
                failed ? std::optional<std::string>("One or more actions had failed.") : std::nullopt,
                reads ? task_execution_result(tx_, t) : Value());
}

}  // namespace bora::engine
