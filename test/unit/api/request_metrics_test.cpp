// api/http_metrics through the router: a request is counted once, when it
// is answered (now or later), by method, route template and status; paths
// with ids, unknown paths and invented methods add no series.
#include <catch2/catch.hpp>

#include <optional>

#include "bora/api/responder.h"
#include "bora/api/router.h"
#include "bora/core/metrics.h"

using namespace bora;
using namespace bora::api;

namespace {

double requests(const std::string& method, const std::string& route, const std::string& status) {
  return metrics::Registry::global()
      .counter("bora_http_requests_total", "", {"method", "route", "status"})
      .counter({method, route, status})
      .value();
}

void send(const Router& router, std::string method, std::string path) {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  router.dispatch(r, Responder([](Response) {}, "test"));
}

}  // namespace

TEST_CASE("requests are counted by route template when answered") {
  Router router;
  router.add("GET", "/t/items/{id}", [](const Request&, const PathParams&) { return Response{}; });
  std::optional<Responder> later;
  router.add_async("POST", "/t/items", [&](const Request&, const PathParams&, Responder r) { later.emplace(r); });

  double before = requests("GET", "/t/items/{id}", "200");
  send(router, "GET", "/t/items/1");
  send(router, "GET", "/t/items/2");
  CHECK(requests("GET", "/t/items/{id}", "200") - before == 2);

  double posted = requests("POST", "/t/items", "201");
  send(router, "POST", "/t/items");
  CHECK(requests("POST", "/t/items", "201") == posted);  // not answered yet
  Response created;
  created.status = 201;
  later->reply(created);
  CHECK(requests("POST", "/t/items", "201") - posted == 1);
  later->reply(created);  // a second answer is dropped, and not counted
  CHECK(requests("POST", "/t/items", "201") - posted == 1);

  double unmatched = requests("GET", "unmatched", "404");
  double other = requests("other", "unmatched", "404");
  send(router, "GET", "/t/nothing/here");
  send(router, "BREW", "/t/coffee");
  CHECK(requests("GET", "unmatched", "404") - unmatched == 1);
  CHECK(requests("other", "unmatched", "404") - other == 1);
  std::string text = metrics::Registry::global().expose();
  CHECK(text.find("/t/items/1") == std::string::npos);
  CHECK(text.find("BREW") == std::string::npos);
}
