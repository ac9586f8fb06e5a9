#include "bora/api/bearer_auth.h"

#include "bora/api/errors.h"

namespace bora::api {

namespace {

// The token of "Authorization: Bearer x" (scheme in any case), else of
// X-Auth-Token, where Mistral's handler reads it.
std::optional<std::string> bearer_token(const Request& request) {
  if (const std::string* auth = request.header("authorization")) {
    if (auth->size() > 7 && (auth->compare(0, 7, "Bearer ") == 0 || auth->compare(0, 7, "bearer ") == 0)) {
      return auth->substr(7);
    }
  }
  if (const std::string* token = request.header("x-auth-token"); token && !token->empty()) return *token;
  return std::nullopt;
}

Response refusal(const Error& error) {
  // Mistral's AuthHook: "Failed to validate access token: <why>".
  Response r = error_response(error.kind == ErrorKind::Unavailable ? 503 : 401,
                              "Failed to validate access token: " + error.message);
  if (error.kind != ErrorKind::Unavailable) r.headers.emplace_back("WWW-Authenticate", "Bearer error=\"invalid_token\"");
  return r;
}

}  // namespace

bool public_path(const std::string& path) {
  return path == "/" || path == "/v2" || path == "/v2/" || path == "/healthz" || path == "/readyz";
}

std::function<std::optional<Response>(Request&)> bearer_authenticator(
    std::shared_ptr<const identity::OidcVerifier> verifier) {
  return [verifier](Request& request) -> std::optional<Response> {
    if (public_path(request.path)) return std::nullopt;
    auto token = bearer_token(request);
    if (!token) {
      return refusal({ErrorKind::Unauthorized,
                      "Auth token must be provided in the 'Authorization: Bearer' or 'X-Auth-Token' header."});
    }
    auto id = verifier->verify_bearer(*token);
    if (!id) return refusal(id.error());
    // The token says who is asking; what the client claims does not count.
    request.project_id = id->project_id;
    request.user_id = id->user_id;
    request.roles = id->roles;
    request.is_admin = id->is_admin;
    return std::nullopt;
  };
}

}  // namespace bora::api
