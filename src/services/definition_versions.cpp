// services/definition_versions: numbered versions of definitions, appended
// by the create and update services, read and restored through the API.
#include "bora/services/definition_versions.h"

#include <fmt/format.h>

#include "bora/catalog/catalog.h"
#include "bora/core/digest.h"
#include "bora/core/ids.h"
#include "bora/core/time.h"
#include "bora/lang/parser.h"
#include "bora/services/action_definitions.h"
#include "bora/services/workbooks.h"
#include "bora/services/workflow_definitions.h"

namespace bora::services {

using storage::DefinitionVersion;
using storage::FilterOp;
using storage::ProjectScope;

namespace {

std::optional<DefinitionVersion> latest(storage::Transaction& tx, const std::string& definition_id) {
  // The definition was found (with its visibility) before: internal scope.
  auto rows = tx.definition_versions()
                  .list({ProjectScope::internal(), {{"definition_id", FilterOp::Eq, {definition_id}}},
                         {{"version", true}}, std::nullopt, 1})
                  .value();
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

Result<void> append(storage::Transaction& tx, std::string_view kind, const std::string& id, int64_t number,
                    const std::string& definition, const Value& spec, const std::string& project_id,
                    const std::string& user_id, Timestamp when) {
  DefinitionVersion v;
  v.id = generate_row_id();
  v.kind = std::string(kind);
  v.definition_id = id;
  v.version = number;
  v.definition = definition;
  v.spec = spec;
  v.checksum = sha256_hex(definition);
  v.project_id = project_id;
  v.user_id = user_id;
  v.created_at = when;
  auto created = tx.definition_versions().create(v);
  if (!created) return created.error();
  return {};
}

}  // namespace

Result<void> record_version(storage::Transaction& tx, std::string_view kind, const std::string& id,
                            const std::string& definition, const Value& spec, const std::string& project_id,
                            const std::string& user_id, const DefinitionVersion* previous) {
  auto last = latest(tx, id);
  if (!last && previous) {
    if (auto r = append(tx, kind, id, 1, previous->definition, previous->spec, project_id, "", previous->created_at); !r)
      return r;
    last = latest(tx, id);
  }
  if (last && last->checksum == sha256_hex(definition)) return {};
  return append(tx, kind, id, last ? last->version + 1 : 1, definition, spec, project_id, user_id, now_utc());
}

int64_t latest_version(storage::Transaction& tx, const std::string& definition_id) {
  auto last = latest(tx, definition_id);
  return last ? last->version : 0;
}

Result<std::string> versioned_definition(storage::Transaction& tx, std::string_view kind,
                                         const std::string& identifier, const std::optional<std::string>& namespace_,
                                         const Caller& caller) {
  catalog::Catalog names(tx, caller);
  if (kind == kWorkflowVersions) {
    auto wf = names.workflow(identifier, namespace_);
    if (!wf) return wf.error();
    return wf->id;
  }
  if (kind == kWorkbookVersions) {
    auto wb = get_workbook(tx, identifier, namespace_.value_or(""), caller);
    if (!wb) return wb.error();
    return wb->id;
  }
  if (auto a = names.adhoc_action(identifier, namespace_.value_or(""))) return a->id;
  return not_found(fmt::format("Action definition not found [action_name={}, namespace={}]", identifier,
                               namespace_.value_or("")));
}

Result<std::vector<DefinitionVersion>> list_versions(storage::Transaction& tx, std::string_view kind,
                                                     const std::string& identifier,
                                                     const std::optional<std::string>& namespace_,
                                                     storage::ListQuery query, const Caller& caller) {
  auto id = versioned_definition(tx, kind, identifier, namespace_, caller);
  if (!id) return id.error();
  query.scope = ProjectScope::internal();
  query.filters.push_back({"definition_id", FilterOp::Eq, {*id}});
  return tx.definition_versions().list(query);
}

Result<DefinitionVersion> get_version(storage::Transaction& tx, std::string_view kind, const std::string& identifier,
                                      const std::optional<std::string>& namespace_, int64_t number,
                                      const Caller& caller) {
  auto id = versioned_definition(tx, kind, identifier, namespace_, caller);
  if (!id) return id.error();
  auto v = tx.definition_versions().find_one(
      {{"definition_id", FilterOp::Eq, {*id}}, {"version", FilterOp::Eq, {std::to_string(number)}}},
      ProjectScope::internal());
  if (!v) {
    return not_found(fmt::format("Version {} of {} '{}' not found (GET /v2/{}s/{}/versions lists its versions)",
                                 number, kind, identifier, kind, identifier));
  }
  return std::move(*v);
}

Result<DefinitionVersion> restore_version(storage::Transaction& tx, std::string_view kind,
                                          const std::string& identifier, const std::optional<std::string>& namespace_,
                                          int64_t number, const Caller& caller) {
  auto v = get_version(tx, kind, identifier, namespace_, number, caller);
  if (!v) return v.error();
  catalog::Catalog names(tx, caller);
  if (kind == kWorkflowVersions) {
    auto wf = names.workflow(identifier, namespace_);
    if (!wf) return wf.error();
    auto updated = update_workflows(tx, v->definition, {wf->namespace_, wf->scope}, wf->id, caller);
    if (!updated) return updated.error();
  } else if (kind == kWorkbookVersions) {
    auto wb = get_workbook(tx, identifier, namespace_.value_or(""), caller);
    if (!wb) return wb.error();
    auto updated = update_workbook(tx, v->definition, {wb->namespace_, wb->scope}, caller);
    if (!updated) return updated.error();
  } else {
    auto a = names.adhoc_action(identifier, namespace_.value_or(""));
    if (!a) return not_found(fmt::format("Action definition not found [action_name={}, namespace={}]", identifier,
                                         namespace_.value_or("")));
    // A document of several actions is restored whole (each by its name),
    // as PUT /v2/actions does with it.
    auto doc = lang::parse_actions(v->definition);
    std::optional<std::string> by_id;
    if (doc.ok() && doc->actions.size() == 1) by_id = a->id;
    auto updated = update_actions(tx, v->definition, {a->namespace_, a->scope}, by_id, caller);
    if (!updated) return updated.error();
  }
  // The restore appended the text as the latest version, unless it already
  // was the latest (then that version stands).
  auto last = latest(tx, v->definition_id);
  if (!last) return Error{ErrorKind::Internal, "the restored definition kept no version"};
  return std::move(*last);
}

}  // namespace bora::services
