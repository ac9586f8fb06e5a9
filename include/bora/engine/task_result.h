// engine/task_result: what a task execution's `result` is, as Mistral's
// data_flow.get_task_execution_result computes it: the accepted executions
// (actions, or sub-workflows for a workflow task) in item order; a with-items
// task always gives a list, any other task its one result (or the list when
// it has none or several). Shared by task() in expressions and the API.
#pragma once

#include "bora/core/value.h"
#include "bora/storage/transaction.h"

namespace bora::engine {

Value task_execution_result(storage::Transaction& tx, const storage::TaskExecution& t);
// The same without the executions made at or after `before` (a rerun's new
// action, which may already have run in the rerun's batch): Mistral's
// answer to a rerun shows the task before its executor answered.
Value task_execution_result_before(storage::Transaction& tx, const storage::TaskExecution& t, Timestamp before);

}  // namespace bora::engine
