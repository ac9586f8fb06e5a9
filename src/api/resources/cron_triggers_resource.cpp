// /v2/cron_triggers: Mistral's CronTriggersController
// (api/controllers/v2/cron_trigger.py). Bodies are JSON objects.
#include "bora/api/authorize.h"
#include "bora/api/collection_query.h"
#include "bora/api/context.h"
#include "bora/api/list_params.h"
#include "bora/api/query_args.h"
#include "bora/api/resources.h"
#include "bora/api/views.h"
#include "bora/services/cron_triggers.h"
#include "bora/storage/database.h"
#include "trigger_trust.h"

namespace bora::api {

namespace {

const ListSpec& cron_trigger_list_spec() {
  static const ListSpec spec{
      {"created_at", "name", "updated_at", "workflow_name", "workflow_id", "workflow_input", "workflow_params", "scope", "pattern", "remaining_executions", "first_execution_time", "next_execution_time", "project_id"},
      {"id", "name", "workflow_name", "workflow_id", "workflow_input", "workflow_params", "project_id", "scope",
       "pattern", "remaining_executions", "first_execution_time", "next_execution_time", "created_at",
       "updated_at"},
      {},
      "created_at"};
  return spec;
}

}  // namespace

void register_cron_triggers_resource(Router& router, ApiContext& ctx) {
  router.add("POST", "/v2/cron_triggers", [&ctx](const Request& req, const PathParams&) {
    QueryArgs args(req, {});
    authorize(ctx, req, "cron_triggers:create");
    Value body = json_body(req, body::cron_trigger);
    authorize_publicize(ctx, req, "cron_triggers", scope_attribute(body));
    // With Keystone on, the trigger fires with no user present: a trust
    // from the caller to Bora's service user, created first and deleted
    // again if the trigger is refused (mistral/services/triggers.py). This
    // handler runs on the handler pool, where waiting for Keystone is fine.
    std::optional<std::string> trust_id = create_trigger_trust(ctx, req);
    auto t = ctx.db.write([&](storage::Transaction& tx) {
      return services::create_cron_trigger(tx, body, caller_of(req), now_utc(), trust_id);
    });
    if (!t && trust_id) delete_trigger_trust(ctx, req, *trust_id);
    return json_response(created_view(cron_trigger_view(t.value())), 201);
  });

  router.add("GET", "/v2/cron_triggers", [&ctx](const Request& req, const PathParams&) {
    authorize(ctx, req, "cron_triggers:list");
    ListParams params = parse_list_params(req, cron_trigger_list_spec());
    if (params.all_projects) authorize(ctx, req, "cron_triggers:list:all_projects");
    storage::ListQuery q = to_list_query(params, caller_of(req));
    auto rows = ctx.db.read([&](storage::Transaction& tx) { return tx.cron_triggers().list(q); }).value();
    std::vector<Value> items;
    for (const auto& t : rows) items.push_back(cron_trigger_view(t));
    return json_response(list_body(req, "cron_triggers", params, std::move(items)));
  });

  router.add("GET", "/v2/cron_triggers/{identifier}", [&ctx](const Request& req, const PathParams& p) {
    QueryArgs args(req, {});
    authorize(ctx, req, "cron_triggers:get");
    auto t = ctx.db.read(
        [&](storage::Transaction& tx) { return services::get_cron_trigger(tx, p[0], caller_of(req)); });
    return json_response(cron_trigger_view(t.value()));
  });

  router.add("DELETE", "/v2/cron_triggers/{identifier}", [&ctx](const Request& req, const PathParams& p) {
    QueryArgs args(req, {});
    authorize(ctx, req, "cron_triggers:delete");
    std::optional<std::string> trust_id;
    ctx.db
        .write([&](storage::Transaction& tx) -> Result<void> {
          auto t = services::get_cron_trigger(tx, p[0], caller_of(req));
          if (t) trust_id = t->trust_id;
          return services::delete_cron_trigger(tx, p[0], caller_of(req));
        })
        .value();
    // The trust goes with the trigger (after the commit: a trigger never
    // outlives its trust).
    if (trust_id && !trust_id->empty()) delete_trigger_trust(ctx, req, *trust_id);
    return no_content();
  });
}

}  // namespace bora::api
