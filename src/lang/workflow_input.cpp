#include "bora/lang/workflow_input.h"

#include <fmt/format.h>

#include "bora/core/python_format.h"

namespace bora::lang {

Result<void> check_workflow_input(const WorkflowSpec& spec, const Value& input) {
  if (!input.is_null() && !input.is_dict())
    return bad_input(fmt::format("Workflow input must be a dict of parameters, got {}", python_repr(input)));
  std::vector<Value> missing, unexpected;
  for (const auto& p : spec.input)
    if (!p.default_value && !(input.is_dict() && input.find(p.name))) missing.emplace_back(p.name);
  if (input.is_dict()) {
    for (const auto& [key, value] : input.as_dict()) {
      bool known = false;
      for (const auto& p : spec.input) known = known || p.name == key;
      if (!known) unexpected.emplace_back(key);
    }
  }
  if (missing.empty() && unexpected.empty()) return {};
  std::string msg = fmt::format("Invalid input [name={}, class={}", spec.name,
                                spec.type == WorkflowType::Reverse ? "ReverseWorkflowSpec" : "DirectWorkflowSpec");
  if (!missing.empty()) msg += ", missing=" + python_repr(Value(std::move(missing)));
  if (!unexpected.empty()) msg += ", unexpected=" + python_repr(Value(std::move(unexpected)));
  return bad_input(msg + "]");
}

}  // namespace bora::lang
