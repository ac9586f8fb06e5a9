#include "bora/catalog/caller.h"

#include <fmt/format.h>

#include "bora/core/python_format.h"

namespace bora::catalog {

Result<void> check_scope(std::string_view scope) {
  if (scope == "private" || scope == "public") return {};
  return bad_input(fmt::format("Scope must be one of the following: {{'private', 'public'}}; actual: {}", scope));
}

Result<void> check_scope_attribute(const Value& scope) {
  if (scope.is_null() || (scope.is_string() && check_scope(scope.as_string()))) return {};
  return bad_input(fmt::format(
      "Invalid input for field/attribute scope. Value: '{}'. Value should be one of: private, public", python_str(scope)));
}

Result<void> check_modify_access(const Caller& caller, std::string_view model, const std::string& id,
                                 const std::string& owner_project, bool is_system) {
  if (caller.is_admin) return {};
  if (owner_project != caller.project_id) {
    return Error{ErrorKind::Forbidden,
                 fmt::format("Can not access {} resource of other projects, ID: {}", model, id)};
  }
  if (is_system) return bad_input(fmt::format("Can not modify a system {} resource, ID: {}", model, id));
  return {};
}

}  // namespace bora::catalog
