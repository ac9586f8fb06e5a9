// events/webhook_route: Bora's webhook source of event triggers,
// POST /v2/event_triggers/{id}/events (docs/API.md "Event trigger
// webhook"): an event from outside OpenStack fires one trigger through the
// same EventDispatcher as RabbitMQ's notifications. Authenticated like the
// rest of the API (the server's authentication step runs before any
// route) and checked against the policy: event_triggers:get and
// executions:create. `bora server` adds it to the router api::build_router
// built.
#pragma once

#include "bora/api/context.h"
#include "bora/api/router.h"
#include "bora/events/event_dispatcher.h"

namespace bora::events {

// dispatcher null: the route answers 503 (no engine runs).
void add_webhook_route(api::Router& router, api::ApiContext& ctx, EventDispatcher* dispatcher);

}  // namespace bora::events
