// /v2/executions: Mistral's ExecutionsController
// (api/controllers/v2/execution.py): starting workflows, reading, updating
// and deleting their executions. The rules are services/workflow_executions;
// changes answer once the engine has committed them.
#include <algorithm>

#include "bora/api/authorize.h"
#include "bora/api/collection_query.h"
#include "bora/api/context.h"
#include "bora/api/list_params.h"
#include "bora/api/query_args.h"
#include "bora/api/resources.h"
#include "bora/api/views.h"
#include "bora/core/json.h"
#include "bora/services/workflow_executions.h"
#include "bora/storage/database.h"

namespace bora::api {

namespace {

using storage::FilterOp;

const ListSpec& execution_list_spec() {
  static const ListSpec spec = [] {
    ListSpec s{
        // Mistral's get_all arguments (no workflow_namespace).
        {"created_at", "workflow_name", "workflow_id", "params", "task_execution_id", "state", "state_info", "input",
         "output", "updated_at", "description", "tags", "project_id", "root_execution_id"},
        {"id", "workflow_id", "workflow_name", "workflow_namespace", "description", "tags", "params",
         "task_execution_id", "root_execution_id", "source_execution_id", "state", "state_info", "input", "output",
         "created_at", "updated_at", "project_id", "published_global", "workflow_version"},
        {"include_output", "nulls"},
        "created_at"};
    s.tags_are_list = true;  // Mistral's types.uniquelist
    s.own_fields = {"workflow_version"};
    s.not_columns = {"source_execution_id", "published_global"};
    s.attribute_types = {{"tags", 'l'}, {"params", 'j'}, {"input", 'j'}, {"output", 'j'}, {"published_global", 'j'}};
    s.typed_order = {"workflow_id", "params", "task_execution_id", "root_execution_id", "input", "output",
                     "project_id"};
    return s;
  }();
  return spec;
}

Response created(const storage::WorkflowExecution& ex) { return json_response(execution_view(ex), 201); }
Response updated(const storage::WorkflowExecution& ex) { return json_response(execution_view(ex)); }

services::ExecutionStart execution_start(const Request& req) {
  Value body = json_body(req, body::execution);
  services::ExecutionStart s;
  if (std::string id = text_field(body, "id"); !id.empty()) s.start.id = id;
  s.start.workflow = text_field(body, "workflow_id");
  if (body.find("workflow_id")) s.workflow_id = s.start.workflow;
  if (body.find("workflow_name")) s.workflow_name = text_field(body, "workflow_name");
  if (s.start.workflow.empty()) s.start.workflow = text_field(body, "workflow_name");
  s.start.namespace_ = text_field(body, "workflow_namespace");
  s.namespace_given = body.find("workflow_namespace") != nullptr;
  s.start.input = json_text_field(body, "input", "wf_ex");
  s.start.params = json_text_field(body, "params", "wf_ex");
  s.start.description = text_field(body, "description");
  s.start.caller = caller_of(req);
  s.start.trace = req.trace;  // the API call's span is the execution's parent
  s.source_execution_id = text_field(body, "source_execution_id");
  // Bora's own: run a kept version of the workflow (docs/API.md).
  if (const Value* v = body.find("workflow_version"); v && !v->is_null()) {
    std::optional<int64_t> n;
    if (v->is_int()) n = v->as_int();
    if (v->is_string() && !v->as_string().empty() && v->as_string().size() <= 18 &&
        v->as_string().find_first_not_of("0123456789") == std::string::npos)
      n = std::stoll(v->as_string());
    if (!n || *n < 1)
      throw BoraError(ErrorKind::BadInput, "workflow_version must be a version number (1, 2, ...; GET "
                                           "/v2/workflows/{id}/versions lists them), got " + to_json(*v));
    s.start.workflow_version = n;
  }
  return s;
}

services::ExecutionUpdate execution_update(const Request& req) {
  Value body = json_body(req, body::execution);
  services::ExecutionUpdate u;
  u.state = text_field(body, "state");
  u.description = text_field(body, "description");
  Value params = json_text_field(body, "params", "wf_ex");
  if (params.is_dict() && params.find("env")) u.env = params["env"];
  if (params.is_dict() && params.find("rollback")) u.rollback = params["rollback"].truthy();
  if (std::string info = text_field(body, "state_info"); !info.empty()) u.state_info = info;
  return u;
}

// Mistral lists executions without their output unless include_output.
Response list_executions(ApiContext& ctx, const Request& req, const std::optional<std::string>& task_id) {
  // Mistral's TaskExecutionsController takes fewer arguments: no
  // include_output, nulls, root_execution_id or project_id.
  static const ListSpec of_task = [] {
    ListSpec s = under_path(execution_list_spec(), "task_execution_id");
    std::erase_if(s.filters, [](const std::string& f) { return f == "root_execution_id" || f == "project_id"; });
    std::erase_if(s.typed_order, [](const std::string& f) { return f == "root_execution_id" || f == "project_id"; });
    s.extra.clear();
    return s;
  }();
  ListParams params = parse_list_params(req, task_id ? of_task : execution_list_spec());
  // Mistral: all_projects, or a project_id filter, is another project's view.
  bool other_projects = lists_other_projects(params);
  if (!task_id && other_projects) authorize(ctx, req, "executions:list:all_projects");
  if (task_id)
    scope_to(params, execution_list_spec(), "task_execution_id", params.path_override.value_or(*task_id), true);
  storage::ListQuery q = to_list_query(params, caller_of(req));
  // Asked for by name in `fields`, the output is shown too (Mistral).
  bool with_output = wsme_flag(req, "include_output") ||
                     std::find(params.fields.begin(), params.fields.end(), "output") != params.fields.end();
  auto rows = ctx.db.read([&](storage::Transaction& tx) { return tx.workflow_executions().list(q); }).value();
  std::vector<Value> items;
  for (const auto& e : rows) {
    Value view = with_output ? execution_view(e) : without(execution_view(e), "output");
    // A task's workflow_executions: Mistral's list loads no deferred
    // column there, so input and params show only when `fields` names them.
    if (task_id)
      for (const char* deferred : {"input", "params"})
        if (std::find(params.fields.begin(), params.fields.end(), deferred) == params.fields.end())
          view = without(view, deferred);
    items.push_back(std::move(view));
  }
  return json_response(list_body(req, "executions", params, std::move(items)));
}

}  // namespace

void register_executions_resource(Router& router, ApiContext& ctx) {
  router.add_async("POST", "/v2/executions", [&ctx](const Request& req, const PathParams&, Responder r) {
    QueryArgs args(req, {});
    authorize(ctx, req, "executions:create");
    engine::Engine& engine = engine_of(ctx);
    services::start_workflow_execution(ctx.db, engine, execution_start(req),
                                       reply_with<storage::WorkflowExecution>(std::move(r), created));
  });
  router.add("GET", "/v2/executions", [&ctx](const Request& req, const PathParams&) {
    authorize(ctx, req, "executions:list");
    return list_executions(ctx, req, std::nullopt);
  });
  // The executions a task started (Mistral's TaskExecutionsController).
  router.add("GET", "/v2/tasks/{id}/workflow_executions", [&ctx](const Request& req, const PathParams& p) {
    std::string id = wsme_uuid("task_execution_id", p[0]);
    authorize(ctx, req, "executions:list");
    return list_executions(ctx, req, id);
  });
  router.add("GET", "/v2/executions/{id}", [&ctx](const Request& req, const PathParams& p) {
    QueryArgs args(req, {});
    authorize(ctx, req, "executions:get");
    auto ex = ctx.db.read(
        [&](storage::Transaction& tx) { return services::find_workflow_execution(tx, p[0], caller_of(req)); });
    return json_response(execution_view_with_published(ex.value()));
  });
  router.add_async("PUT", "/v2/executions/{id}", [&ctx](const Request& req, const PathParams& p, Responder r) {
    QueryArgs args(req, {});
    // WSME reads the body before the method runs (and its policy check).
    services::ExecutionUpdate update = execution_update(req);
    authorize(ctx, req, "executions:update");
    engine::Engine& engine = engine_of(ctx);
    // Without a state, Mistral answers with the row its update returned,
    // whose deferred columns are not loaded: a description alone leaves
    // out input, output and params; an env change (which set params)
    // leaves out input and output.
    bool no_state = update.state.empty();
    bool env_change = update.env.truthy();
    services::update_workflow_execution(
        engine, p[0], std::move(update), caller_of(req),
        reply_with<storage::WorkflowExecution>(std::move(r), [no_state, env_change](const storage::WorkflowExecution& ex) {
          if (!no_state) return updated(ex);
          Value view = without(without(execution_view(ex), "input"), "output");
          return json_response(env_change ? view : without(view, "params"));
        }));
  });
  // Bora's rollback (docs/LANGUAGE.md "Rollback"): body optional,
  // {"message": "why"}.
  router.add_async("POST", "/v2/executions/{id}/rollback", [&ctx](const Request& req, const PathParams& p, Responder r) {
    authorize(ctx, req, "executions:update");  // a rollback changes the execution's state, as PUT does
    std::optional<std::string> message;
    if (!req.body.empty()) {
      Value body = json_body(req, body::execution_rollback);
      if (std::string m = text_field(body, "message"); !m.empty()) message = m;
    }
    engine_of(ctx).rollback(p[0], message, caller_of(req), reply_with<storage::WorkflowExecution>(std::move(r), updated));
  }, Produces::Own);
  router.add_async("DELETE", "/v2/executions/{id}", [&ctx](const Request& req, const PathParams& p, Responder r) {
    QueryArgs args(req, {"force"});
    authorize(ctx, req, "executions:delete");
    bool force = args.flag("force");
    services::delete_workflow_execution(engine_of(ctx), p[0], caller_of(req), force,
                                        reply_with<void>(std::move(r), no_content));
  });
}

}  // namespace bora::api
