// The API's one entry point: every resource's routes on one router.
#include "bora/api/resources.h"

#include "bora/api/context.h"

namespace bora::api {

Router build_router(ApiContext& ctx) {
  Router router;
  register_health_resource(router, ctx);
  register_root_resource(router);
  register_workflows_resource(router, ctx);
  // Before the workbooks and the actions: /v2/workbooks/{name}/versions and
  // /v2/actions/{identifier}/versions are Bora's, and their
  // /{name}/{namespace} routes (pecan's positional namespace) would take
  // them otherwise (the first route that matches wins).
  register_definition_versions_resource(router, ctx);
  register_workbooks_resource(router, ctx);
  register_actions_resource(router, ctx);
  register_environments_resource(router, ctx);
  register_cron_triggers_resource(router, ctx);
  register_members_resource(router, ctx);
  register_event_triggers_resource(router, ctx);
  register_code_sources_resource(router, ctx);
  register_services_resource(router, ctx);
  register_openapi_resource(router);
  register_executions_resource(router, ctx);
  register_tasks_resource(router, ctx);
  register_action_executions_resource(router, ctx);
  register_execution_report_resource(router, ctx);
  register_sub_executions_resource(router, ctx);
  if (ctx.serve_metrics) register_metrics_resource(router, ctx);
  register_events_resource(router, ctx);
  register_ui_resource(router);
  return router;
}

}  // namespace bora::api
