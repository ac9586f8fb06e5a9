// api/trigger_trust: a trigger's trust (cron and event triggers alike).
#include "trigger_trust.h"

#include "bora/core/log.h"
#include "bora/identity/keystone_client.h"

namespace bora::api {

namespace {

std::string security_text(const Request& req, std::string_view key) {
  const Value* v = req.security.is_dict() ? req.security.find(key) : nullptr;
  return v && v->is_string() ? v->as_string() : "";
}

}  // namespace

std::optional<std::string> create_trigger_trust(ApiContext& ctx, const Request& req) {
  std::string token = security_text(req, "auth_token");
  if (!ctx.keystone || token.empty()) return std::nullopt;
  identity::KeystoneIdentity trustor;
  trustor.user_id = req.user_id;
  trustor.project_id = req.project_id;
  trustor.roles = req.roles;
  auto trust = ctx.keystone->create_trust(token, trustor);
  if (!trust) throw BoraError(trust.error());
  return *trust;
}

void delete_trigger_trust(ApiContext& ctx, const Request& req, const std::string& trust_id) {
  if (!ctx.keystone) return;
  // Mistral logs a trust it could not delete and carries on.
  if (auto gone = ctx.keystone->delete_trust(trust_id, security_text(req, "auth_token")); !gone)
    log::warning("identity", "could not delete trust {}: {}", trust_id, gone.error().message);
}

}  // namespace bora::api
