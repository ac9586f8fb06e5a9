// executor/std/basic_actions: std.echo, std.noop, std.fail, std.sleep,
// std.test_dict, with Mistral's argument coercions (a bad delay means 0).
#include <fmt/format.h>

#include <cmath>
#include <thread>

#include "bora/core/python_format.h"
#include "bora/core/time_source.h"
#include "bora/executor/std_actions.h"

namespace bora::executor {

namespace {

// Python's float(x) / int(x) on an action argument; nullopt when it fails.
std::optional<double> as_number(const Value& v) {
  if (v.is_int()) return static_cast<double>(v.as_int());
  if (v.is_double()) return v.as_double();
  if (v.is_bool()) return v.as_bool() ? 1.0 : 0.0;
  if (v.is_string()) {
    try {
      size_t used = 0;
      double d = std::stod(v.as_string(), &used);
      if (used == v.as_string().size()) return d;
    } catch (...) {
    }
  }
  return std::nullopt;
}

// Sleeps on the run's clock (the engine's: virtual under the workflow case
// runner), so that a cancelled or timed-out action returns promptly; false
// when it was stopped.
bool interruptible_sleep(double seconds, const ActionRunContext& ctx) {
  using namespace std::chrono;
  const TimeSource& clock = ctx.time ? *ctx.time : *system_time();
  return clock.sleep_for(duration_cast<microseconds>(duration<double>(seconds)), [&] { return ctx.should_stop(); });
}

ActionResult stopped(const char* action) {
  return ActionResult::raise(fmt::format("{} was stopped: the task timed out or the execution was cancelled", action));
}

}  // namespace

ActionResult run_echo(const Value& input, const ActionRunContext& ctx) {
  double delay = as_number(input["delay"]).value_or(0);
  if (delay > 0 && !interruptible_sleep(delay, ctx)) return stopped("std.echo");
  return ActionResult::success(input["output"]);
}

ActionResult run_noop(const Value&, const ActionRunContext&) { return ActionResult::success(Value()); }

ActionResult run_fail(const Value& input, const ActionRunContext&) {
  const Value& error_data = input["error_data"];
  if (error_data.truthy()) return ActionResult::failure(error_data);
  return ActionResult::raise("Fail action expected exception.");
}

ActionResult run_sleep(const Value& input, const ActionRunContext& ctx) {
  // Mistral: int(seconds), negative or invalid means 0.
  auto n = as_number(input["seconds"]);
  double seconds = n ? std::trunc(*n) : 0;
  if (seconds > 0 && !interruptible_sleep(seconds, ctx)) return stopped("std.sleep");
  return ActionResult::success(Value());
}

ActionResult run_test_dict(const Value& input, const ActionRunContext&) {
  auto n = as_number(input["size"]);
  if (!n || *n < 0) return ActionResult::raise("std.test_dict: 'size' must be a non-negative integer");
  if (*n > 10'000'000) return ActionResult::raise("std.test_dict: 'size' is limited to 10000000 entries");
  std::string prefix = input["key_prefix"].is_string() ? input["key_prefix"].as_string() : python_str(input["key_prefix"]);
  Dict out;
  for (int64_t i = 0; i < static_cast<int64_t>(*n); ++i) out.set(prefix + std::to_string(i), input["val"]);
  return ActionResult::success(Value(std::move(out)));
}

}  // namespace bora::executor
