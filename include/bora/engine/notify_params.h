// engine/notify_params: Mistral's notification publishers as given in
// params.notify of POST /v2/executions and in [notifier] notify:
// [{"type": "webhook", "url": "https://...", "headers": {...},
//   "event_types": ["WORKFLOW_SUCCEEDED", ...]}, {"type": "noop"}].
#pragma once

#include <optional>
#include <string>

#include "bora/core/value.h"

namespace bora::engine {

// One of Mistral's event names (WORKFLOW_LAUNCHED ... TASK_SKIPPED).
bool is_event_name(const std::string& name);
// nullopt when `notify` is a valid publisher list (or null); otherwise
// what is wrong, where ("params.notify[1].url ...") and how to write it.
std::optional<std::string> notify_problem(const Value& notify);

}  // namespace bora::engine
