#include "bora/api/cors.h"

#include <algorithm>
#include <cctype>

#include "bora/api/list_params.h"
#include "bora/core/ascii.h"

namespace bora::api {

namespace {

// The headers a preflight may always ask for (the filter's simple_headers).
const std::vector<std::string> kSimpleHeaders = {"Accept",  "Accept-Language", "Content-Type", "Cache-Control",
                                                 "Content-Language", "Expires", "Last-Modified", "Pragma"};

bool same_name(const std::string& a, const std::string& b) { return ascii_upper(a) == ascii_upper(b); }

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ",") + s;
  return out;
}

// A header of the answer, replacing one of the same name.
void set_header(Response& r, const std::string& name, const std::string& value) {
  for (auto& [k, v] : r.headers)
    if (same_name(k, name)) {
      v = value;
      return;
    }
  r.headers.emplace_back(name, value);
}

// The origin as the allowed list names it ("*" when only the wildcard
// takes it), or nullopt: the request gets no CORS header.
std::optional<std::string> allowed(const CorsOptions& o, const std::optional<std::string>& origin) {
  if (!origin) return std::nullopt;
  auto has = [&](const std::string& x) { return std::find(o.allowed_origin.begin(), o.allowed_origin.end(), x) != o.allowed_origin.end(); };
  if (has(*origin)) return *origin;
  if (has("*")) return std::string("*");
  return std::nullopt;
}

void preflight(const CorsOptions& o, const CorsRequest& req, Response& r) {
  auto origin = allowed(o, req.origin);
  if (!origin || !req.request_method) return;
  if (std::find(o.allow_methods.begin(), o.allow_methods.end(), *req.request_method) == o.allow_methods.end()) return;
  std::vector<std::string> asked = req.request_headers ? split_commas(*req.request_headers) : std::vector<std::string>{};
  for (const auto& h : asked) {
    auto permitted = [&](const std::vector<std::string>& list) {
      return std::any_of(list.begin(), list.end(), [&](const std::string& p) { return same_name(p, h); });
    };
    if (!permitted(o.allow_headers) && !permitted(kSimpleHeaders)) return;
  }
  set_header(r, "Vary", "Origin");
  set_header(r, "Access-Control-Allow-Origin", *origin);
  if (o.allow_credentials) set_header(r, "Access-Control-Allow-Credentials", "true");
  if (o.max_age) set_header(r, "Access-Control-Max-Age", std::to_string(o.max_age));
  set_header(r, "Access-Control-Allow-Methods", *req.request_method);
  if (!asked.empty()) set_header(r, "Access-Control-Allow-Headers", join(asked));
}

void actual_request(const CorsOptions& o, const CorsRequest& req, Response& r) {
  auto origin = allowed(o, req.origin);
  if (!origin) return;
  bool varied = false;
  for (auto& [k, v] : r.headers)
    if (same_name(k, "Vary")) {
      v += ",Origin";
      varied = true;
      break;
    }
  if (!varied) r.headers.emplace_back("Vary", "Origin");
  set_header(r, "Access-Control-Allow-Origin", *origin);
  if (o.allow_credentials) set_header(r, "Access-Control-Allow-Credentials", "true");
  if (!o.expose_headers.empty()) set_header(r, "Access-Control-Expose-Headers", join(o.expose_headers));
}

}  // namespace

CorsRequest cors_request(const Request& request) {
  CorsRequest c;
  c.method = request.method;
  auto copy = [&](const char* name) -> std::optional<std::string> {
    if (const std::string* v = request.header(name)) return *v;
    return std::nullopt;
  };
  c.origin = copy("origin");
  c.request_method = copy("access-control-request-method");
  c.request_headers = copy("access-control-request-headers");
  return c;
}

void apply_cors(const CorsOptions& options, const CorsRequest& request, Response& r) {
  // A CORS header the answer has already (none of Bora's) is left alone.
  for (const auto& [k, v] : r.headers)
    if (same_name(k, "Access-Control-Allow-Origin")) return;
  if (request.method == "OPTIONS") {
    if (r.status < 200 || r.status >= 300) {
      // The route's refusal (404, 405, 401) is not the preflight's answer.
      r = Response{};
      r.status = 200;
      r.content_type.clear();
    }
    preflight(options, request, r);
    return;
  }
  actual_request(options, request, r);
}

}  // namespace bora::api
