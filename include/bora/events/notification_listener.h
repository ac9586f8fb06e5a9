// events/notification_listener: Mistral's event engine listener on
// RabbitMQ (AMQP 0-9-1, Debian's librabbitmq). For every (exchange, topic)
// of the stored event triggers it declares the queue a pooled
// oslo.messaging notification listener declares (mistral-<exchange>-<pool>,
// bound to <topic>.<priority> for audit, critical, debug, error and info),
// consumes notifications, and hands each to the EventDispatcher; the
// message is acknowledged only once the executions it started have
// committed, and their ids, derived from the message's, make a redelivered
// message start nothing (exactly once across restarts of Bora or RabbitMQ,
// and across nodes sharing a queue). When RabbitMQ goes away the listener reconnects with a
// bounded backoff, logging each attempt.
#pragma once

#include <memory>

#include "bora/events/event_dispatcher.h"
#include "bora/events/listener_options.h"
#include "bora/storage/database.h"

namespace bora::events {

class NotificationListener {
 public:
  // Starts its thread at once; the first connection is tried there.
  NotificationListener(storage::Database& db, EventDispatcher& dispatcher, ListenerOptions options);
  // Stops consuming; what is in flight stays unacknowledged and comes back
  // to the next consumer (its delivery record decides whether it runs).
  ~NotificationListener();
  NotificationListener(const NotificationListener&) = delete;
  NotificationListener& operator=(const NotificationListener&) = delete;

  // Stops the thread (idempotent): before the engine drains.
  void stop();

  // For GET /metrics and the tests: connected now, and how many
  // (exchange, topic, priority) bindings are in place.
  bool connected() const;
  size_t bindings() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bora::events
