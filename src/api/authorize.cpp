#include "bora/api/authorize.h"

#include <string>

namespace bora::api {

identity::PolicyCredentials policy_credentials(const Request& request) {
  identity::PolicyCredentials c;
  c.user_id = request.user_id;
  c.project_id = request.project_id;
  c.roles = request.roles;
  c.is_admin = request.is_admin;
  c.service_user_id = request.service_user_id;
  c.service_project_id = request.service_project_id;
  c.service_roles = request.service_roles;
  return c;
}

void authorize(const ApiContext& ctx, const Request& request, std::string_view rule) {
  // A context built only to list routes has no enforcer: Mistral's defaults.
  static const auto defaults = identity::PolicyEnforcer::defaults();
  const identity::PolicyEnforcer& enforcer = ctx.policy ? *ctx.policy : *defaults;
  identity::PolicyCredentials caller = policy_credentials(request);
  Value target = Value::dict({{"project_id", caller.project_id.empty() ? Value() : Value(caller.project_id)},
                              {"user_id", caller.user_id.empty() ? Value() : Value(caller.user_id)}});
  enforcer.authorize(rule, target, caller).value();
}

void authorize_publicize(const ApiContext& ctx, const Request& request, std::string_view resource,
                         std::string_view scope) {
  if (scope == "public") authorize(ctx, request, std::string(resource) + ":publicize");
}

}  // namespace bora::api
