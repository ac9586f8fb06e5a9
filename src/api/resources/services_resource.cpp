// /v2/services: Mistral's ServicesController lists the members of each
// service group. A Bora node is the api, engine and executor at once, so
// each live node (the registry of nodes sharing the database:
// storage/node_rows.h) is listed in those three groups, named as it
// registered ("<host>_<pid>", as Mistral's members are, or [cluster]
// node_id). Bora adds when the node started and its last heartbeat.
#include <unistd.h>

#include <string>

#include "bora/api/authorize.h"
#include "bora/api/context.h"
#include "bora/api/query_args.h"
#include "bora/api/resources.h"
#include "bora/api/views.h"
#include "bora/storage/database.h"

namespace bora::api {

namespace {

constexpr const char* kGroups[] = {"api_group", "engine_group", "executor_group"};

// A server without an engine (its schema is not current) has not
// registered: it lists itself, as the registry would.
Value this_process_only() {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "localhost");
  std::string name = std::string(host) + "_" + std::to_string(getpid());
  std::vector<Value> items;
  for (const char* group : kGroups) items.push_back(Value::dict({{"name", name}, {"type", group}}));
  return Value(std::move(items));
}

}  // namespace

void register_services_resource(Router& router, ApiContext& ctx) {
  router.add("GET", "/v2/services", [&ctx](const Request& req, const PathParams&) {
    QueryArgs args(req, {});
    authorize(ctx, req, "services:list");
    if (!ctx.engine) return json_response(Value::dict({{"services", this_process_only()}}));
    Timestamp now = now_utc();
    auto nodes = ctx.db.read([](storage::Transaction& tx) { return tx.list_nodes(); });
    std::vector<Value> items;
    for (const char* group : kGroups) {
      for (const auto& node : nodes) {
        if (node.lease_expires_at <= now) continue;  // dead: its work is being (or was) taken over
        items.push_back(Value::dict({{"name", Value(node.id)},
                                     {"type", Value(group)},
                                     {"started_at", api_time(node.started_at)},
                                     {"heartbeat", api_time(node.heartbeat_at)}}));
      }
    }
    return json_response(Value::dict({{"services", Value(std::move(items))}}));
  });
}

}  // namespace bora::api
