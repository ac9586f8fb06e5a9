// api/bearer_auth: the authentication step for `[auth] auth_type =
// keycloak-oidc` (Mistral's KeycloakAuthHandler): the token of
// `Authorization: Bearer <JWT>` (or Mistral's `X-Auth-Token`) verified by
// identity::OidcVerifier becomes the request's identity; the identity
// headers a client sends are ignored. GET /, /v2 and the health probes stay
// public, as Mistral's ALLOWED_WITHOUT_AUTH.
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "bora/api/http.h"
#include "bora/identity/oidc.h"

namespace bora::api {

// For ServerOptions::authenticate.
std::function<std::optional<Response>(Request&)> bearer_authenticator(
    std::shared_ptr<const identity::OidcVerifier> verifier);

// Whether a path is served without a token (/, /v2, /healthz, /readyz).
bool public_path(const std::string& path);

}  // namespace bora::api
