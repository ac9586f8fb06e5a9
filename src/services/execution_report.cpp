#include "bora/services/execution_report.h"

#include <chrono>

#include "bora/engine/runtime_context.h"
#include "bora/services/workflow_executions.h"
#include "children_query.h"

namespace bora::services {

using storage::FilterOp;

namespace {

template <class Row>
ReportNode node_of(const Row& r) {
  return {r.id, r.name, r.state, r.created_at, r.updated_at, r.state_info};
}

void count(ReportStatistics& s, storage::State state) {
  if (state == storage::State::Running) ++s.running, ++s.total;
  else if (state == storage::State::Success) ++s.success, ++s.total;
  else if (state == storage::State::Error) ++s.error, ++s.total;
  else if (state == storage::State::Idle) ++s.idle, ++s.total;
  else if (state == storage::State::Paused) ++s.paused, ++s.total;
}

int64_t estimated_time(storage::Transaction& tx, const storage::WorkflowExecution& ex) {
  if (ex.state != storage::State::Running) return 0;
  auto previous = tx.workflow_executions()
                      .list({storage::ProjectScope::internal(),
                             {{"workflow_id", FilterOp::Eq, {ex.workflow_id}}, {"state", FilterOp::Eq, {"SUCCESS"}}},
                             {{"created_at", true}},
                             std::nullopt,
                             20})
                      .value();
  if (previous.empty()) return -1;
  auto whole_seconds = [](Timestamp from, Timestamp to) {
    return static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(to - from).count());
  };
  double total = 0;
  for (const auto& e : previous) total += whole_seconds(e.created_at, e.updated_at.value_or(e.created_at));
  double left = total / static_cast<double>(previous.size()) - whole_seconds(ex.created_at, now_utc());
  return left < 0 ? 1 : static_cast<int64_t>(left);  // an integer field in Mistral's API
}

// Tasks are counted at every depth shown, even when only the counts are
// asked for; past max_depth an execution shows only itself.
WorkflowReport report_workflow(storage::Transaction& tx, const storage::WorkflowExecution& wf_ex,
                               ReportStatistics& stats, const ReportOptions& o, int64_t depth) {
  WorkflowReport out;
  out.node = node_of(wf_ex);
  if (o.max_depth >= 0 && depth > o.max_depth) return out;
  for (const auto& t : tx.task_executions().list(children_of("workflow_execution_id", wf_ex.id)).value()) {
    if (o.errors_only && t.state != storage::State::Error) continue;
    count(stats, t.state);
    TaskReport task;
    task.node = node_of(t);
    for (const auto& a : tx.action_executions().list(children_of("task_execution_id", t.id)).value())
      task.actions.push_back({node_of(a), a.accepted, a.last_heartbeat});
    for (const auto& sub : tx.workflow_executions().list(children_of("task_execution_id", t.id)).value())
      task.sub_workflows.push_back(report_workflow(tx, sub, stats, o, depth + 1));
    engine::TaskContextView context(t.runtime_context);
    if (auto r = context.retry_no()) task.retry_count = *r;
    if (auto c = context.compensation()) task.compensates = c->task_execution_id;
    out.tasks.push_back(std::move(task));
  }
  out.tasks_shown = !o.statistics_only;
  if (!out.tasks_shown) out.tasks.clear();
  return out;
}

}  // namespace

Result<ExecutionReport> execution_report(storage::Database& db, const std::string& id, const Caller& caller,
                                         const ReportOptions& options) {
  return db.read([&](storage::Transaction& tx) -> Result<ExecutionReport> {
    auto root = find_workflow_execution(tx, id, caller);
    if (!root) return root.error();
    ExecutionReport report;
    report.root = report_workflow(tx, *root, report.statistics, options, 0);
    report.statistics.estimated_time = estimated_time(tx, *root);
    return report;
  });
}

}  // namespace bora::services
