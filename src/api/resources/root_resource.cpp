// The version documents: GET / lists the API versions (Mistral's
// APIVersions), GET /v2 is the v2 root with links to its collections.
#include <boost/url/url.hpp>

#include "bora/api/content_negotiation.h"
#include "bora/api/resources.h"
#include "bora/api/wsme_xml.h"
#include "bora/core/json.h"

namespace bora::api {

namespace {

Value link(const std::string& href, const std::string& target, const std::string& rel) {
  return Value::dict({{"href", href}, {"target", target}, {"rel", rel}});
}

// A document of Mistral's root controllers (WSME), in the media type the
// request negotiates. The routes negotiate themselves (Produces::Own):
// each answers something before pecan's negotiation would (the browser's
// redirect to the UI, the redirect of /v2 to /v2/).
Response wsme_document(const Request& req, const Value& document) {
  std::optional<std::string> type = negotiate(req, Produces::Wsme);
  if (!type) return pecan_http_error(req, 406, Value());
  Response r;
  r.body = to_json(document, JsonFormat::python());
  if (*type != "application/json") render_wsme_xml(r, *type);
  return r;
}

}  // namespace

void register_root_resource(Router& router) {
  // Mistral's root controllers expose `index`, which pecan calls whatever
  // the method: DELETE / and PUT /v2/ answer the documents too, HEAD /
  // (a load balancer's health check) its headers.
  for (const char* method : {"GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH"}) {
    router.add(method, "/", [](const Request& req, const PathParams&) {
      // A browser opening the server's address gets the web UI; API
      // clients (Accept: application/json, */* or none) get Mistral's document.
      if ((req.method == "GET" || req.method == "HEAD") && wants_html(req)) return redirect_to_ui();
      Value v2 = Value::dict({{"id", "v2.0"},
                              {"status", "CURRENT"},
                              {"links", Value::list({link(req.base_url + "/v2", "v2", "self")})}});
      return wsme_document(req, Value::dict({{"versions", Value::list({v2})}}));
    }, Produces::Own);
    router.add(method, "/v2", [](const Request& req, const PathParams&) {
      if (req.path == "/v2") {
        // pecan's canonical URL of Mistral's v2 root controller ends with a
        // slash: without it, a redirect that keeps the query (for a POST,
        // whose body a redirect loses, pecan fails instead: 500 in Mistral).
        // Only the path and query go through Boost.URL: the base comes from
        // the client's Host header, which need not parse as a URL.
        boost::urls::url target("/v2/");
        for (const auto& [name, value] : req.query) target.params().append({name, value});
        // pecan's redirect takes the scheme from X-Forwarded-Proto whether
        // or not proxy headers are parsed (ServerOptions::proxy_headers).
        std::string base = req.base_url;
        if (const std::string* proto = req.header("x-forwarded-proto"); proto && !proto->empty())
          base = *proto + base.substr(base.find("://"));
        return pecan_http_error(req, 302, Value(), base + std::string(target.buffer()));
      }
      return wsme_document(req, Value::dict({{"uri", req.base_url + "/v2"}}));
    }, Produces::Own);
  }
}

}  // namespace bora::api
