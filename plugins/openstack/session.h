// plugins/openstack/session: who the action calls the cloud as, and where:
// the execution's security context (mistral-lib's SecurityContext, which
// carries the target cloud's values when the execution was started with
// Mistral's X-Target-* headers: is_target, the target's token, catalog and
// auth URL), the service catalog, and the endpoint of a service type in a
// region and interface, as mistral-extra's keystone utils choose it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bora/plugin.h"
#include "json_util.h"

namespace bora_openstack {

struct PackConfig {
  std::string interface = "public";  // [openstack] interface: public, internal or admin
  std::string default_region;        // [openstack] default_region
  double timeout = 60;               // [openstack] timeout: seconds per HTTP request
  // [openstack] test_security_context: TEST ONLY. A JSON file holding a
  // security context used when the execution's own has no auth_token (so
  // the pack can be tested before identity is wired in). Never set it in
  // production: every execution would call the cloud as that identity.
  std::string test_security_context;
};

struct Endpoint {
  std::string url;
  std::string error;  // why none was found (Mistral's words)
};

class Session {
 public:
  // security: the "security" object of the action's context.
  Session(const bora_host* host, const bora_run_control* control, const PackConfig& config, const Json& security);

  // Empty when usable; otherwise why not.
  const std::string& problem() const { return problem_; }
  const std::string& token() const { return token_; }
  bool insecure() const { return insecure_; }
  const std::string& cacert() const { return cacert_; }

  // The endpoint of the first of `types` the catalog has, in `region`
  // (empty: the context's, else [openstack] default_region, else any).
  Endpoint endpoint(const std::vector<std::string>& types, const std::string& region, const std::string& name_for_errors);

  // One HTTP exchange through the host (reach rules apply). Returns the
  // host's answer: {"status", "reason", "headers", "body"} or {"error"}.
  // The body (none: nullptr) is written once, into the request for the
  // host: a large upload is not copied on the way (docs/ACTIONS.md).
  void http(const std::string& method, const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
            const std::string_view* body, Doc& answer, bool follow_redirects = false);

  const bora_host* host() const { return host_; }
  const bora_run_control* control() const { return control_; }

 private:
  void fetch_catalog();

  const bora_host* host_;
  const bora_run_control* control_;
  PackConfig config_;
  Doc security_;
  Doc catalog_;  // a list of {"type", "endpoints": [...]}
  std::string token_, auth_uri_, region_, project_id_, cacert_, problem_;
  bool insecure_ = false;
};

}  // namespace bora_openstack
