// api/collection_query: from parsed list parameters to a storage query, and
// the same filters, sorting and paging applied in memory to rendered
// resources, for collections that are not one table (actions: the built-in
// std actions plus stored ad-hoc ones, as Mistral lists them).
#pragma once

#include <string>
#include <vector>

#include "bora/api/list_params.h"
#include "bora/core/value.h"
#include "bora/services/caller.h"
#include "bora/storage/list_query.h"

namespace bora::api {

// Filters whose field names differ between the API and storage, or that
// storage cannot answer, are handled by the caller before this.
storage::ListQuery to_list_query(const ListParams& params, const services::Caller& caller);

// Whether the list looks beyond the caller's project when the caller is an
// admin: all_projects, or a project_id filter (Mistral's rest_utils.get_all
// lists insecurely for an admin with a project_id filter).
bool lists_other_projects(const ListParams& params);

// A `tags` filter as Mistral applies it: `tags=x,y` keeps resources whose
// stored tags (their JSON list's text) hold every one of "x" and "y" (the
// JSON texts to look for). to_list_query and query_in_memory apply it.
std::vector<std::string> mistral_tags(const Filter& f);

// Whether one resource (a view) matches one filter, as query_in_memory
// checks it.
bool matches_filter(const Value& item, const Filter& f);

// Keeps the resources matching every filter, sorts them by the sort keys,
// and returns the page after `marker` (matched against marker_field).
std::vector<Value> query_in_memory(std::vector<Value> items, const ListParams& params,
                                   const std::string& marker_field);

}  // namespace bora::api
