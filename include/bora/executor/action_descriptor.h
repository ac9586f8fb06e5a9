// executor/action_descriptor: what is known about an action without running
// it: its name, what it does, and its input signature in Mistral's text form
// (`url, method="GET", params=null`), which GET /v2/actions shows and the
// engine uses to check a task's input.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bora/core/value.h"

namespace bora::executor {

struct ActionParam {
  std::string name;
  std::optional<Value> default_value;  // nullopt: required
};

struct ActionDescriptor {
  std::string name;         // "std.http"
  std::string description;  // one paragraph for `mistral action-list`
  std::vector<ActionParam> params;
  bool is_async = false;    // completes later through the API (std.async_noop)
  std::string class_name = {};  // Mistral's implementing class, named in input errors

  // "url, method=\"GET\", params=null": Mistral's params_spec.
  std::string input_signature() const;
  // How Mistral prints the action object in error texts: "Fail action" for
  // std.fail, otherwise Python's default repr, "<mistral.actions.
  // std_actions.SleepAction object at 0x7f...>" (the address derived from
  // the action execution id, since there is no Python object).
  std::string repr(const std::string& action_execution_id) const;
};

// The std.* actions Bora provides, sorted by name.
const std::vector<ActionDescriptor>& std_action_descriptors();
// A std action, or else an action of a loaded pack (executor/plugins.h):
// both are built in, as Mistral's registered actions are.
const ActionDescriptor* find_std_action(std::string_view name);

}  // namespace bora::executor
