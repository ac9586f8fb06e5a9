// identity/policy: Mistral's policy enforcement (mistral/api/access_control.py
// over oslo.policy's Enforcer). Mistral's defaults (policy_defaults.h), with
// the rules of `[oslo_policy] policy_file` (YAML or JSON) merged over them;
// the file is read again when it changes (oslo compares its mtime on every
// check; Bora looks at most once a second) and on SIGHUP (reload()).
//
// One enforcer serves every request thread: checks read an immutable rule
// set, a reload swaps it.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>
#include <string_view>

#include "bora/core/config.h"
#include "bora/core/error.h"
#include "bora/core/value.h"
#include "bora/identity/policy_rule.h"

namespace bora::identity {

// Mistral's NotAllowedException text: what a denied call answers (403).
inline constexpr const char* kPolicyDeniedMessage = "Operation forbidden (insufficient permissions)";

struct PolicyOptions {
  // The file of overrides; empty: Mistral's defaults only.
  std::string policy_file;
  // Set explicitly ([oslo_policy] policy_file): a missing file is an error.
  // The default name (policy.yaml beside the configuration) may be absent.
  bool file_required = false;
  // [oslo_policy] policy_default_rule: the rule checked for a name no rule
  // defines (oslo's "default"; absent too: deny).
  std::string default_rule = "default";
  // [oslo_policy] policy_dirs (default policy.d) found beside the
  // configuration or absolute: every file in them (sorted by name, dot
  // files skipped) is read after policy_file, each over the ones before.
  std::vector<std::string> policy_dirs;
  // How often a check may look at the files' mtimes.
  std::chrono::milliseconds recheck_interval{1000};
};

// [oslo_policy] policy_file and policy_default_rule. A relative policy_file
// is looked for in config_dir (the configuration file's folder), as
// oslo.config looks in its config dirs, then in the working directory.
Result<PolicyOptions> policy_options_from_config(const Config& config, const std::string& config_dir);

// A caller as oslo.context's to_policy_values() shows it to the rules,
// plus Mistral's is_admin.
struct PolicyCredentials {
  std::string user_id;
  std::string project_id;
  std::vector<std::string> roles;
  bool is_admin = false;
  std::string user_domain_id;
  std::string project_domain_id;
  // The service token's (keystonemiddleware's X-Service-Token), if any.
  std::string service_user_id;
  std::string service_project_id;
  std::vector<std::string> service_roles;

  Value to_value() const;
};

class PolicyEnforcer {
 public:
  // Reads the file when there is one. Errors name the file (line:column for
  // YAML/JSON syntax) or the rule that cannot be parsed.
  static Result<std::shared_ptr<PolicyEnforcer>> open(PolicyOptions options);
  // Mistral's defaults only (tests, route listings).
  static std::shared_ptr<PolicyEnforcer> defaults();

  // Whether `rule` allows the caller on `target` (Mistral's target: the
  // caller's own project_id and user_id, plus what the operation adds).
  bool allowed(std::string_view rule, const Value& target, const PolicyCredentials& caller) const;
  // Forbidden (Mistral's 403 text) when not allowed; the denial is logged
  // with the rule's name, which the answer does not show (as Mistral).
  Result<void> authorize(std::string_view rule, const Value& target, const PolicyCredentials& caller) const;

  // Reads the file again now (SIGHUP). A bad file keeps the rules in force
  // and returns why.
  Result<void> reload();

  // The rules in force (defaults merged with the file), for tests and logs.
  std::shared_ptr<const PolicyRules> rules() const;
  const PolicyOptions& options() const { return options_; }

 private:
  explicit PolicyEnforcer(PolicyOptions options) : options_(std::move(options)) {}
  Result<void> load();
  void reload_if_changed() const;

  PolicyOptions options_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const PolicyRules> rules_;  // swapped by a reload seen during a check
  // The file as last read: its mtime and size (oslo's cache key is the mtime).
  mutable std::chrono::steady_clock::time_point next_check_{};
  mutable long long file_mtime_ns_ = -1;
  mutable long long file_size_ = -1;
  mutable std::string dirs_stamp_;  // the policy_dirs' files, names, mtimes and sizes
};

}  // namespace bora::identity
