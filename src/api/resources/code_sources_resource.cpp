// /v2/code_sources and /v2/dynamic_actions: Mistral's CodeSourcesController
// and DynamicActionsController (api/controllers/v2/code_source.py,
// dynamic_action.py). A code source's body is the module text itself
// (text/plain), its name, scope and namespace are query parameters; a
// module is Python, as Mistral's, or JavaScript (services/code_sources.h).
#include "bora/api/authorize.h"
#include "bora/api/collection_query.h"
#include "bora/api/context.h"
#include "bora/api/list_params.h"
#include "bora/api/query_args.h"
#include "bora/api/resources.h"
#include "bora/api/views.h"
#include "bora/catalog/catalog.h"
#include "bora/services/code_sources.h"
#include "bora/services/dynamic_actions.h"
#include "bora/storage/database.h"

namespace bora::api {

namespace {

// The filters of Mistral's get_all (name, tags, scope, project_id,
// created_at, updated_at, namespace: no version, class name or code
// source), in create_filters_from_request_params' order. `tags` is an
// argument of both, which neither model has a column for.
const ListSpec& code_source_list_spec() {
  static const ListSpec spec = [] {
    ListSpec s{{"created_at", "name", "scope", "updated_at", "project_id", "namespace"},
               {"id", "name", "namespace", "content", "version", "project_id", "scope", "actions", "created_at",
                "updated_at"},
               {},
               "created_at"};
    s.unfilterable = {"tags"};
    s.model = "CodeSource";
    // resources.CodeSource declares `actions`, which its model has no
    // column for.
    s.not_columns = {"actions"};
    s.attribute_types = {{"actions", 'l'}, {"scope", 'e'}};
    return s;
  }();
  return spec;
}

const ListSpec& dynamic_action_list_spec() {
  static const ListSpec spec = [] {
    ListSpec s{{"created_at", "name", "scope", "updated_at", "project_id", "namespace"},
               {"id", "name", "namespace", "code_source_id", "code_source_name", "class_name", "project_id", "scope",
                "created_at", "updated_at"},
               {},
               "created_at"};
    s.with_default = {"namespace"};  // resources.DynamicAction: wsattr(text, default='')
    s.unfilterable = {"tags"};
    s.model = "DynamicAction";
    s.attribute_types = {{"scope", 'e'}};
    return s;
  }();
  return spec;
}

// A row as Mistral's POST answers it: the new model's updated_at was never
// set, and WSME leaves an unset attribute out (a GET shows it, null).
Value as_created(const Value& view) {
  Dict d = view.as_dict();
  d.erase("updated_at");
  return Value(std::move(d));
}

// The module text: like a definition it comes as the raw body, stored as
// it is (an empty one too, as Mistral stores it).
std::string code_text(const Request& req) { return definition_text(req, "code source", "module's"); }

}  // namespace

void register_code_sources_resource(Router& router, ApiContext& ctx) {
  router.add_pecan_controller("POST", "/v2/code_sources", [&ctx](const Request& req, const PathParams&) {
    authorize(ctx, req, "code_sources:create");
    std::string content = code_text(req);
    auto target = definition_target(req);
    authorize_publicize(ctx, req, "code_sources", target.scope);
    std::string name = req.query_param("name").value_or("");
    auto c = ctx.db.write([&](storage::Transaction& tx) {
      return services::create_code_source(tx, name, content, target.namespace_, target.scope, caller_of(req),
                                          ctx.python_code_sources);
    });
    return json_response(as_created(code_source_view(c.value())), 201);
  });
  // python-mistralclient sends the identifier as a query parameter; the
  // path form is accepted too.
  auto update = [&ctx](const Request& req, const PathParams& p) {
    authorize(ctx, req, "code_sources:update");
    std::string identifier = p.empty() ? req.query_param("identifier").value_or("") : p[0];
    if (identifier.empty())
      throw BoraError(ErrorKind::BadInput, "Say which code source to update: PUT /v2/code_sources?identifier=NAME");
    std::string content = code_text(req);
    auto target = definition_target(req);
    authorize_publicize(ctx, req, "code_sources", target.scope);
    auto c = ctx.db.write([&](storage::Transaction& tx) {
      return services::update_code_source(tx, identifier, content, target.namespace_, target.scope, caller_of(req),
                                          ctx.python_code_sources);
    });
    return json_response(code_source_view(c.value()));
  };
  router.add_pecan_controller("PUT", "/v2/code_sources", update);
  router.add_pecan_controller("PUT", "/v2/code_sources/{identifier}", update);
  router.add("GET", "/v2/code_sources", [&ctx](const Request& req, const PathParams&) {
    authorize(ctx, req, "code_sources:list");
    ListParams params = parse_list_params(req, code_source_list_spec());
    storage::ListQuery q = to_list_query(params, caller_of(req));
    auto rows = ctx.db.read([&](storage::Transaction& tx) { return tx.code_sources().list(q); }).value();
    std::vector<Value> items;
    for (const auto& c : rows) items.push_back(code_source_view(c));
    return json_response(list_body(req, "code_sources", params, std::move(items)));
  });
  router.add("GET", "/v2/code_sources/{identifier}", [&ctx](const Request& req, const PathParams& p) {
    QueryArgs args(req, {"namespace"});
    authorize(ctx, req, "code_sources:get");
    auto c = ctx.db.read([&](storage::Transaction& tx) {
      return catalog::Catalog(tx, caller_of(req)).code_source(p[0], namespace_param(req));
    });
    return json_response(code_source_view(c.value()));
  });
  router.add("DELETE", "/v2/code_sources/{identifier}", [&ctx](const Request& req, const PathParams& p) {
    QueryArgs args(req, {"namespace"});
    authorize(ctx, req, "code_sources:delete");
    ctx.db
        .write([&](storage::Transaction& tx) {
          return services::delete_code_source(tx, p[0], namespace_param(req), caller_of(req));
        })
        .value();
    return no_content();
  });

  router.add("POST", "/v2/dynamic_actions", [&ctx](const Request& req, const PathParams&) {
    QueryArgs args(req, {});
    authorize(ctx, req, "dynamic_actions:create");
    Value body = json_body(req, body::dynamic_action);
    authorize_publicize(ctx, req, "dynamic_actions", scope_attribute(body));
    auto d = ctx.db.write(
        [&](storage::Transaction& tx) { return services::create_dynamic_action(tx, body, caller_of(req)); });
    return json_response(as_created(dynamic_action_view(d.value())), 201);
  });
  router.add("PUT", "/v2/dynamic_actions", [&ctx](const Request& req, const PathParams&) {
    QueryArgs args(req, {});
    authorize(ctx, req, "dynamic_actions:update");
    Value body = json_body(req, body::dynamic_action);
    authorize_publicize(ctx, req, "dynamic_actions", scope_attribute(body));
    auto d = ctx.db.write(
        [&](storage::Transaction& tx) { return services::update_dynamic_action(tx, body, caller_of(req)); });
    return json_response(dynamic_action_view(d.value()));
  });
  router.add("GET", "/v2/dynamic_actions", [&ctx](const Request& req, const PathParams&) {
    authorize(ctx, req, "dynamic_actions:list");
    ListParams params = parse_list_params(req, dynamic_action_list_spec());
    storage::ListQuery q = to_list_query(params, caller_of(req));
    auto rows = ctx.db.read([&](storage::Transaction& tx) { return tx.dynamic_actions().list(q); }).value();
    std::vector<Value> items;
    for (const auto& d : rows) items.push_back(dynamic_action_view(d));
    return json_response(list_body(req, "dynamic_actions", params, std::move(items)));
  });
  router.add("GET", "/v2/dynamic_actions/{identifier}", [&ctx](const Request& req, const PathParams& p) {
    QueryArgs args(req, {"namespace"});
    authorize(ctx, req, "dynamic_actions:get");
    auto d = ctx.db.read([&](storage::Transaction& tx) {
      return catalog::Catalog(tx, caller_of(req)).dynamic_action(p[0], namespace_param(req));
    });
    return json_response(dynamic_action_view(d.value()));
  });
  router.add("DELETE", "/v2/dynamic_actions/{identifier}", [&ctx](const Request& req, const PathParams& p) {
    QueryArgs args(req, {"namespace"});
    authorize(ctx, req, "dynamic_actions:delete");
    ctx.db
        .write([&](storage::Transaction& tx) {
          return services::delete_dynamic_action(tx, p[0], namespace_param(req), caller_of(req));
        })
        .value();
    return no_content();
  });
}

}  // namespace bora::api
