// engine/cron_triggers: the cron triggers that are due start their
// workflows, from the engine loop (mistral/services/periodic.py).
#include <fmt/format.h>

#include "bora/core/json.h"
#include "bora/core/log.h"
#include "bora/scheduler/cron_schedule.h"
#include "bora/catalog/catalog.h"
#include "step.h"

namespace bora::engine {

using storage::ActionExecution;
using storage::FilterOp;
using storage::TaskExecution;
using storage::WorkflowExecution;

size_t Step::fire_due_cron_triggers(Timestamp now, TimerUnits* units) {
  // mistral/services/periodic.py: advance the trigger (one firing even if
  // several were missed while down: the next time counts from now), then
  // start its workflow, in the same transaction.
  // Claimed (storage/transaction.h): with several nodes, each due time is
  // fired by the one node whose transaction holds the trigger's row.
  auto skip = [units](const std::string& id) { return units && units->waiting("cron:" + id); };
  auto due = tx_.claim_due_cron_triggers(now, 100, skip);
  for (auto& trigger : due) {
    auto unit = [&] {
      new_transaction();  // each trigger's firing is one of Mistral's transactions
      fire_cron_trigger(trigger, now);
      report_ended_subworkflows();
    };
    if (units) units->apply("cron:" + trigger.id, unit);
    else unit();
  }
  return due.size();
}

void Step::fire_cron_trigger(storage::CronTrigger& trigger, Timestamp now) {
  count_cron_firing();
  if (trigger.remaining_executions && *trigger.remaining_executions > 0) --*trigger.remaining_executions;
  if (trigger.remaining_executions && *trigger.remaining_executions == 0) {
    tx_.cron_triggers().remove(trigger.id).value();
  } else {
    auto schedule = scheduler::CronSchedule::parse(trigger.pattern);
    if (!schedule) {
      log::error("engine", "cron trigger {} has a pattern that no longer parses ({}); deleting it", trigger.name,
                 schedule.error().message);
      tx_.cron_triggers().remove(trigger.id).value();
      return;
    }
    trigger.next_execution_time = schedule->next_after(std::max(now, trigger.next_execution_time));
    tx_.cron_triggers().update(trigger).value();
  }
  // The workflow as the trigger's project sees it now: one made private
  // (or no longer shared) since the trigger was created is not started.
  auto def = catalog::Catalog(tx_, catalog::Caller{trigger.project_id, false, {}, {}}).workflow_by_id(trigger.workflow_id);
  if (!def) {
    log::error("engine", "cron trigger {}: its workflow {} is gone or no longer visible to project {}", trigger.name,
               trigger.workflow_id, trigger.project_id);
    return;
  }
  ExecutionOrigin origin;
  origin.project_id = trigger.project_id;
  // Created with Keystone on: the execution acts through the trigger's
  // trust (mistral/services/security.py create_context); the trust-scoped
  // token is fetched when an action needs it (EngineOptions::
  // complete_security, on the executor), never on this loop.
  if (trigger.trust_id && !trigger.trust_id->empty())
    origin.security = Value::dict({{"project_id", Value(trigger.project_id)},
                                   {"trust_id", Value(*trigger.trust_id)},
                                   {"is_trust_scoped", Value(true)}});
  origin.description = to_json(
      Value::dict({{"description", Value(fmt::format("Workflow execution created by cron trigger '({})'.", trigger.id))},
                   {"triggered_by", Value::dict({{"type", Value("cron_trigger")},
                                                 {"id", Value(trigger.id)},
                                                 {"name", Value(trigger.name)}})}}),
      JsonFormat::python());
  auto ex = create_execution(*def, trigger.workflow_input, trigger.workflow_params, origin);
  if (!ex) log::error("engine", "cron trigger {} could not start {}: {}", trigger.name, def->name, ex.error().message);
}

}  // namespace bora::engine
