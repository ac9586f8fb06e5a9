#include "bora/executor/action_timeout.h"

#include <chrono>

#include <fmt/format.h>

#include "bora/core/python_format.h"
#include "bora/executor/dynamic_action.h"
#include "bora/executor/executor.h"

namespace bora::executor {

std::optional<ActionDescriptor> descriptor_of(const std::string& action_name, bool dynamic) {
  if (dynamic) return dynamic_action_descriptor(action_name);
  if (const ActionDescriptor* d = find_std_action(action_name)) return *d;
  return std::nullopt;
}

std::string eventlet_timeout_text(const Value& seconds) {
  return fmt::format("{} second{}", python_str(seconds), seconds == Value(int64_t(1)) ? "" : "s");
}

ActionResult run_within(const Value& seconds, const std::optional<ActionDescriptor>& action,
                        const std::string& action_execution_id,
                        ActionRunContext& ctx, const std::function<ActionResult(const ActionRunContext&)>& run) {
  double s = seconds.is_integer() || seconds.is_double() ? seconds.as_double() : 0.0;
  if (!(s > 0)) return run(ctx);
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(s));
  if (!ctx.deadline || deadline < *ctx.deadline) ctx.deadline = deadline;
  ActionResult result = run(ctx);
  if (std::chrono::steady_clock::now() >= deadline) {
    std::string text = eventlet_timeout_text(seconds);
    return ActionResult::failure(Value(action ? raised_message(*action, action_execution_id, text, ctx.ad_hoc) : text));
  }
  return result;
}

}  // namespace bora::executor
