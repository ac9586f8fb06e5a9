// services/definition_versions: every create and update of a workflow,
// workbook or ad-hoc action keeps its text as a numbered version (Bora's
// own; docs/API.md "Definition versions"). Versions are found through their
// definition, looked up as the definition's own GET looks it up, so they are
// exactly as visible as it; they go when it goes (storage triggers).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bora/core/error.h"
#include "bora/core/value.h"
#include "bora/services/caller.h"
#include "bora/storage/list_query.h"
#include "bora/storage/transaction.h"

namespace bora::services {

// DefinitionVersion::kind of each definition.
inline constexpr std::string_view kWorkflowVersions = "workflow";
inline constexpr std::string_view kWorkbookVersions = "workbook";
inline constexpr std::string_view kActionVersions = "action";

// After `saved` was stored (created, or updated over `previous`): appends
// its text as the definition's next version. A definition stored before
// versions were kept gets `previous` as version 1 first. Nothing is added
// when the text is the latest version's (an update that changed nothing).
// `user_id`: who stored it (the caller's user with Keystone or OpenID
// Connect; empty with auth off).
Result<void> record_version(storage::Transaction& tx, std::string_view kind, const std::string& id,
                            const std::string& definition, const Value& spec, const std::string& project_id,
                            const std::string& user_id, const storage::DefinitionVersion* previous);
template <class R>
Result<void> record_version(storage::Transaction& tx, std::string_view kind, const R& saved, const R* previous,
                            const std::string& user_id) {
  if (!previous)
    return record_version(tx, kind, saved.id, saved.definition, saved.spec, saved.project_id, user_id, nullptr);
  storage::DefinitionVersion before;
  before.definition = previous->definition;
  before.spec = previous->spec;
  before.created_at = previous->updated_at ? *previous->updated_at : previous->created_at;
  return record_version(tx, kind, saved.id, saved.definition, saved.spec, saved.project_id, user_id, &before);
}

// The latest version number of a definition (0 when none is kept).
int64_t latest_version(storage::Transaction& tx, const std::string& definition_id);

// Which definition a versions URL names: the id of the workflow (id or
// name, namespace), workbook (name, namespace) or ad-hoc action (id or
// name, namespace) the caller sees; NotFound as the definition's GET.
Result<std::string> versioned_definition(storage::Transaction& tx, std::string_view kind,
                                         const std::string& identifier, const std::optional<std::string>& namespace_,
                                         const Caller& caller);

// The versions of that definition, in `query`'s order and page (its scope
// and the definition filter are set here).
Result<std::vector<storage::DefinitionVersion>> list_versions(storage::Transaction& tx, std::string_view kind,
                                                              const std::string& identifier,
                                                              const std::optional<std::string>& namespace_,
                                                              storage::ListQuery query, const Caller& caller);

// Version `number` of that definition; NotFound naming both.
Result<storage::DefinitionVersion> get_version(storage::Transaction& tx, std::string_view kind,
                                               const std::string& identifier,
                                               const std::optional<std::string>& namespace_, int64_t number,
                                               const Caller& caller);

// Restores version `number`: updates the definition with its text (with
// the same checks and access rules as an update), which keeps it as a new
// version; returns that new version.
Result<storage::DefinitionVersion> restore_version(storage::Transaction& tx, std::string_view kind,
                                                   const std::string& identifier,
                                                   const std::optional<std::string>& namespace_, int64_t number,
                                                   const Caller& caller);

}  // namespace bora::services
