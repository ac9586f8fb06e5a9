#include "bora/api/views.h"

#include "bora/core/json.h"
#include "bora/engine/runtime_context.h"
#include "bora/lang/api_views.h"
#include "bora/lang/parser.h"

namespace bora::api {

Value api_time(const std::optional<Timestamp>& t) {
  if (!t) return Value();
  return Value(format_api_time(*t));
}

Value created_view(Value view) {
  // Mistral answers a create with the row as inserted: an attribute the
  // insert did not load (the update time) is left out; reads show it null.
  if (const Value* v = view.find("updated_at"); v && v->is_null()) {
    Dict d = view.as_dict();
    d.erase("updated_at");
    return Value(std::move(d));
  }
  return view;
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
  // In resources.Action's attribute order, which WSME writes.
  return Value::dict({{"id", a.id},
                      {"name", a.name},
                      {"is_system", a.is_system},
                      {"input", a.input},
                      {"description", a.description ? Value(*a.description) : Value()},
                      {"tags", tags_or_empty(a.tags)},
                      {"definition", a.definition},
                      {"scope", a.scope},
                      {"project_id", a.project_id},
                      {"created_at", api_time(a.created_at)},
                      {"updated_at", api_time(a.updated_at)},
                      {"namespace", a.namespace_}});
}

Value std_action_view(const catalog::BuiltinAction& d) {
  // Built-in actions are not rows: their id is their name, they belong to
  // no project and everyone sees them. Mistral 15's action provider shows
  // them so: no scope, no tags, empty times, not "system".
  return Value::dict({{"id", d.name},
                      {"name", d.name},
                      {"is_system", false},
                      {"input", d.input},
                      {"description", d.description},
                      {"tags", Value()},
                      {"definition", ""},
                      {"scope", Value()},
                      {"project_id", Value()},
                      {"created_at", ""},
                      {"updated_at", ""},
                      {"namespace", ""}});
}

Value environment_view(const storage::Environment& e) {
  return Value::dict({{"id", e.id},
                      {"name", e.name ? Value(*e.name) : Value()},
                      {"description", e.description ? Value(*e.description) : Value()},
                      {"variables", json_field(e.variables, true)},  // null: stored without (as Mistral)
                      {"scope", e.scope ? Value(*e.scope) : Value()},
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

Value code_source_view(const storage::CodeSource& c) {
  return Value::dict({{"id", c.id},
                      {"name", c.name},
                      {"namespace", c.namespace_},
                      {"content", c.content},
                      {"version", c.version},
                      {"project_id", c.project_id},
                      {"scope", c.scope},
                      {"created_at", api_time(c.created_at)},
                      {"updated_at", api_time(c.updated_at)}});
}

Value dynamic_action_view(const storage::DynamicActionDefinition& d) {
  return Value::dict({{"id", d.id},
                      {"name", d.name},
                      {"namespace", d.namespace_},
                      {"code_source_id", d.code_source_id},
                      {"code_source_name", d.code_source_name},
                      {"class_name", d.class_name},
                      {"project_id", d.project_id},
                      {"scope", d.scope},
                      {"created_at", api_time(d.created_at)},
                      {"updated_at", api_time(d.updated_at)}});
}

Value dynamic_action_as_action_view(const storage::DynamicActionDefinition& d,
                                    const catalog::BuiltinAction* python_class) {
  // Mistral's DynamicActionDescriptor, as its action list renders one: no
  // id of its own (the name stands in), no definition, tags nor times.
  return Value::dict({{"id", d.name},
                      {"name", d.name},
                      {"is_system", false},
                      {"input", python_class ? python_class->input : std::string()},
                      {"description", python_class ? python_class->description
                                                   : "Dynamic action: " + d.class_name + " of code source " +
                                                         d.code_source_name},
                      {"tags", Value()},
                      {"definition", ""},
                      {"scope", d.scope},
                      {"project_id", d.project_id},
                      {"created_at", ""},
                      {"updated_at", ""},
                      {"namespace", d.namespace_}});
}

namespace {

Value opt_text(const std::optional<std::string>& s) { return s ? Value(*s) : Value(); }
Value json_text_or_empty(const Value& v) { return json_field(v.is_null() ? Value(Dict{}) : v, true); }

}  // namespace

Value execution_view(const storage::WorkflowExecution& e) {
  return Value::dict({{"id", e.id},
                      {"workflow_id", e.workflow_id},
                      {"workflow_name", e.workflow_name},
                      {"workflow_namespace", e.workflow_namespace},
                      {"description", e.description.value_or("")},
                      {"tags", tags_or_empty(e.tags)},
                      {"params", json_text_or_empty(e.params)},
                      {"task_execution_id", opt_text(e.task_execution_id)},
                      {"root_execution_id", opt_text(e.root_execution_id)},
                      {"state", storage::state_name(e.state)},
                      {"state_info", opt_text(e.state_info)},
                      {"input", json_text_or_empty(e.input)},
                      {"output", json_text_or_empty(e.output)},
                      {"created_at", api_time(e.created_at)},
                      {"updated_at", api_time(e.updated_at)},
                      {"project_id", e.project_id},
                      // Bora's own: the version of the workflow it runs.
                      {"workflow_version", e.workflow_version ? Value(*e.workflow_version) : Value()}});
}

Value execution_view_with_published(const storage::WorkflowExecution& e) {
  // Mistral's get_workflow_execution_published_global: the context without
  // the workflow's vars and internal keys.
  Dict published;
  const Value* vars = e.spec.is_dict() ? e.spec.find("vars") : nullptr;
  if (e.context.is_dict()) {
    for (const auto& [k, v] : e.context.as_dict()) {
      if (k == "__execution" || k == "openstack") continue;
      if (vars && vars->is_dict() && vars->find(k)) continue;
      published.set(k, v);
    }
  }
  return execution_view(e).with("published_global", json_field(Value(std::move(published)), true));
}

// A task's runtime_context as Mistral shows it: triggered_by (each task
// whose transition started it, by its clause), retry_task_policy's
// retry_no, a with-items task's with_items {capacity, count} (capacity:
// how many more items may start now under `concurrency`, null without one)
// and its concurrency. Bora's own bookkeeping in it (policy marks, join
// counts, rollback) is not shown.
Value task_runtime_context_view(const storage::TaskExecution& t) {
  engine::TaskContextView v(t.runtime_context);
  Dict out;
  const Value* by = t.runtime_context.is_dict() ? t.runtime_context.find("triggered_by") : nullptr;
  if (by && by->is_list()) out.set("triggered_by", *by);
  if (auto n = v.retry_no()) out.set("retry_task_policy", Value::dict({{"retry_no", Value(*n)}}));
  if (v.has_with_items()) {
    engine::WithItemsProgress w = v.with_items();
    if (w.concurrency > 0) out.set("concurrency", Value(w.concurrency));
    // Mistral's capacity starts at the concurrency, None without one.
    Value capacity = w.concurrency > 0 ? Value(std::max<int64_t>(0, w.concurrency - w.running())) : Value();
    out.set("with_items", Value::dict({{"capacity", capacity}, {"count", Value(w.count)}}));
  }
  return Value(std::move(out));
}

Value task_view(const storage::TaskExecution& t, const Value& result) {
  Value view = Value::dict({{"id", t.id},
                      {"name", t.name},
                      {"type", t.type},
                      {"workflow_name", t.workflow_name},
                      {"workflow_namespace", t.workflow_namespace},
                      {"workflow_id", t.workflow_id},
                      {"workflow_execution_id", t.workflow_execution_id},
                      {"tags", tags_or_empty(t.tags)},
                      {"state", storage::state_name(t.state)},
                      {"state_info", opt_text(t.state_info)},
                      {"project_id", t.project_id},
                      {"runtime_context", json_field(task_runtime_context_view(t), true)},
                      // Mistral renders the result as JSON text too.
                      {"result", Value(to_json(result, JsonFormat::python()))},
                      // null when the publish spec has only `global:` (Mistral stores None then).
                      {"published", json_field(t.published, true)},
                      {"processed", t.processed},
                      {"created_at", api_time(t.created_at)},
                      {"updated_at", api_time(t.updated_at)},
                      {"started_at", api_time(t.started_at)},
                      {"finished_at", api_time(t.finished_at)}});
  // Bora's progress of a with-items task (an added field, only on them):
  // Mistral's runtime_context shows the capacity, not how many ended.
  if (engine::TaskContextView rc(t.runtime_context); rc.has_with_items()) {
    engine::WithItemsProgress w = rc.with_items();
    view = view.with("items", Value::dict({{"count", Value(w.count)}, {"done", Value(w.done)}}));
  }
  // Bora's rollback: a compensation names the task execution it undoes (an
  // added field, only on compensations).
  if (auto c = engine::TaskContextView(t.runtime_context).compensation())
    view = view.with("compensates", Value(c->task_execution_id));
  return view;
}

namespace {

bool no_output_yet(const storage::ActionExecution& a) {
  bool waiting = a.state == storage::State::Running || a.state == storage::State::Paused;
  return a.output.is_null() || (waiting && a.output.is_dict() && a.output.as_dict().empty());
}

}  // namespace

Value action_execution_view(const storage::ActionExecution& a, const std::string& task_name) {
  // Mistral never tags an action execution, and one run on its own has no
  // workflow: both are null there.
  return Value::dict({{"id", a.id},
                      {"workflow_name", a.workflow_name.empty() && !a.task_execution_id ? Value() : Value(a.workflow_name)},
                      {"workflow_namespace", a.workflow_namespace},
                      {"task_name", task_name.empty() ? Value() : Value(task_name)},
                      {"task_execution_id", opt_text(a.task_execution_id)},
                      {"state", storage::state_name(a.state)},
                      {"state_info", opt_text(a.state_info)},
                      {"tags", a.tags.is_null() || (a.tags.is_list() && a.tags.as_list().empty()) ? Value() : a.tags},
                      {"name", a.name},
                      {"description", a.description ? Value(*a.description) : Value()},
                      {"project_id", a.project_id},
                      {"accepted", a.accepted},
                      {"input", json_text_or_empty(a.input)},
                      // No result yet (RUNNING, PAUSED): null, as Mistral's.
                      {"output", no_output_yet(a) ? Value() : json_text_or_empty(a.output)},
                      {"created_at", api_time(a.created_at)},
                      {"updated_at", api_time(a.updated_at)}});
}

}  // namespace bora::api
