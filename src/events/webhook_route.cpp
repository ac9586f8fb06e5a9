// events/webhook_route: POST /v2/event_triggers/{id}/events.
#include "bora/events/webhook_route.h"

#include <fmt/format.h>

#include "bora/api/authorize.h"
#include "bora/api/body_schema.h"
#include "bora/api/responder.h"
#include "bora/core/ids.h"
#include "bora/core/time.h"
#include "bora/services/event_triggers.h"

namespace bora::events {

namespace {

// The body's attributes (any other is refused, as WSME refuses them).
const api::BodySchema kEventBody{"event", {"event_type", "payload", "publisher_id", "message_id"}};

// The webhook's body as the notification Mistral's event engine builds
// (mistral/messaging.py handle_event), the caller's request context as its
// context.
EventFiring webhook_event(const api::Request& req, const storage::EventTrigger& trigger) {
  Value body = req.body.empty() ? Value(Dict{}) : api::json_body(req, kEventBody);
  std::string event_type = api::text_field(body, "event_type");
  if (event_type.empty()) event_type = trigger.event;
  if (event_type != trigger.event) {
    throw BoraError(ErrorKind::BadInput,
                    fmt::format("event_type '{}' is not the event of trigger {} ('{}'): leave it out, or send "
                                "the trigger's",
                                event_type, trigger.id, trigger.event));
  }
  std::string message_id = api::text_field(body, "message_id");
  if (message_id.size() > 255)
    throw BoraError(ErrorKind::BadInput, "message_id is longer than 255 characters: give a shorter unique key");
  std::string publisher = api::text_field(body, "publisher_id");
  const Value* payload = body.find("payload");
  EventFiring event;
  // No message_id: every call is a new event (a client that retries gives
  // one, and its retries then start nothing more).
  event.message_id = message_id.empty() ? generate_uuid() : message_id;
  event.trigger_id = trigger.id;
  services::Caller caller = api::caller_of(req);
  event.notification = Value::dict(
      {{"event_type", Value(event_type)},
       {"payload", payload && !payload->is_null() ? *payload : Value(Dict{})},
       {"publisher", Value(publisher.empty() ? "webhook" : publisher)},
       {"timestamp", Value(format_iso_time(now_utc()))},
       {"context", Value::dict({{"project_id", Value(caller.project_id)},
                                {"user_id", caller.user_id.empty() ? Value() : Value(caller.user_id)}})}});
  return event;
}

api::Response answer(const std::string& message_id, const std::vector<FiredTrigger>& fired) {
  if (fired.empty())
    throw BoraError(ErrorKind::Conflict, "The event fired no trigger (was the trigger changed meanwhile?)");
  const FiredTrigger& f = fired.front();
  if (!f.error.empty()) throw BoraError(ErrorKind::BadInput, "The event trigger's workflow did not start: " + f.error);
  return api::json_response(Value::dict({{"event_trigger_id", Value(f.trigger_id)},
                                         {"message_id", Value(message_id)},
                                         {"workflow_execution_id", Value(f.execution_id)},
                                         {"repeated", Value(f.repeated)}}),
                            f.repeated ? 200 : 201);
}

}  // namespace

void add_webhook_route(api::Router& router, api::ApiContext& ctx, EventDispatcher* dispatcher) {
  router.add_async("POST", "/v2/event_triggers/{id}/events",
                   [&ctx, dispatcher](const api::Request& req, const api::PathParams& p, api::Responder r) {
                     // Seeing the trigger and starting executions is what
                     // firing it takes.
                     api::authorize(ctx, req, "event_triggers:get");
                     api::authorize(ctx, req, "executions:create");
                     if (!dispatcher) throw BoraError(ErrorKind::Unavailable, "This server runs no engine.");
                     services::Caller caller = api::caller_of(req);
                     auto trigger = ctx.db.read([&](storage::Transaction& tx) {
                                      return services::get_event_trigger(tx, p[0], caller);
                                    }).value();
                     // Mistral's rule for notifications: a private trigger
                     // fires for its own project's events only.
                     if (trigger.scope != "public" && trigger.project_id != caller.project_id) {
                       throw BoraError(ErrorKind::Forbidden,
                                       fmt::format("Event trigger {} is private to project {}: only that project's "
                                                   "events (or anyone's, for a public trigger) fire it",
                                                   trigger.id, trigger.project_id));
                     }
                     EventFiring event = webhook_event(req, trigger);
                     std::string message_id = event.message_id;
                     dispatcher->fire(std::move(event),
                                      api::reply_with<std::vector<FiredTrigger>>(
                                          std::move(r), [message_id](const std::vector<FiredTrigger>& fired) {
                                            return answer(message_id, fired);
                                          }));
                   },
                   api::Produces::Own);
}

}  // namespace bora::events
