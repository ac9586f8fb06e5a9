// api/views: records as Mistral's REST resources render them
// (mistral/api/controllers/v2/resources.py). Mistral renders JSON-typed
// fields (a workflow's interface, an environment's variables) as JSON text
// through WSME (GET), but as objects from POST/PUT of definitions; `wsme`
// picks the first form.
#pragma once

#include "bora/catalog/builtin_action.h"
#include "bora/core/value.h"
#include "bora/storage/records.h"

namespace bora::api {

Value workflow_view(const storage::WorkflowDefinition& w, bool wsme);
Value workbook_view(const storage::WorkbookDefinition& w);
Value action_view(const storage::ActionDefinition& a);
Value std_action_view(const catalog::BuiltinAction& d);
Value environment_view(const storage::Environment& e);
Value cron_trigger_view(const storage::CronTrigger& t);
Value member_view(const storage::ResourceMember& m);
Value event_trigger_view(const storage::EventTrigger& t);
Value code_source_view(const storage::CodeSource& c);
Value dynamic_action_view(const storage::DynamicActionDefinition& d);
// A dynamic action in GET /v2/actions, as Mistral's action providers list it.
// `python_class`: what a Python dynamic action's class says of itself
// (Catalog::python_dynamic_action), whose input and docstring Mistral lists.
Value dynamic_action_as_action_view(const storage::DynamicActionDefinition& d,
                                    const catalog::BuiltinAction* python_class = nullptr);
Value execution_view(const storage::WorkflowExecution& e);
// GET /v2/executions/{id}: plus published_global (the global publishes).
Value execution_view_with_published(const storage::WorkflowExecution& e);
Value task_view(const storage::TaskExecution& t, const Value& result);
// task_name: the name of the action execution's task (empty when ad hoc).
Value action_execution_view(const storage::ActionExecution& a, const std::string& task_name);

// "YYYY-MM-DD HH:MM:SS", or null.
Value api_time(const std::optional<Timestamp>& t);
// A definition's or trigger's view as a create answers it: without a null
// `updated_at` (Mistral's answer leaves out what the insert did not load).
Value created_view(Value view);

}  // namespace bora::api
