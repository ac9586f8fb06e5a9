#include "bora/catalog/catalog.h"

#include <fmt/format.h>

#include "bora/executor/plugins.h"

#include "identifier_lookup.h"

namespace bora::catalog {

using storage::FilterOp;

storage::ProjectScope Catalog::workflow_scope(bool all_projects) const {
  storage::ProjectScope scope = caller_.visible(all_projects);
  if (scope.all_projects) return scope;
  // The workflows shared with the caller's project and accepted, found by
  // the lookup's own statement (on a database server a read of the
  // members first was one more round trip per execution started).
  scope.shared_type = "workflow";
  return scope;
}

Result<storage::WorkflowDefinition> Catalog::workflow(const std::string& identifier,
                                                      const std::optional<std::string>& namespace_) const {
  // An admin's lookup already sees every project: no membership query.
  storage::ProjectScope scope = caller_.is_admin ? caller_.lookup() : workflow_scope();
  if (auto w = find_by_identifier(tx_.workflow_definitions(), identifier, namespace_, scope)) return std::move(*w);
  return not_found(fmt::format("Workflow not found [workflow_identifier={}, namespace={}]", identifier,
                               namespace_.value_or("")));
}

std::optional<storage::WorkflowDefinition> Catalog::workflow_to_modify(const std::string& identifier,
                                                                      const std::string& namespace_) const {
  return find_by_identifier(tx_.workflow_definitions(), identifier, namespace_, caller_.lookup());
}

std::optional<storage::WorkflowDefinition> Catalog::workflow_by_id(const std::string& id) const {
  return tx_.workflow_definitions().find(id, caller_.is_admin ? caller_.lookup() : workflow_scope());
}

std::optional<storage::WorkflowDefinition> Catalog::subworkflow(const std::string& name, const Place& parent) const {
  std::vector<std::string> candidates = {name};
  if (size_t dot = parent.workflow_name.rfind('.'); dot != std::string::npos)
    candidates.push_back(parent.workflow_name.substr(0, dot + 1) + name);
  for (const auto& candidate : candidates) {
    for (const std::string& ns : {parent.namespace_, std::string()}) {
      if (auto found = workflow(candidate, ns)) return std::move(found).value();
    }
  }
  return std::nullopt;
}

Result<storage::Environment> Catalog::environment(const std::string& name) const {
  if (auto own = tx_.environments().find_one({{"name", FilterOp::Eq, {name}}},
                                             storage::ProjectScope::own(caller_.project_id))) {
    return std::move(*own);
  }
  if (auto env = tx_.environments().find_one({{"name", FilterOp::Eq, {name}}}, caller_.lookup()))
    return std::move(*env);
  return not_found(fmt::format("Environment not found [name={}]", name));
}

namespace {

BuiltinAction builtin_of(const executor::ActionDescriptor& d) {
  return BuiltinAction{d.name, d.description, d.input_signature()};
}

}  // namespace

std::vector<BuiltinAction> Catalog::builtin_actions() {
  std::vector<BuiltinAction> out;
  for (const auto& d : executor::std_action_descriptors()) out.push_back(builtin_of(d));
  for (const auto& d : executor::plugin_action_descriptors()) out.push_back(builtin_of(d));
  return out;
}

std::optional<BuiltinAction> Catalog::builtin_action(const std::string& name) {
  if (const auto* d = executor::find_std_action(name)) return builtin_of(*d);
  return std::nullopt;
}

std::optional<storage::ActionDefinition> Catalog::adhoc_action(const std::string& identifier,
                                                               const std::string& namespace_) const {
  return find_by_identifier(tx_.action_definitions(), identifier, namespace_, caller_.lookup());
}

Result<storage::DynamicActionDefinition> Catalog::dynamic_action(const std::string& identifier,
                                                                const std::string& namespace_) const {
  if (auto found = find_by_identifier(tx_.dynamic_actions(), identifier, namespace_, caller_.lookup()))
    return std::move(*found);
  return not_found(fmt::format("Dynamic Action not found [name={},namespace={}]", identifier, namespace_));
}

std::optional<executor::DynamicActionCode> Catalog::dynamic_action_code(const std::string& name,
                                                                        const std::string& namespace_) const {
  auto in = [&](const std::string& ns) {
    return tx_.dynamic_actions().find_one({{"name", FilterOp::Eq, {name}}, {"namespace", FilterOp::Eq, {ns}}},
                                          caller_.lookup());
  };
  auto d = in(namespace_);
  if (!d && !namespace_.empty()) d = in("");  // then the default namespace, as for ad-hoc actions
  if (!d) return std::nullopt;
  auto source = tx_.code_sources().find(d->code_source_id, storage::ProjectScope::internal());
  if (!source) return std::nullopt;
  return executor::DynamicActionCode{d->name, d->class_name, source->name, source->content, source->id,
                                     source->version};
}

std::optional<BuiltinAction> Catalog::python_dynamic_action(const storage::DynamicActionDefinition& d) const {
  auto source = tx_.code_sources().find(d.code_source_id, storage::ProjectScope::internal());
  if (!source) return std::nullopt;
  executor::DynamicActionCode code{d.name, d.class_name, source->name, source->content, source->id, source->version};
  if (executor::code_source_language(code) != executor::CodeLanguage::python) return std::nullopt;
  auto cls = executor::describe_python_code(code);
  if (!cls) return std::nullopt;
  return BuiltinAction{d.name, cls->description, cls->input_signature()};
}

ActionMeaning Catalog::action(const std::string& name, const Place& where) const {
  ActionMeaning meaning;
  // Mistral's action providers in their order: ad-hoc, dynamic, then the
  // built-in ones, so an ad-hoc action named like a built-in one (Mistral
  // stores it) is the one that runs. Dynamic actions cannot take a built-in
  // name (services/dynamic_actions), so a built-in name costs one look-up.
  if (const auto* std_action = executor::find_std_action(name)) {
    meaning.adhoc = adhoc_action(name, where.namespace_);
    if (!meaning.adhoc && !where.namespace_.empty()) meaning.adhoc = adhoc_action(name, "");
    if (!meaning.adhoc) meaning.std_action = std_action;
    return meaning;
  }
  meaning.adhoc = adhoc_action(name, where.namespace_);
  if (!meaning.adhoc && !where.namespace_.empty()) meaning.adhoc = adhoc_action(name, "");
  // In a workbook, `action: notify` names the workbook's `<wb>.notify`.
  if (size_t dot = where.workflow_name.rfind('.'); !meaning.adhoc && dot != std::string::npos)
    meaning.adhoc = adhoc_action(where.workflow_name.substr(0, dot + 1) + name, where.namespace_);
  if (!meaning.adhoc) meaning.dynamic = dynamic_action_code(name, where.namespace_);
  return meaning;
}

Result<storage::CodeSource> Catalog::code_source(const std::string& identifier, const std::string& namespace_) const {
  if (auto found = find_by_identifier(tx_.code_sources(), identifier, namespace_, caller_.lookup()))
    return std::move(*found);
  return not_found(fmt::format("Code Source not found [name={},namespace={}]", identifier, namespace_));
}

}  // namespace bora::catalog
