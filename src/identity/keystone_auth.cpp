#include "bora/identity/keystone_auth.h"

#include "bora/core/log.h"

namespace bora::identity {

KeystoneAuth::KeystoneAuth(std::shared_ptr<KeystoneClient> client)
    : client_(std::move(client)),
      cache_(client_->options().token_cache_time, client_->options().token_cache_entries) {}

std::string KeystoneAuth::challenge() const {
  return "Keystone uri=\"" + client_->options().www_authenticate_uri + "\"";
}

Result<Authenticated> KeystoneAuth::authenticate(const std::map<std::string, std::string>& headers) {
  auto token = headers.find("x-auth-token");
  if (token == headers.end() || token->second.empty())
    return Error{ErrorKind::Unauthorized, "Failed to validate access token: Authentication required"};
  std::optional<Result<KeystoneIdentity>> answer = cache_.find(token->second);
  if (!answer) {
    answer = client_->validate(token->second);
    cache_.store(token->second, *answer);
  }
  if (!*answer) {
    const Error& e = answer->error();
    if (e.kind == ErrorKind::Unavailable) {
      log::warning("identity", "{}", e.message);
      return e;
    }
    // The token itself is never echoed (Mistral's message does): it would
    // land in logs and terminals.
    return Error{ErrorKind::Unauthorized, "Failed to validate access token: " + e.message};
  }
  Authenticated out;
  out.identity = **answer;
  for (const auto& role : client_->options().admin_roles) out.is_admin = out.is_admin || out.identity.has_role(role);
  const KeystoneOptions& o = client_->options();
  SecurityFields fields{o.www_authenticate_uri, o.cafile, "", o.insecure};
  if (auto region = headers.find("x-region-name"); region != headers.end()) fields.region_name = region->second;
  else fields.region_name = o.region_name;
  out.security = security_context(out.identity, token->second, fields);
  return out;
}

}  // namespace bora::identity
