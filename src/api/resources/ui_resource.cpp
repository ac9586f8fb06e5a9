// The web UI (issue 17): its files, built from web/ and compiled into the
// binary (api/ui_assets.h), served at /ui/. Mistral has no such resource.
// The UI is a client of the public API like any other: these routes only
// hand out its files.
#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "bora/api/resources.h"
#include "bora/api/ui_assets.h"

namespace bora::api {

namespace {

const UiAsset* find_asset(std::string_view path) {
  for (const UiAsset& a : ui_assets())
    if (a.path == path) return &a;
  return nullptr;
}

// Whether the client takes gzip: "gzip" among Accept-Encoding's codings,
// not refused with q=0.
bool accepts_gzip(const Request& req) {
  const std::string* h = req.header("accept-encoding");
  if (!h) return false;
  std::string v = *h;
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  size_t i = 0;
  while (i < v.size()) {
    size_t j = v.find(',', i);
    if (j == std::string::npos) j = v.size();
    std::string item = v.substr(i, j - i);
    i = j + 1;
    item.erase(std::remove(item.begin(), item.end(), ' '), item.end());
    size_t semi = item.find(';');
    std::string coding = item.substr(0, semi);
    if (coding != "gzip" && coding != "*") continue;
    size_t q = semi == std::string::npos ? std::string::npos : item.find("q=", semi);
    return q == std::string::npos || std::strtod(item.c_str() + q + 2, nullptr) > 0;
  }
  return false;
}

Response not_built() {
  Response r;
  r.status = 404;
  r.content_type = "text/html; charset=utf-8";
  r.body =
      "<!doctype html><title>Bora: no web UI</title><h1>This Bora was built without its web UI</h1>"
      "<p>It was configured with <code>-DBORA_WITH_UI=OFF</code>. The REST API at <a href=\"/v2\">/v2</a> "
      "works as usual. Rebuild with the UI on (it needs Node.js and npm: <code>scripts/install-deps.sh</code>) "
      "to serve it here.</p>";
  return r;
}

Response serve(const Request& req, const UiAsset& a) {
  Response r;
  r.content_type = std::string(a.content_type);
  // Hashed assets never change; index.html names them, so it is checked
  // each time (cheaply: its ETag).
  r.headers.emplace_back("Cache-Control", a.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  r.headers.emplace_back("ETag", std::string(a.etag));
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (!a.gzip.empty()) r.headers.emplace_back("Vary", "Accept-Encoding");
  if (const std::string* inm = req.header("if-none-match"); inm && inm->find(a.etag) != std::string::npos) {
    r.status = 304;
    return r;
  }
  if (!a.gzip.empty() && accepts_gzip(req)) {
    r.headers.emplace_back("Content-Encoding", "gzip");
    r.body = std::string(a.gzip);
  } else {
    r.body = std::string(a.body);
  }
  return r;
}

// A file of the build, else (a client-side route such as
// /ui/executions/<id>) index.html, so that a reload or a shared link opens
// the page; a missing file (a name with a dot, or under assets/) is a 404.
Response ui_path(const Request& req, std::string_view path) {
  if (ui_assets().empty()) return not_built();
  if (path.empty()) path = "index.html";
  if (const UiAsset* a = find_asset(path)) return serve(req, *a);
  std::string_view last = path.substr(path.rfind('/') + 1);
  if (path.starts_with("assets/") || last.find('.') != std::string_view::npos) {
    Response r;
    r.status = 404;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "The web UI has no file '" + std::string(path) + "'";
    return r;
  }
  return serve(req, *find_asset("index.html"));
}

}  // namespace

bool wants_html(const Request& req) {
  const std::string* accept = req.header("accept");
  return accept && accept->find("text/html") != std::string::npos;
}

Response redirect_to_ui() {
  Response r;
  r.status = 302;
  r.content_type = "text/plain; charset=utf-8";
  r.headers.emplace_back("Location", "/ui/");
  return r;
}

void register_ui_resource(Router& router) {
  router.add("GET", "/ui", [](const Request& req, const PathParams&) {
    // "/ui" without its slash: to "/ui/", where the UI's client-side
    // routes start.
    if (req.path == "/ui") return redirect_to_ui();
    return ui_path(req, "");
  }, Produces::Own);
  router.add_tail("GET", "/ui/{path}", [](const Request& req, const PathParams& p) { return ui_path(req, p[0]); });
}

}  // namespace bora::api
