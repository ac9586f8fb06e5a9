// storage/transaction: repositories bound to one session, timer and cron
// claims, and the lock that serializes one execution tree across nodes.
#include "bora/storage/transaction.h"

#include <fmt/format.h>

#include "sql_session.h"
#include "table.h"
#include "write_behind_session.h"

namespace bora::storage {

Transaction::Transaction(SqlSession& session, bool writable)
    : buffered_(std::make_unique<WriteBehindSession>(
          session, [this] { flush_writes(); },
          std::vector<std::string>{table_for<WorkflowExecution>().name, table_for<TaskExecution>().name,
                                   table_for<ActionExecution>().name})),
      session_(*buffered_),
      writable_(writable),
      workbooks_(session_, table_for<WorkbookDefinition>()),
      workflow_definitions_(session_, table_for<WorkflowDefinition>()),
      action_definitions_(session_, table_for<ActionDefinition>()),
      environments_(session_, table_for<Environment>()),
      workflow_executions_(session_, table_for<WorkflowExecution>()),
      task_executions_(session_, table_for<TaskExecution>()),
      action_executions_(session_, table_for<ActionExecution>()),
      delayed_calls_(session_, table_for<DelayedCall>()),
      cron_triggers_(session_, table_for<CronTrigger>()),
      event_triggers_(session_, table_for<EventTrigger>()),
      resource_members_(session_, table_for<ResourceMember>()),
      code_sources_(session_, table_for<CodeSource>()),
      dynamic_actions_(session_, table_for<DynamicActionDefinition>()),
      definition_versions_(session_, table_for<DefinitionVersion>()) {
  // The engine's rows are changed many times in one transaction (a task:
  // created, its flags, its state, its processing; an action: created,
  // completed): on a database server each write is a round trip, so they
  // are written once, at the end (docs/STORAGE.md "Round trips"). Action
  // and task executions are inserted late too (their only unique key is
  // their new UUID), except a join's task, whose unique key's Conflict the
  // engine reads; workflow executions are inserted at once (an API start
  // with the client's id reads its Conflict), except a root execution with
  // an id generated here.
  if (writable_) {
    // A root execution whose id this transaction generated cannot meet a
    // Conflict: its INSERT waits too (and takes its later UPDATEs with it).
    // Not a sub-workflow's: its row refers to its parent task's, inserted
    // after the executions.
    workflow_executions_.defer_writes(true, [this](const WorkflowExecution& e) {
      return !e.task_execution_id && generated_ids_.count(e.id) > 0;
    });
    // A join's task waits too when its execution was created here: no
    // other transaction can add a task to it, so no Conflict can come.
    task_executions_.defer_writes(
        true, [this](const TaskExecution& t) { return !t.unique_key || holds_all_tasks_of(t.workflow_execution_id); });
    action_executions_.defer_writes(true);
  }
}

Transaction::~Transaction() = default;

void Transaction::flush_writes() {
  // Parents first (a new action's task row exists already: tasks are
  // inserted at once).
  workflow_executions_.flush();
  task_executions_.flush();
  action_executions_.flush();
}

std::vector<DelayedCall> Transaction::claim_delayed_calls(Timestamp now, const std::string& owner,
                                                          std::chrono::microseconds lease, size_t max,
                                                          const std::function<bool(const std::string&)>& skip) {
  const auto& t = table_for<DelayedCall>();
  const SqlSession& s = session_;
  // Candidates first, then a conditional update per row: the update only
  // succeeds if the row is still unclaimed (or its claim lapsed), which is
  // what makes two claimers on two nodes safe even without row locks. Where
  // the database locks rows (MySQL), the candidates are locked as they are
  // read and rows another claimer holds are skipped, not waited for. A row
  // reserved for this owner (DelayedCall::reserved_for) is free to it.
  std::string free_claim = fmt::format("({} IS NULL OR {} <= ? OR {} = ?)", s.quote("owner"), s.quote("claim_expires_at"),
                                       s.quote("owner"));
  std::vector<std::string> ids;
  session_.query(fmt::format("SELECT {} FROM {} WHERE {} <= ? AND {} ORDER BY {} ASC, {} ASC LIMIT ?{}",
                             s.quote("id"), s.quote(t.name), s.quote("execution_time"), free_claim,
                             s.quote("execution_time"), s.quote("id"), s.dialect().skip_locked()),
                 {SqlValue(to_micros(now)), SqlValue(to_micros(now)), SqlValue(DelayedCall::reserved_for(owner)),
                  SqlValue(int64_t(max))},
                 [&](SqlRow& row) { ids.push_back(std::get<std::string>(row.at(0))); });
  std::vector<DelayedCall> out;
  Timestamp expires = now + lease;
  for (const auto& id : ids) {
    if (skip && skip(id)) continue;
    int64_t changed = session_.execute(
        fmt::format("UPDATE {} SET {} = ?, {} = ?, {} = ? WHERE {} = ? AND {}", s.quote(t.name), s.quote("owner"),
                    s.quote("claim_expires_at"), s.quote("updated_at"), s.quote("id"), free_claim),
        {SqlValue(owner), SqlValue(to_micros(expires)), SqlValue(to_micros(now)), SqlValue(id),
         SqlValue(to_micros(now)), SqlValue(DelayedCall::reserved_for(owner))});
    delayed_calls_.forget(id);
    if (changed == 1) {
      if (auto call = delayed_calls_.find(id)) out.push_back(std::move(*call));
    }
  }
  return out;
}

std::vector<CronTrigger> Transaction::claim_due_cron_triggers(Timestamp now, size_t max,
                                                             const std::function<bool(const std::string&)>& skip) {
  const auto& t = table_for<CronTrigger>();
  const SqlSession& s = session_;
  // Locked as they are read (MySQL), rows another node is firing skipped:
  // once that node commits, their next_execution_time is in the future and
  // no other node sees them due. The rows are then read through the
  // repository, as this transaction's lock holds them now.
  std::vector<std::string> ids;
  session_.query(fmt::format("SELECT {} FROM {} WHERE {} <= ? ORDER BY {} ASC, {} ASC LIMIT ?{}", s.quote("id"),
                             s.quote(t.name), s.quote("next_execution_time"), s.quote("next_execution_time"),
                             s.quote("id"), s.dialect().skip_locked()),
                 {SqlValue(to_micros(now)), SqlValue(int64_t(max))},
                 [&](SqlRow& row) { ids.push_back(std::get<std::string>(row.at(0))); });
  std::vector<CronTrigger> out;
  for (const auto& id : ids) {
    if (skip && skip(id)) continue;
    cron_triggers_.forget(id);
    if (auto trigger = cron_triggers_.find(id, ProjectScope::internal())) out.push_back(std::move(*trigger));
  }
  return out;
}

bool Transaction::shared_by_nodes() const { return session_.dialect().row_locks(); }

void Transaction::lock_tree(TreeOf kind, const std::string& id) {
  if (!session_.dialect().row_locks()) return;
  if (locked_roots_.size() > 0) {
    // Rows this transaction holds were read after their tree's lock (a new
    // lock forgets the others): when they lead to a root already locked,
    // no statement is needed. Most calls of a batch end here (the next
    // result of the same execution, an action this batch created).
    std::optional<std::string> task_id, execution_id;
    if (kind == TreeOf::Action) {
      if (const auto* a = action_executions_.remembered(id)) task_id = a->task_execution_id;
    } else if (kind == TreeOf::Task) {
      task_id = id;
    } else {
      execution_id = id;
    }
    if (task_id)
      if (const auto* t = task_executions_.remembered(*task_id)) execution_id = t->workflow_execution_id;
    if (execution_id) {
      if (const auto* w = workflow_executions_.remembered(*execution_id)) {
        if (locked_roots_.count(w->root_execution_id.value_or(w->id))) return;
      }
    }
  }
  const SqlSession& s = session_;
  // The root of the tree: ids never change, so a plain read finds it.
  std::string root_of_execution = fmt::format("COALESCE(w.{}, w.{})", s.quote("root_execution_id"), s.quote("id"));
  std::string sql;
  switch (kind) {
    case TreeOf::Execution:
      sql += fmt::format("SELECT {} FROM {} w WHERE w.{} = ?", root_of_execution, s.quote("workflow_executions_v2"),
                        s.quote("id"));
      break;
    case TreeOf::Task:
      sql += fmt::format("SELECT {} FROM {} t JOIN {} w ON w.{} = t.{} WHERE t.{} = ?", root_of_execution,
                        s.quote("task_executions_v2"), s.quote("workflow_executions_v2"), s.quote("id"),
                        s.quote("workflow_execution_id"), s.quote("id"));
      break;
    case TreeOf::Action:
      sql += fmt::format("SELECT {} FROM {} a JOIN {} t ON t.{} = a.{} JOIN {} w ON w.{} = t.{} WHERE a.{} = ?",
                        root_of_execution, s.quote("action_executions_v2"), s.quote("task_executions_v2"),
                        s.quote("id"), s.quote("task_execution_id"), s.quote("workflow_executions_v2"),
                        s.quote("id"), s.quote("workflow_execution_id"), s.quote("id"));
      break;
  }
  std::optional<std::string> root;
  session_.query(sql, {SqlValue(id)}, [&](SqlRow& row) {
    if (auto* r = std::get_if<std::string>(&row.at(0))) root = *r;
  });
  // An action run on its own (no task) is its own tree: its row is locked.
  const char* table = "workflow_executions_v2";
  if (!root && kind == TreeOf::Action) {
    root = id;
    table = "action_executions_v2";
  }
  if (!root || locked_roots_.count(*root)) return;
  session_.execute(s.dialect().lock_tree_root(s.quote(table)), {SqlValue(*root)});
  locked_roots_.insert(*root);
  // Rows of this tree read before the lock may be older than what the last
  // holder committed: they are read again.
  forget_rows();
}

void Transaction::created_tree(const std::string& root_id) {
  // Nobody else sees the row before this transaction commits (and InnoDB
  // holds the new row's lock till then): the tree is this transaction's.
  locked_roots_.insert(root_id);
}

void Transaction::generated_execution_id(const std::string& id) { generated_ids_.insert(id); }

void Transaction::created_execution(const std::string& id) {
  created_executions_[id] = task_executions_.forgets();
}

bool Transaction::holds_all_tasks_of(const std::string& id) const {
  auto it = created_executions_.find(id);
  return it != created_executions_.end() && it->second == task_executions_.forgets();
}

void Transaction::forget_rows() {
  workbooks_.forget_all();
  workflow_definitions_.forget_all();
  action_definitions_.forget_all();
  environments_.forget_all();
  workflow_executions_.forget_all();
  task_executions_.forget_all();
  action_executions_.forget_all();
  delayed_calls_.forget_all();
  cron_triggers_.forget_all();
  event_triggers_.forget_all();
  resource_members_.forget_all();
  code_sources_.forget_all();
  dynamic_actions_.forget_all();
  definition_versions_.forget_all();
}

}  // namespace bora::storage
