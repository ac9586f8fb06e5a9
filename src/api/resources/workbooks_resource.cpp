// /v2/workbooks: Mistral's WorkbooksController (api/controllers/v2/workbook.py).
#include "bora/api/authorize.h"
#include "bora/api/collection_query.h"
#include "bora/api/context.h"
#include "bora/api/list_params.h"
#include "bora/api/query_args.h"
#include "bora/api/resources.h"
#include "bora/api/views.h"
#include "bora/lang/parser.h"
#include "bora/services/definition_check.h"
#include "bora/services/workbooks.h"
#include "bora/storage/database.h"

namespace bora::api {

namespace {

const ListSpec& workbook_list_spec() {
  static const ListSpec spec{
      {"created_at", "definition", "name", "scope", "tags", "updated_at", "namespace", "project_id"},
      {"id", "name", "namespace", "definition", "tags", "scope", "project_id", "created_at", "updated_at"},
      {},
      "created_at"};
  return spec;
}

}  // namespace

void register_workbooks_resource(Router& router, ApiContext& ctx) {
  router.add("POST", "/v2/workbooks/validate", [](const Request& req, const PathParams&) {
    auto check = services::as_validated(
        services::check_definition(definition_text(req, "workbook definition"), lang::DocumentKind::Workbook));
    return validation_response(check.valid(), check.valid() ? "" : lang::problems_to_error(check.problems).message,
                               services::warning_lines(check.problems));
  }, Produces::PecanJson);

  router.add_pecan_controller("POST", "/v2/workbooks", [&ctx](const Request& req, const PathParams&) {
    authorize(ctx, req, "workbooks:create");
    authorize_publicize(ctx, req, "workbooks", definition_target(req).scope);
    std::string text = definition_text(req, "workbook definition");
    auto wb = ctx.db.write([&](storage::Transaction& tx) {
      return services::create_workbook(tx, text, definition_target(req), caller_of(req));
    });
    return json_response(created_view(workbook_view(wb.value())), 201);
  });

  router.add_pecan_controller("PUT", "/v2/workbooks", [&ctx](const Request& req, const PathParams&) {
    authorize(ctx, req, "workbooks:update");
    authorize_publicize(ctx, req, "workbooks", definition_target(req).scope);
    std::string text = definition_text(req, "workbook definition");
    auto wb = ctx.db.write([&](storage::Transaction& tx) {
      return services::update_workbook(tx, text, definition_target(req), caller_of(req));
    });
    return json_response(workbook_view(wb.value()));
  });

  router.add("GET", "/v2/workbooks", [&ctx](const Request& req, const PathParams&) {
    authorize(ctx, req, "workbooks:list");
    ListParams params = parse_list_params(req, workbook_list_spec());
    storage::ListQuery q = to_list_query(params, caller_of(req));
    auto rows = ctx.db.read([&](storage::Transaction& tx) { return tx.workbooks().list(q); }).value();
    std::vector<Value> items;
    for (const auto& w : rows) items.push_back(workbook_view(w));
    return json_response(list_body(req, "workbooks", params, std::move(items)));
  });

  // Mistral's get(name, namespace='') and delete(...): pecan also takes the
  // namespace as a path segment (/v2/workbooks/<name>/<namespace>, which
  // `a%2Fb` decodes to).
  auto get_workbook = [&ctx](const Request& req, const std::string& name, const std::string& ns) {
    authorize(ctx, req, "workbooks:get");
    auto wb = ctx.db.read(
        [&](storage::Transaction& tx) { return services::get_workbook(tx, name, ns, caller_of(req)); });
    return json_response(workbook_view(wb.value()));
  };
  auto delete_workbook = [&ctx](const Request& req, const std::string& name, const std::string& ns) {
    authorize(ctx, req, "workbooks:delete");
    ctx.db.write([&](storage::Transaction& tx) { return services::delete_workbook(tx, name, ns, caller_of(req)); })
        .value();
    return no_content();
  };
  router.add("GET", "/v2/workbooks/{name}", [get_workbook](const Request& req, const PathParams& p) {
    QueryArgs args(req, {"namespace"});
    return get_workbook(req, p[0], namespace_param(req));
  });
  router.add("GET", "/v2/workbooks/{name}/{namespace}", [get_workbook](const Request& req, const PathParams& p) {
    QueryArgs args(req, {});
    return get_workbook(req, p[0], p[1]);
  });
  router.add("DELETE", "/v2/workbooks/{name}", [delete_workbook](const Request& req, const PathParams& p) {
    QueryArgs args(req, {"namespace"});
    return delete_workbook(req, p[0], namespace_param(req));
  });
  router.add("DELETE", "/v2/workbooks/{name}/{namespace}", [delete_workbook](const Request& req, const PathParams& p) {
    QueryArgs args(req, {});
    return delete_workbook(req, p[0], p[1]);
  });
}

}  // namespace bora::api
