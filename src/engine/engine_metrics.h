// engine/engine_metrics: what the engine counts for GET /metrics
// (core/metrics; the table of names: docs/OPERATIONS.md, "Metrics").
// The state changes call these (state_changes.cpp); inside a batch's
// transaction the counts are held until it commits (metrics::Deferred in
// engine.cpp), so a batch replayed command by command counts once.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "bora/storage/records.h"

namespace bora::engine {

// An execution was created (started by the API, a cron trigger or a task).
void count_execution_started(const storage::WorkflowExecution& wf_ex);
// An execution reached a final state (SUCCESS, ERROR, CANCELLED).
void count_execution_finished(const storage::WorkflowExecution& wf_ex);
// A task execution's state changed `from` (NONE: a new task) `to`
// (set_task_state, state_changes.cpp).
void count_task_transition(std::string_view from, std::string_view to);
// A batch of `commands` commands applied in one transaction.
void observe_batch(size_t commands);
// A cron trigger came due and fired.
void count_cron_firing();
// An evaluation outran its slice on the loop and moved to a compute worker
// (compute.h); its command waits for it.
void count_evaluation_moved();

}  // namespace bora::engine
