#include "ad_hoc_unfold.h"

#include <fmt/format.h>

#include <algorithm>

#include "bora/core/python_format.h"
#include "bora/executor/plugins.h"
#include "bora/executor/std_actions.h"
#include "bora/lang/parser.h"

namespace bora::engine {

Result<UnfoldedAction> unfold_action(const catalog::Catalog& names, const catalog::Place& place,
                                     const std::string& action, const Value& input, const ExpressionPort& expressions,
                                     const ExpressionScope& scope, const UnfoldOptions& options) {
  UnfoldedAction out;
  out.base = action;
  Value base_input = input.is_null() ? Value(Dict{}) : input;
  out.input = base_input;
  // Mistral checks the named ad-hoc action's parameters, then instantiates
  // it (AdHocActionDescriptor.instantiate, in engine/actions.py's
  // schedule and run): every failure from there on (a base-input that
  // does not evaluate, a base not found, a chain that loops, the base's own
  // input refused) is one error naming the action and the input it was
  // given, its defaults added.
  std::optional<storage::ActionDefinition> named;
  auto instantiate_failed = [&]() -> Error {
    return Error{ErrorKind::BadInput,
                 fmt::format("Failed to instantiate an action [action_desc=AdHoc action [name={}, definition={}], "
                             "input_dict={}]",
                             named->name, named->definition, python_repr(out.input))};
  };
  // Mistral's order (std, ad-hoc of the namespace, of the default
  // namespace, of the workbook, dynamic): the catalog's rule. A base is
  // found by its name as written (its system provider's find): a workbook's
  // action is not found by its short name there.
  for (int64_t depth = 0;; ++depth) {
    catalog::ActionMeaning meaning =
        names.action(out.base, depth == 0 ? place : catalog::Place{place.namespace_, ""});
    if (meaning.std_action) break;
    if (depth >= options.max_depth) {
      if (named) {
        // Mistral's _visit_hierarchy finds the loop ("Found a cycle"), and
        // instantiate's wrap hides it: Bora says why after its words.
        Error e = instantiate_failed();
        e.message += fmt::format(" (its chain of bases is longer than [engine] max_adhoc_depth = {}: is it built on "
                                 "itself?)",
                                 options.max_depth);
        return e;
      }
      return bad_input(fmt::format("Ad-hoc action {} is built on more than {} ad-hoc actions ([engine] "
                                   "max_adhoc_depth): is its base chain built on itself?",
                                   action, options.max_depth));
    }
    // A dynamic action (JavaScript of a code source) ends the chain as a
    // std action does.
    if (meaning.dynamic) {
      out.dynamic = std::move(meaning.dynamic);
      break;
    }
    if (!meaning.adhoc) {
      if (named) return instantiate_failed();
      if (!options.name_namespace_when_missing)
        return bad_input(fmt::format("Failed to find action [action_name={}]", out.base));
      return bad_input(fmt::format("Failed to find action [action_name={}, namespace={}]", out.base, place.namespace_));
    }
    auto adhoc = lang::action_from_value(meaning.adhoc->spec);
    if (!adhoc) return bad_input("The stored ad-hoc action " + out.base + " does not parse: " + adhoc.error().message);
    if (!base_input.is_dict()) return bad_input("The input of action " + out.base + " is not a dict: " + python_repr(base_input));
    if (depth == 0) {
      // mistral_lib's check_parameters, of the named action only: every
      // parameter with neither a value nor a default, and every given one
      // the action does not declare, in one message naming the action by
      // its full name (a workbook's action with the workbook's prefix).
      List missing, unexpected;
      for (const auto& p : (*adhoc)->input)
        if (!base_input.find(p.name) && !p.default_value) missing.emplace_back(p.name);
      for (const auto& [k, v] : base_input.as_dict()) {
        // `&k = k`: clang 14 (the sanitizer build) cannot capture a structured binding.
        bool known = std::any_of((*adhoc)->input.begin(), (*adhoc)->input.end(),
                                 [&k = k](const lang::InputParam& p) { return p.name == k; });
        if (!known) unexpected.emplace_back(k);
      }
      if (!missing.empty() || !unexpected.empty()) {
        std::string msg = fmt::format("Invalid input [name={}, class=mistral.actions.adhoc.AdHocAction",
                                      meaning.adhoc->name);
        if (!missing.empty()) msg += ", missing=" + python_repr(Value(std::move(missing)));
        if (!unexpected.empty()) msg += ", unexpected=" + python_repr(Value(std::move(unexpected)));
        return bad_input(msg + "]");
      }
      named = meaning.adhoc;
    }
    // The base-input's context: what this level was given, its declared
    // defaults added (the named action's input shows them too).
    Value params = base_input;
    for (const auto& p : (*adhoc)->input)
      if (p.default_value && !params.find(p.name)) params = params.with(p.name, *p.default_value);
    if (depth == 0) out.input = params;
    const bool empty_context = options.direct_run && params.is_dict() && params.as_dict().empty();
    auto next_input = empty_context ? Result<Value>(static_cast<const Value&>((*adhoc)->base_input))
                                    : expressions.evaluate((*adhoc)->base_input, params, scope);
    if (!next_input) return instantiate_failed();
    if (!(*adhoc)->output.is_null()) out.outputs.insert(out.outputs.begin(), (*adhoc)->output);
    out.base = (*adhoc)->base;
    base_input = *next_input;
  }
  // A Python dynamic action's input is checked against its class's
  // __init__ (mistral-lib's check_parameters, skipped for **kwargs), as
  // Mistral's engine checks it before running the action; it is given to
  // the class as it is (the class's own defaults apply). A JavaScript one
  // takes its input as one object: no signature to check.
  if (out.dynamic && executor::code_source_language(*out.dynamic) == executor::CodeLanguage::python) {
    if (auto cls = executor::describe_python_code(*out.dynamic)) {
      bool any = std::any_of(cls->params.begin(), cls->params.end(),
                             [](const executor::ActionParam& p) { return p.name.rfind("**", 0) == 0; });
      if (!any) {
        auto checked = executor::prepare_action_input(*cls, base_input);
        if (!checked) return named ? instantiate_failed() : checked.error();
      }
    }
  }
  out.descriptor = out.dynamic ? nullptr : executor::find_std_action(out.base);
  if (out.descriptor) {
    auto prepared = executor::prepare_action_input(*out.descriptor, base_input);
    if (!prepared) return named ? instantiate_failed() : prepared.error();
    out.base_input = std::move(prepared).value();
  } else {
    out.base_input = std::move(base_input);
  }
  return out;
}

Result<Value> apply_ad_hoc_outputs(const Value& outputs, Value data, const ExpressionPort& expressions) {
  if (!outputs.is_list()) return data;
  for (const auto& out : outputs.as_list()) {
    // Mistral's evaluate_recursively returns what it is given, unevaluated,
    // when the context is false to Python: a base action whose result is
    // 0, null, '', [], {} or false gives the `output:` as written
    // (data_flow/ad_hoc_output_of_a_false_result_is_left_as_written).
    if (!data.truthy()) {
      data = out;
      continue;
    }
    auto v = expressions.evaluate(out, data, ExpressionScope{});
    if (!v) return v.error();
    data = *v;
  }
  return data;
}

}  // namespace bora::engine
