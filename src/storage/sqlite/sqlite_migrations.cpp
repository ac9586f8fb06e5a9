// storage/sqlite/sqlite_migrations: the SQLite schema, as ordered steps.
// Never edit a released step: add a new one (docs/STORAGE.md says how).
// Times are INTEGER microseconds since the epoch (UTC), booleans INTEGER
// 0/1, structured fields JSON TEXT.
#include "sqlite/sqlite_migrations.h"

namespace bora::storage::sqlite {

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> steps = {
      {1,
       "definitions, executions, timers, triggers, members",
       {
           R"(CREATE TABLE workbooks_v2 (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, namespace TEXT NOT NULL DEFAULT '',
  definition TEXT, spec TEXT, tags TEXT, is_system INTEGER NOT NULL DEFAULT 0,
  scope TEXT NOT NULL DEFAULT 'private', project_id TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL, updated_at INTEGER,
  UNIQUE (name, namespace, project_id)))",
           "CREATE INDEX workbooks_v2_project_id ON workbooks_v2 (project_id)",
           R"(CREATE TABLE workflow_definitions_v2 (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, namespace TEXT NOT NULL DEFAULT '',
  definition TEXT, spec TEXT, tags TEXT, is_system INTEGER NOT NULL DEFAULT 0,
  scope TEXT NOT NULL DEFAULT 'private', project_id TEXT NOT NULL DEFAULT '',
  workbook_name TEXT, checksum TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL, updated_at INTEGER,
  UNIQUE (name, namespace, project_id)))",
           "CREATE INDEX workflow_definitions_v2_project_id ON workflow_definitions_v2 (project_id)",
           R"(CREATE TABLE action_definitions_v2 (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, namespace TEXT NOT NULL DEFAULT '',
  definition TEXT, spec TEXT, tags TEXT, is_system INTEGER NOT NULL DEFAULT 0,
  scope TEXT NOT NULL DEFAULT 'private', project_id TEXT NOT NULL DEFAULT '',
  workbook_name TEXT, description TEXT, input TEXT NOT NULL DEFAULT '', attributes TEXT,
  created_at INTEGER NOT NULL, updated_at INTEGER,
  UNIQUE (name, namespace, project_id)))",
           "CREATE INDEX action_definitions_v2_project_id ON action_definitions_v2 (project_id)",
           R"(CREATE TABLE environments_v2 (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT, variables TEXT,
  scope TEXT NOT NULL DEFAULT 'private', project_id TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL, updated_at INTEGER,
  UNIQUE (name, project_id)))",
           R"(CREATE TABLE workflow_executions_v2 (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT,
  workflow_name TEXT NOT NULL, workflow_namespace TEXT NOT NULL DEFAULT '', workflow_id TEXT NOT NULL,
  spec TEXT, state TEXT NOT NULL, state_info TEXT, tags TEXT, runtime_context TEXT,
  accepted INTEGER NOT NULL DEFAULT 0, input TEXT, output TEXT, params TEXT, context TEXT,
  root_execution_id TEXT REFERENCES workflow_executions_v2 (id) ON DELETE CASCADE,
  task_execution_id TEXT REFERENCES task_executions_v2 (id) ON DELETE CASCADE,
  scope TEXT NOT NULL DEFAULT 'private', project_id TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL, updated_at INTEGER))",
           "CREATE INDEX workflow_executions_v2_project_id ON workflow_executions_v2 (project_id)",
           "CREATE INDEX workflow_executions_v2_state ON workflow_executions_v2 (state)",
           "CREATE INDEX workflow_executions_v2_updated_at ON workflow_executions_v2 (updated_at)",
           "CREATE INDEX workflow_executions_v2_created_at ON workflow_executions_v2 (created_at)",
           R"(CREATE TABLE task_executions_v2 (
  id TEXT PRIMARY KEY, name TEXT NOT NULL,
  workflow_execution_id TEXT NOT NULL REFERENCES workflow_executions_v2 (id) ON DELETE CASCADE,
  workflow_name TEXT NOT NULL, workflow_namespace TEXT NOT NULL DEFAULT '', workflow_id TEXT NOT NULL,
  spec TEXT, action_spec TEXT, state TEXT NOT NULL, state_info TEXT, tags TEXT, runtime_context TEXT,
  unique_key TEXT UNIQUE, type TEXT NOT NULL DEFAULT 'ACTION', started_at INTEGER, finished_at INTEGER,
  processed INTEGER NOT NULL DEFAULT 0, has_next_tasks INTEGER NOT NULL DEFAULT 0, next_tasks TEXT,
  error_handled INTEGER NOT NULL DEFAULT 0, in_context TEXT, published TEXT,
  scope TEXT NOT NULL DEFAULT 'private', project_id TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL, updated_at INTEGER))",
           "CREATE INDEX task_executions_v2_project_id ON task_executions_v2 (project_id)",
           "CREATE INDEX task_executions_v2_updated_at ON task_executions_v2 (updated_at)",
           R"(CREATE TABLE action_executions_v2 (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT,
  workflow_name TEXT NOT NULL DEFAULT '', workflow_namespace TEXT NOT NULL DEFAULT '',
  task_execution_id TEXT REFERENCES task_executions_v2 (id) ON DELETE CASCADE,
  spec TEXT, state TEXT NOT NULL, state_info TEXT, tags TEXT, runtime_context TEXT,
  accepted INTEGER NOT NULL DEFAULT 0, input TEXT, output TEXT, last_heartbeat INTEGER, is_sync INTEGER,
  scope TEXT NOT NULL DEFAULT 'private', project_id TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL, updated_at INTEGER))",
           "CREATE INDEX action_executions_v2_project_id ON action_executions_v2 (project_id)",
           "CREATE INDEX action_executions_v2_state ON action_executions_v2 (state)",
           R"(CREATE TABLE delayed_calls_v2 (
  id TEXT PRIMARY KEY, target TEXT NOT NULL, arguments TEXT, key TEXT,
  execution_time INTEGER NOT NULL, owner TEXT, claim_expires_at INTEGER,
  created_at INTEGER NOT NULL, updated_at INTEGER))",
           R"(CREATE TABLE cron_triggers_v2 (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, pattern TEXT NOT NULL,
  first_execution_time INTEGER, next_execution_time INTEGER NOT NULL,
  workflow_name TEXT NOT NULL, workflow_id TEXT NOT NULL REFERENCES workflow_definitions_v2 (id),
  remaining_executions INTEGER, workflow_input TEXT, workflow_params TEXT,
  workflow_input_hash TEXT NOT NULL DEFAULT '', workflow_params_hash TEXT NOT NULL DEFAULT '',
  trust_id TEXT, scope TEXT NOT NULL DEFAULT 'private', project_id TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL, updated_at INTEGER,
  UNIQUE (name, project_id),
  UNIQUE (workflow_input_hash, workflow_name, pattern, project_id, workflow_params_hash,
          remaining_executions, first_execution_time)))",
           "CREATE INDEX cron_triggers_v2_workflow_name ON cron_triggers_v2 (workflow_name)",
           R"(CREATE TABLE event_triggers_v2 (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, workflow_id TEXT NOT NULL REFERENCES workflow_definitions_v2 (id),
  workflow_input TEXT, workflow_params TEXT, exchange TEXT NOT NULL, topic TEXT NOT NULL, event TEXT NOT NULL,
  trust_id TEXT, scope TEXT NOT NULL DEFAULT 'private', project_id TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL, updated_at INTEGER,
  UNIQUE (exchange, topic, event, workflow_id, project_id)))",
           R"(CREATE TABLE resource_members_v2 (
  id TEXT PRIMARY KEY, resource_id TEXT NOT NULL, resource_type TEXT NOT NULL DEFAULT 'workflow',
  project_id TEXT NOT NULL DEFAULT '', member_id TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending',
  created_at INTEGER NOT NULL, updated_at INTEGER,
  UNIQUE (resource_id, resource_type, member_id)))",
       }},
      {2,
       "indexes for the engine's hot queries: tasks of an execution by state, due timers, sub-executions",
       {
           "CREATE INDEX task_executions_v2_wf_ex_state ON task_executions_v2 (workflow_execution_id, state)",
           "CREATE INDEX action_executions_v2_task_ex ON action_executions_v2 (task_execution_id)",
           "CREATE INDEX workflow_executions_v2_task_ex ON workflow_executions_v2 (task_execution_id)",
           "CREATE INDEX workflow_executions_v2_root_ex ON workflow_executions_v2 (root_execution_id)",
           "CREATE INDEX delayed_calls_v2_execution_time ON delayed_calls_v2 (execution_time)",
           "CREATE INDEX delayed_calls_v2_key ON delayed_calls_v2 (key)",
           "CREATE INDEX cron_triggers_v2_next_execution_time ON cron_triggers_v2 (next_execution_time)",
           "CREATE INDEX resource_members_v2_member ON resource_members_v2 (member_id, resource_type)",
       }},
      {3,
       "code sources and the dynamic actions built from them",
       {
           R"(CREATE TABLE code_sources (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, namespace TEXT NOT NULL DEFAULT '',
  content TEXT NOT NULL DEFAULT '', version INTEGER NOT NULL DEFAULT 1, tags TEXT,
  scope TEXT NOT NULL DEFAULT 'private', project_id TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL, updated_at INTEGER,
  UNIQUE (name, namespace, project_id)))",
           "CREATE INDEX code_sources_project_id ON code_sources (project_id)",
           R"(CREATE TABLE dynamic_action_definitions (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, namespace TEXT NOT NULL DEFAULT '',
  class_name TEXT NOT NULL,
  code_source_id TEXT NOT NULL REFERENCES code_sources (id) ON DELETE CASCADE,
  code_source_name TEXT NOT NULL,
  scope TEXT NOT NULL DEFAULT 'private', project_id TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL, updated_at INTEGER,
  UNIQUE (name, namespace, project_id)))",
           "CREATE INDEX dynamic_action_definitions_project_id ON dynamic_action_definitions (project_id)",
           "CREATE INDEX dynamic_action_definitions_code_source ON dynamic_action_definitions (code_source_id)",
       }},
      {4,
       "how many times recovery took up an execution's work without that work passing (a crash-loop guard)",
       {
           "ALTER TABLE workflow_executions_v2 ADD COLUMN recovery_attempts INTEGER NOT NULL DEFAULT 0",
       }},
      {5,
       "large values of an execution's contexts stored once, referenced from its rows (storage/shared_values)",
       {
           R"(CREATE TABLE execution_values (
  workflow_execution_id TEXT NOT NULL, digest TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (workflow_execution_id, digest)))",
           // Gone with their execution, however it goes (a delete, a
           // cascade from its root or parent task): no foreign key, since
           // an execution's values are written before its row.
           R"(CREATE TRIGGER execution_values_cleanup AFTER DELETE ON workflow_executions_v2
BEGIN DELETE FROM execution_values WHERE workflow_execution_id = OLD.id; END)",
       }},
      {6,
       "the durable event log of executions, which is also the notifier's outbox (issue 17)",
       {
           // seq is the rowid: the next is the largest + 1. No
           // AUTOINCREMENT (its sqlite_sequence row is one more page written
           // by every commit): prune_events never deletes the newest event,
           // so a seq a stream client has seen is never given again.
           R"(CREATE TABLE execution_events (
  seq INTEGER PRIMARY KEY, event TEXT NOT NULL, created_at INTEGER NOT NULL,
  project_id TEXT NOT NULL DEFAULT '', root_execution_id TEXT NOT NULL, execution_id TEXT NOT NULL,
  task_execution_id TEXT, workflow_name TEXT NOT NULL DEFAULT '', payload TEXT NOT NULL,
  publishers TEXT, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER))",
           "CREATE INDEX execution_events_root ON execution_events (root_execution_id, seq)",
           "CREATE INDEX execution_events_execution ON execution_events (execution_id, seq)",
           // Only undelivered notifications: the notifier's scan is as
           // small as its backlog, whatever the log holds.
           "CREATE INDEX execution_events_pending ON execution_events (seq) WHERE publishers IS NOT NULL",
       }},
      {7,
       "a with-items task's items read in order by a seek, not a sort of every item (engine/task_result pages)",
       {
           // The task's result is read in pages ordered by (created_at, id)
           // after a marker: without these, every page of a 1 000 000-item
           // task sorted all its rows again (O(n^2), docs/PERFORMANCE.md).
           // The new indexes start with task_execution_id, so they serve
           // the lookups the old ones did.
           "DROP INDEX IF EXISTS action_executions_v2_task_ex",
           "CREATE INDEX action_executions_v2_task_ex_order ON action_executions_v2 "
           "(task_execution_id, created_at, id)",
           "DROP INDEX IF EXISTS workflow_executions_v2_task_ex",
           "CREATE INDEX workflow_executions_v2_task_ex_order ON workflow_executions_v2 "
           "(task_execution_id, created_at, id)",
       }},
      {8,
       "definition versions (workflows, workbooks, ad-hoc actions) and the version an execution runs",
       {
           // One table for the three kinds: a version is read through its
           // definition (found first, with the definition's visibility),
           // so the kind and the definition's id are the whole key.
           R"(CREATE TABLE definition_versions (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, definition_id TEXT NOT NULL, version INTEGER NOT NULL,
  definition TEXT, spec TEXT, checksum TEXT NOT NULL, project_id TEXT NOT NULL DEFAULT '',
  user_id TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, updated_at INTEGER,
  UNIQUE (definition_id, version)))",
           // Deleting a definition deletes its versions, however the row
           // goes (an API delete, a workbook's members replaced).
           R"(CREATE TRIGGER workflow_definitions_v2_versions AFTER DELETE ON workflow_definitions_v2
BEGIN DELETE FROM definition_versions WHERE definition_id = OLD.id; END)",
           R"(CREATE TRIGGER workbooks_v2_versions AFTER DELETE ON workbooks_v2
BEGIN DELETE FROM definition_versions WHERE definition_id = OLD.id; END)",
           R"(CREATE TRIGGER action_definitions_v2_versions AFTER DELETE ON action_definitions_v2
BEGIN DELETE FROM definition_versions WHERE definition_id = OLD.id; END)",
           "ALTER TABLE workflow_executions_v2 ADD COLUMN workflow_version INTEGER",
       }},
      {9,
       "several Bora nodes on one database: the node registry and the node running each action (issue 14)",
       {
           // One row per live node (storage/node_rows.h): renewed every
           // [cluster] heartbeat_interval; a row whose lease lapsed is a
           // dead node, whose actions another node adopts.
           R"(CREATE TABLE cluster_nodes (
  id TEXT PRIMARY KEY, host TEXT NOT NULL DEFAULT '', pid INTEGER NOT NULL DEFAULT 0,
  started_at INTEGER NOT NULL, heartbeat_at INTEGER NOT NULL, lease_expires_at INTEGER NOT NULL))",
           "ALTER TABLE action_executions_v2 ADD COLUMN node_id TEXT",
           // A takeover reads the RUNNING actions of one node.
           "CREATE INDEX action_executions_v2_node ON action_executions_v2 (node_id, state)",
       }},
      {10,
       "the (message, event trigger) pairs the event engine has applied, kept after their executions (issue 16)",
       {
           // Written in the transaction that creates the execution a
           // notification started (events/event_dispatcher): a redelivered
           // message is recognised even after that execution was deleted.
           // Pruned by age ([event_engine] delivery_retention).
           R"(CREATE TABLE event_deliveries (
  message_id TEXT NOT NULL, trigger_id TEXT NOT NULL, execution_id TEXT NOT NULL, created_at INTEGER NOT NULL,
  PRIMARY KEY (message_id, trigger_id)))",
           "CREATE INDEX event_deliveries_age ON event_deliveries (created_at)",
       }},
      {11,
       "Galera: a row per execution tree that its transactions write, so that two nodes changing one tree conflict",
       {
           // MySQL's step 11. SQLite (one writer) never writes it; the
           // table is here so that both backends have the same schema.
           R"(CREATE TABLE execution_tree_locks (id TEXT PRIMARY KEY, turns INTEGER NOT NULL DEFAULT 0))",
           R"(CREATE TRIGGER execution_tree_locks_of_executions AFTER DELETE ON workflow_executions_v2
BEGIN DELETE FROM execution_tree_locks WHERE id = OLD.id; END)",
           R"(CREATE TRIGGER execution_tree_locks_of_actions AFTER DELETE ON action_executions_v2
WHEN OLD.task_execution_id IS NULL BEGIN DELETE FROM execution_tree_locks WHERE id = OLD.id; END)",
       }},
      {12,
       "environments created without a name, as Mistral stores them (a NULL name)",
       {
           // SQLite changes a column's NOT NULL only by copying the table.
           R"(CREATE TABLE environments_v2_new (
  id TEXT PRIMARY KEY, name TEXT, description TEXT, variables TEXT,
  scope TEXT NOT NULL DEFAULT 'private', project_id TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL, updated_at INTEGER,
  UNIQUE (name, project_id)))",
           "INSERT INTO environments_v2_new SELECT id, name, description, variables, scope, project_id, created_at, "
           "updated_at FROM environments_v2",
           "DROP TABLE environments_v2",
           "ALTER TABLE environments_v2_new RENAME TO environments_v2",
       }},
      {13,
       "an environment's scope updated to null, as Mistral stores it (NULL)",
       {
           R"(CREATE TABLE environments_v2_new (
  id TEXT PRIMARY KEY, name TEXT, description TEXT, variables TEXT,
  scope TEXT DEFAULT 'private', project_id TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL, updated_at INTEGER,
  UNIQUE (name, project_id)))",
           "INSERT INTO environments_v2_new SELECT id, name, description, variables, scope, project_id, created_at, "
           "updated_at FROM environments_v2",
           "DROP TABLE environments_v2",
           "ALTER TABLE environments_v2_new RENAME TO environments_v2",
       }},
  };
  return steps;
}

}  // namespace bora::storage::sqlite
