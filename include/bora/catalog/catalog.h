// catalog/catalog: which workflow, action, environment or code source a
// name means for one caller, in Mistral's lookup rules, read inside the
// caller's transaction. The engine (sub-workflows, a task's action, a
// named env), the services (updates and deletes find their row here) and
// the API (reads, the std actions' signatures) ask the same object, so a
// visibility rule is written once.
//
// Visibility (Mistral's _secure_query and resource members): a caller sees
// its own rows and public ones; workflows also when shared with its
// project (an accepted membership); an admin looks up every project's
// rows. A running execution asks as Caller::owner_of(execution).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bora/catalog/builtin_action.h"
#include "bora/catalog/caller.h"
#include "bora/core/error.h"
#include "bora/executor/action_descriptor.h"
#include "bora/executor/dynamic_action.h"
#include "bora/storage/transaction.h"

namespace bora::catalog {

// Where a running workflow reads a name: its namespace (then the default
// one) and, for a workbook's workflow (`<wb>.<name>`), the workbook, whose
// members see each other by short name.
struct Place {
  std::string namespace_;
  std::string workflow_name;
};

// What an action name means in a running workflow; exactly one of the
// three is set when found, none when not.
struct ActionMeaning {
  const executor::ActionDescriptor* std_action = nullptr;
  std::optional<storage::ActionDefinition> adhoc;
  std::optional<executor::DynamicActionCode> dynamic;
  bool found() const { return std_action || adhoc || dynamic; }
};

class Catalog {
 public:
  Catalog(storage::Transaction& tx, Caller caller) : tx_(tx), caller_(std::move(caller)) {}

  const Caller& caller() const { return caller_; }

  // --- visibility ---
  // The workflows the caller sees: own, public, and shared with it
  // (accepted memberships); everything for an admin asking all_projects.
  storage::ProjectScope workflow_scope(bool all_projects = false) const;

  // --- workflows ---
  // By id, or by name in the namespace (nullopt: any namespace). NotFound
  // with Mistral's text.
  Result<storage::WorkflowDefinition> workflow(const std::string& identifier,
                                               const std::optional<std::string>& namespace_) const;
  // The row an update by name or id replaces: among the caller's own and
  // public workflows only, since a membership shares a workflow read-only.
  std::optional<storage::WorkflowDefinition> workflow_to_modify(const std::string& identifier,
                                                                const std::string& namespace_) const;
  // By id only (a cron trigger's workflow), if the caller still sees it.
  std::optional<storage::WorkflowDefinition> workflow_by_id(const std::string& id) const;
  // The workflow a task names: in the parent's namespace, then in the
  // default one; in a workbook, `<wb>.<name>` as well (after the name as
  // written).
  std::optional<storage::WorkflowDefinition> subworkflow(const std::string& name, const Place& parent) const;

  // --- environments ---
  // The caller's own environment of that name first (a public one of
  // another project may share the name), then any it sees.
  Result<storage::Environment> environment(const std::string& name) const;

  // --- actions ---
  // The std actions Bora provides, sorted by name.
  static std::vector<BuiltinAction> builtin_actions();
  static std::optional<BuiltinAction> builtin_action(const std::string& name);
  // An ad-hoc action by id, or by name in the namespace.
  std::optional<storage::ActionDefinition> adhoc_action(const std::string& identifier,
                                                        const std::string& namespace_) const;
  // A dynamic action by id, or by name in the namespace. NotFound with
  // Mistral's text.
  Result<storage::DynamicActionDefinition> dynamic_action(const std::string& identifier,
                                                         const std::string& namespace_) const;
  // The code to run for the dynamic action `name` of the namespace (or,
  // failing that, of the default namespace), or nullopt.
  std::optional<executor::DynamicActionCode> dynamic_action_code(const std::string& name,
                                                                 const std::string& namespace_) const;
  // A Python dynamic action as GET /v2/actions shows it: its class's input
  // signature and docstring (asked of a Python worker); nullopt for a
  // JavaScript one, or a class that cannot be read.
  std::optional<BuiltinAction> python_dynamic_action(const storage::DynamicActionDefinition& d) const;
  // An action name in a running workflow, in Mistral's order: an ad-hoc
  // action of the namespace, of the default namespace, of the workflow's
  // workbook (`<wb>.<name>`); a dynamic action of the namespace, of the
  // default namespace; a built-in action (an ad-hoc action named like one
  // shadows it, as in Mistral).
  ActionMeaning action(const std::string& name, const Place& where) const;

  // --- code sources ---
  // By id, or by name in the namespace. NotFound with Mistral's text.
  Result<storage::CodeSource> code_source(const std::string& identifier, const std::string& namespace_) const;

 private:
  storage::Transaction& tx_;
  Caller caller_;
};

}  // namespace bora::catalog
