#include "bora/api/views.h"

#include "bora/core/json.h"
#include "bora/lang/api_views.h"
#include "bora/lang/parser.h"

namespace bora::api {

Value api_time(const std::optional<Timestamp>& t) {
  if (!t) return Value();
  return Value(format_api_time(*t));
}

namespace {

Value json_field(const Value& v, bool wsme) {
  if (!wsme || v.is_null()) return v;
  return Value(to_json(v, JsonFormat::python()));
}

Value tags_or_empty(const Value& tags) { return tags.is_null() ? Value(std::vector<Value>{}) : tags; }

}  // namespace

Value workflow_view(const storage::WorkflowDefinition& w, bool wsme) {
  std::string input;
  Value interface = Value::dict({{"input", Value(std::vector<Value>{})}, {"output", Value(std::vector<Value>{})}});
  auto spec = lang::workflow_from_value(w.spec);
  if (spec.ok()) {
    input = lang::input_signature((*spec)->input);
    interface = lang::workflow_interface(**spec);
  }
  return Value::dict({{"id", w.id},
                      {"name", w.name},
                      {"namespace", w.namespace_},
                      {"input", input},
                      {"interface", json_field(interface, wsme)},
                      {"definition", w.definition},
                      {"tags", tags_or_empty(w.tags)},
                      {"scope", w.scope},
                      {"project_id", w.project_id},
                      {"checksum", w.checksum},
                      {"created_at", api_time(w.created_at)},
                      {"updated_at", api_time(w.updated_at)}});
}

Value workbook_view(const storage::WorkbookDefinition& w) {
  return Value::dict({{"id", w.id},
                      {"name", w.name},
                      {"namespace", w.namespace_},
                      {"definition", w.definition},
                      {"tags", tags_or_empty(w.tags)},
                      {"scope", w.scope},
                      {"project_id", w.project_id},
                      {"created_at", api_time(w.created_at)},
                      {"updated_at", api_time(w.updated_at)}});
}

Value action_view(const storage::ActionDefinition& a) {
  return Value::dict({{"id", a.id},
                      {"name", a.name},
                      {"description", a.description ? Value(*a.description) : Value()},
                      {"input", a.input},
                      {"namespace", a.namespace_},
                      {"project_id", a.project_id},
                      {"scope", a.scope},
                      {"definition", a.definition},
                      {"is_system", a.is_system},
                      {"tags", tags_or_empty(a.tags)},
                      {"created_at", api_time(a.created_at)},
                      {"updated_at", api_time(a.updated_at)}});
}

Value std_action_view(const executor::ActionDescriptor& d) {
  // Built-in actions are not rows: their id is their name (as Mistral 15
  // shows them), they belong to no project and everyone sees them.
  return Value::dict({{"id", d.name},
                      {"name", d.name},
                      {"description", d.description},
                      {"input", d.input_signature()},
                      {"namespace", ""},
                      {"project_id", Value()},
                      {"scope", "public"},
                      {"definition", ""},
                      {"is_system", false},  // as Mistral 15 shows them
                      {"tags", Value(std::vector<Value>{})},
                      {"created_at", Value()},
                      {"updated_at", Value()}});
}

Value environment_view(const storage::Environment& e) {
  return Value::dict({{"id", e.id},
                      {"name", e.name},
                      {"description", e.description ? Value(*e.description) : Value()},
                      {"variables", json_field(e.variables.is_null() ? Value(Dict{}) : e.variables, true)},
                      {"scope", e.scope},
                      {"project_id", e.project_id},
                      {"created_at", api_time(e.created_at)},
                      {"updated_at", api_time(e.updated_at)}});
}

Value cron_trigger_view(const storage::CronTrigger& t) {
  return Value::dict({{"id", t.id},
                      {"name", t.name},
                      {"workflow_name", t.workflow_name},
                      {"workflow_id", t.workflow_id},
                      {"workflow_input", json_field(t.workflow_input.is_null() ? Value(Dict{}) : t.workflow_input, true)},
                      {"workflow_params", json_field(t.workflow_params.is_null() ? Value(Dict{}) : t.workflow_params, true)},
                      {"project_id", t.project_id},
                      {"scope", t.scope},
                      {"pattern", t.pattern},
                      {"remaining_executions", t.remaining_executions ? Value(*t.remaining_executions) : Value()},
                      {"first_execution_time", api_time(t.first_execution_time)},
                      {"next_execution_time", api_time(t.next_execution_time)},
                      {"created_at", api_time(t.created_at)},
                      {"updated_at", api_time(t.updated_at)}});
}

Value member_view(const storage::ResourceMember& m) {
  return Value::dict({{"id", m.id},
                      {"resource_id", m.resource_id},
                      {"resource_type", m.resource_type},
                      {"project_id", m.project_id},
                      {"member_id", m.member_id},
                      {"status", m.status},
                      {"created_at", api_time(m.created_at)},
                      {"updated_at", api_time(m.updated_at)}});
}

Value event_trigger_view(const storage::EventTrigger& t) {
  return Value::dict({{"id", t.id},
                      {"name", t.name},
                      {"workflow_id", t.workflow_id},
                      {"workflow_input", json_field(t.workflow_input.is_null() ? Value(Dict{}) : t.workflow_input, true)},
                      {"workflow_params", json_field(t.workflow_params.is_null() ? Value(Dict{}) : t.workflow_params, true)},
                      {"exchange", t.exchange},
                      {"topic", t.topic},
                      {"event", t.event},
                      {"scope", t.scope},
                      {"project_id", t.project_id},
                      {"created_at", api_time(t.created_at)},
                      {"updated_at", api_time(t.updated_at)}});
}

}  // namespace bora::api
