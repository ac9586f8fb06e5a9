#include "bora/services/environments.h"
#include "bora/catalog/catalog.h"
#include "bora/services/json_object.h"

#include <fmt/format.h>

#include <algorithm>

#include "bora/core/json.h"
#include "bora/storage/list_query.h"

namespace bora::services {

using storage::Environment;
using storage::FilterOp;

namespace {

Result<void> check_keys(const Value& body, const std::vector<std::string>& legal) {
  if (!body.is_dict()) return bad_input("The environment must be a JSON object, e.g. {\"name\": \"env1\", \"variables\": {}}.");
  for (const auto& [key, value] : body.as_dict()) {
    if (std::find(legal.begin(), legal.end(), key) == legal.end()) {
      std::string list;
      for (const auto& l : legal) list += (list.empty() ? "'" : ", '") + l + "'";
      return bad_input(fmt::format(
          "Please, check your environment definition. Only: [{}] are allowed as definition keys.", list));
    }
  }
  return {};
}

Result<std::optional<std::string>> optional_text(const Value& body, const char* key) {
  auto v = body.find(key);
  if (!v || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) return bad_input(fmt::format("Environment field '{}' must be a string.", key));
  return std::optional<std::string>(v->as_string());
}

Result<void> apply(Environment& env, const Value& body, bool update) {
  auto description = optional_text(body, "description");
  if (!description) return description.error();
  if (body.find("description")) env.description = *description;
  if (auto v = body.find("variables"); v && v->is_null()) {
    env.variables = Value();  // stored without, as Mistral stores None
  } else if (v) {
    auto vars = json_object_field(*v, "variables", "env", &body);
    if (!vars) return vars.error();
    env.variables = std::move(vars).value();
  }
  if (const Value* scope = body.find("scope")) {
    if (auto s = catalog::check_scope_attribute(*scope); !s) return s.error();
    // A null scope: the column's default on create, NULL on update (the
    // attribute is set, so Mistral's update writes it).
    if (!scope->is_null()) env.scope = scope->as_string();
    else if (update) env.scope.reset();
  }
  return {};
}

Result<std::string> name_of(const Value& body) {
  auto name = optional_text(body, "name");
  if (!name) return name.error();
  if (!*name || (*name)->empty()) return bad_input("Name of the environment is not provided.");
  return **name;
}

}  // namespace

Result<void> check_environment_body(const Value& body, bool update) {
  if (!update) return check_keys(body, {"name", "description", "variables", "scope"});
  // Mistral's order: the name first, then the other keys (its list names
  // them without the name it popped).
  auto name = name_of(body);
  if (!name) return name.error();
  Value others = body;
  if (body.is_dict()) {
    Dict rest;
    for (const auto& [k, v] : body.as_dict())
      if (k != "name") rest.set(k, v);
    others = Value(std::move(rest));
  }
  return check_keys(others, {"description", "variables", "scope"});
}

Result<Environment> create_environment(storage::Transaction& tx, const Value& body, const Caller& caller) {
  if (auto k = check_environment_body(body, false); !k) return k.error();
  // Mistral stores one without a name (NULL; an empty one as given): lists
  // show it, no URL reaches it.
  auto name = optional_text(body, "name");
  if (!name) return name.error();
  Environment env;
  env.name = *name;
  // Without variables, none (Mistral stores None and shows null).
  env.project_id = caller.project_id;
  if (auto a = apply(env, body, false); !a) return a.error();
  return tx.environments().create(std::move(env));
}

Result<Environment> update_environment(storage::Transaction& tx, const Value& body, const Caller& caller) {
  if (auto k = check_environment_body(body, true); !k) return k.error();
  auto name = name_of(body);
  auto env = catalog::Catalog(tx, caller).environment(*name);
  if (!env) return env.error();
  if (auto a = check_modify_access(caller, "Environment", env->id, env->project_id, false); !a) return a.error();
  if (auto a = apply(*env, body, true); !a) return a.error();
  return tx.environments().update(std::move(env).value());
}

Result<void> delete_environment(storage::Transaction& tx, const std::string& name, const Caller& caller) {
  auto env = catalog::Catalog(tx, caller).environment(name);
  if (!env) return env.error();
  if (auto a = check_modify_access(caller, "Environment", env->id, env->project_id, false); !a) return a.error();
  return tx.environments().remove(env->id);
}

}  // namespace bora::services
