// services/execution_report: GET /v2/executions/{id}/report (Mistral's
// api/controllers/v2/execution_report.py): an execution's tree of tasks,
// their actions and the sub-workflows they started, with counts of the
// tasks by state and an estimate of the time left.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bora/core/error.h"
#include "bora/core/time.h"
#include "bora/services/caller.h"
#include "bora/storage/database.h"

namespace bora::services {

struct ReportOptions {
  bool errors_only = false;      // only tasks in ERROR (and what is under them)
  bool statistics_only = false;  // the counts, no tree
  int64_t max_depth = -1;        // sub-workflow levels to show; negative: all
};

// What every node of the tree shows.
struct ReportNode {
  std::string id, name;
  storage::State state = storage::State::Idle;
  Timestamp created_at;
  std::optional<Timestamp> updated_at;
  std::optional<std::string> state_info;
};

struct ActionReport {
  ReportNode node;
  bool accepted = false;
  std::optional<Timestamp> last_heartbeat;
};

struct WorkflowReport;
struct TaskReport {
  ReportNode node;
  std::vector<ActionReport> actions;
  std::vector<WorkflowReport> sub_workflows;
  std::optional<int64_t> retry_count;  // set once the task was retried
  // Bora's rollback: the task execution this compensation undoes.
  std::optional<std::string> compensates;
};

struct WorkflowReport {
  ReportNode node;
  bool tasks_shown = false;  // false past max_depth, or statistics only
  std::vector<TaskReport> tasks;
};

struct ReportStatistics {
  int64_t total = 0, running = 0, success = 0, error = 0, idle = 0, paused = 0;
  // Mistral's estimate_time_for_execution: for a RUNNING execution, the
  // mean run time (whole seconds) of the last 20 successful executions of
  // its workflow minus how long it has run; 1 when it is already over
  // that; -1 with no history; 0 when it is not running.
  int64_t estimated_time = 0;
};

struct ExecutionReport {
  ReportStatistics statistics;
  WorkflowReport root;  // root.node only when statistics_only
};

Result<ExecutionReport> execution_report(storage::Database& db, const std::string& id, const Caller& caller,
                                         const ReportOptions& options);

}  // namespace bora::services
