// storage/transaction: repositories bound to one session, and timer claims.
#include "bora/storage/transaction.h"

#include <fmt/format.h>

#include "sql_session.h"
#include "table.h"

namespace bora::storage {

Transaction::Transaction(SqlSession& session, bool writable)
    : session_(session),
      writable_(writable),
      workbooks_(session, table_for<WorkbookDefinition>()),
      workflow_definitions_(session, table_for<WorkflowDefinition>()),
      action_definitions_(session, table_for<ActionDefinition>()),
      environments_(session, table_for<Environment>()),
      workflow_executions_(session, table_for<WorkflowExecution>()),
      task_executions_(session, table_for<TaskExecution>()),
      action_executions_(session, table_for<ActionExecution>()),
      delayed_calls_(session, table_for<DelayedCall>()),
      cron_triggers_(session, table_for<CronTrigger>()),
      event_triggers_(session, table_for<EventTrigger>()),
      resource_members_(session, table_for<ResourceMember>()),
      code_sources_(session, table_for<CodeSource>()),
      dynamic_actions_(session, table_for<DynamicActionDefinition>()),
      definition_versions_(session, table_for<DefinitionVersion>()) {}

std::vector<DelayedCall> Transaction::claim_delayed_calls(Timestamp now, const std::string& owner,
                                                          std::chrono::microseconds lease, size_t max) {
  const auto& t = table_for<DelayedCall>();
  const SqlSession& s = session_;
  // Candidates first, then a conditional update per row: the update only
  // succeeds if the row is still unclaimed (or its claim lapsed), which is
  // what makes two claimers on two nodes safe even without row locks. Where
  // the database locks rows (MySQL), the candidates are locked as they are
  // read and rows another claimer holds are skipped, not waited for.
  std::string free_claim = fmt::format("({} IS NULL OR {} <= ?)", s.quote("owner"), s.quote("claim_expires_at"));
  std::vector<std::string> ids;
  session_.query(fmt::format("SELECT {} FROM {} WHERE {} <= ? AND {} ORDER BY {} ASC, {} ASC LIMIT ?{}",
                             s.quote("id"), s.quote(t.name), s.quote("execution_time"), free_claim,
                             s.quote("execution_time"), s.quote("id"), s.dialect().skip_locked()),
                 {SqlValue(to_micros(now)), SqlValue(to_micros(now)), SqlValue(int64_t(max))},
                 [&](SqlRow& row) { ids.push_back(std::get<std::string>(row.at(0))); });
  std::vector<DelayedCall> out;
  Timestamp expires = now + lease;
  for (const auto& id : ids) {
    int64_t changed = session_.execute(
        fmt::format("UPDATE {} SET {} = ?, {} = ?, {} = ? WHERE {} = ? AND {}", s.quote(t.name), s.quote("owner"),
                    s.quote("claim_expires_at"), s.quote("updated_at"), s.quote("id"), free_claim),
        {SqlValue(owner), SqlValue(to_micros(expires)), SqlValue(to_micros(now)), SqlValue(id),
         SqlValue(to_micros(now))});
    delayed_calls_.forget(id);
    if (changed == 1) {
      if (auto call = delayed_calls_.find(id)) out.push_back(std::move(*call));
    }
  }
  return out;
}

}  // namespace bora::storage
