// events/event_definitions: the [event_engine] event_definitions_cfg_file
// (Mistral's NotificationsConverter).
#include "bora/events/event_definitions.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <filesystem>

#include "bora/core/file.h"
#include "bora/core/yaml.h"

namespace bora::events {

namespace {

// mistral/event_engine/default_event_engine.py DEFAULT_PROPERTIES.
const Value& default_properties() {
  static const Value v = Value::dict({{"service", Value("<% $.publisher %>")},
                                      {"project_id", Value("<% $.context.project_id %>")},
                                      {"user_id", Value("<% $.context.user_id %>")},
                                      {"timestamp", Value("<% $.timestamp %>")}});
  return v;
}

Error entry_error(const std::string& origin, size_t index, const std::string& what) {
  return Error{ErrorKind::BadInput,
               fmt::format("{}: event definition #{} {} (each entry is {{event_types: <pattern or list of patterns>, "
                           "properties: <dict of values, expressions allowed>}})",
                           origin, index + 1, what)};
}

}  // namespace

Result<EventDefinitions> EventDefinitions::parse(std::string_view text, const std::string& origin) {
  auto doc = parse_yaml(text, YamlFlavour::mistral_safe_loader);  // Mistral's safe_yaml
  if (!doc) {
    return Error{ErrorKind::BadInput,
                 fmt::format("Invalid event definition configuration file {}: {}", origin, doc.error().message)};
  }
  EventDefinitions out;
  if (doc->is_null()) return out;  // an empty file: no definitions
  if (!doc->is_list())
    return Error{ErrorKind::BadInput,
                 fmt::format("{}: the event definitions must be a YAML list of {{event_types, properties}}", origin)};
  const List& entries = doc->as_list();
  for (size_t i = 0; i < entries.size(); ++i) {
    const Value& e = entries[i];
    if (!e.is_dict()) return entry_error(origin, i, "is not a dict");
    const Value* types = e.find("event_types");
    const Value* properties = e.find("properties");
    // Mistral: "Required field %s not specified".
    if (!types) return entry_error(origin, i, "has no event_types");
    if (!properties) return entry_error(origin, i, "has no properties");
    Definition d;
    if (types->is_string()) {
      d.event_types.push_back(types->as_string());
    } else if (types->is_list()) {
      for (const Value& t : types->as_list()) {
        if (!t.is_string()) return entry_error(origin, i, "has an event_types entry that is not a string");
        d.event_types.push_back(t.as_string());
      }
    } else {
      return entry_error(origin, i, "has event_types that is neither a string nor a list of strings");
    }
    d.properties = *properties;
    out.definitions_.push_back(std::move(d));
  }
  return out;
}

Result<EventDefinitions> EventDefinitions::load(const std::string& path) {
  std::error_code ec;
  if (path.empty() || !std::filesystem::exists(path, ec)) return EventDefinitions{};
  auto text = read_text_file(path, 16 * 1024 * 1024);
  if (!text) return text.error();
  return parse(*text, path);
}

const Value& EventDefinitions::properties_for(std::string_view event_type) const {
  // Mistral reverses the list and takes the first match: the last
  // definition in the file wins. Patterns are fnmatch's (Python's fnmatch
  // on POSIX: case-sensitive, no backslash escapes).
  std::string type(event_type);
  for (auto it = definitions_.rbegin(); it != definitions_.rend(); ++it) {
    for (const auto& pattern : it->event_types)
      if (::fnmatch(pattern.c_str(), type.c_str(), FNM_NOESCAPE) == 0) return it->properties;
  }
  return default_properties();
}

}  // namespace bora::events
