// OpenID Connect bearer tokens: JWTs signed here with keys generated for the
// test, verified against the JWKS the (injected) provider publishes: RS256
// and ES256, expiry, not-before, audience, issuer, forged algorithms, key
// rotation and its rate limit.
#include <catch2/catch.hpp>

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <chrono>
#include <memory>
#include <string>

#include "bora/core/json.h"
#include "bora/identity/oidc.h"

using namespace bora;
using namespace bora::identity;

namespace {

std::string b64url(const std::string& bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buffer >> bits) & 63];
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 63];
  return out;
}

std::string bn_bytes(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  REQUIRE(EVP_PKEY_get_bn_param(key, name, &bn) == 1);
  std::string out(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  BN_free(bn);
  return out;
}

struct TestKey {
  std::shared_ptr<EVP_PKEY> pkey;
  std::string kid, alg;

  static TestKey rsa(std::string kid) {
    return {std::shared_ptr<EVP_PKEY>(EVP_RSA_gen(2048), EVP_PKEY_free), std::move(kid), "RS256"};
  }
  static TestKey ec(std::string kid) {
    return {std::shared_ptr<EVP_PKEY>(EVP_EC_gen("P-256"), EVP_PKEY_free), std::move(kid), "ES256"};
  }

  std::string jwk() const {
    if (alg == "RS256") {
      return R"({"kty": "RSA", "use": "sig", "alg": "RS256", "kid": ")" + kid + R"(", "n": ")" +
             b64url(bn_bytes(pkey.get(), OSSL_PKEY_PARAM_RSA_N)) + R"(", "e": ")" +
             b64url(bn_bytes(pkey.get(), OSSL_PKEY_PARAM_RSA_E)) + R"("})";
    }
    std::string x(32, '\0'), y(32, '\0');
    BIGNUM *bx = nullptr, *by = nullptr;
    REQUIRE(EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_X, &bx) == 1);
    REQUIRE(EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_Y, &by) == 1);
    BN_bn2binpad(bx, reinterpret_cast<unsigned char*>(x.data()), 32);
    BN_bn2binpad(by, reinterpret_cast<unsigned char*>(y.data()), 32);
    BN_free(bx);
    BN_free(by);
    return R"({"kty": "EC", "crv": "P-256", "kid": ")" + kid + R"(", "x": ")" + b64url(x) + R"(", "y": ")" +
           b64url(y) + R"("})";
  }

  std::string sign(const std::string& claims_json, std::string header_alg = "") const {
    std::string header = R"({"alg": ")" + (header_alg.empty() ? alg : header_alg) + R"(", "typ": "JWT", "kid": ")" +
                         kid + R"("})";
    std::string input = b64url(header) + "." + b64url(claims_json);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t len = 0;
    REQUIRE(EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, pkey.get()) == 1);
    REQUIRE(EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1);
    std::string sig(len, '\0');
    REQUIRE(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                           reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1);
    sig.resize(len);
    EVP_MD_CTX_free(ctx);
    if (alg == "ES256") {  // DER -> r||s, as JWS carries it
      const unsigned char* p = reinterpret_cast<const unsigned char*>(sig.data());
      ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
      std::string raw(64, '\0');
      BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(raw.data()), 32);
      BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
      ECDSA_SIG_free(es);
      sig = raw;
    }
    return input + "." + b64url(sig);
  }
};

int64_t now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string claims(int64_t exp_offset = 300, const std::string& extra = "") {
  return R"({"iss": "https://idp.example/auth/realms/tenant-a", "sub": "user-1", "preferred_username": "alice",)"
         R"( "aud": ["bora", "account"], "realm_access": {"roles": ["member", "admin"]}, "exp": )" +
         std::to_string(now() + exp_offset) + extra + "}";
}

// A provider whose published keys the test changes; counts its fetches.
struct Provider {
  std::string jwks;
  std::string last_url;
  bool down = false;
  OidcVerifier::Fetch fetch() {
    return [this](const std::string& url) -> Result<std::string> {
      last_url = url;
      if (down) return Error{ErrorKind::Unavailable, "connection refused"};
      return jwks;
    };
  }
  void publish(const std::vector<const TestKey*>& keys) {
    jwks = R"({"keys": [)";
    for (size_t i = 0; i < keys.size(); ++i) jwks += (i ? ", " : "") + keys[i]->jwk();
    jwks += "]}";
  }
};

OidcOptions options() {
  OidcOptions o;
  o.auth_url = "https://idp.example/auth";
  o.audience = "bora";
  o.leeway = std::chrono::seconds(5);
  o.jwks_refetch_interval = std::chrono::seconds(0);
  return o;
}

}  // namespace

TEST_CASE("oidc: a valid RS256 token gives the realm, user and roles, as Mistral's handler") {
  TestKey k = TestKey::rsa("k1");
  Provider idp;
  idp.publish({&k});
  OidcVerifier v(options(), idp.fetch());
  auto id = v.verify_bearer(k.sign(claims()));
  REQUIRE(id.ok());
  CHECK(id->project_id == "tenant-a");
  CHECK(id->user_id == "user-1");
  CHECK(id->user_name == "alice");
  CHECK(id->roles == std::vector<std::string>{"member", "admin"});
  CHECK(id->is_admin);
  CHECK(idp.last_url == "https://idp.example/auth/realms/tenant-a/protocol/openid-connect/certs");
  // Cached: a second token costs no fetch.
  REQUIRE(v.verify_bearer(k.sign(claims(600))).ok());
  CHECK(v.fetches() == 1);
}

TEST_CASE("oidc: ES256 tokens verify too") {
  TestKey k = TestKey::ec("ec1");
  Provider idp;
  idp.publish({&k});
  OidcVerifier v(options(), idp.fetch());
  REQUIRE(v.verify_bearer(k.sign(claims())).ok());
}

TEST_CASE("oidc: expired, not yet valid, wrong audience, wrong issuer are refused") {
  TestKey k = TestKey::rsa("k1");
  Provider idp;
  idp.publish({&k});
  OidcVerifier v(options(), idp.fetch());
  auto expired = v.verify_bearer(k.sign(claims(-60)));
  REQUIRE_FALSE(expired.ok());
  CHECK(expired.error().kind == ErrorKind::Unauthorized);
  CHECK_THAT(expired.error().message, Catch::Contains("expired"));
  CHECK(v.verify_bearer(k.sign(claims(-3))).ok());  // within the leeway
  auto early = v.verify_bearer(k.sign(claims(300, ", \"nbf\": " + std::to_string(now() + 120))));
  REQUIRE_FALSE(early.ok());
  CHECK_THAT(early.error().message, Catch::Contains("nbf"));

  std::string other_aud = R"({"iss": "https://idp.example/auth/realms/tenant-a", "sub": "u", "aud": "other", "exp": )" +
                          std::to_string(now() + 300) + "}";
  auto aud = v.verify_bearer(k.sign(other_aud));
  REQUIRE_FALSE(aud.ok());
  CHECK_THAT(aud.error().message, Catch::Contains("not meant for bora"));

  OidcOptions o = options();
  o.keycloak_iss = "https://login.example/auth/realms/%s";
  OidcVerifier strict(o, idp.fetch());
  auto iss = strict.verify_bearer(k.sign(claims()));
  REQUIRE_FALSE(iss.ok());
  CHECK_THAT(iss.error().message, Catch::Contains("is not https://login.example/auth/realms/tenant-a"));

  std::string no_exp = R"({"iss": "https://idp.example/auth/realms/tenant-a", "aud": "bora"})";
  CHECK_THAT(v.verify_bearer(k.sign(no_exp)).error().message, Catch::Contains("no expiry"));
}

TEST_CASE("oidc: forged tokens are refused") {
  TestKey k = TestKey::rsa("k1");
  TestKey stranger = TestKey::rsa("k1");  // same kid, another key
  Provider idp;
  idp.publish({&k});
  OidcVerifier v(options(), idp.fetch());
  auto forged = v.verify_bearer(stranger.sign(claims()));
  REQUIRE_FALSE(forged.ok());
  CHECK_THAT(forged.error().message, Catch::Contains("does not verify"));

  // Another payload under the original signature.
  std::string token = k.sign(claims());
  std::string other = k.sign(claims(300, R"(, "extra": "x")"));
  auto payload = [](const std::string& t) { return t.substr(t.find('.') + 1, t.rfind('.') - t.find('.') - 1); };
  std::string swapped = token.substr(0, token.find('.') + 1) + payload(other) + token.substr(token.rfind('.'));
  CHECK_FALSE(v.verify_bearer(swapped).ok());

  // alg none / HS256: never accepted, whatever the signature.
  CHECK_THAT(v.verify_bearer(k.sign(claims(), "none")).error().message, Catch::Contains("'none'"));
  CHECK_THAT(v.verify_bearer(k.sign(claims(), "HS256")).error().message, Catch::Contains("RS256 and ES256"));

  for (const char* junk : {"", "abc", "a.b", "a.b.c.d", "!!.??.**", "e30.e30.", "W10.W10.AA"}) {
    auto r = v.verify_bearer(junk);
    INFO(junk);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::Unauthorized);
  }
  // A realm name that is not one cannot steer the key URL.
  std::string odd = R"({"iss": "https://idp.example/realms/../../x?y", "exp": )" + std::to_string(now() + 60) + "}";
  CHECK_THAT(v.verify_bearer(k.sign(odd)).error().message, Catch::Contains("no realm"));
}

TEST_CASE("oidc: key rotation fetches the keys again, rate-limited") {
  TestKey old_key = TestKey::rsa("old");
  TestKey new_key = TestKey::rsa("new");
  Provider idp;
  idp.publish({&old_key});
  OidcOptions o = options();
  o.jwks_refetch_interval = std::chrono::seconds(3600);
  OidcVerifier limited(o, idp.fetch());
  REQUIRE(limited.verify_bearer(old_key.sign(claims())).ok());
  CHECK(limited.fetches() == 1);

  // The provider rotates: within the refetch interval the new kid is not
  // looked up again.
  idp.publish({&new_key});
  auto refused = limited.verify_bearer(new_key.sign(claims()));
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message, Catch::Contains("kid 'new'"));
  CHECK(limited.fetches() == 1);

  // With no interval to wait: one fetch, then the new key verifies.
  OidcVerifier v(options(), idp.fetch());
  idp.publish({&old_key});
  REQUIRE(v.verify_bearer(old_key.sign(claims())).ok());
  idp.publish({&old_key, &new_key});
  REQUIRE(v.verify_bearer(new_key.sign(claims())).ok());
  CHECK(v.fetches() == 2);
  REQUIRE(v.verify_bearer(old_key.sign(claims())).ok());
  CHECK(v.fetches() == 2);
}

TEST_CASE("oidc: a provider that cannot be reached is Unavailable, known keys keep serving") {
  TestKey k = TestKey::rsa("k1");
  Provider idp;
  idp.down = true;
  OidcVerifier v(options(), idp.fetch());
  auto r = v.verify_bearer(k.sign(claims()));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Unavailable);
  idp.down = false;
  idp.publish({&k});
  REQUIRE(v.verify_bearer(k.sign(claims())).ok());
  idp.down = true;
  REQUIRE(v.verify_bearer(k.sign(claims())).ok());
}

TEST_CASE("oidc: project and roles from configured claims") {
  TestKey k = TestKey::rsa("k1");
  Provider idp;
  idp.publish({&k});
  OidcOptions o = options();
  o.project_claim = "tenant.id";
  o.roles_claim = "groups";
  OidcVerifier v(o, idp.fetch());
  auto id = v.verify_bearer(k.sign(claims(300, R"(, "tenant": {"id": "proj-7"}, "groups": ["reader"])")));
  REQUIRE(id.ok());
  CHECK(id->project_id == "proj-7");
  CHECK(id->roles == std::vector<std::string>{"reader"});
  CHECK_FALSE(id->is_admin);
  CHECK_THAT(v.verify_bearer(k.sign(claims())).error().message, Catch::Contains("'tenant.id'"));
}

TEST_CASE("oidc: options from [keycloak_oidc]") {
  Config c;
  CHECK_FALSE(oidc_options_from_config(c).ok());
  c.set("keycloak_oidc", "auth_url", "http://127.0.0.1:8080/auth/");
  c.set("keycloak_oidc", "leeway", "1000");
  CHECK_THAT(oidc_options_from_config(c).error().message, Catch::Contains("[keycloak_oidc] leeway"));
  c.set("keycloak_oidc", "leeway", "10");
  auto o = oidc_options_from_config(c);
  REQUIRE(o.ok());
  CHECK(o->auth_url == "http://127.0.0.1:8080/auth");
  CHECK(o->leeway == std::chrono::seconds(10));
  CHECK(o->public_cert_url == "/realms/%s/protocol/openid-connect/certs");
}

TEST_CASE("oidc: JWKS documents") {
  CHECK_FALSE(JwkSet::parse("[]").ok());
  CHECK_FALSE(JwkSet::parse("{\"keys\": 1}").ok());
  auto weak = JwkSet::parse(R"({"keys": [{"kty": "RSA", "kid": "w", "n": "AQAB", "e": "AQAB"}]})");
  REQUIRE(weak.ok());
  CHECK(weak->size() == 0);  // under 2048 bits: skipped
  TestKey k = TestKey::rsa("k1");
  auto enc = JwkSet::parse("{\"keys\": [" + k.jwk().replace(k.jwk().find("\"sig\""), 5, "\"enc\"") + "]}");
  REQUIRE(enc.ok());
  CHECK(enc->size() == 0);
  CHECK(base64url_decode("aGk") == std::optional<std::string>("hi"));
  CHECK_FALSE(base64url_decode("aGk=").has_value());
  CHECK_FALSE(base64url_decode("a").has_value());
}
