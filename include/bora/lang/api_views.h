// lang/api_views: what the REST API shows of specs, in Mistral's formats.
#pragma once

#include <string>
#include <vector>

#include "bora/core/value.h"
#include "bora/lang/parser.h"
#include "bora/lang/specs.h"

namespace bora::lang {

// Mistral's `input` string: `a, b="5", c="None"` (defaults as Python str()).
std::string input_signature(const std::vector<InputParam>& input);

// Mistral's `input` of an ad-hoc action: `a, b=5, c="x", d=null` (defaults
// as json.dumps); empty when there are no parameters (Mistral stores None).
std::string action_input_signature(const std::vector<InputParam>& input);

// A spec's tags as the list Value stored and shown.
Value tags_value(const std::vector<std::string>& tags);

// Mistral's `interface`: {"input": [...as written...], "output": [names]}.
Value workflow_interface(const WorkflowSpec& wf);

// Mistral's `input` of a spec as a list of `name` / {name: default}.
Value input_as_value(const std::vector<InputParam>& input);

// The definition Mistral stores for one workflow of a document: the text as
// given when the document holds one workflow, otherwise
// `version` + that workflow re-emitted as YAML (Mistral re-dumps it too).
std::string workflow_definition(const WorkflowsDocument& doc, const std::string& workflow_name);

// (Ad-hoc actions store the whole document's text as each action's
// definition; workbook workflows and actions are named "<workbook>.<name>"
// and use workbook_item_definition.)

// The part of a workbook's text that defines one workflow / action
// (Mistral's cut: the item's key line and every deeper-indented line).
std::string workbook_item_definition(std::string_view workbook_text, std::string_view section,
                                     std::string_view item_name);

}  // namespace bora::lang
