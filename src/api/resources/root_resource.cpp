// The version documents: GET / lists the API versions (Mistral's
// APIVersions), GET /v2 is the v2 root with links to its collections.
#include "bora/api/resources.h"
#include "bora/core/json.h"

namespace bora::api {

namespace {

Value link(const std::string& href, const std::string& target, const std::string& rel) {
  return Value::dict({{"href", href}, {"target", target}, {"rel", rel}});
}

}  // namespace

void register_root_resource(Router& router) {
  router.add("GET", "/", [](const Request& req, const PathParams&) {
    // A browser opening the server's address gets the web UI; API clients
    // (Accept: application/json, */* or none) get Mistral's document.
    if (wants_html(req)) return redirect_to_ui();
    Value v2 = Value::dict({{"id", "v2.0"},
                            {"status", "CURRENT"},
                            {"links", Value::list({link(req.base_url + "/v2", "v2", "self")})}});
    Response r;
    r.body = to_json(Value::dict({{"versions", Value::list({v2})}}), JsonFormat::python());
    return r;
  });
  router.add("GET", "/v2", [](const Request& req, const PathParams&) {
    Response r;
    r.body = to_json(Value::dict({{"uri", req.base_url + "/v2"}}), JsonFormat::python());
    return r;
  });
}

}  // namespace bora::api
