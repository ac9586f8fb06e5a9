// events/event_definitions: Mistral's event definitions file ([event_engine]
// event_definitions_cfg_file, mistral/event_engine/default_event_engine.py
// NotificationsConverter): a YAML list of {event_types, properties}; the
// properties of the last definition whose event_types (fnmatch patterns)
// match a notification's event_type are evaluated against the notification
// and become the execution's params.event_params. Without a match (or
// without a file), Mistral's defaults: service, project_id, user_id and
// timestamp of the notification.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bora/core/error.h"
#include "bora/core/value.h"

namespace bora::events {

class EventDefinitions {
 public:
  // No definitions: every event gets the default properties.
  EventDefinitions() = default;
  // The file's text; a problem (bad YAML, an entry without event_types or
  // properties, a pattern that is not a string) is BadInput naming the
  // file, the entry and how to fix it.
  static Result<EventDefinitions> parse(std::string_view text, const std::string& origin);
  // The file at `path`; a missing file is no definitions, as in Mistral.
  static Result<EventDefinitions> load(const std::string& path);

  // What to evaluate against a notification of this type: the properties
  // of the last matching definition, or the default properties.
  const Value& properties_for(std::string_view event_type) const;
  size_t size() const { return definitions_.size(); }

 private:
  struct Definition {
    std::vector<std::string> event_types;  // fnmatch patterns
    Value properties;
  };
  std::vector<Definition> definitions_;
};

}  // namespace bora::events
