#include "bora/core/config.h"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace bora {

namespace {

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string key_of(const std::string& section, const std::string& name) { return section + "." + name; }

std::string env_name(const std::string& section, const std::string& name) {
  std::string out = "BORA_";
  for (char c : section + "_" + name)
    out += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Result<Config> Config::parse(std::string_view text, const std::string& origin) {
  Config cfg;
  std::string section;
  std::istringstream in{std::string(text)};
  std::string raw;
  int line_no = 0;
  std::string last_name;  // the option an indented line continues (oslo.config's multi-line values)
  while (std::getline(in, raw)) {
    ++line_no;
    std::string line = trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (!last_name.empty() && (raw[0] == ' ' || raw[0] == '\t')) {
      cfg.set(section, last_name, *cfg.get(section, last_name) + "\n" + line);
      continue;
    }
    last_name.clear();
    if (line.front() == '[') {
      if (line.back() != ']') {
        return bad_input(origin + ":" + std::to_string(line_no) + ": a section header must look like [name]");
      }
      section = trim(std::string_view(line).substr(1, line.size() - 2));
      continue;
    }
    size_t eq = line.find('=');
    if (eq == std::string::npos) {
      return bad_input(origin + ":" + std::to_string(line_no) + ": expected 'name = value', got '" + line + "'");
    }
    if (section.empty()) {
      return bad_input(origin + ":" + std::to_string(line_no) +
                       ": option outside a section; put it under a [section] header");
    }
    last_name = trim(std::string_view(line).substr(0, eq));
    cfg.set(section, last_name, trim(std::string_view(line).substr(eq + 1)));
  }
  return cfg;
}

Result<Config> Config::load_file(const std::string& path) {
  std::ifstream f(path);
  if (!f) return not_found("cannot read configuration file " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  return parse(ss.str(), path);
}

void Config::apply_environment() {
  for (auto& [key, value] : values_) {
    size_t dot = key.find('.');
    if (const char* v = std::getenv(env_name(key.substr(0, dot), key.substr(dot + 1)).c_str())) value = v;
  }
}

void Config::set(const std::string& section, const std::string& name, std::string value) {
  values_[key_of(section, name)] = std::move(value);
}

std::optional<std::string> Config::get(const std::string& section, const std::string& name) const {
  auto it = values_.find(key_of(section, name));
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Config::get_or(const std::string& section, const std::string& name, std::string fallback) const {
  auto v = get(section, name);
  return v ? *v : std::move(fallback);
}

Result<long> Config::get_int(const std::string& section, const std::string& name, long fallback) const {
  auto v = get(section, name);
  if (!v || v->empty()) return fallback;
  char* end = nullptr;
  long n = std::strtol(v->c_str(), &end, 10);
  if (*end != '\0') {
    return bad_input("configuration option [" + section + "] " + name + " must be an integer, got '" + *v + "'");
  }
  return n;
}

Result<bool> Config::get_bool(const std::string& section, const std::string& name, bool fallback) const {
  auto v = get(section, name);
  if (!v || v->empty()) return fallback;
  std::string s;
  for (char c : *v) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s == "true" || s == "yes" || s == "on" || s == "1") return true;
  if (s == "false" || s == "no" || s == "off" || s == "0") return false;
  return bad_input("configuration option [" + section + "] " + name + " must be true or false, got '" + *v + "'");
}

std::vector<std::string> Config::get_list(const std::string& section, const std::string& name) const {
  std::vector<std::string> out;
  auto v = get(section, name);
  if (!v) return out;
  size_t start = 0;
  while (start <= v->size()) {
    size_t end = v->find_first_of(",\n", start);
    if (end == std::string::npos) end = v->size();
    if (auto item = trim(std::string_view(*v).substr(start, end - start)); !item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

Config default_config() {
  Config c;
  c.set("api", "host", "127.0.0.1");
  c.set("api", "port", "8989");
  c.set("api", "workers", "2");
  c.set("api", "handler_threads", "32");
  c.set("api", "max_body_size", "10485760");
  c.set("api", "max_header_size", "65536");
  // Connection limits (api/connection_limits.h), seconds and a count.
  c.set("api", "header_read_timeout", "10");
  c.set("api", "body_read_timeout", "10");
  c.set("api", "keepalive_timeout", "30");
  c.set("api", "write_timeout", "60");
  c.set("api", "max_connections", "500");
  c.set("api", "default_project", "<default-project>");
  c.set("api", "allow_action_execution_deletion", "false");
  // Health and shutdown (docs/OPERATIONS.md, "Health"), seconds.
  c.set("api", "shutdown_timeout", "30");
  c.set("api", "readiness_max_loop_stall", "30");
  c.set("api", "readiness_db_timeout", "2");
  // The live event stream (api/event_stream.h): seconds, events, clients.
  c.set("api", "event_stream_heartbeat", "15");
  c.set("api", "event_stream_max_queue", "1000");
  c.set("api", "event_stream_max_subscribers", "10000");
  c.set("api", "event_stream_poll_interval", "500");
  c.set("api", "event_stream_gap_wait", "2000");
  c.set("database", "connection", "sqlite:///var/bora.db");
  c.set("database", "upgrade_on_start", "true");
  // A database server (MySQL/MariaDB): pool and retries (docs/LIMITS.md).
  c.set("database", "max_pool_size", "16");
  c.set("database", "pool_timeout", "30");
  c.set("database", "db_max_retries", "20");
  c.set("database", "db_retry_interval_ms", "50");
  c.set("database", "db_max_retry_interval", "2");
  c.set("executor", "threads", "8");
  c.set("executor", "denied_networks", "");
  c.set("executor", "deny_own_api_port", "false");
  c.set("executor", "ssh_private_key_dir", "~/.ssh");
  c.set("expressions", "regex_match_limit", "10000000");
  c.set("expressions", "regex_heap_limit_kb", "65536");
  c.set("expressions", "regex_time_limit_ms", "5000");
  c.set("expressions", "regex_cache_entries", "256");
  c.set("expressions", "template_cache_entries", "10000");
  c.set("expressions", "max_depth", "200");
  c.set("engine", "max_recovery_attempts", "3");
  c.set("definitions", "max_bytes", "16777216");
  c.set("definitions", "max_nodes", "1000000");
  c.set("definitions", "max_depth", "100");
  c.set("expressions", "max_steps", "10000000");
  c.set("expressions", "max_value_bytes", "268435456");
  c.set("expressions", "max_time_ms", "10000");
  c.set("engine", "max_with_items", "100000");
  c.set("engine", "with_items_window", "10000");
  c.set("engine", "with_items_batch", "200");
  c.set("engine", "max_adhoc_depth", "100");
  c.set("engine", "execution_field_size_limit_kb", "1024");
  c.set("engine", "spec_cache_size", "1000");
  c.set("engine", "compute_workers", "2");
  c.set("engine", "evaluation_slice_ms", "20");
  // Several nodes on one database (docs/STORAGE.md "Several nodes").
  c.set("cluster", "node_id", "");
  c.set("cluster", "heartbeat_interval", "5");
  c.set("cluster", "lease_seconds", "30");
  c.set("action_heartbeat", "first_heartbeat_timeout", "3600");
  c.set("api", "resource_sharing_without_auth", "false");
  c.set("logging", "level", "info");
  c.set("logging", "format", "text");
  c.set("logging", "workflow_trace", "false");
  c.set("logging", "workflow_trace_level", "info");
  c.set("tracing", "enabled", "false");
  c.set("tracing", "otlp_endpoint", "http://127.0.0.1:4318");
  c.set("tracing", "service_name", "bora");
  c.set("tracing", "sample_ratio", "1.0");
  c.set("tracing", "max_queue", "2048");
  c.set("tracing", "batch_size", "512");
  c.set("tracing", "export_timeout_ms", "10000");
  c.set("executor", "http_max_response_kb", "262144");
  c.set("executor", "ssh_max_output_kb", "65536");
  c.set("executor", "javascript_heap_mb", "256");
  // Action packs (docs/ACTIONS.md): none loaded until folders are named.
  c.set("executor", "plugin_dirs", "");
  c.set("executor", "trusted_plugins", "");
  // Mistral custom actions in Python (docs/ACTIONS.md, "Python packs"): no
  // interpreter is started until something is named to load.
  c.set("python_actions", "modules", "");
  c.set("python_actions", "actions", "");
  c.set("python_actions", "entry_points", "false");
  c.set("python_actions", "path", "");
  c.set("python_actions", "python", "/usr/bin/python3");
  c.set("python_actions", "start_timeout", "30");
  c.set("python_actions", "code_sources", "false");
  c.set("python_actions", "class_timeout", "5");
  // The OpenStack pack's options (plugins/openstack, docs/ACTIONS.md).
  c.set("openstack", "interface", "public");
  c.set("openstack", "default_region", "");
  c.set("openstack", "timeout", "60");
  // Mistral's [execution_expiration_policy]: off until an interval is set.
  c.set("execution_expiration_policy", "evaluation_interval", "");
  c.set("execution_expiration_policy", "older_than", "");
  c.set("execution_expiration_policy", "max_finished_executions", "0");
  c.set("execution_expiration_policy", "batch_size", "0");
  c.set("execution_expiration_policy", "ignored_states", "");
  // GET /metrics (docs/OPERATIONS.md, "Metrics").
  c.set("metrics", "enabled", "true");
  c.set("metrics", "require_auth", "false");
  c.set("metrics", "listen", "");
  c.set("metrics", "max_label_values", "1000");
  // Mistral's notifier (docs/API.md "Notifications").
  c.set("notifier", "notify", "");
  c.set("notifier", "max_attempts", "5");
  c.set("notifier", "initial_delay", "1");
  c.set("notifier", "max_delay", "60");
  c.set("notifier", "timeout", "10");
  c.set("notifier", "event_retention", "100000");
  c.set("notifier", "claim_lease", "30");
  // Event triggers (docs/ACTIONS.md "Event triggers"): mistral.conf's
  // messaging options. No transport_url: no RabbitMQ listener.
  c.set("DEFAULT", "transport_url", "");
  c.set("oslo_messaging_notifications", "transport_url", "");
  c.set("event_engine", "listener_pool_name", "events");
  c.set("event_engine", "event_definitions_cfg_file", "/etc/mistral/event_definitions.yaml");
  c.set("event_engine", "trigger_refresh_interval", "2");
  c.set("oslo_messaging_rabbit", "amqp_durable_queues", "false");
  c.set("oslo_messaging_rabbit", "amqp_auto_delete", "false");
  c.set("oslo_messaging_rabbit", "rabbit_qos_prefetch_count", "64");
  c.set("oslo_messaging_rabbit", "rabbit_retry_interval", "1");
  c.set("oslo_messaging_rabbit", "rabbit_retry_backoff", "2");
  c.set("oslo_messaging_rabbit", "rabbit_interval_max", "30");
  c.set("oslo_messaging_rabbit", "heartbeat_timeout_threshold", "60");
  // oslo.policy's options (docs/IDENTITY.md "Policy"): no file named means
  // policy.yaml beside the configuration if there is one, else Mistral's defaults.
  c.set("oslo_policy", "policy_file", "");
  c.set("oslo_policy", "policy_default_rule", "default");
  return c;
}

}  // namespace bora
