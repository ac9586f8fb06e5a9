#include "bora/identity/keystone_options.h"

#include <cctype>

#include "bora/core/ascii.h"

namespace bora::identity {

namespace {

constexpr const char* kSection = "keystone_authtoken";

// oslo.config's list: "a, b,c".
std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string item;
  auto flush = [&] {
    size_t b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
    item.clear();
  };
  for (char c : text) {
    if (c == ',') flush();
    else item += c;
  }
  flush();
  return out;
}

std::string option(const Config& c, const char* name, std::string fallback = "") {
  return c.get_or(kSection, name, std::move(fallback));
}

}  // namespace

Result<AuthSettings> auth_settings(const Config& config) {
  AuthSettings s;
  // Mistral reads [pecan] auth_enable; Bora's own files say [api]. Either
  // turns it on; Bora's default is off (Mistral's is on), so that a server
  // started without a configuration still needs no Keystone.
  auto pecan = config.get_bool("pecan", "auth_enable", false);
  if (!pecan) return pecan.error();
  auto api = config.get_bool("api", "auth_enable", false);
  if (!api) return api.error();
  s.enabled = *pecan || *api;
  s.type = ascii_lower(config.get_or("auth", "auth_type", config.get_or("DEFAULT", "auth_type", "keystone")));
  if (s.type != "keystone" && s.type != "keycloak-oidc") {
    return bad_input("configuration option auth_type must be keystone or keycloak-oidc, got '" + s.type + "'");
  }
  KeystoneOptions& k = s.keystone;
  // auth_uri is keystonemiddleware's deprecated name of www_authenticate_uri.
  k.www_authenticate_uri = option(config, "www_authenticate_uri", option(config, "auth_uri"));
  k.auth_url = option(config, "auth_url", k.www_authenticate_uri);
  if (k.www_authenticate_uri.empty()) k.www_authenticate_uri = k.auth_url;
  k.username = option(config, "username", option(config, "admin_user"));
  k.password = option(config, "password", option(config, "admin_password"));
  k.project_name = option(config, "project_name", option(config, "admin_tenant_name"));
  k.user_domain_name = option(config, "user_domain_name", "Default");
  k.project_domain_name = option(config, "project_domain_name", "Default");
  k.user_domain_id = option(config, "user_domain_id");
  k.project_domain_id = option(config, "project_domain_id");
  k.region_name = option(config, "region_name");
  k.cafile = option(config, "cafile");
  auto insecure = config.get_bool(kSection, "insecure", false);
  if (!insecure) return insecure.error();
  k.insecure = *insecure;
  auto ttl = config.get_int(kSection, "token_cache_time", 300);
  if (!ttl) return ttl.error();
  // keystonemiddleware: -1 turns the cache off.
  k.token_cache_time = std::chrono::seconds(*ttl < 0 ? 0 : *ttl);
  auto entries = config.get_int(kSection, "token_cache_entries", 10000);
  if (!entries) return entries.error();
  if (*entries < 0) return bad_input("[keystone_authtoken] token_cache_entries must be 0 or more");
  k.token_cache_entries = static_cast<size_t>(*entries);
  // keystonemiddleware's http_connect_timeout (seconds, no default there).
  auto timeout = config.get_int(kSection, "http_connect_timeout", 5);
  if (!timeout) return timeout.error();
  if (*timeout <= 0) return bad_input("[keystone_authtoken] http_connect_timeout must be a positive number of seconds");
  k.http_timeout = std::chrono::seconds(*timeout);
  if (auto roles = config.get("api", "admin_roles")) k.admin_roles = split_list(*roles);
  if (auto roles = config.get(kSection, "service_token_roles")) k.service_token_roles = split_list(*roles);
  auto roles_required = config.get_bool(kSection, "service_token_roles_required", true);
  if (!roles_required) return roles_required.error();
  k.service_token_roles_required = *roles_required;

  if (s.enabled && s.type == "keystone") {
    std::string auth_type = ascii_lower(option(config, "auth_type", "password"));
    if (auth_type != "password" && auth_type != "v3password") {
      return bad_input("[keystone_authtoken] auth_type = " + auth_type +
                       ": Bora authenticates to Keystone with a password (auth_type = password)");
    }
    if (k.auth_url.empty())
      return bad_input("authentication is on ([pecan] auth_enable) but [keystone_authtoken] auth_url is not set");
    if (k.username.empty() || k.password.empty() || k.project_name.empty()) {
      return bad_input("authentication is on ([pecan] auth_enable): [keystone_authtoken] username, password and "
                       "project_name must name Bora's service user");
    }
  }
  return s;
}

const std::vector<std::string>& identity_option_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out{"pecan.auth_enable", "api.auth_enable", "api.admin_roles", "auth.auth_type",
                                 "DEFAULT.auth_type"};
    for (const char* n : {"www_authenticate_uri", "auth_uri", "auth_url", "auth_type", "username", "password",
                          "project_name", "user_domain_name", "project_domain_name", "user_domain_id",
                          "project_domain_id", "region_name", "cafile", "insecure", "token_cache_time",
                          "token_cache_entries", "http_connect_timeout", "admin_user", "admin_password",
                          "admin_tenant_name", "service_token_roles",
                          "service_token_roles_required"})
      out.push_back(std::string(kSection) + "." + n);
    return out;
  }();
  return names;
}

}  // namespace bora::identity
