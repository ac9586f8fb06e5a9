// executor/std_actions: the table of std action bodies and the input check
// shared by every action (Mistral's _compare_parameters and its message).
#include "bora/executor/std_actions.h"

#include <fmt/format.h>

#include <unordered_map>

#include "bora/core/python_format.h"

namespace bora::executor {

Result<Value> prepare_action_input(const ActionDescriptor& action, const Value& input) {
  if (!input.is_null() && !input.is_dict()) {
    return bad_input(fmt::format("Invalid input for action {}: expected a dict of parameters, got {}", action.name,
                                 python_repr(input)));
  }
  std::vector<Value> missing, unexpected;
  Dict completed;
  // `**kwargs` (a pack's action, as Mistral's OpenStack actions declare
  // theirs): any other parameter is taken as given.
  bool any_other = false;
  for (const auto& p : action.params) {
    if (p.name.rfind("**", 0) == 0) {
      any_other = true;
      continue;
    }
    const Value* given = input.is_dict() ? input.find(p.name) : nullptr;
    if (given) {
      completed.set(p.name, *given);
    } else if (p.default_value) {
      completed.set(p.name, *p.default_value);
    } else {
      missing.emplace_back(p.name);
    }
  }
  if (input.is_dict()) {
    for (const auto& [key, value] : input.as_dict()) {
      bool known = false;
      for (const auto& p : action.params) known = known || p.name == key;
      if (known) continue;
      if (any_other) completed.set(key, value);
      else unexpected.emplace_back(key);
    }
  }
  if (missing.empty() && unexpected.empty()) return Value(std::move(completed));
  std::string msg = fmt::format("Invalid input [name={}, class={}", action.name, action.class_name);
  if (!missing.empty()) msg += ", missing=" + python_repr(Value(std::move(missing)));
  if (!unexpected.empty()) msg += ", unexpected=" + python_repr(Value(std::move(unexpected)));
  msg += "]";
  return bad_input(std::move(msg));
}

bool is_instant_std_action(std::string_view name, const Value& input) {
  if (name == "std.noop" || name == "std.fail") return true;
  if (name != "std.echo") return false;
  // std.echo sleeps for a positive delay (run_echo reads it the same way).
  const Value& delay = input.is_dict() ? input["delay"] : Value();
  if (delay.is_null()) return true;
  if (delay.is_number()) return delay.as_double() <= 0;
  return false;  // an odd delay: let the action itself decide, on the pool
}

const ActionFunction* find_std_action_function(std::string_view name) {
  static const std::unordered_map<std::string_view, ActionFunction> table = {
      {"std.async_noop", run_noop},   {"std.echo", run_echo},
      {"std.email", run_email},       {"std.fail", run_fail},
      {"std.http", run_http},         {"std.javascript", run_javascript},
      {"std.js", run_javascript},     {"std.mistral_http", run_mistral_http},
      {"std.noop", run_noop},         {"std.sleep", run_sleep},
      {"std.ssh", run_ssh},           {"std.ssh_proxied", run_ssh_proxied},
      {"std.test_dict", run_test_dict}};
  auto it = table.find(name);
  return it == table.end() ? nullptr : &it->second;
}

}  // namespace bora::executor
