// GET /v2/executions/{id}/executions and /v2/tasks/{id}/executions:
// Mistral's SubExecutionsController; the walk is services/sub_executions.
#include <fmt/format.h>

#include "bora/api/authorize.h"
#include "bora/api/context.h"
#include "bora/api/query_args.h"
#include "bora/api/resources.h"
#include "bora/api/views.h"
#include "bora/services/sub_executions.h"

namespace bora::api {

namespace {

// Mistral's get(id, errors_only=False, max_depth=-1, include_output=False),
// its arguments as WSME reads them (`id` from the path, or the query's).
const std::initializer_list<std::string_view> kArgs = {"id", "errors_only", "max_depth", "include_output"};

// The path's id, or the query's, which WSME lets override it.
std::string parent_id(const Request& req, const PathParams& p) {
  std::string id = wsme_uuid("id", p[0]);
  if (auto given = req.query_param("id")) id = wsme_param_uuid(*given);
  return id;
}

services::SubExecutionFilters sub_execution_filters(const QueryArgs& args) {
  services::SubExecutionFilters f;
  f.errors_only = args.flag("errors_only");
  if (auto depth = args.integer("max_depth")) f.max_depth = *depth;
  return f;
}

// Without their output unless include_output, as Mistral lists them.
Response executions_response(const QueryArgs& args, const std::vector<storage::WorkflowExecution>& executions) {
  bool include_output = args.flag("include_output");
  List items;
  for (const auto& ex : executions)
    items.push_back(include_output ? execution_view(ex) : without(execution_view(ex), "output"));
  return json_response(Value::dict({{"executions", Value(std::move(items))}}));
}

}  // namespace

void register_sub_executions_resource(Router& router, ApiContext& ctx) {
  router.add("GET", "/v2/executions/{id}/executions", [&ctx](const Request& req, const PathParams& p) {
    std::string id = parent_id(req, p);
    QueryArgs args(req, kArgs);
    authorize(ctx, req, "executions:get");
    auto filters = sub_execution_filters(args);
    return executions_response(args, services::sub_executions_of_execution(ctx.db, id, caller_of(req), filters).value());
  });
  router.add("GET", "/v2/tasks/{id}/executions", [&ctx](const Request& req, const PathParams& p) {
    std::string id = parent_id(req, p);
    QueryArgs args(req, kArgs);
    authorize(ctx, req, "executions:get");
    auto filters = sub_execution_filters(args);
    return executions_response(args, services::sub_executions_of_task(ctx.db, id, caller_of(req), filters).value());
  });
}

}  // namespace bora::api
