#include "runtime.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "bora/core/limits.h"
#include "bora/core/log.h"
#include "bora/core/regex.h"
#include "bora/executor/action_limits.h"
#include "bora/expr/compiled.h"
#include "bora/executor/plugins.h"
#include "bora/identity/policy.h"
#include "bora/identity/keystone_options.h"
#include "bora/identity/security_resolver.h"
#include "bora/executor/reach.h"
#include "bora/lang/located_yaml.h"
#include "bora/services/preinstalled_actions.h"
#include "bora/services/preinstalled_workflows.h"
#include "metrics_listener.h"

namespace bora::cli {

namespace {

// Options a file may set on top of the defaults, so that BORA_* variables can
// reach every one of them (apply_environment only visits known options).
Config merged(Config base, const Config& file) {
  for (const auto& [key, value] : file.entries()) {
    size_t dot = key.find('.');
    base.set(key.substr(0, dot), key.substr(dot + 1), value);
  }
  return base;
}

// An operator's mistral.conf is accepted as it is: what Bora does not use
// is named once in the log, not refused. A section Bora has no option in
// gets one note listing its options; in Mistral's sections that Bora reads
// for authentication ([DEFAULT], [pecan], [keystone_authtoken], [auth]),
// each option Bora does not read gets its own. (Unknown options in Bora's
// own sections pass quietly, as before: many are read without a default.)
void note_options_not_used(const Config& file, const std::string& path) {
  std::set<std::string> bora_sections;
  const Config defaults = default_config();
  for (const auto& [key, value] : defaults.entries()) bora_sections.insert(key.substr(0, key.find('.')));
  const auto& identity = identity::identity_option_names();
  std::map<std::string, std::vector<std::string>> foreign;
  for (const auto& [key, value] : file.entries()) {
    std::string section = key.substr(0, key.find('.'));
    if (section == "DEFAULT" || section == "pecan" || section == "keystone_authtoken" || section == "auth") {
      // [DEFAULT] transport_url: the RabbitMQ of event triggers (src/events/).
      if (std::find(identity.begin(), identity.end(), key) == identity.end() && key != "DEFAULT.transport_url")
        log::info("config", "{}: [{}] {} is not used by Bora; ignored", path, section, key.substr(section.size() + 1));
    } else if (!bora_sections.count(section)) {
      foreign[section].push_back(key.substr(section.size() + 1));
    }
  }
  for (const auto& [section, names] : foreign) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    log::info("config", "{}: section [{}] is not used by Bora; ignored ({})", path, section, list);
  }
}

}  // namespace

Result<Config> load_config(const ParsedOptions& opts) {
  Config config = default_config();
  std::string path;
  if (auto c = opts.get("--config")) {
    path = *c;
  } else if (const char* env = std::getenv("BORA_CONFIG"); env && *env) {
    path = env;
  } else if (std::error_code ec; std::filesystem::exists("/etc/bora/bora.conf", ec)) {
    path = "/etc/bora/bora.conf";
  }
  std::optional<Config> file;
  if (!path.empty()) {
    auto loaded = Config::load_file(path);
    if (!loaded.ok()) return loaded.error();
    file = std::move(*loaded);
    config = merged(std::move(config), *file);
  }
  config.apply_environment();
  // [oslo_policy] policy_file names a file beside the configuration, as
  // oslo.config finds it; from here on it is the path found. One that is
  // not found is the server's error (open_runtime), not every command's.
  auto policy = identity::policy_options_from_config(
      config, path.empty() ? std::string() : std::filesystem::path(path).parent_path().string());
  if (policy && !policy->policy_file.empty()) config.set("oslo_policy", "policy_file", policy->policy_file);
  if (auto db = opts.get("--db")) config.set("database", "connection", *db);
  if (auto level = opts.get("--log-level")) config.set("logging", "level", *level);

  const std::string level_name = config.get_or("logging", "level", "info");
  auto level = log::parse_level(level_name);
  if (!level) return bad_input("[logging] level must be debug, info, warning or error, not '" + level_name + "'");
  log::set_level(*level);
  if (auto format = opts.get("--log-format")) config.set("logging", "format", *format);
  const std::string format_name = config.get_or("logging", "format", "text");
  auto format = log::parse_format(format_name);
  if (!format) return bad_input("[logging] format must be text or json, not '" + format_name + "'");
  log::set_format(*format);
  if (file) note_options_not_used(*file, path);
  // mistral.conf's [api] validation_mode: Mistral's default, 'mandatory',
  // validates every definition and ignores ?skip_validation; 'enabled' and
  // 'disabled' let a request, or every request, store one unchecked. Bora
  // validates always, as 'mandatory' does: its engine runs only what it
  // read whole (a definition Mistral stored unchecked fails when it runs).
  if (auto mode = config.get("api", "validation_mode")) {
    if (*mode != "mandatory" && *mode != "enabled" && *mode != "disabled")
      return bad_input("[api] validation_mode must be enabled, mandatory or disabled, not '" + *mode + "'");
    if (*mode != "mandatory")
      log::info("config", "[api] validation_mode = {}: Bora validates every definition, as Mistral's default "
                "'mandatory' does (?skip_validation is ignored)", *mode);
  }
  auto wf_trace = config.get_bool("logging", "workflow_trace", false);
  if (!wf_trace) return wf_trace.error();
  const std::string wf_trace_level_name = config.get_or("logging", "workflow_trace_level", "info");
  auto wf_trace_level = log::parse_level(wf_trace_level_name);
  if (!wf_trace_level || *wf_trace_level == log::Level::Off)
    return bad_input("[logging] workflow_trace_level must be debug, info, warning or error, not '" +
                     wf_trace_level_name + "'");
  log::set_workflow_trace(*wf_trace, *wf_trace_level);
  // Set once here, before any thread evaluates an expression (core/regex.h).
  auto regex_limits = regex_limits_from(config);
  if (!regex_limits) return regex_limits.error();
  set_process_regex_limits(*regex_limits);

  auto depth = config.get_int("expressions", "max_depth", kDefaultExpressionMaxDepth);
  if (!depth) return depth.error();
  if (*depth < 1 || *depth > kMaxExpressionMaxDepth) {
    return bad_input("[expressions] max_depth must be between 1 and " + std::to_string(kMaxExpressionMaxDepth) +
                     ", not " + std::to_string(*depth));
  }
  set_expression_max_depth(static_cast<int>(*depth));

  // [definitions]: what one workflow, workbook or ad-hoc action definition
  // may hold (docs/LIMITS.md).
  lang::DefinitionLimits defs;
  struct Bound {
    const char* name;
    size_t* into;
    long low, high;
  };
  for (const Bound& b : {Bound{"max_bytes", &defs.max_bytes, 1024, 1L << 30},
                         Bound{"max_nodes", &defs.max_nodes, 100, 100'000'000},
                         Bound{"max_depth", &defs.max_depth, 10, static_cast<long>(kMaxValueDepth)}}) {
    auto v = config.get_int("definitions", b.name, static_cast<long>(*b.into));
    if (!v) return v.error();
    if (*v < b.low || *v > b.high) {
      return bad_input(fmt::format("[definitions] {} must be between {} and {}, not {}", b.name, b.low, b.high, *v));
    }
    *b.into = static_cast<size_t>(*v);
  }
  lang::set_definition_limits(defs);
  return config;
}

Result<expr::EvalLimits> expression_limits(const Config& config) {
  expr::EvalLimits limits;
  auto steps = config.get_int("expressions", "max_steps", limits.max_steps);
  if (!steps) return steps.error();
  auto bytes = config.get_int("expressions", "max_value_bytes", limits.max_value_bytes);
  if (!bytes) return bytes.error();
  auto time = config.get_int("expressions", "max_time_ms", limits.max_time_ms);
  if (!time) return time.error();
  limits.max_steps = *steps;
  limits.max_value_bytes = *bytes;
  limits.max_time_ms = *time;
  // The compiled-template cache is the process's (expr/compiled.h), as the
  // regex limits are.
  auto templates = config.get_int("expressions", "template_cache_entries",
                                  static_cast<long>(expr::kDefaultTemplateCacheEntries));
  if (!templates) return templates.error();
  if (*templates < 0)
    return bad_input("[expressions] template_cache_entries must be 0 or more, not " + std::to_string(*templates));
  expr::set_template_cache_entries(static_cast<size_t>(*templates));
  return limits;
}

Result<engine::EngineOptions> engine_options(const Config& config) {
  engine::EngineOptions options;
  auto items = config.get_int("engine", "max_with_items", static_cast<long>(options.max_with_items));
  if (!items) return items.error();
  if (*items < 1) return bad_input("[engine] max_with_items must be at least 1");
  options.max_with_items = static_cast<size_t>(*items);
  auto window = config.get_int("engine", "with_items_window", static_cast<long>(options.with_items_window));
  if (!window) return window.error();
  if (*window < 0) return bad_input("[engine] with_items_window must be 0 or more");
  options.with_items_window = static_cast<size_t>(*window);
  auto items_batch = config.get_int("engine", "with_items_batch", static_cast<long>(options.with_items_batch));
  if (!items_batch) return items_batch.error();
  if (*items_batch < 0) return bad_input("[engine] with_items_batch must be 0 or more");
  options.with_items_batch = static_cast<size_t>(*items_batch);
  auto adhoc = config.get_int("engine", "max_adhoc_depth", static_cast<long>(options.max_adhoc_depth));
  if (!adhoc) return adhoc.error();
  if (*adhoc < 1 || *adhoc > 1000) return bad_input("[engine] max_adhoc_depth must be between 1 and 1000");
  options.max_adhoc_depth = *adhoc;
  auto first_heartbeat = config.get_int("action_heartbeat", "first_heartbeat_timeout",
                                        static_cast<long>(options.first_heartbeat_timeout.count()));
  if (!first_heartbeat) return first_heartbeat.error();
  if (*first_heartbeat < 0) return bad_input("[action_heartbeat] first_heartbeat_timeout must be 0 or more");
  options.first_heartbeat_timeout = std::chrono::seconds(*first_heartbeat);
  auto field_kb = config.get_int("engine", "execution_field_size_limit_kb",
                                 static_cast<long>(options.execution_field_size_limit_kb));
  if (!field_kb) return field_kb.error();
  options.execution_field_size_limit_kb = *field_kb;
  auto inline_actions =
      config.get_int("engine", "max_inline_actions", static_cast<long>(options.max_inline_actions));
  if (!inline_actions) return inline_actions.error();
  if (*inline_actions < 0) return bad_input("[engine] max_inline_actions must be 0 or more");
  options.max_inline_actions = static_cast<size_t>(*inline_actions);
  auto specs = config.get_int("engine", "spec_cache_size", static_cast<long>(options.spec_cache_size));
  if (!specs) return specs.error();
  if (*specs < 0) return bad_input("[engine] spec_cache_size must be 0 or more");
  options.spec_cache_size = static_cast<size_t>(*specs);
  auto workers = config.get_int("engine", "compute_workers", static_cast<long>(options.compute_workers));
  if (!workers) return workers.error();
  if (*workers < 0 || *workers > 64) return bad_input("[engine] compute_workers must be between 0 and 64");
  options.compute_workers = static_cast<size_t>(*workers);
  auto slice = config.get_int("engine", "evaluation_slice_ms", static_cast<long>(options.evaluation_slice_ms));
  if (!slice) return slice.error();
  if (*slice < 1 || *slice > 60'000) return bad_input("[engine] evaluation_slice_ms must be between 1 and 60000");
  options.evaluation_slice_ms = *slice;
  auto cluster = cluster_options(config);
  if (!cluster) return cluster.error();
  options.cluster = *cluster;
  return options;
}

Result<engine::ClusterOptions> cluster_options(const Config& config) {
  engine::ClusterOptions o;
  o.node_id = config.get_or("cluster", "node_id", "");
  if (o.node_id.size() > 255) return bad_input("[cluster] node_id must be at most 255 characters");
  auto heartbeat = positive_seconds(config, "cluster", "heartbeat_interval", 5);
  if (!heartbeat) return heartbeat.error();
  auto lease = positive_seconds(config, "cluster", "lease_seconds", 30);
  if (!lease) return lease.error();
  // A lease of fewer than two heartbeats would let one late renewal (a
  // busy database) make a live node look dead, and its work be taken over.
  if (*lease < 2 * *heartbeat)
    return bad_input(fmt::format("[cluster] lease_seconds ({}) must be at least twice [cluster] heartbeat_interval ({})",
                                 lease->count() / 1000, heartbeat->count() / 1000));
  o.heartbeat_interval = *heartbeat;
  o.lease = *lease;
  return o;
}

Result<std::chrono::milliseconds> positive_seconds(const Config& config, const char* section, const char* name,
                                                   long fallback) {
  auto v = config.get_int(section, name, fallback);
  if (!v) return v.error();
  if (*v <= 0 || *v > 86'400)
    return bad_input(fmt::format("[{}] {} must be a number of seconds between 1 and 86400, not {}", section, name, *v));
  return std::chrono::milliseconds(*v * 1000);
}

// [database] options of a database server backend (storage::DatabaseOptions;
// docs/LIMITS.md): oslo.db's names where it has one.
Result<storage::DatabaseOptions> database_options(const Config& config) {
  storage::DatabaseOptions options;
  auto pool = config.get_int("database", "max_pool_size", options.max_pool_size);
  if (!pool) return pool.error();
  if (*pool < 1 || *pool > 1000) return bad_input("[database] max_pool_size must be between 1 and 1000");
  options.max_pool_size = static_cast<int>(*pool);
  auto pool_timeout = positive_seconds(config, "database", "pool_timeout", options.pool_timeout.count());
  if (!pool_timeout) return pool_timeout.error();
  options.pool_timeout = std::chrono::duration_cast<std::chrono::seconds>(*pool_timeout);
  auto retries = config.get_int("database", "db_max_retries", options.max_retries);
  if (!retries) return retries.error();
  if (*retries < 0 || *retries > 1000) return bad_input("[database] db_max_retries must be between 0 and 1000");
  options.max_retries = static_cast<int>(*retries);
  auto interval = config.get_int("database", "db_retry_interval_ms", options.retry_interval.count());
  if (!interval) return interval.error();
  if (*interval < 1 || *interval > 60'000)
    return bad_input("[database] db_retry_interval_ms must be between 1 and 60000 milliseconds");
  options.retry_interval = std::chrono::milliseconds(*interval);
  auto max_interval = positive_seconds(config, "database", "db_max_retry_interval",
                                       std::chrono::duration_cast<std::chrono::seconds>(options.max_retry_interval).count());
  if (!max_interval) return max_interval.error();
  options.max_retry_interval = *max_interval;
  return options;
}

Result<api::ReadinessOptions> readiness_options(const Config& config) {
  api::ReadinessOptions options;
  auto stall = positive_seconds(config, "api", "readiness_max_loop_stall", 30);
  if (!stall) return stall.error();
  options.max_loop_stall = *stall;
  auto db = positive_seconds(config, "api", "readiness_db_timeout", 2);
  if (!db) return db.error();
  options.db_timeout = *db;
  return options;
}

Result<size_t> executor_threads(const Config& config) {
  auto threads = config.get_int("executor", "threads", 8);
  if (!threads) return threads.error();
  if (*threads < 1 || *threads > 1024) return bad_input("[executor] threads must be between 1 and 1024");
  return static_cast<size_t>(*threads);
}

Result<Runtime> open_runtime(const Config& config) {
  Runtime runtime;
  runtime.config = config;
  const std::string url = config.get_or("database", "connection", "sqlite:///var/bora.db");
  auto db_options = database_options(config);
  if (!db_options) return db_options.error();
  auto db = storage::Database::open(url, *db_options);
  if (!db) return db.error();
  int before = (*db)->schema_version();
  auto upgrade = config.get_bool("database", "upgrade_on_start", true);
  if (!upgrade) return upgrade.error();
  if (*upgrade) {
    auto ran = (*db)->upgrade();
    if (!ran) return ran.error();
    if (*ran > 0) {
      log::info("storage", "database {} migrated from schema version {} to {}", url, before,
                (*db)->schema_version());
    }
  }
  runtime.db = std::move(db).value();
  const bool schema_current = runtime.db->schema_version() == runtime.db->latest_schema_version();
  if (!schema_current) {
    log::warning("storage",
                 "database {} is at schema version {}, this binary needs {}: no engine runs and GET /readyz "
                 "answers 503 until 'bora db upgrade' and a restart ([database] upgrade_on_start = false)",
                 url, runtime.db->schema_version(), runtime.db->latest_schema_version());
  }
  if (schema_current) {
    // What `mistral-db-manage populate` registers (services/preinstalled_actions).
    auto populated = runtime.db->write([&](storage::Transaction& tx) {
      return services::register_preinstalled_actions(tx, config.get_or("api", "default_project", "<default-project>"));
    });
    // Another node starting at the same time registered them first.
    if (!populated && populated.error().kind != ErrorKind::Conflict) return populated.error();
    if (populated && *populated > 0)
      log::info("storage", "{} preinstalled action(s) registered (std.wait_ssh)", *populated);
  }
  auto threads = executor_threads(config);
  if (!threads) return threads.error();
  runtime.executor = std::make_unique<executor::Executor>(*threads);
  auto reach = apply_reach_options(config);
  if (!reach) return reach.error();
  if (schema_current) {
    // mistral-extra's workflows, when the actions they call are loaded
    // (services/preinstalled_workflows): after the packs, which
    // apply_reach_options loads.
    auto populated = runtime.db->write([&](storage::Transaction& tx) {
      return services::register_preinstalled_workflows(
          tx, config.get_or("api", "default_project", "<default-project>"),
          [](std::string_view action) { return executor::find_plugin_action(action) != nullptr; });
    });
    if (!populated && populated.error().kind != ErrorKind::Conflict) return populated.error();
    if (populated && *populated > 0)
      log::info("storage", "{} preinstalled workflow(s) registered or removed (create_instance, delete_instance)",
                *populated);
  }
  auto limits = expression_limits(config);
  if (!limits) return limits.error();
  runtime.expressions = std::make_unique<expr::MistralExpressions>(*limits);
  auto engine_opts = engine_options(config);
  if (!engine_opts) return engine_opts.error();
  engine::EngineOptions options = *engine_opts;
  // Every server registers (alone on SQLite, the registry only lists it);
  // `bora run` does not: it is alone whatever its database.
  options.cluster.register_node = true;
  auto attempts = config.get_int("engine", "max_recovery_attempts", 3);
  if (!attempts) return attempts.error();
  if (*attempts < 1 || *attempts > 1000) return bad_input("[engine] max_recovery_attempts must be between 1 and 1000");
  options.max_recovery_attempts = *attempts;
  auto notify = services::notify_publishers_from_config(config);
  if (!notify) return notify.error();
  options.notify = *notify;
  auto auth = identity::auth_settings(config);
  if (!auth) return auth.error();
  runtime.auth = *auth;
  if (auth->enabled && auth->type == "keystone") {
    runtime.keystone = std::make_shared<identity::KeystoneClient>(auth->keystone);
    log::info("identity", "API calls are authenticated with Keystone at {} (token cache {} s)",
              auth->keystone.auth_url, auth->keystone.token_cache_time.count());
  }
  options.complete_security = identity::security_resolver(
      runtime.keystone, {auth->keystone.www_authenticate_uri, auth->keystone.cafile, auth->keystone.region_name,
                         auth->keystone.insecure});
  if (schema_current)
    runtime.engine = std::make_unique<engine::Engine>(*runtime.db, *runtime.executor, *runtime.expressions, options);
  auto deletion = config.get_bool("api", "allow_action_execution_deletion", false);
  if (!deletion) return deletion.error();
  auto sharing = config.get_bool("api", "resource_sharing_without_auth", false);
  if (!sharing) return sharing.error();
  auto python_code = config.get_bool("python_actions", "code_sources", false);
  if (!python_code) return python_code.error();
  auto readiness = readiness_options(config);
  if (!readiness) return readiness.error();
  runtime.readiness = std::make_unique<api::Readiness>(*runtime.db, runtime.engine.get(), *readiness);
  runtime.api = std::make_unique<api::ApiContext>(
      api::ApiContext{.db = *runtime.db,
                      .engine = runtime.engine.get(),
                      .allow_action_execution_deletion = *deletion,
                      .resource_sharing = auth->enabled || *sharing,
                      .python_code_sources = auth->enabled || *python_code,
                      .readiness = runtime.readiness.get(),
                      .serve_metrics = true,
                      .metrics_require_auth = false,
                      .events = nullptr,
                      .event_stream_options = {},
                      .event_stream = nullptr,
                      .policy = nullptr,
                      .keystone = nullptr});
  auto metrics = metrics_options(config);
  if (!metrics) return metrics.error();
  apply_metrics_options(*metrics, *runtime.api);
  auto stream = event_stream_options(config);
  if (!stream) return stream.error();
  runtime.api->event_stream_options = *stream;
  auto policy = identity::policy_options_from_config(config, "");
  if (!policy) return policy.error();
  auto enforcer = identity::PolicyEnforcer::open(*policy);
  if (!enforcer) return enforcer.error();
  runtime.api->policy = std::move(enforcer).value();
  // The engine's event log feeds the stream routes (none without an engine).
  if (runtime.engine) runtime.api->events = &runtime.engine->events();
  runtime.api->keystone = runtime.keystone;
  return runtime;
}

Result<api::EventStreamOptions> event_stream_options(const Config& config) {
  api::EventStreamOptions o;
  auto heartbeat = config.get_int("api", "event_stream_heartbeat", 15);
  if (!heartbeat) return heartbeat.error();
  if (*heartbeat < 1 || *heartbeat > 3600) {
    return bad_input("[api] event_stream_heartbeat must be between 1 and 3600 seconds");
  }
  o.heartbeat = std::chrono::seconds(*heartbeat);
  auto queue = config.get_int("api", "event_stream_max_queue", 1000);
  if (!queue) return queue.error();
  if (*queue < 1 || *queue > 1000000) return bad_input("[api] event_stream_max_queue must be between 1 and 1000000");
  o.max_queue = static_cast<size_t>(*queue);
  auto subscribers = config.get_int("api", "event_stream_max_subscribers", 10000);
  if (!subscribers) return subscribers.error();
  if (*subscribers < 0) return bad_input("[api] event_stream_max_subscribers must be 0 or more");
  o.max_subscribers = static_cast<size_t>(*subscribers);
  auto poll = config.get_int("api", "event_stream_poll_interval", 500);
  if (!poll) return poll.error();
  if (*poll < 0 || *poll > 60000) {
    return bad_input("[api] event_stream_poll_interval must be between 0 (never) and 60000 milliseconds");
  }
  o.poll_interval = std::chrono::milliseconds(*poll);
  auto gap = config.get_int("api", "event_stream_gap_wait", 2000);
  if (!gap) return gap.error();
  if (*gap < 0 || *gap > 60000) {
    return bad_input("[api] event_stream_gap_wait must be between 0 (never wait) and 60000 milliseconds");
  }
  o.gap_wait = std::chrono::milliseconds(*gap);
  return o;
}

Result<void> start_notifier(Runtime& runtime) {
  if (!runtime.engine) return {};  // no engine (an old schema): nothing to deliver
  auto options = services::notifier_options_from_config(runtime.config);
  if (!options) return options.error();
  runtime.notifier = std::make_unique<services::Notifier>(*runtime.db, runtime.engine->events(), *options);
  return {};
}

Result<void> apply_reach_options(const Config& config) {
  auto reach = executor::reach_options_from_config(config);
  if (!reach) return reach.error();
  if (!reach->denied_networks.empty()) {
    std::string list;
    for (const auto& n : reach->denied_networks) list += (list.empty() ? "" : ", ") + n.text;
    log::info("executor", "actions may not connect to {}", list);
  }
  executor::set_reach_options(std::move(reach).value());
  // What an action may produce or allocate (executor/action_limits.h):
  // process-wide like the reach, for the same reason.
  auto limits = executor::action_limits_from_config(config);
  if (!limits) return limits.error();
  executor::set_action_limits(*limits);
  // Action packs, once the limits their HTTP obeys are known.
  auto packs = executor::load_plugins(config);
  if (!packs) return packs.error();
  return {};
}

}  // namespace bora::cli
