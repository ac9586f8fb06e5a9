#include "isolated.h"

#include <cstdlib>
#include <string>

#include "../workers/worker_process.h"
#include "bora/core/json.h"
#include "bora/executor/action_limits.h"

namespace bora::executor::javascript {

namespace {

constexpr const char* kWorkerEnv = "BORA_JS_WORKER";
// The worker is a new process: it learns [executor] javascript_heap_mb
// from its environment (bytes), not from the server's configuration.
constexpr const char* kHeapEnv = "BORA_JS_HEAP_BYTES";

ActionResult handle_text(const std::string& text) {
  auto request = parse_json(text);
  return request ? handle_request(*request)
                 : ActionResult::raise("the JavaScript worker got a request it cannot read (a Bora bug: please report it)");
}

// Runs before main() when BORA_JS_WORKER is set, so the host program's own
// start-up never happens in a worker.
__attribute__((constructor)) void become_worker_if_asked() {
  const char* flag = std::getenv(kWorkerEnv);
  if (!flag || !*flag) return;
  if (const char* heap = std::getenv(kHeapEnv); heap && *heap) {
    ActionLimits limits = action_limits();
    limits.javascript_heap_bytes = std::strtoull(heap, nullptr, 10);
    if (limits.javascript_heap_bytes > 0) set_action_limits(limits);
  }
  workers::serve(handle_text, "the JavaScript worker");
}

}  // namespace

ActionResult run_isolated(const Value& request, const ActionRunContext& ctx) {
  // A worker started under other limits is another kind (the limits are
  // read once by the worker, at its start), so it is not reused.
  size_t heap = action_limits().javascript_heap_bytes;
  workers::WorkerKind kind;
  kind.env = {std::string(kWorkerEnv) + "=1", std::string(kHeapEnv) + "=" + std::to_string(heap)};
  return workers::exchange(kind, to_json(request), ctx, "the JavaScript worker",
                           "if it used much memory, make it use less (the limit is [executor] javascript_heap_mb, " +
                               std::to_string(heap >> 20) + " MiB), else rerun the task");
}

}  // namespace bora::executor::javascript
