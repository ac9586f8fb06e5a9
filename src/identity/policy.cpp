#include "bora/identity/policy.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <filesystem>

#include "bora/core/file.h"
#include "bora/core/log.h"
#include "bora/core/yaml.h"
#include "bora/identity/policy_defaults.h"

namespace bora::identity {

namespace {

constexpr const char* kDefaultPolicyFile = "policy.yaml";

struct FileStamp {
  long long mtime_ns = -1;  // -1: no file
  long long size = -1;
};

FileStamp stamp_of(const std::string& path) {
  struct stat st {};
  if (path.empty() || ::stat(path.c_str(), &st) != 0) return {};
  return {static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec,
          static_cast<long long>(st.st_size)};
}

PolicyRules default_rules() {
  PolicyRules rules;
  for (const auto& d : mistral_policy_defaults()) rules.emplace(d.name, parse_policy_rule(d.name, d.check).value());
  return rules;
}

// `rule:x` checks naming no rule deny; say so once per load, as the
// operator most likely mistyped a name.
void collect_references(const PolicyCheck& c, std::vector<std::string>& out) {
  if (c.kind == PolicyCheck::Kind::Rule) out.push_back(c.left);
  for (const auto& o : c.operands) collect_references(o, out);
}

void warn_unknown_references(const PolicyRules& rules, const std::string& file) {
  for (const auto& [name, check] : rules) {
    std::vector<std::string> refs;
    collect_references(check, refs);
    for (const auto& r : refs) {
      if (!rules.count(r)) {
        log::warning("policy", "{}: rule '{}' refers to rule:{}, which no rule defines: that check denies", file,
                     name, r);
      }
    }
  }
}

// Mistral's defaults with the file's rules merged over them.
Result<PolicyRules> read_rules(const std::string& path) {
  PolicyRules rules = default_rules();
  if (path.empty()) return rules;
  auto text = read_text_file(path, 4 * 1024 * 1024);
  if (!text) return text.error();
  auto doc = parse_yaml(*text);
  if (!doc) return bad_input(fmt::format("policy file {}: {}", path, doc.error().message));
  if (doc->is_null()) return rules;  // an empty file overrides nothing
  if (!doc->is_dict()) {
    return bad_input(fmt::format("policy file {} must map rule names to rules (\"workflows:create\": "
                                 "\"rule:admin_only\"), not hold a {}",
                                 path, doc->type_name()));
  }
  for (const auto& [name, rule] : doc->as_dict()) {
    auto check = parse_policy_rule_value(name, rule);
    if (!check) return bad_input(fmt::format("policy file {}: {}", path, check.error().message));
    rules.insert_or_assign(name, std::move(check).value());
  }
  warn_unknown_references(rules, path);
  return rules;
}

}  // namespace

Value PolicyCredentials::to_value() const {
  std::vector<Value> role_values, service_role_values;
  for (const auto& r : roles) role_values.emplace_back(r);
  for (const auto& r : service_roles) service_role_values.emplace_back(r);
  auto text_or_none = [](const std::string& s) { return s.empty() ? Value() : Value(s); };
  return Value::dict({{"user_id", text_or_none(user_id)},
                      {"user_domain_id", text_or_none(user_domain_id)},
                      {"system_scope", Value()},
                      {"domain_id", Value()},
                      {"project_id", text_or_none(project_id)},
                      {"project_domain_id", text_or_none(project_domain_id)},
                      {"roles", Value(std::move(role_values))},
                      {"is_admin_project", Value(true)},
                      {"service_user_id", text_or_none(service_user_id)},
                      {"service_user_domain_id", Value()},
                      {"service_project_id", text_or_none(service_project_id)},
                      {"service_project_domain_id", Value()},
                      {"service_roles", Value(std::move(service_role_values))},
                      {"is_admin", Value(is_admin)}});
}

Result<PolicyOptions> policy_options_from_config(const Config& config, const std::string& config_dir) {
  PolicyOptions o;
  auto file = config.get("oslo_policy", "policy_file");
  // oslo.policy's own default names (policy.yaml, and policy.json before
  // it), as Mistral's sample configuration spells them, may be absent:
  // oslo then enforces the rules in code, and so does Bora. Any other name
  // is the operator's file and must exist.
  o.file_required = file.has_value() && !file->empty() && *file != kDefaultPolicyFile && *file != "policy.json";
  std::string name = o.file_required ? *file : kDefaultPolicyFile;
  o.default_rule = config.get_or("oslo_policy", "policy_default_rule", "default");
  // The default name is only looked for beside the configuration, so that a
  // stray policy.yaml in the working directory changes nothing; a name given
  // explicitly may also be relative to the working directory.
  std::filesystem::path p(name);
  std::vector<std::filesystem::path> candidates;
  if (p.is_absolute()) {
    candidates.push_back(p);
  } else {
    if (!config_dir.empty()) candidates.push_back(std::filesystem::path(config_dir) / p);
    if (o.file_required) candidates.push_back(p);
  }
  std::error_code ec;
  for (const auto& c : candidates) {
    if (std::filesystem::exists(c, ec)) {
      o.policy_file = c.string();
      return o;
    }
  }
  if (o.file_required) {
    return bad_input(fmt::format("[oslo_policy] policy_file {} was not found{}; give an existing YAML or JSON file, "
                                 "or remove the option to use Mistral's default rules",
                                 name, config_dir.empty() ? "" : " (looked in " + config_dir + " and the working directory)"));
  }
  return o;
}

Result<std::shared_ptr<PolicyEnforcer>> PolicyEnforcer::open(PolicyOptions options) {
  std::shared_ptr<PolicyEnforcer> e(new PolicyEnforcer(std::move(options)));
  auto loaded = e->load();
  if (!loaded) return loaded.error();
  if (!e->options_.policy_file.empty()) log::info("policy", "rules from {} over Mistral's defaults", e->options_.policy_file);
  return e;
}

std::shared_ptr<PolicyEnforcer> PolicyEnforcer::defaults() { return open(PolicyOptions{}).value(); }

Result<void> PolicyEnforcer::load() {
  FileStamp before = stamp_of(options_.policy_file);
  auto rules = read_rules(options_.policy_file);
  if (!rules) return rules.error();
  std::lock_guard lock(mutex_);
  rules_ = std::make_shared<const PolicyRules>(std::move(rules).value());
  file_mtime_ns_ = before.mtime_ns;
  file_size_ = before.size;
  next_check_ = std::chrono::steady_clock::now() + options_.recheck_interval;
  return {};
}

Result<void> PolicyEnforcer::reload() {
  auto r = load();
  if (!r) log::error("policy", "{}; the rules in force stay", r.error().message);
  return r;
}

void PolicyEnforcer::reload_if_changed() const {
  if (options_.policy_file.empty()) return;
  {
    std::lock_guard lock(mutex_);
    auto now = std::chrono::steady_clock::now();
    if (now < next_check_) return;
    next_check_ = now + options_.recheck_interval;
    FileStamp s = stamp_of(options_.policy_file);
    if (s.mtime_ns == file_mtime_ns_ && s.size == file_size_) return;
    // Whatever the outcome, this version of the file is not read again.
    file_mtime_ns_ = s.mtime_ns;
    file_size_ = s.size;
  }
  auto rules = read_rules(options_.policy_file);
  if (!rules) {
    log::error("policy", "{}; the rules in force stay until the file is fixed", rules.error().message);
    return;
  }
  log::info("policy", "{} changed: rules reloaded", options_.policy_file);
  std::lock_guard lock(mutex_);
  rules_ = std::make_shared<const PolicyRules>(std::move(rules).value());
}

std::shared_ptr<const PolicyRules> PolicyEnforcer::rules() const {
  reload_if_changed();
  std::lock_guard lock(mutex_);
  return rules_;
}

bool PolicyEnforcer::allowed(std::string_view rule, const Value& target, const PolicyCredentials& caller) const {
  auto rules = this->rules();
  auto it = rules->find(rule);
  if (it == rules->end()) it = rules->find(options_.default_rule);
  if (it == rules->end()) return false;
  return evaluate_policy(it->second, target, caller.to_value(), *rules);
}

Result<void> PolicyEnforcer::authorize(std::string_view rule, const Value& target,
                                       const PolicyCredentials& caller) const {
  if (allowed(rule, target, caller)) return {};
  std::string roles;
  for (const auto& r : caller.roles) roles += (roles.empty() ? "" : ",") + r;
  log::info("policy", "{} denied to project {} user {} (roles: {})", rule,
            caller.project_id.empty() ? "-" : caller.project_id, caller.user_id.empty() ? "-" : caller.user_id,
            roles.empty() ? "none" : roles);
  return Error{ErrorKind::Forbidden, kPolicyDeniedMessage};
}

}  // namespace bora::identity
