#include "bora/services/event_triggers.h"

#include <fmt/format.h>

#include <algorithm>

#include "bora/catalog/catalog.h"
#include "bora/core/ids.h"
#include "bora/lang/parser.h"
#include "bora/lang/workflow_input.h"
#include "bora/services/json_object.h"
#include "bora/services/workflow_definitions.h"

namespace bora::services {

using storage::EventTrigger;
using storage::FilterOp;

namespace {

const char* const kEventTriggerKeys[] = {"id", "name", "workflow_id", "workflow_input", "workflow_params", "exchange",
                                         "topic", "event", "scope", "project_id", "created_at", "updated_at"};

Result<void> check_keys(const Value& body) {
  if (!body.is_dict()) return bad_input("An event trigger must be a JSON object.");
  for (const auto& [key, value] : body.as_dict()) {
    // `&key = key`: clang 14 (the sanitizer build) cannot capture a structured binding.
    if (std::none_of(std::begin(kEventTriggerKeys), std::end(kEventTriggerKeys),
                     [&key = key](const char* k) { return key == k; }))
      return bad_input(fmt::format("Unknown attribute for argument event_trigger: {}", key));
  }
  return {};
}

std::string text(const Value& body, const char* key) {
  const Value* v = body.find(key);
  return v && v->is_string() ? v->as_string() : "";
}

Result<void> apply_common(storage::Transaction& tx, EventTrigger& t, const Value& body, const Caller& caller, bool creating) {
  if (body.find("name")) t.name = text(body, "name");
  if (const Value* s = body.find("scope"); s && !s->is_null()) {
    if (auto ok = catalog::check_scope_attribute(*s); !ok) return ok.error();
    t.scope = s->as_string();
  }
  if (const Value* in = body.find("workflow_input")) {
    auto v = json_object_field(*in, "workflow_input", "event_trigger", &body);
    if (!v) return v.error();
    t.workflow_input = *v;
  }
  if (const Value* p = body.find("workflow_params")) {
    auto v = json_object_field(*p, "workflow_params", "event_trigger", &body);
    if (!v) return v.error();
    t.workflow_params = *v;
  }
  // Mistral's create_event_trigger reads the workflow by its id and checks
  // the input; its update stores what it is given.
  if (!creating) return {};
  auto wf = catalog::Catalog(tx, caller).workflow(t.workflow_id, std::nullopt);
  if (!wf) {
    if (wf.error().kind == ErrorKind::NotFound)
      return not_found(fmt::format("Workflow not found [workflow_id={}]", t.workflow_id));
    return wf.error();
  }
  auto spec = lang::workflow_from_value(wf->spec);
  if (!spec) return spec.error();
  return lang::check_workflow_input(**spec, t.workflow_input);
}

}  // namespace

Result<EventTrigger> create_event_trigger(storage::Transaction& tx, const Value& body, const Caller& caller,
                                          std::optional<std::string> trust_id) {
  if (auto k = check_keys(body); !k) return k.error();
  for (const char* key : {"event", "exchange", "topic", "workflow_id"}) {
    if (text(body, key).empty()) {
      return bad_input(
          "Params {'event', 'exchange', 'topic', 'workflow_id'} must be provided for creating event trigger.");
    }
  }
  EventTrigger t;
  t.workflow_id = text(body, "workflow_id");
  if (!is_uuid(t.workflow_id))
    return bad_input(fmt::format("Expected a uuid but received {}.", t.workflow_id));  // WSME's uuid type
  t.exchange = text(body, "exchange");
  t.topic = text(body, "topic");
  t.event = text(body, "event");
  t.workflow_input = Value(Dict{});
  t.workflow_params = Value(Dict{});
  t.project_id = caller.project_id;
  t.trust_id = std::move(trust_id);
  if (auto a = apply_common(tx, t, body, caller, true); !a) return a.error();
  return tx.event_triggers().create(std::move(t));
}

Result<EventTrigger> update_event_trigger(storage::Transaction& tx, const std::string& id, const Value& body,
                                          const Caller& caller) {
  if (auto k = check_keys(body); !k) return k.error();
  for (const char* key : {"exchange", "topic", "event"}) {
    if (!text(body, key).empty())
      return bad_input("Can not update fields ['exchange', 'topic', 'event'] of event trigger.");
  }
  auto t = get_event_trigger(tx, id, caller);
  if (!t) return t.error();
  if (auto a = check_modify_access(caller, "EventTrigger", t->id, t->project_id, false); !a) return a.error();
  if (auto a = apply_common(tx, *t, body, caller, false); !a) return a.error();
  return tx.event_triggers().update(std::move(t).value());
}

Result<EventTrigger> get_event_trigger(storage::Transaction& tx, const std::string& id, const Caller& caller) {
  if (auto t = tx.event_triggers().find_one({{"id", FilterOp::Eq, {id}}}, caller.lookup())) return std::move(*t);
  return not_found(fmt::format("Event trigger not found [id={}].", id));
}

Result<void> delete_event_trigger(storage::Transaction& tx, const std::string& id, const Caller& caller) {
  auto t = get_event_trigger(tx, id, caller);
  if (!t) return t.error();
  if (auto a = check_modify_access(caller, "EventTrigger", t->id, t->project_id, false); !a) return a.error();
  return tx.event_triggers().remove(t->id);
}

}  // namespace bora::services
