// executor/action: running one action. An action gets its input (already
// checked against its signature and completed with defaults) and a context
// saying which execution it belongs to, and ends with Mistral's Result: data
// on success, error data on failure. A failure is a value, never an
// exception across this border.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "bora/core/time_source.h"
#include "bora/core/value.h"

namespace bora::executor {

struct ActionResult {
  Value data;          // the result on success
  Value error;         // the error data on failure (a string message or any Value)
  bool failed = false;
  // The failure is an exception in Mistral's action (not an error result):
  // the executor wraps its message as Mistral's executor does, "The action
  // raised an exception [action=..., action_ex_id=..., msg='...']".
  bool raised = false;
  // What the action itself said about its completion, when it decides per
  // run (Mistral's Action.is_sync() asked of the instance: Python actions).
  // false: run() only started the work and the result comes later through
  // the API (PUT /v2/action_executions/{id}); true: this is the result.
  // Unset: the descriptor's is_async decides, as for std actions.
  std::optional<bool> is_sync = std::nullopt;
  // The action was cancelled from outside (PUT /v2/action_executions/{id}
  // state CANCELLED, mistral-lib's Result(cancel=True)): the action and its
  // task end CANCELLED, and so does the workflow once nothing else runs.
  bool cancelled = false;
  static ActionResult success(Value v) { return {std::move(v), Value(), false, false}; }
  static ActionResult cancel() {
    ActionResult r{Value(), Value(), true, false};
    r.cancelled = true;
    return r;
  }
  static ActionResult failure(Value e) { return {Value(), std::move(e), true, false}; }
  static ActionResult raise(std::string message) { return {Value(), Value(std::move(message)), true, true}; }
};

struct ActionRunContext {
  std::string workflow_name;
  std::string workflow_execution_id;
  std::string task_execution_id;
  std::string action_execution_id;
  std::string callback_url;  // where an async action's result is sent (PUT)
  // mistral-lib's ExecutionContext beyond the ids: the action's item in a
  // with-items task (0 otherwise, mistral-lib's default), how many times
  // its task was rerun, and the headers the execution propagates (its
  // params.headers; null: none).
  int64_t with_items_index = 0;
  int64_t task_rerun_no = 0;
  Value propagated_headers;
  // W3C Trace Context of the action's span when its execution has a trace
  // (std.http and std.mistral_http send them as headers); empty: none.
  std::string traceparent, tracestate;
  // Whom the action acts as: mistral_lib's SecurityContext fields (auth_uri,
  // auth_token, project_id, user_id, service_catalog, trust_id, ...; see
  // docs/IDENTITY.md), what the OpenStack actions (action packs, docs/ACTIONS.md)
  // authenticate with; null: unknown (auth off).
  Value security;
  // Set when the action should stop (task timeout, cancelled execution):
  // long actions poll it and give up with an error.
  const std::atomic<bool>* cancelled = nullptr;
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // The clock sleeping actions wait on (the engine's); null: the system's.
  const TimeSource* time = nullptr;
  // The action runs as an ad-hoc action's base: Mistral's executor holds
  // the AdHocAction wrapper, which its error texts name (raised_message).
  bool ad_hoc = false;

  bool should_stop() const {
    if (cancelled && cancelled->load(std::memory_order_relaxed)) return true;
    return deadline && std::chrono::steady_clock::now() >= *deadline;
  }
};

// An action's body: input is a dict with every parameter of its signature.
using ActionFunction = std::function<ActionResult(const Value& input, const ActionRunContext& ctx)>;

}  // namespace bora::executor
