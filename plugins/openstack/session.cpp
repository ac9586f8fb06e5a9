#include "session.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace bora_openstack {

namespace {

// Keystone's URL templates: $(project_id)s, %(tenant_id)s, ...
std::string format_url(std::string url, const std::string& project_id) {
  for (const char* name : {"project_id", "tenant_id"}) {
    for (const char* open : {"$(", "%("}) {
      std::string pattern = std::string(open) + name + ")s";
      for (size_t at; (at = url.find(pattern)) != std::string::npos;) url.replace(at, pattern.size(), project_id);
    }
  }
  return url;
}

// The catalog list, wherever the context put it: the list itself,
// {"catalog": [...]} or a token body {"token": {"catalog": [...]}}.
const Json* catalog_list(const Json& v) {
  if (v.IsArray()) return &v;
  if (get(v, "catalog").IsArray()) return &get(v, "catalog");
  if (get(get(v, "token"), "catalog").IsArray()) return &get(get(v, "token"), "catalog");
  return nullptr;
}

}  // namespace

Session::Session(const bora_host* host, const bora_run_control* control, const PackConfig& config, const Json& security)
    : host_(host), control_(control), config_(config) {
  security_.CopyFrom(security, security_.GetAllocator());
  if (!truthy(get(security_, "auth_token")) && !config_.test_security_context.empty()) {
    std::ifstream in(config_.test_security_context);
    std::stringstream text;
    text << in.rdbuf();
    Doc test;
    if (!in || test.Parse(text.str().c_str()).HasParseError() || !test.IsObject()) {
      problem_ = "[openstack] test_security_context names " + config_.test_security_context +
                 ", which is not a readable JSON object";
      return;
    }
    // Fields of the execution's own context (project, user) stay.
    for (auto& m : test.GetObject()) {
      if (security_.IsObject() && security_.HasMember(m.name)) security_.RemoveMember(m.name);
      if (!security_.IsObject()) security_.SetObject();
      security_.AddMember(Json(m.name, security_.GetAllocator()), Json(m.value, security_.GetAllocator()),
                          security_.GetAllocator());
    }
  }
  token_ = text(get(security_, "auth_token"));
  auth_uri_ = text(get(security_, "auth_uri"));
  region_ = text(get(security_, "region_name"));
  project_id_ = text(get(security_, "project_id"));
  insecure_ = truthy(get(security_, "insecure"));
  cacert_ = text(get(security_, "auth_cacert"));
  if (token_.empty()) {
    problem_ = "the execution has no authentication token to call OpenStack with (Bora's authentication is off, or "
               "the execution was started without a Keystone token): see docs/ACTIONS.md";
    return;
  }
  if (const Json* list = catalog_list(get(security_, "service_catalog"))) {
    catalog_.CopyFrom(*list, catalog_.GetAllocator());
  }
}

void Session::http(const std::string& method, const std::string& url,
                   const std::vector<std::pair<std::string, std::string>>& headers, const std::string_view* body,
                   Doc& answer, bool follow_redirects) {
  Doc request(rapidjson::kObjectType);
  auto& a = request.GetAllocator();
  request.AddMember("method", str(method, a), a);
  request.AddMember("url", str(url, a), a);
  Json h(rapidjson::kObjectType);
  for (const auto& [k, v] : headers) h.AddMember(str(k, a), str(v, a), a);
  request.AddMember("headers", h, a);
  // A reference, not a copy: the writer below escapes it straight from the
  // caller's memory, into the one buffer the host reads.
  if (body)
    request.AddMember("body", Json(rapidjson::StringRef(body->data(), static_cast<rapidjson::SizeType>(body->size()))),
                      a);
  request.AddMember("timeout", config_.timeout, a);
  request.AddMember("insecure", insecure_, a);
  if (!cacert_.empty()) request.AddMember("cacert", str(cacert_, a), a);
  if (follow_redirects) request.AddMember("follow_redirects", true, a);
  rapidjson::StringBuffer request_json;
  rapidjson::Writer<rapidjson::StringBuffer> writer(request_json);
  request.Accept(writer);
  char* text = host_->http(host_, request_json.GetString(), control_);
  if (!text || answer.Parse(text).HasParseError() || !answer.IsObject()) {
    answer.SetObject();
    answer.AddMember("error", "the host answered the HTTP request with no readable answer", answer.GetAllocator());
  }
  if (text) host_->free_string(text);
}

void Session::fetch_catalog() {
  // Mistral asks Keystone for the token's catalog when the context has
  // none (a target cloud's catalog may not come through the API).
  if (auth_uri_.empty()) return;
  std::string base = auth_uri_;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.size() < 3 || base.compare(base.size() - 3, 3, "/v3") != 0) base += "/v3";
  Doc answer;
  http("GET", base + "/auth/tokens", {{"X-Auth-Token", token_}, {"X-Subject-Token", token_}, {"Accept", "application/json"}},
       nullptr, answer);
  const Json& status = get(answer, "status");
  if (!status.IsInt() || status.GetInt() >= 300) return;
  Doc body;
  std::string body_text = text(get(answer, "body"));
  if (body.Parse(body_text.c_str()).HasParseError()) return;
  if (const Json* list = catalog_list(body)) catalog_.CopyFrom(*list, catalog_.GetAllocator());
}

Endpoint Session::endpoint(const std::vector<std::string>& types, const std::string& region_asked,
                           const std::string& name_for_errors) {
  if (!catalog_.IsArray()) fetch_catalog();
  std::string region = !region_asked.empty() ? region_asked : !region_.empty() ? region_ : config_.default_region;
  if (catalog_.IsArray()) {
    for (const auto& type : types) {
      for (const auto& service : catalog_.GetArray()) {
        if (text(get(service, "type")) != type) continue;
        const Json& endpoints = get(service, "endpoints");
        if (!endpoints.IsArray()) continue;
        for (const auto& ep : endpoints.GetArray()) {
          std::string ep_region = text(get(ep, "region")), ep_region_id = text(get(ep, "region_id"));
          if (!region.empty() && ep_region != region && ep_region_id != region) continue;
          // v3: "interface": "public"; v2: "publicURL".
          std::string url;
          if (get(ep, "interface").IsString()) {
            if (text(get(ep, "interface")).find(config_.interface) != std::string::npos) url = text(get(ep, "url"));
          } else {
            url = text(get(ep, config_.interface + "URL"));
          }
          if (!url.empty()) return {format_url(url, project_id_), ""};
        }
      }
    }
  }
  std::string listed;
  for (const auto& t : types) listed += (listed.empty() ? "'" : ", '") + t + "'";
  return {"", "No endpoints found [service_name=None, service_type=[" + listed + "], region_name=" +
                  (region.empty() ? std::string("None") : region) + ", interface=" + config_.interface + "]" +
                  (catalog_.IsArray() ? "" : " (the security context has no service catalog and Keystone gave none)")};
}

}  // namespace bora_openstack
