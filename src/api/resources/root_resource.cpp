// The version documents: GET / lists the API versions (Mistral's
// APIVersions), GET /v2 is the v2 root with links to its collections.
#include <boost/url/url.hpp>

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
    if (req.path == "/v2") {
      // pecan's canonical URL of Mistral's v2 root controller ends with a
      // slash: without it, a redirect that keeps the query.
      // Only the path and query go through Boost.URL: the base comes from
      // the client's Host header, which need not parse as a URL.
      boost::urls::url target("/v2/");
      for (const auto& [name, value] : req.query) target.params().append({name, value});
      r.status = 302;
      r.headers.emplace_back("Location", req.base_url + std::string(target.buffer()));
      r.body = to_json(Value::dict({{"code", 302}, {"title", "Found"}, {"description", Value()}}), JsonFormat::python());
      return r;
    }
    r.body = to_json(Value::dict({{"uri", req.base_url + "/v2"}}), JsonFormat::python());
    return r;
  });
}

}  // namespace bora::api
