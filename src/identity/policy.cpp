#include "bora/identity/policy.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
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

// The files of the policy_dirs, in oslo.policy's order: each folder's
// regular files sorted by name, those starting with a dot skipped.
std::vector<std::string> dir_files(const std::vector<std::string>& dirs) {
  std::vector<std::string> out;
  for (const auto& dir : dirs) {
    std::vector<std::string> names;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      if (!it->is_regular_file(ec)) continue;
      names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    for (const auto& n : names) out.push_back((std::filesystem::path(dir) / n).string());
  }
  return out;
}

// What tells that a policy_dirs file was added, removed or changed.
std::string dirs_stamp(const std::vector<std::string>& dirs) {
  std::string stamp;
  for (const auto& f : dir_files(dirs)) {
    FileStamp s = stamp_of(f);
    stamp += fmt::format("{}\n{}\n{}\n", f, s.mtime_ns, s.size);
  }
  return stamp;
}

// One file's rules merged over `rules`.
Result<void> merge_rules_file(PolicyRules& rules, const std::string& path) {
  auto text = read_text_file(path, 4 * 1024 * 1024);
  if (!text) return text.error();
  auto doc = parse_yaml(*text);
  if (!doc) return bad_input(fmt::format("policy file {}: {}", path, doc.error().message));
  if (doc->is_null()) return {};  // an empty file overrides nothing
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
  return {};
}

// Mistral's defaults, the policy_file's rules over them, then the
// policy_dirs' files' (oslo.policy's load_rules).
Result<PolicyRules> read_rules(const std::string& path, const std::vector<std::string>& dirs = {}) {
  PolicyRules rules = default_rules();
  std::vector<std::string> files;
  if (!path.empty()) files.push_back(path);
  for (auto& f : dir_files(dirs)) files.push_back(std::move(f));
  for (const auto& f : files)
    if (auto ok = merge_rules_file(rules, f); !ok) return ok.error();
  if (!files.empty()) warn_unknown_references(rules, path.empty() ? files.back() : path);
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
  // [oslo_policy] policy_dirs (a list; oslo's default policy.d): each found
  // as oslo.config's find_file finds it (beside the configuration, or
  // absolute); one that is not there is skipped, as oslo.policy skips it.
  std::string dirs_text = config.get_or("oslo_policy", "policy_dirs", "policy.d");
  for (size_t start = 0; start <= dirs_text.size();) {
    size_t comma = dirs_text.find(',', start);
    std::string item = dirs_text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? dirs_text.size() + 1 : comma + 1;
    size_t a = item.find_first_not_of(" \t"), b = item.find_last_not_of(" \t");
    if (a == std::string::npos) continue;
    std::filesystem::path d(item.substr(a, b - a + 1));
    if (!d.is_absolute()) {
      if (config_dir.empty()) continue;
      d = std::filesystem::path(config_dir) / d;
    }
    if (std::filesystem::is_directory(d, ec)) o.policy_dirs.push_back(d.string());
  }
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
  for (const auto& d : e->options_.policy_dirs) log::info("policy", "rules from the files of {} over those", d);
  return e;
}

std::shared_ptr<PolicyEnforcer> PolicyEnforcer::defaults() { return open(PolicyOptions{}).value(); }

Result<void> PolicyEnforcer::load() {
  FileStamp before = stamp_of(options_.policy_file);
  std::string dirs_before = dirs_stamp(options_.policy_dirs);
  auto rules = read_rules(options_.policy_file, options_.policy_dirs);
  if (!rules) return rules.error();
  std::lock_guard lock(mutex_);
  rules_ = std::make_shared<const PolicyRules>(std::move(rules).value());
  file_mtime_ns_ = before.mtime_ns;
  file_size_ = before.size;
  dirs_stamp_ = std::move(dirs_before);
  next_check_ = std::chrono::steady_clock::now() + options_.recheck_interval;
  return {};
}

Result<void> PolicyEnforcer::reload() {
  auto r = load();
  if (!r) log::error("policy", "{}; the rules in force stay", r.error().message);
  return r;
}

void PolicyEnforcer::reload_if_changed() const {
  if (options_.policy_file.empty() && options_.policy_dirs.empty()) return;
  {
    std::lock_guard lock(mutex_);
    auto now = std::chrono::steady_clock::now();
    if (now < next_check_) return;
    next_check_ = now + options_.recheck_interval;
    FileStamp s = stamp_of(options_.policy_file);
    std::string dirs = dirs_stamp(options_.policy_dirs);
    if (s.mtime_ns == file_mtime_ns_ && s.size == file_size_ && dirs == dirs_stamp_) return;
    // Whatever the outcome, this version of the files is not read again.
    file_mtime_ns_ = s.mtime_ns;
    file_size_ = s.size;
    dirs_stamp_ = std::move(dirs);
  }
  auto rules = read_rules(options_.policy_file, options_.policy_dirs);
  if (!rules) {
    log::error("policy", "{}; the rules in force stay until the file is fixed", rules.error().message);
    return;
  }
  log::info("policy", "{} changed: rules reloaded",
            options_.policy_file.empty() ? "a policy_dirs file" : options_.policy_file);
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
