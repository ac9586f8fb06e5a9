#include "bora/services/json_object.h"

#include <fmt/format.h>

#include "bora/core/json.h"
#include "bora/core/python_format.h"
#include "bora/core/python_json_error.h"

namespace bora::services {

// Mistral's JsonType (api/controllers/v2/types.py): frombasetype keeps a
// dict and json.loads anything else (a list or a number: Python's
// TypeError, which WSME reports for the whole body); validate then turns a
// false value into {} and refuses what is not a dict.
Result<Value> json_object_field(const Value& v, const char* field, const char* resource, const Value* body) {
  if (v.is_null()) return Value(Dict{});
  if (v.is_dict()) return v;
  auto refuse = [&](std::string why) -> Result<Value> {
    if (resource && body) {
      // The body as WSME shows it, cut where a large one would drown the
      // message.
      std::string shown = python_repr(*body);
      constexpr size_t kShown = 1000;
      if (shown.size() > kShown) {
        size_t cut = kShown;
        while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
        shown = shown.substr(0, cut) + "... (" + std::to_string(shown.size()) + " characters)";
      }
      why = fmt::format("Invalid input for field/attribute {}. Value: '{}'. {}", resource, shown, why);
    }
    return bad_input(why);
  };
  if (!v.is_string())
    return refuse(fmt::format("the JSON object must be str, bytes or bytearray, not {} (field '{}' is a JSON "
                              "object, or its JSON text)",
                              python_type_name(v), field));
  if (v.as_string().empty()) return Value(Dict{});
  auto parsed = parse_json(v.as_string());
  if (!parsed) {
    // Python's json.loads words, as Mistral's answer ends with them.
    return refuse(fmt::format("{} (field '{}' is not valid JSON: {})",
                              python_json_error(v.as_string()).value_or(parsed.error().message), field,
                              parsed.error().message));
  }
  if (parsed->is_dict()) return parsed;
  if (!parsed->truthy()) return Value(Dict{});
  return bad_input(fmt::format("JsonType field value must be a dictionary [actual={}] (field '{}')",
                               python_str(*parsed), field));
}

}  // namespace bora::services
