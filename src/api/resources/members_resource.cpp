// /v2/workflows/{id}/members: Mistral's MembersController
// (api/controllers/v2/member.py). Bora needs no identity service for it:
// projects come from X-Project-Id.
#include "bora/api/authorize.h"
#include "bora/api/context.h"
#include "bora/api/resources.h"
#include "bora/api/views.h"
#include "bora/services/members.h"
#include "bora/storage/database.h"

namespace bora::api {

void register_members_resource(Router& router, ApiContext& ctx) {
  router.add("POST", "/v2/workflows/{id}/members", [&ctx](const Request& req, const PathParams& p) {
    authorize(ctx, req, "members:create");
    // Mistral's members controller takes no query parameters: WSME refuses any.
    refuse_unknown_query_params(req);
    std::string member = text_field(json_body(req, body::member), "member_id");
    auto m = ctx.db.write(
        [&](storage::Transaction& tx) { return services::create_member(tx, p[0], member, caller_of(req)); });
    return json_response(member_view(m.value()), 201);
  });
  router.add("GET", "/v2/workflows/{id}/members", [&ctx](const Request& req, const PathParams& p) {
    authorize(ctx, req, "members:list");
    refuse_unknown_query_params(req);
    auto ms = ctx.db.read([&](storage::Transaction& tx) { return services::list_members(tx, p[0], caller_of(req)); });
    std::vector<Value> items;
    for (const auto& m : ms.value()) items.push_back(member_view(m));
    return json_response(Value::dict({{"members", Value(std::move(items))}}));
  });
  router.add("GET", "/v2/workflows/{id}/members/{member_id}", [&ctx](const Request& req, const PathParams& p) {
    authorize(ctx, req, "members:get");
    refuse_unknown_query_params(req);
    auto m = ctx.db.read(
        [&](storage::Transaction& tx) { return services::get_member(tx, p[0], p[1], caller_of(req)); });
    return json_response(member_view(m.value()));
  });
  router.add("PUT", "/v2/workflows/{id}/members/{member_id}", [&ctx](const Request& req, const PathParams& p) {
    authorize(ctx, req, "members:update");
    refuse_unknown_query_params(req);
    std::string status = text_field(json_body(req, body::member), "status");
    auto m = ctx.db.write([&](storage::Transaction& tx) {
      return services::update_member(tx, p[0], p[1], status, caller_of(req));
    });
    return json_response(member_view(m.value()));
  });
  router.add("DELETE", "/v2/workflows/{id}/members/{member_id}", [&ctx](const Request& req, const PathParams& p) {
    authorize(ctx, req, "members:delete");
    refuse_unknown_query_params(req);
    ctx.db.write([&](storage::Transaction& tx) { return services::delete_member(tx, p[0], p[1], caller_of(req)); })
        .value();
    return no_content();
  });
}

}  // namespace bora::api
