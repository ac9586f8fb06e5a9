// /v2/workflows/{id}/versions, /v2/workbooks/{name}/versions,
// /v2/actions/{id}/versions: the numbered versions of a definition (Bora's
// own; docs/API.md "Definition versions"): list (Mistral's list
// conventions), one by number, and restore (a new version with its text).
#include <fmt/format.h>

#include "bora/api/authorize.h"
#include "bora/api/collection_query.h"
#include "bora/api/context.h"
#include "bora/api/list_params.h"
#include "bora/api/resources.h"
#include "bora/api/views.h"
#include "bora/services/definition_versions.h"
#include "bora/storage/database.h"

namespace bora::api {

namespace {

const ListSpec& version_list_spec() {
  static const ListSpec spec{{"version", "checksum", "created_at", "project_id"},
                             {"id", "version", "definition", "checksum", "project_id", "created_at"},
                             {"namespace"},
                             "version"};
  return spec;
}

Value version_view(const storage::DefinitionVersion& v) {
  return Value::dict({{"id", Value(v.id)},
                      {"version", Value(v.version)},
                      {"definition", Value(v.definition)},
                      {"checksum", Value(v.checksum)},
                      {"project_id", Value(v.project_id)},
                      {"user_id", v.user_id.empty() ? Value() : Value(v.user_id)},
                      {"created_at", api_time(v.created_at)}});
}

std::optional<std::string> namespace_of(const Request& req) {
  if (auto n = req.query_param("namespace"); n && !n->empty()) return *n;
  return std::nullopt;
}

// The {number} of the URL: a whole number >= 1.
int64_t version_number(const std::string& text) {
  int64_t n = 0;
  bool digits = !text.empty() && text.size() <= 18;
  for (char c : text) digits = digits && c >= '0' && c <= '9';
  if (digits) n = std::stoll(text);
  if (n < 1)
    throw BoraError(ErrorKind::BadInput,
                    fmt::format("'{}' is not a version number: versions are numbered 1, 2, ... (GET .../versions "
                                "lists them)",
                                text));
  return n;
}

// `rules`: the Mistral policy rules of the definition ("workflows" ->
// workflows:get to read its versions, workflows:update to restore one, as
// restoring is an update of the definition).
void add_versions_routes(Router& router, ApiContext& ctx, const std::string& base, std::string_view kind,
                         const std::string& rules) {
  router.add("GET", base + "/versions", [&ctx, kind, rules](const Request& req, const PathParams& p) {
    authorize(ctx, req, rules + ":get");
    ListParams params = parse_list_params(req, version_list_spec());
    storage::ListQuery q = to_list_query(params, caller_of(req));
    auto rows = ctx.db
                    .read([&](storage::Transaction& tx) {
                      return services::list_versions(tx, kind, p[0], namespace_of(req), q, caller_of(req));
                    })
                    .value();
    std::vector<Value> items;
    for (const auto& v : rows) items.push_back(version_view(v));
    Value body = list_body(req, "versions", params, std::move(items));
    // Mistral's next link names the top-level collection; versions are
    // under their definition, so the link goes back to this path.
    if (const Value* next = body.find("next"); next && next->is_string()) {
      std::string link = next->as_string();
      std::string query = link.substr(link.find('?'));
      if (auto ns = namespace_of(req)) query += "&namespace=" + *ns;
      body = body.with("next", Value(req.base_url + req.path + query));
    }
    return json_response(body);
  }, Produces::Own);
  router.add("GET", base + "/versions/{number}", [&ctx, kind, rules](const Request& req, const PathParams& p) {
    authorize(ctx, req, rules + ":get");
    int64_t n = version_number(p[1]);
    auto v = ctx.db.read([&](storage::Transaction& tx) {
      return services::get_version(tx, kind, p[0], namespace_of(req), n, caller_of(req));
    });
    return json_response(version_view(v.value()));
  }, Produces::Own);
  router.add("POST", base + "/versions/{number}/restore", [&ctx, kind, rules](const Request& req, const PathParams& p) {
    authorize(ctx, req, rules + ":update");
    int64_t n = version_number(p[1]);
    auto v = ctx.db.write([&](storage::Transaction& tx) {
      return services::restore_version(tx, kind, p[0], namespace_of(req), n, caller_of(req));
    });
    return json_response(version_view(v.value()), 201);
  }, Produces::Own);
}

}  // namespace

void register_definition_versions_resource(Router& router, ApiContext& ctx) {
  add_versions_routes(router, ctx, "/v2/workflows/{identifier}", services::kWorkflowVersions, "workflows");
  add_versions_routes(router, ctx, "/v2/workbooks/{name}", services::kWorkbookVersions, "workbooks");
  add_versions_routes(router, ctx, "/v2/actions/{identifier}", services::kActionVersions, "actions");
}

}  // namespace bora::api
