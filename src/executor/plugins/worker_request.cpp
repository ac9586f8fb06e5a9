#include "worker_request.h"

#include <chrono>
#include <cstdlib>
#include <memory>

#include "bora/core/json.h"
#include "bora/executor/action_limits.h"
#include "bora/executor/reach.h"
#include "pack.h"

namespace bora::executor::plugins {

namespace {

constexpr const char* kWorkerEnv = "BORA_PLUGIN_WORKER";

void apply_reach(const Value& v) {
  ReachOptions reach;
  if (v["denied_networks"].is_list())
    for (const auto& n : v["denied_networks"].as_list())
      if (auto range = parse_network_range(n.is_string() ? n.as_string() : std::string()))
        reach.denied_networks.push_back(std::move(range).value());
  reach.deny_own_api_port = v["deny_own_api_port"].truthy();
  reach.own_api_port = v["own_api_port"].is_int() ? static_cast<uint16_t>(v["own_api_port"].as_int()) : 0;
  set_reach_options(std::move(reach));
  if (v["http_max_response_bytes"].is_int()) {
    ActionLimits limits = action_limits();
    limits.http_max_response_bytes = static_cast<size_t>(v["http_max_response_bytes"].as_int());
    set_action_limits(limits);
  }
}

// The worker's one pack, opened at its first request.
Pack* the_pack(std::string& error) {
  static std::unique_ptr<Pack> pack;
  static std::string open_error;
  static bool tried = false;
  if (!tried) {
    tried = true;
    const char* path = std::getenv(kWorkerEnv);
    auto opened = Pack::open(path ? path : "");
    if (opened) pack = std::move(opened).value();
    else open_error = opened.error().message;
  }
  error = open_error;
  return pack.get();
}

ActionResult handle(const std::string& text) {
  auto request = parse_json(text);
  if (!request || !request->is_dict())
    return ActionResult::raise("the pack's worker got a request it cannot read (a Bora bug: please report it)");
  const Value& r = *request;
  std::string error;
  Pack* pack = the_pack(error);
  if (!pack) return ActionResult::raise(error);
  std::string op = r["op"].is_string() ? r["op"].as_string() : "";
  if (op == "describe") {
    auto info = pack->describe(r["config"]);
    if (!info) return ActionResult::raise(info.error().message);
    return ActionResult::success(info_to_value(*info));
  }
  if (op != "run") return ActionResult::raise("the pack's worker got an unknown request: " + op);
  apply_reach(r["reach"]);
  ActionRunContext ctx;  // cancellation is the server's: it kills this process
  if (r["deadline_ms"].is_int() && r["deadline_ms"].as_int() >= 0)
    ctx.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(r["deadline_ms"].as_int());
  return pack->run(r["action"].is_string() ? r["action"].as_string() : "", r["input"], r["context"], r["config"], ctx);
}

// Runs before main() when BORA_PLUGIN_WORKER is set, so the host program's
// own start-up never happens in a worker.
__attribute__((constructor)) void become_worker_if_asked() {
  const char* flag = std::getenv(kWorkerEnv);
  if (!flag || !*flag) return;
  workers::serve(handle, "the pack's worker");
}

}  // namespace

Value reach_value() {
  auto reach = reach_options();
  List denied;
  for (const auto& n : reach->denied_networks) denied.emplace_back(n.text);
  return Value::dict({{"denied_networks", Value(std::move(denied))},
                      {"deny_own_api_port", reach->deny_own_api_port},
                      {"own_api_port", static_cast<int64_t>(reach->own_api_port)},
                      {"http_max_response_bytes", static_cast<int64_t>(action_limits().http_max_response_bytes)}});
}

workers::WorkerKind worker_kind(const std::string& pack_path) {
  workers::WorkerKind kind;
  kind.env = {std::string(kWorkerEnv) + "=" + pack_path};
  return kind;
}

std::string describe_request(const Value& config) {
  return to_json(Value::dict({{"op", "describe"}, {"config", config}}));
}

std::string run_request(const std::string& action, const Value& input, const Value& context, const Value& config,
                        const ActionRunContext& ctx) {
  int64_t deadline_ms = -1;
  if (ctx.deadline)
    deadline_ms = std::max<int64_t>(
        0, std::chrono::duration_cast<std::chrono::milliseconds>(*ctx.deadline - std::chrono::steady_clock::now()).count());
  return to_json(Value::dict({{"op", "run"},
                              {"action", action},
                              {"input", input},
                              {"context", context},
                              {"config", config},
                              {"reach", reach_value()},
                              {"deadline_ms", deadline_ms}}));
}

}  // namespace bora::executor::plugins
