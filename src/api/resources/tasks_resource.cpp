// /v2/tasks: Mistral's TasksController (api/controllers/v2/task.py):
// reading task executions, and rerunning or skipping a failed one. The
// rules are services/task_executions.
#include "bora/api/authorize.h"
#include "bora/api/collection_query.h"
#include "bora/api/context.h"
#include "bora/api/list_params.h"
#include "bora/api/resources.h"
#include "bora/api/views.h"
#include "bora/services/task_executions.h"
#include "bora/storage/database.h"

namespace bora::api {

namespace {

using storage::FilterOp;

const ListSpec& task_list_spec() {
  static const ListSpec spec{
      {"created_at", "workflow_name", "workflow_id", "state", "state_info", "updated_at", "name", "workflow_execution_id", "processed", "started_at", "finished_at", "type", "project_id", "workflow_namespace"},
      {"id", "name", "type", "workflow_name", "workflow_namespace", "workflow_id", "workflow_execution_id", "tags",
       "state", "state_info", "project_id", "runtime_context", "result", "published", "processed", "created_at",
       "updated_at", "started_at", "finished_at"},
      {},
      "created_at"};
  return spec;
}

Response task_response(const services::TaskWithResult& t) { return json_response(task_view(t.task, t.result)); }

services::TaskUpdate task_update(const Request& req) {
  Value body = json_body(req, body::task);
  services::TaskUpdate u;
  u.name = text_field(body, "name");
  u.workflow_name = text_field(body, "workflow_name");
  u.state = text_field(body, "state");
  if (const Value* reset = body.find("reset"); reset && !reset->is_null()) u.reset = reset->truthy();
  u.env = json_text_field(body, "env");
  return u;
}

// As in Mistral, only GET /v2/tasks/{id} carries the result (it is gathered
// from the task's actions or sub-workflows).
Response list_tasks(ApiContext& ctx, const Request& req, const std::optional<std::string>& wf_ex_id) {
  ListParams params = parse_list_params(req, task_list_spec());
  if (wf_ex_id) scope_to(params, task_list_spec(), "workflow_execution_id", *wf_ex_id, true);
  storage::ListQuery q = to_list_query(params, caller_of(req));
  auto rows = ctx.db.read([&](storage::Transaction& tx) { return tx.task_executions().list(q); }).value();
  std::vector<Value> items;
  for (const auto& t : rows) items.push_back(without(task_view(t, Value()), "result"));
  return json_response(list_body(req, "tasks", params, std::move(items)));
}

}  // namespace

void register_tasks_resource(Router& router, ApiContext& ctx) {
  router.add("GET", "/v2/tasks", [&ctx](const Request& req, const PathParams&) {
    authorize(ctx, req, "tasks:list");
    return list_tasks(ctx, req, std::nullopt);
  });
  router.add("GET", "/v2/executions/{id}/tasks", [&ctx](const Request& req, const PathParams& p) {
    authorize(ctx, req, "tasks:list");
    return list_tasks(ctx, req, p[0]);
  });
  router.add("GET", "/v2/tasks/{id}", [&ctx](const Request& req, const PathParams& p) {
    authorize(ctx, req, "tasks:get");
    return task_response(services::task_with_result(ctx.db, p[0], caller_of(req)).value());
  });
  router.add_async("PUT", "/v2/tasks/{id}", [&ctx](const Request& req, const PathParams& p, Responder r) {
    authorize(ctx, req, "tasks:update");
    engine::Engine& engine = engine_of(ctx);
    // The answer shows the task with its result: read on the handler pool
    // once the rerun has committed.
    services::update_task_execution(ctx.db, engine, p[0], task_update(req), caller_of(req),
                                    reply_with<storage::TaskExecution>(std::move(r), [&ctx](const auto& t) {
                                      return task_response(services::task_with_result(ctx.db, t));
                                    }));
  });
}

}  // namespace bora::api
