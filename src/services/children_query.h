// services/children_query: the rows under a parent (a workflow execution's
// tasks, a task's actions or sub-workflows) in the order they were created,
// as the report and the sub-executions walk them. Private to services.
#pragma once

#include <string>

#include "bora/storage/list_query.h"

namespace bora::services {

inline storage::ListQuery children_of(const char* parent_field, const std::string& parent_id) {
  return {storage::ProjectScope::internal(),
          {{parent_field, storage::FilterOp::Eq, {parent_id}}},
          {{"created_at", false}}};
}

}  // namespace bora::services
