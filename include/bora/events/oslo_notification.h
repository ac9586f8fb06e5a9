// events/oslo_notification: an AMQP message body as oslo.messaging's
// notifier sends it, read into Mistral's event (mistral/messaging.py
// handle_event). The 2.0 envelope ({"oslo.version": "2.0", "oslo.message":
// "<JSON text>"}, messagingv2, the default) and the bare 1.0 message
// (messaging driver) alike; the request context travels as _context_<key>
// entries beside the message's own keys (oslo_messaging/_drivers/amqp.py
// pack_context).
#pragma once

#include <string>
#include <string_view>

#include "bora/core/error.h"
#include "bora/core/value.h"

namespace bora::events {

struct OsloNotification {
  std::string message_id;  // the notifier's uuid4 ("" when the message has none)
  std::string priority;    // INFO, ERROR...
  // {event_type, payload, publisher, timestamp, context}: what Mistral's
  // event definitions and triggers see.
  Value event;
};

// BadInput saying what is missing for a body that is not a notification.
Result<OsloNotification> parse_oslo_notification(std::string_view body);

}  // namespace bora::events
