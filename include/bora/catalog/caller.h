// catalog/caller: who is asking (project and admin flag) and Mistral's
// access rules for definitions (mistral/db/utils.py check_db_obj_access):
// others' public resources are readable, never writable; system resources
// are read-only for everyone but admins. Visibility is decided here and in
// the catalog (catalog.h), nowhere else.
#pragma once

#include <string>
#include <string_view>

#include "bora/core/error.h"
#include "bora/storage/list_query.h"
#include "bora/storage/records.h"

namespace bora::catalog {

struct Caller {
  std::string project_id;
  bool is_admin = false;
  // With Keystone on: the user, and the security context (mistral_lib's
  // SecurityContext fields) an execution started by this caller keeps, in
  // its context['openstack'] as Mistral does. Empty/null with auth off.
  std::string user_id;
  Value security;

  // Own rows and public ones; everything for admins (Mistral's "insecure"
  // queries) when all_projects.
  storage::ProjectScope visible(bool all_projects = false) const {
    if (all_projects && is_admin) return storage::ProjectScope::all();
    return storage::ProjectScope::of(project_id);
  }
  // Lookups by name/id: an admin sees every project's rows.
  storage::ProjectScope lookup() const { return is_admin ? storage::ProjectScope::all() : visible(); }

  // Who a workflow execution acts as while it runs (its expressions,
  // sub-workflows, actions, environments): the project that owns it, never
  // an admin, whoever started it and however it was started (API, parent
  // task, cron trigger, recovery).
  static Caller owner_of(const storage::WorkflowExecution& wf_ex) { return Caller{wf_ex.project_id, false, {}, {}}; }
};

// 'private' or 'public', else Mistral's InvalidModelException text (a
// definition's ?scope=).
Result<void> check_scope(std::string_view scope);
// A JSON body's `scope` attribute (environments, triggers, dynamic
// actions), WSME's Enum: 'private' or 'public' (null: not given), else its
// "Invalid input for field/attribute scope. Value: 'x'. Value should be
// one of: private, public".
Result<void> check_scope_attribute(const Value& scope);

// Forbidden for another project's resource, BadInput for a system one.
// model: Mistral's class name, e.g. "WorkflowDefinition".
Result<void> check_modify_access(const Caller& caller, std::string_view model, const std::string& id,
                                 const std::string& owner_project, bool is_system);

}  // namespace bora::catalog
