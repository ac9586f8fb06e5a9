// services/environments: named sets of variables a workflow execution can
// be given (`env`), Mistral's environment resource.
#pragma once

#include <string>

#include "bora/core/error.h"
#include "bora/core/value.h"
#include "bora/services/caller.h"
#include "bora/storage/transaction.h"

namespace bora::services {

// body: the JSON object of POST /v2/environments (name, description,
// variables as an object or a JSON string, scope); any other key is refused
// with Mistral's text.
// What Mistral checks of a create (update) body before it asks whether the
// caller may make it public: its keys (its name, then its other keys).
Result<void> check_environment_body(const Value& body, bool update);
Result<storage::Environment> create_environment(storage::Transaction& tx, const Value& body, const Caller& caller);
// body: as for create; `name` picks the environment, other keys given replace
// the stored ones.
Result<storage::Environment> update_environment(storage::Transaction& tx, const Value& body, const Caller& caller);
Result<void> delete_environment(storage::Transaction& tx, const std::string& name, const Caller& caller);

}  // namespace bora::services
