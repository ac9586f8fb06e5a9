// identity/keystone_auth: the authentication step of an API call with
// Keystone on, as keystonemiddleware's auth_token and Mistral's AuthHook
// do it: X-Auth-Token validated (through the cache), the caller's
// identity and security context taken from Keystone's answer, never from
// the client's X-Project-Id/X-Roles. It blocks on Keystone when the token
// is not cached: run it on the handler pool.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "bora/core/error.h"
#include "bora/identity/keystone_client.h"
#include "bora/identity/token_cache.h"

namespace bora::identity {

struct Authenticated {
  KeystoneIdentity identity;
  bool is_admin = false;
  Value security;  // the security context (keystone_identity.h)
  // Whom the X-Service-Token stands for, when the request carried a valid
  // one (oslo.context's service_user_id, service_project_id, service_roles).
  std::optional<KeystoneIdentity> service;
};

class KeystoneAuth {
 public:
  explicit KeystoneAuth(std::shared_ptr<KeystoneClient> client);

  // headers: lower-cased names. Unauthorized (no token, or Keystone refused
  // it), Unavailable (Keystone could not say), or who is calling.
  // X-Service-Token, when present, is validated like the user token, as
  // keystonemiddleware does: refused (or, with service_token_roles_required,
  // holding none of service_token_roles) it makes the request 401 however
  // good the user token is; holding one of those roles it lets the user
  // token be an expired one (not a revoked one).
  Result<Authenticated> authenticate(const std::map<std::string, std::string>& headers);

  // `WWW-Authenticate: Keystone uri="..."`'s value (keystonemiddleware's).
  std::string challenge() const;
  KeystoneClient& client() { return *client_; }

 private:
  // Keystone's answer for token, through the cache. allow_expired asks
  // Keystone again when the cache holds a refusal (it may have been "expired").
  Result<KeystoneIdentity> lookup(const std::string& token, bool allow_expired);
  std::shared_ptr<KeystoneClient> client_;
  TokenCache cache_;
};

}  // namespace bora::identity
