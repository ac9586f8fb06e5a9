// executor/plugins/worker_request: what a pack's worker process is asked
// (describe the pack, run one action), as JSON text, and the worker's side
// of it. A worker is the server's binary started with BORA_PLUGIN_WORKER
// set to the pack's file; it opens only that pack.
#pragma once

#include <string>

#include "../workers/worker_process.h"
#include "bora/core/value.h"
#include "bora/executor/action.h"

namespace bora::executor::plugins {

workers::WorkerKind worker_kind(const std::string& pack_path);

std::string describe_request(const Value& config);
// The reach options and action limits as a worker is told them
// ({"denied_networks": ["127.0.0.0/8", ...], "deny_own_api_port",
// "own_api_port", "http_max_response_bytes"}): the packs' workers and the
// Python worker, which enforces denied_networks with an audit hook.
Value reach_value();
// Carries what the worker cannot read from a configuration of its own: the
// reach options, the action limits and the time left.
std::string run_request(const std::string& action, const Value& input, const Value& context, const Value& config,
                        const ActionRunContext& ctx);

}  // namespace bora::executor::plugins
