// storage/transaction: one unit of work against the database. Everything done
// through a Transaction commits together or not at all (Database::write and
// Database::read run it). It hands out the repositories, plus the few
// operations that need more than a repository: claiming due timers.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <string>
#include <vector>

#include "bora/core/time.h"
#include "bora/storage/event_rows.h"
#include "bora/storage/node_rows.h"
#include "bora/storage/records.h"
#include "bora/storage/repository.h"

namespace bora::storage {

class SqlSession;

class Transaction {
 public:
  Transaction(SqlSession& session, bool writable);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  bool writable() const { return writable_; }
  // Whether several processes may write this database at once (a server
  // backend: rows are locked, SqlDialect::row_locks), so that who does a
  // piece of work is worth choosing.
  bool shared_by_nodes() const;

  Repository<WorkbookDefinition>& workbooks() { return workbooks_; }
  Repository<WorkflowDefinition>& workflow_definitions() { return workflow_definitions_; }
  Repository<ActionDefinition>& action_definitions() { return action_definitions_; }
  Repository<Environment>& environments() { return environments_; }
  Repository<WorkflowExecution>& workflow_executions() { return workflow_executions_; }
  Repository<TaskExecution>& task_executions() { return task_executions_; }
  Repository<ActionExecution>& action_executions() { return action_executions_; }
  Repository<DelayedCall>& delayed_calls() { return delayed_calls_; }
  Repository<CronTrigger>& cron_triggers() { return cron_triggers_; }
  Repository<EventTrigger>& event_triggers() { return event_triggers_; }
  Repository<ResourceMember>& resource_members() { return resource_members_; }
  Repository<CodeSource>& code_sources() { return code_sources_; }
  Repository<DynamicActionDefinition>& dynamic_actions() { return dynamic_actions_; }
  Repository<DefinitionVersion>& definition_versions() { return definition_versions_; }

  // Claims up to max delayed calls due at or before `now` that nobody holds
  // (or whose holder's claim has expired), or that are reserved for
  // `owner` (DelayedCall::reserved_for), for `owner` until now + lease, in
  // execution_time order. Two claimers never get the same call while a
  // claim is live: the claim is a conditional update checked row by row.
  // `skip`: ids not to claim now (the engine's timers still waiting for a
  // compute worker), left as they are.
  std::vector<DelayedCall> claim_delayed_calls(Timestamp now, const std::string& owner,
                                               std::chrono::microseconds lease, size_t max,
                                               const std::function<bool(const std::string&)>& skip = {});
  // Claims up to max cron triggers due at or before `now` (oldest first)
  // for the rest of this transaction: where the database locks rows
  // (MySQL), they are locked and those another node holds are skipped, so
  // two nodes never fire the same due time; the caller advances them.
  std::vector<CronTrigger> claim_due_cron_triggers(Timestamp now, size_t max,
                                                   const std::function<bool(const std::string&)>& skip = {});

  // Serializes the changes of one execution tree across nodes: locks the
  // row of the root execution of the execution, task or action `id` until
  // this transaction ends (MySQL: SELECT ... FOR UPDATE; an action run on
  // its own locks its own row). A root already locked by this transaction
  // costs nothing; a new one empties the identity maps, so that rows read
  // before the lock are read again as the last holder committed them.
  // Nothing on SQLite, whose one writer holds the whole database.
  void lock_tree(TreeOf kind, const std::string& id);
  // A root execution this transaction created: its tree counts as locked
  // by it (lock_tree then costs nothing for it).
  void created_tree(const std::string& root_id);
  // An execution id this transaction generated (not a client's): no row
  // can hold it, so a root execution's INSERT may wait with the other
  // rows (write-behind).
  void generated_execution_id(const std::string& id);
  // A workflow execution this transaction created (root or sub-workflow):
  // until it commits, every task of it is one this transaction created.
  void created_execution(const std::string& id);
  // Every task of execution `id` is in the task repository's identity map
  // (it was created here and the map has dropped no row since), so that
  // questions about its tasks are answered without a statement.
  bool holds_all_tasks_of(const std::string& id) const;

  // The node registry (node_rows.h; src/storage/node_store.cpp).
  // Inserts or replaces this node's row.
  void register_node(const NodeRow& row);
  // Renews the lease; false when the row is gone (another node took this
  // one over after its lease lapsed).
  bool renew_node(const std::string& id, Timestamp heartbeat_at, Timestamp lease_expires_at);
  // Every row, live or not, by id.
  std::vector<NodeRow> list_nodes();
  // Removes the row of node `id` if its lease lapsed at `now` (any row, with
  // `now` = nullopt): true for the one transaction that removed it, which
  // then owns that node's leftover work.
  bool remove_node_if_dead(const std::string& id, std::optional<Timestamp> now);
  // Hands the RUNNING actions of node `from` (nullopt: of no node, rows
  // older than schema version 9) to node `to`; returns their ids.
  std::vector<std::string> adopt_running_actions(const std::optional<std::string>& from, const std::string& to);
  // Alone on the database (storage::Database::shared_by_nodes false):
  // every RUNNING action that is not `to`'s already.
  std::vector<std::string> adopt_all_running_actions(const std::string& to);
  // Of the actions node `node` runs (`ids`), those it should stop: no
  // longer RUNNING (cancelled, timed out, completed through the API by
  // another node), adopted by another node, or deleted with their
  // execution. A plain read by primary key, in pages.
  std::vector<std::string> actions_to_stop(const std::string& node, const std::vector<std::string>& ids);

  // The event log (event_rows.h; src/storage/event_store.cpp). One
  // prepared insert per event; returns its seq.
  int64_t append_event(const EventRow& row);
  // The same, written later with the transaction's other queued events in
  // multi-row INSERTs (a round trip per kEventsPerInsert events instead of
  // one each: on a database server the round trips are the cost). Written
  // at the latest when the transaction commits (Database::write), and
  // before anything in this transaction reads the log.
  void queue_event(EventRow row);
  // Writes the queued events now; the seq of the newest event in the log
  // once they are in (at least the last one queued; 0 when this
  // transaction queued none).
  int64_t flush_events();
  // Writes the rows this transaction changed and has not written yet
  // (Repository's write-behind, on for workflow, task and action
  // executions in a writing transaction). Any statement does it first by
  // itself, and flush_events() (which Database::write calls before the
  // commit) does it.
  void flush_writes();
  std::vector<EventRow> events_after(const EventQuery& query);
  // The seqs alone of the events after `after`, oldest first, at most
  // `limit`: where a reader needs to know which seqs are readable and not
  // the events (the live stream's horizon while nobody streams).
  std::vector<int64_t> event_seqs_after(int64_t after, size_t limit);
  int64_t last_event_seq();
  // The outbox: events whose publishers are not all reached yet, oldest
  // first, and how many there are.
  std::vector<EventRow> pending_notifications(size_t limit);
  int64_t count_pending_notifications();
  // Claims up to `max` events due for delivery at `now` for this
  // transaction's node until now + lease: their next_attempt_at becomes the
  // lease's end, so no other claimer takes them while it lives, and a
  // claimer that dies leaves them due again when it lapses (delivered at
  // least once, by one node at a time). Where the database locks rows
  // (MySQL) the candidates are read with the dialect's SKIP LOCKED, so the
  // notifiers of several nodes take different events without waiting.
  // Order per execution tree holds across nodes: an event is claimed only
  // when every older pending event of its tree is claimed with it (none
  // waiting for a retry, none held by another claimer). Oldest first. A
  // lease of 0 writes nothing (a claimer alone on its database).
  std::vector<EventRow> claim_notifications(Timestamp now, std::chrono::microseconds lease, size_t max);
  // After a delivery round: the publishers left (nullopt: done), the
  // failed rounds so far and when to try again (nullopt with publishers
  // left: at once, a claim given back).
  void update_notification(int64_t seq, const std::optional<std::string>& publishers, int64_t attempts,
                           std::optional<Timestamp> next_attempt_at);
  // Retention: deletes (at most `max`) delivered events of executions that
  // no longer exist, then delivered events older than the newest
  // `keep_last` (0: no count limit); returns how many went.
  int64_t prune_events(int64_t keep_last, size_t max);

  // The event deliveries (src/storage/event_delivery_store.cpp): the
  // (message, event trigger) pairs the event engine applied, recorded in
  // the transaction that creates the execution a pair starts, and kept
  // after that execution is deleted. The execution a pair started, if
  // recorded.
  std::optional<std::string> find_event_delivery(const std::string& message_id, const std::string& trigger_id);
  // Throws (a duplicate key) when the pair is recorded already.
  void record_event_delivery(const std::string& message_id, const std::string& trigger_id,
                             const std::string& execution_id, Timestamp at);
  // Deletes the records older than `before`; returns how many went.
  int64_t prune_event_deliveries(Timestamp before);

 private:
  void forget_rows();  // every repository's identity map (lock_tree)
  // The session every statement of this transaction runs on: the
  // backend's, behind the write-behind (write_behind_session.h).
  std::unique_ptr<class WriteBehindSession> buffered_;
  SqlSession& session_;
  bool writable_;
  std::set<std::string> locked_roots_;  // lock_tree
  std::unordered_map<std::string, uint64_t> created_executions_;  // id -> task map's forgets() then
  std::set<std::string> generated_ids_;                           // generated_execution_id
  std::vector<EventRow> queued_events_;  // queue_event, not written yet
  int64_t flushed_seq_ = 0;              // flush_events: the newest seq after the last write
  Repository<WorkbookDefinition> workbooks_;
  Repository<WorkflowDefinition> workflow_definitions_;
  Repository<ActionDefinition> action_definitions_;
  Repository<Environment> environments_;
  Repository<WorkflowExecution> workflow_executions_;
  Repository<TaskExecution> task_executions_;
  Repository<ActionExecution> action_executions_;
  Repository<DelayedCall> delayed_calls_;
  Repository<CronTrigger> cron_triggers_;
  Repository<EventTrigger> event_triggers_;
  Repository<ResourceMember> resource_members_;
  Repository<CodeSource> code_sources_;
  Repository<DynamicActionDefinition> dynamic_actions_;
  Repository<DefinitionVersion> definition_versions_;
};

}  // namespace bora::storage
