// cli/runtime: what `bora server` (and later `bora run`) assemble at start:
// the effective configuration, the database, the engine and the context the
// REST API serves (api::build_router builds its router).
#pragma once

#include <memory>

#include "bora/api/context.h"
#include "bora/api/readiness.h"
#include "bora/api/router.h"
#include "bora/engine/engine.h"
#include "bora/expr/mistral_expressions.h"
#include "bora/executor/executor.h"
#include "bora/identity/keystone_client.h"
#include "bora/services/notifier.h"
#include "bora/storage/database.h"
#include "bora/core/config.h"
#include "options.h"

namespace bora::cli {

// Built-in defaults < --config FILE (or $BORA_CONFIG, or /etc/bora/bora.conf
// when present) < BORA_<SECTION>_<NAME> variables < --db / --log-level flags.
Result<Config> load_config(const ParsedOptions& opts);

// [expressions] max_steps, max_value_bytes, max_time_ms: the budget of each
// expression evaluation (<= 0: no limit). A non-integer is an error naming
// the option.
Result<expr::EvalLimits> expression_limits(const Config& config);

// [engine] options: max_with_items, execution_field_size_limit_kb, spec_cache_size.
Result<engine::EngineOptions> engine_options(const Config& config);

// [cluster] node_id, heartbeat_interval, lease_seconds (engine.h
// ClusterOptions; docs/STORAGE.md "Several nodes").
Result<engine::ClusterOptions> cluster_options(const Config& config);

// A duration option in whole seconds, 1..86400 (else an error naming it).
Result<std::chrono::milliseconds> positive_seconds(const Config& config, const char* section, const char* name,
                                                   long fallback);

// [api] readiness_max_loop_stall, readiness_db_timeout (GET /readyz).
Result<api::ReadinessOptions> readiness_options(const Config& config);

// [executor] threads: the executor pool's size (1..1024), for `bora server`
// and `bora run` alike.
Result<size_t> executor_threads(const Config& config);

// [api] event_stream_heartbeat, event_stream_max_queue,
// event_stream_max_subscribers (api/event_stream.h).
Result<api::EventStreamOptions> event_stream_options(const Config& config);

// Members are destroyed in reverse order: the API first, then the engine
// (its loop stops), then the executor (waits for running actions), then the
// database.
struct Runtime {
  Config config;
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<executor::Executor> executor;
  std::unique_ptr<expr::ExpressionPort> expressions;
  std::unique_ptr<engine::Engine> engine;  // null: the schema is not current ([database] upgrade_on_start)
  std::unique_ptr<api::Readiness> readiness;  // GET /readyz; refers to *db and *engine
  std::unique_ptr<api::ApiContext> api;  // refers to *db, *engine and *readiness
  std::unique_ptr<services::Notifier> notifier;  // set by start_notifier; stops first
  // [pecan] auth_enable and [keystone_authtoken] (identity/keystone_options.h);
  // keystone is null with authentication off.
  identity::AuthSettings auth;
  std::shared_ptr<identity::KeystoneClient> keystone;
};

// Opens the configured database and brings its schema up to date (a new
// SQLite file is created and migrated on first start). With [database]
// upgrade_on_start = false a schema that is not current is left as it is:
// no engine runs on it, the API answers reads only and GET /readyz says
// why (an operator who upgrades with `bora db upgrade`, as with
// mistral-db-manage).
Result<Runtime> open_runtime(const Config& config);

// Starts the delivery of notifications ([notifier] options) for a server.
Result<void> start_notifier(Runtime& runtime);

// Reads the [executor] limits on what actions reach (denied_networks,
// deny_own_api_port, ssh_private_key_dir: executor/reach) and produce
// (http_max_response_kb, ssh_max_output_kb, javascript_heap_mb:
// executor/action_limits) and makes them the process's; open_runtime does
// it, `bora run` too.
Result<void> apply_reach_options(const Config& config);

}  // namespace bora::cli
