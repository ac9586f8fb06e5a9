// api/cors: Cross-Origin Resource Sharing as Mistral's API answers it.
// Mistral wraps its whole application (authentication included) in
// oslo.middleware's CORS filter, configured by mistral.conf's [cors]
// section over Mistral's defaults (mistral/config.py): a page served from
// an allowed origin (a dashboard on another host) may call the API from the
// browser. Without an allowed origin no CORS header is ever added; an
// OPTIONS request is answered 200 all the same (a preflight never fails
// with the route's 404 or 405, as the filter replaces those).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bora/api/http.h"

namespace bora::api {

// [cors] options (oslo.middleware's names and defaults as Mistral sets them).
struct CorsOptions {
  // "<scheme>://<host>[:<port>]" without a trailing slash, or "*" for any.
  std::vector<std::string> allowed_origin;
  bool allow_credentials = true;
  std::vector<std::string> expose_headers{"X-Auth-Token", "X-Subject-Token", "X-Service-Token",
                                          "X-Project-Id", "X-User-Name",     "X-Project-Name"};
  long max_age = 3600;  // seconds a preflight may be cached; 0: no Access-Control-Max-Age
  std::vector<std::string> allow_methods{"GET", "PUT", "POST", "DELETE", "PATCH"};
  std::vector<std::string> allow_headers{"X-Auth-Token", "X-Identity-Status", "X-Roles",
                                         "X-Service-Catalog", "X-User-Id", "X-Tenant-Id",
                                         "X-Project-Id", "X-User-Name", "X-Project-Name"};
};

// What the filter reads of a request (copied: the answer may come later,
// from another thread).
struct CorsRequest {
  std::string method;
  std::optional<std::string> origin;          // Origin
  std::optional<std::string> request_method;   // Access-Control-Request-Method
  std::optional<std::string> request_headers;  // Access-Control-Request-Headers
};
CorsRequest cors_request(const Request& request);

// r, the answer to the request, as the filter passes it on: an OPTIONS
// answer that is not 2xx becomes an empty 200 without a content type; then
// the preflight's headers (OPTIONS) or the actual request's, when the
// Origin is allowed (and, for a preflight, its method and headers are).
void apply_cors(const CorsOptions& options, const CorsRequest& request, Response& r);

}  // namespace bora::api
