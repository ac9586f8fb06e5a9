// storage/records: the rows Bora stores, one plain struct per Mistral model
// (mistral/db/v2/sqlalchemy/models.py), with Mistral's field names.
// Structured fields are Values (stored as JSON text); times are UTC with
// microseconds; optional fields are SQL NULL when absent. Records carry no
// behaviour: the engine and the API give them meaning.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "bora/core/time.h"
#include "bora/core/value.h"
#include "bora/storage/state.h"

namespace bora::storage {

// Definitions --------------------------------------------------------------

struct WorkbookDefinition {
  std::string id, name, namespace_;
  std::string definition;  // the YAML text as given
  Value spec;              // the parsed document (API view)
  Value tags;              // list of strings
  bool is_system = false;
  std::string scope = "private", project_id;
  Timestamp created_at{};
  std::optional<Timestamp> updated_at;
};

struct WorkflowDefinition {
  std::string id, name, namespace_;
  std::string definition;  // this workflow's own document
  Value spec;
  Value tags;
  bool is_system = false;
  std::string scope = "private", project_id;
  std::optional<std::string> workbook_name;  // set when it came from a workbook
  std::string checksum;                      // md5 of definition (Mistral master)
  Timestamp created_at{};
  std::optional<Timestamp> updated_at;
};

// An ad-hoc action (Mistral's ActionDefinition; std actions are not rows).
struct ActionDefinition {
  std::string id, name, namespace_;
  std::string definition;
  Value spec;
  Value tags;
  bool is_system = false;
  std::string scope = "private", project_id;
  std::optional<std::string> workbook_name;
  std::optional<std::string> description;
  std::string input;  // the input signature, e.g. "a, b=2"
  Value attributes;
  Timestamp created_at{};
  std::optional<Timestamp> updated_at;
};

// One numbered version of a workflow, workbook or ad-hoc action (Bora's
// own; docs/API.md "Definition versions"): every create and update of the
// definition appends one, so the latest is the definition as stored. Who
// and when: the owning project and created_at. Versions are read through
// their definition (its visibility), and go with it (migration 8's
// triggers).
struct DefinitionVersion {
  std::string id;
  std::string kind;           // "workflow", "workbook" or "action"
  std::string definition_id;  // the id of the row it is a version of
  int64_t version = 0;        // 1, 2, ... per definition
  std::string definition;     // the text as stored then
  Value spec;                 // the spec as stored then (a workflow runs it)
  std::string checksum;       // sha256 of definition, lower-case hex
  std::string project_id;
  std::string user_id;        // who stored it ("" with auth off, or before it was kept)
  Timestamp created_at{};
  std::optional<Timestamp> updated_at;
};

struct Environment {
  std::string id;
  // Mistral stores an environment created without a name (NULL), which no
  // URL reads, updates or deletes, but lists show.
  std::optional<std::string> name;
  std::optional<std::string> description;
  Value variables;  // dict
  // Mistral's update stores a scope given as null (NULL): then neither
  // private nor public for a filter, and still its project's.
  std::optional<std::string> scope = "private";
  std::string project_id;
  Timestamp created_at{};
  std::optional<Timestamp> updated_at;
};

// Executions ---------------------------------------------------------------

struct WorkflowExecution {
  std::string id, name;  // name = the workflow's name
  std::optional<std::string> description;
  std::string workflow_name, workflow_namespace, workflow_id;
  Value spec;
  State state = State::Idle;
  std::optional<std::string> state_info;
  Value tags;
  Value runtime_context;
  bool accepted = false;
  Value input, output, params, context;
  std::optional<std::string> root_execution_id;
  std::optional<std::string> task_execution_id;  // set for a sub-workflow
  std::string scope = "private", project_id;
  // Starts at which recovery re-ran or failed this execution's lost work
  // since that work last passed (Bora's own; not in Mistral's model, not
  // shown by the API). Counted before recovery runs, committed, so that a
  // crash during it still counts.
  int64_t recovery_attempts = 0;
  // The version of its workflow definition the execution runs (Bora's own,
  // shown by the API; null when started before versions were kept).
  std::optional<int64_t> workflow_version;
  Timestamp created_at{};
  std::optional<Timestamp> updated_at;
};

struct TaskExecution {
  std::string id, name;
  std::string workflow_execution_id;
  std::string workflow_name, workflow_namespace, workflow_id;
  Value spec, action_spec;
  State state = State::Idle;
  std::optional<std::string> state_info;
  Value tags;
  Value runtime_context;
  std::optional<std::string> unique_key;  // de-duplicates joins
  std::string type = "ACTION";            // ACTION or WORKFLOW
  std::optional<Timestamp> started_at, finished_at;
  bool processed = false;
  bool has_next_tasks = false;
  Value next_tasks;  // list of [task name, event]
  bool error_handled = false;
  Value in_context, published;
  std::string scope = "private", project_id;
  Timestamp created_at{};
  std::optional<Timestamp> updated_at;
};

struct ActionExecution {
  std::string id, name;
  std::optional<std::string> description;
  std::string workflow_name, workflow_namespace;
  std::optional<std::string> task_execution_id;  // none when run ad hoc
  Value spec;
  State state = State::Idle;
  std::optional<std::string> state_info;
  Value tags;
  Value runtime_context;
  bool accepted = false;
  Value input, output;
  std::optional<Timestamp> last_heartbeat;
  std::optional<bool> is_sync;
  std::string scope = "private", project_id;
  // The Bora node (node_rows.h) whose executor runs this action while it is
  // RUNNING (Bora's own, not shown by the API): when that node's lease
  // lapses, another node adopts the action and recovers it; a result the
  // former node sends afterwards is refused. Null on rows older than
  // schema version 9 (adopted at the next start).
  std::optional<std::string> node_id;
  Timestamp created_at{};
  std::optional<Timestamp> updated_at;
};

// Scheduling ---------------------------------------------------------------

// A durable timer (Mistral's delayed call / scheduled job): `target` names
// the engine operation to run, `arguments` its data. A node claims a due call
// (owner + expiry) before running it, so that with several nodes one runs it
// and a crashed node's claim lapses.
struct DelayedCall {
  std::string id;
  std::string target;
  Value arguments;
  std::optional<std::string> key;  // calls with the same key are one logical job
  Timestamp execution_time{};
  // The node whose claim holds the call until claim_expires_at, or
  // reserved_for(node): a call its maker keeps for that node until then
  // (only that node claims it before).
  std::optional<std::string> owner;
  std::optional<Timestamp> claim_expires_at;
  static std::string reserved_for(const std::string& node) { return "reserved:" + node; }
  Timestamp created_at{};
  std::optional<Timestamp> updated_at;
};

struct CronTrigger {
  std::string id, name;
  std::string pattern;
  std::optional<Timestamp> first_execution_time;
  Timestamp next_execution_time{};
  std::string workflow_name, workflow_id;
  std::optional<int64_t> remaining_executions;
  Value workflow_input, workflow_params;
  std::string workflow_input_hash, workflow_params_hash;
  std::optional<std::string> trust_id;
  std::string scope = "private", project_id;
  Timestamp created_at{};
  std::optional<Timestamp> updated_at;
};

struct EventTrigger {
  std::string id, name;
  std::string workflow_id;
  Value workflow_input, workflow_params;
  std::string exchange, topic, event;
  std::optional<std::string> trust_id;
  std::string scope = "private", project_id;
  Timestamp created_at{};
  std::optional<Timestamp> updated_at;
};

// A module of code that dynamic actions are built from (Mistral's
// CodeSource). Bora's are JavaScript (ES5.1, run by duktape); version
// counts the updates of the content, from 1.
struct CodeSource {
  std::string id, name, namespace_;
  std::string content;
  int64_t version = 1;
  Value tags;
  std::string scope = "private", project_id;
  Timestamp created_at{};
  std::optional<Timestamp> updated_at;
};

// An action implemented by a constructor (Mistral: a class) of a code
// source (Mistral's DynamicActionDefinition).
struct DynamicActionDefinition {
  std::string id, name, namespace_;
  std::string class_name;
  std::string code_source_id, code_source_name;
  std::string scope = "private", project_id;
  Timestamp created_at{};
  std::optional<Timestamp> updated_at;
};

// Sharing a resource (a workflow) with another project.
struct ResourceMember {
  std::string id;
  std::string resource_id, resource_type = "workflow";
  std::string project_id;  // the owner
  std::string member_id;   // the project it is shared with
  std::string status = "pending";  // pending, accepted, rejected
  Timestamp created_at{};
  std::optional<Timestamp> updated_at;
};

}  // namespace bora::storage
