// engine/transitions: what runs after a task of a direct workflow: its
// on-error / on-skip / on-success / on-complete clauses, the engine commands
// (fail, succeed, pause, noop) and the tasks, in Mistral's dispatch order
// (command_order.h; mistral/workflow/direct_workflow.py).
#include <algorithm>
#include <utility>
#include <fmt/format.h>

#include "bora/core/json.h"
#include "bora/core/python_format.h"
#include "command_order.h"
#include "policies/policy.h"
#include "step.h"

namespace bora::engine {

std::string next_event(const storage::TaskExecution& from, const std::string& task_name) {
  if (!from.next_tasks.is_list()) return "";
  for (const auto& n : from.next_tasks.as_list())
    if (n.is_list() && n.size() > 1 && n.as_list()[0] == Value(task_name) && n.as_list()[1].is_string())
      return n.as_list()[1].as_string();
  return "";
}

bool names_next(const storage::TaskExecution& from, const std::string& task_name) {
  if (!from.next_tasks.is_list()) return false;
  for (const auto& n : from.next_tasks.as_list())
    if (n.is_list() && n.size() > 0 && n.as_list()[0] == Value(task_name)) return true;
  return false;
}


using storage::ActionExecution;
using storage::FilterOp;
using storage::TaskExecution;
using storage::WorkflowExecution;

void Step::schedule_next(WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec, TaskExecution& t,
                         bool dispatch) {
  // A compensation leads nowhere; while rolling back nothing goes forward
  // (rollback.cpp takes the rollback on).
  if (is_compensation(t) || rolling_back(wf_ex)) return;
  // A task it starts that ends at once must not end the workflow before
  // the next commands ran (Mistral checks after the transaction): every
  // caller checks the completion after this.
  CompletionHeld held(*this, wf_ex.id);
  if (spec.type == lang::WorkflowType::Reverse) {
    // A reverse workflow's transitions have nothing to evaluate.
    if (dispatch) schedule_reverse_next(wf_ex, spec, t);
    return;
  }
  const lang::TaskSpec* task = spec.task(t.name);
  Value outbound = outbound_context(t);
  Value data = expression_data(wf_ex, outbound, &t);
  // task().result in a condition is read from storage by task(), only when
  // a condition asks for it.
  ExpressionScope scope = scope_of(wf_ex, &t, Value());
  using Next = NextTransition;
  std::vector<Next> next;
  auto consider = [&](const std::vector<lang::Transition>& clause, const char* event) -> bool {
    for (const auto& tr : clause) {
      if (!tr.condition.is_null()) {
        auto v = expr_.evaluate(tr.condition, data, scope);
        if (!v) {
          // Mistral evaluates transitions while handling the action's result.
          force_fail_transition(wf_ex, t, v.error().message);
          return false;
        }
        if (!v->truthy()) continue;
      }
      // Mistral's _find_next_tasks_for_clause evaluates a command's params
      // with its condition, before any command runs: one that fails fails
      // the task, and nothing of the clauses starts.
      std::optional<Value> msg;
      if (const Value* raw = tr.params.find("msg"); tr.engine_command() && raw && !raw->is_null()) {
        auto m = expr_.evaluate(*raw, data, scope);
        if (!m) {
          force_fail_transition(wf_ex, t, m.error().message);
          return false;
        }
        msg = std::move(m).value();
      }
      next.push_back({tr, event, std::move(msg)});
    }
    return true;
  };
  // Mistral's _find_next_tasks: on-error; on-skip (a skipped task with no
  // on-skip target goes on by on-success); on-success; on-complete for
  // SUCCESS and ERROR only.
  if (t.state == State::Error && !consider(spec.on_error_of(*task), "on-error")) return;
  bool skip_goes_on = false;
  if (t.state == State::Skipped) {
    if (task->on_skip && !consider(task->on_skip->next, "on-skip")) return;
    skip_goes_on = next.empty();
  }
  if ((t.state == State::Success || skip_goes_on) && !consider(spec.on_success_of(*task), "on-success")) return;
  if ((t.state == State::Success || t.state == State::Error) && !consider(spec.on_complete_of(*task), "on-complete")) return;
  std::vector<Value> next_tasks;
  // Mistral stores only tasks here, not engine commands: a task that ends
  // with `fail` is an end task whose context reaches the output.
  for (const auto& n : next)
    if (!n.transition.engine_command()) next_tasks.push_back(Value::list({Value(n.transition.task), Value(n.event)}));
  t.has_next_tasks = !next_tasks.empty();
  t.next_tasks = Value(std::move(next_tasks));
  // Mistral's task_ex.error_handled: some command came from on-error. An
  // on-error clause whose conditions are all false handles nothing, and the
  // workflow fails (engine/tasks.py: any(c.handles_error for c in cmds)).
  t.error_handled = t.state == State::Error && std::any_of(next.begin(), next.end(), [](const auto& n) {
                      return n.event == std::string_view("on-error");
                    });
  // Paused: Mistral's Task.complete returns here, the task unprocessed.
  if (!dispatch) {
    t = tx_.task_executions().update(t).value();
    return;
  }
  t.processed = true;
  t = tx_.task_executions().update(t).value();
  // The joins downstream that exist already are refreshed once the batch
  // ran (Mistral's _check_affected_tasks schedules their refresh).
  note_affected_joins(wf_ex, spec, t.name);

  // Mistral's dispatcher order (see command_order.h).
  std::vector<NextCommand> cmds;
  for (size_t k = 0; k < next.size(); ++k) {
    const lang::TaskSpec* target = spec.task(next[k].transition.task);
    bool join = target && !target->join.is_null();
    cmds.push_back({next[k].transition.task, next[k].transition.engine_command(), join,
                    join ? join_key(wf_ex, target->name) : std::string(), k});
  }
  cmds = mistral_command_order(std::move(cmds));
  std::vector<Next> ordered;
  for (const auto& c : cmds) ordered.push_back(next[c.source]);
  next = std::move(ordered);
  // The joins the commands satisfy start once the batch ran
  // (start_satisfied_joins): Mistral creates a join WAITING and starts it
  // by a refresh scheduled after the transaction, so a later command that
  // ends the workflow (`succeed`, `fail`, one that fails) leaves the join
  // WAITING.
  run_commands(wf_ex, spec, t, next, outbound);
}

Step::CommandMessage Step::command_message(const std::optional<Value>& msg) {
  CommandMessage m;
  if (msg) {
    if (!msg->is_null()) m.info = msg->is_string() ? msg->as_string() : python_str(*msg);
    // cut() leaves a false value as it is (0, false, "", [], {}) and
    // makes text of anything else.
    m.result = msg->truthy() && m.info ? Value(*m.info) : *msg;
    // Mistral's set_state stores a dict as json.dumps of it; the
    // output's `result` is str() of it. A boolean goes into the text
    // column as the database driver writes it: 1 or 0.
    if (msg->is_dict()) m.state_info = to_json(*msg, JsonFormat::python());
    if (msg->is_bool()) m.state_info = msg->as_bool() ? "1" : "0";
  }
  if (!m.state_info) m.state_info = m.info;
  return m;
}

void Step::pause_by_command(WorkflowExecution& wf_ex, const std::optional<std::string>& state_info,
                            const std::vector<HeldCommand>& rest) {
  auto backlog = WorkflowContextView(wf_ex.runtime_context).backlog();
  backlog.insert(backlog.end(), rest.begin(), rest.end());
  // Mistral's pause_workflow: the sub-workflows earlier commands started
  // are paused first, with the pause's message.
  pause_subworkflows_of(wf_ex, state_info);
  wf_ex.state = State::Paused;
  wf_ex.state_info = state_info;
  WorkflowContext(wf_ex.runtime_context).set_backlog(backlog);
  wf_ex = tx_.workflow_executions().update(wf_ex).value();
  workflow_state_changed(wf_ex, State::Running, Tell::no_trace);  // no trace line, as before the seam
  settled_.push_back(wf_ex.id);
  // A sub-workflow pausing itself pauses its parents, as in Mistral.
  if (wf_ex.task_execution_id) schedule_timer(*this, kPauseParent, *wf_ex.task_execution_id, 0);
}

void Step::run_commands(WorkflowExecution& wf_ex, const lang::WorkflowSpec& spec, TaskExecution& t,
                        const std::vector<NextTransition>& next, const Value& outbound) {
  for (size_t k = 0; k < next.size(); ++k) {
    const auto& n = next[k];
    if (wf_ex.state == State::Paused && !rolling_back(wf_ex)) {
      // A command before paused the workflow (a task it started held by
      // pause-before): the rest wait in the backlog for the resume, as
      // Mistral's _process_commands saves them.
      auto backlog = WorkflowContextView(wf_ex.runtime_context).backlog();
      for (size_t r = k; r < next.size(); ++r) backlog.push_back({t.id, next[r].transition.task, next[r].msg});
      WorkflowContext(wf_ex.runtime_context).set_backlog(backlog);
      wf_ex = tx_.workflow_executions().update(wf_ex).value();
      return;
    }
    if (!going_on(wf_ex)) return;
    const std::string& target = n.transition.task;
    if (n.transition.engine_command()) {
      auto [info, state_info, result] = command_message(n.msg);
      if (n.transition.rollback) {
        // Bora's `rollback` (docs/LANGUAGE.md "Rollback"): why, the msg or
        // the task's own failure.
        std::string cause = info ? *info
                            : t.state == State::Error ? fmt::format("task '{}' failed: {}", t.name, t.state_info.value_or("None"))
                                                 : fmt::format("task '{}' asked for a rollback", t.name);
        begin_rollback(wf_ex, cause);
      } else if (target == "fail") {
        finish_workflow(wf_ex, State::Error, state_info, &result);
      } else if (target == "succeed") {
        // An output that fails here fails the task's completion (Mistral
        // evaluates it while handling the action's result).
        if (auto ended = succeed_workflow(wf_ex, state_info); !ended)
          return force_fail_transition(wf_ex, t, ended.error().message);
      } else if (target == "pause" && resuming_held_tasks_) {
        // Dropped on resume, as Mistral's _continue_workflow drops it.
      } else if (target == "pause") {
        // The transitions after `pause` wait in a backlog for the resume
        // (Mistral's command backlog).
        std::vector<HeldCommand> rest;
        for (size_t r = k + 1; r < next.size(); ++r) rest.push_back({t.id, next[r].transition.task, next[r].msg});
        return pause_by_command(wf_ex, state_info, rest);
      }
      continue;  // noop
    }
    const lang::TaskSpec* next_spec = spec.task(target);
    if (!next_spec) continue;  // the language model refuses unknown targets
    run_task(wf_ex, spec, *next_spec, outbound, t.id, n.event);
  }
}

}  // namespace bora::engine
