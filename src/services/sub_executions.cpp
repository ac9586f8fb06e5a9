#include "bora/services/sub_executions.h"

#include "bora/services/task_executions.h"
#include "bora/services/workflow_executions.h"
#include "children_query.h"

namespace bora::services {

using Executions = std::vector<storage::WorkflowExecution>;

namespace {

void task_subtree(storage::Transaction& tx, const storage::TaskExecution& t, const SubExecutionFilters& f,
                  int64_t depth, Executions& out);

void execution_subtree(storage::Transaction& tx, const storage::WorkflowExecution& ex, const SubExecutionFilters& f,
                       int64_t depth, Executions& out) {
  if (f.max_depth >= 0 && depth > f.max_depth) return;
  out.push_back(ex);
  for (const auto& t : tx.task_executions().list(children_of("workflow_execution_id", ex.id)).value())
    task_subtree(tx, t, f, depth + 1, out);
}

void task_subtree(storage::Transaction& tx, const storage::TaskExecution& t, const SubExecutionFilters& f,
                  int64_t depth, Executions& out) {
  if (f.errors_only && t.state != storage::State::Error) return;
  for (const auto& c : tx.workflow_executions().list(children_of("task_execution_id", t.id)).value())
    execution_subtree(tx, c, f, depth, out);
}

}  // namespace

Result<Executions> sub_executions_of_execution(storage::Database& db, const std::string& id, const Caller& caller,
                                               const SubExecutionFilters& filters) {
  return db.read([&](storage::Transaction& tx) -> Result<Executions> {
    auto ex = find_workflow_execution(tx, id, caller);
    if (!ex) return ex.error();
    Executions out;
    execution_subtree(tx, *ex, filters, 0, out);
    return out;
  });
}

Result<Executions> sub_executions_of_task(storage::Database& db, const std::string& id, const Caller& caller,
                                          const SubExecutionFilters& filters) {
  return db.read([&](storage::Transaction& tx) -> Result<Executions> {
    auto t = find_task_execution(tx, id, caller);
    if (!t) return t.error();
    Executions out;
    task_subtree(tx, *t, filters, 0, out);
    return out;
  });
}

}  // namespace bora::services
