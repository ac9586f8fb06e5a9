// engine/workflow_runner: a workflow execution's life: started (from the
// API, a parent task or a cron trigger), paused, resumed, stopped, checked
// for completion, finished with its output, and reported to the task that
// started it (mistral/engine/workflows.py, workflow_handler.py).
#include <algorithm>
#include <fmt/format.h>

#include <set>

#include "bora/catalog/catalog.h"
#include "bora/core/ids.h"
#include "bora/core/python_format.h"
#include "bora/core/utf8.h"
#include "bora/lang/parser.h"
#include "bora/lang/workflow_input.h"
#include "command_order.h"
#include "event_log.h"
#include "field_size_limit.h"
#include "step.h"

namespace bora::engine {

using storage::ActionExecution;
using storage::FilterOp;
using storage::TaskExecution;
using storage::WorkflowExecution;

std::shared_ptr<const lang::WorkflowSpec> Step::spec_of(const WorkflowExecution& wf_ex) {
  if (auto cached = specs_.find(wf_ex.id)) return cached;
  auto parsed = lang::workflow_from_value(wf_ex.spec);
  if (!parsed) throw BoraError(ErrorKind::Internal, "the stored spec of execution " + wf_ex.id +
                                                        " does not parse: " + parsed.error().message);
  auto spec = *parsed;
  specs_.put(wf_ex.id, spec);
  return spec;
}

// The latest kept version of a workflow definition (what an execution
// started now runs); nullopt for one stored before versions were kept.
std::optional<int64_t> Step::latest_version_of(const storage::WorkflowDefinition& def) {
  const std::string key =
      fmt::format("{}:{}:{}", def.id, def.checksum, def.updated_at ? to_micros(*def.updated_at) : int64_t{-1});
  if (auto known = specs_.latest_version(key)) return *known;
  auto rows = tx_.definition_versions()
                  .list({ProjectScope::internal(), {{"definition_id", storage::FilterOp::Eq, {def.id}}},
                         {{"version", true}}, std::nullopt, 1})
                  .value();
  std::optional<int64_t> latest;
  if (!rows.empty()) latest = rows.front().version;
  specs_.put_latest_version(key, latest);
  return latest;
}

Result<WorkflowExecution> Step::start_workflow(const StartRequest& req) {
  // Mistral: POST with the id of an existing execution returns it, if the
  // caller may read it. Another project's execution is not shown: its id is
  // taken, a conflict (Mistral's insert fails with DBDuplicateEntry, 409),
  // told before anything is evaluated or stored.
  if (req.id) {
    // Mistral's Execution.id is any text (WSME's text type) that fits its
    // String(36) column. A '/' would make an id no URL can name.
    if (req.id->empty() || utf8_length(*req.id) > 36 || req.id->find('/') != std::string::npos)
      return bad_input(fmt::format("Invalid execution id '{}': an execution's id is 1 to 36 characters without '/' "
                                   "(a UUID, or leave it out for a new one)",
                                   *req.id));
    if (auto existing = tx_.workflow_executions().find(*req.id, req.caller.lookup())) return std::move(*existing);
    if (tx_.workflow_executions().exists(*req.id)) {
      return conflict(
          fmt::format("Duplicate entry for WorkflowExecution with ID: {} (the id is taken; give another "
                      "id, or none for a new one)",
                      *req.id));
    }
  }
  catalog::Catalog names(tx_, req.caller);
  // A batch of starts of one workflow looks it up once: definitions do not
  // change inside the engine's transaction (services write them in their
  // own), and on a database server each lookup is a round trip.
  const std::string seen_key = fmt::format("{}\x1f{}\x1f{}\x1f{}", req.caller.project_id, req.caller.is_admin,
                                           req.workflow, req.namespace_ ? *req.namespace_ : "\x1e");
  auto seen = definitions_seen_.find(seen_key);
  Result<storage::WorkflowDefinition> def =
      seen != definitions_seen_.end() ? Result<storage::WorkflowDefinition>(seen->second)
                                      : names.workflow(req.workflow, req.namespace_);
  if (!def) return def.error();
  if (seen == definitions_seen_.end()) definitions_seen_.emplace(seen_key, *def);
  if (req.workflow_version) {
    // The definition was found with the caller's visibility; its versions
    // are as visible as it.
    auto version = tx_.definition_versions().find_one(
        {{"definition_id", storage::FilterOp::Eq, {def->id}},
         {"version", storage::FilterOp::Eq, {std::to_string(*req.workflow_version)}}},
        ProjectScope::internal());
    if (!version) {
      return bad_input(fmt::format("Workflow {} has no version {} (GET /v2/workflows/{}/versions lists them)",
                                   def->name, *req.workflow_version, def->id));
    }
    def->spec = version->spec;
  }
  Value params = req.params.is_dict() ? req.params : Value(Dict{});
  // Mistral's default_engine.start_workflow: a namespace given with the
  // request is where the execution looks its sub-workflows up, even for a
  // workflow named by an id of another namespace.
  if (req.namespace_ && !req.namespace_->empty()) params = params.with("namespace", Value(*req.namespace_));
  if (const Value* notify = params.find("notify"))
    if (auto problem = notify_problem(*notify)) return bad_input(*problem);
  ExecutionOrigin origin;
  origin.id = req.id;
  origin.description = req.description;
  origin.project_id = req.caller.project_id;
  origin.security = req.caller.security;
  origin.caller_is_admin = req.caller.is_admin;
  origin.trace = req.trace;
  origin.workflow_version = req.workflow_version;
  auto wf_ex = create_execution(*def, req.input, params, origin);
  if (!wf_ex) return wf_ex.error();
  if (req.with_creation) req.with_creation(tx_, *wf_ex);
  return tx_.workflow_executions().get(wf_ex->id, ProjectScope::internal());
}

Result<WorkflowExecution> Step::create_execution(const storage::WorkflowDefinition& def, const Value& given_input,
                                                 const Value& given_params, const ExecutionOrigin& origin) {
  Value params = given_params;
  // Executions of one definition share its parsed spec (parsing compiles
  // every expression: per execution it was most of a small workflow's
  // start). Keyed by the definition's id, checksum and version, so a
  // changed definition is parsed anew; executions keep their own key too
  // (spec_of), as a spec is fixed for an execution's life.
  std::string def_key;
  if (!def.id.empty())
    def_key = fmt::format("definition:{}:{}:{}", def.id, def.checksum, origin.workflow_version.value_or(0));
  std::shared_ptr<const lang::WorkflowSpec> spec = def_key.empty() ? nullptr : specs_.find(def_key);
  if (!spec) {
    auto parsed = lang::workflow_from_value(def.spec);
    if (!parsed) return parsed.error();
    spec = *parsed;
    if (!def_key.empty()) specs_.put(def_key, spec);
  }
  // Mistral's WorkflowAction.schedule: of what a parent task passes, the
  // sub-workflow's declared input is its input, and the rest goes to its
  // params (a reverse sub-workflow's task_name, evaluate_env, ...); the API
  // refuses extra keys at the top level. Its `env` is what the task passes
  // (the parent's is not handed down); its env() is still the root's.
  Value checked_input = given_input;
  if (origin.task_execution_id && given_input.is_dict()) {
    Dict declared;
    for (const auto& [k, v] : given_input.as_dict()) {
      // `&k = k`: clang 14 (the sanitizer build) cannot capture a structured binding.
      if (std::any_of(spec->input.begin(), spec->input.end(), [&k = k](const auto& p) { return p.name == k; }))
        declared.set(k, v);
      else if (params.is_dict())
        params = params.with(k, v);
    }
    checked_input = Value(std::move(declared));
  }
  if (auto ok = lang::check_workflow_input(*spec, checked_input); !ok) return ok.error();
  // Mistral's order: the input is checked, then the env resolved (at the
  // execution's creation), then a reverse workflow's target (when its
  // controller first runs).
  // Mistral's workflow_handler.start_workflow: params.namespace is where
  // the execution looks its sub-workflows up; the definition's namespace
  // unless given (a sub-workflow inherits its parent's, subworkflows.cpp).
  // It comes before the env its _create_execution adds: Mistral's params
  // read {..., "namespace": "", "env": {}}.
  if (params.is_dict() && !params.find("namespace")) params = params.with("namespace", Value(def.namespace_));
  auto with_env = with_environment(params, catalog::Caller{origin.project_id, origin.caller_is_admin, {}, {}});
  if (!with_env) return with_env.error();
  params = std::move(with_env).value();
  if (spec->type == lang::WorkflowType::Reverse) {
    // The target task is a parameter; only what it requires runs.
    const Value* target = params.is_dict() ? params.find("task_name") : nullptr;
    std::string name = target && target->is_string() ? target->as_string() : "";
    if (!spec->task(name)) {
      // Mistral prints its spec object: the class and the spec's dict.
      return bad_input(fmt::format("Invalid task name [wf_spec=ReverseWorkflowSpec {}, task_name={}]: a reverse "
                                   "workflow runs the tasks that params.task_name requires; give an existing task",
                                   python_repr(def.spec), target ? python_str(*target) : "None"));
    }
  }

  // The input with every declared default (Mistral keeps declaration order).
  Dict input;
  for (const auto& p : spec->input) {
    if (const Value* given = checked_input.is_dict() ? checked_input.find(p.name) : nullptr) input.set(p.name, *given);
    else input.set(p.name, p.default_value.value_or(Value()));
  }
  WorkflowExecution wf_ex;
  wf_ex.name = def.name;
  // Stored '' when none, as Mistral's API stores it: `?description=` finds it.
  wf_ex.description = origin.description;
  wf_ex.workflow_name = def.name;
  wf_ex.workflow_namespace = def.namespace_;
  wf_ex.workflow_id = def.id;
  wf_ex.tags = def.tags;  // Mistral copies its definition's tags
  wf_ex.spec = def.spec;
  wf_ex.state = State::Running;
  wf_ex.input = Value(std::move(input));
  // Mistral always stores params.env (an empty dict without one: with_environment).
  wf_ex.params = params.is_dict() ? params : Value::dict({{"env", Value(Dict{})}});
  if (!origin.task_execution_id && options_.notify.is_list() && !options_.notify.as_list().empty()) {
    // Mistral's default_engine.start_workflow: the server's [notifier]
    // notify publishers join the execution's own (sub-workflows inherit
    // them with the parent's params.notify).
    List publishers;
    if (const Value* own = wf_ex.params.find("notify"); own && own->is_list()) publishers = own->as_list();
    for (const Value& p : options_.notify.as_list()) publishers.push_back(p);
    wf_ex.params = wf_ex.params.with("notify", Value(std::move(publishers)));
  }
  for (const auto& [field, value] : {std::pair<const char*, const Value*>{"input", &wf_ex.input}, {"params", &wf_ex.params}})
    if (auto too_large = field_size_error(field, *value, options_.execution_field_size_limit_kb))
      return bad_input(*too_large);
  wf_ex.output = Value(Dict{});
  // Mistral's wf_ex.context holds the vars (and later the global publishes);
  // the input is a layer of its own, so it is not in a default output.
  wf_ex.context = Value(Dict{});
  // With Keystone on, who started it (mistral/workflow/data_flow.py
  // add_openstack_data_to_context): $.openstack in expressions, and what
  // actions and sub-workflows act as.
  if (!origin.security.is_null()) wf_ex.context = Value::dict({{"openstack", origin.security}});
  WorkflowContext(wf_ex.runtime_context).reset(origin.index);
  wf_ex.project_id = origin.project_id;
  wf_ex.task_execution_id = origin.task_execution_id;
  wf_ex.root_execution_id = origin.root_execution_id;
  wf_ex.workflow_version = origin.workflow_version ? origin.workflow_version : latest_version_of(def);
  wf_ex.id = origin.id ? *origin.id : generate_row_id();
  if (!origin.id) tx_.generated_execution_id(wf_ex.id);
  // Mistral's add_execution_to_context: `$.__execution.id`, seen by the
  // vars and every expression of the execution.
  wf_ex.context = wf_ex.context.with("__execution", Value::dict({{"id", Value(wf_ex.id)}}));
  attach_trace(wf_ex, origin);
  if (!spec->vars.is_null()) {
    auto vars = expr_.evaluate(spec->vars, expression_data(wf_ex, Value(), nullptr), scope_of(wf_ex, nullptr, Value()));
    if (!vars) return bad_input("Failed to evaluate the workflow's vars: " + vars.error().message);
    wf_ex.context = merge_dicts(wf_ex.context, *vars);
  }
  // Mistral creates an execution IDLE and sets it RUNNING in the same
  // transaction, so its updated_at is set from the start (the start's
  // answer shows it).
  wf_ex.created_at = now_utc();
  wf_ex.updated_at = wf_ex.created_at;
  auto created = tx_.workflow_executions().create(wf_ex);
  if (!created) return created.error();
  wf_ex = std::move(created).value();
  // A new tree is this transaction's until it commits: the lock of its
  // first action result needs no statement (and forgets no rows).
  if (!wf_ex.root_execution_id) tx_.created_tree(wf_ex.id);
  // And so are its tasks: the completion checks read them from the
  // transaction (tasks_of), not the database.
  tx_.created_execution(wf_ex.id);
  specs_.put(wf_ex.id, spec);
  workflow_state_changed(wf_ex, std::nullopt);

  std::vector<const lang::TaskSpec*> starts;
  if (spec->type == lang::WorkflowType::Reverse) {
    for (const auto* t : reverse_needed(wf_ex, *spec))
      if (spec->requires_of(*t).empty()) starts.push_back(t);
  } else {
    starts = spec->start_tasks();
  }
  // Started in Mistral's dispatcher order (see command_order.h).
  std::vector<NextCommand> cmds;
  for (size_t k = 0; k < starts.size(); ++k) {
    bool join = !starts[k]->join.is_null();
    cmds.push_back({starts[k]->name, false, join, join ? join_key(wf_ex, starts[k]->name) : "", k});
  }
  std::vector<const lang::TaskSpec*> ordered;
  for (const auto& c : mistral_command_order(std::move(cmds))) ordered.push_back(starts[c.source]);
  // A start task's inbound context is empty, as Mistral's
  // evaluate_upstream_context of no upstream task: the workflow's context
  // (vars, the starter's security data) is seen through expression_data,
  // and so never reaches an output made of the end tasks' contexts.
  {
    CompletionHeld held(*this, wf_ex.id);
    for (const lang::TaskSpec* t : ordered) {
      run_task(wf_ex, *spec, *t, Value(Dict{}), "");
      if (!going_on(wf_ex)) break;
    }
  }
  check_completion(wf_ex);
  return wf_ex;
}

Result<WorkflowExecution> Step::find_execution(const std::string& id, const catalog::Caller& caller) {
  if (auto ex = tx_.workflow_executions().find_one({{"id", FilterOp::Eq, {id}}}, caller.lookup())) return std::move(*ex);
  return not_found(fmt::format("WorkflowExecution not found [id={}]", id));
}

// Mistral's WorkflowException for a transition its state machine refuses
// (engine/workflows.py set_state), answered 400.
Error Step::refused_transition(const WorkflowExecution& wf_ex, State to) const {
  return bad_input(fmt::format("Can't change workflow execution state from {} to {}. [workflow={}, execution_id={}]",
                               state_name(wf_ex.state), state_name(to), wf_ex.name, wf_ex.id));
}

Result<WorkflowExecution> Step::pause_workflow(const std::string& id, const catalog::Caller& caller) {
  auto wf_ex = find_execution(id, caller);
  if (!wf_ex || wf_ex->state == State::Paused) return wf_ex;
  // Mistral's Workflow.pause: an ended execution cannot be paused (400).
  if (wf_ex->state != State::Running) return refused_transition(*wf_ex, State::Paused);
  pause_execution(*wf_ex);
  pause_parent_of(*wf_ex);
  return tx_.workflow_executions().get(wf_ex->id, ProjectScope::internal());
}

void Step::pause_execution(WorkflowExecution& wf_ex, const std::optional<std::string>& state_info) {
  if (wf_ex.state != State::Running) return;
  // Sub-workflows first, each one's workflow task PAUSED with it.
  pause_subworkflows_of(wf_ex, state_info);
  wf_ex.state = State::Paused;
  wf_ex.state_info = state_info;
  wf_ex = tx_.workflow_executions().update(wf_ex).value();
  settled_.push_back(wf_ex.id);
  workflow_state_changed(wf_ex, State::Running);
}

void Step::pause_subworkflows_of(const WorkflowExecution& wf_ex, const std::optional<std::string>& state_info) {
  auto running = tx_.task_executions()
                     .list({ProjectScope::internal(),
                            {{"workflow_execution_id", FilterOp::Eq, {wf_ex.id}}, {"state", FilterOp::Eq, {"RUNNING"}}},
                            {{"created_at", false}}})
                     .value();
  for (auto& t : running) {
    // A sub-workflow paused on its own already (its pause reached here
    // through pause_parent_of) still makes its task PAUSED.
    auto subs = tx_.workflow_executions()
                    .list({ProjectScope::internal(),
                           {{"task_execution_id", FilterOp::Eq, {t.id}}, {"state", FilterOp::In, {"RUNNING", "PAUSED"}}},
                           {{"created_at", false}}})
                    .value();
    if (subs.empty()) continue;
    for (auto& sub : subs) pause_execution(sub, state_info);  // a paused one is left as it is
    set_task_state(t, State::Paused);
    t = tx_.task_executions().update(t).value();
    task_state_changed(wf_ex, t, State::Running);
  }
}

void Step::pause_parent_of(const WorkflowExecution& sub) {
  if (!sub.task_execution_id) return;
  auto task = tx_.task_executions().find(*sub.task_execution_id, ProjectScope::internal());
  if (!task || task->state != State::Running) return;
  auto parent = tx_.workflow_executions().find(task->workflow_execution_id, ProjectScope::internal());
  if (!parent) return;
  if (parent->state != State::Running && parent->state != State::Paused) {
    // Mistral's _on_action_update pauses the parent (pause_workflow), which
    // an ended execution refuses; its handler fails the task with that.
    WorkflowExecution p = *parent;
    fail_task_and_workflow(p, *task,
                           fmt::format("Failed to handle action update [error={}, wf={}, task={}, action={}]:",
                                       refused_transition(p, State::Paused).message, p.name, task->name, sub.name));
    return;
  }
  if (parent->state == State::Running) {
    // pause_workflow(parent): its other sub-workflows, this task, then it.
    WorkflowExecution p = *parent;
    pause_execution(p);
    pause_parent_of(p);
    return;
  }
  set_task_state(*task, State::Paused);
  *task = tx_.task_executions().update(*task).value();
  task_state_changed(*parent, *task, State::Running);
}

void Step::resume_subworkflows(WorkflowExecution& wf_ex) {
  auto paused = tx_.task_executions()
                    .list({ProjectScope::internal(),
                           {{"workflow_execution_id", FilterOp::Eq, {wf_ex.id}}, {"state", FilterOp::Eq, {"PAUSED"}}},
                           {{"created_at", false}}})
                    .value();
  for (auto& t : paused) {
    set_task_state(t, State::Running);
    t = tx_.task_executions().update(t).value();
    task_state_changed(wf_ex, t, State::Paused);
    auto subs = tx_.workflow_executions()
                    .list({ProjectScope::internal(),
                           {{"task_execution_id", FilterOp::Eq, {t.id}}, {"state", FilterOp::Eq, {"PAUSED"}}},
                           {{"created_at", false}}})
                    .value();
    for (auto& sub : subs) (void)resume_workflow(sub.id, Value(), catalog::Caller::owner_of(sub));
  }
}

void Step::resume_parent_of(const WorkflowExecution& sub) {
  if (!sub.task_execution_id) return;
  auto task = tx_.task_executions().find(*sub.task_execution_id, ProjectScope::internal());
  if (!task || task->state != State::Paused) return;
  auto parent = tx_.workflow_executions().find(task->workflow_execution_id, ProjectScope::internal());
  if (!parent) return;
  set_task_state(*task, State::Running);
  *task = tx_.task_executions().update(*task).value();
  task_state_changed(*parent, *task, State::Paused);
  // The parent goes on when none of its tasks is still paused.
  bool other_paused = tx_.task_executions()
                          .any({{"workflow_execution_id", FilterOp::Eq, {parent->id}}, {"state", FilterOp::Eq, {"PAUSED"}}},
                               ProjectScope::internal())
                          .value();
  if (parent->state == State::Paused && !other_paused)
    (void)resume_workflow(parent->id, Value(), catalog::Caller::owner_of(*parent));
}

Result<WorkflowExecution> Step::resume_workflow(const std::string& id, const Value& env,
                                                const catalog::Caller& caller) {
  auto found = find_execution(id, caller);
  if (!found || found->state != State::Paused) return found;
  WorkflowExecution wf_ex = std::move(found).value();
  wf_ex.state = State::Running;
  wf_ex.state_info.reset();
  merge_env(wf_ex, env);
  wf_ex = tx_.workflow_executions().update(wf_ex).value();
  environment_changed(wf_ex);
  workflow_state_changed(wf_ex, State::Paused);
  // The sub-workflows the pause cascaded to, and their workflow tasks; a
  // sub-workflow resumed on its own lets its parent go on.
  resume_subworkflows(wf_ex);
  resume_parent_of(wf_ex);
  if (wf_ex.state != State::Running) return tx_.workflow_executions().get(wf_ex.id, ProjectScope::internal());
  auto spec = spec_of(wf_ex);
  // Mistral's dispatch_workflow_commands: the backlog first (the commands
  // a pause held: tasks, and `fail`/`succeed` with their msg), then what
  // the controller finds now.
  if (WorkflowContextView(wf_ex.runtime_context).has_backlog()) {
    auto items = WorkflowContextView(wf_ex.runtime_context).backlog();
    WorkflowContext(wf_ex.runtime_context).set_backlog({});
    wf_ex = tx_.workflow_executions().update(wf_ex).value();
    // In the dispatcher's order (_process_commands rearranges the backlog
    // as any commands): a `pause` among them pauses again, the commands
    // after it back in the backlog.
    std::vector<NextCommand> cmds;
    for (size_t k = 0; k < items.size(); ++k) {
      const std::string& next = items[k].next;
      bool command = lang::is_engine_command(next);
      const lang::TaskSpec* target = command ? nullptr : spec->task(next);
      bool join = target && !target->join.is_null();
      cmds.push_back({next, command, join, join ? join_key(wf_ex, next) : std::string(), k});
    }
    cmds = mistral_command_order(std::move(cmds));
    for (size_t i = 0; i < cmds.size(); ++i) {
      const HeldCommand& held_command = items[cmds[i].source];
      const std::string& next = held_command.next;
      if (wf_ex.state == State::Paused && !rolling_back(wf_ex)) {
        // A task held by pause-before paused it again: the rest wait in
        // the backlog, as _process_commands saves them.
        auto backlog = WorkflowContextView(wf_ex.runtime_context).backlog();
        for (size_t r = i; r < cmds.size(); ++r) backlog.push_back(items[cmds[r].source]);
        WorkflowContext(wf_ex.runtime_context).set_backlog(backlog);
        wf_ex = tx_.workflow_executions().update(wf_ex).value();
        break;
      }
      if (!going_on(wf_ex)) break;
      auto from = tx_.task_executions().find(held_command.task_execution_id, ProjectScope::internal());
      if (!from) continue;
      if (next == "pause") {
        std::vector<HeldCommand> rest;
        for (size_t r = i + 1; r < cmds.size(); ++r) rest.push_back(items[cmds[r].source]);
        pause_by_command(wf_ex, command_message(held_command.msg).state_info, rest);
        return tx_.workflow_executions().get(wf_ex.id, ProjectScope::internal());
      }
      if (next == "fail") {
        auto m = command_message(held_command.msg);
        finish_workflow(wf_ex, State::Error, m.state_info, &m.result);
        continue;
      }
      if (next == "succeed") {
        (void)succeed_workflow(wf_ex, command_message(held_command.msg).state_info);
        continue;
      }
      const lang::TaskSpec* target = spec->task(next);
      if (!target) continue;
      Value outbound = merge_dicts(from->in_context, from->published);
      run_task(wf_ex, *spec, *target, outbound, from->id, next_event(*from, next));
    }
  }
  // What completed while paused now goes on, in completion order.
  auto held = tx_.task_executions()
                  .list({ProjectScope::internal(),
                         {{"workflow_execution_id", FilterOp::Eq, {wf_ex.id}},
                          {"processed", FilterOp::Eq, {"false"}},
                          {"state", FilterOp::In, {"SUCCESS", "ERROR", "SKIPPED"}}},
                         {{"finished_at", false}}})
                  .value();
  // Mistral's _continue_workflow drops their `pause` commands: a task that
  // completed while the execution was paused does not pause it again.
  resuming_held_tasks_ = true;
  for (auto& t : held) {
    if (!going_on(wf_ex)) break;
    schedule_next(wf_ex, *spec, t);
  }
  resuming_held_tasks_ = false;
  // Tasks held by pause-before start now.
  auto idle = tx_.task_executions()
                  .list({ProjectScope::internal(),
                         {{"workflow_execution_id", FilterOp::Eq, {wf_ex.id}}, {"state", FilterOp::Eq, {"IDLE"}}},
                         {{"created_at", false}}})
                  .value();
  for (auto& t : idle) {
    if (!going_on(wf_ex)) break;
    const lang::TaskSpec* task = spec->task(t.name);
    if (!task) continue;
    set_task_state(t, State::Running);
    t.state_info.reset();
    t = tx_.task_executions().update(t).value();
    task_state_changed(wf_ex, t, State::Idle, Tell::no_trace);  // no trace line, as before the seam
    start_action(wf_ex, t, *task);
  }
  check_completion(wf_ex);
  return tx_.workflow_executions().get(wf_ex.id, ProjectScope::internal());
}

Result<WorkflowExecution> Step::stop_workflow(const std::string& id, const std::string& requested,
                                              const std::optional<std::string>& message,
                                              const catalog::Caller& caller) {
  auto found = find_execution(id, caller);
  if (!found) return found;
  // The state as the request wrote it: only the final ones stop.
  std::optional<State> parsed = parse_state(requested);
  if (!parsed || (*parsed != State::Success && *parsed != State::Error && *parsed != State::Cancelled)) {
    // Mistral's words, its missing closing quote included.
    return bad_input(fmt::format("Cannot change state to {}. Allowed states are: 'RUNNING, PAUSED, SUCCESS, ERROR, "
                                 "CANCELLED",
                                 requested));
  }
  const State state = *parsed;
  WorkflowExecution wf_ex = std::move(found).value();
  // Mistral's Workflow.stop: SUCCESS needs a RUNNING execution (anything
  // else but SUCCESS itself is an invalid transition, 400); ERROR leaves a
  // paused or ended execution as it is; CANCELLED an ended one.
  if (state == State::Success && wf_ex.state != State::Running && wf_ex.state != State::Success)
    return refused_transition(wf_ex, state);
  if (state == State::Success && wf_ex.state == State::Success) {
    // Mistral's _succeed_workflow has no check of its own: a succeeded
    // execution succeeds again, with the state_info given (none: null) and
    // its event (SUCCESS -> SUCCESS); its output stays what it was.
    wf_ex.state_info = message;
    wf_ex = tx_.workflow_executions().update(wf_ex).value();
    workflow_event(wf_ex, State::Success);
    return wf_ex;
  }
  if (state == State::Error && wf_ex.state != State::Running) return wf_ex;
  if (wf_ex.state != State::Running && wf_ex.state != State::Paused) return wf_ex;
  if (state == State::Cancelled) {
    // Sub-executions still running are cancelled with the workflow; its
    // own running tasks are left as Mistral leaves them (cancellation.cpp).
    cancel_execution(wf_ex, message);
    // A sub-execution rolling back for its parent's rollback: the parent's
    // compensation waiting for it is cancelled, which stops that rollback.
    report_rollback(wf_ex);
    // A sub-execution cancelled on its own: Mistral's
    // _send_result_to_parent_workflow (Result(cancel=True)) cancels the
    // workflow task waiting for it, and the parent, once nothing else
    // runs, ends CANCELLED "Cancelled tasks: ..." (check_completion).
    report_to_parent(wf_ex);
    return wf_ex;
  }
  finish_workflow(wf_ex, state, message);
  return tx_.workflow_executions().get(wf_ex.id, ProjectScope::internal());
}

std::vector<TaskExecution> Step::tasks_of(const WorkflowExecution& wf_ex, std::vector<storage::Filter> where,
                                         const std::function<bool(const TaskExecution&)>& which) {
  if (!tx_.holds_all_tasks_of(wf_ex.id)) {
    where.insert(where.begin(), {"workflow_execution_id", FilterOp::Eq, {wf_ex.id}});
    return tx_.task_executions().list({ProjectScope::internal(), std::move(where), {{"created_at", false}}}).value();
  }
  // An execution this transaction created has all its tasks here: no
  // statement (a round trip on a database server, and a read would write
  // back every row held so far).
  auto out = tx_.task_executions().remembered_where(
      [&](const TaskExecution& t) { return t.workflow_execution_id == wf_ex.id && which(t); });
  // Oldest first, as the database's ORDER BY created_at gives them (ties:
  // by id, where the database's order is its own).
  std::sort(out.begin(), out.end(), [](const TaskExecution& a, const TaskExecution& b) {
    return a.created_at != b.created_at ? a.created_at < b.created_at : a.id < b.id;
  });
  return out;
}

void Step::check_completion(WorkflowExecution& wf_ex) {
  if (wf_ex.state != State::Running || completion_held_.count(wf_ex.id)) return;
  // A join found satisfied starts once the batch ran: it is not one that
  // never can be, and the workflow goes on (a failed join below can
  // satisfy another).
  auto join_starting = [&] {
    return std::any_of(satisfied_joins_.begin(), satisfied_joins_.end(),
                       [&](const auto& j) { return j.first == wf_ex.id; });
  };
  if (join_starting()) return;
  // Mistral's check_and_complete runs after the transaction, in its own.
  ScopedTransaction own(*this);
  if (rolling_back(wf_ex)) return rollback_progress(wf_ex);
  const std::vector<std::string> active = {"RUNNING", "IDLE", "DELAYED", "PAUSED"};
  std::vector<TaskExecution> decided;
  // Bounded: each round completes at least one waiting join, or stops.
  for (int round = 0; round < 10000; ++round) {
    // Stops at the first busy task: a count would visit all of them at
    // every completion (O(n^2) over a 500-task fan-out). A busy task this
    // transaction holds answers without a statement (the next task of a
    // chain, just created): on a database server that read was a round
    // trip per completion, and it would write back the rows held so far.
    bool busy = tx_.task_executions().any_remembered([&](const storage::TaskExecution& t) {
      return t.workflow_execution_id == wf_ex.id &&
             std::find(active.begin(), active.end(), state_name(t.state)) != active.end();
    });
    // An execution this transaction created has all its tasks here: the
    // answers need no statement (three round trips per execution on a
    // database server, when the whole execution runs in the transaction
    // that started it; tasks_of below too).
    if (!busy && !tx_.holds_all_tasks_of(wf_ex.id)) {
      busy = tx_.task_executions()
                 .any({{"workflow_execution_id", FilterOp::Eq, {wf_ex.id}}, {"state", FilterOp::In, active}},
                      ProjectScope::internal())
                 .value();
    }
    if (busy) return;
    // One read for all that decides the end (on a database server each
    // read is a round trip): joins still waiting, cancelled and failed
    // tasks. Joins still waiting when nothing else runs can never be
    // satisfied: the first fails, and the next round reads again.
    decided = tasks_of(wf_ex, {{"state", FilterOp::In, {"WAITING", "CANCELLED", "ERROR"}}}, [](const TaskExecution& t) {
      return t.state == State::Waiting || t.state == State::Cancelled || t.state == State::Error;
    });
    auto waiting = std::find_if(decided.begin(), decided.end(),
                                [](const TaskExecution& t) { return t.state == State::Waiting && !retrying_join(t); });
    if (waiting == decided.end()) {
      // A join its retry policy evaluates again (a timer) is not decided
      // yet: the workflow runs until that refresh.
      if (std::any_of(decided.begin(), decided.end(), retrying_join)) return;
      break;
    }
    fail_unsatisfiable_join(wf_ex, *waiting);
    if (wf_ex.state != State::Running || join_starting()) return;
  }
  auto by_name = [](const TaskExecution& a, const TaskExecution& b) {
    return a.name != b.name ? a.name < b.name : a.id < b.id;
  };
  // Mistral's check_and_complete: a cancelled task (an action or a
  // sub-workflow cancelled from outside) cancels the workflow, before any
  // error counts; its message names them (_build_cancel_info_message).
  std::vector<TaskExecution> cancelled, failed;
  for (auto& t : decided) {
    if (t.state == State::Cancelled) cancelled.push_back(std::move(t));
    else if (t.state == State::Error && !t.error_handled) failed.push_back(std::move(t));
  }
  std::sort(cancelled.begin(), cancelled.end(), by_name);
  std::sort(failed.begin(), failed.end(), by_name);
  if (!cancelled.empty()) {
    std::string names;
    for (const auto& t : cancelled) names += (names.empty() ? "" : ", ") + t.name;
    finish_workflow(wf_ex, State::Cancelled, "Cancelled tasks: " + names);
    return;
  }
  if (failed.empty()) {
    finish_workflow(wf_ex, State::Success, std::nullopt);
    return;
  }
  // Mistral's _build_fail_info_message: the failed tasks, except those a
  // direct workflow gave an on-error clause (is_error_handled_for), even
  // when no condition of it held and the error went unhandled.
  {
    auto spec = spec_of(wf_ex);
    if (spec->type == lang::WorkflowType::Direct) {
      std::erase_if(failed, [&](const TaskExecution& t) {
        const lang::TaskSpec* task = spec->task(t.name);
        return task && !spec->on_error_of(*task).empty();
      });
    }
  }
  std::string names;
  for (const auto& t : failed) names += (names.empty() ? "" : ", ") + t.name;
  std::string msg = "Failure caused by error in tasks: " + names + "\n";
  for (const auto& t : failed) {
    msg += fmt::format("\n  {} [task_ex_id={}] -> {}\n", t.name, t.id, t.state_info.value_or("None"));
    auto actions =
        tx_.action_executions()
            .list({ProjectScope::internal(), {{"task_execution_id", FilterOp::Eq, {t.id}}}, {{"created_at", false}}})
            .value();
    for (size_t i = 0; i < actions.size(); ++i) {
      if (actions[i].state != State::Error) continue;
      const Value* r = actions[i].output.is_dict() ? actions[i].output.find("result") : nullptr;
      msg += fmt::format("    [action_ex_id={}, idx={}]: {}\n", actions[i].id, i, r ? python_str(*r) : "Unknown");
    }
    auto subs =
        tx_.workflow_executions()
            .list({ProjectScope::internal(), {{"task_execution_id", FilterOp::Eq, {t.id}}}, {{"created_at", false}}})
            .value();
    for (size_t i = 0; i < subs.size(); ++i) {
      if (subs[i].state != State::Error) continue;
      const Value* r = subs[i].output.is_dict() ? subs[i].output.find("result") : nullptr;
      msg += fmt::format("    [wf_ex_id={}, idx={}]: {}\n", subs[i].id, i, r ? python_str(*r) : "Unknown");
    }
  }
  // Bora's rollback-on-error: the failure is undone first (rollback.cpp).
  if (spec_of(wf_ex)->rollback_on_error) return begin_rollback(wf_ex, msg);
  finish_workflow(wf_ex, State::Error, msg);
}

void Step::finish_workflow(WorkflowExecution& wf_ex, State state, const std::optional<std::string>& state_info,
                           const Value* result) {
  // Never an error: a failing output fails the workflow here.
  (void)end_workflow(wf_ex, state, state_info, OutputFailure::fails_workflow, result);
}

Result<void> Step::succeed_workflow(WorkflowExecution& wf_ex, const std::optional<std::string>& state_info) {
  return end_workflow(wf_ex, State::Success, state_info, OutputFailure::returned);
}

Result<void> Step::end_workflow(WorkflowExecution& wf_ex, State state, const std::optional<std::string>& state_info,
                                OutputFailure on_output_failure, const Value* result) {
  const Value result_message = result ? *result : state_info ? Value(*state_info) : Value();
  if (wf_ex.state != State::Running && wf_ex.state != State::Paused) return {};
  auto spec = spec_of(wf_ex);
  // The final context: the outbound contexts of the end tasks, Mistral's
  // completed tasks with no next task (direct_workflow.py
  // evaluate_workflow_final_context), a task that failed to run included.
  Value final_ctx = Value(Dict{});
  auto ends = tasks_of(wf_ex,
                       {{"has_next_tasks", FilterOp::Eq, {"false"}},
                        {"state", FilterOp::In, {"SUCCESS", "ERROR", "CANCELLED", "SKIPPED"}}},
                       [](const TaskExecution& t) {
                         return !t.has_next_tasks &&
                                (t.state == State::Success || t.state == State::Error ||
                                 t.state == State::Cancelled || t.state == State::Skipped);
                       });
  if (spec->type == lang::WorkflowType::Reverse) {
    // A reverse workflow's final context is its target task's outbound
    // context alone, {} when the target never ran (reverse_workflow.py
    // evaluate_workflow_final_context): a requirement that failed adds
    // nothing to the error's output.
    const Value* target = wf_ex.params.is_dict() ? wf_ex.params.find("task_name") : nullptr;
    if (target && target->is_string()) {
      const std::string& name = target->as_string();
      auto ran = tasks_of(wf_ex, {{"name", FilterOp::Eq, {name}}}, [&](const TaskExecution& t) { return t.name == name; });
      if (!ran.empty()) final_ctx = merge_dicts(ran.front().in_context, ran.front().published);
    }
  } else {
    for (const auto& t : ends) final_ctx = merge_dicts(final_ctx, merge_dicts(t.in_context, t.published));
  }
  // The security context holds the starter's token: never part of an
  // output. Start tasks no longer inherit it (their inbound context is
  // empty), but tasks stored by earlier versions of Bora did. Only the one
  // auth stored: with auth off, a variable of that name is the user's own.
  const Value* stored = wf_ex.context.is_dict() ? wf_ex.context.find("openstack") : nullptr;
  if (stored && final_ctx.is_dict() && final_ctx.find("openstack") && *final_ctx.find("openstack") == *stored) {
    Dict cut = final_ctx.as_dict();
    cut.erase("openstack");
    final_ctx = Value(std::move(cut));
  }
  Value data = expression_data(wf_ex, final_ctx, nullptr);
  State state_before = wf_ex.state;
  std::optional<std::string> state_info_before = wf_ex.state_info;
  wf_ex.state = state;
  wf_ex.state_info = state_info;
  wf_ex.accepted = true;  // a sub-workflow's output now counts as its task's result
  if (state == State::Success) {
    Value output = final_ctx;
    if (spec->output.is_dict() && spec->output.size() > 0) {
      auto evaluated = expr_.evaluate(spec->output, data, scope_of(wf_ex, nullptr, Value()));
      if (!evaluated && on_output_failure == OutputFailure::returned) {
        wf_ex.state = State::Running;
        wf_ex.state_info.reset();
        return evaluated.error();
      }
      if (!evaluated) {
        // Mistral fails the workflow the usual way: {'result': msg} merged
        // with output-on-error or, without one, the final context.
        wf_ex.state = state_before;
        wf_ex.state_info = state_info_before;
        wf_ex.accepted = false;
        std::string msg = fmt::format("Failed to check and complete [wf_ex_id={}, wf_name={}]: {}", wf_ex.id,
                                      wf_ex.name, evaluated.error().message);
        finish_workflow(wf_ex, State::Error, msg);
        return {};
      } else if (evaluated->is_dict() && evaluated->size() > 0) {
        output = *evaluated;
      }
    }
    if (auto too_large = field_size_error("output", output, options_.execution_field_size_limit_kb)) {
      // Not stored: the workflow fails with Mistral's message instead.
      if (on_output_failure == OutputFailure::returned) {
        wf_ex.state = State::Running;
        wf_ex.state_info.reset();
        return bad_input(*too_large);
      }
      wf_ex.state = state_before;
      wf_ex.state_info = state_info_before;
      wf_ex.accepted = false;
      finish_workflow(wf_ex, State::Error, *too_large);
      return {};
    }
    wf_ex.output = output;
  } else {
    // Mistral's _fail_workflow: {'result': msg} merged with output-on-error
    // or, when that is not given (or empty), with the final context. A
    // cancelled workflow has only the message.
    Value output = Value::dict({{"result", result_message}});
    if (state == State::Error) {
      Value on_error = final_ctx;
      if (spec->output_on_error.is_dict() && spec->output_on_error.size() > 0) {
        auto evaluated = expr_.evaluate(spec->output_on_error, data, scope_of(wf_ex, nullptr, Value()));
        if (evaluated) {
          if (evaluated->is_dict() && evaluated->size() > 0) on_error = *evaluated;
        } else {
          wf_ex.state_info = fmt::format(
              "Failed to evaluate expression in output-on-error! (output-on-error: '{}', exception: '{}' Cause: '{}'",
              python_str(spec->output_on_error), evaluated.error().message, state_info.value_or("None"));
          output = Value::dict({{"result", Value(*wf_ex.state_info)}});
          on_error = Value(Dict{});
        }
      }
      output = merge_dicts(output, on_error);
      // A final context too large to store leaves the message alone.
      if (field_size_error("output", output, options_.execution_field_size_limit_kb))
        output = Value::dict({{"result", result_message}});
    }
    wf_ex.output = output;
  }
  wf_ex = tx_.workflow_executions().update(wf_ex).value();
  workflow_state_changed(wf_ex, state_before);
  settled_.push_back(wf_ex.id);
  specs_.erase(wf_ex.id);  // completed: a late result or a rerun parses it again
  report_to_parent(wf_ex);
  return {};
}

void Step::report_to_parent(const WorkflowExecution& sub) {
  // The result reaches the parent in a transaction of its own (Mistral's
  // _send_result_to_parent_workflow: an RPC after the transaction).
  ScopedTransaction own(*this);
  // A sub-workflow's end completes the task that started it: its output is
  // the task's result, its failure the task's failure.
  if (!sub.task_execution_id) return;
  if (starting_subworkflows_ > 0) {
    ended_while_starting_.push_back(sub.id);
    return;
  }
  auto t = tx_.task_executions().find(*sub.task_execution_id, ProjectScope::internal());
  if (!t || (t->state != State::Running && t->state != State::Delayed)) return;
  auto parent = tx_.workflow_executions().find(t->workflow_execution_id, ProjectScope::internal());
  if (!parent) return;
  if (TaskContextView(t->runtime_context).has_with_items()) {
    // A cancelled item ends the task CANCELLED at once (Mistral's
    // is_with_items_completed), as a cancelled action does.
    if (sub.state == State::Cancelled)
      return complete_task(*parent, *t, State::Cancelled, "One or more actions was cancelled.", Value());
    with_items_progress(*parent, *t, sub.state != State::Success);
    return;
  }
  // A retry (Mistral's RetryPolicy applies to workflow tasks too) takes
  // the result first.
  if (sub.state != State::Cancelled && policies_take_result(*parent, *t, sub.state != State::Success, sub.output,
                                                          sub.state == State::Success ? std::nullopt : sub.state_info))
    return;
  if (sub.state == State::Success) complete_task(*parent, *t, State::Success, std::nullopt, sub.output);
  else complete_task(*parent, *t, sub.state == State::Cancelled ? State::Cancelled : State::Error, sub.state_info, sub.output);
}

void Step::report_ended_subworkflows() {
  // A report may start other sub-workflows that end at once: taken in turn.
  while (!ended_while_starting_.empty()) {
    std::string id = std::move(ended_while_starting_.front());
    ended_while_starting_.erase(ended_while_starting_.begin());
    if (auto sub = tx_.workflow_executions().find(id, ProjectScope::internal())) report_to_parent(*sub);
  }
}

}  // namespace bora::engine
