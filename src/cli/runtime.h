// cli/runtime: what `bora server` (and later `bora run`) assemble at start:
// the effective configuration, the database, and the REST API's router.
#pragma once

#include "bora/api/router.h"
#include "bora/core/config.h"
#include "options.h"

namespace bora::cli {

// Built-in defaults < --config FILE (or $BORA_CONFIG, or /etc/bora/bora.conf
// when present) < BORA_<SECTION>_<NAME> variables < --db / --log-level flags.
Result<Config> load_config(const ParsedOptions& opts);

struct Runtime {
  Config config;
};

Result<Runtime> open_runtime(const Config& config);
api::Router build_router(Runtime& runtime);

}  // namespace bora::cli
