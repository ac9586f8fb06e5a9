#include "bora/executor/action_limits.h"

#include <atomic>

#include <fmt/format.h>

namespace bora::executor {

namespace {

// Read by every action run on any thread, written once at start: atomics,
// not a lock.
std::atomic<size_t> g_http{ActionLimits{}.http_max_response_bytes};
std::atomic<size_t> g_ssh{ActionLimits{}.ssh_max_output_bytes};
std::atomic<size_t> g_js{ActionLimits{}.javascript_heap_bytes};

// An option in `unit`-sized steps between 1 and `max_units`.
Result<size_t> sized_option(const Config& config, const char* name, size_t fallback_bytes, size_t unit,
                            long max_units, const char* unit_name) {
  auto v = config.get_int("executor", name, static_cast<long>(fallback_bytes / unit));
  if (!v) return v.error();
  if (*v < 1 || *v > max_units)
    return bad_input(fmt::format("[executor] {} must be between 1 and {} ({}), not {}", name, max_units, unit_name, *v));
  return static_cast<size_t>(*v) * unit;
}

}  // namespace

Result<ActionLimits> action_limits_from_config(const Config& config) {
  ActionLimits d, l;
  // Upper bounds keep sizes within what one result can be (a few GiB).
  auto http = sized_option(config, "http_max_response_kb", d.http_max_response_bytes, 1024, 4L << 20, "KiB");
  if (!http) return http.error();
  auto ssh = sized_option(config, "ssh_max_output_kb", d.ssh_max_output_bytes, 1024, 4L << 20, "KiB");
  if (!ssh) return ssh.error();
  auto js = sized_option(config, "javascript_heap_mb", d.javascript_heap_bytes, 1024 * 1024, 4096, "MiB");
  if (!js) return js.error();
  l.http_max_response_bytes = *http;
  l.ssh_max_output_bytes = *ssh;
  l.javascript_heap_bytes = *js;
  return l;
}

void set_action_limits(const ActionLimits& limits) {
  g_http.store(limits.http_max_response_bytes);
  g_ssh.store(limits.ssh_max_output_bytes);
  g_js.store(limits.javascript_heap_bytes);
}

ActionLimits action_limits() {
  ActionLimits l;
  l.http_max_response_bytes = g_http.load();
  l.ssh_max_output_bytes = g_ssh.load();
  l.javascript_heap_bytes = g_js.load();
  return l;
}

}  // namespace bora::executor
