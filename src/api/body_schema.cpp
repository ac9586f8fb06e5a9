#include "bora/api/body_schema.h"

namespace bora::api::body {

namespace {

// Mistral's attribute types (mistral/api/controllers/v2/resources.py).
BodyField text(const char* name) { return {name, BodyField::Type::Text}; }
BodyField flag(const char* name) { return {name, BodyField::Type::Bool}; }
BodyField read_only_text(const char* name) { return {name, BodyField::Type::Text, true}; }
BodyField json(const char* name) { return {name, BodyField::Type::Json}; }
BodyField integer(const char* name, std::optional<int64_t> minimum = std::nullopt) {
  BodyField f{name, BodyField::Type::Int};
  f.minimum = minimum;
  return f;
}
BodyField texts(const char* name) { return {name, BodyField::Type::TextList}; }
// Mistral's wtypes.Enum(str, 'private', 'public').
BodyField scope() { return {"scope", BodyField::Type::Scope}; }
// Mistral's types.uuid.
BodyField uuid(const char* name) { return {name, BodyField::Type::Uuid}; }

}  // namespace

const BodySchema action_execution{
    "action_ex",
    {text("id"), text("workflow_name"), text("workflow_namespace"), text("task_name"), text("task_execution_id"),
     text("state"), text("state_info"), texts("tags"), text("name"), text("description"), read_only_text("project_id"),
     flag("accepted"), json("input"), json("output"), text("created_at"), text("updated_at"), json("params")}};

const BodySchema execution{
    "wf_ex",
    {text("id"), text("workflow_id"), text("workflow_name"), text("workflow_namespace"), text("description"), texts("tags"),
     json("params"), text("task_execution_id"), text("root_execution_id"), text("source_execution_id"), text("state"),
     text("state_info"), json("input"), json("output"), text("created_at"), text("updated_at"), read_only_text("project_id"),
     json("published_global"), integer("workflow_version")}};

const BodySchema task{
    "task",
    {text("id"), text("name"), text("type"), text("workflow_name"), text("workflow_namespace"), text("workflow_id"),
     text("workflow_execution_id"), texts("tags"), text("state"), text("state_info"), read_only_text("project_id"),
     json("runtime_context"), text("result"), json("published"), json("published_global"), flag("processed"), text("created_at"),
     text("updated_at"), text("started_at"), text("finished_at"), {"reset", BodyField::Type::Bool, false, true},
     json("env")},
    /*skip_needs_no_mandatory=*/true};

const BodySchema cron_trigger{
    "cron_trigger",
    {text("id"), text("name"), text("workflow_name"), text("workflow_id"), json("workflow_input"), json("workflow_params"),
     read_only_text("project_id"), scope(), text("pattern"), integer("remaining_executions", 1), text("first_execution_time"),
     text("next_execution_time"), text("created_at"), text("updated_at")}};

const BodySchema environment{
    "env",
    {text("id"), text("name"), text("description"), json("variables"), scope(), read_only_text("project_id"),
     text("created_at"), text("updated_at")}};

const BodySchema event_trigger{
    "event_trigger",
    {read_only_text("id"), read_only_text("created_at"), read_only_text("updated_at"), read_only_text("project_id"),
     text("name"), uuid("workflow_id"), json("workflow_input"), json("workflow_params"), text("exchange"), text("topic"), text("event"),
     scope()}};

const BodySchema member{
    "member_info",
    {"id", text("resource_id"), text("resource_type"), text("project_id"), text("member_id"), "status",
     text("created_at"), text("updated_at")}};

const BodySchema dynamic_action{
    "dyn_action",
    {text("id"), text("name"), text("namespace"), text("code_source_id"), text("code_source_name"),
     text("class_name"), read_only_text("project_id"), scope(), text("created_at"), text("updated_at")}};

// Bora's POST /v2/executions/{id}/rollback.
const BodySchema execution_rollback{"rollback", {text("message")}};

}  // namespace bora::api::body
