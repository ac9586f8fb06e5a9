// events/event_firing: a notification that fires event triggers
// (EventDispatcher::fire), from the message bus (notification_listener) or
// the webhook (POST /v2/event_triggers/{id}/events), and what it started.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bora/core/value.h"

namespace bora::events {

struct EventFiring {
  // At most one execution per (message_id, trigger), whatever the number
  // of deliveries: oslo.messaging's message_id, or the webhook's.
  std::string message_id;
  // The bus: the exchange and topic it arrived on; a trigger fires when its
  // exchange, topic and event are the notification's.
  std::string exchange, topic;
  // The webhook: this trigger only (exchange and topic are not compared).
  std::optional<std::string> trigger_id;
  // Mistral's event (mistral/messaging.py handle_event): event_type,
  // payload, publisher, timestamp, context (whose project_id says whose
  // triggers it fires: that project's and the public ones).
  Value notification;
};

struct FiredTrigger {
  std::string trigger_id;
  std::string execution_id;  // the execution this message started (now or before)
  bool repeated = false;     // it had fired this trigger already: nothing new started
  std::string error;         // why the workflow did not start (execution_id then empty)
};

}  // namespace bora::events
