// /v2/event_triggers: Mistral's EventTriggersController
// (api/controllers/v2/event_trigger.py).
#include "bora/api/authorize.h"
#include "bora/api/collection_query.h"
#include "bora/api/context.h"
#include "bora/api/list_params.h"
#include "bora/api/query_args.h"
#include "bora/api/resources.h"
#include "bora/api/views.h"
#include "bora/services/event_triggers.h"
#include "bora/storage/database.h"
#include "trigger_trust.h"

namespace bora::api {

namespace {

const ListSpec& event_trigger_list_spec() {
  static const ListSpec spec{
      {"name", "workflow_id", "workflow_input", "workflow_params", "exchange", "topic", "event", "scope",
       "project_id", "created_at", "updated_at"},
      // The resource's attributes in Mistral's order (its fields error lists them so).
      {"id", "created_at", "updated_at", "project_id", "name", "workflow_id", "workflow_input", "workflow_params",
       "exchange", "topic", "event", "scope"},
      {},
      "created_at"};
  return spec;
}

}  // namespace

void register_event_triggers_resource(Router& router, ApiContext& ctx) {
  router.add("POST", "/v2/event_triggers", [&ctx](const Request& req, const PathParams&) {
    QueryArgs args(req, {});
    authorize(ctx, req, "event_triggers:create");
    Value body = json_body(req, body::event_trigger);
    authorize_publicize(ctx, req, "event_triggers", scope_attribute(body));
    // With Keystone on, the trigger fires with no user present: a trust, as
    // for cron triggers (mistral/services/triggers.py create_event_trigger),
    // deleted again if the trigger is refused.
    std::optional<std::string> trust_id = create_trigger_trust(ctx, req);
    auto t = ctx.db.write([&](storage::Transaction& tx) {
      return services::create_event_trigger(tx, body, caller_of(req), trust_id);
    });
    if (!t && trust_id) delete_trigger_trust(ctx, req, *trust_id);
    return json_response(event_trigger_view(t.value()), 201);
  });
  router.add("PUT", "/v2/event_triggers/{id}", [&ctx](const Request& req, const PathParams& p) {
    // Mistral's uuid argument (none when it is missing: Request::missing_argument).
    std::string id = req.missing_argument.empty() ? wsme_uuid("id", p[0]) : "";
    QueryArgs args(req, {});
    Value body = json_body(req, body::event_trigger);  // WSME reads it before the policy check
    authorize(ctx, req, "event_triggers:update");
    authorize_publicize(ctx, req, "event_triggers", scope_attribute(body));
    auto t = ctx.db.write(
        [&](storage::Transaction& tx) { return services::update_event_trigger(tx, id, body, caller_of(req)); });
    return json_response(event_trigger_view(t.value()));
  });
  router.add("GET", "/v2/event_triggers", [&ctx](const Request& req, const PathParams&) {
    authorize(ctx, req, "event_triggers:list");
    ListParams params = parse_list_params(req, event_trigger_list_spec());
    if (params.all_projects) authorize(ctx, req, "event_triggers:list:all_projects");
    storage::ListQuery q = to_list_query(params, caller_of(req));
    auto rows = ctx.db.read([&](storage::Transaction& tx) { return tx.event_triggers().list(q); }).value();
    std::vector<Value> items;
    for (const auto& t : rows) items.push_back(event_trigger_view(t));
    return json_response(list_body(req, "event_triggers", params, std::move(items)));
  });
  router.add("GET", "/v2/event_triggers/{id}", [&ctx](const Request& req, const PathParams& p) {
    std::string id = wsme_uuid("id", p[0]);  // Mistral's uuid argument
    QueryArgs args(req, {});
    authorize(ctx, req, "event_triggers:get");
    auto t = ctx.db.read(
        [&](storage::Transaction& tx) { return services::get_event_trigger(tx, id, caller_of(req)); });
    return json_response(event_trigger_view(t.value()));
  });
  router.add("DELETE", "/v2/event_triggers/{id}", [&ctx](const Request& req, const PathParams& p) {
    // Mistral's uuid argument (none when it is missing: Request::missing_argument).
    std::string id = req.missing_argument.empty() ? wsme_uuid("id", p[0]) : "";
    QueryArgs args(req, {});
    authorize(ctx, req, "event_triggers:delete");
    std::optional<std::string> trust_id;
    ctx.db
        .write([&](storage::Transaction& tx) -> Result<void> {
          auto t = services::get_event_trigger(tx, id, caller_of(req));
          if (t) trust_id = t->trust_id;
          return services::delete_event_trigger(tx, id, caller_of(req));
        })
        .value();
    // The trust goes with the trigger, after the commit.
    if (trust_id && !trust_id->empty()) delete_trigger_trust(ctx, req, *trust_id);
    return no_content();
  });
}

}  // namespace bora::api
