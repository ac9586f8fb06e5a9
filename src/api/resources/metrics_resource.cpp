// GET /metrics: what Prometheus scrapes (docs/OPERATIONS.md, "Metrics").
// Not under /v2: it is not Mistral's API, and scrapers expect this path.
// Open by default, as metrics endpoints are; [metrics] require_auth asks
// for the API's identity (X-Project-Id/X-Roles today) with the admin role,
// since the figures cover every project.
#include "bora/api/context.h"
#include "bora/api/errors.h"
#include "bora/api/resources.h"
#include "bora/core/metrics.h"
#include "bora/storage/database.h"

namespace bora::api {

void register_metrics_resource(Router& router, ApiContext& ctx) {
  metrics::register_process_metrics();
  // The database's size is read at scrape time; the handle goes with the
  // route, so with the router (which the database outlives).
  auto db_size = std::make_shared<metrics::CallbackHandle>(metrics::Registry::global().callback(
      "bora_database_size_bytes", "Bytes the database takes on disk (SQLite: the file and its write-ahead log).",
      metrics::Type::Gauge, [&db = ctx.db]() -> std::optional<double> {
        auto bytes = db.size_on_disk();
        if (!bytes) return std::nullopt;
        return static_cast<double>(*bytes);
      }));
  router.add("GET", "/metrics",
             [db_size, require_auth = ctx.metrics_require_auth](const Request& request, const PathParams&) {
               if (require_auth && !request.is_admin) {
                 bool identified = request.header("x-roles") || request.header("x-project-id");
                 throw BoraError(identified ? ErrorKind::Forbidden : ErrorKind::Unauthorized,
                                 "GET /metrics requires the admin role ([metrics] require_auth = true): send the "
                                 "API's identity headers with X-Roles: admin");
               }
               Response r;
               r.content_type = "text/plain; version=0.0.4; charset=utf-8";
               r.body = metrics::Registry::global().expose();
               return r;
             }, Produces::Own);
}

}  // namespace bora::api
