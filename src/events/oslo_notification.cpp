// events/oslo_notification: oslo.messaging's notification on the wire.
#include "bora/events/oslo_notification.h"

#include <fmt/format.h>

#include "bora/core/json.h"
#include "bora/core/time.h"

namespace bora::events {

Result<OsloNotification> parse_oslo_notification(std::string_view body) {
  auto outer = parse_json(body);
  if (!outer) return bad_input("the message body is not JSON: " + outer.error().message);
  if (!outer->is_dict()) return bad_input("the message body is not a JSON object");
  Value msg = *outer;
  // oslo_messaging/_drivers/common.py deserialize_msg: an envelope has
  // both keys; anything else is taken as the message itself (1.0).
  const Value* version = outer->find("oslo.version");
  const Value* inner = outer->find("oslo.message");
  if (version && inner) {
    if (!inner->is_string()) return bad_input("oslo.message is not JSON text");
    auto parsed = parse_json(inner->as_string());
    if (!parsed) return bad_input("oslo.message is not JSON: " + parsed.error().message);
    if (!parsed->is_dict()) return bad_input("oslo.message is not a JSON object");
    msg = *parsed;
  }
  const Value* event_type = msg.find("event_type");
  if (!event_type || !event_type->is_string())
    return bad_input("the message has no event_type: not an oslo.messaging notification");
  OsloNotification out;
  Dict context;
  for (const auto& [key, value] : msg.as_dict()) {
    if (key.rfind("_context_", 0) == 0) context.set(key.substr(9), value);
  }
  auto text = [&](const char* key) {
    const Value* v = msg.find(key);
    return v && v->is_string() ? v->as_string() : std::string();
  };
  out.message_id = text("message_id");
  out.priority = text("priority");
  const Value* payload = msg.find("payload");
  // mistral/messaging.py: metadata's timestamp, else the context's, else now.
  Value timestamp;
  if (const Value* t = msg.find("timestamp"); t && !t->is_null()) timestamp = *t;
  else if (const Value* ct = context.find("timestamp"); ct && !ct->is_null()) timestamp = *ct;
  else timestamp = Value(format_iso_time(now_utc()));
  out.event = Value::dict({{"event_type", *event_type},
                           {"payload", payload ? *payload : Value()},
                           {"publisher", msg.find("publisher_id") ? *msg.find("publisher_id") : Value()},
                           {"timestamp", timestamp},
                           {"context", Value(std::move(context))}});
  return out;
}

}  // namespace bora::events
