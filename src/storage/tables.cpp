// storage/tables: each record's table, columns and Mistral's error texts
// (mistral/db/v2/sqlalchemy/api.py). Column order here is the column order
// of the SELECTs; the DDL lives in the migrations. A shared column
// (col_shared: large entries stored once per execution) comes after the
// column holding its execution's id.
#include <fmt/format.h>

#include "bora/storage/records.h"
#include "table.h"

namespace bora::storage {

namespace {

// Mistral's models cut an execution's state_info whenever it is set
// (models.py: utils.cut(v, 65500), "%s..." % s[:65500]): characters (code
// points), not bytes.
constexpr size_t kStateInfoLimit = 65500;

template <class R>
void cut_state_info(R& r) {
  if (!r.state_info || r.state_info->size() <= kStateInfoLimit) return;  // bytes >= characters
  const std::string& s = *r.state_info;
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;  // a continuation byte
    if (chars == kStateInfoLimit) {
      r.state_info = s.substr(0, i) + "...";
      return;
    }
    ++chars;
  }
}

}  // namespace
template <>
const Table<WorkbookDefinition>& table_for() {
  using R = WorkbookDefinition;
  static const Table<R> t{
      "workbooks_v2",
      "Workbook",
      {col("id", &R::id), col("name", &R::name), col("namespace", &R::namespace_), col("definition", &R::definition),
       col("spec", &R::spec), col("tags", &R::tags), col("is_system", &R::is_system), col("scope", &R::scope),
       col("project_id", &R::project_id), col("created_at", &R::created_at), col("updated_at", &R::updated_at)},
      true,
      true,
      [](const R& r) {
        // Mistral prints its model's project_id before the insert set its
        // default: None, whoever asks (as for the other definitions).
        return fmt::format("Duplicate entry for WorkbookDefinition ['name', 'namespace', 'project_id']: {}, {}, None",
                           r.name, r.namespace_);
      },
      [](std::string_view id) { return fmt::format("Workbook not found [id={}]", id); }};
  return t;
}

template <>
const Table<WorkflowDefinition>& table_for() {
  using R = WorkflowDefinition;
  static const Table<R> t{
      "workflow_definitions_v2",
      "WorkflowDefinition",
      {col("id", &R::id), col("name", &R::name), col("namespace", &R::namespace_), col("definition", &R::definition),
       col("spec", &R::spec), col("tags", &R::tags), col("is_system", &R::is_system), col("scope", &R::scope),
       col("project_id", &R::project_id), col("workbook_name", &R::workbook_name), col("checksum", &R::checksum),
       col("created_at", &R::created_at), col("updated_at", &R::updated_at)},
      true,
      true,
      [](const R& r) {
        return fmt::format("Duplicate entry for WorkflowDefinition ['name', 'namespace', 'project_id']: {}, {}, None",
                           r.name, r.namespace_);
      },
      [](std::string_view id) { return fmt::format("Workflow not found [workflow_id={}]", id); }};
  return t;
}

template <>
const Table<ActionDefinition>& table_for() {
  using R = ActionDefinition;
  static const Table<R> t{
      "action_definitions_v2",
      "Action",
      {col("id", &R::id), col("name", &R::name), col("namespace", &R::namespace_), col("definition", &R::definition),
       col("spec", &R::spec), col("tags", &R::tags), col("is_system", &R::is_system), col("scope", &R::scope),
       col("project_id", &R::project_id), col("workbook_name", &R::workbook_name),
       col("description", &R::description), col("input", &R::input), col("attributes", &R::attributes),
       col("created_at", &R::created_at), col("updated_at", &R::updated_at)},
      true,
      true,
      [](const R& r) {
        return fmt::format("Duplicate entry for Action ['name', 'namespace', 'project_id']: {}, {}, None", r.name,
                           r.namespace_);
      },
      [](std::string_view id) { return fmt::format("Action not found [action_id={}]", id); }};
  return t;
}

template <>
const Table<Environment>& table_for() {
  using R = Environment;
  static const Table<R> t{
      "environments_v2",
      "Environment",
      {col("id", &R::id), col("name", &R::name), col("description", &R::description),
       col("variables", &R::variables), col("scope", &R::scope), col("project_id", &R::project_id),
       col("created_at", &R::created_at), col("updated_at", &R::updated_at)},
      true,
      true,
      [](const R& r) {
        return fmt::format("Duplicate entry for Environment ['name', 'project_id']: {}, None", r.name.value_or(""));
      },
      [](std::string_view id) { return fmt::format("Environment not found [name={}]", id); }};
  return t;
}

template <>
const Table<WorkflowExecution>& table_for() {
  using R = WorkflowExecution;
  static const Table<R> t{
      "workflow_executions_v2",
      "WorkflowExecution",
      {col("id", &R::id), col("name", &R::name), col("description", &R::description),
       col("workflow_name", &R::workflow_name), col("workflow_namespace", &R::workflow_namespace),
       col("workflow_id", &R::workflow_id), col("spec", &R::spec), col("state", &R::state),
       col("state_info", &R::state_info), col("tags", &R::tags), col("runtime_context", &R::runtime_context),
       col("accepted", &R::accepted), col_shared("input", &R::input, &R::id),
       col_shared("output", &R::output, &R::id), col_shared("params", &R::params, &R::id),
       col_shared("context", &R::context, &R::id), col("root_execution_id", &R::root_execution_id),
       col("task_execution_id", &R::task_execution_id), col("scope", &R::scope),
       col("project_id", &R::project_id), col("recovery_attempts", &R::recovery_attempts),
       col("workflow_version", &R::workflow_version), col("created_at", &R::created_at),
       col("updated_at", &R::updated_at)},
      true,
      true,
      [](const R& r) { return fmt::format("Duplicate entry for WorkflowExecution with ID: {} ", r.id); },
      [](std::string_view id) { return fmt::format("WorkflowExecution not found [id={}]", id); },
      cut_state_info<R>};
  return t;
}

template <>
const Table<TaskExecution>& table_for() {
  using R = TaskExecution;
  static const Table<R> t{
      "task_executions_v2",
      "TaskExecution",
      {col("id", &R::id), col("name", &R::name), col("workflow_execution_id", &R::workflow_execution_id),
       col("workflow_name", &R::workflow_name), col("workflow_namespace", &R::workflow_namespace),
       col("workflow_id", &R::workflow_id), col("spec", &R::spec), col("action_spec", &R::action_spec),
       col("state", &R::state), col("state_info", &R::state_info), col("tags", &R::tags),
       col("runtime_context", &R::runtime_context), col("unique_key", &R::unique_key), col("type", &R::type),
       col("started_at", &R::started_at), col("finished_at", &R::finished_at), col("processed", &R::processed),
       col("has_next_tasks", &R::has_next_tasks), col("next_tasks", &R::next_tasks),
       col("error_handled", &R::error_handled),
       col_shared("in_context", &R::in_context, &R::workflow_execution_id),
       col_shared("published", &R::published, &R::workflow_execution_id), col("scope", &R::scope),
       col("project_id", &R::project_id),
       col("created_at", &R::created_at), col("updated_at", &R::updated_at)},
      true,
      true,
      [](const R& r) { return fmt::format("Duplicate entry for TaskExecution ID: {}", r.id); },
      [](std::string_view id) { return fmt::format("Task execution not found [id={}]", id); },
      cut_state_info<R>};
  return t;
}

template <>
const Table<ActionExecution>& table_for() {
  using R = ActionExecution;
  static const Table<R> t{
      "action_executions_v2",
      "ActionExecution",
      {col("id", &R::id), col("name", &R::name), col("description", &R::description),
       col("workflow_name", &R::workflow_name), col("workflow_namespace", &R::workflow_namespace),
       col("task_execution_id", &R::task_execution_id), col("spec", &R::spec), col("state", &R::state),
       col("state_info", &R::state_info), col("tags", &R::tags), col("runtime_context", &R::runtime_context),
       col("accepted", &R::accepted), col("input", &R::input), col("output", &R::output),
       col("last_heartbeat", &R::last_heartbeat), col("is_sync", &R::is_sync), col("scope", &R::scope),
       col("project_id", &R::project_id), col("node_id", &R::node_id), col("created_at", &R::created_at),
       col("updated_at", &R::updated_at)},
      true,
      true,
      [](const R& r) { return fmt::format("Duplicate entry for ActionExecution ID: {}", r.id); },
      [](std::string_view id) { return fmt::format("ActionExecution not found [id={}]", id); },
      cut_state_info<R>};
  return t;
}

template <>
const Table<DelayedCall>& table_for() {
  using R = DelayedCall;
  static const Table<R> t{
      "delayed_calls_v2",
      "DelayedCall",
      {col("id", &R::id), col("target", &R::target), col("arguments", &R::arguments), col("key", &R::key),
       col("execution_time", &R::execution_time), col("owner", &R::owner),
       col("claim_expires_at", &R::claim_expires_at), col("created_at", &R::created_at),
       col("updated_at", &R::updated_at)},
      false,
      false,
      [](const R& r) { return fmt::format("Duplicate entry for DelayedCall ID: {}", r.id); },
      [](std::string_view id) { return fmt::format("Delayed Call not found [id={}]", id); }};
  return t;
}

template <>
const Table<CronTrigger>& table_for() {
  using R = CronTrigger;
  static const Table<R> t{
      "cron_triggers_v2",
      "CronTrigger",
      {col("id", &R::id), col("name", &R::name), col("pattern", &R::pattern),
       col("first_execution_time", &R::first_execution_time),
       col("next_execution_time", &R::next_execution_time), col("workflow_name", &R::workflow_name),
       col("workflow_id", &R::workflow_id), col("remaining_executions", &R::remaining_executions),
       col("workflow_input", &R::workflow_input), col("workflow_params", &R::workflow_params),
       col("workflow_input_hash", &R::workflow_input_hash), col("workflow_params_hash", &R::workflow_params_hash),
       col("trust_id", &R::trust_id), col("scope", &R::scope), col("project_id", &R::project_id),
       col("created_at", &R::created_at), col("updated_at", &R::updated_at)},
      true,
      true,
      [](const R& r) {
        return fmt::format("Duplicate entry for cron trigger ['name', 'project_id']: {}, None", r.name);
      },
      [](std::string_view id) { return fmt::format("Cron trigger not found [identifier={}]", id); }};
  return t;
}

template <>
const Table<EventTrigger>& table_for() {
  using R = EventTrigger;
  static const Table<R> t{
      "event_triggers_v2",
      "EventTrigger",
      {col("id", &R::id), col("name", &R::name), col("workflow_id", &R::workflow_id),
       col("workflow_input", &R::workflow_input), col("workflow_params", &R::workflow_params),
       col("exchange", &R::exchange), col("topic", &R::topic), col("event", &R::event),
       col("trust_id", &R::trust_id), col("scope", &R::scope), col("project_id", &R::project_id),
       col("created_at", &R::created_at), col("updated_at", &R::updated_at)},
      true,
      true,
      [](const R& r) {
        return fmt::format(
            "Duplicate entry for EventTrigger ['exchange', 'topic', 'event', 'workflow_id', 'project_id']: "
            "{}, {}, {}, {}, None",  // Mistral's model before its insert set the project
            r.exchange, r.topic, r.event, r.workflow_id);
      },
      [](std::string_view id) { return fmt::format("Event trigger not found [id={}].", id); }};
  return t;
}

template <>
const Table<ResourceMember>& table_for() {
  using R = ResourceMember;
  static const Table<R> t{
      "resource_members_v2",
      "ResourceMember",
      {col("id", &R::id), col("resource_id", &R::resource_id), col("resource_type", &R::resource_type),
       col("project_id", &R::project_id), col("member_id", &R::member_id), col("status", &R::status),
       col("created_at", &R::created_at), col("updated_at", &R::updated_at)},
      true,
      false,
      [](const R& r) {
        return fmt::format("Duplicate entry for ResourceMember ['resource_id', 'resource_type', 'member_id']: {}, {}, {}",
                           r.resource_id, r.resource_type, r.member_id);
      },
      [](std::string_view id) { return fmt::format("Resource member not found [id={}]", id); }};
  return t;
}

template <>
const Table<CodeSource>& table_for() {
  using R = CodeSource;
  static const Table<R> t{
      "code_sources",
      "CodeSource",
      {col("id", &R::id), col("name", &R::name), col("namespace", &R::namespace_), col("content", &R::content),
       col("version", &R::version), col("tags", &R::tags), col("scope", &R::scope),
       col("project_id", &R::project_id), col("created_at", &R::created_at), col("updated_at", &R::updated_at)},
      true,
      true,
      [](const R& r) {
        return fmt::format("Duplicate entry for CodeSource ['name', 'namespace', 'project_id']: {}, {}, None", r.name,
                           r.namespace_);
      },
      [](std::string_view id) { return fmt::format("Code Source not found [name={},namespace=]", id); }};
  return t;
}

template <>
const Table<DynamicActionDefinition>& table_for() {
  using R = DynamicActionDefinition;
  static const Table<R> t{
      "dynamic_action_definitions",
      "DynamicActionDefinition",
      {col("id", &R::id), col("name", &R::name), col("namespace", &R::namespace_),
       col("class_name", &R::class_name), col("code_source_id", &R::code_source_id),
       col("code_source_name", &R::code_source_name), col("scope", &R::scope), col("project_id", &R::project_id),
       col("created_at", &R::created_at), col("updated_at", &R::updated_at)},
      true,
      true,
      [](const R& r) {
        return fmt::format("Duplicate entry for dynamic action definition [name={}, namespace={}, project_id=None]",
                           r.name, r.namespace_);
      },
      [](std::string_view id) { return fmt::format("Dynamic Action not found [name={},namespace=]", id); }};
  return t;
}

template <>
const Table<DefinitionVersion>& table_for() {
  using R = DefinitionVersion;
  static const Table<R> t{
      "definition_versions",
      "DefinitionVersion",
      {col("id", &R::id), col("kind", &R::kind), col("definition_id", &R::definition_id),
       col("version", &R::version), col("definition", &R::definition), col("spec", &R::spec),
       col("checksum", &R::checksum), col("project_id", &R::project_id), col("user_id", &R::user_id),
       col("created_at", &R::created_at), col("updated_at", &R::updated_at)},
      true,
      false,
      [](const R& r) {
        return fmt::format("Duplicate entry for DefinitionVersion ['definition_id', 'version']: {}, {}",
                           r.definition_id, r.version);
      },
      [](std::string_view id) { return fmt::format("Definition version not found [id={}]", id); }};
  return t;
}

}  // namespace bora::storage
