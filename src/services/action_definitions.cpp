#include "bora/services/action_definitions.h"

#include <fmt/format.h>

#include "bora/catalog/catalog.h"
#include "bora/core/ids.h"
#include "bora/lang/api_views.h"
#include "bora/lang/parser.h"
#include "bora/services/definition_check.h"
#include "bora/services/definition_versions.h"
#include "bora/services/expression_check.h"

namespace bora::services {

using storage::ActionDefinition;
using storage::Filter;
using storage::FilterOp;

ActionDefinition action_record(const lang::ActionSpec& spec, const std::string& name, const std::string& definition,
                               const DefinitionTarget& target, const Caller& caller) {
  ActionDefinition a;
  a.name = name;
  a.namespace_ = target.namespace_;
  a.definition = definition;
  a.spec = spec.data;
  a.tags = lang::tags_value(spec.tags);
  a.scope = target.scope;
  a.project_id = caller.project_id;
  if (!spec.description.empty()) a.description = spec.description;
  a.input = lang::action_input_signature(spec.input);
  return a;
}

Result<std::vector<ActionDefinition>> create_actions(storage::Transaction& tx, std::string_view text,
                                                     const DefinitionTarget& target, const Caller& caller) {
  if (auto s = check_scope(target.scope); !s) return s.error();
  auto doc = lang::parse_actions(text);
  if (!doc.ok()) return doc.error();
  auto problems = check_expressions(*doc->source, lang::DocumentKind::Actions);
  if (lang::has_errors(problems)) return lang::problems_to_error(problems);
  log_definition_warnings(problems, "action definition");
  log_definition_warnings(doc.problems(), "action definition");
  std::vector<ActionDefinition> out;
  for (const auto& spec : doc->actions) {
    // A built-in name is taken: Mistral stores it, and the ad-hoc action
    // shadows the built-in one until deleted (catalog::Catalog::action).
    auto created = tx.action_definitions().create(action_record(*spec, spec->name, doc->text, target, caller));
    if (!created) return created.error();
    if (auto v = record_version<ActionDefinition>(tx, kActionVersions, *created, nullptr, caller.user_id); !v) return v.error();
    out.push_back(std::move(created).value());
  }
  return out;
}

namespace {

// Mistral's get_action_definition: the namespace given, then the default one.
std::optional<ActionDefinition> stored_action(storage::Transaction& tx, const Caller& caller,
                                              const std::string& identifier, const std::string& namespace_) {
  auto existing = catalog::Catalog(tx, caller).adhoc_action(identifier, namespace_);
  if (!existing && !namespace_.empty()) existing = catalog::Catalog(tx, caller).adhoc_action(identifier, "");
  return existing;
}

}  // namespace

Result<std::vector<ActionDefinition>> update_actions(storage::Transaction& tx, std::string_view text,
                                                     const DefinitionTarget& target,
                                                     const std::optional<std::string>& identifier,
                                                     const Caller& caller) {
  if (auto s = check_scope(target.scope); !s) return s.error();
  auto doc = lang::parse_actions(text);
  if (!doc.ok()) {
    auto first = update_refused_before_store(
        doc.problems(), text, lang::DocumentKind::Actions, "actions", identifier,
        [&](const std::string& key) { return stored_action(tx, caller, key, target.namespace_).has_value(); },
        [&](const std::string& key) {
          return fmt::format("Action definition not found [action_name={}, namespace={}]", key, target.namespace_);
        });
    return first ? *first : doc.error();
  }
  auto problems = check_expressions(*doc->source, lang::DocumentKind::Actions);
  if (lang::has_errors(problems)) return lang::problems_to_error(problems);
  log_definition_warnings(problems, "action definition");
  log_definition_warnings(doc.problems(), "action definition");
  if (identifier && doc->actions.size() > 1) return more_than_one_refused("actions", *identifier);
  std::vector<ActionDefinition> out;
  for (const auto& spec : doc->actions) {
    const std::string& key = identifier ? *identifier : spec->name;
    // An action of the default namespace updated with another namespace
    // moves there, as Mistral's update_action_definition sets the values
    // on the one its lookup found.
    auto existing = stored_action(tx, caller, key, target.namespace_);
    // A built-in name is an ad-hoc action's only when one was stored under
    // it; else it is not found, as Mistral's table holds no built-in ones.
    if (!existing) {
      return not_found(fmt::format("Action definition not found [action_name={}, namespace={}]", key,
                                   target.namespace_));
    }
    if (auto a = check_modify_access(caller, "ActionDefinition", existing->id, existing->project_id,
                                     existing->is_system);
        !a) {
      return a.error();
    }
    ActionDefinition updated = action_record(*spec, spec->name, doc->text, target, caller);
    updated.id = existing->id;
    updated.project_id = existing->project_id;
    updated.created_at = existing->created_at;
    updated.workbook_name = existing->workbook_name;
    auto saved = tx.action_definitions().update(updated);
    if (!saved) return saved.error();
    if (auto v = record_version(tx, kActionVersions, *saved, &*existing, caller.user_id); !v) return v.error();
    out.push_back(std::move(saved).value());
  }
  return out;
}

Result<void> delete_action(storage::Transaction& tx, const std::string& identifier, const std::string& namespace_,
                           const Caller& caller) {
  auto existing = stored_action(tx, caller, identifier, namespace_);
  if (!existing && catalog::Catalog::builtin_action(identifier)) {
    // Mistral 15's std actions come from its action provider, not its
    // table: deleting one is its 404, worded as for any action.
    return not_found(fmt::format("Action definition not found [action_name={}, namespace={}]: {} is a built-in "
                                 "action, which cannot be deleted",
                                 identifier, namespace_, identifier));
  }
  if (!existing) {
    return not_found(fmt::format("Action definition not found [action_name={}, namespace={}]", identifier,
                                 namespace_));
  }
  if (auto a = check_modify_access(caller, "ActionDefinition", existing->id, existing->project_id,
                                   existing->is_system);
      !a) {
    return a.error();
  }
  return tx.action_definitions().remove(existing->id);
}

}  // namespace bora::services
