// identity: Keystone token validation (against a scripted Keystone), the
// token cache's bounds and expiry, and mistral.conf's options.
#include <catch2/catch.hpp>

#include <atomic>

#include "bora/core/json.h"
#include "bora/identity/keystone_auth.h"

using namespace bora;
using namespace bora::identity;

namespace {

std::string in_hours(int h) { return format_iso_time(now_utc() + std::chrono::hours(h)) + "Z"; }

std::string token_body(const std::string& project, const std::string& roles_json, const std::string& expires) {
  return R"({"token": {"user": {"id": "u1", "name": "alice", "domain": {"id": "default"}},
             "project": {"id": ")" + project + R"(", "name": "alpha", "domain": {"id": "default"}},
             "roles": )" + roles_json + R"(, "catalog": [{"type": "workflowv2", "endpoints": []}],
             "expires_at": ")" + expires + R"("}})";
}

// Keystone as a script: Bora's own token, then one answer per user token.
class ScriptedKeystone : public KeystoneClient {
 public:
  explicit ScriptedKeystone(KeystoneOptions o) : KeystoneClient(std::move(o)) {}
  std::map<std::string, HttpAnswer> tokens;  // subject token -> answer
  // Expired tokens: Keystone answers them only when asked with allow_expired.
  std::map<std::string, HttpAnswer> expired;
  bool down = false;
  std::atomic<int> validations{0}, logins{0};

 protected:
  Result<HttpAnswer> exchange(const std::string& method, const std::string& path,
                              const std::map<std::string, std::string>& headers, const std::string&) override {
    if (down) return Error{ErrorKind::Unavailable, "connection refused"};
    if (method == "POST" && path == "/v3/auth/tokens") {
      ++logins;
      return HttpAnswer{201, token_body("service", R"([{"name": "service"}])", in_hours(1)),
                        {{"x-subject-token", "service-token"}}};
    }
    if (method == "GET" && (path == "/v3/auth/tokens" || path == "/v3/auth/tokens?allow_expired=1")) {
      ++validations;
      if (headers.at("X-Auth-Token") != "service-token") return HttpAnswer{401, "{}", {}};
      if (path.find("allow_expired") != std::string::npos) {
        if (auto e = expired.find(headers.at("X-Subject-Token")); e != expired.end()) return e->second;
      }
      auto it = tokens.find(headers.at("X-Subject-Token"));
      if (it == tokens.end()) return HttpAnswer{404, R"({"error": {"message": "Could not find token"}})", {}};
      return it->second;
    }
    return HttpAnswer{500, "", {}};
  }
};

KeystoneOptions keystone_test_options() {
  KeystoneOptions o;
  o.www_authenticate_uri = "http://keystone:5000/v3";
  o.auth_url = "http://keystone:5000";
  o.username = "bora";
  o.password = "pw";
  o.project_name = "service";
  o.token_cache_time = std::chrono::seconds(300);
  return o;
}

}  // namespace

TEST_CASE("a valid token gives the identity, roles, catalog and security context from Keystone") {
  auto ks = std::make_shared<ScriptedKeystone>(keystone_test_options());
  ks->tokens["t-alice"] = {200, token_body("p-alpha", R"([{"name": "member"}, {"name": "reader"}])", in_hours(1)), {}};
  ks->tokens["t-admin"] = {200, token_body("p-admin", R"([{"name": "admin"}])", in_hours(1)), {}};
  KeystoneAuth auth(ks);
  auto a = auth.authenticate({{"x-auth-token", "t-alice"}, {"x-project-id", "p-forged"}, {"x-roles", "admin"}});
  REQUIRE(a.ok());
  CHECK(a->identity.project_id == "p-alpha");
  CHECK(a->identity.user_id == "u1");
  CHECK(a->identity.roles == std::vector<std::string>{"member", "reader"});
  CHECK_FALSE(a->is_admin);  // X-Roles: admin from the client counts for nothing
  CHECK(a->security.find("auth_token")->as_string() == "t-alice");
  CHECK(a->security.find("project_id")->as_string() == "p-alpha");
  CHECK(a->security.find("auth_uri")->as_string() == "http://keystone:5000/v3");
  CHECK(a->security.find("service_catalog")->is_list());
  CHECK(a->security.find("is_trust_scoped")->as_bool() == false);
  auto admin = auth.authenticate({{"x-auth-token", "t-admin"}});
  REQUIRE(admin.ok());
  CHECK(admin->is_admin);
}

TEST_CASE("missing, unknown and expired tokens are 401; Keystone down is 503 and not cached") {
  auto ks = std::make_shared<ScriptedKeystone>(keystone_test_options());
  ks->tokens["t-old"] = {200, token_body("p", "[]", "2020-01-01T00:00:00.000000Z"), {}};
  KeystoneAuth auth(ks);
  CHECK(auth.authenticate({}).error().kind == ErrorKind::Unauthorized);
  CHECK(auth.authenticate({{"x-auth-token", "nope"}}).error().kind == ErrorKind::Unauthorized);
  CHECK(auth.authenticate({{"x-auth-token", "t-old"}}).error().kind == ErrorKind::Unauthorized);
  CHECK(auth.challenge() == "Keystone uri=\"http://keystone:5000/v3\"");
  ks->down = true;
  auto down = auth.authenticate({{"x-auth-token", "t-new"}});
  CHECK(down.error().kind == ErrorKind::Unavailable);
  ks->down = false;
  ks->tokens["t-new"] = {200, token_body("p", "[]", in_hours(1)), {}};
  CHECK(auth.authenticate({{"x-auth-token", "t-new"}}).ok());  // asked again, not a cached failure
}

TEST_CASE("X-Service-Token is validated as keystonemiddleware does (service_token_roles*)") {
  auto ks = std::make_shared<ScriptedKeystone>(keystone_test_options());
  ks->tokens["t-alice"] = {200, token_body("p-alpha", R"([{"name": "member"}])", in_hours(1)), {}};
  ks->tokens["s-nova"] = {200, token_body("p-service", R"([{"name": "service"}])", in_hours(1)), {}};
  ks->tokens["s-user"] = {200, token_body("p-beta", R"([{"name": "member"}])", in_hours(1)), {}};
  ks->expired["t-expired"] = {200, token_body("p-alpha", R"([{"name": "member"}])", "2020-01-01T00:00:00.000000Z"), {}};
  KeystoneAuth auth(ks);
  // An expired user token alone: 401 (Keystone says 404 without allow_expired).
  CHECK(auth.authenticate({{"x-auth-token", "t-expired"}}).error().kind == ErrorKind::Unauthorized);
  // With a service token holding a service role it is accepted (allow_expired),
  // and the caller is still the user, not the service.
  auto a = auth.authenticate({{"x-auth-token", "t-expired"}, {"x-service-token", "s-nova"}});
  REQUIRE(a.ok());
  CHECK(a->identity.project_id == "p-alpha");
  REQUIRE(a->service);
  CHECK(a->service->roles == std::vector<std::string>{"service"});
  CHECK(a->service->project_id == "p-service");
  // A refused service token makes the request 401 even with a good user token.
  auto bad = auth.authenticate({{"x-auth-token", "t-alice"}, {"x-service-token", "s-forged"}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == ErrorKind::Unauthorized);
  CHECK(bad.error().message.find("service token") != std::string::npos);
  // A user's token as a service token (no service role): refused while
  // service_token_roles_required (the default) ...
  auto user_as_service = auth.authenticate({{"x-auth-token", "t-alice"}, {"x-service-token", "s-user"}});
  REQUIRE_FALSE(user_as_service.ok());
  CHECK(user_as_service.error().message.find("service_token_roles (service)") != std::string::npos);
  // ... accepted without it, but giving no leeway for an expired user token.
  KeystoneOptions lax = keystone_test_options();
  lax.service_token_roles_required = false;
  auto ks2 = std::make_shared<ScriptedKeystone>(lax);
  ks2->tokens = ks->tokens;
  ks2->expired = ks->expired;
  KeystoneAuth lax_auth(ks2);
  CHECK(lax_auth.authenticate({{"x-auth-token", "t-alice"}, {"x-service-token", "s-user"}}).ok());
  CHECK(lax_auth.authenticate({{"x-auth-token", "t-expired"}, {"x-service-token", "s-user"}}).error().kind ==
        ErrorKind::Unauthorized);
  // Other service roles count when configured.
  KeystoneOptions roles = keystone_test_options();
  roles.service_token_roles = {"admin", "member"};
  auto ks3 = std::make_shared<ScriptedKeystone>(roles);
  ks3->tokens = ks->tokens;
  KeystoneAuth roles_auth(ks3);
  CHECK(roles_auth.authenticate({{"x-auth-token", "t-alice"}, {"x-service-token", "s-user"}}).ok());
  // Keystone down while checking the service token: 503, not a pass.
  ks->down = true;
  CHECK(auth.authenticate({{"x-auth-token", "t-alice"}, {"x-service-token", "s-other"}}).error().kind ==
        ErrorKind::Unavailable);
}

TEST_CASE("service_token_roles and service_token_roles_required are read from [keystone_authtoken]") {
  auto parsed = Config::parse(
      "[pecan]\nauth_enable = True\n[keystone_authtoken]\nauth_url = http://k:5000\nusername = bora\n"
      "password = pw\nproject_name = service\nservice_token_roles = service, nova\n"
      "service_token_roles_required = false\n");
  REQUIRE(parsed.ok());
  auto s = auth_settings(*parsed);
  REQUIRE(s.ok());
  CHECK(s->keystone.service_token_roles == std::vector<std::string>{"service", "nova"});
  CHECK_FALSE(s->keystone.service_token_roles_required);
  auto defaults = auth_settings(Config{});
  REQUIRE(defaults.ok());
  CHECK(defaults->keystone.service_token_roles == std::vector<std::string>{"service"});
  CHECK(defaults->keystone.service_token_roles_required);
}

TEST_CASE("validated tokens are cached: one Keystone call, until token_cache_time") {
  auto ks = std::make_shared<ScriptedKeystone>(keystone_test_options());
  ks->tokens["t"] = {200, token_body("p", "[]", in_hours(1)), {}};
  KeystoneAuth auth(ks);
  for (int i = 0; i < 5; ++i) REQUIRE(auth.authenticate({{"x-auth-token", "t"}}).ok());
  CHECK(ks->validations == 1);
  CHECK(ks->logins == 1);  // Bora's own token is reused too
}

TEST_CASE("the token cache is bounded, expires entries, and never outlives the token") {
  TokenCache cache(std::chrono::seconds(60), 2);
  KeystoneIdentity id;
  id.expires = now_utc() + std::chrono::hours(1);
  auto t0 = TokenCache::Clock::now();
  cache.store("a", id, t0);
  cache.store("b", id, t0);
  REQUIRE(cache.find("a", t0));  // a is now the most recently used
  cache.store("c", id, t0);
  CHECK(cache.size() == 2);
  CHECK_FALSE(cache.find("b", t0));
  CHECK(cache.find("a", t0 + std::chrono::seconds(59)));
  CHECK_FALSE(cache.find("a", t0 + std::chrono::seconds(61)));  // a revoked token stops within the TTL
  KeystoneIdentity soon = id;
  soon.expires = now_utc() + std::chrono::seconds(5);
  cache.store("d", soon, t0);
  CHECK_FALSE(cache.find("d", t0 + std::chrono::seconds(6)));
  cache.store("e", Result<KeystoneIdentity>(Error{ErrorKind::Unavailable, "down"}), t0);
  CHECK_FALSE(cache.find("e", t0));
}

TEST_CASE("mistral.conf's authentication options are read by their Mistral names") {
  auto cfg = Config::parse(
      "[DEFAULT]\nauth_type = keystone\ntransport_url = rabbit://x\n"
      "[pecan]\nauth_enable = True\n"
      "[keystone_authtoken]\nwww_authenticate_uri = http://ks:5000/v3\nauth_url = http://ks:5000\n"
      "auth_type = password\nusername = mistral\npassword = secret\nproject_name = service\n"
      "user_domain_name = Default\nproject_domain_name = Default\nregion_name = RegionTwo\n"
      "token_cache_time = 30\ninsecure = true\n");
  REQUIRE(cfg.ok());
  auto s = auth_settings(*cfg);
  REQUIRE(s.ok());
  CHECK(s->enabled);
  CHECK(s->type == "keystone");
  CHECK(s->keystone.username == "mistral");
  CHECK(s->keystone.region_name == "RegionTwo");
  CHECK(s->keystone.token_cache_time == std::chrono::seconds(30));
  CHECK(s->keystone.insecure);

  auto off = auth_settings(*Config::parse("[pecan]\nauth_enable = False\n"));
  REQUIRE(off.ok());
  CHECK_FALSE(off->enabled);
  auto incomplete = auth_settings(*Config::parse("[pecan]\nauth_enable = true\n[keystone_authtoken]\nauth_url = http://k\n"));
  REQUIRE_FALSE(incomplete.ok());
  CHECK(incomplete.error().message.find("username, password and project_name") != std::string::npos);
  auto bad_type = auth_settings(*Config::parse("[auth]\nauth_type = ldap\n"));
  CHECK_FALSE(bad_type.ok());
}
