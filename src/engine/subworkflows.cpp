// engine/subworkflows: a workflow task starts its sub-workflow, looked up
// the way Mistral looks it up (namespace, workbook siblings).
#include <fmt/format.h>

#include "bora/core/python_format.h"
#include "bora/services/workflow_definitions.h"
#include "step.h"

namespace bora::engine {

using storage::ActionExecution;
using storage::FilterOp;
using storage::TaskExecution;
using storage::WorkflowExecution;

Result<void> Step::start_subworkflow(WorkflowExecution& wf_ex, TaskExecution& t,
                                                  const lang::TaskSpec& task, const Value& data,
                                                  std::optional<int64_t> index) {
  ExpressionScope scope = scope_of(wf_ex, &t, Value());
  auto name = expr_.evaluate(Value(task.workflow), data, scope);
  if (!name) return name.error();
  if (!name->is_string()) return bad_input("The workflow name evaluated to " + python_repr(*name) + ", not a string");
  Value raw_input = task.input_expression.is_null() ? Value(task.input) : task.input_expression;
  auto input = expr_.evaluate(raw_input, data, scope);
  if (!input) return input.error();
  // Mistral: a sub-workflow is looked for in the parent's namespace, then
  // in the default one; a workbook's workflows see their siblings by short
  // name.
  services::Caller owner = services::Caller::owner_of(wf_ex);
  std::optional<storage::WorkflowDefinition> def;
  std::vector<std::string> candidates = {name->as_string()};
  if (size_t dot = wf_ex.workflow_name.rfind('.'); dot != std::string::npos)
    candidates.push_back(wf_ex.workflow_name.substr(0, dot + 1) + name->as_string());
  for (const auto& candidate : candidates) {
    for (const std::string& ns : {wf_ex.workflow_namespace, std::string()}) {
      auto found = services::get_workflow(tx_, candidate, ns, owner);
      if (found) {
        def = std::move(found).value();
        break;
      }
    }
    if (def) break;
  }
  if (!def) {
    return bad_input(fmt::format("Failed to find workflow [name={}] [namespace={}]", name->as_string(),
                                 wf_ex.workflow_namespace));
  }
  Value params = Value(Dict{});
  if (wf_ex.params.is_dict())
    if (const Value* env = wf_ex.params.find("env")) params = params.with("env", *env);
  if (index) params = params.with("index", Value(*index));
  ExecutionOrigin origin;
  origin.project_id = wf_ex.project_id;
  origin.task_execution_id = t.id;
  origin.root_execution_id = wf_ex.root_execution_id ? *wf_ex.root_execution_id : wf_ex.id;
  origin.index = index;
  auto sub = create_execution(*def, input->is_null() ? Value(Dict{}) : *input, params, origin);
  if (!sub) return sub.error();
  return {};
}

}  // namespace bora::engine
