#include "bora/identity/security_resolver.h"

#include "bora/core/log.h"

namespace bora::identity {

namespace {

std::string text(const Value& v, std::string_view key) {
  const Value* x = v.is_dict() ? v.find(key) : nullptr;
  return x && x->is_string() ? x->as_string() : "";
}

}  // namespace

std::function<Value(const Value&)> security_resolver(std::shared_ptr<KeystoneClient> client, SecurityFields fields) {
  return [client = std::move(client), fields](const Value& security) -> Value {
    if (!text(security, "auth_token").empty()) return security;  // a user's own context, complete
    std::string trust_id = text(security, "trust_id");
    if (client && !trust_id.empty()) {
      auto issued = client->trust_token(trust_id);
      if (issued) return security_context(issued->identity, issued->token, fields);
      // The action runs without a token and fails where it calls OpenStack,
      // with this in the log (a trust deleted behind the trigger's back).
      log::warning("identity", "no trust-scoped token for trust {}: {}", trust_id, issued.error().message);
      KeystoneIdentity id;
      id.project_id = text(security, "project_id");
      id.trust_id = trust_id;
      return security_context(id, "", fields);
    }
    return anonymous_security_context(text(security, "project_id"), text(security, "user_id"));
  };
}

}  // namespace bora::identity
