// executor/action_limits: how much an action may produce or use. An
// action's output becomes its result, which is stored and shown; without a
// bound one `std.http` to a large file or one chatty `std.ssh` command
// would fill the server's memory. Like the reach options (reach.h) these
// are one per process, set at start by the server or `bora run`, so that
// every path that runs an action obeys them.
#pragma once

#include <cstddef>

#include "bora/core/config.h"
#include "bora/core/error.h"

namespace bora::executor {

struct ActionLimits {
  // [executor] http_max_response_kb: the largest response body std.http
  // and std.mistral_http read (KiB; default 262144, 256 MiB).
  size_t http_max_response_bytes = size_t{256} << 20;
  // [executor] ssh_max_output_kb: the most output std.ssh reads from a
  // command (KiB; default 65536, 64 MiB).
  size_t ssh_max_output_bytes = size_t{64} << 20;
  // [executor] javascript_heap_mb: what one run of JavaScript (std.javascript,
  // a dynamic action) may allocate (MiB; default 256).
  size_t javascript_heap_bytes = size_t{256} << 20;
};

// The options of a configuration; BadInput names the option, its value and
// the range it must be in.
Result<ActionLimits> action_limits_from_config(const Config& config);

// The limits every action of this process obeys (the defaults until set).
void set_action_limits(const ActionLimits& limits);
ActionLimits action_limits();

}  // namespace bora::executor
