// services/json_object: Mistral's JsonType fields (environment variables,
// trigger input and params): an object, or JSON text holding one (which is
// what python-mistralclient sends); null or "" is {}.
#pragma once

#include "bora/core/error.h"
#include "bora/core/value.h"

namespace bora::services {

// BadInput "JsonType field value must be a dictionary [actual=...]" naming
// the field otherwise.
Result<Value> json_object_field(const Value& v, const char* field);

}  // namespace bora::services
