// engine/subworkflows: a workflow task starts its sub-workflow, looked up
// the way Mistral looks it up (namespace, workbook siblings).
#include <fmt/format.h>

#include "bora/core/python_format.h"
#include "bora/catalog/catalog.h"
#include "step.h"

namespace bora::engine {

using storage::ActionExecution;
using storage::FilterOp;
using storage::TaskExecution;
using storage::WorkflowExecution;

Result<void> Step::start_subworkflow(WorkflowExecution& wf_ex, TaskExecution& t,
                                                  const lang::TaskSpec& task, const Value& data,
                                                  std::optional<int64_t> index, const Value* evaluated_input) {
  // Mistral's order: the input, the target, then the workflow's name.
  auto in = evaluated_input ? Result<Value>(*evaluated_input) : task_input(wf_ex, t, task, data);
  if (!in) return in.error();
  Value input_value = std::move(*in);
  if (auto ok = evaluate_target(wf_ex, t, task, input_value); !ok) return ok.error();
  const Value* input = &input_value;
  ExpressionScope scope = call_scope(wf_ex, t);
  // The name in the task's context, without a with-items item's variables
  // (Mistral's _build_action).
  auto name = task.name_expression.has_expressions()
                  ? expr_.evaluate(task.name_expression, index ? expression_data(wf_ex, t.in_context, &t) : data, scope)
                  : Result<Value>(Value(task.workflow));
  if (!name) return name.error();
  if (!name->is_string()) return bad_input("The workflow name evaluated to " + python_repr(*name) + ", not a string");
  // Mistral's namespace fallback and workbook siblings: the catalog's rule,
  // in the namespace the parent looks in (its params.namespace, Mistral's
  // actions.WorkflowAction), which a top-level execution in namespace abc
  // hands down even through a sub-workflow found in the default namespace.
  std::string lookup_namespace = wf_ex.workflow_namespace;
  if (const Value* ns = wf_ex.params.is_dict() ? wf_ex.params.find("namespace") : nullptr; ns && ns->is_string())
    lookup_namespace = ns->as_string();
  auto def = catalog::Catalog(tx_, catalog::Caller::owner_of(wf_ex))
                 .subworkflow(name->as_string(), {lookup_namespace, wf_ex.workflow_name});
  if (!def) {
    return bad_input(fmt::format("Failed to find workflow [name={}] [namespace={}]", name->as_string(),
                                 lookup_namespace));
  }
  // Mistral's sub-workflow params (engine/actions.py WorkflowAction):
  // its root and task, its item's index (0 without with-items), the
  // namespace it looks in.
  const std::string root_id = wf_ex.root_execution_id ? *wf_ex.root_execution_id : wf_ex.id;
  Value params = Value::dict({{"root_execution_id", Value(root_id)},
                              {"task_execution_id", Value(t.id)},
                              {"index", Value(index.value_or(0))},
                              {"namespace", Value(lookup_namespace)}});
  // Mistral (engine/actions.py): a sub-workflow notifies its parent's publishers.
  if (wf_ex.params.is_dict())
    if (const Value* notify = wf_ex.params.find("notify")) params = params.with("notify", *notify);
  // The headers the execution propagates (its actions' context's
  // workflow_propagated_headers) go down to its sub-workflows, as a Mistral
  // with headers propagation passes them.
  if (wf_ex.params.is_dict())
    if (const Value* headers = wf_ex.params.find("headers")) params = params.with("headers", *headers);
  ExecutionOrigin origin;
  origin.project_id = wf_ex.project_id;
  origin.task_execution_id = t.id;
  origin.root_execution_id = root_id;
  origin.description = "sub-workflow execution";  // Mistral's
  origin.index = index;
  if (const Value* security = wf_ex.context.is_dict() ? wf_ex.context.find("openstack") : nullptr)
    origin.security = *security;  // a sub-workflow acts as its parent's starter
  if (auto ctx = execution_trace(wf_ex)) {
    ctx->span_id = trace::span_id_of(t.id);  // the task's span is the sub-workflow's parent
    origin.trace = std::move(ctx);
  }
  // Its end, if it ends while being started, reaches this task later
  // (report_ended_subworkflows).
  struct Starting {
    int& depth;
    explicit Starting(int& d) : depth(d) { ++depth; }
    ~Starting() { --depth; }
  } starting(starting_subworkflows_);
  auto sub = create_execution(*def, input->is_null() ? Value(Dict{}) : *input, params, origin);
  if (!sub) return sub.error();
  return {};
}

}  // namespace bora::engine
