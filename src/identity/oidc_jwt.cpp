#include "bora/identity/oidc_jwt.h"

#include <fmt/format.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "bora/core/json.h"

namespace bora::identity {

namespace {

// A JWT's parts are small; a token past this is not one Bora will parse.
constexpr size_t kMaxTokenBytes = 64 * 1024;

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using BldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using PctxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using EcSigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG, ECDSA_SIG_free>>;

std::string text_of(const Value& object, const char* key) {
  const Value* v = object.is_dict() ? object.find(key) : nullptr;
  return v && v->is_string() ? v->as_string() : std::string();
}

PkeyPtr key_from_params(const char* type, OSSL_PARAM_BLD* bld) {
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld));
  PctxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return nullptr;
  }
  return PkeyPtr(key);
}

// {"kty": "RSA", "n": ..., "e": ...}: RSA keys under 2048 bits are refused.
PkeyPtr rsa_key(const Value& jwk) {
  auto n = base64url_decode(text_of(jwk, "n"));
  auto e = base64url_decode(text_of(jwk, "e"));
  if (!n || !e || n->empty() || e->empty()) return nullptr;
  BnPtr bn_n(BN_bin2bn(reinterpret_cast<const unsigned char*>(n->data()), static_cast<int>(n->size()), nullptr));
  BnPtr bn_e(BN_bin2bn(reinterpret_cast<const unsigned char*>(e->data()), static_cast<int>(e->size()), nullptr));
  if (!bn_n || !bn_e || BN_num_bits(bn_n.get()) < 2048) return nullptr;
  BldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return nullptr;
  }
  return key_from_params("RSA", bld.get());
}

// {"kty": "EC", "crv": "P-256", "x": ..., "y": ...}.
PkeyPtr ec_key(const Value& jwk) {
  if (text_of(jwk, "crv") != "P-256") return nullptr;
  auto x = base64url_decode(text_of(jwk, "x"));
  auto y = base64url_decode(text_of(jwk, "y"));
  if (!x || !y || x->size() != 32 || y->size() != 32) return nullptr;
  std::string point = "\x04" + *x + *y;  // uncompressed point
  BldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1) {
    return nullptr;
  }
  return key_from_params("EC", bld.get());
}

// JWS carries ES256 signatures as r||s (32 bytes each); OpenSSL verifies DER.
std::optional<std::string> ecdsa_der(const std::string& raw) {
  if (raw.size() != 64) return std::nullopt;
  EcSigPtr sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

bool verify_sha256(EVP_PKEY* key, std::string_view data, const std::string& signature) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
}

}  // namespace

struct JwkSet::Key {
  std::string kid;
  std::string alg;  // "RS256" or "ES256": what the key verifies
  PkeyPtr pkey;
};

std::optional<std::string> base64url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '-') v = 62;
    else if (c == '_') v = 63;
    else return std::nullopt;  // padding, '+', '/', whitespace: not base64url
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  if (bits >= 6) return std::nullopt;  // one character alone cannot encode a byte
  return out;
}

Result<DecodedJwt> decode_jwt(std::string_view token) {
  if (token.size() > kMaxTokenBytes) return unauthorized(fmt::format("the token is longer than {} bytes", kMaxTokenBytes));
  size_t a = token.find('.');
  size_t b = a == std::string_view::npos ? a : token.find('.', a + 1);
  if (b == std::string_view::npos || token.find('.', b + 1) != std::string_view::npos) {
    return unauthorized("the token is not a JWT (three base64url parts separated by dots)");
  }
  auto header = base64url_decode(token.substr(0, a));
  auto payload = base64url_decode(token.substr(a + 1, b - a - 1));
  auto signature = base64url_decode(token.substr(b + 1));
  if (!header || !payload || !signature) return unauthorized("the token's parts are not base64url");
  DecodedJwt jwt;
  auto h = parse_json(*header, 20);
  auto c = parse_json(*payload, 50);
  if (!h || !h->is_dict()) return unauthorized("the token's header is not a JSON object");
  if (!c || !c->is_dict()) return unauthorized("the token's claims are not a JSON object");
  jwt.header = std::move(h).value();
  jwt.claims = std::move(c).value();
  jwt.signing_input = std::string(token.substr(0, b));
  jwt.signature = std::move(*signature);
  jwt.alg = text_of(jwt.header, "alg");
  jwt.kid = text_of(jwt.header, "kid");
  return jwt;
}

JwkSet::JwkSet() = default;
JwkSet::~JwkSet() = default;
JwkSet::JwkSet(JwkSet&&) noexcept = default;
JwkSet& JwkSet::operator=(JwkSet&&) noexcept = default;
JwkSet::JwkSet(const JwkSet&) = default;
JwkSet& JwkSet::operator=(const JwkSet&) = default;

size_t JwkSet::size() const { return keys_.size(); }

bool JwkSet::has_kid(std::string_view kid) const {
  for (const auto& k : keys_)
    if (k->kid == kid) return true;
  return false;
}

Result<JwkSet> JwkSet::parse(std::string_view json) {
  auto doc = parse_json(json, 20);
  if (!doc) return bad_input("the JWKS is not JSON: " + doc.error().message);
  const Value* keys = doc->is_dict() ? doc->find("keys") : nullptr;
  if (!keys || !keys->is_list()) return bad_input("the JWKS has no \"keys\" list");
  JwkSet set;
  for (const auto& jwk : keys->as_list()) {
    if (!jwk.is_dict()) continue;
    std::string use = text_of(jwk, "use");
    if (!use.empty() && use != "sig") continue;  // encryption keys
    std::string kty = text_of(jwk, "kty"), alg = text_of(jwk, "alg");
    auto key = std::make_shared<Key>();
    key->kid = text_of(jwk, "kid");
    if (kty == "RSA" && (alg.empty() || alg == "RS256")) {
      key->alg = "RS256";
      key->pkey = rsa_key(jwk);
    } else if (kty == "EC" && (alg.empty() || alg == "ES256")) {
      key->alg = "ES256";
      key->pkey = ec_key(jwk);
    }
    if (key->pkey) set.keys_.push_back(std::move(key));
  }
  return set;
}

Result<bool> verify_jwt_signature(const DecodedJwt& jwt, const JwkSet& keys) {
  // The algorithm is the key's, never only the token's word for it: a
  // token saying "none" or "HS256" (an RSA key's bytes as an HMAC secret)
  // is refused here.
  if (jwt.alg != "RS256" && jwt.alg != "ES256") {
    return unauthorized(fmt::format("the token is signed with '{}'; Bora accepts RS256 and ES256", jwt.alg));
  }
  std::string signature = jwt.signature;
  if (jwt.alg == "ES256") {
    auto der = ecdsa_der(jwt.signature);
    if (!der) return unauthorized("the token's ES256 signature is not 64 bytes");
    signature = std::move(*der);
  }
  bool candidate = false;
  for (const auto& k : keys.keys_) {
    if (k->alg != jwt.alg || (!jwt.kid.empty() && k->kid != jwt.kid)) continue;
    candidate = true;
    if (verify_sha256(k->pkey.get(), jwt.signing_input, signature)) return true;
  }
  if (!candidate) return false;
  return unauthorized("the token's signature does not verify with the issuer's key");
}

}  // namespace bora::identity
