// executor/action_metrics: every action run (std or dynamic; on the pool,
// inline in the engine's batch, or standalone) counted by name and outcome,
// and its duration, for GET /metrics (core/metrics).
#pragma once

#include <chrono>
#include <string_view>

#include "bora/executor/action.h"

namespace bora::executor {

void observe_action(std::string_view name, const ActionResult& result, std::chrono::steady_clock::time_point started);

}  // namespace bora::executor
