// /v2/services: Mistral's ServicesController lists the members of each
// service group. A Bora process is the api, engine and executor at once,
// so it lists itself in those three groups, named "<host>_<pid>" as
// Mistral's members are. (Several Bora nodes sharing a MySQL database will
// list each other once nodes register themselves there.)
#include <unistd.h>

#include <string>

#include "bora/api/authorize.h"
#include "bora/api/context.h"
#include "bora/api/resources.h"

namespace bora::api {

void register_services_resource(Router& router, ApiContext& ctx) {
  router.add("GET", "/v2/services", [&ctx](const Request& req, const PathParams&) {
    authorize(ctx, req, "services:list");
    char host[256] = {0};
    if (gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "localhost");
    std::string name = std::string(host) + "_" + std::to_string(getpid());
    std::vector<Value> items;
    for (const char* group : {"api_group", "engine_group", "executor_group"})
      items.push_back(Value::dict({{"name", name}, {"type", group}}));
    return json_response(Value::dict({{"services", Value(std::move(items))}}));
  });
}

}  // namespace bora::api
