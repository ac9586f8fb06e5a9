// services/json_object: Mistral's JsonType fields (environment variables,
// trigger input and params): an object, or JSON text holding one (which is
// what python-mistralclient sends); null or "" is {}.
#pragma once

#include "bora/core/error.h"
#include "bora/core/value.h"

namespace bora::services {

// BadInput "JsonType field value must be a dictionary [actual=...]" naming
// the field otherwise. Text that is not JSON is WSME's error for the whole
// body when `resource` names it (Mistral's controller argument: wf_ex,
// cron_trigger, env...): "Invalid input for field/attribute wf_ex. Value:
// '<the body as Python shows it>'. " then Bora's words.
Result<Value> json_object_field(const Value& v, const char* field, const char* resource = nullptr,
                                const Value* body = nullptr);

}  // namespace bora::services
