// expr/expression_port: how the engine evaluates the expressions of a
// definition (task input, publish, conditions, output) without knowing the
// expression engines. MistralExpressions (expr/mistral_expressions.h)
// implements it; what needs a running execution (task(), execution(),
// tasks()...) comes in through ExpressionScope, filled by the engine.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "bora/core/error.h"
#include "bora/core/value.h"
#include "bora/expr/compiled.h"

namespace bora::expr {

// tasks(workflow_execution_id, recursive, state, flat) and
// executions(id, root_execution_id, state, from_time, to_time).
struct TasksQuery {
  std::optional<std::string> workflow_execution_id;
  bool recursive = false;
  std::optional<std::string> state;
  bool flat = false;
  // The task whose expression asks, and its state as the engine has it at
  // that moment: while a task publishes, its stored row still says RUNNING,
  // but Mistral has set the state first (Task.complete), so tasks(..,
  // SUCCESS) lists the publishing task itself.
  std::string asking_task_id;
  std::string asking_task_state;
};
struct ExecutionsQuery {
  std::optional<std::string> id, root_execution_id, state, from_time, to_time;
};

// Mistral's task(), tasks(), execution() and executions() are
// @db_utils.tx_cached with
// the context ignored: within one database transaction a call with the
// same arguments answers what the first one did. So a transition that
// reads task() after a publish that called it sees the task as it was
// when it published (its published {}; its result even with keep-result
// false), and a task started in the same transaction that reads task()
// gets the task that completed (frozen from Mistral 15:
// data_flow/tx_cached_*). The engine gives each of its units of work
// that is one of Mistral's transactions a new cache (engine/step.h).
// Key: the function and its arguments as Mistral's call receives them.
struct CallCache {
  std::map<std::string, Value> answers;
  bool operator==(const CallCache&) const = default;
};

// What an expression may ask about the running execution (Mistral's
// task(), execution(), env()).
struct ExpressionScope {
  std::string workflow_execution_id;
  std::string workflow_name;
  std::string task_execution_id;  // empty outside a task
  std::string task_name;
  Value task_result;  // the current task's result, for task() in publish
  Value task_state;   // "SUCCESS" / "ERROR" (string), null before it ends
  Value task_state_info;  // the current task's state_info as set now (task() shows it with task_state)
  Value env;          // the execution's environment (params.env)
  Value execution;    // {id, name, spec, input, params, created_at, updated_at, root_execution_id}
  Value globals;      // the execution's context (global publishes), for global(name)
  // task('name'): the latest execution of that task in this workflow
  // execution (id, name, state, state_info, result, published), or null.
  std::function<Value(const std::string&)> task_lookup;
  std::function<Value(const TasksQuery&)> tasks_query;
  std::function<Value(const ExecutionsQuery&)> executions_query;
  // > 0: an evaluation still running after this many milliseconds stops
  // and throws expr::EvaluationYielded (expr/budget.h) instead of going on,
  // for the caller to finish it elsewhere (the engine's loop: its compute
  // workers, engine/compute.h). 0: it runs to its end or its budget.
  int64_t yield_after_ms = 0;
  // The value goes to an executor (an action's input), not to a database
  // column: Mistral's RPC serializer (oslo's to_primitive without a
  // fallback) writes a generator there as its repr, where its columns
  // store the generator's items.
  bool sent_to_executor = false;
  // This transaction's answers of task(), tasks(), execution() and
  // executions(); null:
  // none kept (an evaluation outside the engine's transactions).
  std::shared_ptr<CallCache> call_cache;
};

class ExpressionPort {
 public:
  virtual ~ExpressionPort() = default;
  // Evaluates every expression inside value (strings, lists, dict values;
  // not dict keys, as in Mistral)
  // against the data context; a value with no expression comes back as it
  // is. BadInput with the expression and the reason on failure.
  // A definition's fields come compiled (lang's specs hold CompiledValues):
  // evaluating them scans and parses no text.
  virtual Result<Value> evaluate(const CompiledValue& value, const Value& data, const ExpressionScope& scope) const = 0;
  // A value built at run time, compiled first (each distinct string once,
  // expr::shared_template). The engine's only such values: a publish merged
  // from an on-clause's `publish:`, a transition command's `msg`, an ad-hoc
  // action's output transform read from its stored action execution; and
  // `bora eval`'s text.
  virtual Result<Value> evaluate(const Value& value, const Value& data, const ExpressionScope& scope) const = 0;
};

// Until an expression engine is plugged in: values without expressions
// pass; a value holding one is refused, saying so.
class LiteralExpressions : public ExpressionPort {
 public:
  Result<Value> evaluate(const CompiledValue& value, const Value& data, const ExpressionScope& scope) const override;
  Result<Value> evaluate(const Value& value, const Value& data, const ExpressionScope& scope) const override;
};

}  // namespace bora::expr
