// identity/oidc: OpenID Connect bearer tokens, Mistral's `keycloak-oidc`
// auth type (mistral/auth/keycloak.py) done locally: the JWT is verified
// against the issuer's published keys (JWKS), fetched once and cached, so
// that a request costs no round trip to the identity provider. As Mistral,
// the project is the Keycloak realm named in the token's `iss`
// (".../realms/<realm>") and the roles are `realm_access.roles`; Bora's own
// options take them from other claims for other issuers.
//
// Key rotation: a token signed with a key id (kid) the cached set lacks
// fetches the set again, at most once per jwks_refetch_interval per realm,
// so a flood of forged kids cannot make Bora hammer the provider.
//
// The fetch is a blocking HTTP GET (bounded by fetch_timeout), done on the
// API's handler pool where verify_bearer is called, never on an I/O thread;
// one fetch at a time, the other callers wait for its result.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bora/core/config.h"
#include "bora/core/error.h"
#include "bora/identity/oidc_jwt.h"

namespace bora::identity {

struct OidcOptions {
  // Mistral's [keycloak_oidc] options.
  std::string auth_url;  // "https://keycloak:8443/auth"
  std::string public_cert_url = "/realms/%s/protocol/openid-connect/certs";
  std::string keycloak_iss;  // "https://keycloak:8443/auth/realms/%s": `iss` must be this
  std::string cafile, certfile, keyfile;
  bool insecure = false;
  // Bora's: `aud` must contain it when set (Mistral checks none).
  std::string audience;
  // A claim path ("tenant", "org.project") for the project; empty: the realm.
  std::string project_claim;
  std::string roles_claim = "realm_access.roles";
  std::string user_claim = "sub";
  // exp/nbf/iat may be off by this much (clock skew); at most 300 s.
  std::chrono::seconds leeway{60};
  std::chrono::seconds jwks_cache_time{3600};
  std::chrono::seconds jwks_refetch_interval{10};
  std::chrono::milliseconds fetch_timeout{5000};
  // Realms whose keys are kept at once (Mistral: an LRU of 32).
  size_t max_realms = 32;
};

// [keycloak_oidc] options; errors name the option.
Result<OidcOptions> oidc_options_from_config(const Config& config);

// Who a verified token says the caller is.
struct OidcIdentity {
  std::string user_id;    // user_claim (sub)
  std::string user_name;  // preferred_username
  std::string project_id;
  std::vector<std::string> roles;
  bool is_admin = false;    // "admin" among the roles, as Mistral's context
  int64_t expires_at = 0;   // exp, seconds since the epoch
};

class OidcVerifier {
 public:
  // GET url -> body, or an error (Unavailable: the provider did not answer).
  using Fetch = std::function<Result<std::string>(const std::string& url)>;

  explicit OidcVerifier(OidcOptions options, Fetch fetch = {});

  // The identity a bearer token carries, or Unauthorized saying what is
  // wrong with it (Unavailable when the provider's keys cannot be fetched).
  Result<OidcIdentity> verify_bearer(std::string_view token) const;

  // Times the JWKS was fetched (tests, logs).
  size_t fetches() const;

 private:
  struct Realm {
    JwkSet keys;
    std::chrono::steady_clock::time_point fetched_at;
  };
  Result<JwkSet> keys_for(const std::string& realm, const std::string& kid) const;
  Result<JwkSet> fetch_keys(const std::string& realm) const;

  OidcOptions options_;
  Fetch fetch_;
  mutable std::mutex mutex_;        // realms_, fetches_
  mutable std::mutex fetch_mutex_;  // one fetch at a time
  mutable std::map<std::string, Realm> realms_;
  mutable size_t fetches_ = 0;
};

// libcurl GET with the [keycloak_oidc] TLS options and a size limit.
OidcVerifier::Fetch http_fetch(const OidcOptions& options);

}  // namespace bora::identity
