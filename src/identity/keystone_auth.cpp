#include "bora/identity/keystone_auth.h"

#include "bora/core/log.h"

namespace bora::identity {

KeystoneAuth::KeystoneAuth(std::shared_ptr<KeystoneClient> client)
    : client_(std::move(client)),
      cache_(client_->options().token_cache_time, client_->options().token_cache_entries) {}

std::string KeystoneAuth::challenge() const {
  return "Keystone uri=\"" + client_->options().www_authenticate_uri + "\"";
}

namespace {

// A header's value without the surrounding blanks keystonemiddleware strips
// (clients have sent tokens with a trailing newline); empty when absent.
std::string token_header(const std::map<std::string, std::string>& headers, const char* name) {
  auto it = headers.find(name);
  if (it == headers.end()) return "";
  const std::string& v = it->second;
  size_t b = v.find_first_not_of(" \t\r\n"), e = v.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : v.substr(b, e - b + 1);
}

}  // namespace

Result<KeystoneIdentity> KeystoneAuth::lookup(const std::string& token, bool allow_expired) {
  std::optional<Result<KeystoneIdentity>> answer = cache_.find(token);
  if (answer && (*answer || !allow_expired)) return *answer;
  answer = client_->validate(token, allow_expired);
  // An expired identity (allowed here) is never stored: the cache keeps
  // nothing past a token's expiry.
  cache_.store(token, *answer);
  return *answer;
}

Result<Authenticated> KeystoneAuth::authenticate(const std::map<std::string, std::string>& headers) {
  const KeystoneOptions& o = client_->options();
  // The service token first, as keystonemiddleware: whether it holds a
  // service role decides whether the user token may have expired.
  std::optional<KeystoneIdentity> service;
  bool allow_expired = false;
  if (std::string service_token = token_header(headers, "x-service-token"); !service_token.empty()) {
    auto answer = lookup(service_token, false);
    if (!answer) {
      if (answer.error().kind == ErrorKind::Unavailable) {
        log::warning("identity", "{}", answer.error().message);
        return answer.error();
      }
      return Error{ErrorKind::Unauthorized, "Failed to validate service token: " + answer.error().message};
    }
    bool has_service_role = false;
    for (const auto& role : o.service_token_roles) has_service_role = has_service_role || answer->has_role(role);
    if (!has_service_role && o.service_token_roles_required) {
      std::string roles;
      for (const auto& role : o.service_token_roles) roles += (roles.empty() ? "" : ", ") + role;
      return Error{ErrorKind::Unauthorized,
                   "Failed to validate service token: it holds none of the roles of [keystone_authtoken] "
                   "service_token_roles (" + roles + ")"};
    }
    allow_expired = has_service_role;
    service = std::move(*answer);
  }
  // X-Storage-Token is keystonemiddleware's other name of the user token.
  std::string token = token_header(headers, "x-auth-token");
  if (token.empty()) token = token_header(headers, "x-storage-token");
  if (token.empty()) return Error{ErrorKind::Unauthorized, "Failed to validate access token: Authentication required"};
  Result<KeystoneIdentity> answer = lookup(token, allow_expired);
  if (!answer) {
    const Error& e = answer.error();
    if (e.kind == ErrorKind::Unavailable) {
      log::warning("identity", "{}", e.message);
      return e;
    }
    // The token itself is never echoed (Mistral's message does): it would
    // land in logs and terminals.
    return Error{ErrorKind::Unauthorized, "Failed to validate access token: " + e.message};
  }
  Authenticated out;
  out.identity = std::move(*answer);
  out.service = std::move(service);
  for (const auto& role : o.admin_roles) out.is_admin = out.is_admin || out.identity.has_role(role);
  SecurityFields fields{o.www_authenticate_uri, o.cafile, "", o.insecure};
  if (auto region = headers.find("x-region-name"); region != headers.end()) fields.region_name = region->second;
  else fields.region_name = o.region_name;
  out.security = security_context(out.identity, token, fields);
  return out;
}

}  // namespace bora::identity
