// lang/specs: the typed, immutable model of the Mistral workflow language v2
// (workflows, tasks, policies, transitions, ad-hoc actions, workbooks).
// Values that may be expressions are expr::CompiledValues: the Value as
// written, with every expression in it compiled once, when the definition is
// parsed (the engine evaluates them without scanning text). Every spec also
// keeps `data`: the dict Mistral stores as
// its `spec` JSON (the definition plus injected name/version/type).
#pragma once

#include <memory>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bora/core/value.h"
#include "bora/expr/compiled.h"

namespace bora::lang {

enum class WorkflowType { Direct, Reverse };
const char* to_string(WorkflowType t) noexcept;

// Mistral's engine commands usable as transition targets.
bool is_engine_command(std::string_view name) noexcept;  // noop, fail, succeed, pause
// Bora's engine command `rollback` (docs/LANGUAGE.md "Rollback"): a command
// only in a workflow with no task of that name, so a Mistral workflow that
// has a task `rollback` keeps going to it.
inline constexpr const char* kRollbackCommand = "rollback";

// One target of on-success/on-error/on-complete/on-skip: a task name or an
// engine command, with an optional condition and command parameters
// (`- fail(msg='x'): <% $.bad %>` -> {task "fail", condition, params {msg}}).
struct Transition {
  std::string task;
  expr::CompiledValue condition;  // null when unconditional, else the expression string
  Dict params;
  // The target is Bora's `rollback` command (set by the workflow's parse).
  bool rollback = false;
  bool engine_command() const noexcept { return rollback || is_engine_command(task); }
};

// `publish:` in the advanced on-clause form, or a task's publish as `branch`.
struct PublishSpec {
  expr::CompiledValue branch;  // null or a dict of name -> value/expression
  expr::CompiledValue global;
  expr::CompiledValue atomic;
  bool empty() const noexcept { return branch.is_null() && global.is_null() && atomic.is_null(); }
};

struct OnClauseSpec {
  std::vector<Transition> next;
  std::optional<PublishSpec> publish;  // only in the dict form {next, publish}
};

struct RetrySpec {
  expr::CompiledValue count;        // int >= 0 or expression
  expr::CompiledValue delay;        // int >= 0 or expression
  expr::CompiledValue break_on;     // null or expression
  expr::CompiledValue continue_on;  // null or expression
  // Bora's own (null when not written; docs/LANGUAGE.md): the delay grows
  // with each retry (a multiplier > 0, "exponential" = x2, "linear"), is
  // capped by max-delay (seconds >= 0) and spread by jitter ("full",
  // "equal", "none"); each may be an expression.
  expr::CompiledValue backoff;
  expr::CompiledValue max_delay;
  expr::CompiledValue jitter;
};

// Null in a field means "not set" (the engine then applies task-defaults,
// then Mistral's defaults: 0 / false).
struct PoliciesSpec {
  std::optional<RetrySpec> retry;
  expr::CompiledValue wait_before;
  expr::CompiledValue wait_after;
  expr::CompiledValue timeout;
  expr::CompiledValue pause_before;
  expr::CompiledValue concurrency;
  expr::CompiledValue fail_on;
};

// Merges task-level policies over task-defaults (what the task sets wins).
PoliciesSpec merge_policies(const PoliciesSpec& task, const PoliciesSpec& defaults);

// One `var in <source>` of with-items; source is a list (from a literal
// `[1, 2]`) or an expression string.
struct WithItemsSpec {
  std::string var;
  expr::CompiledValue source;
};

struct TaskSpec {
  std::string name;
  WorkflowType type = WorkflowType::Direct;
  std::string description;
  std::vector<std::string> tags;

  // Exactly one is set; a task with neither runs "std.noop". The name may
  // itself be an expression (`<% $.action_name %>`).
  std::string action;
  std::string workflow;
  // The action or workflow name, compiled, when it holds an expression
  // (null otherwise).
  expr::CompiledValue name_expression;
  // A dict: `input:` merged with the inline `name a=1 b="x"` params.
  expr::CompiledValue input = Value(Dict{});
  expr::CompiledValue input_expression;  // `input: <% $.params %>` (a string), else null

  expr::CompiledValue publish;  // dicts or null
  expr::CompiledValue publish_on_error;
  expr::CompiledValue publish_on_skip;
  std::vector<WithItemsSpec> with_items;
  PoliciesSpec policies;
  expr::CompiledValue target;       // null or string
  expr::CompiledValue keep_result;  // true by default; bool or expression
  expr::CompiledValue safe_rerun;   // null (not set), bool or expression

  // direct workflows
  Value join;  // null, "all", "one" or an int
  std::optional<OnClauseSpec> on_success;
  std::optional<OnClauseSpec> on_error;
  std::optional<OnClauseSpec> on_complete;
  std::optional<OnClauseSpec> on_skip;

  // reverse workflows
  std::vector<std::string> requires_;

  // Bora's `compensate:` (docs/LANGUAGE.md "Rollback"): how the task is
  // undone, as a task of its own: the action or workflow call (name, input)
  // of `compensate:`, the task's retry and timeout (task-defaults applied),
  // its safe-rerun, no transitions, publish or with-items. Null when the
  // task has none.
  std::shared_ptr<const TaskSpec> compensation;
  // Set in a compensation's spec: the name of the task it undoes.
  std::string compensates;

  Value data;

  bool is_workflow_task() const noexcept { return !workflow.empty(); }
};

struct TaskDefaultsSpec {
  PoliciesSpec policies;
  expr::CompiledValue safe_rerun;
  std::optional<OnClauseSpec> on_success;
  std::optional<OnClauseSpec> on_error;
  std::optional<OnClauseSpec> on_complete;
  std::vector<std::string> requires_;
  Value data;
};

// `- a` (required) or `- b: 5` (with a default, which may be null).
struct InputParam {
  std::string name;
  std::optional<Value> default_value;
};

struct WorkflowSpec {
  std::string name;
  WorkflowType type = WorkflowType::Direct;
  std::string description;
  std::vector<std::string> tags;
  std::vector<InputParam> input;
  expr::CompiledValue output;           // null or dict
  expr::CompiledValue output_on_error;  // null or dict
  expr::CompiledValue vars;             // null or dict
  std::optional<TaskDefaultsSpec> task_defaults;
  std::vector<TaskSpec> tasks;  // in definition order
  // Bora's `rollback-on-error: true`: an error that would fail the
  // execution rolls it back first (docs/LANGUAGE.md "Rollback").
  bool rollback_on_error = false;
  // A task has `compensate:` (the engine then records which task started
  // which, for the rollback's order); false for every Mistral workflow.
  bool has_compensations = false;
  Value data;

  const TaskSpec* task(std::string_view name) const noexcept;

  // Direct workflows: transitions of a task after task-defaults apply
  // (Mistral: the task's own clause if non-empty, else the defaults' minus
  // the task itself).
  std::vector<Transition> on_success_of(const TaskSpec& t) const;
  std::vector<Transition> on_error_of(const TaskSpec& t) const;
  std::vector<Transition> on_complete_of(const TaskSpec& t) const;
  // Tasks with no inbound transition (direct).
  std::vector<const TaskSpec*> start_tasks() const;
  // Direct workflows: the tasks with a transition (on-success/error/
  // complete/skip, task-defaults applied) to this one, in definition order;
  // computed once when the workflow is parsed (joins need it at run time).
  const std::vector<std::string>& inbound_of(const std::string& name) const;
  std::map<std::string, std::vector<std::string>> inbound;
  // Reverse workflows: requires of a task plus task-defaults' (minus itself).
  std::vector<std::string> requires_of(const TaskSpec& t) const;
};

struct ActionSpec {
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  std::string base;  // the action it calls, inline params moved to base_input
  // A dict, evaluated with the action's parameters as the data.
  expr::CompiledValue base_input = Value(Dict{});
  std::vector<InputParam> input;
  expr::CompiledValue output;  // null, a value or an expression
  Value data;
};

struct WorkbookSpec {
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  std::vector<std::shared_ptr<const WorkflowSpec>> workflows;
  std::vector<std::shared_ptr<const ActionSpec>> actions;
  Value data;
};

}  // namespace bora::lang
