// Router::add_tail: the route whose last parameter takes the rest of the
// path (the web UI's files and client-side routes), beside exact routes.
#include <catch2/catch.hpp>

#include <vector>

#include "bora/api/router.h"

using namespace bora::api;

namespace {

// The status and the parameters the matched handler saw.
struct Outcome {
  int status = 0;
  PathParams params;
};

Outcome dispatch(const Router& router, const std::string& path) {
  Request req;
  req.method = "GET";
  req.path = path;
  Outcome out;
  router.dispatch(req, Responder([&out](Response r) { out.status = r.status; }, "GET test"));
  return out;
}

}  // namespace

TEST_CASE("a tail route's last parameter takes the rest of the path, slashes included") {
  Router router;
  std::vector<std::string> seen;
  router.add("GET", "/ui", [&](const Request&, const PathParams&) {
    seen.push_back("<root>");
    return Response{};
  });
  router.add_tail("GET", "/ui/{path}", [&](const Request&, const PathParams& p) {
    REQUIRE(p.size() == 1);
    seen.push_back(p[0]);
    return Response{};
  });
  router.add("GET", "/v2/{id}", [&](const Request&, const PathParams& p) {
    seen.push_back("v2:" + p[0]);
    return Response{};
  });

  CHECK(dispatch(router, "/ui/").status == 200);
  CHECK(dispatch(router, "/ui/index.html").status == 200);
  CHECK(dispatch(router, "/ui/assets/index-1.js").status == 200);
  CHECK(dispatch(router, "/ui/executions/abc/tasks").status == 200);
  CHECK(dispatch(router, "/v2/x").status == 200);
  // An exact route still wants its exact number of segments.
  CHECK(dispatch(router, "/v2/x/y").status == 404);
  CHECK(dispatch(router, "/uix/a").status == 404);
  CHECK(seen == std::vector<std::string>{"<root>", "index.html", "assets/index-1.js", "executions/abc/tasks", "v2:x"});
  CHECK(router.describe() == std::vector<std::string>{"GET /ui", "GET /ui/{path}", "GET /v2/{id}"});
}
