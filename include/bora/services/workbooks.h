// services/workbooks: a workbook is stored whole, and each of its workflows
// and actions is also stored as `<workbook>.<name>` (created or updated),
// as Mistral's services/workbooks.py does. Deleting a workbook leaves those
// workflows and actions in place, as Mistral does.
#pragma once

#include <string>
#include <string_view>

#include "bora/core/error.h"
#include "bora/services/caller.h"
#include "bora/services/workflow_definitions.h"
#include "bora/storage/transaction.h"

namespace bora::services {

Result<storage::WorkbookDefinition> create_workbook(storage::Transaction& tx, std::string_view text,
                                                    const DefinitionTarget& target, const Caller& caller);
Result<storage::WorkbookDefinition> update_workbook(storage::Transaction& tx, std::string_view text,
                                                    const DefinitionTarget& target, const Caller& caller);
Result<storage::WorkbookDefinition> get_workbook(storage::Transaction& tx, const std::string& name,
                                                 const std::string& namespace_, const Caller& caller);
Result<void> delete_workbook(storage::Transaction& tx, const std::string& name, const std::string& namespace_,
                             const Caller& caller);

}  // namespace bora::services
