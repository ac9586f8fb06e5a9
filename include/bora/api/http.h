// api/http: what a resource handler sees of an HTTP exchange. Plain structs,
// so that handlers never include Beast (which is compiled once, in server.cpp).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bora/core/error.h"
#include "bora/core/trace.h"
#include "bora/core/value.h"

namespace bora::api {

class StreamSource;  // api/stream.h

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // percent-decoded, without the query string
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::map<std::string, std::string> headers;              // names lower-cased
  std::string body;
  std::string base_url;  // "http://host:port", for links in responses

  // Who is asking: the project from X-Project-Id (or the configured default),
  // and whether the caller is an admin (X-Roles containing "admin").
  std::string project_id;
  bool is_admin = false;
  // With Keystone on (api/auth.h), from the validated token instead: the
  // user, and the security context an execution keeps (null: auth off).
  std::string user_id;
  std::vector<std::string> roles;
  Value security;
  // The X-Service-Token's identity when the request carried a valid one
  // (another OpenStack service acting for the user): oslo.context's
  // service_user_id, service_project_id and service_roles, which policy
  // rules may test.
  std::string service_user_id, service_project_id;
  std::vector<std::string> service_roles;

  // With tracing on, the router sets the API call's span here before the
  // route runs (the caller's trace from traceparent/tracestate, or a new
  // one); what the call starts (an execution) joins it. Mutable: the router
  // sees the request as const, and this is the one thing it adds.
  mutable std::optional<trace::SpanContext> trace;

  // Set by the router when a method that takes a resource by its id came to
  // the collection without it (PUT /v2/tasks): the route runs with an empty
  // id, and WSME's order holds: its query arguments are read (QueryArgs
  // refuses unknown ones), then its JSON body (json_body checks it), and
  // then the missing argument is the answer (400 Missing argument: "id").
  std::string missing_argument;

  const std::string* header(std::string_view lower_name) const;
  // The last value given for a query parameter.
  std::optional<std::string> query_param(std::string_view name) const;
  // The media type of the body without parameters, lower-cased ("text/plain").
  std::string content_type() const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Set: the connection becomes a stream (api/stream.h): the status and
  // headers go first, then the source's messages; body is unused.
  std::shared_ptr<StreamSource> stream;
};

// BadInput unless every text of the request Bora may store or echo is valid
// UTF-8: the percent-decoded path and query, header values and the body
// (with line:column, as it is a document a user edits). The router checks
// this once for every route, so no resource can store unreadable text.
Result<void> check_request_text(const Request& request);

// Values of the {name} segments of the matched route, in order.
using PathParams = std::vector<std::string>;

}  // namespace bora::api
