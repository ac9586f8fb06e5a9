// lang/task_spec: one task of a direct or reverse workflow
// (mistral/lang/v2/tasks.py), and task-defaults (task_defaults.py).
#include "bora/expr/template_scan.h"
#include "command_line.h"
#include "spec_parsers.h"

namespace bora::lang::detail {

namespace {

constexpr size_t kMaxTaskName = 255;
constexpr size_t kMaxJoinTaskName = kMaxTaskName - 47;

const std::vector<std::string_view> kCommonTaskKeys = {
    "name",        "version",    "description", "tags",         "type",    "action",
    "workflow",    "input",      "with-items",  "publish",      "publish-on-error",
    "publish-on-skip", "retry",  "wait-before", "wait-after",   "timeout", "pause-before",
    "concurrency", "fail-on",    "target",      "keep-result",  "safe-rerun",
    "compensate"};  // Bora's (docs/LANGUAGE.md "Rollback")
const std::vector<std::string_view> kDirectOnlyKeys = {"join", "on-complete", "on-success", "on-error", "on-skip"};
const std::vector<std::string_view> kReverseOnlyKeys = {"requires"};

bool contains(const std::vector<std::string_view>& v, std::string_view k) {
  for (auto x : v)
    if (x == k) return true;
  return false;
}

void parse_call(Checker& c, TaskSpec& t, const Value& v, const std::string& path, const char* attr, std::string& target,
                Dict& inline_params) {
  if (!c.nonempty_string(v, path, attr)) return;
  auto cmd = parse_command_line(v.as_string());
  if (!cmd) {
    c.error(path, std::string("invalid '") + attr + "' value '" + v.as_string() +
                      "'; write a name optionally followed by parameters, e.g. `std.echo output=\"hi\"`");
    return;
  }
  target = cmd->name;
  inline_params = std::move(cmd->params);
}

// `compensate:` (Bora's): an action call in the form of `action:` (a string
// with inline parameters), or a mapping {action | workflow, input}, the
// parameters written inline merged over `input:` as for a task. The result
// is a task spec of its own (the engine runs it as a task); its policies
// are filled in by the workflow's parse, which knows the task-defaults.
std::shared_ptr<TaskSpec> parse_compensate(Checker& c, const TaskSpec& task, const Value& v, const std::string& path) {
  auto comp = std::make_shared<TaskSpec>();
  comp->name = task.name;
  comp->type = task.type;
  comp->compensates = task.name;
  comp->keep_result = Value(true);
  Dict inline_params;
  Value input_v;
  std::string input_path = child_path(path, "input");
  size_t before = c.count();
  if (v.is_string()) {
    parse_call(c, *comp, v, path, "compensate", comp->action, inline_params);
  } else if (v.is_dict()) {
    c.allowed_keys(v, path, {"action", "workflow", "input"}, "'compensate'");
    const Value* action = v.find("action");
    const Value* workflow = v.find("workflow");
    if (action && workflow)
      c.key_error(path, "'compensate' has both 'action' and 'workflow'; a compensation runs one action or one "
                        "workflow: keep one");
    else if (action)
      parse_call(c, *comp, *action, child_path(path, "action"), "action", comp->action, inline_params);
    else if (workflow)
      parse_call(c, *comp, *workflow, child_path(path, "workflow"), "workflow", comp->workflow, inline_params);
    else
      c.error(path, "'compensate' needs 'action' or 'workflow', e.g. `compensate: {action: std.echo, input: {output: "
                    "undo}}` or `compensate: std.echo output=\"undo\"`");
    if (const Value* in = v.find("input")) input_v = *in;
  } else {
    c.error(path, "'compensate' must be an action call such as `delete_server id=<% $.id %>` or a mapping {action "
                  "or workflow, input}, got " + show(v));
  }
  if (c.count() != before) return nullptr;
  if (const std::string& called = comp->is_workflow_task() ? comp->workflow : comp->action; expr::has_expression(called))
    comp->name_expression = Value(called);
  Dict input;
  if (!input_v.is_null()) {
    if (input_v.is_string()) {
      if (c.nonempty_string(input_v, input_path, "input")) comp->input_expression = input_v;
    } else if (c.nonempty_dict(input_v, input_path, "input")) {
      input = input_v.as_dict();
    }
  }
  for (const auto& [k, val] : inline_params) input.set(k, val);
  comp->input = Value(input);
  Value data = Value::dict({{"name", Value(task.name)},
                            {"type", Value(to_string(task.type))},
                            {"version", Value("2.0")},
                            {"compensates", Value(task.name)}});
  data = data.with(comp->is_workflow_task() ? "workflow" : "action",
                   Value(comp->is_workflow_task() ? comp->workflow : comp->action));
  data = data.with("input", input_v.is_string() ? input_v : Value(std::move(input)));
  comp->data = data;
  return comp;
}

}  // namespace

void parse_description_and_tags(Checker& c, const Value& v, const std::string& path, std::string& description,
                                std::vector<std::string>& tags) {
  if (const Value* d = v.find("description"); d && c.nonempty_string(*d, child_path(path, "description"), "description"))
    description = d->as_string();
  if (const Value* tg = v.find("tags"); tg && c.unique_string_list(*tg, child_path(path, "tags"), "tags"))
    for (const auto& x : tg->as_list()) tags.push_back(x.as_string());
}

TaskSpec parse_task(Checker& c, const std::string& name, const Value& v, const std::string& path, WorkflowType type) {
  TaskSpec t;
  t.name = name;
  t.type = type;
  t.keep_result = Value(true);
  if (name.size() > kMaxTaskName)
    c.key_error(path,
                "task name is " + std::to_string(name.size()) + " characters long; the limit is " +
                    std::to_string(kMaxTaskName),
                "The length of a '" + name + "' task name must not exceed " + std::to_string(kMaxTaskName) +
                    " symbols");

  bool direct = type == WorkflowType::Direct;
  std::vector<std::string_view> allowed = kCommonTaskKeys;
  for (auto k : direct ? kDirectOnlyKeys : kReverseOnlyKeys) allowed.push_back(k);
  for (const auto& [k, _] : v.as_dict()) {
    if (contains(allowed, k)) continue;
    if (direct && contains(kReverseOnlyKeys, k))
      c.key_error(child_path(path, k), "'" + k + "' is only allowed in reverse workflows; in a direct workflow use "
                                           "'on-success'/'on-error'/'on-complete' of the preceding tasks instead, "
                                           "or set `type: reverse` on the workflow");
    else if (!direct && contains(kDirectOnlyKeys, k))
      c.key_error(child_path(path, k), "'" + k + "' is only allowed in direct workflows; in a reverse workflow use "
                                           "'requires' instead, or remove `type: reverse` from the workflow");
    else {
      std::string near = closest(k, allowed);
      c.key_error(child_path(path, k), "unknown task attribute '" + k + "'" +
                                           (near.empty() ? "; see the task attributes of the workflow language"
                                                         : "; did you mean '" + near + "'?"));
    }
  }

  parse_description_and_tags(c, v, path, t.description, t.tags);

  const Value* action = v.find("action");
  const Value* workflow = v.find("workflow");
  Dict inline_params;
  if (action && workflow) {
    c.key_error(path, "task has both 'action' and 'workflow'; a task runs either one action or one sub-workflow: keep one");
  } else if (action) {
    parse_call(c, t, *action, child_path(path, "action"), "action", t.action, inline_params);
  } else if (workflow) {
    parse_call(c, t, *workflow, child_path(path, "workflow"), "workflow", t.workflow, inline_params);
  } else {
    t.action = "std.noop";
  }
  if (const std::string& called = t.is_workflow_task() ? t.workflow : t.action; expr::has_expression(called))
    t.name_expression = Value(called);

  Dict input;
  if (const Value* in = v.find("input")) {
    std::string p = child_path(path, "input");
    if (in->is_string()) {
      if (c.nonempty_string(*in, p, "input")) t.input_expression = *in;
    } else if (c.nonempty_dict(*in, p, "input")) {
      input = in->as_dict();
    }
  }
  // Mistral merges the inline parameters over `input:` (utils.merge_dicts).
  for (const auto& [k, val] : inline_params) input.set(k, val);
  t.input = Value(std::move(input));

  for (auto [key, field] : {std::pair{"publish", &TaskSpec::publish}, std::pair{"publish-on-error", &TaskSpec::publish_on_error},
                            std::pair{"publish-on-skip", &TaskSpec::publish_on_skip}}) {
    if (const Value* x = v.find(key); x && c.nonempty_dict(*x, child_path(path, key), key)) t.*field = *x;
  }
  if (const Value* w = v.find("with-items")) t.with_items = parse_with_items(c, *w, child_path(path, "with-items"));
  t.policies = parse_policies(c, v, path);
  if (const Value* x = v.find("target"); x && c.nonempty_string(*x, child_path(path, "target"), "target")) t.target = *x;
  if (const Value* x = v.find("keep-result"); x && c.expression_or_bool(*x, child_path(path, "keep-result"), "keep-result"))
    t.keep_result = *x;
  if (const Value* x = v.find("safe-rerun"); x && c.expression_or_bool(*x, child_path(path, "safe-rerun"), "safe-rerun"))
    t.safe_rerun = *x;

  if (const Value* x = v.find("compensate")) {
    if (auto comp = parse_compensate(c, t, *x, child_path(path, "compensate"))) {
      comp->safe_rerun = t.safe_rerun;
      t.compensation = std::move(comp);
    }
  }

  if (direct) {
    if (const Value* j = v.find("join")) {
      std::string p = child_path(path, "join");
      bool ok = (j->is_string() && (j->as_string() == "all" || j->as_string() == "one")) || (j->is_int() && j->as_int() >= 0);
      if (!ok)
        c.error(p, "'join' must be 'all', 'one' or a number of inbound tasks (an integer >= 0), got " + show(*j));
      else
        t.join = *j;
      if (ok && j->truthy() && name.size() > kMaxJoinTaskName)
        c.key_error(path, "a join task name must not exceed " + std::to_string(kMaxJoinTaskName) + " characters",
                    "The length of a '" + name + "' join task name must not exceed " +
                        std::to_string(kMaxJoinTaskName) + " symbols");
    }
    for (auto [key, field] : {std::pair{"on-success", &TaskSpec::on_success}, std::pair{"on-error", &TaskSpec::on_error},
                              std::pair{"on-complete", &TaskSpec::on_complete}, std::pair{"on-skip", &TaskSpec::on_skip}}) {
      if (const Value* x = v.find(key)) t.*field = parse_on_clause(c, *x, child_path(path, key), key);
    }
  } else if (const Value* r = v.find("requires")) {
    t.requires_ = parse_requires(c, *r, child_path(path, "requires"));
  }

  Value data = v;
  // Mistral merges the inline params into the stored `input` when present.
  if (v.find("input") && v["input"].is_dict()) data = data.with("input", static_cast<const Value&>(t.input));
  data = data.with("type", Value(to_string(type)));
  data = data.with("name", Value(name));
  data = data.with("version", Value("2.0"));
  t.data = data;
  return t;
}

}  // namespace bora::lang::detail
