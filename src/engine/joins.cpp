// engine/joins: a task with `join` runs once enough inbound tasks reached it
// (all, a number, or one); one that never can is failed with Mistral's text.
#include <fmt/format.h>

#include <set>

#include "bora/core/python_format.h"
#include "step.h"

namespace bora::engine {

using storage::ActionExecution;
using storage::FilterOp;
using storage::TaskExecution;
using storage::WorkflowExecution;

std::string join_key(const WorkflowExecution& wf_ex, const std::string& task) {
  return "join-task-" + wf_ex.id + "-" + task;
}

size_t Step::join_needed(const lang::TaskSpec& join, size_t inbound) {
  if (join.join.is_int()) return static_cast<size_t>(std::max<int64_t>(0, join.join.as_int()));
  if (join.join.is_string() && join.join.as_string() == "one") return 1;
  return inbound;
}

void Step::run_join(WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec, const lang::TaskSpec& join,
                    const std::string& triggered_by) {
  // Each arrival is counted on the join's task execution (WAITING until
  // enough inbound tasks came), so a 500-way join costs one row update per
  // arrival, not a scan of every inbound task. A join that can never be
  // satisfied is found when nothing else runs (check_completion).
  std::string key = join_key(wf_ex, join.name);
  auto existing = tx_.task_executions().find_one({{"unique_key", FilterOp::Eq, {key}}}, ProjectScope::internal());
  if (existing && existing->state != "WAITING") return;  // already ran or failed
  TaskExecution t;
  if (existing) {
    t = std::move(*existing);
  } else {
    t = new_task_execution(wf_ex, join, "WAITING");
    t.state_info = "Blocked by tasks that have not ended";
    t.unique_key = key;
    t.runtime_context = Value::dict({{"arrived", Value(List{})}});
    t = tx_.task_executions().create(t).value();
    traced(wf_ex, t, "");
  }
  List arrived = t.runtime_context["arrived"].is_list() ? t.runtime_context["arrived"].as_list() : List{};
  if (!triggered_by.empty() && std::find(arrived.begin(), arrived.end(), Value(triggered_by)) == arrived.end())
    arrived.emplace_back(triggered_by);
  size_t needed = join_needed(join, spec.inbound_of(join.name).size());
  if (arrived.size() < needed) {
    t.runtime_context = t.runtime_context.with("arrived", Value(std::move(arrived)));
    tx_.task_executions().update(t).value();
    return;
  }
  // evaluate_upstream_context: outbound contexts merged, then published,
  // in the order the tasks were stored (a later one wins a conflict).
  std::vector<std::string> ids;
  for (const auto& a : arrived) ids.push_back(a.as_string());
  auto upstream = tx_.task_executions().list({ProjectScope::internal(), {{"id", FilterOp::In, ids}}}).value();
  std::stable_sort(upstream.begin(), upstream.end(),
                   [](const TaskExecution& a, const TaskExecution& b) { return a.created_at < b.created_at; });
  Value ctx = Value(Dict{}), published = Value(Dict{});
  for (const auto& up : upstream) {
    published = merge_dicts(published, up.published);
    ctx = merge_dicts(ctx, outbound_context(up));
  }
  t.in_context = merge_dicts(ctx, published);
  t.runtime_context = Value(Dict{});
  set_task_state(t, "RUNNING");
  t.state_info.reset();
  t.started_at = now();
  t = tx_.task_executions().update(t).value();
  traced(wf_ex, t, "WAITING");
  task_event(wf_ex, t, "WAITING");
  start_action(wf_ex, t, join);
}

void Step::fail_unsatisfiable_join(WorkflowExecution& wf_ex, TaskExecution& t) {
  // Nothing else runs, so the join waits for tasks that ended elsewhere
  // (Mistral: "Failed by tasks: [...]") or never ran.
  auto spec = spec_of(wf_ex);
  const lang::TaskSpec* join = spec->task(t.name);
  std::vector<std::string> failed, blocked;
  if (join) {
    std::set<std::string> arrived_ids;
    if (t.runtime_context["arrived"].is_list())
      for (const auto& a : t.runtime_context["arrived"].as_list()) arrived_ids.insert(a.as_string());
    auto all = tx_.task_executions()
                   .list({ProjectScope::internal(),
                          {{"workflow_execution_id", FilterOp::Eq, {wf_ex.id}}},
                          {{"created_at", true}}})
                   .value();
    for (const auto& name : spec->inbound_of(join->name)) {
      const TaskExecution* latest = nullptr;
      for (const auto& e : all)
        if (e.name == name) {
          latest = &e;
          break;
        }
      if (!latest) blocked.push_back(name);
      else if (!arrived_ids.count(latest->id)) failed.push_back(name);
    }
  }
  auto list_text = [](const std::vector<std::string>& names) {
    std::vector<Value> v;
    for (const auto& n : names) v.emplace_back(n);
    return python_repr(Value(std::move(v)));
  };
  std::string why = !failed.empty() ? "Failed by tasks: " + list_text(failed) : "Blocked by tasks: " + list_text(blocked);
  complete_task(wf_ex, t, "ERROR", why, Value());
}

}  // namespace bora::engine
