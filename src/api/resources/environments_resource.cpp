// /v2/environments: Mistral's EnvironmentController
// (api/controllers/v2/environment.py). Bodies are JSON objects.
#include "bora/api/authorize.h"
#include "bora/api/collection_query.h"
#include "bora/api/context.h"
#include "bora/api/list_params.h"
#include "bora/api/query_args.h"
#include "bora/api/resources.h"
#include "bora/api/views.h"
#include "bora/catalog/catalog.h"
#include "bora/services/environments.h"
#include "bora/storage/database.h"

namespace bora::api {

namespace {

const ListSpec& environment_list_spec() {
  static const ListSpec spec{
      {"created_at", "name", "updated_at", "description", "variables", "scope"},
      {"id", "name", "description", "variables", "scope", "project_id", "created_at", "updated_at"},
      {},
      "created_at"};
  return spec;
}

}  // namespace

void register_environments_resource(Router& router, ApiContext& ctx) {
  router.add("POST", "/v2/environments", [&ctx](const Request& req, const PathParams&) {
    QueryArgs args(req, {});
    authorize(ctx, req, "environments:create");
    Value body = json_body(req, body::environment);
    services::check_environment_body(body, false).value();
    authorize_publicize(ctx, req, "environments", scope_attribute(body));
    auto env = ctx.db.write(
        [&](storage::Transaction& tx) { return services::create_environment(tx, body, caller_of(req)); });
    // Mistral's answer to a create shows what its model was given (null
    // included) and leaves out the rest (a name, description or variables
    // not sent, the update time); its reads show them null.
    Value view = without(environment_view(env.value()), "updated_at");
    for (const char* unset : {"name", "description", "variables"})
      if (!body.find(unset)) view = without(view, unset);
    return json_response(view, 201);
  });

  router.add("PUT", "/v2/environments", [&ctx](const Request& req, const PathParams&) {
    QueryArgs args(req, {});
    authorize(ctx, req, "environments:update");
    Value body = json_body(req, body::environment);
    services::check_environment_body(body, true).value();
    authorize_publicize(ctx, req, "environments", scope_attribute(body));
    auto env = ctx.db.write(
        [&](storage::Transaction& tx) { return services::update_environment(tx, body, caller_of(req)); });
    return json_response(environment_view(env.value()));
  });

  router.add("GET", "/v2/environments", [&ctx](const Request& req, const PathParams&) {
    authorize(ctx, req, "environments:list");
    ListParams params = parse_list_params(req, environment_list_spec());
    storage::ListQuery q = to_list_query(params, caller_of(req));
    auto rows = ctx.db.read([&](storage::Transaction& tx) { return tx.environments().list(q); }).value();
    std::vector<Value> items;
    for (const auto& e : rows) items.push_back(environment_view(e));
    return json_response(list_body(req, "environments", params, std::move(items)));
  });

  router.add("GET", "/v2/environments/{name}", [&ctx](const Request& req, const PathParams& p) {
    QueryArgs args(req, {});
    authorize(ctx, req, "environments:get");
    auto env =
        ctx.db.read([&](storage::Transaction& tx) { return catalog::Catalog(tx, caller_of(req)).environment(p[0]); });
    return json_response(environment_view(env.value()));
  });

  router.add("DELETE", "/v2/environments/{name}", [&ctx](const Request& req, const PathParams& p) {
    QueryArgs args(req, {});
    authorize(ctx, req, "environments:delete");
    ctx.db.write([&](storage::Transaction& tx) { return services::delete_environment(tx, p[0], caller_of(req)); })
        .value();
    return no_content();
  });
}

}  // namespace bora::api
