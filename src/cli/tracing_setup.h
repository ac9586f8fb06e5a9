// cli/tracing_setup: [tracing] and the workflow trace log, read from the
// configuration and installed for the process (docs/OPERATIONS.md
// "Tracing", "Logs").
#pragma once

#include <memory>

#include "bora/core/config.h"
#include "bora/core/error.h"

namespace bora::cli {

// With [tracing] enabled = true: an OTLP/HTTP exporter to otlp_endpoint,
// installed as core/trace's; the returned handle uninstalls it and sends
// what is queued when dropped. Off: nothing is started (null handle). Bad
// values are errors naming the option.
Result<std::shared_ptr<void>> start_tracing(const Config& config);

}  // namespace bora::cli
