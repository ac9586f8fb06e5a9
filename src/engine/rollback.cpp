// engine/rollback: Bora's rollback (docs/LANGUAGE.md "Rollback"). Rolling an
// execution back runs the compensations (`compensate:`) of the tasks that
// completed successfully, in reverse order of the transitions actually
// taken: a task's compensation waits for those of every task its success
// led to, so branches that ran in parallel are undone in parallel. A
// with-items task is compensated per succeeded item, a workflow task by
// rolling its sub-execution back first, then by its own `compensate:`.
//
// Durable progress: the plan (the units to undo and what each waits for)
// is stored in the execution's runtime_context.rollback when the rollback
// starts; each unit's compensation is a task execution of the execution
// (runtime_context.compensates: the task execution it undoes), so after a
// crash the rows say which compensations are done, and recovery treats a
// compensation's running action as any task's (safe-rerun).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "bora/core/python_format.h"
#include "bora/engine/task_result.h"
#include "step.h"

namespace bora::engine {

using storage::FilterOp;
using storage::TaskExecution;
using storage::WorkflowExecution;

namespace {

const Value* rollback_record(const WorkflowExecution& wf_ex) {
  return WorkflowContextView(wf_ex.runtime_context).rollback();
}

void set_record(WorkflowExecution& wf_ex, Value rb) { WorkflowContext(wf_ex.runtime_context).set_rollback(std::move(rb)); }

std::string text_of(const Value& v) { return v.is_string() ? v.as_string() : ""; }

bool open_state(State s) { return s == State::Running || s == State::Waiting || s == State::Idle || s == State::Delayed; }

}  // namespace

bool Step::is_compensation(const TaskExecution& t) { return TaskContextView(t.runtime_context).is_compensation(); }

bool Step::rolling_back(const WorkflowExecution& wf_ex) {
  const Value* rb = rollback_record(wf_ex);
  return rb && !(*rb)["done"].truthy() && (*rb)["failed"].is_null();
}

bool Step::going_on(const WorkflowExecution& wf_ex) { return wf_ex.state == State::Running && !rolling_back(wf_ex); }

const lang::TaskSpec* Step::task_spec_of(const lang::WorkflowSpec& spec, const TaskExecution& t) {
  const lang::TaskSpec* task = spec.task(t.name);
  if (!task || !is_compensation(t)) return task;
  // A sub-execution's rollback (rollback_of) runs no spec of its own.
  if (TaskContextView(t.runtime_context).rollback_of()) return nullptr;
  return task->compensation.get();
}

ExpressionScope Step::compensation_scope(const WorkflowExecution& wf_ex, const TaskExecution& comp) {
  // task() in a compensation is the task it undoes (its published values,
  // its result; a with-items item's own result), not the compensation.
  auto undone = TaskContextView(comp.runtime_context).compensation();
  auto fwd = tx_.task_executions().find(undone ? undone->task_execution_id : "", ProjectScope::internal());
  // A compensation is Bora's, not one of Mistral's transactions: task()
  // answers for each unit undone (no expr::CallCache kept across them).
  if (!fwd) {
    ExpressionScope own = scope_of(wf_ex, &comp, Value());
    own.call_cache = nullptr;
    return own;
  }
  Value item_result;
  if (undone->index) {
    for (const auto& a : tx_.action_executions()
                             .list({ProjectScope::internal(), {{"task_execution_id", FilterOp::Eq, {fwd->id}}}})
                             .value())
      if (a.accepted && ItemContextView(a.runtime_context).index() == undone->index && a.output.is_dict())
        item_result = a.output["result"];
  }
  ExpressionScope scope = scope_of(wf_ex, &*fwd, item_result);
  Value model = task_user_model(tx_, *fwd);
  auto lookup = scope.task_lookup;
  std::string name = fwd->name;
  scope.task_lookup = [lookup, model, name](const std::string& n) { return n == name ? model : lookup(n); };
  scope.call_cache = nullptr;
  return scope;
}

// The units to undo, in the order they may start (reverse completion), each
// with the units it waits for. Edges are the transitions taken: a task's
// recorded `triggered_by` (Mistral's list: a task's trigger, a join's arrivals),
// else (rows of earlier versions, reruns) every earlier
// task whose next tasks name it; in a reverse workflow, the requires. Only edges
// from an earlier finished task to a later one are kept, so the plan is
// acyclic whatever loops the workflow made.
Value Step::rollback_plan(const WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec) {
  auto rows = tx_.task_executions()
                  .list({ProjectScope::internal(), {{"workflow_execution_id", FilterOp::Eq, {wf_ex.id}}},
                         {{"created_at", false}}})
                  .value();
  std::erase_if(rows, [](const TaskExecution& t) { return is_compensation(t); });
  std::stable_sort(rows.begin(), rows.end(), [](const TaskExecution& a, const TaskExecution& b) {
    return a.finished_at.value_or(a.created_at) < b.finished_at.value_or(b.created_at);
  });
  size_t n = rows.size();
  std::map<std::string, size_t> pos;
  for (size_t i = 0; i < n; ++i) pos[rows[i].id] = i;
  std::vector<std::vector<size_t>> succ(n);
  for (size_t y = 0; y < n; ++y) {
    const TaskExecution& t = rows[y];
    if (spec.type == lang::WorkflowType::Reverse) {
      // A reverse workflow's task started once all it requires succeeded:
      // its recorded triggered_by is only the last of them, so the edges
      // are the requires (each required task's compensation waits for it).
      const lang::TaskSpec* ts = spec.task(t.name);
      auto reqs = ts ? spec.requires_of(*ts) : std::vector<std::string>{};
      for (size_t x = 0; x < n; ++x)
        if (x != y && std::find(reqs.begin(), reqs.end(), rows[x].name) != reqs.end()) succ[x].push_back(y);
      continue;
    }
    // What started it: one task, or every arrival of a join.
    bool found = false;
    for (const auto& by : TaskContextView(t.runtime_context).triggered_by_all()) {
      if (!pos.count(by)) continue;
      succ[pos[by]].push_back(y);
      found = true;
    }
    if (found) continue;
    for (size_t x = 0; x < n; ++x)
      if (x != y && names_next(rows[x], t.name)) succ[x].push_back(y);
  }
  // Depth-first from the earliest finished tasks; an edge that would close
  // a cycle (a loop the workflow made, seen through names) is dropped. The
  // post-order lists every task after all those it led to.
  std::vector<int> color(n, 0);  // 0 new, 1 on the stack, 2 done
  std::vector<size_t> post;
  for (size_t root = 0; root < n; ++root) {
    if (color[root]) continue;
    std::vector<std::pair<size_t, size_t>> stack{{root, 0}};
    color[root] = 1;
    while (!stack.empty()) {
      auto& [x, i] = stack.back();
      if (i < succ[x].size()) {
        size_t z = succ[x][i];
        if (color[z] == 1) {
          succ[x].erase(succ[x].begin() + static_cast<std::ptrdiff_t>(i));
          continue;
        }
        ++i;
        if (color[z] == 0) {
          color[z] = 1;
          stack.push_back({z, 0});
        }
        continue;
      }
      color[x] = 2;
      post.push_back(x);
      stack.pop_back();
    }
  }
  // Units per task (in the order they are listed: later first).
  List units;
  std::vector<std::vector<int64_t>> units_of(n);
  std::vector<std::vector<int64_t>> frontier(n);  // the nearest units at or after a task
  auto unit = [&](const TaskExecution& t, std::optional<int64_t> index, const std::optional<std::string>& sub,
                  const std::vector<int64_t>& after) {
    List a;
    for (int64_t k : after) a.emplace_back(k);
    Dict u;
    u.set("task", Value(t.id));
    u.set("name", Value(t.name));
    u.set("index", index ? Value(*index) : Value());
    u.set("sub", sub ? Value(*sub) : Value());
    u.set("after", Value(std::move(a)));
    units.emplace_back(std::move(u));
    return static_cast<int64_t>(units.size() - 1);
  };
  for (size_t y : post) {
    std::set<int64_t> after_set;
    for (size_t z : succ[y]) after_set.insert(frontier[z].begin(), frontier[z].end());
    std::vector<int64_t> after(after_set.begin(), after_set.end());
    const TaskExecution& t = rows[y];
    const lang::TaskSpec* task = spec.task(t.name);
    // The units of a with-items task (one per item) wait for the same
    // units: they wait for one barrier unit instead, which waits for
    // those, so the plan grows with the units, not with their product.
    bool many = TaskContextView(t.runtime_context).has_with_items();
    if (many && after.size() > 1) {
      int64_t b = unit(t, std::nullopt, std::nullopt, after);
      units[static_cast<size_t>(b)] = units[static_cast<size_t>(b)].with("barrier", Value(true));
      after = {b};
    }
    // A task undone: one that succeeded; of a with-items task (even one
    // that failed or was cancelled) every item that succeeded; of a
    // workflow task every sub-execution that did some work and has not
    // rolled itself back (a failed or cancelled one too: its succeeded
    // tasks are undone by its own rollback).
    bool succeeded = t.state == State::Success;
    if (task && (t.state == State::Success || t.state == State::Error || t.state == State::Cancelled)) {
      std::vector<int64_t> subs;
      if (t.type == "WORKFLOW") {
        for (const auto& sub : tx_.workflow_executions()
                                   .list({ProjectScope::internal(), {{"task_execution_id", FilterOp::Eq, {t.id}}},
                                          {{"created_at", false}}})
                                   .value()) {
          if (sub.state != State::Success && sub.state != State::Error && sub.state != State::Cancelled) continue;
          if (const Value* rb = rollback_record(sub); rb && (*rb)["done"].truthy()) continue;
          subs.push_back(unit(t, WorkflowContextView(sub.runtime_context).index(), sub.id, after));
        }
      }
      std::vector<int64_t> own_after = subs.empty() ? after : subs;
      if (task->compensation) {
        bool items = TaskContextView(t.runtime_context).has_with_items();
        if (items && t.type == "ACTION") {
          // (any state: the items that succeeded are undone)
          std::set<int64_t> done;
          for (const auto& a : tx_.action_executions()
                                   .list({ProjectScope::internal(), {{"task_execution_id", FilterOp::Eq, {t.id}}}})
                                   .value())
            if (auto index = ItemContextView(a.runtime_context).index(); a.accepted && a.state == State::Success && index)
              done.insert(*index);
          for (auto it = done.rbegin(); it != done.rend(); ++it)
            units_of[y].push_back(unit(t, *it, std::nullopt, own_after));
        } else if (items) {
          // Per item, after that item's sub-execution is rolled back.
          for (int64_t u : subs) {
            Value sub_unit = units[static_cast<size_t>(u)];
            auto sub = tx_.workflow_executions().find(sub_unit["sub"].as_string(), ProjectScope::internal());
            if (!sub || sub->state != State::Success) continue;
            std::optional<int64_t> index;
            if (sub_unit["index"].is_int()) index = sub_unit["index"].as_int();
            units_of[y].push_back(unit(t, index, std::nullopt, {u}));
          }
        } else if (succeeded) {
          units_of[y].push_back(unit(t, std::nullopt, std::nullopt, own_after));
        }
      }
      if (units_of[y].empty()) units_of[y] = subs;
    }
    frontier[y] = units_of[y].empty() ? after : units_of[y];
  }
  return Value(std::move(units));
}

void Step::begin_rollback(WorkflowExecution& wf_ex, const std::string& cause,
                          const std::optional<std::string>& report_to) {
  const Value* old = rollback_record(wf_ex);
  bool active = wf_ex.state == State::Running || wf_ex.state == State::Paused;
  if (old && active && rolling_back(wf_ex)) return;  // already under way
  auto spec = spec_of(wf_ex);
  Value rb;
  if (old && !(*old)["done"].truthy()) {
    // Again after a failed or cancelled rollback: the same plan, the units
    // not yet undone, a new attempt.
    int64_t attempt = (*old)["attempt"].is_int() ? (*old)["attempt"].as_int() : 1;
    rb = old->with("attempt", Value(attempt + 1)).with("failed", Value());
    // A sub-execution resumed by its parent's new attempt reports to the
    // parent's new compensation, not to the one that stopped.
    if (report_to) rb = rb.with("report_to", Value(*report_to));
  } else {
    // In-flight tasks are cancelled first (as a cancel does): a task that
    // did not complete has nothing to undo. Running sub-executions of those
    // tasks are cancelled with them, recursively (cancellation.cpp).
    cancel_subexecutions(wf_ex, std::string("Cancelled: its parent execution is rolling back"));
    cancel_open_tasks(wf_ex);
    rb = Value::dict({{"cause", Value(cause)},
                      {"attempt", Value(int64_t{1})},
                      {"units", rollback_plan(wf_ex, *spec)},
                      {"report_to", report_to ? Value(*report_to) : Value()},
                      {"done", Value(false)},
                      {"failed", Value()}});
  }
  State from = wf_ex.state;
  set_record(wf_ex, rb);
  // The pause backlog would start forward tasks on a resume.
  if (WorkflowContextView(wf_ex.runtime_context).has_backlog()) WorkflowContext(wf_ex.runtime_context).set_backlog({});
  // A paused (or ended) execution runs its rollback at once: the rollback
  // is an operator's decision, as a resume is.
  wf_ex.state = State::Running;
  wf_ex.state_info = "Rolling back after: " + text_of(rb["cause"]);
  wf_ex.accepted = false;
  wf_ex = tx_.workflow_executions().update(wf_ex).value();
  if (from != wf_ex.state) workflow_state_changed(wf_ex, from);
  rollback_progress(wf_ex);
}

void Step::rollback_progress(WorkflowExecution& wf_ex) {
  // A compensation that completes inside this loop (a sub-execution with
  // nothing to undo) comes back here: it only asks for one more round.
  if (rollback_busy_.count(wf_ex.id)) {
    rollback_again_.insert(wf_ex.id);
    return;
  }
  rollback_busy_.insert(wf_ex.id);
  do {
    rollback_again_.erase(wf_ex.id);
    rollback_round(wf_ex);
  } while (rollback_again_.count(wf_ex.id) && wf_ex.state == State::Running);
  rollback_busy_.erase(wf_ex.id);
}

void Step::rollback_round(WorkflowExecution& wf_ex) {
  if (wf_ex.state != State::Running || !rolling_back(wf_ex)) return;
  if (auto fresh = tx_.workflow_executions().find(wf_ex.id, ProjectScope::internal())) wf_ex = std::move(*fresh);
  if (wf_ex.state != State::Running || !rolling_back(wf_ex)) return;
  Value rb = *rollback_record(wf_ex);
  const List& units = rb["units"].as_list();
  int64_t attempt = rb["attempt"].is_int() ? rb["attempt"].as_int() : 1;
  // Each unit's state from its compensations.
  enum class U { todo, active, done, failed };
  std::vector<U> state(units.size(), U::todo);
  std::vector<std::optional<TaskExecution>> failed_by(units.size());
  auto comps = tx_.task_executions()
                   .list({ProjectScope::internal(), {{"workflow_execution_id", FilterOp::Eq, {wf_ex.id}}},
                          {{"created_at", false}}})
                   .value();
  for (auto& c : comps) {
    if (!is_compensation(c)) continue;
    auto undone = TaskContextView(c.runtime_context).compensation();
    if (!undone || undone->unit < 0 || static_cast<size_t>(undone->unit) >= units.size()) continue;
    size_t u = static_cast<size_t>(undone->unit);
    if (state[u] == U::done) continue;
    if (c.state == State::Success) {
      state[u] = U::done;
      continue;
    }
    // One still running from an earlier attempt (the rollback was called
    // again while it ran: it stopped on another unit) is waited for, not
    // started twice; a failed one counts only in its own attempt.
    if (open_state(c.state)) {
      state[u] = U::active;
      continue;
    }
    if (undone->attempt != Value(attempt)) continue;
    if (state[u] != U::active) {
      state[u] = U::failed;
      failed_by[u] = c;
    }
  }
  // A barrier is done once what it waits for is (units wait only for
  // units listed before them).
  auto after_done = [&](size_t u) {
    for (const auto& k : units[u]["after"].as_list())
      if (state[static_cast<size_t>(k.as_int())] != U::done) return false;
    return true;
  };
  for (size_t u = 0; u < units.size(); ++u)
    if (units[u]["barrier"].truthy()) state[u] = after_done(u) ? U::done : U::active;
  auto spec = spec_of(wf_ex);
  for (size_t u = 0; u < units.size(); ++u) {
    if (state[u] != U::failed) continue;
    const TaskExecution& c = *failed_by[u];
    std::string why = c.state == State::Cancelled ? "was cancelled" : "failed: " + c.state_info.value_or("None");
    std::string msg = fmt::format(
        "Rollback stopped: the compensation of task '{}' [task_ex_id={}] {}. The execution was rolling back after: {}",
        c.name, c.id, why, text_of(rb["cause"]));
    set_record(wf_ex, rb.with("failed", Value(msg)));
    wf_ex = tx_.workflow_executions().update(wf_ex).value();
    finish_workflow(wf_ex, State::Error, msg);
    report_rollback(wf_ex);
    return;
  }
  bool all_done = true;
  for (size_t u = 0; u < units.size(); ++u) {
    if (state[u] == U::done) continue;
    all_done = false;
    if (state[u] != U::todo || !after_done(u)) continue;
    start_compensation(wf_ex, *spec, rb, u);
    state[u] = U::active;
    if (wf_ex.state != State::Running) return;
  }
  if (!all_done) return;
  set_record(wf_ex, rb.with("done", Value(true)));
  wf_ex = tx_.workflow_executions().update(wf_ex).value();
  Value output = wf_ex.output;
  finish_workflow(wf_ex, State::Error, "Rolled back after: " + text_of(rb["cause"]));
  if (rb["report_to"].is_string() && wf_ex.state == State::Error) {
    // A sub-execution rolled back for its parent keeps its output: it is
    // the result of the parent's task, which did succeed.
    wf_ex.output = output;
    wf_ex = tx_.workflow_executions().update(wf_ex).value();
  }
  report_rollback(wf_ex);
}

void Step::start_compensation(WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec, const Value& rb, size_t u) {
  const Value& unit = rb["units"][u];
  auto fwd = tx_.task_executions().find(text_of(unit["task"]), ProjectScope::internal());
  const lang::TaskSpec* task = fwd ? spec.task(fwd->name) : nullptr;
  if (!fwd || !task) return;
  const Value& sub_id = unit["sub"];
  const lang::TaskSpec* comp_spec = sub_id.is_string() ? task : task->compensation.get();
  if (!comp_spec) return;
  TaskExecution t = new_task_execution(wf_ex, *comp_spec, State::Running);
  t.type = sub_id.is_string() ? "WORKFLOW" : t.type;
  t.spec = sub_id.is_string() ? Value::dict({{"name", Value(fwd->name)}, {"compensates", Value(fwd->name)},
                                             {"rollback_of", sub_id}})
                              : comp_spec->data;
  Compensation undoes;
  undoes.task_execution_id = fwd->id;
  undoes.unit = static_cast<int64_t>(u);
  undoes.attempt = rb["attempt"];
  if (unit["index"].is_int()) undoes.index = unit["index"].as_int();
  if (sub_id.is_string()) undoes.rollback_of = sub_id.as_string();
  TaskContext(t.runtime_context).set_compensation(undoes);
  Value in_context = outbound_context(*fwd);
  if (unit["index"].is_int() && !sub_id.is_string()) {
    // The item's variables, as the forward run saw them.
    auto lists = with_items_lists(wf_ex, *fwd, *task);
    if (lists) in_context = merge_dicts(in_context, item_vars(**lists, static_cast<size_t>(unit["index"].as_int())));
  }
  t.in_context = in_context;
  t.started_at = now();
  t = tx_.task_executions().create(t).value();
  task_state_changed(wf_ex, t, std::nullopt);
  if (!sub_id.is_string()) {
    start_action(wf_ex, t, *comp_spec);
    return;
  }
  auto sub = tx_.workflow_executions().find(sub_id.as_string(), ProjectScope::internal());
  if (!sub) {
    complete_task(wf_ex, t, State::Error, "the sub-execution " + sub_id.as_string() + " no longer exists", Value());
    return;
  }
  begin_rollback(*sub, text_of(rb["cause"]), t.id);
}

void Step::report_rollback(const WorkflowExecution& wf_ex) {
  // A sub-execution rolled back for its parent's rollback completes the
  // parent's compensation task waiting for it.
  const Value* rb = rollback_record(wf_ex);
  if (!rb || !(*rb)["report_to"].is_string()) return;
  auto t = tx_.task_executions().find((*rb)["report_to"].as_string(), ProjectScope::internal());
  if (!t || t->state != State::Running) return;
  auto parent = tx_.workflow_executions().find(t->workflow_execution_id, ProjectScope::internal());
  if (!parent) return;
  if ((*rb)["done"].truthy()) complete_task(*parent, *t, State::Success, std::nullopt, Value());
  else complete_task(*parent, *t, wf_ex.state == State::Cancelled ? State::Cancelled : State::Error, wf_ex.state_info, Value());
}

Result<WorkflowExecution> Step::rollback_workflow(const std::string& id, const std::optional<std::string>& message,
                                                  const catalog::Caller& caller) {
  auto found = find_execution(id, caller);
  if (!found) return found;
  WorkflowExecution wf_ex = std::move(found).value();
  if (wf_ex.task_execution_id) {
    return bad_input(fmt::format(
        "Execution {} is a sub-workflow execution; roll back its root execution {} (a sub-execution is rolled "
        "back with it)",
        wf_ex.id, wf_ex.root_execution_id.value_or("")));
  }
  const Value* rb = rollback_record(wf_ex);
  if (rb && (*rb)["done"].truthy())
    return conflict(fmt::format("Execution {} was already rolled back", wf_ex.id));
  if (rb && rolling_back(wf_ex) && (wf_ex.state == State::Running || wf_ex.state == State::Paused)) return wf_ex;
  std::string cause;
  if (message && !message->empty()) cause = *message;
  else if (wf_ex.state == State::Error || wf_ex.state == State::Cancelled)
    cause = wf_ex.state_info.value_or(wf_ex.state == State::Error ? "the execution failed" : "the execution was cancelled");
  else cause = "rollback requested through the API";
  if (wf_ex.state == State::Cancelled && !(message && !message->empty()) && !rb) cause = "Cancelled: " + cause;
  begin_rollback(wf_ex, cause);
  return tx_.workflow_executions().get(wf_ex.id, ProjectScope::internal());
}

}  // namespace bora::engine
