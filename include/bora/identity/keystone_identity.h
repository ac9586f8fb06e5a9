// identity/keystone_identity: who a validated Keystone token says the caller
// is (keystonemiddleware's token_info, reduced to what Bora uses), and the
// execution's security context built from it: mistral_lib's
// SecurityContext fields, as Mistral keeps them in an execution's
// context['openstack'] and actions see them (context.security).
#pragma once

#include <string>
#include <vector>

#include "bora/core/error.h"
#include "bora/core/time.h"
#include "bora/core/value.h"

namespace bora::identity {

struct KeystoneIdentity {
  std::string user_id, user_name, user_domain_id;
  std::string project_id, project_name, project_domain_id;
  std::vector<std::string> roles;
  Value catalog;           // the v3 catalog list (null when the token has none)
  std::string expires_at;  // as Keystone wrote it
  Timestamp expires{};
  std::string trust_id;    // set for a trust-scoped token
  bool has_role(const std::string& role) const;
};

// The identity in the body of GET /v3/auth/tokens (or POST's answer):
// {"token": {"user": ..., "project": ..., "roles": ..., "catalog": ...}}.
// BadInput when it is not a token or is not project-scoped (Mistral scopes
// every resource to a project).
Result<KeystoneIdentity> identity_from_token_body(const Value& body);

// What an action needs to call OpenStack as the caller (mistral_lib's
// SecurityContext): auth_uri, auth_cacert, insecure, service_catalog,
// region_name, user_id, user_name, project_id, project_name, auth_token,
// trust_id, is_trust_scoped, is_target, expires_at, redelivered.
struct SecurityFields {
  std::string auth_uri, auth_cacert, region_name;
  bool insecure = false;
};
Value security_context(const KeystoneIdentity& id, const std::string& token, const SecurityFields& fields);

// With authentication off: the project (and user, when the client sent
// X-User-Id) from the headers, and no token (security_context.md).
Value anonymous_security_context(const std::string& project_id, const std::string& user_id);

}  // namespace bora::identity
