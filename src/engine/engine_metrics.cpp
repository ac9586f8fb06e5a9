#include "engine_metrics.h"

#include "bora/core/metrics.h"

namespace bora::engine {

namespace {

metrics::Registry& registry() { return metrics::Registry::global(); }

}  // namespace

void count_execution_started(const storage::WorkflowExecution& wf_ex) {
  static auto& started = registry().counter("bora_workflow_executions_started_total",
                                            "Workflow executions created (by the API, cron triggers and tasks), "
                                            "by workflow name.",
                                            {"workflow"});
  started.counter({wf_ex.workflow_name}).inc();
}

void count_execution_finished(const storage::WorkflowExecution& wf_ex) {
  static auto& finished = registry().counter("bora_workflow_executions_finished_total",
                                             "Workflow executions that reached a final state, by workflow name "
                                             "and state (SUCCESS, ERROR, CANCELLED).",
                                             {"workflow", "state"});
  finished.counter({wf_ex.workflow_name, state_name(wf_ex.state)}).inc();
}

void count_task_transition(std::string_view from, std::string_view to) {
  static auto& transitions = registry().counter("bora_task_transitions_total",
                                                "Task execution state changes, by state before (NONE: a new "
                                                "task) and after.",
                                                {"from", "to"});
  transitions.counter({from, to}).inc();
}

void observe_batch(size_t commands) {
  static auto& batch = registry()
                           .histogram("bora_engine_batch_size", "Commands applied per engine transaction.", {},
                                      {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024})
                           .histogram();
  batch.observe(static_cast<double>(commands));
}

void count_cron_firing() {
  static auto& firings =
      registry().counter("bora_cron_trigger_firings_total", "Cron trigger firings (each starts its workflow).").counter();
  firings.inc();
}

void count_evaluation_moved() {
  static auto& moved = registry()
                           .counter("bora_engine_evaluations_moved_total",
                                    "Expression evaluations that outran [engine] evaluation_slice_ms on the engine's "
                                    "loop and were finished on a compute worker.")
                           .counter();
  moved.inc();
}

}  // namespace bora::engine
