// /v2/tasks: Mistral's TasksController (api/controllers/v2/task.py):
// reading task executions, and rerunning or skipping a failed one. The
// rules are services/task_executions.
#include "bora/api/authorize.h"
#include "bora/api/collection_query.h"
#include "bora/api/context.h"
#include "bora/api/list_params.h"
#include "bora/api/query_args.h"
#include "bora/api/resources.h"
#include "bora/api/views.h"
#include "bora/services/task_executions.h"
#include "bora/storage/database.h"

namespace bora::api {

namespace {

using storage::FilterOp;

const ListSpec& task_list_spec() {
  static const ListSpec spec = [] {
    ListSpec s{
      // Mistral's get_all arguments that name columns.
      {"created_at", "workflow_name", "workflow_id", "state", "state_info", "updated_at", "name",
       "workflow_execution_id", "tags", "published", "processed"},
      {"id", "name", "type", "workflow_name", "workflow_namespace", "workflow_id", "workflow_execution_id", "tags",
       "state", "state_info", "project_id", "runtime_context", "result", "published", "published_global",
       "processed", "created_at", "updated_at", "started_at", "finished_at", "reset", "env"},
      {},
      "created_at"};
    s.not_columns = {"result", "published_global", "reset", "env"};
    s.attribute_types = {{"tags", 'l'},       {"runtime_context", 'j'}, {"published", 'j'}, {"published_global", 'j'},
                         {"processed", 'b'},  {"reset", 'b'},           {"env", 'j'}};
    s.unfilterable = {"result", "reset", "env"};
    s.model = "TaskExecution";
    s.tags_are_list = true;  // Mistral's types.uniquelist
    return s;
  }();
  return spec;
}

Response task_response(const services::TaskWithResult& t) { return json_response(task_view(t.task, t.result)); }

// Whether a task's stored spec has `global:` publishes (an on-success,
// on-error or on-complete clause in the dict form): only then is its
// published_global evaluated (by the engine) for GET /v2/tasks/{id}.
bool has_global_publish(const Value& spec) {
  if (!spec.is_dict()) return false;
  for (const char* clause : {"on-success", "on-error", "on-complete"}) {
    const Value* c = spec.find(clause);
    const Value* publish = c && c->is_dict() ? c->find("publish") : nullptr;
    if (publish && publish->is_dict() && publish->find("global")) return true;
  }
  return false;
}

services::TaskUpdate task_update(const Request& req) {
  Value body = json_body(req, body::task);
  services::TaskUpdate u;
  u.name = text_field(body, "name");
  u.workflow_name = text_field(body, "workflow_name");
  u.state = text_field(body, "state");
  u.reset = bool_field(body, "reset");
  u.env = json_text_field(body, "env", "task");
  return u;
}

// As in Mistral, only GET /v2/tasks/{id} carries the result (it is gathered
// from the task's actions or sub-workflows).
Response list_tasks(ApiContext& ctx, const Request& req, const std::optional<std::string>& wf_ex_id) {
  static const ListSpec in_execution = under_path(task_list_spec(), "workflow_execution_id");
  ListParams params = parse_list_params(req, wf_ex_id ? in_execution : task_list_spec());
  if (wf_ex_id)
    scope_to(params, task_list_spec(), "workflow_execution_id", params.path_override.value_or(*wf_ex_id), true);
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
    std::string id = wsme_uuid("workflow_execution_id", p[0]);
    authorize(ctx, req, "tasks:list");
    return list_tasks(ctx, req, id);
  });
  router.add_async("GET", "/v2/tasks/{id}", [&ctx](const Request& req, const PathParams& p, Responder r) {
    QueryArgs args(req, {});
    authorize(ctx, req, "tasks:get");
    auto t = services::task_with_result(ctx.db, p[0], caller_of(req)).value();
    if (!has_global_publish(t.task.spec)) {
      r.reply(task_response(t));
      return;
    }
    // Mistral's tasks.get re-evaluates the task's global publishes when the
    // task is read (get_published_global) and shows them when they give
    // something.
    engine_of(ctx).task_published_global(t.task.id, reply_with<Value>(std::move(r), [t](const Value& global) {
      Value view = task_view(t.task, t.result);
      if (global.is_dict() && global.size() > 0) view = view.with("published_global", Value(to_json(global, JsonFormat::python())));
      return json_response(view);
    }));
  });
  router.add_async("PUT", "/v2/tasks/{id}", [&ctx](const Request& req, const PathParams& p, Responder r) {
    QueryArgs args(req, {});
    services::TaskUpdate update = task_update(req);  // WSME reads the body before the policy check
    // Mistral answers a rerun with the task before its executor ran the new
    // action: executions made from now on are not in the answer's result.
    Timestamp asked = now_utc();
    authorize(ctx, req, "tasks:update");
    engine::Engine& engine = engine_of(ctx);
    // The answer shows the task with its result: read on the handler pool
    // once the rerun has committed.
    services::update_task_execution(ctx.db, engine, p[0], std::move(update), caller_of(req),
                                    reply_with<storage::TaskExecution>(std::move(r), [&ctx, asked](const auto& t) {
                                      return task_response(services::task_with_result_before(ctx.db, t, asked));
                                    }));
  });
}

}  // namespace bora::api
