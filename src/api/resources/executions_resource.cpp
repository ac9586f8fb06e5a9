// /v2/executions, /v2/tasks, /v2/action_executions: Mistral's
// ExecutionsController, TasksController and ActionExecutionsController
// (api/controllers/v2/execution.py, task.py, action_execution.py), for
// starting workflows and reading their executions.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "bora/api/collection_query.h"
#include "bora/core/json.h"
#include "bora/api/context.h"
#include "bora/api/list_params.h"
#include "bora/api/resources.h"
#include "bora/api/views.h"
#include "bora/catalog/catalog.h"
#include "bora/engine/merge_dicts.h"
#include "bora/engine/states.h"
#include "bora/engine/task_result.h"
#include "bora/engine/engine.h"
#include "bora/executor/executor.h"
#include "bora/executor/std_actions.h"
#include "bora/services/json_object.h"
#include "bora/storage/database.h"

namespace bora::api {

namespace {

using storage::FilterOp;

const ListSpec& execution_list_spec() {
  static const ListSpec spec{
      {"workflow_name", "workflow_id", "description", "params", "task_execution_id", "root_execution_id", "state",
       "state_info", "input", "output", "created_at", "updated_at", "workflow_namespace", "project_id"},
      {"id", "workflow_id", "workflow_name", "workflow_namespace", "description", "tags", "params",
       "task_execution_id", "root_execution_id", "source_execution_id", "state", "state_info", "input", "output",
       "created_at", "updated_at", "project_id"},
      {"include_output", "nulls"},
      "created_at"};
  return spec;
}

const ListSpec& task_list_spec() {
  static const ListSpec spec{
      {"name", "workflow_name", "workflow_id", "workflow_execution_id", "state", "state_info", "processed",
       "created_at", "updated_at", "started_at", "finished_at", "type", "project_id", "workflow_namespace"},
      {"id", "name", "type", "workflow_name", "workflow_namespace", "workflow_id", "workflow_execution_id", "tags",
       "state", "state_info", "project_id", "runtime_context", "result", "published", "processed", "created_at",
       "updated_at", "started_at", "finished_at"},
      {},
      "created_at"};
  return spec;
}

const ListSpec& action_execution_list_spec() {
  static const ListSpec spec{
      {"name", "workflow_name", "task_execution_id", "state", "state_info", "accepted", "input", "output",
       "created_at", "updated_at", "description", "workflow_namespace", "project_id"},
      {"id", "workflow_name", "workflow_namespace", "task_name", "task_execution_id", "state", "state_info", "tags",
       "name", "description", "project_id", "accepted", "input", "output", "created_at", "updated_at"},
      {"include_output"},
      "created_at"};
  return spec;
}

// Mistral's estimate_time_for_execution: for a RUNNING execution, the mean
// run time (whole seconds) of the last 20 successful executions of its
// workflow minus how long it has run; 1 when it is already over that; -1
// with no history; 0 when it is not running.
int64_t estimated_time(storage::Transaction& tx, const storage::WorkflowExecution& ex) {
  if (ex.state != "RUNNING") return 0;
  auto previous = tx.workflow_executions()
                      .list({storage::ProjectScope::internal(),
                             {{"workflow_id", FilterOp::Eq, {ex.workflow_id}}, {"state", FilterOp::Eq, {"SUCCESS"}}},
                             {{"created_at", true}},
                             std::nullopt,
                             20})
                      .value();
  if (previous.empty()) return -1;
  auto whole_seconds = [](Timestamp from, Timestamp to) {
    return static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(to - from).count());
  };
  double total = 0;
  for (const auto& e : previous) total += whole_seconds(e.created_at, e.updated_at.value_or(e.created_at));
  double left = total / static_cast<double>(previous.size()) - whole_seconds(ex.created_at, now_utc());
  return left < 0 ? 1 : static_cast<int64_t>(left);  // an integer field in Mistral's API
}

Value json_text_field(const Value& body, const char* key) {
  const Value* v = body.find(key);
  if (!v) return Value();
  auto obj = services::json_object_field(*v, key);
  if (!obj) throw BoraError(obj.error());
  return *obj;
}

std::string text_field(const Value& body, const char* key) {
  const Value* v = body.find(key);
  if (!v || v->is_null()) return "";
  if (!v->is_string()) throw BoraError(ErrorKind::BadInput, fmt::format("Field '{}' must be a string.", key));
  return v->as_string();
}

storage::WorkflowExecution find_execution(storage::Transaction& tx, const std::string& id, const Request& req) {
  auto ex = tx.workflow_executions().find_one({{"id", FilterOp::Eq, {id}}}, caller_of(req).lookup());
  if (!ex) throw BoraError(ErrorKind::NotFound, fmt::format("WorkflowExecution not found [id={}]", id));
  return *ex;
}

Value without(Value v, std::string_view key) {
  if (!v.is_dict()) return v;
  Dict d = v.as_dict();
  d.erase(key);
  return Value(std::move(d));
}

struct SubExecutionFilters {
  bool errors_only = false;
  int64_t max_depth = -1;  // negative: no limit
  bool include_output = false;
};

SubExecutionFilters sub_execution_filters(const Request& req) {
  SubExecutionFilters f;
  f.errors_only = bool_query_param(req, "errors_only");
  f.include_output = bool_query_param(req, "include_output");
  if (auto depth = req.query_param("max_depth"); depth && !depth->empty()) {
    try {
      size_t used = 0;
      f.max_depth = std::stoll(*depth, &used);
      if (used != depth->size()) throw std::invalid_argument("trailing text");
    } catch (const std::exception&) {
      throw BoraError(ErrorKind::BadInput,
                      fmt::format("Invalid input for field/attribute max_depth. Value: '{}'. Wrong type: expected "
                                  "an integer.",
                                  *depth));
    }
  }
  return f;
}

void task_subtree(storage::Transaction& tx, const storage::TaskExecution& t, const SubExecutionFilters& f,
                  int64_t depth, std::vector<Value>& out);

void execution_subtree(storage::Transaction& tx, const storage::WorkflowExecution& ex, const SubExecutionFilters& f,
                       int64_t depth, std::vector<Value>& out) {
  if (f.max_depth >= 0 && depth > f.max_depth) return;
  out.push_back(f.include_output ? execution_view(ex) : without(execution_view(ex), "output"));
  auto tasks = tx.task_executions()
                   .list({storage::ProjectScope::internal(),
                          {{"workflow_execution_id", FilterOp::Eq, {ex.id}}},
                          {{"created_at", false}}})
                   .value();
  for (const auto& t : tasks) task_subtree(tx, t, f, depth + 1, out);
}

void task_subtree(storage::Transaction& tx, const storage::TaskExecution& t, const SubExecutionFilters& f,
                  int64_t depth, std::vector<Value>& out) {
  if (f.errors_only && t.state != "ERROR") return;
  auto children = tx.workflow_executions()
                      .list({storage::ProjectScope::internal(),
                             {{"task_execution_id", FilterOp::Eq, {t.id}}},
                             {{"created_at", false}}})
                      .value();
  for (const auto& c : children) execution_subtree(tx, c, f, depth, out);
}

// GET /v2/executions/{id}/report (api/controllers/v2/execution_report.py).
struct ReportStats {
  int64_t total = 0, running = 0, success = 0, error = 0, idle = 0, paused = 0;
  void count(const std::string& state) {
    if (state == "RUNNING") ++running, ++total;
    else if (state == "SUCCESS") ++success, ++total;
    else if (state == "ERROR") ++error, ++total;
    else if (state == "IDLE") ++idle, ++total;
    else if (state == "PAUSED") ++paused, ++total;
  }
};

Dict report_entry(const std::string& id, const std::string& name, Timestamp created,
                  const std::optional<Timestamp>& updated, const std::string& state,
                  const std::optional<std::string>& state_info) {
  return Dict{{"id", Value(id)},
              {"name", Value(name)},
              {"created_at", api_time(created)},
              {"updated_at", api_time(updated)},
              {"state", Value(state)},
              {"state_info", state_info ? Value(*state_info) : Value()}};
}

Value report_workflow(storage::Transaction& tx, const storage::WorkflowExecution& wf_ex, ReportStats& stats,
                      bool errors_only, int64_t max_depth, int64_t depth, bool build) {
  Dict entry = report_entry(wf_ex.id, wf_ex.name, wf_ex.created_at, wf_ex.updated_at, wf_ex.state, wf_ex.state_info);
  if (max_depth >= 0 && depth > max_depth) return Value(std::move(entry));
  List tasks;
  auto task_exs = tx.task_executions()
                      .list({storage::ProjectScope::internal(),
                             {{"workflow_execution_id", FilterOp::Eq, {wf_ex.id}}},
                             {{"created_at", false}}})
                      .value();
  for (const auto& t : task_exs) {
    if (errors_only && t.state != "ERROR") continue;
    stats.count(t.state);
    Dict te = report_entry(t.id, t.name, t.created_at, t.updated_at, t.state, t.state_info);
    List actions, subs;
    for (const auto& a : tx.action_executions()
                             .list({storage::ProjectScope::internal(),
                                    {{"task_execution_id", FilterOp::Eq, {t.id}}},
                                    {{"created_at", false}}})
                             .value()) {
      Dict ae = report_entry(a.id, a.name, a.created_at, a.updated_at, a.state, a.state_info);
      ae.set("accepted", Value(a.accepted));
      ae.set("last_heartbeat", api_time(a.last_heartbeat));
      actions.emplace_back(std::move(ae));
    }
    for (const auto& sub : tx.workflow_executions()
                               .list({storage::ProjectScope::internal(),
                                      {{"task_execution_id", FilterOp::Eq, {t.id}}},
                                      {{"created_at", false}}})
                               .value()) {
      subs.push_back(report_workflow(tx, sub, stats, errors_only, max_depth, depth + 1, build));
    }
    te.set("action_executions", Value(std::move(actions)));
    te.set("workflow_executions", Value(std::move(subs)));
    if (const Value* r = t.runtime_context.find("retry_no"); r && r->is_int()) te.set("retry_count", *r);
    tasks.emplace_back(std::move(te));
  }
  if (build) entry.set("task_executions", Value(std::move(tasks)));
  return Value(std::move(entry));
}

}  // namespace

void register_executions_resource(Router& router, ApiContext& ctx) {
  router.add("POST", "/v2/executions", [&ctx](const Request& req, const PathParams&) {
    if (!ctx.engine) throw BoraError(ErrorKind::Unavailable, "this server runs no engine");
    Value body = json_body(req, body::execution);
    engine::StartRequest start;
    std::string id = text_field(body, "id");
    if (!id.empty()) start.id = id;
    start.workflow = text_field(body, "workflow_id");
    if (start.workflow.empty()) start.workflow = text_field(body, "workflow_name");
    start.namespace_ = text_field(body, "workflow_namespace");
    start.input = json_text_field(body, "input");
    start.params = json_text_field(body, "params");
    start.description = text_field(body, "description");
    start.caller = caller_of(req);
    if (std::string source_id = text_field(body, "source_execution_id"); !source_id.empty()) {
      // Mistral: a new execution of the source's workflow with its input and
      // params, what the request gives merged over them.
      auto source = ctx.db.read([&](storage::Transaction& tx) { return find_execution(tx, source_id, req); });
      if (start.workflow.empty()) {
        start.workflow = source.workflow_id;
        if (!body.find("workflow_namespace")) start.namespace_ = source.workflow_namespace;
      }
      start.input = engine::merge_dicts(source.input, start.input);
      start.params = engine::merge_dicts(source.params, start.params);
      std::string description = start.description + " Based on the execution '" + source_id + "'";
      start.description = description.substr(description.find_first_not_of(' '));
    }
    if (start.workflow.empty()) {
      throw BoraError(ErrorKind::BadInput,
                      "Workflow ID or workflow name must be provided. Workflow ID is recommended.");
    }
    auto ex = ctx.engine->start_workflow(start);
    return json_response(execution_view(ex.value()), 201);
  });

  // Mistral lists executions without their output unless include_output.
  auto list_executions = [&ctx](const Request& req, const std::optional<std::string>& task_id) {
    ListParams params = parse_list_params(req, execution_list_spec());
    storage::ListQuery q = to_list_query(params, caller_of(req));
    if (task_id) q.filters.push_back({"task_execution_id", FilterOp::Eq, {*task_id}});
    bool with_output = bool_query_param(req, "include_output");
    auto rows = ctx.db.read([&](storage::Transaction& tx) { return tx.workflow_executions().list(q); }).value();
    std::vector<Value> items;
    for (const auto& e : rows) items.push_back(with_output ? execution_view(e) : without(execution_view(e), "output"));
    return json_response(list_body(req, "executions", params, std::move(items)));
  };
  router.add("GET", "/v2/executions", [list_executions](const Request& req, const PathParams&) {
    return list_executions(req, std::nullopt);
  });
  // The executions a task started (Mistral's TaskExecutionsController).
  router.add("GET", "/v2/tasks/{id}/workflow_executions", [list_executions](const Request& req, const PathParams& p) {
    return list_executions(req, p[0]);
  });

  router.add("GET", "/v2/executions/{id}", [&ctx](const Request& req, const PathParams& p) {
    auto ex = ctx.db.read([&](storage::Transaction& tx) { return find_execution(tx, p[0], req); });
    return json_response(execution_view_with_published(ex));
  });

  router.add("PUT", "/v2/executions/{id}", [&ctx](const Request& req, const PathParams& p) {
    if (!ctx.engine) throw BoraError(ErrorKind::Unavailable, "this server runs no engine");
    Value body = json_body(req, body::execution);
    std::string state = text_field(body, "state");
    std::string description = text_field(body, "description");
    Value params = json_text_field(body, "params");
    Value env = params.is_dict() && params.find("env") ? params["env"] : Value();
    std::optional<std::string> state_info;
    if (std::string info = text_field(body, "state_info"); !info.empty()) state_info = info;
    // Mistral's rules (api/controllers/v2/execution.py put).
    if (state.empty() && description.empty() && (env.is_null() || env.size() == 0)) {
      throw BoraError(ErrorKind::BadInput, "The property state, description, or env is not provided for update.");
    }
    if (!description.empty() && !state.empty())
      throw BoraError(ErrorKind::BadInput, "The property description must be updated separately from state.");
    if (env.is_dict() && env.size() > 0 && !state.empty() && state != "RUNNING") {
      throw BoraError(ErrorKind::BadInput,
                      "The property env can only be updated when workflow execution is not running or on resume "
                      "from pause.");
    }
    auto caller = caller_of(req);
    storage::WorkflowExecution ex = ctx.db.read([&](storage::Transaction& tx) { return find_execution(tx, p[0], req); });
    if (!description.empty()) {
      ex = ctx.db.write([&](storage::Transaction& tx) {
        auto current = find_execution(tx, p[0], req);
        current.description = description;
        return tx.workflow_executions().update(current).value();
      });
    }
    if (state.empty() && env.is_dict() && env.size() > 0) {
      ex = ctx.db.write([&](storage::Transaction& tx) {
        auto current = find_execution(tx, p[0], req);
        if (current.state != "IDLE" && current.state != "PAUSED" && current.state != "ERROR") {
          throw BoraError(ErrorKind::Forbidden,
                          "Updating env to workflow execution is only permitted if it is in IDLE, PAUSED, or ERROR "
                          "state.");
        }
        Value old_params = current.params.is_dict() ? current.params : Value(Dict{});
        const Value* old_env = old_params.find("env");
        Dict merged = old_env && old_env->is_dict() ? old_env->as_dict() : Dict{};
        for (const auto& [k, v] : env.as_dict()) merged.set(k, v);
        current.params = old_params.with("env", Value(std::move(merged)));
        return tx.workflow_executions().update(current).value();
      });
    }
    if (state == "PAUSED") ex = ctx.engine->pause(p[0], caller).value();
    else if (state == "RUNNING") ex = ctx.engine->resume(p[0], env, caller).value();
    else if (!state.empty()) ex = ctx.engine->stop(p[0], state, state_info, caller).value();
    return json_response(execution_view(ex));
  });

  router.add("POST", "/v2/action_executions", [&ctx](const Request& req, const PathParams&) {
    // Mistral's start_action: by default run synchronously and not stored;
    // save_result stores it; save_result without run_sync runs it in the
    // background (the answer is the RUNNING action execution).
    Value body = json_body(req, body::action_execution);
    std::string name = text_field(body, "name");
    if (name.empty()) throw BoraError(ErrorKind::BadInput, "Action name must be provided (\"name\").");
    Value input = json_text_field(body, "input");
    Value params = json_text_field(body, "params");
    std::string description = text_field(body, "description");
    bool run_sync = params.is_dict() && params["run_sync"].truthy();
    bool save = params.is_dict() && params["save_result"].truthy();
    std::string namespace_ = text_field(body, "workflow_namespace");
    const executor::ActionDescriptor* d = executor::find_std_action(name);
    std::optional<executor::DynamicActionCode> dynamic;
    if (!d) {
      dynamic = ctx.db.read([&](storage::Transaction& tx) {
        return catalog::Catalog(tx, caller_of(req)).dynamic_action_code(name, namespace_);
      });
    }
    if (!d && !dynamic) {
      throw BoraError(ErrorKind::BadInput,
                      fmt::format("Action not found [action_name={}]: run ad hoc, bora runs the std actions and "
                                  "the dynamic actions; ad-hoc actions run inside workflows",
                                  name));
    }
    bool is_async = d && d->is_async;
    if (run_sync && is_async) throw BoraError(ErrorKind::BadInput, "Action does not support synchronous execution.");
    if (!run_sync && (save || is_async)) {
      if (!ctx.engine) throw BoraError(ErrorKind::Unavailable, "this server runs no engine");
      auto a = ctx.engine->start_action(name, input, description, namespace_, caller_of(req)).value();
      return json_response(action_execution_view(a, ""), 201);
    }
    executor::ActionRunContext run_ctx;
    executor::ActionResult result;
    if (dynamic) {
      result = executor::run_dynamic_action(*dynamic, input, run_ctx);
    } else {
      auto prepared = executor::prepare_action_input(*d, input);
      if (!prepared) throw BoraError(prepared.error());
      result = executor::run_std_action(name, *prepared, run_ctx);
    }
    storage::ActionExecution a;
    a.name = name;
    if (!description.empty()) a.description = description;
    a.state = result.failed ? "ERROR" : "SUCCESS";
    a.input = input.is_null() ? Value(Dict{}) : input;
    a.output = Value::dict({{"result", result.failed ? result.error : result.data}});
    a.accepted = true;
    a.is_sync = true;
    a.project_id = caller_of(req).project_id;
    a.created_at = now_utc();
    if (save) {
      a = ctx.db.write([&](storage::Transaction& tx) { return tx.action_executions().create(a).value(); });
    }
    Value view = action_execution_view(a, "");
    if (!save) view = view.with("id", Value()).with("created_at", Value());
    return json_response(view, 201);
  });

  router.add("PUT", "/v2/action_executions/{id}", [&ctx](const Request& req, const PathParams& p) {
    if (!ctx.engine) throw BoraError(ErrorKind::Unavailable, "this server runs no engine");
    Value body = json_body(req, body::action_execution);
    std::string state = text_field(body, "state");
    Value output;
    if (const Value* o = body.find("output")) {
      output = *o;
      if (o->is_string()) {
        auto parsed = parse_json(o->as_string());
        output = parsed ? *parsed : *o;
      }
    }
    executor::ActionResult result;
    if (state == "SUCCESS") {
      result = executor::ActionResult::success(output);
    } else if (state == "ERROR") {
      result = executor::ActionResult::failure(output.is_null() ? Value("Unknown error") : output);
    } else if (state == "CANCELLED") {
      result = executor::ActionResult::failure(Value("Cancelled"));
    } else {
      throw BoraError(ErrorKind::BadInput,
                      fmt::format("Error. Expected one of ['SUCCESS', 'ERROR', 'CANCELLED'], actual: {}", state));
    }
    auto a = ctx.engine->complete_action(p[0], result, caller_of(req)).value();
    std::string task_name;
    if (a.task_execution_id)
      task_name = ctx.db.read([&](storage::Transaction& tx) {
        auto t = tx.task_executions().find(*a.task_execution_id, storage::ProjectScope::internal());
        return t ? t->name : std::string();
      });
    return json_response(action_execution_view(a, task_name));
  });

  router.add("GET", "/v2/executions/{id}/report", [&ctx](const Request& req, const PathParams& p) {
    auto flag = [&](const char* name) {
      std::string v = req.query_param(name).value_or("false");
      if (v != "true" && v != "false" && v != "True" && v != "False")
        throw BoraError(ErrorKind::BadInput, fmt::format("Invalid value for {}: '{}' (true or false)", name, v));
      return v == "true" || v == "True";
    };
    bool errors_only = flag("errors_only"), statistics_only = flag("statistics_only");
    int64_t max_depth = -1;
    if (auto d = req.query_param("max_depth")) {
      try {
        max_depth = std::stoll(*d);
      } catch (...) {
        throw BoraError(ErrorKind::BadInput, fmt::format("Invalid value for max_depth: '{}' (an integer)", *d));
      }
    }
    auto body = ctx.db.read([&](storage::Transaction& tx) {
      auto root = find_execution(tx, p[0], req);
      ReportStats stats;
      Value tree = report_workflow(tx, root, stats, errors_only, max_depth, 0, !statistics_only);
      Dict out;
      out.set("statistics", Value::dict({{"total_tasks_count", Value(stats.total)},
                                         {"running_tasks_count", Value(stats.running)},
                                         {"success_tasks_count", Value(stats.success)},
                                         {"error_tasks_count", Value(stats.error)},
                                         {"idle_tasks_count", Value(stats.idle)},
                                         {"paused_tasks_count", Value(stats.paused)},
                                         {"estimated_time", Value(estimated_time(tx, root))}}));
      if (!statistics_only) out.set("root_workflow_execution", tree);
      return Value(std::move(out));
    });
    return json_response(body);
  });

  // Sub-executions (Mistral's SubExecutionsController): the execution
  // itself, then depth first through its tasks, the executions each task
  // started; for a task, the executions it started and their subtrees.
  auto sub_executions = [&ctx](const Request& req, const std::string& id, bool of_task) {
    SubExecutionFilters filters = sub_execution_filters(req);
    auto items = ctx.db.read([&](storage::Transaction& tx) {
      std::vector<Value> out;
      if (of_task) {
        auto t = tx.task_executions().find_one({{"id", FilterOp::Eq, {id}}}, caller_of(req).lookup());
        if (!t) throw BoraError(ErrorKind::NotFound, fmt::format("Task execution not found [id={}]", id));
        task_subtree(tx, *t, filters, 0, out);
      } else {
        execution_subtree(tx, find_execution(tx, id, req), filters, 0, out);
      }
      return out;
    });
    return json_response(Value::dict({{"executions", Value(std::move(items))}}));
  };
  router.add("GET", "/v2/executions/{id}/executions", [sub_executions](const Request& req, const PathParams& p) {
    return sub_executions(req, p[0], false);
  });
  router.add("GET", "/v2/tasks/{id}/executions", [sub_executions](const Request& req, const PathParams& p) {
    return sub_executions(req, p[0], true);
  });

  router.add("DELETE", "/v2/executions/{id}", [&ctx](const Request& req, const PathParams& p) {
    bool force = req.query_param("force").value_or("") == "true";
    ctx.db.write([&](storage::Transaction& tx) {
      auto ex = find_execution(tx, p[0], req);
      if (!force && (ex.state == "RUNNING" || ex.state == "PAUSED" || ex.state == "IDLE")) {
        throw BoraError(ErrorKind::BadInput,
                        fmt::format("Only completed executions can be deleted. Execution {} is in {} state; use "
                                    "force=true to delete it anyway",
                                    ex.id, ex.state));
      }
      tx.workflow_executions().remove(ex.id).value();
    });
    return no_content();
  });

  auto list_tasks = [&ctx](const Request& req, const std::optional<std::string>& wf_ex_id) {
    ListParams params = parse_list_params(req, task_list_spec());
    storage::ListQuery q = to_list_query(params, caller_of(req));
    if (wf_ex_id) q.filters.push_back({"workflow_execution_id", FilterOp::Eq, {*wf_ex_id}});
    auto items = ctx.db.read([&](storage::Transaction& tx) {
      std::vector<Value> out;
      // As in Mistral, only GET /v2/tasks/{id} carries the result (it is
      // gathered from the task's actions or sub-workflows).
      for (const auto& t : tx.task_executions().list(q).value()) out.push_back(without(task_view(t, Value()), "result"));
      return out;
    });
    return json_response(list_body(req, "tasks", params, std::move(items)));
  };
  router.add("GET", "/v2/tasks", [list_tasks](const Request& req, const PathParams&) {
    return list_tasks(req, std::nullopt);
  });
  router.add("GET", "/v2/executions/{id}/tasks", [list_tasks](const Request& req, const PathParams& p) {
    return list_tasks(req, p[0]);
  });
  router.add("GET", "/v2/tasks/{id}", [&ctx](const Request& req, const PathParams& p) {
    auto view = ctx.db.read([&](storage::Transaction& tx) {
      auto t = tx.task_executions().find_one({{"id", FilterOp::Eq, {p[0]}}}, caller_of(req).lookup());
      if (!t) throw BoraError(ErrorKind::NotFound, fmt::format("Task execution not found [id={}]", p[0]));
      return task_view(*t, engine::task_execution_result(tx, *t));
    });
    return json_response(view);
  });

  router.add("PUT", "/v2/tasks/{id}", [&ctx](const Request& req, const PathParams& p) {
    if (!ctx.engine) throw BoraError(ErrorKind::Unavailable, "this server runs no engine");
    Value body = json_body(req, body::task);
    auto current = ctx.db.read([&](storage::Transaction& tx) {
      auto t = tx.task_executions().find_one({{"id", FilterOp::Eq, {p[0]}}}, caller_of(req).lookup());
      if (!t) throw BoraError(ErrorKind::NotFound, fmt::format("Task execution not found [id={}]", p[0]));
      return *t;
    });
    if (std::string name = text_field(body, "name"); !name.empty() && name != current.name)
      throw BoraError(ErrorKind::BadInput, "Task name does not match.");
    if (std::string wf = text_field(body, "workflow_name"); !wf.empty() && wf != current.workflow_name)
      throw BoraError(ErrorKind::BadInput, "Workflow name does not match.");
    std::string state = text_field(body, "state");
    if (state != "RUNNING" && state != "SKIPPED") {
      throw BoraError(ErrorKind::BadInput,
                      "Invalid task state. Only updating task to RUNNING or SKIPPED is supported.");
    }
    const Value* reset = body.find("reset");
    if (state == "RUNNING" && (!reset || reset->is_null()))
      throw BoraError(ErrorKind::BadInput, "Reset field is mandatory to rerun task.");
    Value env = json_text_field(body, "env");
    auto t = ctx.engine->rerun_task(p[0], reset && reset->truthy(), env, caller_of(req), state == "SKIPPED").value();
    auto view = ctx.db.read([&](storage::Transaction& tx) { return task_view(t, engine::task_execution_result(tx, t)); });
    return json_response(view);
  });

  auto list_actions = [&ctx](const Request& req, const std::optional<std::string>& task_id) {
    ListParams params = parse_list_params(req, action_execution_list_spec());
    storage::ListQuery q = to_list_query(params, caller_of(req));
    if (task_id) q.filters.push_back({"task_execution_id", FilterOp::Eq, {*task_id}});
    bool with_output = bool_query_param(req, "include_output");
    auto items = ctx.db.read([&](storage::Transaction& tx) {
      std::vector<Value> out;
      std::map<std::string, std::string> task_names;
      for (const auto& a : tx.action_executions().list(q).value()) {
        std::string name;
        if (a.task_execution_id) {
          auto it = task_names.find(*a.task_execution_id);
          if (it == task_names.end()) {
            auto t = tx.task_executions().find(*a.task_execution_id, storage::ProjectScope::internal());
            it = task_names.emplace(*a.task_execution_id, t ? t->name : "").first;
          }
          name = it->second;
        }
        Value view = action_execution_view(a, name);
        out.push_back(with_output ? view : without(view, "output"));
      }
      return out;
    });
    return json_response(list_body(req, "action_executions", params, std::move(items)));
  };
  router.add("GET", "/v2/action_executions", [list_actions](const Request& req, const PathParams&) {
    return list_actions(req, std::nullopt);
  });
  router.add("GET", "/v2/tasks/{id}/action_executions", [list_actions](const Request& req, const PathParams& p) {
    return list_actions(req, p[0]);
  });
  // Mistral's rules: off unless [api] allow_action_execution_deletion; then
  // only completed actions run on their own (not a task's).
  router.add("DELETE", "/v2/action_executions/{id}", [&ctx](const Request& req, const PathParams& p) {
    if (!ctx.allow_action_execution_deletion) {
      throw BoraError(ErrorKind::Forbidden,
                      "Action execution deletion is not allowed. (Set [api] allow_action_execution_deletion = true "
                      "to allow deleting completed ad-hoc action executions.)");
    }
    ctx.db.write([&](storage::Transaction& tx) {
      auto a = tx.action_executions().find_one({{"id", FilterOp::Eq, {p[0]}}}, caller_of(req).lookup());
      if (!a) throw BoraError(ErrorKind::NotFound, fmt::format("ActionExecution not found [id={}]", p[0]));
      if (a->task_execution_id)
        throw BoraError(ErrorKind::Forbidden, "Only ad-hoc action execution can be deleted.");
      auto state = engine::parse_state(a->state);
      if (!state || !engine::is_completed(*state))
        throw BoraError(ErrorKind::Forbidden, "Only completed action execution can be deleted.");
      tx.action_executions().remove(a->id).value();
    });
    return no_content();
  });
  router.add("GET", "/v2/action_executions/{id}", [&ctx](const Request& req, const PathParams& p) {
    auto view = ctx.db.read([&](storage::Transaction& tx) {
      auto a = tx.action_executions().find_one({{"id", FilterOp::Eq, {p[0]}}}, caller_of(req).lookup());
      if (!a) throw BoraError(ErrorKind::NotFound, fmt::format("ActionExecution not found [id={}]", p[0]));
      std::string name;
      if (a->task_execution_id)
        if (auto t = tx.task_executions().find(*a->task_execution_id, storage::ProjectScope::internal()))
          name = t->name;
      return action_execution_view(*a, name);
    });
    return json_response(view);
  });
}

}  // namespace bora::api
