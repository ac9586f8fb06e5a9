// executor/plugins/host: what Bora offers a pack through bora_host. HTTP is
// std.http's own request (executor/std/http_action), so a pack reaches
// exactly what std.http may reach ([executor] denied_networks, the own API
// port, http and https only, the response size limit): a pack is not a way
// around the operator's rules.
#include <cstdlib>
#include <cstring>

#include "bora/core/json.h"
#include "bora/core/log.h"
#include "bora/executor/std_actions.h"
#include "pack.h"

namespace bora::executor::plugins {

namespace {

char* copy(const std::string& text) {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (out) std::memcpy(out, text.c_str(), text.size() + 1);
  return out;
}

char* error_answer(const std::string& why) { return copy(to_json(Value::dict({{"error", why}}))); }

char* http(const bora_host*, const char* request_json, const bora_run_control* control) {
  auto request = parse_json(request_json ? request_json : "");
  if (!request || !(*request).is_dict())
    return error_answer("the pack's HTTP request is not a JSON object (a bug of the pack)");
  const Value& r = *request;
  if (!r["url"].is_string()) return error_answer("the pack's HTTP request has no 'url'");
  Value verify;  // null: verify with the system's CA certificates
  if (r["insecure"].truthy()) verify = Value(false);
  else if (r["cacert"].is_string() && !r["cacert"].as_string().empty()) verify = r["cacert"];
  Value input = Value::dict({{"url", r["url"]},
                             {"method", r["method"].is_string() ? r["method"] : Value("GET")},
                             {"params", Value()},
                             {"body", r["body"].is_string() ? r["body"] : Value()},
                             {"json", Value()},
                             {"headers", r["headers"].is_dict() ? r["headers"] : Value()},
                             {"cookies", Value()},
                             {"auth", Value()},
                             {"timeout", r["timeout"].is_number() ? r["timeout"] : Value()},
                             {"allow_redirects", Value(r["follow_redirects"].truthy())},
                             {"proxies", Value()},
                             {"verify", verify}});
  ActionRunContext none;
  const auto* ctx = control ? static_cast<const ActionRunContext*>(control->host_data) : nullptr;
  ActionResult result = http_request_as("the action pack's request", input, ctx ? *ctx : none);
  if (result.raised || (!result.data.is_dict() && !result.error.is_dict()))
    return error_answer(result.error.is_string() ? result.error.as_string() : to_json(result.error));
  const Value& response = result.failed ? result.error : result.data;
  Dict headers;
  if (response["headers"].is_dict()) {
    for (const auto& [name, value] : response["headers"].as_dict()) {
      std::string lower = name;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      headers.set(lower, value);
    }
  }
  return copy(to_json(Value::dict({{"status", response["status"]},
                                   {"reason", response["reason"]},
                                   {"headers", Value(std::move(headers))},
                                   {"body", response["content"].is_string() ? response["content"] : Value("")}})));
}

void log_line(const bora_host*, int level, const char* message) {
  std::string text = message ? message : "";
  switch (level) {
    case 0: log::debug("plugins", "{}", text); break;
    case 1: log::info("plugins", "{}", text); break;
    case 2: log::warning("plugins", "{}", text); break;
    default: log::error("plugins", "{}", text); break;
  }
}

void free_text(char* text) { std::free(text); }

}  // namespace

const bora_host* host() {
  static const bora_host h{BORA_PLUGIN_ABI_VERSION, http, log_line, free_text, nullptr};
  return &h;
}

}  // namespace bora::executor::plugins
