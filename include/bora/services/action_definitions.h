// services/action_definitions: ad-hoc actions (Mistral's
// services/adhoc_actions.py). Each action of a document is stored with the
// whole document as its definition and Mistral's input signature. The std
// actions are built in: their names cannot be taken or changed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bora/core/error.h"
#include "bora/lang/specs.h"
#include "bora/services/caller.h"
#include "bora/services/workflow_definitions.h"
#include "bora/storage/transaction.h"

namespace bora::services {

Result<std::vector<storage::ActionDefinition>> create_actions(storage::Transaction& tx, std::string_view text,
                                                              const DefinitionTarget& target, const Caller& caller);
Result<std::vector<storage::ActionDefinition>> update_actions(storage::Transaction& tx, std::string_view text,
                                                              const DefinitionTarget& target,
                                                              const std::optional<std::string>& identifier,
                                                              const Caller& caller);
Result<void> delete_action(storage::Transaction& tx, const std::string& identifier, const std::string& namespace_,
                           const Caller& caller);

// The record for one action spec (shared with workbooks).
storage::ActionDefinition action_record(const lang::ActionSpec& spec, const std::string& name,
                                        const std::string& definition, const DefinitionTarget& target,
                                        const Caller& caller);

}  // namespace bora::services
