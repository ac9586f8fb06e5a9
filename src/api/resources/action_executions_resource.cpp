// /v2/action_executions: Mistral's ActionExecutionsController
// (api/controllers/v2/action_execution.py): running an action on its own
// (through the engine, which runs it on the executor pool), a result sent
// by whoever ran one, reading and deleting them. The rules are
// services/action_executions and the engine's run_action.
#include <algorithm>

#include "bora/api/authorize.h"
#include "bora/api/collection_query.h"
#include "bora/api/context.h"
#include "bora/api/list_params.h"
#include "bora/api/query_args.h"
#include "bora/api/resources.h"
#include "bora/api/views.h"
#include "bora/core/python_format.h"
#include "bora/services/action_executions.h"
#include "bora/services/json_object.h"
#include "bora/storage/database.h"

namespace bora::api {

namespace {

using storage::FilterOp;

const ListSpec& action_execution_list_spec() {
  static const ListSpec spec = [] {
    ListSpec s{
        // Mistral's get_all arguments that name columns.
        {"created_at", "name", "tags", "updated_at", "workflow_name", "task_execution_id", "state", "state_info",
         "accepted", "input", "output", "description"},
        {"id", "workflow_name", "workflow_namespace", "task_name", "task_execution_id", "state", "state_info", "tags",
         "name", "description", "project_id", "accepted", "input", "output", "created_at", "updated_at", "params"},
        {"include_output"},
        "created_at"};
    s.not_columns = {"task_name", "params"};
    s.attribute_types = {{"tags", 'l'}, {"accepted", 'b'}, {"input", 'j'}, {"output", 'j'}, {"params", 'j'}};
    s.unfilterable = {"task_name", "params"};
    s.model = "ActionExecution";
    return s;
  }();
  return spec;
}

Response action_response(const services::ActionExecutionWithTask& a) {
  return json_response(action_execution_view(a.action, a.task_name));
}

// Mistral's start_action: by default run synchronously and not stored;
// save_result stores it; save_result without run_sync runs it in the
// background (the answer is the RUNNING action execution); timeout limits
// how long it runs, as Mistral's executor does.
engine::ActionRunRequest action_run(const Request& req) {
  Value body = json_body(req, body::action_execution);
  engine::ActionRunRequest run;
  run.name = text_field(body, "name");
  // The JSON fields are read with the body (WSME), before the name's check.
  run.input = json_text_field(body, "input", "action_ex");
  Value params = json_text_field(body, "params", "action_ex");
  if (run.name.empty())
    throw BoraError(ErrorKind::BadInput, "Please provide at least action name to run action.");
  run.description = text_field(body, "description");
  run.run_sync = params.is_dict() && params["run_sync"].truthy();
  run.save_result = params.is_dict() && params["save_result"].truthy();
  if (const Value* timeout = params.is_dict() ? params.find("timeout") : nullptr; timeout && !timeout->is_null()) {
    if (!timeout->is_integer() && !timeout->is_double())
      throw BoraError(ErrorKind::BadInput, "params.timeout must be a number of seconds the action may run, got " +
                                               python_repr(*timeout));
    run.timeout = *timeout;
  }
  run.namespace_ = text_field(body, "workflow_namespace");
  run.caller = caller_of(req);
  return run;
}

Response ran(const storage::ActionExecution& a) {
  Value view = action_execution_view(a, "");
  // A run not stored is Mistral's bare resource: no id, creation time,
  // project or acceptance to show, and no task_name field.
  if (a.id.empty()) {
    view = view.with("id", Value()).with("created_at", Value()).with("project_id", Value()).with("accepted", Value());
  }
  view = without(view, "task_name");  // Mistral's answer to a run has none
  return json_response(view, 201);
}

Response list_action_executions(ApiContext& ctx, const Request& req, const std::optional<std::string>& task_id) {
  static const ListSpec in_task = under_path(action_execution_list_spec(), "task_execution_id");
  ListParams params = parse_list_params(req, task_id ? in_task : action_execution_list_spec());
  if (task_id)
    scope_to(params, action_execution_list_spec(), "task_execution_id", params.path_override.value_or(*task_id),
             false);
  storage::ListQuery q = to_list_query(params, caller_of(req));
  // Asked for by name in `fields`, the output is shown too (Mistral).
  bool with_output = wsme_flag(req, "include_output") ||
                     std::find(params.fields.begin(), params.fields.end(), "output") != params.fields.end();
  std::vector<Value> items;
  for (const auto& a : services::list_action_executions(ctx.db, q).value()) {
    Value view = action_execution_view(a.action, a.task_name);
    items.push_back(with_output ? view : without(view, "output"));
  }
  return json_response(list_body(req, "action_executions", params, std::move(items)));
}

}  // namespace

void register_action_executions_resource(Router& router, ApiContext& ctx) {
  router.add_async("POST", "/v2/action_executions", [&ctx](const Request& req, const PathParams&, Responder r) {
    QueryArgs args(req, {});
    authorize(ctx, req, "action_executions:create");
    engine_of(ctx).run_action(action_run(req), reply_with<storage::ActionExecution>(std::move(r), ran));
  });
  router.add_async("PUT", "/v2/action_executions/{id}", [&ctx](const Request& req, const PathParams& p, Responder r) {
    QueryArgs args(req, {});
    Value body = json_body(req, body::action_execution);  // WSME reads it before the policy check
    // The output is Mistral's JsonType: a dict (or its JSON text), read with
    // the body. Left out, it is WSME's Unset, which Mistral's Result carries
    // to the engine as {}; null stays None (a null result).
    Value output = Value(Dict{});
    if (const Value* given = body.find("output"))
      output = given->is_null() ? Value() : services::json_object_field(*given, "output", "action_ex", &body).value();
    authorize(ctx, req, "action_executions:update");
    engine::Engine& engine = engine_of(ctx);
    // As WSME shows an attribute the body leaves out (Unset) or null (None).
    const Value* given_state = body.find("state");
    std::string state = !given_state ? "Unset" : given_state->is_null() ? "None" : text_field(body, "state");
    // Mistral's answer to a PUT has no task_name.
    auto answer = [](const storage::ActionExecution& a) {
      return json_response(without(action_execution_view(a, ""), "task_name"));
    };
    if (state == "PAUSED" || state == "RUNNING") {
      engine.update_action_state(p[0], *storage::parse_state(state), caller_of(req),
                                 reply_with<storage::ActionExecution>(std::move(r), answer));
      return;
    }
    auto result = services::action_result_from_api(state, &output).value();
    engine.complete_action(p[0], std::move(result), caller_of(req),
                           reply_with<storage::ActionExecution>(std::move(r), answer));
  });
  router.add("GET", "/v2/action_executions", [&ctx](const Request& req, const PathParams&) {
    authorize(ctx, req, "action_executions:list");
    return list_action_executions(ctx, req, std::nullopt);
  });
  router.add("GET", "/v2/tasks/{id}/action_executions", [&ctx](const Request& req, const PathParams& p) {
    std::string id = wsme_uuid("task_execution_id", p[0]);
    authorize(ctx, req, "action_executions:list");
    return list_action_executions(ctx, req, id);
  });
  // Mistral's TasksActionExecutionController.get(task_execution_id,
  // action_ex_id): the action execution, whichever task the path names.
  router.add("GET", "/v2/tasks/{id}/action_executions/{action_ex_id}", [&ctx](const Request& req, const PathParams& p) {
    QueryArgs args(req, {});
    authorize(ctx, req, "action_executions:get");
    return action_response(services::find_action_execution(ctx.db, p[1], caller_of(req)).value());
  });
  router.add("GET", "/v2/action_executions/{id}", [&ctx](const Request& req, const PathParams& p) {
    QueryArgs args(req, {});
    authorize(ctx, req, "action_executions:get");
    return action_response(services::find_action_execution(ctx.db, p[0], caller_of(req)).value());
  });
  router.add_async("DELETE", "/v2/action_executions/{id}",
                   [&ctx](const Request& req, const PathParams& p, Responder r) {
                     QueryArgs args(req, {});
                     authorize(ctx, req, "action_executions:delete");
                     services::delete_action_execution(engine_of(ctx), p[0], caller_of(req),
                                                       ctx.allow_action_execution_deletion,
                                                       reply_with<void>(std::move(r), no_content));
                   });
}

}  // namespace bora::api
