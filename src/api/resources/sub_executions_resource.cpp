// GET /v2/executions/{id}/executions and /v2/tasks/{id}/executions:
// Mistral's SubExecutionsController; the walk is services/sub_executions.
#include <fmt/format.h>

#include "bora/api/authorize.h"
#include "bora/api/context.h"
#include "bora/api/list_params.h"
#include "bora/api/resources.h"
#include "bora/api/views.h"
#include "bora/services/sub_executions.h"

namespace bora::api {

namespace {

services::SubExecutionFilters sub_execution_filters(const Request& req) {
  services::SubExecutionFilters f;
  f.errors_only = bool_query_param(req, "errors_only");
  if (auto depth = req.query_param("max_depth"); depth && !depth->empty()) {
    try {
      size_t used = 0;
      f.max_depth = std::stoll(*depth, &used);
      if (used != depth->size()) throw std::invalid_argument("trailing text");
    } catch (const std::exception&) {
      throw BoraError(ErrorKind::BadInput,
                      fmt::format("Invalid input for field/attribute max_depth. Value: '{}'. Wrong type: expected "
                                  "an integer.",
                                  *depth));
    }
  }
  return f;
}

// Without their output unless include_output, as Mistral lists them.
Response executions_response(const Request& req, const std::vector<storage::WorkflowExecution>& executions) {
  bool include_output = bool_query_param(req, "include_output");
  List items;
  for (const auto& ex : executions)
    items.push_back(include_output ? execution_view(ex) : without(execution_view(ex), "output"));
  return json_response(Value::dict({{"executions", Value(std::move(items))}}));
}

}  // namespace

void register_sub_executions_resource(Router& router, ApiContext& ctx) {
  router.add("GET", "/v2/executions/{id}/executions", [&ctx](const Request& req, const PathParams& p) {
    authorize(ctx, req, "executions:get");
    auto filters = sub_execution_filters(req);
    return executions_response(req, services::sub_executions_of_execution(ctx.db, p[0], caller_of(req), filters).value());
  });
  router.add("GET", "/v2/tasks/{id}/executions", [&ctx](const Request& req, const PathParams& p) {
    authorize(ctx, req, "executions:get");
    auto filters = sub_execution_filters(req);
    return executions_response(req, services::sub_executions_of_task(ctx.db, p[0], caller_of(req), filters).value());
  });
}

}  // namespace bora::api
