// lang/parser: the entry points. YAML text -> specs, or every problem with
// its path and line:column; and specs rebuilt from the `spec` Value that the
// REST API stores (Mistral's shape), for the engine.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bora/core/value.h"
#include "bora/lang/located_yaml.h"
#include "bora/lang/problem.h"
#include "bora/lang/specs.h"

namespace bora::lang {

// `version: '2.0'` + one or more workflows, each a top-level key.
// Paths: "wf1.tasks.t2.on-success".
struct WorkflowsDocument {
  std::vector<std::shared_ptr<const WorkflowSpec>> workflows;
  std::shared_ptr<const LocatedDocument> source;
  std::string text;  // the definition as given
};
Parsed<WorkflowsDocument> parse_workflows(std::string_view yaml_text);

// version, name, description, tags, workflows:, actions:.
// Paths: "workflows.wf1.tasks.t2.on-success", "actions.my_action.base".
struct WorkbookDocument {
  std::shared_ptr<const WorkbookSpec> workbook;
  std::shared_ptr<const LocatedDocument> source;
  std::string text;
};
Parsed<WorkbookDocument> parse_workbook(std::string_view yaml_text);

// `version: '2.0'` + one or more ad-hoc actions. Paths: "my_action.base".
struct ActionsDocument {
  std::vector<std::shared_ptr<const ActionSpec>> actions;
  std::shared_ptr<const LocatedDocument> source;
  std::string text;
};
Parsed<ActionsDocument> parse_actions(std::string_view yaml_text);

// Rebuild from a stored spec Value (WorkflowSpec::data etc.). Paths then
// start at the spec itself ("tasks.t1.retry").
Parsed<std::shared_ptr<const WorkflowSpec>> workflow_from_value(const Value& spec);
Parsed<std::shared_ptr<const ActionSpec>> action_from_value(const Value& spec);
Parsed<std::shared_ptr<const WorkbookSpec>> workbook_from_value(const Value& spec);

}  // namespace bora::lang
