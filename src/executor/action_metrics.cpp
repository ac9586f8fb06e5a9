#include "action_metrics.h"

#include "bora/core/metrics.h"

namespace bora::executor {

void observe_action(std::string_view name, const ActionResult& result, std::chrono::steady_clock::time_point started) {
  auto& r = metrics::Registry::global();
  static auto& runs = r.counter("bora_actions_total", "Actions run, by action name and outcome (success, error).",
                                {"action", "outcome"});
  static auto& durations = r.histogram("bora_action_duration_seconds", "Time actions took to run, by action name.",
                                       {"action"});
  runs.counter({name, result.failed ? "error" : "success"}).inc();
  durations.histogram({name}).observe(metrics::seconds_since(started));
}

}  // namespace bora::executor
