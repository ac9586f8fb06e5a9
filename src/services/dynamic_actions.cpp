#include "bora/services/dynamic_actions.h"

#include <fmt/format.h>

#include <algorithm>

#include "bora/catalog/catalog.h"
#include "bora/core/ids.h"
#include "bora/core/python_format.h"
#include "bora/services/code_sources.h"

namespace bora::services {

using storage::DynamicActionDefinition;
using storage::Filter;
using storage::FilterOp;

namespace {

const char* const kDynamicActionKeys[] = {"id", "name", "namespace", "class_name", "code_source_id",
                                          "code_source_name", "scope", "project_id", "created_at", "updated_at"};

Result<void> check_keys(const Value& body) {
  if (!body.is_dict()) return bad_input("A dynamic action must be a JSON object.");
  for (const auto& [key, value] : body.as_dict()) {
    // `&key = key`: clang 14 (the sanitizer build) cannot capture a structured binding.
    if (std::none_of(std::begin(kDynamicActionKeys), std::end(kDynamicActionKeys),
                     [&key = key](const char* k) { return key == k; }))
      return bad_input(fmt::format("Unknown attribute for argument dyn_action: {}", key));
    if (!value.is_null() && !value.is_string())
      return bad_input(fmt::format("Invalid input for field/attribute {}. Value: '{}'. Wrong type: expected a "
                                   "string, got {}.",
                                   key, python_repr(value), value.type_name()));
  }
  return {};
}

std::string text(const Value& body, const char* key) {
  const Value* v = body.find(key);
  return v && v->is_string() ? v->as_string() : "";
}

// The code source named by code_source_id or code_source_name, in the
// action's namespace.
Result<storage::CodeSource> code_source_of(storage::Transaction& tx, const Value& body, const std::string& namespace_,
                                           const Caller& caller) {
  std::string id = text(body, "code_source_id");
  return catalog::Catalog(tx, caller).code_source(id.empty() ? text(body, "code_source_name") : id, namespace_);
}

}  // namespace

Result<DynamicActionDefinition> create_dynamic_action(storage::Transaction& tx, const Value& body,
                                                     const Caller& caller) {
  if (auto k = check_keys(body); !k) return k.error();
  DynamicActionDefinition d;
  d.name = text(body, "name");
  d.class_name = text(body, "class_name");
  d.namespace_ = text(body, "namespace");
  // Mistral's order: WSME's scope type, then the code source (named, and
  // found); what the row lacks only after.
  if (const Value* s = body.find("scope"); s && !s->is_null()) {
    if (auto ok = catalog::check_scope_attribute(*s); !ok) return ok.error();
    d.scope = s->as_string();
  }
  if (text(body, "code_source_id").empty() && text(body, "code_source_name").empty())
    return bad_input("Either 'code_source_id' or 'code_source_name' must be provided.");
  auto code_source = code_source_of(tx, body, d.namespace_, caller);
  if (!code_source) return code_source.error();
  if (d.name.empty()) return bad_input("A dynamic action needs a 'name'.");
  if (d.class_name.empty())
    return bad_input("A dynamic action needs a 'class_name': the function of its code source that runs it.");
  if (catalog::Catalog::builtin_action(d.name))
    return bad_input(fmt::format("Action name '{}' is taken by a system action: choose another name.", d.name));
  d.code_source_id = code_source->id;
  d.code_source_name = code_source->name;
  d.project_id = caller.project_id;
  return tx.dynamic_actions().create(std::move(d));
}

Result<DynamicActionDefinition> update_dynamic_action(storage::Transaction& tx, const Value& body,
                                                     const Caller& caller) {
  if (auto k = check_keys(body); !k) return k.error();
  std::string identifier = text(body, "id");
  if (identifier.empty()) identifier = text(body, "name");
  if (identifier.empty()) return bad_input("Either 'name' or 'id' must be provided.");
  std::string namespace_ = text(body, "namespace");
  auto d = catalog::Catalog(tx, caller).dynamic_action(identifier, namespace_);
  if (!d) return d.error();
  if (auto a = check_modify_access(caller, "DynamicActionDefinition", d->id, d->project_id, false); !a)
    return a.error();
  if (std::string c = text(body, "class_name"); !c.empty()) d->class_name = c;
  if (const Value* s = body.find("scope"); s && !s->is_null()) {
    if (auto ok = catalog::check_scope_attribute(*s); !ok) return ok.error();
    d->scope = s->as_string();
  }
  if (!text(body, "code_source_id").empty() || !text(body, "code_source_name").empty()) {
    auto code_source = code_source_of(tx, body, namespace_, caller);
    if (!code_source) return code_source.error();
    d->code_source_id = code_source->id;
    d->code_source_name = code_source->name;
  }
  return tx.dynamic_actions().update(std::move(d).value());
}

Result<void> delete_dynamic_action(storage::Transaction& tx, const std::string& identifier,
                                   const std::string& namespace_, const Caller& caller) {
  auto d = catalog::Catalog(tx, caller).dynamic_action(identifier, namespace_);
  if (!d) return d.error();
  if (auto a = check_modify_access(caller, "DynamicActionDefinition", d->id, d->project_id, false); !a)
    return a.error();
  return tx.dynamic_actions().remove(d->id);
}

}  // namespace bora::services
