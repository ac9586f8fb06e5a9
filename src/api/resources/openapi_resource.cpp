// api/resources/openapi: GET /v2/openapi.json, the hand-written OpenAPI 3
// description (src/api/openapi.yaml, compiled in), parsed once.
#include "bora/api/resources.h"
#include "bora/core/json.h"
#include "bora/core/yaml.h"

namespace bora::api {

std::string_view openapi_yaml();  // generated from src/api/openapi.yaml

void register_openapi_resource(Router& router) {
  router.add("GET", "/v2/openapi.json", [](const Request&, const PathParams&) {
    static const std::string json = to_json(parse_yaml(openapi_yaml()).value());
    Response r;
    r.status = 200;
    r.content_type = "application/json";
    r.body = json;
    return r;
  }, Produces::Own);
}

}  // namespace bora::api
