#include "bora/identity/keystone_identity.h"

#include <algorithm>

namespace bora::identity {

namespace {

std::string text(const Value* dict, std::string_view key) {
  if (!dict || !dict->is_dict()) return "";
  const Value* v = dict->find(key);
  return v && v->is_string() ? v->as_string() : "";
}

Value text_or_null(const std::string& s) { return s.empty() ? Value() : Value(s); }

}  // namespace

bool KeystoneIdentity::has_role(const std::string& role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

Result<KeystoneIdentity> identity_from_token_body(const Value& body) {
  const Value* token = body.is_dict() ? body.find("token") : nullptr;
  if (!token || !token->is_dict()) return bad_input("Keystone's answer holds no token");
  KeystoneIdentity id;
  const Value* user = token->find("user");
  id.user_id = text(user, "id");
  id.user_name = text(user, "name");
  id.user_domain_id = text(user ? user->find("domain") : nullptr, "id");
  const Value* project = token->find("project");
  id.project_id = text(project, "id");
  id.project_name = text(project, "name");
  id.project_domain_id = text(project ? project->find("domain") : nullptr, "id");
  if (const Value* roles = token->find("roles"); roles && roles->is_list())
    for (const Value& r : roles->as_list()) {
      std::string name = text(&r, "name");
      if (!name.empty()) id.roles.push_back(std::move(name));
    }
  if (const Value* catalog = token->find("catalog"); catalog && catalog->is_list()) id.catalog = *catalog;
  id.expires_at = text(token, "expires_at");
  auto expires = parse_time(id.expires_at);
  if (!expires) return bad_input("Keystone's token has no readable expires_at: '" + id.expires_at + "'");
  id.expires = *expires;
  id.trust_id = text(token->find("OS-TRUST:trust"), "id");
  if (id.user_id.empty()) return bad_input("Keystone's token names no user");
  // Mistral scopes every resource to a project: an unscoped or
  // domain-scoped token cannot own workflows.
  if (id.project_id.empty()) return bad_input("the token is not scoped to a project; ask Keystone for a project-scoped token");
  return id;
}

Value security_context(const KeystoneIdentity& id, const std::string& token, const SecurityFields& f) {
  return Value::dict({{"auth_uri", text_or_null(f.auth_uri)},
                      {"auth_cacert", text_or_null(f.auth_cacert)},
                      {"insecure", Value(f.insecure)},
                      {"service_catalog", id.catalog},
                      {"region_name", text_or_null(f.region_name)},
                      {"user_id", Value(id.user_id)},
                      {"user_name", text_or_null(id.user_name)},
                      {"project_id", Value(id.project_id)},
                      {"project_name", text_or_null(id.project_name)},
                      {"auth_token", text_or_null(token)},
                      {"trust_id", text_or_null(id.trust_id)},
                      {"is_trust_scoped", Value(!id.trust_id.empty())},
                      {"is_target", Value(false)},
                      {"expires_at", text_or_null(id.expires_at)},
                      {"redelivered", Value(false)}});
}

Value anonymous_security_context(const std::string& project_id, const std::string& user_id) {
  KeystoneIdentity id;
  id.project_id = project_id;
  id.user_id = user_id;
  Value v = security_context(id, "", {});
  return v.with("user_id", text_or_null(user_id));
}

}  // namespace bora::identity
