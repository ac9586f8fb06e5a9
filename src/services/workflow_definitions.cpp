#include "bora/services/workflow_definitions.h"

#include <fmt/format.h>

#include "bora/catalog/catalog.h"
#include "bora/core/digest.h"
#include "bora/core/ids.h"
#include "bora/lang/api_views.h"
#include "bora/lang/parser.h"
#include "bora/services/definition_check.h"
#include "bora/services/definition_versions.h"
#include "bora/services/expression_check.h"

namespace bora::services {

using storage::Filter;
using storage::FilterOp;
using storage::WorkflowDefinition;

namespace {

Result<lang::WorkflowsDocument> parse_checked(std::string_view text) {
  auto parsed = lang::parse_workflows(text);
  if (!parsed.ok()) return parsed.error();
  auto problems = check_expressions(*parsed->source, lang::DocumentKind::Workflows);
  if (lang::has_errors(problems)) return lang::problems_to_error(problems);
  log_definition_warnings(problems, "workflow definition");
  log_definition_warnings(parsed.problems(), "workflow definition");
  return std::move(parsed).value();
}

}  // namespace

WorkflowDefinition workflow_record(const std::string& name, const std::string& definition, const Value& spec,
                                   const std::vector<std::string>& tags, const DefinitionTarget& target,
                                   const Caller& caller) {
  WorkflowDefinition w;
  w.name = name;
  w.namespace_ = target.namespace_;
  w.definition = definition;
  w.spec = spec;
  w.tags = lang::tags_value(tags);
  w.scope = target.scope;
  w.project_id = caller.project_id;
  w.checksum = md5_hex(definition);
  return w;
}

Result<std::vector<WorkflowDefinition>> create_workflows(storage::Transaction& tx, std::string_view text,
                                                         const DefinitionTarget& target, const Caller& caller) {
  if (auto s = check_scope(target.scope); !s) return s.error();
  auto doc = parse_checked(text);
  if (!doc) return doc.error();
  std::vector<WorkflowDefinition> out;
  for (const auto& wf : doc->workflows) {
    auto created = tx.workflow_definitions().create(workflow_record(
        wf->name, lang::workflow_definition(*doc, wf->name), wf->data, wf->tags, target, caller));
    if (!created) return created.error();
    if (auto v = record_version<WorkflowDefinition>(tx, kWorkflowVersions, *created, nullptr, caller.user_id); !v) return v.error();
    out.push_back(std::move(created).value());
  }
  return out;
}

Result<std::vector<WorkflowDefinition>> update_workflows(storage::Transaction& tx, std::string_view text,
                                                         const DefinitionTarget& target,
                                                         const std::optional<std::string>& identifier,
                                                         const Caller& caller) {
  if (auto s = check_scope(target.scope); !s) return s.error();
  auto doc = parse_checked(text);
  if (!doc) {
    auto first = update_refused_before_store(
        lang::parse_workflows(text).problems(), text, lang::DocumentKind::Workflows, "workflows", identifier,
        [&](const std::string& key) {
          return catalog::Catalog(tx, caller).workflow_to_modify(key, target.namespace_).has_value();
        },
        [&](const std::string& key) {
          return fmt::format("Workflow not found [workflow_identifier={}, namespace={}]", key, target.namespace_);
        });
    return first ? *first : doc.error();
  }
  if (identifier && doc->workflows.size() > 1) return more_than_one_refused("workflows", *identifier);
  std::vector<WorkflowDefinition> out;
  for (const auto& wf : doc->workflows) {
    const std::string& key = identifier ? *identifier : wf->name;
    auto existing = catalog::Catalog(tx, caller).workflow_to_modify(key, target.namespace_);
    if (!existing) {
      return not_found(
          fmt::format("Workflow not found [workflow_identifier={}, namespace={}]", key, target.namespace_));
    }
    if (auto a = check_modify_access(caller, "WorkflowDefinition", existing->id, existing->project_id,
                                     existing->is_system);
        !a) {
      return a.error();
    }
    WorkflowDefinition updated = workflow_record(wf->name, lang::workflow_definition(*doc, wf->name), wf->data,
                                                 wf->tags, target, caller);
    updated.id = existing->id;
    updated.project_id = existing->project_id;
    updated.created_at = existing->created_at;
    updated.workbook_name = existing->workbook_name;
    updated.is_system = existing->is_system;
    auto saved = tx.workflow_definitions().update(updated);
    if (!saved) return saved.error();
    if (auto v = record_version(tx, kWorkflowVersions, *saved, &*existing, caller.user_id); !v) return v.error();
    out.push_back(std::move(saved).value());
  }
  return out;
}

Result<void> delete_workflow(storage::Transaction& tx, const std::string& identifier, const std::string& namespace_,
                             const Caller& caller) {
  auto wf = catalog::Catalog(tx, caller).workflow(identifier, namespace_);
  if (!wf) return wf.error();
  if (auto a = check_modify_access(caller, "WorkflowDefinition", wf->id, wf->project_id, wf->is_system); !a)
    return a.error();
  auto crons =
      tx.cron_triggers().list({storage::ProjectScope::internal(), {{"workflow_id", FilterOp::Eq, {wf->id}}}}).value();
  if (!crons.empty()) {
    std::string ids;
    for (const auto& c : crons) ids += (ids.empty() ? "" : ", ") + c.id;
    return bad_input(fmt::format(
        "Can't delete workflow that has cron triggers associated. [workflow_identifier={}, namespace={}], "
        "[cron_trigger_id(s)={}]",
        identifier, namespace_, ids));
  }
  auto events =
      tx.event_triggers().list({storage::ProjectScope::internal(), {{"workflow_id", FilterOp::Eq, {wf->id}}}}).value();
  if (!events.empty()) {
    std::string ids;
    for (const auto& e : events) ids += (ids.empty() ? "" : ", ") + e.id;
    return bad_input(fmt::format(
        "Can't delete workflow that has event triggers associated. [workflow_identifier={}], "
        "[event_trigger_id(s)={}]",
        identifier, ids));
  }
  auto members = tx.resource_members().remove_where(
      {{"resource_type", FilterOp::Eq, {"workflow"}}, {"resource_id", FilterOp::Eq, {wf->id}}});
  if (!members) return members.error();
  return tx.workflow_definitions().remove(wf->id);
}

}  // namespace bora::services
