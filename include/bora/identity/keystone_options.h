// identity/keystone_options: how Bora authenticates API calls, read from the
// configuration with mistral.conf's own names, so that an operator's
// existing file works: [pecan] auth_enable (or [api] auth_enable),
// auth_type in [DEFAULT] (Mistral's place) or [auth], and
// [keystone_authtoken] with keystonemiddleware's option names.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "bora/core/config.h"
#include "bora/core/error.h"

namespace bora::identity {

struct KeystoneOptions {
  // What clients are told to authenticate against (WWW-Authenticate), and
  // the auth_uri of an execution's security context.
  std::string www_authenticate_uri;
  // Where Bora gets its own service token (password credentials below) and
  // validates users' tokens: Keystone's root or its /v3.
  std::string auth_url;
  std::string username, password, project_name;
  std::string user_domain_name = "Default", project_domain_name = "Default";
  std::string user_domain_id, project_domain_id;  // used instead of the names when set
  std::string region_name;
  std::string cafile;
  bool insecure = false;
  // A validated token is trusted this long (or until it expires, if
  // sooner): a revoked token stops working within this time.
  std::chrono::seconds token_cache_time{300};
  // How many validated tokens the cache keeps (least recently used out).
  size_t token_cache_entries = 10000;
  // Each call to Keystone must answer within this time, else 503.
  std::chrono::milliseconds http_timeout{5000};
  // Roles that make a caller Mistral's admin (context.is_admin).
  std::vector<std::string> admin_roles{"admin"};
  // keystonemiddleware's service tokens (X-Service-Token, sent by another
  // OpenStack service acting for a user): a service token holding one of
  // these roles may present a user token that has expired (Keystone is
  // asked with allow_expired). With service_token_roles_required (as
  // keystonemiddleware's current default), a service token without one of
  // them is refused (401); without it, any valid token is accepted as a
  // service token but only role holders get the expired-user-token leeway.
  std::vector<std::string> service_token_roles{"service"};
  bool service_token_roles_required = true;
};

struct AuthSettings {
  bool enabled = false;
  std::string type = "keystone";  // or keycloak-oidc (the policy helper's OIDC)
  KeystoneOptions keystone;
};

// The settings in `config`; BadInput naming the option when one is wrong
// (auth on without [keystone_authtoken] auth_url, a bad number...).
Result<AuthSettings> auth_settings(const Config& config);

// Options of a Mistral configuration that Bora reads for authentication
// (so that they are not reported as unknown): "section.name".
const std::vector<std::string>& identity_option_names();

}  // namespace bora::identity
