// services/preinstalled_workflows: the workflows an OpenStack installation
// of Mistral has before anyone creates one. With mistral-extra installed,
// `mistral-db-manage populate` (workflows.sync_db) deletes every system
// workflow and registers mistral-extra's again: `create_instance` and
// `delete_instance`, public, in the default namespace, system workflows
// (no one may change or delete them). Tempest's and python-mistralclient's
// suites look for them. Bora registers workflows of the same names, inputs,
// outputs and steps, written here, when it opens its database and the
// actions they call are known (the OpenStack pack is loaded: Bora's
// mistral-extra); without those actions they are deleted again, as
// populate drops them once mistral-extra is gone.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "bora/core/error.h"
#include "bora/storage/transaction.h"

namespace bora::services {

// Registers (or brings back to its definition) each preinstalled workflow
// whose actions `action_known` knows, as `project_id`'s; deletes a stored
// one whose actions are not known. A workflow of the same name that
// someone created in that project is left alone. Returns how many rows it
// wrote or deleted.
Result<size_t> register_preinstalled_workflows(storage::Transaction& tx, const std::string& project_id,
                                               const std::function<bool(std::string_view)>& action_known);

}  // namespace bora::services
