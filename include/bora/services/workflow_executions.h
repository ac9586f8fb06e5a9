// services/workflow_executions: Mistral's rules for workflow executions as
// the REST API offers them (api/controllers/v2/execution.py): starting one
// (possibly from a source execution), what PUT may change and when, which
// may be deleted. Changes go through the engine, which answers `done` after
// its commit; nothing here waits for one.
#pragma once

#include <optional>
#include <string>

#include "bora/core/error.h"
#include "bora/core/value.h"
#include "bora/engine/engine.h"
#include "bora/services/caller.h"
#include "bora/storage/database.h"

namespace bora::services {

// The execution `id` as `caller` may see it, or NotFound in Mistral's words.
Result<storage::WorkflowExecution> find_workflow_execution(storage::Transaction& tx, const std::string& id,
                                                           const Caller& caller);

// POST /v2/executions. With source_execution_id, Mistral's "based on": a new
// execution of the source's workflow (and namespace, unless the request
// names one) with its input and params, the request's merged over them.
struct ExecutionStart {
  engine::StartRequest start;
  std::string source_execution_id;  // empty: none
  bool namespace_given = false;     // the body named workflow_namespace
  // workflow_id / workflow_name as the body names them (null or empty
  // too; nullopt: not named): with a source execution, what it names
  // replaces the source's, as Mistral's merge_dicts of the two does.
  std::optional<std::string> workflow_id, workflow_name;
};
void start_workflow_execution(storage::Database& db, engine::Engine& engine, ExecutionStart request,
                              engine::Done<storage::WorkflowExecution> done);

// PUT /v2/executions/{id}: a new state (PAUSED, RUNNING, or a completion
// with state_info), a description, or env (merged into params.env).
struct ExecutionUpdate {
  std::string state;
  std::string description;
  Value env;  // a dict, or null
  std::optional<std::string> state_info;
  // Bora's rollback: `params: {"rollback": true}` with state ERROR rolls the
  // execution back (state_info: why) instead of failing it.
  bool rollback = false;
};
// The combinations Mistral refuses, before anything is looked up.
Result<void> check_execution_update(const ExecutionUpdate& update);
void update_workflow_execution(engine::Engine& engine, const std::string& id, ExecutionUpdate update,
                               const Caller& caller, engine::Done<storage::WorkflowExecution> done);

// DELETE /v2/executions/{id}: only a completed execution, unless force.
void delete_workflow_execution(engine::Engine& engine, const std::string& id, const Caller& caller, bool force,
                               engine::Done<void> done);

}  // namespace bora::services
