// services/workflow_definitions: storing workflows the way Mistral's
// services/workflows.py does: one document may define several workflows
// (each stored with its own definition text), updates go by name (or by id
// for a one-workflow document), deletes refuse workflows that triggers use.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bora/core/error.h"
#include "bora/core/value.h"
#include "bora/services/caller.h"
#include "bora/storage/transaction.h"

namespace bora::services {

struct DefinitionTarget {
  std::string namespace_;          // '' is the default namespace
  std::string scope = "private";  // 'private' or 'public'
};

// Parses and validates the document; creates every workflow in it.
// BadInput with every problem (line:column and path), Conflict on a name
// already taken in the namespace.
Result<std::vector<storage::WorkflowDefinition>> create_workflows(storage::Transaction& tx, std::string_view text,
                                                                  const DefinitionTarget& target,
                                                                  const Caller& caller);

// Updates each workflow of the document (found by name, or by `identifier`
// when given, which then allows only one workflow in the document).
Result<std::vector<storage::WorkflowDefinition>> update_workflows(storage::Transaction& tx, std::string_view text,
                                                                  const DefinitionTarget& target,
                                                                  const std::optional<std::string>& identifier,
                                                                  const Caller& caller);

Result<void> delete_workflow(storage::Transaction& tx, const std::string& identifier, const std::string& namespace_,
                             const Caller& caller);

// The stored record for one workflow spec (shared with workbooks).
storage::WorkflowDefinition workflow_record(const std::string& name, const std::string& definition,
                                            const Value& spec, const std::vector<std::string>& tags,
                                            const DefinitionTarget& target, const Caller& caller);

}  // namespace bora::services
