// /v2/workflows/{id}/members: Mistral's MembersController
// (api/controllers/v2/member.py). As Mistral's, it needs authentication on
// (its auth_enable_check), unless [api] resource_sharing_without_auth lets
// projects from trusted X-Project-Id headers share (a proxy that sets them).
#include "bora/api/authorize.h"
#include "bora/api/context.h"
#include "bora/api/query_args.h"
#include "bora/api/resources.h"
#include "bora/api/views.h"
#include "bora/core/ids.h"
#include "bora/services/members.h"
#include "bora/storage/database.h"

namespace bora::api {

namespace {

// What Mistral checks before the members controller reads anything: the
// resource's id, a UUID (WorkflowsController._lookup, while routing), then
// its auth_enable_check (sharing between projects needs projects that a
// token proved).
void require_sharing(const ApiContext& ctx, const std::string& resource_id) {
  if (!is_uuid_like(resource_id))
    throw BoraError(ErrorKind::BadInput, "Only support UUID as resource identifier in resource sharing feature.");
  if (!ctx.resource_sharing)
    throw BoraError(ErrorKind::BadInput,
                    "Resource sharing feature can only be supported with authentication enabled. (Turn on [pecan] "
                    "auth_enable, or set [api] resource_sharing_without_auth = true when a proxy sets X-Project-Id.)");
}

}  // namespace

void register_members_resource(Router& router, ApiContext& ctx) {
  router.add("POST", "/v2/workflows/{id}/members", [&ctx](const Request& req, const PathParams& p) {
    require_sharing(ctx, p[0]);
    QueryArgs args(req, {});  // Mistral's members controller takes none
    authorize(ctx, req, "members:create");
    std::string member = text_field(json_body(req, body::member), "member_id");
    auto m = ctx.db.write(
        [&](storage::Transaction& tx) { return services::create_member(tx, p[0], member, caller_of(req)); });
    return json_response(member_view(m.value()), 201);
  });
  router.add("GET", "/v2/workflows/{id}/members", [&ctx](const Request& req, const PathParams& p) {
    require_sharing(ctx, p[0]);
    QueryArgs args(req, {});  // Mistral's members controller takes none
    authorize(ctx, req, "members:list");
    auto ms = ctx.db.read([&](storage::Transaction& tx) { return services::list_members(tx, p[0], caller_of(req)); });
    std::vector<Value> items;
    for (const auto& m : ms.value()) items.push_back(member_view(m));
    return json_response(Value::dict({{"members", Value(std::move(items))}}));
  });
  router.add("GET", "/v2/workflows/{id}/members/{member_id}", [&ctx](const Request& req, const PathParams& p) {
    require_sharing(ctx, p[0]);
    QueryArgs args(req, {});  // Mistral's members controller takes none
    authorize(ctx, req, "members:get");
    auto m = ctx.db.read(
        [&](storage::Transaction& tx) { return services::get_member(tx, p[0], p[1], caller_of(req)); });
    return json_response(member_view(m.value()));
  });
  router.add("PUT", "/v2/workflows/{id}/members/{member_id}", [&ctx](const Request& req, const PathParams& p) {
    require_sharing(ctx, p[0]);
    QueryArgs args(req, {});  // Mistral's members controller takes none
    authorize(ctx, req, "members:update");
    std::string status = text_field(json_body(req, body::member), "status");
    auto m = ctx.db.write([&](storage::Transaction& tx) {
      return services::update_member(tx, p[0], p[1], status, caller_of(req));
    });
    return json_response(member_view(m.value()));
  });
  router.add("DELETE", "/v2/workflows/{id}/members/{member_id}", [&ctx](const Request& req, const PathParams& p) {
    require_sharing(ctx, p[0]);
    QueryArgs args(req, {});  // Mistral's members controller takes none
    authorize(ctx, req, "members:delete");
    ctx.db.write([&](storage::Transaction& tx) { return services::delete_member(tx, p[0], p[1], caller_of(req)); })
        .value();
    return no_content();
  });
}

}  // namespace bora::api
