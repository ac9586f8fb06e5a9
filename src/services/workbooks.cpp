#include "bora/services/workbooks.h"

#include <fmt/format.h>

#include "bora/lang/api_views.h"
#include "bora/lang/parser.h"
#include "bora/services/action_definitions.h"
#include "bora/services/definition_check.h"
#include "bora/services/definition_versions.h"
#include "bora/services/expression_check.h"

namespace bora::services {

using storage::Filter;
using storage::FilterOp;
using storage::WorkbookDefinition;

namespace {

std::optional<WorkbookDefinition> find_workbook(storage::Transaction& tx, const std::string& name,
                                                const std::string& namespace_, const storage::ProjectScope& scope) {
  return tx.workbooks().find_one({{"name", FilterOp::Eq, {name}}, {"namespace", FilterOp::Eq, {namespace_}}}, scope);
}

// Mistral's create_or_update: the row keeps its id and creation time. The
// member's text is kept as its next version (definition_versions.h).
template <class R>
Result<R> upsert(storage::Transaction& tx, storage::Repository<R>& repo, std::string_view kind, R record,
                 const std::string& namespace_, const std::string& project, const std::string& user_id) {
  auto existing = repo.find_one({{"name", FilterOp::Eq, {record.name}}, {"namespace", FilterOp::Eq, {namespace_}}},
                                storage::ProjectScope::own(project));
  if (existing) {
    record.id = existing->id;
    record.created_at = existing->created_at;
  }
  auto saved = existing ? repo.update(std::move(record)) : repo.create(std::move(record));
  if (!saved) return saved;
  if (auto v = record_version(tx, kind, *saved, existing ? &*existing : nullptr, user_id); !v) return v.error();
  return saved;
}

// Creates or updates `<workbook>.<name>` for each workflow and action.
Result<void> store_members(storage::Transaction& tx, const lang::WorkbookDocument& doc,
                           const WorkbookDefinition& wb, const DefinitionTarget& target, const Caller& caller) {
  Caller owner{wb.project_id, caller.is_admin};
  for (const auto& spec : doc.workbook->actions) {
    std::string name = wb.name + "." + spec->name;
    auto record = action_record(*spec, name, lang::workbook_item_definition(doc.text, "actions", spec->name),
                                target, owner);
    record.workbook_name = wb.name;
    auto saved = upsert(tx, tx.action_definitions(), kActionVersions, std::move(record), target.namespace_, wb.project_id,
                        caller.user_id);
    if (!saved) return saved.error();
  }
  for (const auto& spec : doc.workbook->workflows) {
    std::string name = wb.name + "." + spec->name;
    auto record = workflow_record(name, lang::workbook_item_definition(doc.text, "workflows", spec->name),
                                  spec->data, spec->tags, target, owner);
    record.workbook_name = wb.name;
    auto saved = upsert(tx, tx.workflow_definitions(), kWorkflowVersions, std::move(record), target.namespace_,
                        wb.project_id, caller.user_id);
    if (!saved) return saved.error();
  }
  return {};
}

WorkbookDefinition workbook_record(const lang::WorkbookDocument& doc, const DefinitionTarget& target,
                                   const Caller& caller) {
  WorkbookDefinition wb;
  wb.name = doc.workbook->name;
  wb.namespace_ = target.namespace_;
  wb.definition = doc.text;
  wb.spec = doc.workbook->data;
  wb.tags = lang::tags_value(doc.workbook->tags);
  wb.scope = target.scope;
  wb.project_id = caller.project_id;
  return wb;
}

}  // namespace

Result<WorkbookDefinition> create_workbook(storage::Transaction& tx, std::string_view text,
                                           const DefinitionTarget& target, const Caller& caller) {
  if (auto s = check_scope(target.scope); !s) return s.error();
  auto doc = lang::parse_workbook(text);
  if (!doc.ok()) return doc.error();
  auto problems = check_expressions(*doc->source, lang::DocumentKind::Workbook);
  if (lang::has_errors(problems)) return lang::problems_to_error(problems);
  log_definition_warnings(problems, "workbook");
  log_definition_warnings(doc.problems(), "workbook");
  auto created = tx.workbooks().create(workbook_record(*doc, target, caller));
  if (!created) return created.error();
  if (auto v = record_version<WorkbookDefinition>(tx, kWorkbookVersions, *created, nullptr, caller.user_id); !v) return v.error();
  if (auto m = store_members(tx, *doc, *created, target, caller); !m) return m.error();
  return created;
}

Result<WorkbookDefinition> update_workbook(storage::Transaction& tx, std::string_view text,
                                           const DefinitionTarget& target, const Caller& caller) {
  if (auto s = check_scope(target.scope); !s) return s.error();
  auto doc = lang::parse_workbook(text);
  if (!doc.ok()) {
    // A workbook named with spaces cannot have been stored: Mistral's
    // update looks it up first.
    if (auto names = names_refused_only_on_store(doc.problems(), text, lang::DocumentKind::Workbook);
        names && !find_workbook(tx, names->front(), target.namespace_, caller.lookup()))
      return not_found(fmt::format("Workbook not found [name={}, namespace={}]", names->front(), target.namespace_));
    return doc.error();
  }
  auto problems = check_expressions(*doc->source, lang::DocumentKind::Workbook);
  if (lang::has_errors(problems)) return lang::problems_to_error(problems);
  log_definition_warnings(problems, "workbook");
  log_definition_warnings(doc.problems(), "workbook");
  auto existing = find_workbook(tx, doc->workbook->name, target.namespace_, caller.lookup());
  if (!existing) {
    return not_found(fmt::format("Workbook not found [name={}, namespace={}]", doc->workbook->name,
                                 target.namespace_));
  }
  if (auto a = check_modify_access(caller, "Workbook", existing->id, existing->project_id, existing->is_system); !a)
    return a.error();
  WorkbookDefinition updated = workbook_record(*doc, target, caller);
  updated.id = existing->id;
  updated.project_id = existing->project_id;
  updated.created_at = existing->created_at;
  auto saved = tx.workbooks().update(updated);
  if (!saved) return saved.error();
  if (auto v = record_version(tx, kWorkbookVersions, *saved, &*existing, caller.user_id); !v) return v.error();
  if (auto m = store_members(tx, *doc, *saved, target, caller); !m) return m.error();
  return saved;
}

Result<WorkbookDefinition> get_workbook(storage::Transaction& tx, const std::string& name,
                                        const std::string& namespace_, const Caller& caller) {
  if (auto wb = find_workbook(tx, name, namespace_, caller.lookup())) return std::move(*wb);
  return not_found(fmt::format("Workbook not found [name={}, namespace={}]", name, namespace_));
}

Result<void> delete_workbook(storage::Transaction& tx, const std::string& name, const std::string& namespace_,
                             const Caller& caller) {
  // Mistral's delete_workbook words it `workbook_name=` (its get, `name=`).
  auto wb = find_workbook(tx, name, namespace_, caller.lookup());
  if (!wb) return not_found(fmt::format("Workbook not found [workbook_name={}, namespace={}]", name, namespace_));
  if (auto a = check_modify_access(caller, "Workbook", wb->id, wb->project_id, wb->is_system); !a) return a.error();
  return tx.workbooks().remove(wb->id);
}

}  // namespace bora::services
