// services/dynamic_actions: actions whose body is a function of a code
// source (Mistral's dynamic action definitions,
// api/controllers/v2/dynamic_action.py), and their lookup when a task or
// run-action names one.
#pragma once

#include <optional>
#include <string>

#include "bora/core/error.h"
#include "bora/core/value.h"
#include "bora/executor/dynamic_action.h"
#include "bora/services/caller.h"
#include "bora/storage/transaction.h"

namespace bora::services {

// body: {name, class_name, code_source_id | code_source_name, scope, namespace}.
Result<storage::DynamicActionDefinition> create_dynamic_action(storage::Transaction& tx, const Value& body,
                                                              const Caller& caller);
// body: {id | name, namespace, and what changes: class_name, code source, scope}.
Result<storage::DynamicActionDefinition> update_dynamic_action(storage::Transaction& tx, const Value& body,
                                                              const Caller& caller);
Result<storage::DynamicActionDefinition> get_dynamic_action(storage::Transaction& tx, const std::string& identifier,
                                                           const std::string& namespace_, const Caller& caller);
Result<void> delete_dynamic_action(storage::Transaction& tx, const std::string& identifier,
                                   const std::string& namespace_, const Caller& caller);

// The code to run for the action `name` of the namespace (or, failing
// that, of the default namespace), or nullopt when there is none.
std::optional<executor::DynamicActionCode> find_dynamic_action_code(storage::Transaction& tx,
                                                                    const std::string& name,
                                                                    const std::string& namespace_,
                                                                    const Caller& caller);

}  // namespace bora::services
