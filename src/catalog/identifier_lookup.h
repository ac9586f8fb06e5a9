// catalog/identifier_lookup (private to the catalog): Mistral's
// _get_db_object_by_name_and_namespace_or_id, shared by every resource
// addressed as "name or id" (workflows, ad-hoc actions, code sources,
// dynamic actions): by id when the identifier is a UUID naming a row, else
// by name, in the namespace when one is given.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bora/core/ids.h"
#include "bora/storage/repository.h"

namespace bora::catalog {

template <class R>
std::optional<R> find_by_identifier(storage::Repository<R>& repo, const std::string& identifier,
                                    const std::optional<std::string>& namespace_,
                                    const storage::ProjectScope& scope) {
  using storage::Filter;
  using storage::FilterOp;
  if (is_uuid(identifier)) {
    if (auto by_id = repo.find_one({Filter{"id", FilterOp::Eq, {identifier}}}, scope)) return by_id;
  }
  std::vector<Filter> where{{"name", FilterOp::Eq, {identifier}}};
  if (namespace_) where.push_back({"namespace", FilterOp::Eq, {*namespace_}});
  return repo.find_one(where, scope);
}

}  // namespace bora::catalog
