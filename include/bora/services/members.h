// services/members: sharing a private workflow with another project
// (Mistral's resource members): the owner invites a project (pending), the
// member accepts or rejects, an accepted member sees the workflow (read
// only) and may run it. What a membership makes visible is the catalog's
// rule (catalog::Catalog::workflow_scope).
#pragma once

#include <string>
#include <vector>

#include "bora/core/error.h"
#include "bora/services/caller.h"
#include "bora/storage/transaction.h"

namespace bora::services {

Result<storage::ResourceMember> create_member(storage::Transaction& tx, const std::string& resource_id,
                                              const std::string& member_id, const Caller& caller);
// Memberships of the resource that the caller owns or is the member of.
Result<std::vector<storage::ResourceMember>> list_members(storage::Transaction& tx, const std::string& resource_id,
                                                          const Caller& caller);
Result<storage::ResourceMember> get_member(storage::Transaction& tx, const std::string& resource_id,
                                           const std::string& member_id, const Caller& caller);
// Only the member itself changes the status (accepted or rejected).
Result<storage::ResourceMember> update_member(storage::Transaction& tx, const std::string& resource_id,
                                              const std::string& member_id, const std::string& status,
                                              const Caller& caller);
// Only the owner removes a member.
Result<void> delete_member(storage::Transaction& tx, const std::string& resource_id, const std::string& member_id,
                           const Caller& caller);

}  // namespace bora::services
