// engine/reverse_transitions: what runs next in a reverse workflow: the
// target task and what it requires, each once its requirements succeeded
// (mistral/workflow/reverse_workflow.py).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "command_order.h"
#include "step.h"

namespace bora::engine {

using storage::ActionExecution;
using storage::FilterOp;
using storage::TaskExecution;
using storage::WorkflowExecution;

std::vector<const lang::TaskSpec*> Step::reverse_needed(const WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec) {
  // The target and everything it requires, transitively (cycles are refused
  // by the language model), in Mistral's order: networkx's
  // dfs_postorder_nodes(graph.reverse(), target) over the graph
  // ReverseWorkflowController builds. The reversed graph lists a task's
  // requirements in definition order (whatever order `requires` gives), and
  // each comes before what requires it; the target is last. The order
  // decides which of the tasks started together starts first.
  std::vector<const lang::TaskSpec*> out;
  const Value* target = wf_ex.params.find("task_name");
  const lang::TaskSpec* root = target && target->is_string() ? spec.task(target->as_string()) : nullptr;
  if (!root) return out;
  std::map<std::string, size_t> position;
  for (size_t k = 0; k < spec.tasks.size(); ++k) position.emplace(spec.tasks[k].name, k);
  auto requirements = [&](const lang::TaskSpec& t) {
    std::vector<const lang::TaskSpec*> reqs;
    for (const auto& r : spec.requires_of(t))
      if (const lang::TaskSpec* rt = spec.task(r)) reqs.push_back(rt);
    std::sort(reqs.begin(), reqs.end(),
              [&](const lang::TaskSpec* a, const lang::TaskSpec* b) { return position[a->name] < position[b->name]; });
    reqs.erase(std::unique(reqs.begin(), reqs.end()), reqs.end());
    return reqs;
  };
  // Iterative (a long chain of requirements must not exhaust the stack).
  struct Frame {
    const lang::TaskSpec* task;
    std::vector<const lang::TaskSpec*> reqs;
    size_t next = 0;
  };
  std::set<std::string> seen{root->name};
  std::vector<Frame> stack;
  stack.push_back({root, requirements(*root)});
  while (!stack.empty()) {
    Frame& f = stack.back();
    if (f.next < f.reqs.size()) {
      const lang::TaskSpec* r = f.reqs[f.next++];
      if (seen.insert(r->name).second) stack.push_back({r, requirements(*r)});
      continue;
    }
    out.push_back(f.task);
    stack.pop_back();
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
  // Mistral's candidates in its order, run in its dispatcher's order
  // (command_order.h).
  std::vector<const lang::TaskSpec*> candidates;
  for (const lang::TaskSpec* candidate : reverse_needed(wf_ex, spec)) {
    if (by_name.count(candidate->name)) continue;
    auto reqs = spec.requires_of(*candidate);
    // A task without requirements is satisfied (_is_satisfied_task) when it
    // has no execution yet: a start task that ends while the workflow
    // starts (a with-items over nothing) runs the start tasks after it in
    // the dispatcher's order, and the start runs them again (frozen:
    // reverse/reverse_start_task_ended_while_starting).
    bool ready = true;
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
    }
    if (!ready) continue;
    candidates.push_back(candidate);
  }
  std::vector<NextCommand> cmds;
  for (size_t k = 0; k < candidates.size(); ++k) cmds.push_back({candidates[k]->name, false, false, "", k});
  for (const auto& c : mistral_command_order(std::move(cmds))) {
    const lang::TaskSpec* candidate = candidates[c.source];
    Value ctx = Value(Dict{}), published = Value(Dict{});
    for (const auto& r : spec.requires_of(*candidate)) {
      const TaskExecution* up = by_name.at(r);
      published = merge_dicts(published, up->published);
      ctx = merge_dicts(ctx, outbound_context(*up));
    }
    // No triggered_by: Mistral's reverse controller starts a task with
    // satisfied requires without one (its runtime_context stays {}); a
    // rollback orders a reverse workflow by its requires.
    run_task(wf_ex, spec, *candidate, merge_dicts(ctx, published), "");
    if (wf_ex.state != State::Running) return;
  }
}

}  // namespace bora::engine
