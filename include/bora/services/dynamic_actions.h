// services/dynamic_actions: actions whose body is a function of a code
// source (Mistral's dynamic action definitions,
// api/controllers/v2/dynamic_action.py). Their lookup, when a task or a
// run-action names one, is the catalog's (catalog/catalog.h).
#pragma once

#include <optional>
#include <string>

#include "bora/core/error.h"
#include "bora/core/value.h"
#include "bora/services/caller.h"
#include "bora/storage/transaction.h"

namespace bora::services {

// body: {name, class_name, code_source_id | code_source_name, scope, namespace}.
Result<storage::DynamicActionDefinition> create_dynamic_action(storage::Transaction& tx, const Value& body,
                                                              const Caller& caller);
// body: {id | name, namespace, and what changes: class_name, code source, scope}.
Result<storage::DynamicActionDefinition> update_dynamic_action(storage::Transaction& tx, const Value& body,
                                                              const Caller& caller);
Result<void> delete_dynamic_action(storage::Transaction& tx, const std::string& identifier,
                                   const std::string& namespace_, const Caller& caller);

}  // namespace bora::services
