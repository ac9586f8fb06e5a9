// services/sub_executions: GET /v2/executions/{id}/executions and
// /v2/tasks/{id}/executions (Mistral's SubExecutionsController): for an
// execution, itself, then depth first through its tasks the executions
// each task started; for a task, the executions it started and their
// subtrees.
#pragma once

#include <string>
#include <vector>

#include "bora/core/error.h"
#include "bora/services/caller.h"
#include "bora/storage/database.h"

namespace bora::services {

struct SubExecutionFilters {
  bool errors_only = false;  // follow only tasks in ERROR
  int64_t max_depth = -1;    // negative: no limit
};

Result<std::vector<storage::WorkflowExecution>> sub_executions_of_execution(storage::Database& db,
                                                                            const std::string& id,
                                                                            const Caller& caller,
                                                                            const SubExecutionFilters& filters);
Result<std::vector<storage::WorkflowExecution>> sub_executions_of_task(storage::Database& db, const std::string& id,
                                                                       const Caller& caller,
                                                                       const SubExecutionFilters& filters);

}  // namespace bora::services
