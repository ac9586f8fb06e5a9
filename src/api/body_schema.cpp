#include "bora/api/body_schema.h"

namespace bora::api::body {

const BodySchema action_execution{
    "action_ex",
    {"id", "workflow_name", "workflow_namespace", "task_name", "task_execution_id", "state", "state_info", "tags",
     "name", "description", "project_id", "accepted", "input", "output", "created_at", "updated_at", "params"}};

const BodySchema execution{
    "wf_ex",
    {"id", "workflow_id", "workflow_name", "workflow_namespace", "description", "tags", "params",
     "task_execution_id", "root_execution_id", "source_execution_id", "state", "state_info", "input", "output",
     "created_at", "updated_at", "project_id", "published_global", "workflow_version"}};

const BodySchema task{
    "task",
    {"id", "name", "type", "workflow_name", "workflow_namespace", "workflow_id", "workflow_execution_id", "tags",
     "state", "state_info", "project_id", "runtime_context", "result", "published", "published_global",
     "processed", "created_at", "updated_at", "started_at", "finished_at", "reset", "env"}};

const BodySchema cron_trigger{
    "cron_trigger",
    {"id", "name", "workflow_name", "workflow_id", "workflow_input", "workflow_params", "project_id", "scope",
     "pattern", "remaining_executions", "first_execution_time", "next_execution_time", "created_at",
     "updated_at"}};

const BodySchema environment{
    "env", {"id", "name", "description", "variables", "scope", "project_id", "created_at", "updated_at"}};

const BodySchema event_trigger{
    "event_trigger",
    {"id", "created_at", "updated_at", "project_id", "name", "workflow_id", "workflow_input", "workflow_params",
     "exchange", "topic", "event", "scope"}};

const BodySchema member{
    "member_info",
    {"id", "resource_id", "resource_type", "project_id", "member_id", "status", "created_at", "updated_at"}};

const BodySchema dynamic_action{
    "dyn_action",
    {"id", "name", "namespace", "code_source_id", "code_source_name", "class_name", "project_id", "scope",
     "created_at", "updated_at"}};

// Bora's POST /v2/executions/{id}/rollback.
const BodySchema execution_rollback{"rollback", {"message"}};

}  // namespace bora::api::body
