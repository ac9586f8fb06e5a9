#include "bora/identity/oidc.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>

#include "bora/core/log.h"
#include "bora/core/python_format.h"

namespace bora::identity {

namespace {

constexpr size_t kMaxJwksBytes = 1024 * 1024;

// A claim by dotted path ("realm_access.roles"); null when absent.
const Value* claim(const Value& claims, std::string_view path) {
  const Value* v = &claims;
  while (!path.empty()) {
    size_t dot = path.find('.');
    if (!v->is_dict()) return nullptr;
    v = v->find(path.substr(0, dot));
    if (!v) return nullptr;
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return v;
}

// Keycloak's iss is ".../realms/<realm>"; Mistral takes what follows the
// last "/realms/" (all of it when there is none).
std::string realm_of(const std::string& iss) {
  size_t at = iss.rfind("/realms/");
  return at == std::string::npos ? iss : iss.substr(at + 8);
}

// The realm goes into the JWKS URL: only what a realm name is made of.
bool plain_name(const std::string& s) {
  if (s.empty() || s.size() > 255) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.';
  });
}

std::string with_realm(const std::string& pattern, const std::string& realm) {
  std::string out = pattern;
  if (size_t at = out.find("%s"); at != std::string::npos) out.replace(at, 2, realm);
  return out;
}

std::optional<double> number_claim(const Value& claims, const char* name) {
  const Value* v = claims.find(name);
  if (!v || !v->is_number()) return std::nullopt;
  return v->as_double();
}

Result<std::chrono::seconds> seconds_option(const Config& config, const char* name, long fallback, long lo, long hi) {
  auto v = config.get_int("keycloak_oidc", name, fallback);
  if (!v) return v.error();
  if (*v < lo || *v > hi) {
    return bad_input(fmt::format("[keycloak_oidc] {} must be between {} and {} seconds, not {}", name, lo, hi, *v));
  }
  return std::chrono::seconds(*v);
}

size_t collect(char* data, size_t size, size_t n, void* out) {
  auto* body = static_cast<std::string*>(out);
  if (body->size() + size * n > kMaxJwksBytes) return 0;  // aborts the transfer
  body->append(data, size * n);
  return size * n;
}

}  // namespace

Result<OidcOptions> oidc_options_from_config(const Config& config) {
  OidcOptions o;
  o.auth_url = config.get_or("keycloak_oidc", "auth_url", "");
  if (o.auth_url.empty()) {
    return bad_input("[keycloak_oidc] auth_url is required with auth_type = keycloak-oidc: the identity provider's "
                     "base URL (e.g. https://keycloak:8443/auth), where the realms' keys are published");
  }
  while (!o.auth_url.empty() && o.auth_url.back() == '/') o.auth_url.pop_back();
  o.public_cert_url = config.get_or("keycloak_oidc", "public_cert_url", o.public_cert_url);
  o.keycloak_iss = config.get_or("keycloak_oidc", "keycloak_iss", "");
  o.cafile = config.get_or("keycloak_oidc", "cafile", "");
  o.certfile = config.get_or("keycloak_oidc", "certfile", "");
  o.keyfile = config.get_or("keycloak_oidc", "keyfile", "");
  auto insecure = config.get_bool("keycloak_oidc", "insecure", false);
  if (!insecure) return insecure.error();
  o.insecure = *insecure;
  o.audience = config.get_or("keycloak_oidc", "audience", "");
  o.project_claim = config.get_or("keycloak_oidc", "project_claim", "");
  o.roles_claim = config.get_or("keycloak_oidc", "roles_claim", o.roles_claim);
  o.user_claim = config.get_or("keycloak_oidc", "user_claim", o.user_claim);
  auto leeway = seconds_option(config, "leeway", 60, 0, 300);
  if (!leeway) return leeway.error();
  o.leeway = *leeway;
  auto cache = seconds_option(config, "jwks_cache_time", 3600, 1, 86400);
  if (!cache) return cache.error();
  o.jwks_cache_time = *cache;
  auto refetch = seconds_option(config, "jwks_refetch_interval", 10, 0, 3600);
  if (!refetch) return refetch.error();
  o.jwks_refetch_interval = *refetch;
  auto timeout = seconds_option(config, "fetch_timeout", 5, 1, 60);
  if (!timeout) return timeout.error();
  o.fetch_timeout = *timeout;
  return o;
}

OidcVerifier::Fetch http_fetch(const OidcOptions& options) {
  return [options](const std::string& url) -> Result<std::string> {
    CURL* curl = curl_easy_init();
    if (!curl) return Error{ErrorKind::Unavailable, "cannot start an HTTP request (libcurl)"};
    std::string body;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options.fetch_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    if (!options.cafile.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options.cafile.c_str());
    if (options.insecure) {
      curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (!options.certfile.empty() && !options.keyfile.empty()) {
      curl_easy_setopt(curl, CURLOPT_SSLCERT, options.certfile.c_str());
      curl_easy_setopt(curl, CURLOPT_SSLKEY, options.keyfile.c_str());
    }
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) {
      return Error{ErrorKind::Unavailable, fmt::format("cannot read {}: {}", url, curl_easy_strerror(rc))};
    }
    if (status != 200) return Error{ErrorKind::Unavailable, fmt::format("{} answered HTTP {}", url, status)};
    return body;
  };
}

OidcVerifier::OidcVerifier(OidcOptions options, Fetch fetch)
    : options_(std::move(options)), fetch_(fetch ? std::move(fetch) : http_fetch(options_)) {}

size_t OidcVerifier::fetches() const {
  std::lock_guard lock(mutex_);
  return fetches_;
}

Result<JwkSet> OidcVerifier::fetch_keys(const std::string& realm) const {
  std::string url = options_.auth_url + with_realm(options_.public_cert_url, realm);
  {
    std::lock_guard lock(mutex_);
    ++fetches_;
  }
  auto body = fetch_(url);
  if (!body) return body.error();
  auto keys = JwkSet::parse(*body);
  if (!keys) return Error{ErrorKind::Unavailable, fmt::format("{}: {}", url, keys.error().message)};
  log::info("identity", "keys of realm {} read from {}: {} usable", realm, url, keys->size());
  return keys;
}

// The realm's keys: cached ones while fresh and holding `kid`; else one
// fetch, unless the last attempt was within jwks_refetch_interval (then
// what is cached, which the caller finds lacking).
Result<JwkSet> OidcVerifier::keys_for(const std::string& realm, const std::string& kid) const {
  using clock = std::chrono::steady_clock;
  auto usable = [&](const Realm& r, clock::time_point now) {
    bool fresh = now - r.fetched_at < options_.jwks_cache_time;
    bool recent = now - r.fetched_at < options_.jwks_refetch_interval;
    return (fresh && (kid.empty() || r.keys.has_kid(kid))) || recent;
  };
  {
    std::lock_guard lock(mutex_);
    auto it = realms_.find(realm);
    if (it != realms_.end() && usable(it->second, clock::now())) {
      if (it->second.keys.size() == 0) {
        return Error{ErrorKind::Unavailable, fmt::format("the keys of realm {} could not be read lately; retrying "
                                                         "within {} s ([keycloak_oidc] jwks_refetch_interval)",
                                                         realm, options_.jwks_refetch_interval.count())};
      }
      return it->second.keys;
    }
  }
  std::lock_guard one_fetch(fetch_mutex_);
  {
    // Another caller may have fetched while this one waited.
    std::lock_guard lock(mutex_);
    auto it = realms_.find(realm);
    if (it != realms_.end() && usable(it->second, clock::now()) && it->second.keys.size() > 0) return it->second.keys;
  }
  auto fetched = fetch_keys(realm);
  std::lock_guard lock(mutex_);
  auto it = realms_.find(realm);
  if (!fetched) {
    log::warning("identity", "{}", fetched.error().message);
    if (it != realms_.end() && it->second.keys.size() > 0) {
      // Keep serving with the keys known so far; try again later.
      it->second.fetched_at = clock::now();
      return it->second.keys;
    }
    realms_[realm] = Realm{JwkSet(), clock::now()};  // remembers the failure, rate-limiting the next try
    return fetched.error();
  }
  if (it == realms_.end() && realms_.size() >= options_.max_realms) {
    auto oldest = std::min_element(realms_.begin(), realms_.end(),
                                   [](const auto& a, const auto& b) { return a.second.fetched_at < b.second.fetched_at; });
    realms_.erase(oldest);
  }
  realms_[realm] = Realm{*fetched, clock::now()};
  return std::move(fetched).value();
}

Result<OidcIdentity> OidcVerifier::verify_bearer(std::string_view token) const {
  auto jwt = decode_jwt(token);
  if (!jwt) return jwt.error();
  const Value* iss = jwt->claims.find("iss");
  if (!iss || !iss->is_string() || iss->as_string().empty()) return unauthorized("the token has no issuer (iss)");
  std::string realm = realm_of(iss->as_string());
  if (!plain_name(realm)) return unauthorized("the token's issuer names no realm Bora can look up: " + iss->as_string());
  if (!options_.keycloak_iss.empty() && iss->as_string() != with_realm(options_.keycloak_iss, realm)) {
    return unauthorized(fmt::format("the token's issuer {} is not {}", iss->as_string(),
                                    with_realm(options_.keycloak_iss, realm)));
  }
  auto keys = keys_for(realm, jwt->kid);
  if (!keys) return keys.error();
  auto verified = verify_jwt_signature(*jwt, *keys);
  if (!verified) return verified.error();
  if (!*verified) {
    return unauthorized(fmt::format("the token is signed with a key (kid '{}') that realm {} does not publish",
                                    jwt->kid, realm));
  }

  const Value& claims = jwt->claims;
  double now = static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
  double leeway = static_cast<double>(options_.leeway.count());
  auto exp = number_claim(claims, "exp");
  if (!exp) return unauthorized("the token has no expiry (exp)");
  if (now > *exp + leeway) {
    return unauthorized(fmt::format("the token expired {} s ago", static_cast<int64_t>(now - *exp)));
  }
  if (auto nbf = number_claim(claims, "nbf"); nbf && now + leeway < *nbf) {
    return unauthorized(fmt::format("the token is not valid for another {} s (nbf)", static_cast<int64_t>(*nbf - now)));
  }
  if (!options_.audience.empty()) {
    const Value* aud = claims.find("aud");
    bool ok = false;
    if (aud && aud->is_string()) ok = aud->as_string() == options_.audience;
    if (aud && aud->is_list())
      for (const auto& a : aud->as_list()) ok = ok || (a.is_string() && a.as_string() == options_.audience);
    if (!ok) return unauthorized(fmt::format("the token is not meant for {} (aud)", options_.audience));
  }

  OidcIdentity id;
  id.expires_at = static_cast<int64_t>(*exp);
  if (const Value* user = claim(claims, options_.user_claim)) id.user_id = python_str(*user);
  if (const Value* name = claims.find("preferred_username"); name && name->is_string()) id.user_name = name->as_string();
  if (options_.project_claim.empty()) {
    id.project_id = realm;
  } else {
    const Value* project = claim(claims, options_.project_claim);
    if (!project || !(project->is_string() || project->is_number()) || python_str(*project).empty()) {
      return unauthorized(fmt::format("the token has no project in its '{}' claim", options_.project_claim));
    }
    id.project_id = python_str(*project);
  }
  if (const Value* roles = claim(claims, options_.roles_claim)) {
    if (roles->is_list()) {
      for (const auto& r : roles->as_list())
        if (r.is_string()) id.roles.push_back(r.as_string());
    } else if (roles->is_string()) {
      id.roles.push_back(roles->as_string());
    }
  }
  id.is_admin = std::find(id.roles.begin(), id.roles.end(), "admin") != id.roles.end();
  return id;
}

}  // namespace bora::identity
