#include "ad_hoc_unfold.h"

#include <fmt/format.h>

#include <algorithm>

#include "bora/core/python_format.h"
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
  // Mistral's order (std, ad-hoc of the namespace, of the default
  // namespace, of the workbook, dynamic): the catalog's rule.
  for (int64_t depth = 0;; ++depth) {
    catalog::ActionMeaning meaning = names.action(out.base, place);
    if (meaning.std_action) break;
    if (depth >= options.max_depth)
      return bad_input(fmt::format("Ad-hoc action {} is built on more than {} ad-hoc actions ([engine] "
                                   "max_adhoc_depth): is its base chain built on itself?",
                                   action, options.max_depth));
    // A dynamic action (JavaScript of a code source) ends the chain as a
    // std action does.
    if (meaning.dynamic) {
      out.dynamic = std::move(meaning.dynamic);
      break;
    }
    if (!meaning.adhoc) {
      if (!options.name_namespace_when_missing)
        return bad_input(fmt::format("Failed to find action [action_name={}]", out.base));
      return bad_input(fmt::format("Failed to find action [action_name={}, namespace={}]", out.base, place.namespace_));
    }
    auto adhoc = lang::action_from_value(meaning.adhoc->spec);
    if (!adhoc) return bad_input("The stored ad-hoc action " + out.base + " does not parse: " + adhoc.error().message);
    // mistral_lib's check_parameters: every parameter with neither a value
    // nor a default, and every given one the action does not declare, in
    // one message naming the action by its full name (a workbook's action
    // with the workbook's prefix).
    Dict params;
    List missing, unexpected;
    for (const auto& p : (*adhoc)->input) {
      if (const Value* v = base_input.find(p.name)) params.set(p.name, *v);
      else if (p.default_value) params.set(p.name, *p.default_value);
      else missing.emplace_back(p.name);
    }
    if (!base_input.is_dict()) return bad_input("The input of action " + out.base + " is not a dict: " + python_repr(base_input));
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
    if (depth == 0)
      for (const auto& p : (*adhoc)->input)
        if (p.default_value && !out.input.find(p.name)) out.input = out.input.with(p.name, *p.default_value);
    auto next_input = expressions.evaluate((*adhoc)->base_input, Value(std::move(params)), scope);
    if (!next_input)
      return bad_input("Failed to evaluate base-input of " + out.base + ": " + next_input.error().message);
    if (!(*adhoc)->output.is_null()) out.outputs.insert(out.outputs.begin(), (*adhoc)->output);
    out.base = (*adhoc)->base;
    base_input = *next_input;
  }
  // A dynamic action takes its input as one object: no signature to check.
  out.descriptor = out.dynamic ? nullptr : executor::find_std_action(out.base);
  if (out.descriptor) {
    auto prepared = executor::prepare_action_input(*out.descriptor, base_input);
    if (!prepared) return prepared.error();
    out.base_input = std::move(prepared).value();
  } else {
    out.base_input = std::move(base_input);
  }
  return out;
}

Result<Value> apply_ad_hoc_outputs(const Value& outputs, Value data, const ExpressionPort& expressions) {
  if (!outputs.is_list()) return data;
  for (const auto& out : outputs.as_list()) {
    auto v = expressions.evaluate(out, data, ExpressionScope{});
    if (!v) return v.error();
    data = *v;
  }
  return data;
}

}  // namespace bora::engine
