// GET /healthz and GET /readyz: outside Mistral's API (its routes are all
// under / and /v2, so GET / stays Mistral's version document). Cheap,
// unauthenticated, and answered at debug level only in the logs: probes
// come every few seconds.
#include "bora/api/context.h"
#include "bora/api/readiness.h"
#include "bora/api/resources.h"

namespace bora::api {

void register_health_resource(Router& router, ApiContext& ctx) {
  // The process runs and its HTTP server answers: nothing else is asked
  // (a database that is slow must not get the process restarted).
  router.add("GET", "/healthz", [](const Request&, const PathParams&) {
    return json_response(Value::dict({{"status", "ok"}}));
  }, Produces::Own);
  // 200 when every check passes, else 503 naming the failed ones.
  router.add("GET", "/readyz", [&ctx](const Request&, const PathParams&) {
    if (!ctx.readiness) {
      return json_response(Value::dict({{"status", "unavailable"}, {"failed", Value::list({Value("readiness")})}}),
                           503);
    }
    Dict checks;
    std::vector<Value> failed;
    for (const auto& c : ctx.readiness->check()) {
      checks.set(c.name, Value::dict({{"ok", c.ok}, {"detail", c.detail}}));
      if (!c.ok) failed.push_back(Value(c.name));
    }
    bool ready = failed.empty();
    return json_response(Value::dict({{"status", ready ? "ready" : "unavailable"},
                                      {"failed", Value(std::move(failed))},
                                      {"checks", Value(std::move(checks))}}),
                         ready ? 200 : 503);
  }, Produces::Own);
}

}  // namespace bora::api
