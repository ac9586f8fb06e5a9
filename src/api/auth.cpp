#include "bora/api/auth.h"

#include "bora/api/errors.h"
#include "bora/identity/keystone_auth.h"

namespace bora::api {

bool is_public_path(const Request& request, const AuthStepOptions& options) {
  if (request.method != "GET" && request.method != "HEAD") return false;
  const std::string& p = request.path;
  // Mistral's ALLOWED_WITHOUT_AUTH: the root and v2 version documents.
  if (p == "/" || p == "/v2" || p == "/v2/") return true;
  // Load balancers and orchestrators probe these without credentials.
  if (p == "/healthz" || p == "/readyz") return true;
  if (p == "/metrics") return !options.metrics_require_auth;
  // The web UI's static files (its API calls carry the token).
  if (p == "/ui" || p.rfind("/ui/", 0) == 0) return true;
  return false;
}

std::function<std::optional<Response>(Request&)> keystone_auth_step(std::shared_ptr<identity::KeystoneAuth> auth,
                                                                   AuthStepOptions options) {
  return [auth = std::move(auth), options](Request& request) -> std::optional<Response> {
    // Whatever the client claims is dropped first, public path or not.
    request.project_id.clear();
    request.is_admin = false;
    request.user_id.clear();
    request.roles.clear();
    request.security = Value();
    request.service_user_id.clear();
    request.service_project_id.clear();
    request.service_roles.clear();
    if (is_public_path(request, options)) return std::nullopt;
    auto who = auth->authenticate(request.headers);
    if (!who) {
      Response r = error_response(who.error());
      if (who.error().kind == ErrorKind::Unauthorized) r.headers.emplace_back("WWW-Authenticate", auth->challenge());
      if (who.error().kind == ErrorKind::Unavailable) r.headers.emplace_back("Retry-After", "5");
      return r;
    }
    request.project_id = who->identity.project_id;
    request.is_admin = who->is_admin;
    request.user_id = who->identity.user_id;
    request.roles = who->identity.roles;
    request.security = std::move(who->security);
    if (who->service) {
      request.service_user_id = who->service->user_id;
      request.service_project_id = who->service->project_id;
      request.service_roles = who->service->roles;
    }
    return std::nullopt;
  };
}

}  // namespace bora::api
