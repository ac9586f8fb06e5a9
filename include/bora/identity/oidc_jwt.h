// identity/oidc_jwt: JSON Web Tokens (JWS compact form) and the JSON Web
// Key sets an OpenID Connect issuer publishes, verified with OpenSSL:
// RS256 (what Keycloak signs with, and all Mistral accepts) and ES256.
// Errors are Unauthorized with what is wrong with the token.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bora/core/error.h"
#include "bora/core/value.h"

namespace bora::identity {

// base64url without padding (RFC 7515 section 2); nothing for other text.
std::optional<std::string> base64url_decode(std::string_view text);

struct DecodedJwt {
  Value header;              // {"alg": "RS256", "kid": "...", "typ": "JWT"}
  Value claims;              // the payload
  std::string signing_input;  // "<header>.<payload>" as sent
  std::string signature;      // raw bytes
  std::string alg, kid;       // from the header ("" when absent)
};

// Splits and decodes a token; the signature is not checked here.
Result<DecodedJwt> decode_jwt(std::string_view token);

// The public keys of a JWKS document ({"keys": [...]}); keys of a type or
// use Bora cannot verify with (encryption keys, unknown curves) are skipped.
class JwkSet {
 public:
  static Result<JwkSet> parse(std::string_view json);
  JwkSet();
  ~JwkSet();
  JwkSet(JwkSet&&) noexcept;
  JwkSet& operator=(JwkSet&&) noexcept;
  JwkSet(const JwkSet&);
  JwkSet& operator=(const JwkSet&);

  size_t size() const;
  bool has_kid(std::string_view kid) const;

  struct Key;

 private:
  friend Result<bool> verify_jwt_signature(const DecodedJwt& jwt, const JwkSet& keys);
  std::vector<std::shared_ptr<const Key>> keys_;
};

// true: the signature is valid under the key the token names (no kid: any
// key of the token's algorithm, as a single-key issuer sends none). false:
// no key of the set has that kid (the caller may fetch the set again).
// Unauthorized: an algorithm other than RS256/ES256 ("none" included), or a
// signature that does not verify.
Result<bool> verify_jwt_signature(const DecodedJwt& jwt, const JwkSet& keys);

}  // namespace bora::identity
