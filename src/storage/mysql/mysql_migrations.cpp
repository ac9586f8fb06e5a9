// storage/mysql/mysql_migrations: the MySQL/MariaDB schema, as ordered steps
// with SQLite's version numbers (sqlite/sqlite_migrations.cpp holds the same
// steps in SQLite's language). Never edit a released step: add a new one to
// both lists (docs/STORAGE.md says how).
//
// Types (docs/STORAGE.md, "MariaDB"): ids VARCHAR(36) (Mistral's
// String(36)); names and other indexed text VARCHAR with Mistral's lengths;
// everything else, JSON included, LONGTEXT (Bora writes and parses its own
// JSON, so the server's JSON type would only cost a validation per write).
// Times are BIGINT microseconds since the epoch (UTC), as the code stores
// them on both backends; booleans TINYINT(1). Tables are InnoDB, utf8mb4
// with the utf8mb4_nopad_bin collation: comparisons and unique keys see
// bytes, as SQLite's do (a trailing space makes another name).
//
// MySQL runs DDL outside transactions: a step that fails half way is not
// rolled back. Every statement is written to be run again (IF NOT EXISTS,
// IF EXISTS, MariaDB's forms), so `bora db upgrade` after a failure
// finishes the step.
#include "mysql/mysql_migrations.h"

#include <string>

namespace bora::storage::mysql {
namespace {

// Appended to every CREATE TABLE.
const std::string kTable = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin ROW_FORMAT=DYNAMIC";

std::string table(const std::string& create) { return create + kTable; }

}  // namespace

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> steps = {
      {1,
       "definitions, executions, timers, triggers, members",
       {
           table(R"(CREATE TABLE IF NOT EXISTS workbooks_v2 (
  id VARCHAR(36) NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL, namespace VARCHAR(255) NOT NULL DEFAULT '',
  definition LONGTEXT, spec LONGTEXT, tags LONGTEXT, is_system TINYINT(1) NOT NULL DEFAULT 0,
  scope VARCHAR(80) NOT NULL DEFAULT 'private', project_id VARCHAR(80) NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL, updated_at BIGINT,
  UNIQUE KEY workbooks_v2_name (name, namespace, project_id),
  KEY workbooks_v2_project_id (project_id)))"),
           table(R"(CREATE TABLE IF NOT EXISTS workflow_definitions_v2 (
  id VARCHAR(36) NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL, namespace VARCHAR(255) NOT NULL DEFAULT '',
  definition LONGTEXT, spec LONGTEXT, tags LONGTEXT, is_system TINYINT(1) NOT NULL DEFAULT 0,
  scope VARCHAR(80) NOT NULL DEFAULT 'private', project_id VARCHAR(80) NOT NULL DEFAULT '',
  workbook_name VARCHAR(255), checksum VARCHAR(64) NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL, updated_at BIGINT,
  UNIQUE KEY workflow_definitions_v2_name (name, namespace, project_id),
  KEY workflow_definitions_v2_project_id (project_id)))"),
           table(R"(CREATE TABLE IF NOT EXISTS action_definitions_v2 (
  id VARCHAR(36) NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL, namespace VARCHAR(255) NOT NULL DEFAULT '',
  definition LONGTEXT, spec LONGTEXT, tags LONGTEXT, is_system TINYINT(1) NOT NULL DEFAULT 0,
  scope VARCHAR(80) NOT NULL DEFAULT 'private', project_id VARCHAR(80) NOT NULL DEFAULT '',
  workbook_name VARCHAR(255), description LONGTEXT, input LONGTEXT NOT NULL DEFAULT '', attributes LONGTEXT,
  created_at BIGINT NOT NULL, updated_at BIGINT,
  UNIQUE KEY action_definitions_v2_name (name, namespace, project_id),
  KEY action_definitions_v2_project_id (project_id)))"),
           table(R"(CREATE TABLE IF NOT EXISTS environments_v2 (
  id VARCHAR(36) NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL, description LONGTEXT, variables LONGTEXT,
  scope VARCHAR(80) NOT NULL DEFAULT 'private', project_id VARCHAR(80) NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL, updated_at BIGINT,
  UNIQUE KEY environments_v2_name (name, project_id)))"),
           // The task_execution_id foreign key is added once task
           // executions exist (below): InnoDB checks that the table a key
           // names is there.
           table(R"(CREATE TABLE IF NOT EXISTS workflow_executions_v2 (
  id VARCHAR(36) NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL, description LONGTEXT,
  workflow_name VARCHAR(255) NOT NULL, workflow_namespace VARCHAR(255) NOT NULL DEFAULT '',
  workflow_id VARCHAR(80) NOT NULL,
  spec LONGTEXT, state VARCHAR(20) NOT NULL, state_info LONGTEXT, tags LONGTEXT, runtime_context LONGTEXT,
  accepted TINYINT(1) NOT NULL DEFAULT 0, input LONGTEXT, output LONGTEXT, params LONGTEXT, context LONGTEXT,
  root_execution_id VARCHAR(36), task_execution_id VARCHAR(36),
  scope VARCHAR(80) NOT NULL DEFAULT 'private', project_id VARCHAR(80) NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL, updated_at BIGINT,
  KEY workflow_executions_v2_project_id (project_id),
  KEY workflow_executions_v2_state (state),
  KEY workflow_executions_v2_updated_at (updated_at),
  KEY workflow_executions_v2_created_at (created_at),
  CONSTRAINT workflow_executions_v2_root FOREIGN KEY (root_execution_id)
    REFERENCES workflow_executions_v2 (id) ON DELETE CASCADE))"),
           table(R"(CREATE TABLE IF NOT EXISTS task_executions_v2 (
  id VARCHAR(36) NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL,
  workflow_execution_id VARCHAR(36) NOT NULL,
  workflow_name VARCHAR(255) NOT NULL, workflow_namespace VARCHAR(255) NOT NULL DEFAULT '',
  workflow_id VARCHAR(80) NOT NULL,
  spec LONGTEXT, action_spec LONGTEXT, state VARCHAR(20) NOT NULL, state_info LONGTEXT, tags LONGTEXT,
  runtime_context LONGTEXT,
  unique_key VARCHAR(512), type VARCHAR(10) NOT NULL DEFAULT 'ACTION', started_at BIGINT, finished_at BIGINT,
  processed TINYINT(1) NOT NULL DEFAULT 0, has_next_tasks TINYINT(1) NOT NULL DEFAULT 0, next_tasks LONGTEXT,
  error_handled TINYINT(1) NOT NULL DEFAULT 0, in_context LONGTEXT, published LONGTEXT,
  scope VARCHAR(80) NOT NULL DEFAULT 'private', project_id VARCHAR(80) NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL, updated_at BIGINT,
  UNIQUE KEY task_executions_v2_unique_key (unique_key),
  KEY task_executions_v2_project_id (project_id),
  KEY task_executions_v2_updated_at (updated_at),
  CONSTRAINT task_executions_v2_wf_ex FOREIGN KEY (workflow_execution_id)
    REFERENCES workflow_executions_v2 (id) ON DELETE CASCADE))"),
           "ALTER TABLE workflow_executions_v2 ADD CONSTRAINT workflow_executions_v2_task_ex_fk FOREIGN KEY IF NOT EXISTS "
           "(task_execution_id) REFERENCES task_executions_v2 (id) ON DELETE CASCADE",
           table(R"(CREATE TABLE IF NOT EXISTS action_executions_v2 (
  id VARCHAR(36) NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL, description LONGTEXT,
  workflow_name VARCHAR(255) NOT NULL DEFAULT '', workflow_namespace VARCHAR(255) NOT NULL DEFAULT '',
  task_execution_id VARCHAR(36),
  spec LONGTEXT, state VARCHAR(20) NOT NULL, state_info LONGTEXT, tags LONGTEXT, runtime_context LONGTEXT,
  accepted TINYINT(1) NOT NULL DEFAULT 0, input LONGTEXT, output LONGTEXT, last_heartbeat BIGINT,
  is_sync TINYINT(1),
  scope VARCHAR(80) NOT NULL DEFAULT 'private', project_id VARCHAR(80) NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL, updated_at BIGINT,
  KEY action_executions_v2_project_id (project_id),
  KEY action_executions_v2_state (state),
  CONSTRAINT action_executions_v2_task_ex_fk FOREIGN KEY (task_execution_id)
    REFERENCES task_executions_v2 (id) ON DELETE CASCADE))"),
           // `key` is a reserved word in MySQL: the repositories quote it.
           table(R"(CREATE TABLE IF NOT EXISTS delayed_calls_v2 (
  id VARCHAR(36) NOT NULL PRIMARY KEY, target VARCHAR(255) NOT NULL, arguments LONGTEXT, `key` VARCHAR(512),
  execution_time BIGINT NOT NULL, owner VARCHAR(64), claim_expires_at BIGINT,
  created_at BIGINT NOT NULL, updated_at BIGINT))"),
           table(R"(CREATE TABLE IF NOT EXISTS cron_triggers_v2 (
  id VARCHAR(36) NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL, pattern VARCHAR(100) NOT NULL,
  first_execution_time BIGINT, next_execution_time BIGINT NOT NULL,
  workflow_name VARCHAR(255) NOT NULL, workflow_id VARCHAR(36) NOT NULL,
  remaining_executions BIGINT, workflow_input LONGTEXT, workflow_params LONGTEXT,
  workflow_input_hash VARCHAR(64) NOT NULL DEFAULT '', workflow_params_hash VARCHAR(64) NOT NULL DEFAULT '',
  trust_id VARCHAR(80), scope VARCHAR(80) NOT NULL DEFAULT 'private', project_id VARCHAR(80) NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL, updated_at BIGINT,
  UNIQUE KEY cron_triggers_v2_name (name, project_id),
  UNIQUE KEY cron_triggers_v2_same (workflow_input_hash, workflow_name, pattern, project_id, workflow_params_hash,
                                    remaining_executions, first_execution_time),
  KEY cron_triggers_v2_workflow_name (workflow_name),
  CONSTRAINT cron_triggers_v2_workflow FOREIGN KEY (workflow_id) REFERENCES workflow_definitions_v2 (id)))"),
           table(R"(CREATE TABLE IF NOT EXISTS event_triggers_v2 (
  id VARCHAR(36) NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL, workflow_id VARCHAR(36) NOT NULL,
  workflow_input LONGTEXT, workflow_params LONGTEXT, exchange VARCHAR(80) NOT NULL, topic VARCHAR(80) NOT NULL,
  event VARCHAR(80) NOT NULL,
  trust_id VARCHAR(80), scope VARCHAR(80) NOT NULL DEFAULT 'private', project_id VARCHAR(80) NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL, updated_at BIGINT,
  UNIQUE KEY event_triggers_v2_same (exchange, topic, event, workflow_id, project_id),
  CONSTRAINT event_triggers_v2_workflow FOREIGN KEY (workflow_id) REFERENCES workflow_definitions_v2 (id)))"),
           table(R"(CREATE TABLE IF NOT EXISTS resource_members_v2 (
  id VARCHAR(36) NOT NULL PRIMARY KEY, resource_id VARCHAR(80) NOT NULL,
  resource_type VARCHAR(50) NOT NULL DEFAULT 'workflow',
  project_id VARCHAR(80) NOT NULL DEFAULT '', member_id VARCHAR(80) NOT NULL,
  status VARCHAR(20) NOT NULL DEFAULT 'pending',
  created_at BIGINT NOT NULL, updated_at BIGINT,
  UNIQUE KEY resource_members_v2_member_once (resource_id, resource_type, member_id)))"),
       }},
      {2,
       "indexes for the engine's hot queries: tasks of an execution by state, due timers, sub-executions",
       {
           "CREATE INDEX IF NOT EXISTS task_executions_v2_wf_ex_state ON task_executions_v2 "
           "(workflow_execution_id, state)",
           "CREATE INDEX IF NOT EXISTS action_executions_v2_task_ex ON action_executions_v2 (task_execution_id)",
           "CREATE INDEX IF NOT EXISTS workflow_executions_v2_task_ex ON workflow_executions_v2 (task_execution_id)",
           "CREATE INDEX IF NOT EXISTS workflow_executions_v2_root_ex ON workflow_executions_v2 (root_execution_id)",
           "CREATE INDEX IF NOT EXISTS delayed_calls_v2_execution_time ON delayed_calls_v2 (execution_time)",
           "CREATE INDEX IF NOT EXISTS delayed_calls_v2_key ON delayed_calls_v2 (`key`)",
           "CREATE INDEX IF NOT EXISTS cron_triggers_v2_next_execution_time ON cron_triggers_v2 "
           "(next_execution_time)",
           "CREATE INDEX IF NOT EXISTS resource_members_v2_member ON resource_members_v2 (member_id, resource_type)",
       }},
      {3,
       "code sources and the dynamic actions built from them",
       {
           table(R"(CREATE TABLE IF NOT EXISTS code_sources (
  id VARCHAR(36) NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL, namespace VARCHAR(255) NOT NULL DEFAULT '',
  content LONGTEXT NOT NULL DEFAULT '', version BIGINT NOT NULL DEFAULT 1, tags LONGTEXT,
  scope VARCHAR(80) NOT NULL DEFAULT 'private', project_id VARCHAR(80) NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL, updated_at BIGINT,
  UNIQUE KEY code_sources_name (name, namespace, project_id),
  KEY code_sources_project_id (project_id)))"),
           table(R"(CREATE TABLE IF NOT EXISTS dynamic_action_definitions (
  id VARCHAR(36) NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL, namespace VARCHAR(255) NOT NULL DEFAULT '',
  class_name VARCHAR(255) NOT NULL,
  code_source_id VARCHAR(36) NOT NULL,
  code_source_name VARCHAR(255) NOT NULL,
  scope VARCHAR(80) NOT NULL DEFAULT 'private', project_id VARCHAR(80) NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL, updated_at BIGINT,
  UNIQUE KEY dynamic_action_definitions_name (name, namespace, project_id),
  KEY dynamic_action_definitions_project_id (project_id),
  KEY dynamic_action_definitions_code_source (code_source_id),
  CONSTRAINT dynamic_action_definitions_code_source_fk FOREIGN KEY (code_source_id)
    REFERENCES code_sources (id) ON DELETE CASCADE))"),
       }},
      {4,
       "how many times recovery took up an execution's work without that work passing (a crash-loop guard)",
       {
           "ALTER TABLE workflow_executions_v2 ADD COLUMN IF NOT EXISTS recovery_attempts BIGINT NOT NULL DEFAULT 0",
       }},
      {5,
       "large values of an execution's contexts stored once, referenced from its rows (storage/shared_values)",
       {
           table(R"(CREATE TABLE IF NOT EXISTS execution_values (
  workflow_execution_id VARCHAR(36) NOT NULL, digest CHAR(64) NOT NULL, value LONGTEXT NOT NULL,
  PRIMARY KEY (workflow_execution_id, digest)))"),
           // Gone with their execution. No foreign key: an execution's
           // values are written before its row. InnoDB does not run
           // triggers for rows a foreign key cascade deletes, so the
           // trigger of the deleted execution also takes the values of the
           // sub-executions of its tree (root_execution_id), which the
           // cascade is about to delete.
           "DROP TRIGGER IF EXISTS execution_values_cleanup",
           R"(CREATE TRIGGER execution_values_cleanup BEFORE DELETE ON workflow_executions_v2 FOR EACH ROW
DELETE FROM execution_values WHERE workflow_execution_id = OLD.id
  OR workflow_execution_id IN (SELECT id FROM workflow_executions_v2 WHERE root_execution_id = OLD.id))",
       }},
      {6,
       "the durable event log of executions, which is also the notifier's outbox (issue 17)",
       {
           // seq numbers events in the order they were appended. InnoDB
           // gives the next AUTO_INCREMENT after the largest even after a
           // restart (MariaDB 10.2.4 and later): prune_events never deletes
           // the newest event, so a seq a stream client has seen is never
           // given again.
           table(R"(CREATE TABLE IF NOT EXISTS execution_events (
  seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, event VARCHAR(64) NOT NULL, created_at BIGINT NOT NULL,
  project_id VARCHAR(80) NOT NULL DEFAULT '', root_execution_id VARCHAR(36) NOT NULL,
  execution_id VARCHAR(36) NOT NULL, task_execution_id VARCHAR(36), workflow_name VARCHAR(255) NOT NULL DEFAULT '',
  payload LONGTEXT NOT NULL, publishers LONGTEXT, attempts BIGINT NOT NULL DEFAULT 0, next_attempt_at BIGINT,
  KEY execution_events_root (root_execution_id, seq),
  KEY execution_events_execution (execution_id, seq)))"),
           // No partial indexes in MySQL: the notifier's scan of the
           // undelivered events (publishers IS NOT NULL) reads this index's
           // non-NULL range, as small as the backlog.
           "CREATE INDEX IF NOT EXISTS execution_events_pending ON execution_events (publishers(1), seq)",
       }},
      {7,
       "a with-items task's items read in order by a seek, not a sort of every item (engine/task_result pages)",
       {
           // The new index first: InnoDB keeps an index on a foreign key's
           // column, and the new ones start with task_execution_id.
           "CREATE INDEX IF NOT EXISTS action_executions_v2_task_ex_order ON action_executions_v2 "
           "(task_execution_id, created_at, id)",
           "DROP INDEX IF EXISTS action_executions_v2_task_ex ON action_executions_v2",
           "CREATE INDEX IF NOT EXISTS workflow_executions_v2_task_ex_order ON workflow_executions_v2 "
           "(task_execution_id, created_at, id)",
           "DROP INDEX IF EXISTS workflow_executions_v2_task_ex ON workflow_executions_v2",
       }},
      {8,
       "definition versions (workflows, workbooks, ad-hoc actions) and the version an execution runs",
       {
           // SQLite's step 8: one table for the three kinds, read through
           // the definition (found first, with its visibility).
           table(R"(CREATE TABLE IF NOT EXISTS definition_versions (
  id VARCHAR(36) NOT NULL PRIMARY KEY, kind VARCHAR(20) NOT NULL, definition_id VARCHAR(36) NOT NULL,
  version BIGINT NOT NULL, definition LONGTEXT, spec LONGTEXT, checksum VARCHAR(64) NOT NULL,
  project_id VARCHAR(80) NOT NULL DEFAULT '', user_id VARCHAR(128) NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL, updated_at BIGINT,
  UNIQUE KEY definition_versions_number (definition_id, version)))"),
           // Deleting a definition deletes its versions, however the row
           // goes. (Definitions are never deleted by a foreign key's
           // cascade, which InnoDB would not show to a trigger.)
           "CREATE TRIGGER IF NOT EXISTS workflow_definitions_v2_versions AFTER DELETE ON workflow_definitions_v2 "
           "FOR EACH ROW DELETE FROM definition_versions WHERE definition_id = OLD.id",
           "CREATE TRIGGER IF NOT EXISTS workbooks_v2_versions AFTER DELETE ON workbooks_v2 "
           "FOR EACH ROW DELETE FROM definition_versions WHERE definition_id = OLD.id",
           "CREATE TRIGGER IF NOT EXISTS action_definitions_v2_versions AFTER DELETE ON action_definitions_v2 "
           "FOR EACH ROW DELETE FROM definition_versions WHERE definition_id = OLD.id",
           "ALTER TABLE workflow_executions_v2 ADD COLUMN IF NOT EXISTS workflow_version BIGINT",
       }},
      {9,
       "several Bora nodes on one database: the node registry and the node running each action (issue 14)",
       {
           // SQLite's step 9. A node id is "<host>_<pid>" or an operator's
           // [cluster] node_id: 255 characters at most.
           table(R"(CREATE TABLE IF NOT EXISTS cluster_nodes (
  id VARCHAR(255) NOT NULL PRIMARY KEY, host VARCHAR(255) NOT NULL DEFAULT '', pid BIGINT NOT NULL DEFAULT 0,
  started_at BIGINT NOT NULL, heartbeat_at BIGINT NOT NULL, lease_expires_at BIGINT NOT NULL))"),
           "ALTER TABLE action_executions_v2 ADD COLUMN IF NOT EXISTS node_id VARCHAR(255)",
           "CREATE INDEX IF NOT EXISTS action_executions_v2_node ON action_executions_v2 (node_id, state)",
       }},
      {10,
       "the (message, event trigger) pairs the event engine has applied, kept after their executions (issue 16)",
       {
           // SQLite's step 10. A message id is at most 255 characters (an
           // AMQP shortstr; the webhook refuses longer ones).
           table(R"(CREATE TABLE IF NOT EXISTS event_deliveries (
  message_id VARCHAR(255) NOT NULL, trigger_id VARCHAR(36) NOT NULL, execution_id VARCHAR(36) NOT NULL,
  created_at BIGINT NOT NULL, PRIMARY KEY (message_id, trigger_id), KEY event_deliveries_age (created_at)))"),
       }},
      {11,
       "Galera: a row per execution tree that its transactions write, so that two nodes changing one tree conflict",
       {
           // Galera checks only the rows a transaction writes against the
           // other nodes' (certification); a SELECT ... FOR UPDATE locks
           // on one Galera node only. The tree lock writes this row
           // (MysqlDialect::lock_tree_root on a Galera node), so two
           // transactions of one tree on two Galera nodes cannot both
           // commit (docs/STORAGE.md "Galera").
           table(R"(CREATE TABLE IF NOT EXISTS execution_tree_locks (
  id VARCHAR(36) NOT NULL PRIMARY KEY, turns BIGINT NOT NULL DEFAULT 0))"),
           // Gone with their root (a root is deleted by itself, never by a
           // cascade) or with an action run on its own.
           "CREATE TRIGGER IF NOT EXISTS execution_tree_locks_of_executions AFTER DELETE ON workflow_executions_v2 "
           "FOR EACH ROW DELETE FROM execution_tree_locks WHERE id = OLD.id",
           "CREATE TRIGGER IF NOT EXISTS execution_tree_locks_of_actions AFTER DELETE ON action_executions_v2 "
           "FOR EACH ROW DELETE FROM execution_tree_locks WHERE id = OLD.id AND OLD.task_execution_id IS NULL",
       }},
      {12,
       "environments created without a name, as Mistral stores them (a NULL name)",
       {
           // SQLite's step 12. A unique key lets several NULL names be.
           "ALTER TABLE environments_v2 MODIFY name VARCHAR(200) NULL",
       }},
      {13,
       "an environment's scope updated to null, as Mistral stores it (NULL)",
       {
           "ALTER TABLE environments_v2 MODIFY scope VARCHAR(80) NULL DEFAULT 'private'",
       }},
  };
  return steps;
}

}  // namespace bora::storage::mysql
