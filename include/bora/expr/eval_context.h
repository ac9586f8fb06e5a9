// expr/eval_context: what an expression sees when it is evaluated: the data
// context ($ in YAQL, _ in Jinja), the host functions (Mistral's env(),
// task(), json_dump(), ...) and, inside a workflow, a view of the running
// execution (the ExpressionScope). Shared by the YAQL and Jinja engines and the evaluator facade.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bora/core/value.h"
#include "bora/expr/budget.h"

namespace bora::expr {

struct ExpressionScope;  // expr/expression_port.h: the running execution, filled by the engine

// A call of a host function from an expression.
struct HostCall {
  std::vector<Value> args;                            // positional, in order
  std::vector<std::pair<std::string, Value>> kwargs;  // named (YAQL `name => v`, Jinja `name=v`)
  const Value& data;                                  // the data context
  // What the host functions (task(), env(), execution(), tasks()) read:
  // passed with each evaluation, never kept in a global or thread_local.
  const ExpressionScope* scope;                       // null: no execution
  // Called from Jinja (Mistral's Jinja functions read the data context as a
  // dict, so a missing key is an error there; YAQL gives null).
  bool from_jinja = false;
};

// A host function throws BoraError (BadInput) to fail the expression; the
// engine wraps the message with the expression text.
using HostFunction = std::function<Value(const HostCall&)>;

// Name -> function, filled once at start-up, read-only (and so thread-safe)
// afterwards.
class HostFunctions {
 public:
  void add(std::string name, HostFunction fn) { fns_[std::move(name)] = std::move(fn); }
  const HostFunction* find(std::string_view name) const {
    auto it = fns_.find(std::string(name));
    return it == fns_.end() ? nullptr : &it->second;
  }
  bool empty() const { return fns_.empty(); }

 private:
  std::unordered_map<std::string, HostFunction> fns_;
};

struct EvalContext {
  const Value& data;
  const HostFunctions* functions = nullptr;
  const ExpressionScope* scope = nullptr;  // handed to every host call
  // How Jinja names the data context in "'X object' has no attribute" (the
  // engine's is Mistral's ContextView, which Jinja then also iterates,
  // compares and copies as Python does one); null: a plain dict.
  const char* data_type_name = nullptr;
  // The work this evaluation may still do; null: the engines use a budget
  // with the default limits (so no caller can evaluate without one).
  EvalBudget* budget = nullptr;
  // A generator that is the whole result is given as its repr text (the
  // value is sent to an executor: ExpressionScope::sent_to_executor), not
  // as the items it has left.
  bool generators_as_text = false;
};

}  // namespace bora::expr
