// engine/reverse_transitions: what runs next in a reverse workflow: the
// target task and what it requires, each once its requirements succeeded
// (mistral/workflow/reverse_workflow.py).
#include <fmt/format.h>

#include <map>
#include <set>

#include "step.h"

namespace bora::engine {

using storage::ActionExecution;
using storage::FilterOp;
using storage::TaskExecution;
using storage::WorkflowExecution;

std::vector<const lang::TaskSpec*> Step::reverse_needed(const WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec) {
  // The target and everything it requires, transitively (cycles are refused
  // by the language model).
  std::vector<const lang::TaskSpec*> out;
  std::vector<std::string> pending;
  if (const Value* target = wf_ex.params.find("task_name"); target && target->is_string()) pending.push_back(target->as_string());
  std::set<std::string> seen;
  while (!pending.empty()) {
    std::string name = pending.back();
    pending.pop_back();
    if (!seen.insert(name).second) continue;
    const lang::TaskSpec* t = spec.task(name);
    if (!t) continue;
    out.push_back(t);
    for (const auto& r : spec.requires_of(*t)) pending.push_back(r);
  }
  return out;
}

void Step::schedule_reverse_next(WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec, TaskExecution& t) {
  t.processed = true;
  t.has_next_tasks = false;
  t = tx_.task_executions().update(t).value();
  if (t.state != State::Success) return;  // a failed requirement fails the workflow
  // Every needed task not started yet whose requirements all succeeded.
  auto done = tx_.task_executions()
                  .list({ProjectScope::internal(),
                         {{"workflow_execution_id", FilterOp::Eq, {wf_ex.id}}},
                         {{"created_at", false}}})
                  .value();
  std::map<std::string, const TaskExecution*> by_name;
  for (const auto& d : done) by_name[d.name] = &d;
  for (const lang::TaskSpec* candidate : reverse_needed(wf_ex, spec)) {
    if (by_name.count(candidate->name)) continue;
    auto reqs = spec.requires_of(*candidate);
    if (reqs.empty()) continue;
    bool ready = true;
    Value ctx = Value(Dict{}), published = Value(Dict{});
    for (const auto& r : reqs) {
      auto it = by_name.find(r);
      // Mistral's _is_satisfied_task reads wf_ex.task_executions, a
      // relationship loaded once per transaction before the tasks it
      // starts are created: a requirement created and ended in this
      // transaction (a with-items over nothing) is not seen, and what it
      // would satisfy never runs (frozen: reverse/reverse_requirement_*).
      if (it == by_name.end() || it->second->state != State::Success ||
          mistral_tx_.created_tasks.count(it->second->id)) {
        ready = false;
        break;
      }
      published = merge_dicts(published, it->second->published);
      ctx = merge_dicts(ctx, outbound_context(*it->second));
    }
    if (!ready) continue;
    run_task(wf_ex, spec, *candidate, merge_dicts(ctx, published), t.id);
    if (wf_ex.state != State::Running) return;
  }
}

}  // namespace bora::engine
