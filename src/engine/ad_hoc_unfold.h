// engine/ad_hoc_unfold: an action name and its input, unfolded to what
// runs. An ad-hoc action (Mistral's AdHocAction) is built on another
// action: its input is checked against its parameters, its base-input
// evaluated over them, and its output transform kept for the result; the
// chain ends at a std or a dynamic action. A task's action and a direct run
// (POST /v2/action_executions, `mistral run-action`) unfold the same way.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bora/catalog/catalog.h"
#include "bora/core/error.h"
#include "bora/core/value.h"
#include "bora/executor/dynamic_action.h"
#include "bora/executor/executor.h"
#include "bora/expr/expression_port.h"

namespace bora::engine {

using expr::ExpressionPort;
using expr::ExpressionScope;

struct UnfoldedAction {
  // The input as given, with the defaults of the named action's parameters
  // when it is ad hoc (Mistral's AdHocActionDescriptor.instantiate adds
  // them to the dict it was given: a direct run shows and stores them).
  Value input;
  std::string base;                    // the std or dynamic action that runs
  Value base_input;                    // its input (a std action's: checked, defaults added)
  std::vector<Value> outputs;          // the ad-hoc output transforms, innermost first
  std::optional<executor::DynamicActionCode> dynamic;
  const executor::ActionDescriptor* descriptor = nullptr;  // a std action's
  bool is_async() const { return descriptor && descriptor->is_async; }
};

struct UnfoldOptions {
  int64_t max_depth = 100;  // [engine] max_adhoc_depth
  // Mistral names the namespace when a workflow's action is not found
  // ("Failed to find action [action_name=x, namespace=]"), not for a direct
  // run ("Failed to find action [action_name=x]").
  bool name_namespace_when_missing = true;
  // A direct run (not a task's action): Mistral instantiates it with an
  // empty workflow context, so a level given no input and declaring none
  // has an empty context, false to Python, and evaluate_recursively passes
  // its base-input on as written.
  bool direct_run = false;
};

Result<UnfoldedAction> unfold_action(const catalog::Catalog& names, const catalog::Place& place,
                                     const std::string& action, const Value& input, const ExpressionPort& expressions,
                                     const ExpressionScope& scope, const UnfoldOptions& options);

// The output transforms applied to a result, innermost first, with $ = the
// result; an error says which failed.
Result<Value> apply_ad_hoc_outputs(const Value& outputs, Value data, const ExpressionPort& expressions);

}  // namespace bora::engine
