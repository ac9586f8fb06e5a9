// api/auth: the authentication step of every API call when Keystone is on
// ([pecan] auth_enable, identity/keystone_auth.h): the caller's project,
// admin flag, user and security context come from the validated
// X-Auth-Token, and the client's X-Project-Id/X-Roles count for nothing.
// A missing or refused token is 401 with keystonemiddleware's
// WWW-Authenticate header; Keystone unreachable is 503, never a pass.
// Mistral's public paths (the version documents) and the health checks
// need no token. The step runs on the handler pool (it may wait for
// Keystone), never on an I/O thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "bora/api/http.h"

namespace bora::identity {
class KeystoneAuth;
}

namespace bora::api {

struct AuthStepOptions {
  // [metrics] require_auth: GET /metrics then needs a token (an admin's).
  bool metrics_require_auth = false;
};

// The step for ServerOptions::authenticate: nullopt lets the request on
// (its caller filled in), a Response refuses it.
std::function<std::optional<Response>(Request&)> keystone_auth_step(std::shared_ptr<identity::KeystoneAuth> auth,
                                                                   AuthStepOptions options = {});

// Whether `request` may be served without a token.
bool is_public_path(const Request& request, const AuthStepOptions& options);

}  // namespace bora::api
