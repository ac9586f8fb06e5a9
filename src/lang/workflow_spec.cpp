// lang/workflow_spec: a workflow (mistral/lang/v2/workflows.py): its
// attributes, task-defaults, tasks, and the checks across tasks: transitions
// and requires naming existing tasks, start tasks, joins, requires cycles.
#include <functional>
#include <map>
#include <set>

#include "spec_parsers.h"

namespace bora::lang {

const char* to_string(WorkflowType t) noexcept { return t == WorkflowType::Reverse ? "reverse" : "direct"; }

bool is_engine_command(std::string_view name) noexcept {
  return name == "noop" || name == "fail" || name == "succeed" || name == "pause";
}

const TaskSpec* WorkflowSpec::task(std::string_view name) const noexcept {
  for (const auto& t : tasks)
    if (t.name == name) return &t;
  return nullptr;
}

static std::vector<Transition> clause_of(const WorkflowSpec& wf, const TaskSpec& t,
                                         std::optional<OnClauseSpec> TaskSpec::*own,
                                         std::optional<OnClauseSpec> TaskDefaultsSpec::*dflt) {
  const auto& mine = t.*own;
  if (mine && !mine->next.empty()) return mine->next;
  std::vector<Transition> out;
  if (wf.task_defaults && (*wf.task_defaults).*dflt) {
    for (const auto& tr : ((*wf.task_defaults).*dflt)->next)
      if (tr.task != t.name) out.push_back(tr);
  }
  return out;
}

std::vector<Transition> WorkflowSpec::on_success_of(const TaskSpec& t) const {
  return clause_of(*this, t, &TaskSpec::on_success, &TaskDefaultsSpec::on_success);
}
std::vector<Transition> WorkflowSpec::on_error_of(const TaskSpec& t) const {
  return clause_of(*this, t, &TaskSpec::on_error, &TaskDefaultsSpec::on_error);
}
std::vector<Transition> WorkflowSpec::on_complete_of(const TaskSpec& t) const {
  return clause_of(*this, t, &TaskSpec::on_complete, &TaskDefaultsSpec::on_complete);
}

namespace {

std::map<std::string, std::vector<std::string>> compute_inbound(const WorkflowSpec& wf) {
  std::map<std::string, std::vector<std::string>> inbound;
  for (const auto& t : wf.tasks) {
    std::set<std::string> targets;
    for (auto f : {&WorkflowSpec::on_success_of, &WorkflowSpec::on_error_of, &WorkflowSpec::on_complete_of})
      for (const auto& tr : (wf.*f)(t)) targets.insert(tr.task);
    if (t.on_skip)
      for (const auto& tr : t.on_skip->next) targets.insert(tr.task);
    for (const auto& target : targets) inbound[target].push_back(t.name);
  }
  return inbound;
}

}  // namespace

const std::vector<std::string>& WorkflowSpec::inbound_of(const std::string& name) const {
  static const std::vector<std::string> none;
  auto it = inbound.find(name);
  return it == inbound.end() ? none : it->second;
}

std::vector<const TaskSpec*> WorkflowSpec::start_tasks() const {
  std::vector<const TaskSpec*> out;
  for (const auto& t : tasks)
    if (inbound_of(t.name).empty()) out.push_back(&t);
  return out;
}

std::vector<std::string> WorkflowSpec::requires_of(const TaskSpec& t) const {
  std::vector<std::string> out;
  auto add = [&](const std::string& r) {
    if (r == t.name) return;
    for (const auto& x : out)
      if (x == r) return;
    out.push_back(r);
  };
  for (const auto& r : t.requires_) add(r);
  if (task_defaults)
    for (const auto& r : task_defaults->requires_) add(r);
  return out;
}

namespace detail {

namespace {

bool uuid_like(std::string_view s) {
  // oslo's is_uuid_like: 32 hex digits, with or without the four dashes.
  std::string hex;
  for (char ch : s)
    if (ch != '-') hex += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (hex.size() != 32) return false;
  for (char ch : hex)
    if (!std::isxdigit(static_cast<unsigned char>(ch))) return false;
  return s.size() == 32 || (s.size() == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-');
}

std::optional<TaskDefaultsSpec> parse_task_defaults(Checker& c, const Value& v, const std::string& path) {
  if (!c.nonempty_dict(v, path, "task-defaults")) return std::nullopt;
  c.allowed_keys(v, path,
                 {"retry", "wait-before", "wait-after", "timeout", "pause-before", "concurrency", "fail-on",
                  "on-complete", "on-success", "on-error", "safe-rerun", "requires"},
                 "'task-defaults'");
  TaskDefaultsSpec d;
  d.policies = parse_policies(c, v, path);
  if (const Value* x = v.find("safe-rerun"); x && c.expression_or_bool(*x, child_path(path, "safe-rerun"), "safe-rerun"))
    d.safe_rerun = *x;
  for (auto [key, field] : {std::pair{"on-success", &TaskDefaultsSpec::on_success},
                            std::pair{"on-error", &TaskDefaultsSpec::on_error},
                            std::pair{"on-complete", &TaskDefaultsSpec::on_complete}}) {
    if (const Value* x = v.find(key)) d.*field = parse_on_clause(c, *x, child_path(path, key), key);
  }
  if (const Value* r = v.find("requires")) d.requires_ = parse_requires(c, *r, child_path(path, "requires"));
  d.data = v;
  return d;
}

// Paths of each transition target, for problems that name one of them.
std::string transition_path(const std::string& clause_path, const Value& clause_value, size_t index,
                            const std::string& task) {
  const Value* next = &clause_value;
  std::string p = clause_path;
  if (clause_value.is_dict() && clause_value.find("next") && !is_expression(clause_value["next"])) {
    next = clause_value.find("next");
    p = child_path(p, "next");
  }
  if (next->is_list()) p = item_path(p, index);
  const Value& item = next->is_list() ? (*next)[index] : *next;
  if (item.is_dict() && item.as_dict().size() == 1) p = child_path(p, item.as_dict().at(0).first);
  (void)task;
  return p;
}

void check_direct(Checker& c, const WorkflowSpec& wf, const Value& tasks_v, const std::string& path,
                  const std::string& defaults_path, bool clean) {
  size_t before = c.count();
  auto check_clause = [&](const std::optional<OnClauseSpec>& clause, const std::string& clause_path,
                          const Value& clause_value, std::string_view attr) {
    if (!clause) return;
    for (size_t i = 0; i < clause->next.size(); ++i) {
      const auto& tr = clause->next[i];
      if (tr.engine_command() || wf.task(tr.task)) continue;
      std::vector<std::string_view> names;
      for (const auto& t : wf.tasks) names.push_back(t.name);
      std::string near = closest(tr.task, names);
      c.error(transition_path(clause_path, clause_value, i, tr.task),
              "'" + std::string(attr) + "' goes to task '" + tr.task + "', which is not defined in workflow '" +
                  wf.name + "'" + (near.empty() ? "" : "; did you mean '" + near + "'?") +
                  (near.empty() ? "; define the task or use an engine command (fail, succeed, pause, noop)" : ""),
              "Task '" + tr.task + "' not found.");
    }
  };
  for (const auto& t : wf.tasks) {
    std::string tp = child_path(path, t.name);
    const Value& tv = tasks_v[t.name];
    for (auto [key, field] : {std::pair{"on-success", &TaskSpec::on_success}, std::pair{"on-error", &TaskSpec::on_error},
                              std::pair{"on-complete", &TaskSpec::on_complete}, std::pair{"on-skip", &TaskSpec::on_skip}})
      check_clause(t.*field, child_path(tp, key), tv[key], key);
  }
  if (wf.task_defaults) {
    const Value& dv = wf.task_defaults->data;
    for (auto [key, field] : {std::pair{"on-success", &TaskDefaultsSpec::on_success},
                              std::pair{"on-error", &TaskDefaultsSpec::on_error},
                              std::pair{"on-complete", &TaskDefaultsSpec::on_complete}})
      check_clause((*wf.task_defaults).*field, child_path(defaults_path, key), dv[key], key);
  }
  if (clean && c.count() == before && wf.start_tasks().empty())
    c.error(path,
            "no start task in direct workflow '" + wf.name +
                "': every task is the target of a transition; at least one task must have no inbound transition",
            "Failed to find start tasks in direct workflow. There must be at least one task without inbound "
            "transition.[workflow_name=" + wf.name + "]");
  // join: enough inbound tasks (counting each inbound task once).
  for (const auto& t : wf.tasks) {
    if (t.join.is_null() || !t.join.truthy()) continue;
    size_t inbound = wf.inbound_of(t.name).size();
    std::string jp = child_path(child_path(path, t.name), "join");
    if (t.join.is_string() && t.join.as_string() == "all") {
      if (inbound == 0)
        c.error(jp,
                "task '" + t.name + "' has 'join: all' but no task transitions to it; add transitions to it or "
                "remove 'join'",
                "No inbound tasks for task with 'join: all' [task_name=" + t.name + "]");
      continue;
    }
    int64_t need = t.join.is_string() ? 1 : t.join.as_int();
    if (static_cast<int64_t>(inbound) < need)
      c.error(jp,
              "task '" + t.name + "' joins " + std::to_string(need) + " inbound tasks but only " +
                  std::to_string(inbound) + " transition to it; lower 'join' or add transitions",
              "Not enough inbound tasks for task with 'join' [task_name=" + t.name +
                  ", join=" + std::to_string(need) + ", inbound_tasks=" + std::to_string(inbound) + "]");
  }
}

void check_reverse(Checker& c, const WorkflowSpec& wf, const Value& tasks_v, const std::string& path,
                   const std::string& defaults_path) {
  size_t before = c.count();
  std::vector<std::string_view> names;
  for (const auto& t : wf.tasks) names.push_back(t.name);
  auto unknown = [&](const std::string& req, const std::string& p) {
    std::string near = closest(req, names);
    c.error(p, "requires task '" + req + "', which is not defined in workflow '" + wf.name + "'" +
                   (near.empty() ? "; define it or remove it from 'requires'" : "; did you mean '" + near + "'?"),
            "Task '" + req + "' not found.");
  };
  for (const auto& t : wf.tasks) {
    std::string rp = child_path(child_path(path, t.name), "requires");
    const Value& rv = tasks_v[t.name]["requires"];
    for (size_t i = 0; i < t.requires_.size(); ++i)
      if (!wf.task(t.requires_[i])) unknown(t.requires_[i], rv.is_list() ? item_path(rp, i) : rp);
  }
  if (wf.task_defaults) {
    std::string rp = child_path(defaults_path, "requires");
    for (size_t i = 0; i < wf.task_defaults->requires_.size(); ++i)
      if (!wf.task(wf.task_defaults->requires_[i]))
        unknown(wf.task_defaults->requires_[i], wf.task_defaults->data["requires"].is_list() ? item_path(rp, i) : rp);
  }
  if (c.count() != before) return;
  // Cycles: iterative DFS (no recursion on hostile input).
  std::map<std::string, int> state;  // 0 new, 1 on stack, 2 done
  for (const auto& start : wf.tasks) {
    if (state[start.name]) continue;
    std::vector<std::pair<const TaskSpec*, size_t>> stack{{&start, 0}};
    std::vector<std::string> chain{start.name};
    state[start.name] = 1;
    while (!stack.empty()) {
      auto& [t, i] = stack.back();
      auto reqs = wf.requires_of(*t);
      if (i >= reqs.size()) {
        state[t->name] = 2;
        stack.pop_back();
        chain.pop_back();
        continue;
      }
      const std::string& r = reqs[i++];
      if (state[r] == 1) {
        std::string cycle;
        bool on = false;
        for (const auto& n : chain) {
          if (n == r) on = true;
          if (on) cycle += n + " -> ";
        }
        cycle += r;
        c.key_error(child_path(path, r), "'requires' forms a cycle: " + cycle + "; a reverse workflow must be acyclic");
        return;
      }
      if (state[r] == 0) {
        state[r] = 1;
        chain.push_back(r);
        stack.push_back({wf.task(r), 0});
      }
    }
  }
}

// Bora's rollback (docs/LANGUAGE.md "Rollback"): `rollback` is an engine
// command unless a task has that name (a Mistral workflow may); a
// compensation obeys its task's retry and timeout, task-defaults applied,
// and no other policy (pausing or waiting before an undo is not asked for).
void finish_rollback_specs(WorkflowSpec& wf) {
  bool command = !wf.task(kRollbackCommand);
  auto mark = [&](std::optional<OnClauseSpec>& clause) {
    if (!clause) return;
    for (auto& tr : clause->next) tr.rollback = command && tr.task == kRollbackCommand;
  };
  for (auto& t : wf.tasks) {
    for (auto f : {&TaskSpec::on_success, &TaskSpec::on_error, &TaskSpec::on_complete, &TaskSpec::on_skip}) mark(t.*f);
    if (!t.compensation) continue;
    wf.has_compensations = true;
    PoliciesSpec merged = wf.task_defaults ? merge_policies(t.policies, wf.task_defaults->policies) : t.policies;
    auto comp = std::make_shared<TaskSpec>(*t.compensation);
    comp->policies = PoliciesSpec{};
    comp->policies.retry = merged.retry;
    comp->policies.timeout = merged.timeout;
    if (comp->safe_rerun.is_null() && wf.task_defaults) comp->safe_rerun = wf.task_defaults->safe_rerun;
    t.compensation = std::move(comp);
  }
  if (wf.task_defaults)
    for (auto f : {&TaskDefaultsSpec::on_success, &TaskDefaultsSpec::on_error, &TaskDefaultsSpec::on_complete})
      mark((*wf.task_defaults).*f);
}

}  // namespace

std::shared_ptr<WorkflowSpec> parse_workflow(Checker& c, const std::string& name, const Value& v,
                                             const std::string& path) {
  if (!v.is_dict()) {
    c.error(path, "workflow '" + name + "' must be a mapping with at least 'tasks', got " + show(v));
    return nullptr;
  }
  size_t before = c.count();
  auto wf = std::make_shared<WorkflowSpec>();
  wf->name = name;
  if (name.empty()) c.key_error(path, "workflow name must not be empty");
  check_definition_name(c, name, path);
  if (uuid_like(name))
    c.key_error(path,
                "workflow name '" + name + "' looks like a UUID, which would be confused with workflow ids; "
                "choose another name",
                "Workflow name cannot be in the format of UUID.");
  c.allowed_keys(v, path,
                 {"name", "version", "description", "tags", "type", "task-defaults", "input", "output",
                  "output-on-error", "vars", "tasks", "rollback-on-error"},
                 // Mistral's workflow schema lets unknown keys through (a
                 // misspelt `descrption` is stored): a warning, not a refusal.
                 "workflow '" + name + "'", Severity::warning);
  if (const Value* ver = v.find("version")) {
    (void)ver;
    check_version(c, v, path, false);
  }
  // Mistral's workflow schema leaves `description` unchecked (its
  // WorkflowSpec meta-schema has no rule for it): anything but a non-empty
  // string is accepted, said, and not used.
  if (const Value* d = v.find("description")) {
    if (d->is_string() && !d->as_string().empty())
      wf->description = d->as_string();
    else
      c.warning(child_path(path, "description"),
                "'description' should be a non-empty string, got " +
                    (d->is_string() ? std::string("an empty string") : show(*d)) + " (accepted and ignored, as Mistral does)");
  }
  if (const Value* tg = v.find("tags"); tg && c.unique_string_list(*tg, child_path(path, "tags"), "tags"))
    for (const auto& x : tg->as_list()) wf->tags.push_back(x.as_string());
  if (const Value* t = v.find("type")) {
    if (t->is_string() && t->as_string() == "reverse")
      wf->type = WorkflowType::Reverse;
    else if (!(t->is_string() && t->as_string() == "direct"))
      c.error(child_path(path, "type"), "workflow 'type' must be 'direct' or 'reverse', got " + show(*t));
  }
  if (const Value* in = v.find("input")) wf->input = parse_input_params(c, *in, child_path(path, "input"));
  for (auto [key, field] : {std::pair{"output", &WorkflowSpec::output},
                            std::pair{"output-on-error", &WorkflowSpec::output_on_error},
                            std::pair{"vars", &WorkflowSpec::vars}}) {
    if (const Value* x = v.find(key); x && c.nonempty_dict(*x, child_path(path, key), key)) (*wf).*field = *x;
  }
  std::string defaults_path = child_path(path, "task-defaults");
  if (const Value* d = v.find("task-defaults")) wf->task_defaults = parse_task_defaults(c, *d, defaults_path);

  const Value* tasks = v.find("tasks");
  std::string tasks_path = child_path(path, "tasks");
  if (!tasks) {
    c.error(path, "workflow '" + name + "' has no 'tasks'; add `tasks:` with at least one task");
  } else if (!tasks->is_dict() || tasks->as_dict().empty()) {
    c.error(tasks_path,
            "workflow '" + name + "' doesn't have any tasks; 'tasks' must be a mapping of task names to "
            "task definitions, e.g. `task1: {action: std.noop}`");
  } else {
    for (const auto& [tname, tv] : tasks->as_dict()) {
      std::string tp = child_path(tasks_path, tname);
      if (tname.empty()) {
        c.key_error(tp, "task name must not be empty");
        continue;
      }
      if (!tv.is_dict() || tv.as_dict().empty()) {
        c.error(tp, "task '" + tname + "' must be a mapping of task attributes, e.g. `action: std.noop`, got " +
                        show(tv));
        continue;
      }
      wf->tasks.push_back(parse_task(c, tname, tv, tp, wf->type));
    }
  }
  if (const Value* x = v.find("rollback-on-error")) {
    if (x->is_bool()) wf->rollback_on_error = x->as_bool();
    else c.error(child_path(path, "rollback-on-error"), "'rollback-on-error' must be true or false, got " + show(*x));
  }
  finish_rollback_specs(*wf);
  wf->inbound = compute_inbound(*wf);
  if (tasks && tasks->is_dict()) {
    if (wf->type == WorkflowType::Direct)
      check_direct(c, *wf, *tasks, tasks_path, defaults_path, c.count() == before);
    else
      check_reverse(c, *wf, *tasks, tasks_path, defaults_path);
  }
  Value data = v;
  if (tasks && tasks->is_dict()) {
    Dict td;
    for (const auto& t : wf->tasks) td.set(t.name, t.data);
    data = data.with("tasks", Value(std::move(td)));
  }
  data = data.with("name", Value(name));
  data = data.with("version", Value("2.0"));
  wf->data = data;
  return wf;
}

}  // namespace detail
}  // namespace bora::lang
