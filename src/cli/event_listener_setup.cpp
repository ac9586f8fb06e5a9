// cli/event_listener_setup: the dispatcher, and the RabbitMQ listener if
// built and configured.
#include "event_listener_setup.h"

#include "bora/core/log.h"
#include "bora/events/listener_options.h"
#if BORA_HAVE_RABBITMQ
#include "bora/events/notification_listener.h"
#endif

namespace bora::cli {

Result<EventSources> start_event_sources(Runtime& runtime) {
  const Config& config = runtime.config;
  EventSources sources;
  // Mistral's option and default path; a missing file is Mistral's default
  // properties, a broken one refuses the start (as Mistral's event engine).
  auto definitions = events::EventDefinitions::load(
      config.get_or("event_engine", "event_definitions_cfg_file", "/etc/mistral/event_definitions.yaml"));
  if (!definitions) return Error{definitions.error().kind, "[event_engine] " + definitions.error().message};
  auto options = events::listener_options(config);
  if (!options) return options.error();
  auto retention = events::delivery_retention(config);
  if (!retention) return retention.error();
  if (!runtime.engine || !runtime.expressions) {
    if (*options) log::warning("events", "no engine runs (the schema is not current): event triggers do not fire");
    return sources;
  }
  sources.dispatcher = std::make_unique<events::EventDispatcher>(*runtime.db, *runtime.engine, *runtime.expressions,
                                                                 std::move(definitions).value(), *retention);
  if (!*options) return sources;  // no transport_url: the webhook only
#if BORA_HAVE_RABBITMQ
  auto listener = std::make_shared<events::NotificationListener>(*runtime.db, *sources.dispatcher, **options);
  sources.stop_listener = [listener] { listener->stop(); };
  return sources;
#else
  return Error{ErrorKind::BadInput,
               "transport_url is set, but this bora was built without librabbitmq (apt-get install librabbitmq-dev, "
               "then build again): it cannot listen for notifications; remove transport_url to fire event triggers "
               "through the webhook only"};
#endif
}

}  // namespace bora::cli
