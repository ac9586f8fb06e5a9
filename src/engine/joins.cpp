// engine/joins: a task with `join` runs once enough inbound tasks reached it
// (all, a number, or one); one that never can is failed with Mistral's text.
#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <set>

#include "bora/core/python_format.h"
#include "step.h"

namespace bora::engine {

using storage::ActionExecution;
using storage::FilterOp;
using storage::TaskExecution;
using storage::WorkflowExecution;

namespace {

// How long after a join is satisfied Mistral's refresh starts it, at the
// least (see run_join).
constexpr std::chrono::milliseconds kJoinRefreshWindow{500};

}  // namespace

std::string join_key(const WorkflowExecution& wf_ex, const std::string& task) {
  return "join-task-" + wf_ex.id + "-" + task;
}

size_t Step::join_needed(const lang::TaskSpec& join, size_t inbound) {
  if (join.join.is_int()) return static_cast<size_t>(std::max<int64_t>(0, join.join.as_int()));
  if (join.join.is_string() && join.join.as_string() == "one") return 1;
  return inbound;
}

namespace {

// How many arrivals a waiting join counted (rows of earlier versions kept
// the arrivals' ids).
size_t arrived_count(const TaskExecution& join_ex) { return TaskContextView(join_ex.runtime_context).arrived_count(); }

bool goes_to(const TaskExecution& t, const std::string& join) { return t.processed && names_next(t, join); }

// Mistral's states.is_completed, which SKIPPED is not part of (storage's
// is_completed counts it).
bool ended(State s) { return s == State::Success || s == State::Error || s == State::Cancelled; }

}  // namespace

std::vector<TaskExecution> Step::join_arrivals(const WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec,
                                               const lang::TaskSpec& join, const std::string& triggered_by) {
  // The inbound tasks that went to the join (processed, the join among
  // their next tasks), in the order they were stored, plus the one arriving
  // now (a reverse workflow's task does not name it).
  std::vector<std::string> names;
  for (const auto& n : spec.inbound_of(join.name)) names.push_back(n);
  std::vector<TaskExecution> out;
  if (!names.empty()) {
    out = tasks_of(wf_ex, {{"has_next_tasks", FilterOp::Eq, {"true"}}, {"name", FilterOp::In, names}},
                   [&](const TaskExecution& t) {
                     return t.has_next_tasks && std::find(names.begin(), names.end(), t.name) != names.end();
                   });
    std::erase_if(out, [&](const TaskExecution& t) { return !goes_to(t, join.name); });
  }
  if (!triggered_by.empty() &&
      std::none_of(out.begin(), out.end(), [&](const TaskExecution& t) { return t.id == triggered_by; })) {
    if (auto t = tx_.task_executions().find(triggered_by, ProjectScope::internal())) out.push_back(std::move(*t));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const TaskExecution& a, const TaskExecution& b) { return a.created_at < b.created_at; });
  return out;
}

void Step::join_inbound_context(TaskExecution& t, const lang::TaskSpec& join,
                                const std::vector<TaskExecution>& upstream) {
  // evaluate_upstream_context: outbound contexts merged, then published,
  // in the order the tasks were stored (a later one wins a conflict).
  Value ctx = Value(Dict{}), published = Value(Dict{});
  for (const auto& up : upstream) {
    published = merge_dicts(published, up.published);
    ctx = merge_dicts(ctx, outbound_context(up));
  }
  t.in_context = merge_dicts(ctx, published);
  // Mistral's triggered_by of a join: every arrival, by its clause, in the
  // order they arrived.
  std::vector<const TaskExecution*> by_arrival;
  for (const auto& up : upstream) by_arrival.push_back(&up);
  std::stable_sort(by_arrival.begin(), by_arrival.end(), [](const TaskExecution* a, const TaskExecution* b) {
    return a->finished_at.value_or(a->created_at) < b->finished_at.value_or(b->created_at);
  });
  std::vector<std::pair<std::string, std::string>> arrivals;
  for (const TaskExecution* up : by_arrival) arrivals.emplace_back(up->id, next_event(*up, join.name));
  if (!arrivals.empty()) TaskContext(t.runtime_context).set_triggered_by(arrivals);
}

void Step::run_join(WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec, const lang::TaskSpec& join,
                    const std::string& triggered_by) {
  // Each arrival is counted on the join's task execution (WAITING until
  // enough inbound tasks came): a counter, so that a 500-way join costs one
  // small row update per arrival, neither a scan of the inbound tasks nor a
  // list of ids rewritten each time (O(n^2) bytes). The arrivals are read
  // once, when the count is reached. A join that can never be satisfied is
  // found when nothing else runs (check_completion).
  std::string key = join_key(wf_ex, join.name);
  // A task reaching the join by two clauses (on-success and on-complete)
  // arrives once.
  if (!triggered_by.empty() && !counted_arrivals_.insert(key + "\n" + triggered_by).second) return;
  // The inbound tasks that reached the join before this one (read when the
  // join's row is made or made again: a rerun can bring an arrival whose
  // join never got a row, or whose join had failed).
  auto earlier_arrivals = [&] {
    auto all = join_arrivals(wf_ex, spec, join, "");
    return static_cast<size_t>(std::count_if(all.begin(), all.end(),
                                             [&](const TaskExecution& a) { return a.id != triggered_by; }));
  };
  std::optional<TaskExecution> existing;
  if (auto known = join_rows_.find(key); known != join_rows_.end()) {
    existing = tx_.task_executions().find(known->second, ProjectScope::internal());  // the identity map
  } else {
    // An execution this transaction created has its join row, if any, in
    // the transaction (tasks_of: a read would write back every row held so
    // far, each to be written again as it completes: a 500-way fan-out's
    // tasks and actions inserted, then updated).
    auto rows = tasks_of(wf_ex, {{"unique_key", FilterOp::Eq, {key}}},
                         [&](const TaskExecution& t) { return t.unique_key == key; });
    if (!rows.empty()) existing = std::move(rows.front());
  }
  // An arrival at a join that has ended puts it back to WAITING (Mistral's
  // Task.defer, which sets WAITING on the join's task execution whatever
  // its state), and the refresh this arrival schedules runs it again when
  // it is still satisfied (continue_task, _run_existing): a `join: one`
  // reached by a second task after it ran runs a second time, its result
  // then the list of both runs' results (joins/join_one_runs_again_on_a_
  // late_arrival); a join that failed because inbound tasks could not
  // reach it is evaluated again when one does after all (a rerun of a
  // failed branch). _reset_actions un-accepts only what failed or was
  // cancelled. A join RUNNING (its action out) or DELAYED is left as it is.
  // Mistral starts a satisfied join by a scheduled refresh, half a second
  // to a second after (its scheduler's pick-up); Bora starts it once the
  // batch ran. An arrival within that window found Mistral's join still
  // WAITING and counted among the arrivals of its one run (a retry with
  // no delay, a branch of cheap actions): it runs the join again only
  // from kJoinRefreshWindow after the join started.
  const bool failed_by_tasks = existing && existing->state == State::Error && existing->state_info &&
                               existing->state_info->rfind("Failed by tasks: ", 0) == 0;
  // An arrival the join's run already counted (a completion delivered
  // again, as recovery after a crash may) is no new arrival: Mistral sends
  // each task's transition once.
  auto counted_already = [&] {
    const auto earlier = TaskContextView(existing->runtime_context).triggered_by_all();
    return std::find(earlier.begin(), earlier.end(), triggered_by) != earlier.end();
  };
  // An arrival that a later refresh pass caused came after the join's run
  // in Mistral, however soon it comes here (join_passes.h).
  const bool after_refresh_window =
      existing && existing->started_at &&
      (now() - *existing->started_at >= kJoinRefreshWindow ||
       (refresh_pass_ > 0 && join_passes_->started_before(existing->id, refresh_pass_))) &&
      !counted_already();
  if (existing && ended(existing->state) && (failed_by_tasks || after_refresh_window)) {
    State from = existing->state;
    unaccept_failed_runs(*existing);
    set_task_state(*existing, State::Waiting);
    existing->state_info = "Task is waiting.";
    existing->finished_at.reset();
    existing->processed = false;
    TaskContext rc(existing->runtime_context);
    rc.clear();
    rc.set_arrived_count(earlier_arrivals());
    *existing = tx_.task_executions().update(*existing).value();
    task_state_changed(wf_ex, *existing, from);
  }
  if (existing && existing->state != State::Waiting) return;  // running, or held by a policy
  TaskExecution t;
  if (existing) {
    t = std::move(*existing);
  } else {
    t = new_task_execution(wf_ex, join, State::Waiting);
    t.state_info = "Task is waiting.";  // Mistral's (tasks.py Task.wait)
    t.unique_key = key;
    TaskContext(t.runtime_context).set_arrived_count(earlier_arrivals());
    // Mistral creates it with the first arrival's outbound context: what a
    // join that never runs (it fails) gives a failed workflow's output.
    if (!triggered_by.empty())
      if (auto first = tx_.task_executions().find(triggered_by, ProjectScope::internal()))
        t.in_context = outbound_context(*first);
    t = tx_.task_executions().create(t).value();
    task_state_changed(wf_ex, t, std::nullopt);  // NONE -> WAITING: a trace line, no event
  }
  join_rows_[key] = t.id;
  size_t arrived = arrived_count(t) + (triggered_by.empty() ? 0 : 1);
  size_t needed = join_needed(join, spec.inbound_of(join.name).size());
  std::vector<TaskExecution> upstream;
  if (arrived >= needed) {
    upstream = join_arrivals(wf_ex, spec, join, triggered_by);
    // A task execution run again (rerun) that reached the join twice
    // counted twice: the arrivals read are the truth.
    arrived = upstream.size();
  }
  if (arrived < needed || starting_join_ != key) {
    TaskContext rc(t.runtime_context);
    rc.clear();  // the count replaces the ids rows of earlier versions kept
    rc.set_arrived_count(arrived);
    tx_.task_executions().update(t).value();
    // Satisfied: started once the batch ran (start_satisfied_joins).
    std::pair<std::string, std::string> entry{wf_ex.id, join.name};
    if (arrived >= needed && std::find(satisfied_joins_.begin(), satisfied_joins_.end(), entry) == satisfied_joins_.end())
      satisfied_joins_.push_back(std::move(entry));
    return;
  }
  TaskContext(t.runtime_context).clear();
  join_inbound_context(t, join, upstream);
  set_task_state(t, State::Running);
  t.state_info.reset();
  t.started_at = now();
  t = tx_.task_executions().update(t).value();
  join_passes_->started(t.id, t.started_at.value_or(now()), kJoinRefreshWindow);
  task_state_changed(wf_ex, t, State::Waiting);
  // Mistral creates every join WAITING and starts it, once satisfied,
  // through RegularTask._run_existing, which asks the policies' before
  // start only of a rerun: a join has no wait-before, pause-before nor
  // timeout (nor their checks); the policies after completion apply.
  // The refresh that starts it is a transaction of its own in Mistral.
  ScopedTransaction own(*this);
  start_action(wf_ex, t, join, /*before_start=*/false);
}

void Step::note_affected_joins(const WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec,
                               const std::string& completed) {
  auto& outbound = outbound_[&spec];
  if (outbound.empty()) {
    bool any_join = false;
    for (const auto& task : spec.tasks) {
      any_join = any_join || !task.join.is_null();
      outbound[task.name];  // a task leading nowhere is known too
    }
    if (!any_join) return;  // the map stays empty: nothing to search
    // Targets in definition order.
    for (const auto& task : spec.tasks)
      for (const auto& from : spec.inbound_of(task.name)) outbound[from].push_back(task.name);
  }
  // find_indirectly_affected_task_executions: from the completed task's
  // targets on, the first join met on each path that has an execution
  // (one created in this transaction is not seen by its query); a join
  // without one is passed through.
  // Breadth first, in definition order, so that the refreshes run in one
  // order from run to run (Mistral's set of them has its own).
  std::set<std::string> visited{completed};
  std::deque<std::string> pending;
  if (auto it = outbound.find(completed); it != outbound.end()) pending.assign(it->second.begin(), it->second.end());
  while (!pending.empty()) {
    std::string name = std::move(pending.front());
    pending.pop_front();
    if (!visited.insert(name).second) continue;
    const lang::TaskSpec* task = spec.task(name);
    if (!task) continue;
    if (!task->join.is_null()) {
      std::string key = join_key(wf_ex, name);
      auto rows = tasks_of(wf_ex, {{"unique_key", FilterOp::Eq, {key}}},
                           [&](const TaskExecution& t) { return t.unique_key == key; });
      if (!rows.empty() && !mistral_tx_.created_tasks.count(rows.front().id)) {
        const std::string& id = rows.front().id;
        if (std::find(joins_to_refresh_.begin(), joins_to_refresh_.end(), id) == joins_to_refresh_.end())
          joins_to_refresh_.push_back(id);
        continue;
      }
    }
    if (auto it = outbound.find(name); it != outbound.end())
      pending.insert(pending.end(), it->second.begin(), it->second.end());
  }
}

bool Step::refresh_join(const std::string& join_ex_id) {
  // Each refresh is a transaction of its own in Mistral (a scheduled job).
  ScopedTransaction own(*this);
  auto t = tx_.task_executions().find(join_ex_id, ProjectScope::internal());
  // Mistral refreshes a join in any state but RUNNING and the ended ones:
  // WAITING, and also RUNNING_DELAYED, a join whose action ended and that
  // `wait-after` holds (a join is retried WAITING, never DELAYED).
  const bool held = t && t->state == State::Delayed && TaskContextView(t->runtime_context).held_completion();
  if (!t || (t->state != State::Waiting && !held)) return false;
  auto wf_ex = tx_.workflow_executions().find(t->workflow_execution_id, ProjectScope::internal());
  // _refresh_task_state leaves the joins of an ended workflow as they are.
  if (!wf_ex || (wf_ex->state != State::Running && wf_ex->state != State::Paused)) return false;
  auto spec = spec_of(*wf_ex);
  const lang::TaskSpec* join = spec ? spec->task(t->name) : nullptr;
  if (!join || join->join.is_null()) return false;
  const auto& in = spec->inbound_of(join->name);
  if (in.empty()) return false;
  // The latest execution of each task (_prepare_task_executions_cache: a
  // dict by name, the last one read wins), read for the tasks the verdict
  // looks at only: the inbound tasks, then, level by level, the inbound
  // tasks of those that have no execution (_possible_route follows only
  // these). Reading every task of the execution made each refresh cost the
  // whole workflow: a 3-way join among 5 000 tasks read 5 000 rows at each
  // completion upstream of it.
  std::map<std::string, TaskExecution> latest;
  std::set<std::string> asked;
  std::vector<std::string> level(in.begin(), in.end());
  asked.insert(level.begin(), level.end());
  while (!level.empty()) {
    const std::set<std::string> wanted(level.begin(), level.end());
    for (auto& e : tasks_of(*wf_ex, {{"name", FilterOp::In, level}},
                            [&](const TaskExecution& e) { return wanted.count(e.name) > 0; }))
      latest[e.name] = std::move(e);
    std::vector<std::string> next;
    for (const auto& name : level) {
      if (latest.count(name)) continue;
      for (const auto& up : spec->inbound_of(name))
        if (asked.insert(up).second) next.push_back(up);
    }
    level = std::move(next);
  }
  auto latest_of = [&](const std::string& name) -> const TaskExecution* {
    auto it = latest.find(name);
    return it == latest.end() ? nullptr : &it->second;
  };
  // _possible_route: a task not run yet may still run while one of its
  // inbound tasks runs or went to it, or, not run either, may still run.
  std::set<std::string> visiting;  // a cycle adds no route
  std::function<bool(const std::string&)> possible = [&](const std::string& name) -> bool {
    const auto& ins = spec->inbound_of(name);
    if (ins.empty()) return true;
    if (!visiting.insert(name).second) return false;
    bool found = false;
    for (const auto& up : ins) {
      const TaskExecution* ex = latest_of(up);
      if (!ex ? possible(up) : (!ended(ex->state) || names_next(*ex, name))) {
        found = true;
        break;
      }
    }
    visiting.erase(name);
    return found;
  };
  size_t running = 0;
  std::vector<Value> failed;
  for (const auto& up : in) {
    const TaskExecution* ex = latest_of(up);
    if (!ex ? !possible(up) : ended(ex->state) && !names_next(*ex, join->name)) failed.emplace_back(up);
    else if (ex && ended(ex->state)) ++running;
  }
  size_t needed = std::min(join_needed(*join, in.size()), in.size());
  bool all = join->join.is_string() && join->join.as_string() == "all";
  // A held join still satisfied runs again (continue_task: _run_existing
  // starts its action anew, the one that ended no longer accepted); the
  // held completion's timer then finds it running and leaves it
  // (joins/join_held_by_wait_after_runs_again).
  if (held && running >= (all ? in.size() : needed)) {
    rerun_held_join(*wf_ex, *spec, *join, *t);
    return true;
  }
  bool fails = all ? !failed.empty() && running < in.size() : running < needed && failed.size() > in.size() - needed;
  if (!fails) return false;
  fail_join(*wf_ex, *t, "Failed by tasks: " + python_repr(Value(std::move(failed))));
  return true;
}

void Step::fail_join(WorkflowExecution& wf_ex, TaskExecution& t, const std::string& why) {
  // Mistral's complete_task(ERROR): Task.complete publishes, then the
  // policies run: a `retry` leaves the join WAITING and evaluates it again
  // after the delay (RetryPolicy: "join tasks in direct workflows can't be
  // retried as-is"), failing it again or, once an inbound task reached it
  // after all, running it (retry.cpp).
  if (policies_take_result(wf_ex, t, true, Value(), why)) return;
  complete_task(wf_ex, t, State::Error, why, Value());
}

bool retrying_join(const TaskExecution& t) {
  return t.state == State::Waiting && t.state_info && t.state_info->rfind(kRetryDelayInfo, 0) == 0;
}

void Step::unaccept_failed_runs(const TaskExecution& t) {
  // _reset_actions without the reset flag: only what failed or was
  // cancelled stops counting; a successful run stays accepted, so the
  // task's result becomes the list of every run's result, as Mistral's
  // get_task_execution_result makes it of several accepted executions.
  auto failed = [](State s) { return s == State::Error || s == State::Cancelled; };
  for (auto& a :
       tx_.action_executions().list({ProjectScope::internal(), {{"task_execution_id", FilterOp::Eq, {t.id}}}}).value()) {
    if (!a.accepted || !failed(a.state)) continue;
    a.accepted = false;
    tx_.action_executions().update(a).value();
  }
  if (t.type == "WORKFLOW") {
    for (auto& sub : tx_.workflow_executions()
                         .list({ProjectScope::internal(), {{"task_execution_id", FilterOp::Eq, {t.id}}}})
                         .value()) {
      if (!sub.accepted || !failed(sub.state)) continue;
      sub.accepted = false;
      tx_.workflow_executions().update(sub).value();
    }
  }
}

void Step::rerun_held_join(WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec, const lang::TaskSpec& join,
                           TaskExecution& t) {
  unaccept_failed_runs(t);
  // _update_inbound_context and _update_triggered_by; the runtime context
  // keeps the rest (wait-after's mark: the next completion is not held).
  join_inbound_context(t, join, join_arrivals(wf_ex, spec, join, ""));
  set_task_state(t, State::Running);
  t.state_info.reset();
  t.processed = false;
  t = tx_.task_executions().update(t).value();
  task_state_changed(wf_ex, t, State::Delayed);
  start_action(wf_ex, t, join, /*before_start=*/false);
}

bool Step::start_satisfied_joins() {
  bool started = false;
  in_refresh_pass([&] { started = start_joins_in_this_pass(); });
  return started;
}

bool Step::start_joins_in_this_pass() {
  bool started = false;
  // Mistral's refresh of the joins a completion affected: those that can
  // no longer be satisfied fail first (their failure may satisfy others).
  while (!joins_to_refresh_.empty()) {
    auto touched = std::exchange(joins_to_refresh_, {});
    for (const auto& id : touched)
      if (refresh_join(id)) started = true;
  }
  // A join's start can satisfy another (its action ends inline): rounds
  // until none is left, each a join started at most once (its row leaves
  // WAITING).
  while (!satisfied_joins_.empty()) {
    auto round = std::exchange(satisfied_joins_, {});
    for (const auto& [wf_id, name] : round) {
      auto wf_ex = tx_.workflow_executions().find(wf_id, ProjectScope::internal());
      // Mistral's refresh leaves a join of an ended workflow as it is.
      if (!wf_ex || (wf_ex->state != State::Running && wf_ex->state != State::Paused)) continue;
      auto spec = spec_of(*wf_ex);
      const lang::TaskSpec* join = spec ? spec->task(name) : nullptr;
      if (!join) continue;
      starting_join_ = join_key(*wf_ex, name);
      struct Starting {
        std::string& key;
        ~Starting() { key.clear(); }
      } starting{starting_join_};
      run_join(*wf_ex, *spec, *join, "");
      // A sub-workflow that ended while it started (the engine reports
      // them after each command).
      report_ended_subworkflows();
      started = true;
    }
  }
  return started;
}

void Step::fail_unsatisfiable_join(WorkflowExecution& wf_ex, TaskExecution& t) {
  // Nothing else runs, so the join waits for tasks that ended elsewhere or
  // never ran: Mistral's "Failed by tasks: [...]".
  auto spec = spec_of(wf_ex);
  const lang::TaskSpec* join = spec->task(t.name);
  std::vector<std::string> failed;
  if (join) {
    std::set<std::string> arrived_ids;
    for (const auto& up : join_arrivals(wf_ex, *spec, *join, ""))
      arrived_ids.insert(up.id);
    // Rows of earlier versions kept the arrivals' ids.
    for (auto& a : TaskContextView(t.runtime_context).arrived_ids()) arrived_ids.insert(std::move(a));
    auto all = tx_.task_executions()
                   .list({ProjectScope::internal(),
                          {{"workflow_execution_id", FilterOp::Eq, {wf_ex.id}}},
                          {{"created_at", true}}})
                   .value();
    // Mistral's induced states: an inbound task that ended without
    // triggering the join, or never ran and now never will (its route is
    // impossible once nothing else runs), counts as failed, in the order
    // of the join's inbound tasks.
    for (const auto& name : spec->inbound_of(join->name)) {
      const TaskExecution* latest = nullptr;
      for (const auto& e : all)
        if (e.name == name) {
          latest = &e;
          break;
        }
      if (!latest || !arrived_ids.count(latest->id)) failed.push_back(name);
    }
  }
  auto list_text = [](const std::vector<std::string>& names) {
    std::vector<Value> v;
    for (const auto& n : names) v.emplace_back(n);
    return python_repr(Value(std::move(v)));
  };
  // In Mistral a refresh fails it, on a pass of its own: what its failure
  // reaches comes after the joins started before.
  in_refresh_pass([&] { fail_join(wf_ex, t, "Failed by tasks: " + list_text(failed)); });
}

}  // namespace bora::engine
