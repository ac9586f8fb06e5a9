#include "bora/services/json_object.h"

#include <fmt/format.h>

#include "bora/core/json.h"

namespace bora::services {

Result<Value> json_object_field(const Value& v, const char* field) {
  if (v.is_null()) return Value(Dict{});
  if (v.is_dict()) return v;
  if (v.is_string()) {
    if (v.as_string().empty()) return Value(Dict{});
    auto parsed = parse_json(v.as_string());
    if (!parsed) return bad_input(fmt::format("Field '{}' is not valid JSON: {}", field, parsed.error().message));
    if (parsed->is_dict()) return parsed;
  }
  return bad_input(fmt::format("JsonType field value must be a dictionary [actual={}] (field '{}')",
                               v.is_string() ? v.as_string() : to_json(v), field));
}

}  // namespace bora::services
