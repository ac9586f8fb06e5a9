// api/resources: each REST resource registers its routes on the router.
// One file per resource in src/api/resources/, named after Mistral's;
// build_router registers them all (what `bora server` serves).
#pragma once

#include "bora/api/router.h"

namespace bora::api {

struct ApiContext;  // api/context.h: what handlers share (storage)

// GET /healthz (the process runs) and GET /readyz (api/readiness.h):
// for load balancers and Kubernetes probes; no authentication.
void register_health_resource(Router& router, ApiContext& ctx);

// GET / and GET /v2: the version documents (GET / from a browser, which
// asks for text/html, is sent to the web UI at /ui/).
void register_root_resource(Router& router);

// GET /ui/ and /ui/{path}: the web UI's files, compiled into the binary
// (api/ui_assets.h), index.html for its client-side routes.
void register_ui_resource(Router& router);
// Whether the client asks for HTML (a browser's Accept: text/html).
bool wants_html(const Request& req);
// 302 to /ui/.
Response redirect_to_ui();

// /v2/workflows, /v2/workbooks, /v2/actions, /v2/environments: the
// definitions (create, list, get, update, delete, validate).
void register_workflows_resource(Router& router, ApiContext& ctx);
void register_workbooks_resource(Router& router, ApiContext& ctx);
void register_actions_resource(Router& router, ApiContext& ctx);
void register_environments_resource(Router& router, ApiContext& ctx);
// .../versions of workflows, workbooks and ad-hoc actions (Bora's own).
void register_definition_versions_resource(Router& router, ApiContext& ctx);

// /v2/cron_triggers: create, list, get, delete (the scheduler fires them).
void register_cron_triggers_resource(Router& router, ApiContext& ctx);

// /v2/workflows/{id}/members: sharing a workflow with other projects.
void register_members_resource(Router& router, ApiContext& ctx);

// /v2/event_triggers: CRUD of event trigger definitions (nothing fires them
// yet: Bora has no notification listener).
void register_event_triggers_resource(Router& router, ApiContext& ctx);

// /v2/code_sources and /v2/dynamic_actions: user actions in JavaScript.
void register_code_sources_resource(Router& router, ApiContext& ctx);

// /v2/executions: starting workflows, reading, updating, deleting their
// executions; /v2/tasks/{id}/workflow_executions.
void register_executions_resource(Router& router, ApiContext& ctx);
// /v2/tasks, /v2/executions/{id}/tasks: reading tasks, rerunning or
// skipping a failed one.
void register_tasks_resource(Router& router, ApiContext& ctx);
// /v2/action_executions, /v2/tasks/{id}/action_executions: running an
// action on its own, results sent by whoever ran one, reading, deleting.
void register_action_executions_resource(Router& router, ApiContext& ctx);
// GET /v2/executions/{id}/report.
void register_execution_report_resource(Router& router, ApiContext& ctx);
// GET /v2/executions/{id}/executions, /v2/tasks/{id}/executions.
void register_sub_executions_resource(Router& router, ApiContext& ctx);

// GET /v2/events, /v2/executions/{id}/events (Server-Sent Events) and
// /v2/ws (WebSocket): the live event stream over ctx.events (without it,
// 404).
void register_events_resource(Router& router, ApiContext& ctx);

// GET /v2/services: this process in the api, engine and executor groups.
void register_services_resource(Router& router, ApiContext& ctx);
// GET /v2/openapi.json.
void register_openapi_resource(Router& router);
// GET /metrics: Prometheus' text format (core/metrics), on the API's router
// or on a listener of its own ([metrics] listen).
void register_metrics_resource(Router& router, ApiContext& ctx);

// Every resource above: the API `bora server` serves. ctx must outlive the
// router.
Router build_router(ApiContext& ctx);

}  // namespace bora::api
