// identity/keystone_client: Bora's calls to Keystone v3, with its own
// service credentials ([keystone_authtoken] username/password/project):
// validating users' tokens (GET /v3/auth/tokens, X-Subject-Token),
// creating and deleting trusts, and trust-scoped tokens for work that runs
// with no user present (cron triggers). Every call is bounded by
// http_timeout; it blocks its thread, so callers run it on the API's
// handler pool or an executor thread, never on an I/O thread or the
// engine's loop. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "bora/core/error.h"
#include "bora/identity/keystone_identity.h"
#include "bora/identity/keystone_options.h"

namespace bora::identity {

// A token and whom it stands for.
struct IssuedToken {
  std::string token;
  KeystoneIdentity identity;
};

class KeystoneClient {
 public:
  explicit KeystoneClient(KeystoneOptions options);
  virtual ~KeystoneClient() = default;

  // The identity `token` stands for. Unauthorized when Keystone says it is
  // not valid (expired, revoked, unknown); Unavailable when Keystone could
  // not be asked (down, timeout, its own error, Bora's credentials refused).
  // allow_expired: an expired (not revoked) token is still answered, within
  // Keystone's [token] allow_expired_window (keystonemiddleware asks so for
  // a request that carries a service token with a service role).
  virtual Result<KeystoneIdentity> validate(const std::string& token, bool allow_expired = false);

  // A trust from the owner of user_token (the trustor) to Bora's service
  // user (the trustee) on the token's project, with the token's roles and
  // impersonation, as Mistral's security.create_trust(); its id.
  virtual Result<std::string> create_trust(const std::string& user_token, const KeystoneIdentity& trustor);
  // Deletes the trust with user_token (the trustor's or an admin's: Keystone's
  // rule), else with a token scoped to the trust (the trustor, impersonated);
  // a trust already gone is not an error.
  virtual Result<void> delete_trust(const std::string& trust_id, const std::string& user_token);
  // A token scoped to the trust: the trustor's identity (impersonation),
  // cached until shortly before it expires.
  virtual Result<IssuedToken> trust_token(const std::string& trust_id);

  const KeystoneOptions& options() const { return options_; }

  struct HttpAnswer {
    long status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // names lower-cased
  };

 protected:
  // One HTTP exchange with Keystone (tests replace it).
  virtual Result<HttpAnswer> exchange(const std::string& method, const std::string& path,
                                      const std::map<std::string, std::string>& headers, const std::string& body);

 private:
  // Bora's own token (project-scoped), renewed shortly before it expires or
  // when Keystone refused it.
  Result<std::string> service_token(bool renew = false);
  Result<IssuedToken> password_token(const Value& scope);
  // exchange() with Bora's token, renewed once if Keystone says 401.
  Result<HttpAnswer> as_service(const std::string& method, const std::string& path,
                                std::map<std::string, std::string> headers, const std::string& body);
  std::string base_;  // auth_url without a trailing / or /v3

  KeystoneOptions options_;
  std::mutex mutex_;
  std::optional<IssuedToken> service_;
  std::map<std::string, IssuedToken> trust_tokens_;  // trust id -> token
};

}  // namespace bora::identity
