// GET /v2/executions/{id}/report: Mistral's ExecutionReportController
// (api/controllers/v2/execution_report.py). The tree is built by
// services/execution_report; this file renders it as Mistral does.
#include <fmt/format.h>

#include "bora/api/authorize.h"
#include "bora/api/context.h"
#include "bora/api/query_args.h"
#include "bora/api/resources.h"
#include "bora/api/views.h"
#include "bora/services/execution_report.h"

namespace bora::api {

namespace {

// Mistral's get(workflow_execution_id, errors_only=False, max_depth=-1,
// statistics_only=False), its arguments as WSME reads them: converted in
// that order, before an unknown one is named.
services::ReportOptions report_options(const Request& req) {
  services::ReportOptions o;
  o.errors_only = wsme_flag(req, "errors_only");
  if (auto depth = wsme_int_argument(req, "max_depth")) o.max_depth = *depth;
  o.statistics_only = wsme_flag(req, "statistics_only");
  return o;
}

// The attributes of BaseExecutionReportEntry, after `own`: WSME writes a
// report entry subclass's own attributes first (an action's accepted and
// last_heartbeat, a task's action_executions, workflow_executions and
// retry_count), then the inherited ones; a workflow's task_executions,
// attached to its class after it was declared, come last.
Dict node_view(const services::ReportNode& n, Dict own = {}) {
  for (auto& [name, v] : Dict{{"id", Value(n.id)},
                              {"name", Value(n.name)},
                              {"created_at", api_time(n.created_at)},
                              {"updated_at", api_time(n.updated_at)},
                              {"state", Value(storage::state_name(n.state))},
                              {"state_info", n.state_info ? Value(*n.state_info) : Value()}})
    own.set(name, v);
  return own;
}

Value workflow_view(const services::WorkflowReport& w) {
  Dict entry = node_view(w.node);
  if (!w.tasks_shown) return Value(std::move(entry));
  List tasks;
  for (const auto& t : w.tasks) {
    List actions, subs;
    for (const auto& a : t.actions)
      actions.emplace_back(
          node_view(a.node, Dict{{"accepted", Value(a.accepted)}, {"last_heartbeat", api_time(a.last_heartbeat)}}));
    for (const auto& sub : t.sub_workflows) subs.push_back(workflow_view(sub));
    Dict own{{"action_executions", Value(std::move(actions))}, {"workflow_executions", Value(std::move(subs))}};
    if (t.retry_count) own.set("retry_count", Value(*t.retry_count));
    Dict te = node_view(t.node, std::move(own));
    if (t.compensates) te.set("compensates", Value(*t.compensates));  // Bora's rollback
    tasks.emplace_back(std::move(te));
  }
  entry.set("task_executions", Value(std::move(tasks)));
  return Value(std::move(entry));
}

Value report_view(const services::ExecutionReport& r, bool statistics_only) {
  const auto& s = r.statistics;
  Dict out;
  out.set("statistics", Value::dict({{"total_tasks_count", Value(s.total)},
                                     {"running_tasks_count", Value(s.running)},
                                     {"success_tasks_count", Value(s.success)},
                                     {"error_tasks_count", Value(s.error)},
                                     {"idle_tasks_count", Value(s.idle)},
                                     {"paused_tasks_count", Value(s.paused)},
                                     {"estimated_time", Value(s.estimated_time)}}));
  if (!statistics_only) out.set("root_workflow_execution", workflow_view(r.root));
  return Value(std::move(out));
}

}  // namespace

void register_execution_report_resource(Router& router, ApiContext& ctx) {
  router.add("GET", "/v2/executions/{id}/report", [&ctx](const Request& req, const PathParams& p) {
    std::string id = wsme_uuid("workflow_execution_id", p[0]);
    services::ReportOptions options = report_options(req);
    QueryArgs args(req, {"errors_only", "max_depth", "statistics_only"});
    authorize(ctx, req, "executions:get");
    auto report = services::execution_report(ctx.db, id, caller_of(req), options).value();
    return json_response(report_view(report, options.statistics_only));
  });
}

}  // namespace bora::api
