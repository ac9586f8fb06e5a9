// events/event_dispatcher: a notification fires the event triggers it
// matches (mistral/event_engine/default_event_engine.py _loop and
// _start_workflow).
#include "bora/events/event_dispatcher.h"

#include <fmt/format.h>

#include <mutex>

#include "bora/core/digest.h"
#include "bora/core/json.h"
#include "bora/core/log.h"
#include "bora/core/metrics.h"

namespace bora::events {

using storage::EventTrigger;
using storage::FilterOp;
using storage::ProjectScope;

namespace {

std::string text_at(const Value& v, const char* key) {
  const Value* x = v.is_dict() ? v.find(key) : nullptr;
  return x && x->is_string() ? x->as_string() : "";
}

// Mistral's description of an execution an event trigger started, and
// (Bora's addition) the message that started it: with the execution's id
// derived from it, the message's identity is kept with the execution.
std::string description_of(const EventTrigger& t, const std::string& message_id) {
  return to_json(Value::dict({{"description",
                               Value(fmt::format("Workflow execution created by event trigger '({})'.", t.id))},
                              {"triggered_by", Value::dict({{"type", Value("event_trigger")},
                                                            {"id", Value(t.id)},
                                                            {"name", Value(t.name)},
                                                            {"message_id", Value(message_id)}})}}),
                 JsonFormat::python());
}

void count_firing() {
  static auto& firings = metrics::Registry::global()
                             .counter("bora_event_trigger_firings_total",
                                      "Event trigger firings (a notification or a webhook call started the "
                                      "trigger's workflow; a repeated delivery is not counted).")
                             .counter();
  firings.inc();
}

// What the starts of one event share until the last one answers.
struct Pending {
  std::mutex mutex;
  std::vector<FiredTrigger> fired;
  size_t remaining = 0;
  std::optional<Error> failure;  // one that retrying may cure: the whole event fails
  std::function<void(Result<std::vector<FiredTrigger>>)> done;
};

}  // namespace

EventDispatcher::EventDispatcher(storage::Database& db, engine::Engine& engine, const expr::ExpressionPort& expressions,
                                 EventDefinitions definitions)
    : db_(db), engine_(engine), expressions_(expressions), definitions_(std::move(definitions)) {}

std::string EventDispatcher::execution_id_for(const std::string& message_id, const std::string& trigger_id) {
  // A name-based UUID (RFC 4122 layout, version 8: custom, from SHA-256)
  // of the pair: the same pair, the same id, on every node.
  std::string h = sha256_hex("bora-event-delivery\n" + trigger_id + "\n" + message_id);
  h[12] = '8';
  static const char kVariant[] = "89ab";
  h[16] = kVariant[std::stoi(h.substr(16, 1), nullptr, 16) & 3];
  return fmt::format("{}-{}-{}-{}-{}", h.substr(0, 8), h.substr(8, 4), h.substr(12, 4), h.substr(16, 4),
                     h.substr(20, 12));
}

void EventDispatcher::fire(EventFiring event, std::function<void(Result<std::vector<FiredTrigger>>)> done) {
  const Value& n = event.notification;
  std::string event_type = text_at(n, "event_type");
  // Whose event it is: the project of the notification's context (an
  // OpenStack service's request context), none when it carries none.
  std::optional<std::string> project;
  if (const Value* context = n.is_dict() ? n.find("context") : nullptr; context && context->is_dict())
    if (const Value* p = context->find("project_id"); p && p->is_string()) project = p->as_string();

  struct Candidate {
    EventTrigger trigger;
    bool started_before = false;
  };
  Result<std::vector<Candidate>> candidates = Error{ErrorKind::Internal, "not read"};
  try {
  candidates = db_.read([&](storage::Transaction& tx) -> Result<std::vector<Candidate>> {
    std::vector<EventTrigger> rows;
    if (event.trigger_id) {
      auto t = tx.event_triggers().find(*event.trigger_id, ProjectScope::internal());
      if (!t) return not_found(fmt::format("Event trigger not found [id={}].", *event.trigger_id));
      rows.push_back(std::move(*t));
    } else {
      auto listed = tx.event_triggers().list({ProjectScope::internal(),
                                              {{"exchange", FilterOp::Eq, {event.exchange}},
                                               {"topic", FilterOp::Eq, {event.topic}},
                                               {"event", FilterOp::Eq, {event_type}}},
                                              {{"created_at", false}}});
      if (!listed) return listed.error();
      rows = std::move(listed).value();
    }
    std::vector<Candidate> out;
    for (auto& t : rows) {
      // Mistral's rule: a project's events fire that project's triggers
      // and every public one (with authentication off triggers belong to
      // "<default-project>", so only public ones fire for OpenStack's).
      if (t.scope != "public" && !(project && t.project_id == *project)) continue;
      bool before = tx.workflow_executions().exists(execution_id_for(event.message_id, t.id));
      out.push_back({std::move(t), before});
    }
    return out;
  });
  } catch (const BoraError& e) {
    candidates = e.error();
  } catch (const std::exception& e) {
    candidates = Error{ErrorKind::Internal, std::string("reading the event triggers: ") + e.what()};
  }
  if (!candidates) return done(candidates.error());
  if (candidates->empty()) return done(std::vector<FiredTrigger>{});

  // Evaluated once per notification, as Mistral does.
  auto event_params = expressions_.evaluate(definitions_.properties_for(event_type), n, expr::ExpressionScope{});
  if (!event_params) {
    return done(bad_input(fmt::format("The event definition of '{}' does not evaluate against the notification: "
                                      "{} (fix [event_engine] event_definitions_cfg_file)",
                                      event_type, event_params.error().message)));
  }

  auto pending = std::make_shared<Pending>();
  pending->remaining = candidates->size();
  pending->fired.resize(candidates->size());
  pending->done = std::move(done);
  for (size_t i = 0; i < candidates->size(); ++i) {
    const EventTrigger& t = (*candidates)[i].trigger;
    bool before = (*candidates)[i].started_before;
    engine::StartRequest start;
    start.id = execution_id_for(event.message_id, t.id);
    start.workflow = t.workflow_id;
    start.input = t.workflow_input.is_dict() ? t.workflow_input : Value(Dict{});
    start.params = (t.workflow_params.is_dict() ? t.workflow_params : Value(Dict{})).with("event_params", *event_params);
    start.description = description_of(t, event.message_id);
    // The trigger's project starts it: the workflow as that project sees
    // it now. With a trust stored with the trigger (Mistral creates one
    // with Keystone on), the execution acts through it, as cron triggers'
    // do (mistral/services/security.py create_context).
    start.caller = catalog::Caller{t.project_id, false, {}, {}};
    if (t.trust_id && !t.trust_id->empty())
      start.caller.security = Value::dict(
          {{"project_id", Value(t.project_id)}, {"trust_id", Value(*t.trust_id)}, {"is_trust_scoped", Value(true)}});
    pending->fired[i].trigger_id = t.id;
    std::string name = t.name, id = *start.id, message_id = event.message_id;
    engine_.start_workflow(std::move(start), [pending, i, before, name, id, message_id](
                                                 Result<storage::WorkflowExecution> ex) {
      std::unique_lock lock(pending->mutex);
      FiredTrigger& f = pending->fired[i];
      if (ex) {
        f.execution_id = ex->id;
        f.repeated = before;
        if (!before) count_firing();
        if (before)
          log::info("events", "event trigger {} ({}): message {} was delivered again; execution {} has it already",
                    name, f.trigger_id, message_id, ex->id);
      } else if (ex.error().kind == ErrorKind::Conflict && ex.error().message.find("Duplicate entry") != std::string::npos) {
        // Another node started it first (the ids collided on the key).
        f.execution_id = id;
        f.repeated = true;
      } else if (ex.error().kind == ErrorKind::Unavailable || ex.error().kind == ErrorKind::Internal) {
        pending->failure = ex.error();
      } else {
        // Mistral logs and goes on with the other triggers.
        f.error = ex.error().message;
        log::error("events", "event trigger {} ({}) could not start its workflow: {}", name, f.trigger_id,
                   f.error);
      }
      if (--pending->remaining > 0) return;
      auto finish = std::move(pending->done);
      Result<std::vector<FiredTrigger>> r =
          pending->failure ? Result<std::vector<FiredTrigger>>(*pending->failure)
                           : Result<std::vector<FiredTrigger>>(std::move(pending->fired));
      lock.unlock();
      finish(std::move(r));
    });
  }
}

}  // namespace bora::events
