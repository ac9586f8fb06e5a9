// Fuzz target: a definition text through the YAML loader and the spec
// checker, as POST /v2/workflows, /v2/workbooks and /v2/actions (and `bora
// validate`) take it: services::check_definition (YAML -> located document ->
// specs -> structural checks -> every expression compiled), the problems
// formatted as the API shows them, and, for an accepted text, what the
// services store: the per-workflow definition text and interface, and the
// spec Value written as JSON. Besides crashes: a spec the checker accepted
// must rebuild from its stored JSON (workflow_from_value, as the engine,
// cron and event triggers read it), or the database would hold a definition
// that nothing can run.
#include "fuzz_support.h"

#include "bora/lang/api_views.h"
#include "bora/lang/parser.h"
#include "bora/services/definition_check.h"

using namespace bora;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::quiet_logs();
  return 0;
}

namespace {

// The spec as the database hands it back: written as JSON, read again.
Value stored(const Value& spec) {
  std::string text = to_json(spec);
  auto back = parse_json(text);
  if (!back.ok()) fuzz::finding("an accepted spec's JSON does not parse", text + "\n-> " + back.error().message);
  return std::move(back).value();
}

template <class Rebuilt>
void expect_rebuilds(const Rebuilt& rebuilt, const char* what, const Value& spec) {
  if (!rebuilt.ok()) {
    fuzz::finding(std::string("an accepted ") + what + " spec does not rebuild from its stored JSON",
                  to_json(spec) + "\n-> " + lang::format_problems(rebuilt.problems()));
  }
}

void store_workflows(std::string_view text) {
  auto doc = lang::parse_workflows(text);
  if (!doc.ok()) fuzz::finding("check_definition accepted workflows that parse_workflows refuses", text);
  for (const auto& wf : doc->workflows) {
    (void)lang::workflow_definition(*doc, wf->name);
    (void)lang::workflow_interface(*wf);
    expect_rebuilds(lang::workflow_from_value(stored(wf->data)), "workflow", wf->data);
  }
}

void store_workbook(std::string_view text) {
  auto doc = lang::parse_workbook(text);
  if (!doc.ok()) fuzz::finding("check_definition accepted a workbook that parse_workbook refuses", text);
  const auto& wb = *doc->workbook;
  expect_rebuilds(lang::workbook_from_value(stored(wb.data)), "workbook", wb.data);
  for (const auto& wf : wb.workflows) {
    (void)lang::workbook_item_definition(doc->text, "workflows", wf->name);
    expect_rebuilds(lang::workflow_from_value(stored(wf->data)), "workbook workflow", wf->data);
  }
  for (const auto& action : wb.actions) {
    (void)lang::workbook_item_definition(doc->text, "actions", action->name);
    expect_rebuilds(lang::action_from_value(stored(action->data)), "workbook action", action->data);
  }
}

void store_actions(std::string_view text) {
  auto doc = lang::parse_actions(text);
  if (!doc.ok()) fuzz::finding("check_definition accepted actions that parse_actions refuses", text);
  for (const auto& action : doc->actions) {
    expect_rebuilds(lang::action_from_value(stored(action->data)), "action", action->data);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  services::DefinitionCheck check = services::check_definition(text);
  if (!check.problems.empty()) {
    (void)lang::format_problems(check.problems, "fuzz.yaml");
    (void)lang::problems_to_error(check.problems);
    return 0;
  }
  switch (check.kind) {
    case lang::DocumentKind::Workflows: store_workflows(text); break;
    case lang::DocumentKind::Workbook: store_workbook(text); break;
    case lang::DocumentKind::Actions: store_actions(text); break;
  }
  return 0;
}
