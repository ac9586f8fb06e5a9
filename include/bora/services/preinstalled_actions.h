// services/preinstalled_actions: the ad-hoc actions a Mistral installation
// has before anyone creates one. `mistral-db-manage populate` registers
// Mistral's own (mistral/resources/actions, action_manager.sync_db), public,
// in the default namespace; its packages run it on every install and
// upgrade. Bora registers the same actions, written here, when it opens
// its database.
#pragma once

#include <string>

#include "bora/core/error.h"
#include "bora/storage/transaction.h"

namespace bora::services {

// Creates each preinstalled action that is missing, and brings back to its
// definition one whose definition was changed (Mistral's
// create_or_update_actions), as `project_id`'s (Mistral's populate runs
// without a caller: its default project). Returns how many it wrote.
Result<size_t> register_preinstalled_actions(storage::Transaction& tx, const std::string& project_id);

}  // namespace bora::services
