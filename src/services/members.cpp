#include "bora/services/members.h"

#include <fmt/format.h>

#include "bora/catalog/catalog.h"
#include "bora/core/ids.h"

namespace bora::services {

using storage::FilterOp;
using storage::ResourceMember;

namespace {

Error member_not_found(const std::string& resource_id, const std::string& member_id) {
  return not_found(fmt::format("Resource member not found [resource_id={}, member_id={}]", resource_id, member_id));
}

Result<void> check_resource_id(const std::string& resource_id) {
  if (!is_uuid_like(resource_id))
    return bad_input("Only support UUID as resource identifier in resource sharing feature.");
  return {};
}

}  // namespace

Result<ResourceMember> create_member(storage::Transaction& tx, const std::string& resource_id,
                                     const std::string& member_id, const Caller& caller) {
  if (auto r = check_resource_id(resource_id); !r) return r.error();
  if (member_id.empty()) return bad_input("Member id must be provided.");
  // Only the owner shares: a workflow shared with the caller is not found.
  auto wf = catalog::Catalog(tx, caller).workflow_to_modify(resource_id, "");
  if (!wf) return not_found(fmt::format("Workflow not found [workflow_identifier={}, namespace=]", resource_id));
  if (auto a = check_modify_access(caller, "WorkflowDefinition", wf->id, wf->project_id, wf->is_system); !a)
    return a.error();
  if (wf->scope != "private") return bad_input("Only private resource could be shared.");
  if (member_id == wf->project_id) return bad_input("A workflow cannot be shared with the project that owns it.");
  ResourceMember m;
  m.resource_id = resource_id;
  m.resource_type = "workflow";
  m.project_id = wf->project_id;
  m.member_id = member_id;
  m.status = "pending";
  return tx.resource_members().create(std::move(m));
}

Result<std::vector<ResourceMember>> list_members(storage::Transaction& tx, const std::string& resource_id,
                                                 const Caller& caller) {
  if (auto r = check_resource_id(resource_id); !r) return r.error();
  auto rows = tx.resource_members().list(
      {storage::ProjectScope::internal(),
       {{"resource_id", FilterOp::Eq, {resource_id}}, {"resource_type", FilterOp::Eq, {"workflow"}}}});
  if (!rows) return rows.error();
  std::vector<ResourceMember> out;
  for (auto& m : *rows)
    if (caller.is_admin || m.project_id == caller.project_id || m.member_id == caller.project_id)
      out.push_back(std::move(m));
  return out;
}

Result<ResourceMember> get_member(storage::Transaction& tx, const std::string& resource_id,
                                  const std::string& member_id, const Caller& caller) {
  auto all = list_members(tx, resource_id, caller);
  if (!all) return all.error();
  for (auto& m : *all)
    if (m.member_id == member_id) return std::move(m);
  return member_not_found(resource_id, member_id);
}

Result<ResourceMember> update_member(storage::Transaction& tx, const std::string& resource_id,
                                     const std::string& member_id, const std::string& status,
                                     const Caller& caller) {
  if (status.empty()) return bad_input("Status must be provided.");
  if (status != "accepted" && status != "rejected" && status != "pending") {
    return bad_input(fmt::format(
        "Invalid input for field/attribute status. Value: '{}'. Value should be one of: accepted, pending, rejected",
        status));
  }
  if (member_id != caller.project_id) return member_not_found(resource_id, member_id);
  auto m = get_member(tx, resource_id, member_id, caller);
  if (!m) return m.error();
  m->status = status;
  return tx.resource_members().update(std::move(m).value());
}

Result<void> delete_member(storage::Transaction& tx, const std::string& resource_id, const std::string& member_id,
                           const Caller& caller) {
  auto m = get_member(tx, resource_id, member_id, caller);
  if (!m) return m.error();
  if (!caller.is_admin && m->project_id != caller.project_id) return member_not_found(resource_id, member_id);
  return tx.resource_members().remove(m->id);
}

}  // namespace bora::services
