// lang/spec_parsers (private): one parser per spec kind, each reporting into
// a Checker and returning what it could build.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "bora/lang/specs.h"
#include "checker.h"

namespace bora::lang::detail {

std::optional<OnClauseSpec> parse_on_clause(Checker& c, const Value& v, const std::string& path, std::string_view attr);
std::optional<PublishSpec> parse_publish(Checker& c, const Value& v, const std::string& path);
std::optional<RetrySpec> parse_retry(Checker& c, const Value& v, const std::string& path);
// Reads the policy attributes of a task or task-defaults dict.
PoliciesSpec parse_policies(Checker& c, const Value& task, const std::string& path);
std::vector<WithItemsSpec> parse_with_items(Checker& c, const Value& v, const std::string& path);
std::vector<InputParam> parse_input_params(Checker& c, const Value& v, const std::string& path);
std::vector<std::string> parse_requires(Checker& c, const Value& v, const std::string& path);

TaskSpec parse_task(Checker& c, const std::string& name, const Value& v, const std::string& path, WorkflowType type);
std::shared_ptr<WorkflowSpec> parse_workflow(Checker& c, const std::string& name, const Value& v,
                                             const std::string& path);
std::shared_ptr<ActionSpec> parse_action(Checker& c, const std::string& name, const Value& v, const std::string& path);

// `version:`. A workbook's is checked as mistral.lang.parser._get_spec_version
// checks it: '2.0' (also 2, 2.0, "2"), else "Unsupported DSL version".
// Elsewhere (a workflow or action document, a single workflow or action, a
// workbook section) Mistral 15 only applies its schema (a non-empty string
// or a number >= 0) and reads the definition as 2.0: another value is
// accepted with a warning.
enum class VersionCheck { workbook, schema };
bool check_version(Checker& c, const Value& root, const std::string& path, bool required,
                   VersionCheck how = VersionCheck::schema);

// Common description/tags of every spec.
void parse_description_and_tags(Checker& c, const Value& v, const std::string& path, std::string& description,
                                std::vector<std::string>& tags);

}  // namespace bora::lang::detail
