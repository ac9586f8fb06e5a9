#include "bora/identity/keystone_client.h"

#include <curl/curl.h>

#include <cctype>

#include "bora/core/ascii.h"
#include "bora/core/json.h"
#include "bora/core/log.h"

namespace bora::identity {

namespace {

// A token this close to its expiry is renewed before use: it could expire
// on its way to the service that checks it.
constexpr auto kRenewBefore = std::chrono::seconds(60);

size_t on_body(char* data, size_t size, size_t n, void* out) {
  auto* body = static_cast<std::string*>(out);
  // Keystone's answers are small; a catalog of a big cloud is ~100 KB.
  if (body->size() + size * n > (16u << 20)) return 0;
  body->append(data, size * n);
  return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* out) {
  std::string line(data, size * n);
  size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.pop_back();
    size_t b = value.find_first_not_of(' ');
    (*static_cast<std::map<std::string, std::string>*>(out))[ascii_lower(line.substr(0, colon))] =
        b == std::string::npos ? "" : value.substr(b);
  }
  return size * n;
}

bool fresh(const KeystoneIdentity& id) { return now_utc() + kRenewBefore < id.expires; }

// Keystone's error text ({"error": {"message": ...}}), for logs and errors.
std::string keystone_message(const KeystoneClient::HttpAnswer& a) {
  if (auto v = parse_json(a.body); v.ok() && v->is_dict())
    if (const Value* e = v->find("error"); e && e->is_dict())
      if (const Value* m = e->find("message"); m && m->is_string()) return m->as_string();
  return "HTTP " + std::to_string(a.status);
}

Error unavailable(const std::string& what) {
  return Error{ErrorKind::Unavailable, "Keystone could not be asked (" + what +
                                           "); retry shortly. Operators: check [keystone_authtoken] auth_url and "
                                           "Bora's service credentials"};
}

}  // namespace

KeystoneClient::KeystoneClient(KeystoneOptions options) : options_(std::move(options)) {
  base_ = options_.auth_url;
  while (!base_.empty() && base_.back() == '/') base_.pop_back();
  if (base_.size() >= 3 && base_.compare(base_.size() - 3, 3, "/v3") == 0) base_.resize(base_.size() - 3);
}

Result<KeystoneClient::HttpAnswer> KeystoneClient::exchange(const std::string& method, const std::string& path,
                                                            const std::map<std::string, std::string>& headers,
                                                            const std::string& body) {
  CURL* curl = curl_easy_init();
  if (!curl) return unavailable("libcurl could not start");
  HttpAnswer answer;
  curl_slist* list = nullptr;
  for (const auto& [k, v] : headers) list = curl_slist_append(list, (k + ": " + v).c_str());
  list = curl_slist_append(list, "Accept: application/json");
  if (!body.empty()) list = curl_slist_append(list, "Content-Type: application/json");
  std::string url = base_ + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (!body.empty()) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.http_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  if (!options_.cafile.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.cafile.c_str());
  if (options_.insecure) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &answer.headers);
  CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) return unavailable(method + " " + url + ": " + curl_easy_strerror(rc));
  return answer;
}

Result<IssuedToken> KeystoneClient::password_token(const Value& scope) {
  auto domain = [](const std::string& id, const std::string& name) {
    return id.empty() ? Value::dict({{"name", Value(name)}}) : Value::dict({{"id", Value(id)}});
  };
  Value auth = Value::dict(
      {{"auth",
        Value::dict({{"identity",
                      Value::dict({{"methods", Value(List{Value("password")})},
                                   {"password", Value::dict({{"user", Value::dict({{"name", Value(options_.username)},
                                                                                    {"domain", domain(options_.user_domain_id, options_.user_domain_name)},
                                                                                    {"password", Value(options_.password)}})}})}})},
                     {"scope", scope}})}});
  auto a = exchange("POST", "/v3/auth/tokens", {}, to_json(auth));
  if (!a) return a.error();
  if (a->status != 201 && scope.find("OS-TRUST:trust")) {
    return Error{ErrorKind::Unauthorized, "Keystone gave no token for the trust (deleted, expired, or its trustor "
                                          "lost the roles): " + keystone_message(*a)};
  }
  if (a->status != 201) {
    // Bora's own credentials refused: nobody can be authenticated, which is
    // Bora's problem, not the caller's (503, never a pass).
    log::error("identity", "Keystone refused Bora's service credentials ([keystone_authtoken] username {}): {}",
               options_.username, keystone_message(*a));
    return unavailable("Bora's service credentials were refused: " + keystone_message(*a));
  }
  auto body = parse_json(a->body);
  if (!body) return unavailable("its token answer is not JSON");
  auto id = identity_from_token_body(*body);
  if (!id) return unavailable(id.error().message);
  auto token = a->headers.find("x-subject-token");
  if (token == a->headers.end()) return unavailable("its token answer has no X-Subject-Token");
  return IssuedToken{token->second, std::move(*id)};
}

Result<std::string> KeystoneClient::service_token(bool renew) {
  {
    std::lock_guard lock(mutex_);
    if (!renew && service_ && fresh(service_->identity)) return service_->token;
  }
  auto issued = password_token(Value::dict(
      {{"project", Value::dict({{"name", Value(options_.project_name)},
                                {"domain", options_.project_domain_id.empty()
                                               ? Value::dict({{"name", Value(options_.project_domain_name)}})
                                               : Value::dict({{"id", Value(options_.project_domain_id)}})}})}}));
  if (!issued) return issued.error();
  std::lock_guard lock(mutex_);
  service_ = *issued;
  return service_->token;
}

Result<KeystoneClient::HttpAnswer> KeystoneClient::as_service(const std::string& method, const std::string& path,
                                                              std::map<std::string, std::string> headers,
                                                              const std::string& body) {
  for (bool renew : {false, true}) {
    auto token = service_token(renew);
    if (!token) return token.error();
    headers["X-Auth-Token"] = *token;
    auto a = exchange(method, path, headers, body);
    if (!a || a->status != 401) return a;
  }
  return unavailable("Keystone refused Bora's own token twice");
}

Result<KeystoneIdentity> KeystoneClient::validate(const std::string& token, bool allow_expired) {
  // Mistral's catalog comes with the token (include_service_catalog).
  auto a = as_service("GET", allow_expired ? "/v3/auth/tokens?allow_expired=1" : "/v3/auth/tokens",
                      {{"X-Subject-Token", token}}, "");
  if (!a) return a.error();
  if (a->status == 404 || a->status == 401 || a->status == 403)
    return Error{ErrorKind::Unauthorized, "Auth token is invalid (" + keystone_message(*a) + ")"};
  if (a->status != 200) return unavailable("validating a token: " + keystone_message(*a));
  auto body = parse_json(a->body);
  if (!body) return unavailable("its answer is not JSON");
  auto id = identity_from_token_body(*body);
  if (!id) return Error{ErrorKind::Unauthorized, id.error().message};
  if (!allow_expired && !(now_utc() < id->expires)) return Error{ErrorKind::Unauthorized, "Auth token has expired"};
  return id;
}

Result<std::string> KeystoneClient::create_trust(const std::string& user_token, const KeystoneIdentity& trustor) {
  // The trustee is Bora's service user: whom its own token stands for.
  auto service = service_token();
  if (!service) return service.error();
  std::string trustee;
  {
    std::lock_guard lock(mutex_);
    trustee = service_ ? service_->identity.user_id : "";
  }
  List roles;
  for (const auto& r : trustor.roles) roles.push_back(Value::dict({{"name", Value(r)}}));
  Value body = Value::dict({{"trust", Value::dict({{"trustor_user_id", Value(trustor.user_id)},
                                                    {"trustee_user_id", Value(trustee)},
                                                    {"impersonation", Value(true)},
                                                    {"project_id", Value(trustor.project_id)},
                                                    {"roles", Value(std::move(roles))}})}});
  auto a = exchange("POST", "/v3/OS-TRUST/trusts", {{"X-Auth-Token", user_token}}, to_json(body));
  if (!a) return a.error();
  if (a->status == 401 || a->status == 403)
    return Error{ErrorKind::Forbidden, "Keystone refused to create a trust for this trigger: " + keystone_message(*a)};
  if (a->status != 201) return unavailable("creating a trust: " + keystone_message(*a));
  auto parsed = parse_json(a->body);
  const Value* trust = parsed && parsed->is_dict() ? parsed->find("trust") : nullptr;
  const Value* id = trust && trust->is_dict() ? trust->find("id") : nullptr;
  if (!id || !id->is_string()) return unavailable("its trust answer has no id");
  return id->as_string();
}

Result<void> KeystoneClient::delete_trust(const std::string& trust_id, const std::string& user_token) {
  std::string path = "/v3/OS-TRUST/trusts/" + trust_id;
  std::optional<Result<HttpAnswer>> a;
  if (!user_token.empty()) a = exchange("DELETE", path, {{"X-Auth-Token", user_token}}, "");
  if (!a || !*a || ((*a)->status != 204 && (*a)->status != 404)) {
    auto scoped = trust_token(trust_id);
    if (!scoped) return scoped.error();
    a = exchange("DELETE", path, {{"X-Auth-Token", scoped->token}}, "");
  }
  {
    std::lock_guard lock(mutex_);
    trust_tokens_.erase(trust_id);
  }
  if (!*a) return (*a).error();
  if ((*a)->status == 204 || (*a)->status == 404) return {};
  return Error{ErrorKind::Unavailable, "Keystone did not delete trust " + trust_id + ": " + keystone_message(**a)};
}

Result<IssuedToken> KeystoneClient::trust_token(const std::string& trust_id) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = trust_tokens_.find(trust_id); it != trust_tokens_.end() && fresh(it->second.identity))
      return it->second;
  }
  auto issued = password_token(Value::dict({{"OS-TRUST:trust", Value::dict({{"id", Value(trust_id)}})}}));
  if (!issued) return issued.error();
  std::lock_guard lock(mutex_);
  // Bounded: one entry per trust in use (cron triggers).
  if (trust_tokens_.size() > 10000) trust_tokens_.clear();
  trust_tokens_[trust_id] = *issued;
  return *issued;
}

}  // namespace bora::identity
