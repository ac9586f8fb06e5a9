// The workflow case runner: runs every case of test/workflows/<area>/*.yaml
// (format: test/workflows/README.md) in-process, each on a fresh in-memory
// database and engine whose clock is a VirtualTime. When the engine is idle
// and the execution not finished, the clock jumps to the next timer (a
// delayed call or a sleeping action), so wait-before/after, retry delays,
// timeouts and std.sleep cost no real time.
//
//   workflow_cases [--dir DIR] [--export | --observe] [NAME...]
//
// --export prints the cases as JSON (matchers as {"!prefix": text} and
// {"!any": null}) for test/integration/test_engine_conformance.py, which
// runs the same files over HTTP; --observe prints what each case did in the
// shape of `expect` (to write a new case's expected part, after checking
// it against Mistral's code); NAME... runs (or exports) only those.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "bora/core/json.h"
#include "bora/core/time_source.h"
#include "bora/core/yaml.h"
#include "bora/engine/engine.h"
#include "bora/engine/task_result.h"
#include "bora/expr/mistral_expressions.h"
#include "bora/services/action_definitions.h"
#include "bora/services/workbooks.h"
#include "bora/services/workflow_definitions.h"
#include "support/settle.h"

namespace fs = std::filesystem;
using namespace bora;
using namespace std::chrono_literals;
using storage::ProjectScope;

namespace {

struct Case {
  std::string name, area, path;
  Value doc;  // the whole file; matchers are {"!prefix": text} / {"!any": null}
};

// ---- reading: yaml-cpp nodes to Values, with the matcher tags ----

Value to_value(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  if (tag == "!prefix") return Value::dict({{"!prefix", Value(node.as<std::string>())}});
  if (tag == "!any") return Value::dict({{"!any", Value()}});
  if (node.IsMap()) {
    Dict d;
    for (const auto& kv : node) d.set(kv.first.as<std::string>(), to_value(kv.second));
    return Value(std::move(d));
  }
  if (node.IsSequence()) {
    List l;
    for (const auto& item : node) l.push_back(to_value(item));
    return Value(std::move(l));
  }
  return yaml_node_to_value(node);
}

std::vector<Case> load_cases(const fs::path& dir, const std::vector<std::string>& only) {
  std::vector<Case> cases;
  std::vector<fs::path> paths;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".yaml") paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  for (const auto& p : paths) {
    Case c;
    c.name = p.stem().string();
    c.area = p.parent_path().filename().string();
    c.path = fs::relative(p, dir).string();
    if (!only.empty() && std::find(only.begin(), only.end(), c.name) == only.end()) continue;
    try {
      // Read as PyYAML reads it (the generators write expected values with
      // PyYAML: "\uD800" is a lone surrogate, which yaml-cpp alone refuses).
      std::ifstream in(p);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      c.doc = to_value(YAML::Load(pyyaml_prepared_text(text, YamlFlavour::standard)));
    } catch (const std::exception& e) {
      throw std::runtime_error(c.path + ": " + e.what());
    }
    if (!c.doc.is_dict() || !c.doc["workflow"].is_string())
      throw std::runtime_error(c.path + ": a case is a mapping with at least `workflow` and `expect`");
    cases.push_back(std::move(c));
  }
  return cases;
}

// ---- comparing ----

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

bool uuid_at(const std::string& s, size_t i) {
  if (i + 36 > s.size()) return false;
  for (size_t k = 0; k < 36; ++k) {
    bool dash = k == 8 || k == 13 || k == 18 || k == 23;
    if (dash ? s[i + k] != '-' : !is_hex(s[i + k])) return false;
  }
  return true;
}

// Volatile parts of a text: ids become <id>, an action object's repr
// ("<mistral.actions.std_actions.FailAction object at 0x7f..>" or
// "<bora action std.fail>") becomes <action>.
std::string normalized_text(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (uuid_at(s, i)) {
      out += "<id>";
      i += 36;
      continue;
    }
    // Another object's address (urllib3's connection in a std.http
    // failure), as the generator writes it.
    if (s.compare(i, 13, " object at 0x") == 0 && i + 13 < s.size() && is_hex(s[i + 13])) {
      size_t end = i + 13;
      while (end < s.size() && is_hex(s[end])) ++end;
      if (end < s.size() && s[end] == '>') {
        out += " object at 0x...>";
        i = end + 1;
        continue;
      }
    }
    if (s.compare(i, 17, "<mistral.actions.") == 0 || s.compare(i, 13, "<bora action ") == 0) {
      size_t end = s.find('>', i);
      if (end != std::string::npos) {
        out += "<action>";
        i = end + 1;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

Value normalized(const Value& v) {
  if (v.is_string()) return Value(normalized_text(v.as_string()));
  if (v.is_list()) {
    List l;
    for (const auto& x : v.as_list()) l.push_back(normalized(x));
    return Value(std::move(l));
  }
  if (v.is_dict()) {
    Dict d;
    for (const auto& [k, x] : v.as_dict()) d.set(k, normalized(x));
    return Value(std::move(d));
  }
  return v;
}

bool matches(const Value& want, const Value& got) {
  if (want.is_dict() && want.size() == 1) {
    if (const Value* p = want.find("!prefix"))
      return got.is_string() && got.as_string().compare(0, p->as_string().size(), p->as_string()) == 0;
    if (want.find("!any")) return true;
  }
  if (want.is_dict()) {
    if (!got.is_dict() || got.size() != want.size()) return false;
    for (const auto& [k, w] : want.as_dict()) {
      const Value* g = got.find(k);
      if (!g || !matches(w, *g)) return false;
    }
    return true;
  }
  if (want.is_list()) {
    if (!got.is_list() || got.size() != want.size()) return false;
    for (size_t i = 0; i < want.size(); ++i)
      if (!matches(want[i], got[i])) return false;
    return true;
  }
  return want == got;
}

// Tasks match as a multiset: each expected task takes the first unused
// actual one it matches (several executions of one task are listed in no
// particular order).
bool tasks_match(const Value& want, const Value& got) {
  if (!want.is_list() || !got.is_list() || want.size() != got.size()) return false;
  std::vector<bool> used(got.size(), false);
  for (const auto& w : want.as_list()) {
    bool found = false;
    for (size_t i = 0; i < got.size() && !found; ++i)
      if (!used[i] && matches(w, got[i])) used[i] = found = true;
    if (!found) return false;
  }
  return true;
}

// ---- running ----

struct Runner {
  executor::Executor pool{4};
  expr::MistralExpressions expressions;
  services::Caller caller{"case-project", false};
};

struct Run {
  std::unique_ptr<storage::Database> db;
  std::shared_ptr<VirtualTime> clock;
  engine::EngineOptions options;
  // After each `restart`: the new process's own executor (the crashed
  // engine's jobs stay on the one they ran on, their results dropped, as
  // a killed process's are). Declared before the engine: they outlive it.
  std::vector<std::unique_ptr<executor::Executor>> restarted_pools;
  std::unique_ptr<engine::Engine> engine;
  Timestamp started{};
  std::string execution_id;

  // Actions still asleep (a sub-workflow's, after its parent timed out)
  // would hold the executor's threads forever: years pass for them once the
  // engine is gone, so they end and their results are dropped. Every job
  // holds the clock it sleeps on, so the clock's other owners are the jobs
  // not finished yet, including one still queued that would start to sleep
  // after a single advance (bounded: 10 s of real time).
  ~Run() {
    engine.reset();
    options = engine::EngineOptions{};  // it holds the clock too
    if (!clock) return;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    do {
      clock->advance(std::chrono::hours(24 * 365));
      if (clock.use_count() == 1) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    } while (std::chrono::steady_clock::now() < deadline);
  }
};

std::optional<storage::WorkflowExecution> execution(Run& run) {
  return run.db->read([&](storage::Transaction& tx) {
    return tx.workflow_executions().find(run.execution_id, ProjectScope::internal());
  });
}

// Lets the engine work until the execution is done, or nothing is left to
// do before `until` (virtual time).
bool settle(Run& run, std::optional<Timestamp> until = std::nullopt) {
  return test::settle(*run.engine, *run.clock, [&] {
    auto ex = execution(run);
    return !ex || (ex->state != storage::State::Running && ex->state != storage::State::Idle);
  }, until);
}

std::string step_kind(const Value& step) {
  for (const char* k :
       {"rerun", "skip", "pause", "resume", "cancel", "fail", "succeed", "complete", "rollback", "update", "restart"})
    if (step.find(k)) return k;
  return "";
}

std::optional<storage::TaskExecution> task_named(Run& run, const std::string& name,
                                                 std::optional<storage::State> state = std::nullopt) {
  auto tasks = run.db->read([&](storage::Transaction& tx) {
    return tx.task_executions()
        .list({ProjectScope::all(), {{"workflow_execution_id", storage::FilterOp::Eq, {run.execution_id}}}})
        .value();
  });
  for (auto& t : tasks)
    if (t.name == name && (!state || t.state == *state)) return t;
  return std::nullopt;
}

// One step of `steps:` (after the execution settled, or at `at` seconds).
std::string apply_step(Runner& r, Run& run, const Value& step) {
  std::string kind = step_kind(step);
  const Value& arg = step[kind];
  auto text = [&](const Value& v) { return v.is_string() ? std::optional<std::string>(v.as_string()) : std::nullopt; };
  if (kind == "rerun" || kind == "skip") {
    std::string task = arg.is_string() ? arg.as_string() : arg["task"].as_string();
    auto t = task_named(run, task, storage::State::Error);  // the failed execution of it
    if (!t) t = task_named(run, task);
    if (!t) return "no task " + task + " to " + kind;
    bool reset = !arg["reset"].is_bool() || arg["reset"].as_bool();
    auto done = run.engine->rerun_task(t->id, reset, arg["env"], r.caller, kind == "skip");
    return done ? "" : kind + " failed: " + done.error().message;
  }
  if (kind == "pause") {
    auto done = run.engine->pause(run.execution_id, r.caller);
    return done ? "" : "pause failed: " + done.error().message;
  }
  if (kind == "resume") {
    auto done = run.engine->resume(run.execution_id, arg.is_dict() ? arg["env"] : Value(), r.caller);
    return done ? "" : "resume failed: " + done.error().message;
  }
  if (kind == "cancel" || kind == "fail" || kind == "succeed") {
    std::string state = kind == "cancel" ? "CANCELLED" : kind == "fail" ? "ERROR" : "SUCCESS";
    auto done = run.engine->stop(run.execution_id, state, text(arg), r.caller);
    return done ? "" : kind + " failed: " + done.error().message;
  }
  if (kind == "rollback") {
    // Bora's rollback (POST /v2/executions/{id}/rollback): `rollback: "why"` or `rollback: true`.
    auto done = run.engine->rollback(run.execution_id, text(arg), r.caller);
    return done ? "" : "rollback failed: " + done.error().message;
  }
  if (kind == "update") {
    // PUT /v2/workflows: the definitions change under the running
    // execution (a new version of each); `update: |` holds the new text.
    if (!arg.is_string()) return "update takes the new definition text";
    auto updated = run.db->write([&](storage::Transaction& tx) -> Result<void> {
      auto u = services::update_workflows(tx, arg.as_string(), services::DefinitionTarget{}, std::nullopt, r.caller);
      if (!u) return u.error();
      return {};
    });
    return updated ? "" : "update refused: " + updated.error().message;
  }
  if (kind == "restart") {
    // A crash and a new start: the engine is dropped as a SIGKILL leaves
    // it (running actions stay RUNNING in storage, their results are
    // dropped) and a new one on the same database recovers what it left.
    run.engine.reset();
    // The new start comes an hour later (virtual): the killed engine's
    // actions still asleep wake and end, their results dropped, before it
    // starts (otherwise they would count as the new engine's sleepers).
    // Their jobs hold the clock; its other owners are this run and its
    // options (bounded: 10 s of real time).
    run.clock->advance(std::chrono::hours(1));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (run.clock.use_count() > 2 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    run.restarted_pools.push_back(std::make_unique<executor::Executor>(4));
    run.engine = std::make_unique<engine::Engine>(*run.db, *run.restarted_pools.back(), r.expressions, run.options);
    return "";
  }
  if (kind == "complete") {
    // The result of a task's running (asynchronous) action.
    auto t = task_named(run, arg["task"].as_string());
    if (!t) return "no task " + arg["task"].as_string() + " to complete";
    auto actions = run.db->read([&](storage::Transaction& tx) {
      return tx.action_executions()
          .list({ProjectScope::all(),
                 {{"task_execution_id", storage::FilterOp::Eq, {t->id}}, {"state", storage::FilterOp::Eq, {"RUNNING"}}}})
          .value();
    });
    if (actions.empty()) return "task " + t->name + " has no running action to complete";
    auto result = arg["cancel"].truthy() ? executor::ActionResult::cancel()
                  : arg.find("error")      ? executor::ActionResult::failure(arg["error"])
                                           : executor::ActionResult::success(arg["result"]);
    auto done = run.engine->complete_action(actions[0].id, result, r.caller);
    return done ? "" : "complete failed: " + done.error().message;
  }
  return "unknown step " + to_json(step);
}

// Bora's rollback: a compensation shows what it undoes, "task" or
// "task[item]", and `after`, the compensations it waited for (the plan in
// the execution's runtime_context.rollback), sorted.
std::string unit_label(const Value& unit) {
  std::string s = unit["name"].is_string() ? unit["name"].as_string() : "?";
  if (unit["index"].is_int()) s += "[" + std::to_string(unit["index"].as_int()) + "]";
  if (unit["sub"].is_string()) s += " (sub-workflow)";
  return s;
}

// What the engine did, in the shape of `expect`; with `count_actions`,
// each task's action executions too ("STATE" or "STATE unaccepted",
// sorted).
Value observed(Run& run, bool count_actions) {
  auto ex = execution(run);
  return run.db->read([&](storage::Transaction& tx) {
    List tasks;
    const Value& units = ex->runtime_context["rollback"]["units"];
    for (const auto& t : tx.task_executions()
                             .list({ProjectScope::all(),
                                    {{"workflow_execution_id", storage::FilterOp::Eq, {run.execution_id}}},
                                    {{"created_at", false}}})
                             .value()) {
      Value result;
      if (t.state == storage::State::Success || t.state == storage::State::Error) result = engine::task_execution_result(tx, t);
      Value row = Value::dict({{"name", Value(t.name)},
                               {"state", Value(storage::state_name(t.state))},
                               {"state_info", t.state_info ? Value(*t.state_info) : Value()},
                               {"published", t.published.is_null() ? Value(Dict{}) : t.published},
                               {"result", result}});
      if (count_actions) {
        // The task's executions: actions, or a workflow task's sub-workflows.
        List actions;
        storage::ListQuery of_task{ProjectScope::all(), {{"task_execution_id", storage::FilterOp::Eq, {t.id}}}};
        for (const auto& a : tx.action_executions().list(of_task).value())
          actions.emplace_back(std::string(storage::state_name(a.state)) + (a.accepted ? "" : " unaccepted"));
        for (const auto& w : tx.workflow_executions().list(of_task).value())
          actions.emplace_back(std::string(storage::state_name(w.state)) + (w.accepted ? "" : " unaccepted"));
        std::sort(actions.begin(), actions.end(),
                  [](const Value& a, const Value& b) { return a.as_string() < b.as_string(); });
        row = row.with("actions", Value(std::move(actions)));
      }
      if (const Value* u = t.runtime_context.find("unit"); u && u->is_int() && units.is_list() &&
                                                            static_cast<size_t>(u->as_int()) < units.size()) {
        const Value& unit = units[static_cast<size_t>(u->as_int())];
        List after;
        // A barrier unit (rollback.cpp) stands for the units it waits for.
        std::vector<int64_t> todo;
        for (const auto& k : unit["after"].as_list()) todo.push_back(k.as_int());
        while (!todo.empty()) {
          const Value& a = units[static_cast<size_t>(todo.back())];
          todo.pop_back();
          if (a["barrier"].truthy()) {
            for (const auto& k : a["after"].as_list()) todo.push_back(k.as_int());
            continue;
          }
          after.emplace_back(unit_label(a));
        }
        std::sort(after.begin(), after.end(), [](const Value& a, const Value& b) { return a.as_string() < b.as_string(); });
        row = row.with("compensates", Value(unit_label(unit))).with("after", Value(std::move(after)));
      }
      tasks.push_back(std::move(row));
    }
    // Every execution below this one, named by its workflow and the
    // workflow task that started it.
    List subs;
    for (const auto& sub : tx.workflow_executions()
                               .list({ProjectScope::all(),
                                      {{"root_execution_id", storage::FilterOp::Eq, {run.execution_id}}},
                                      {{"created_at", false}}})
                               .value()) {
      if (sub.id == run.execution_id || !sub.task_execution_id) continue;
      auto parent_task = tx.task_executions().find(*sub.task_execution_id, ProjectScope::all());
      subs.push_back(Value::dict({{"workflow", Value(sub.workflow_name)},
                                  {"task", parent_task ? Value(parent_task->name) : Value()},
                                  {"state", Value(storage::state_name(sub.state))},
                                  {"state_info", sub.state_info ? Value(*sub.state_info) : Value()}}));
    }
    return normalized(Value::dict({{"state", Value(storage::state_name(ex->state))},
                                   {"state_info", ex->state_info ? Value(*ex->state_info) : Value()},
                                   {"output", ex->output.is_null() ? Value(Dict{}) : ex->output},
                                   {"tasks", Value(std::move(tasks))},
                                   {"subworkflows", Value(std::move(subs))}}));
  });
}

// The virtual seconds after the start at which task `name` was launched
// (its first start and every retry), from the execution's event log.
Value launch_times(Run& run, const std::string& name) {
  return run.db->read([&](storage::Transaction& tx) {
    List out;
    storage::EventQuery q;
    q.execution_id = run.execution_id;
    q.events = {"TASK_LAUNCHED"};
    q.limit = 1000;
    for (const auto& e : tx.events_after(q)) {
      auto payload = parse_json(e.payload);
      if (!payload || (*payload)["name"] != Value(name)) continue;
      double s = std::chrono::duration<double>(e.created_at - run.started).count();
      out.push_back(Value(std::round(s * 1000) / 1000));
    }
    return Value(std::move(out));
  });
}

// Runs one case; returns "" or what differs.
std::string run_case(Runner& r, const Case& c, Value* seen = nullptr) {
  const Value& doc = c.doc;
  Run run;
  run.db = storage::Database::open("sqlite://").value();
  if (auto up = run.db->upgrade(); !up) return "database: " + up.error().message;
  run.clock = std::make_shared<VirtualTime>(now_utc());
  run.options.time = run.clock;
  // `seed:` fixes the engine's random draws (retry jitter).
  if (doc["seed"].is_int()) run.options.random = std::make_shared<engine::RandomSource>(doc["seed"].as_int());
  run.engine = std::make_unique<engine::Engine>(*run.db, r.pool, r.expressions, run.options);
  auto defined = run.db->write([&](storage::Transaction& tx) -> Result<void> {
    services::DefinitionTarget target;
    if (doc["actions"].is_string())
      if (auto a = services::create_actions(tx, doc["actions"].as_string(), target, r.caller); !a) return a.error();
    if (doc["workbook"].is_string())
      if (auto w = services::create_workbook(tx, doc["workbook"].as_string(), target, r.caller); !w) return w.error();
    if (doc["definition"].is_string())
      if (auto d = services::create_workflows(tx, doc["definition"].as_string(), target, r.caller); !d)
        return d.error();
    return {};
  });
  if (!defined) return "definition refused: " + defined.error().message;
  engine::StartRequest req;
  req.workflow = doc["workflow"].as_string();
  req.input = doc["input"].is_null() ? Value(Dict{}) : doc["input"];
  req.params = doc["params"].is_null() ? Value(Dict{}) : doc["params"];
  req.caller = r.caller;
  run.started = run.clock->now();
  auto started = run.engine->start_workflow(req);
  if (!started) return "start refused: " + started.error().message;
  run.execution_id = started->id;
  if (doc["steps"].is_list()) {
    for (const auto& step : doc["steps"].as_list()) {
      std::optional<Timestamp> at;
      if (const Value* s = step.find("at"))
        at = run.started + std::chrono::microseconds(static_cast<int64_t>((s->is_int() ? s->as_int() : s->as_double()) * 1e6));
      // `at: S` is a time: the engine goes on until then, whatever the
      // execution's state (a pause at 0 s does not bring a resume at 2 s
      // forward); without it, the step comes once the execution settled.
      bool settled = at ? test::settle(*run.engine, *run.clock, [] { return false; }, at) : settle(run);
      if (!settled) return "the engine did not settle before step " + to_json(step);
      if (std::string e = apply_step(r, run, step); !e.empty()) return "step " + to_json(step) + ": " + e;
    }
  }
  if (!settle(run)) return "the engine did not settle";
  // `settle: S`: the engine goes on S (virtual) seconds after the execution
  // ended, for what still happens in an ended execution (a retry that comes
  // due after a cancel), as the generator waits S real seconds in Mistral.
  if (const Value* s = doc.find("settle"); s && (s->is_int() || s->is_double())) {
    auto until = run.clock->now() +
                 std::chrono::microseconds(static_cast<int64_t>((s->is_int() ? s->as_int() : s->as_double()) * 1e6));
    if (!test::settle(*run.engine, *run.clock, [] { return false; }, until))
      return "the engine did not settle within `settle`";
  }
  Value got = observed(run, doc["count_actions"].truthy());
  if (seen) *seen = got;
  const Value& want = doc["expect"];
  if (!want.is_dict() || !want["tasks"].is_list())
    return "  no `expect:` with `tasks:` (workflow_cases --observe shows what the case does)\n";
  std::string diff;
  for (const char* key : {"state", "state_info", "output"})
    if (!matches(want[key], got[key]))
      diff += fmt::format("  {}:\n    want {}\n    got  {}\n", key, to_json(want[key]), to_json(got[key]));
  // `launches: {task: [seconds, ...]}`: when each run of the task's action
  // began (its TASK_LAUNCHED events, in virtual seconds after the start):
  // how retry delays are checked.
  if (const Value* launches = want.find("launches"); launches && launches->is_dict()) {
    for (const auto& [name, times] : launches->as_dict()) {
      Value seen = launch_times(run, name);
      if (!matches(times, seen))
        diff += fmt::format("  launches of {}:\n    want {}\n    got  {}\n", name, to_json(times), to_json(seen));
    }
  }
  if (!tasks_match(want["tasks"], got["tasks"])) {
    diff += "  tasks:\n";
    for (const auto& t : want["tasks"].as_list()) diff += "    want " + to_json(t) + "\n";
    for (const auto& t : got["tasks"].as_list()) diff += "    got  " + to_json(t) + "\n";
  }
  // `subworkflows:` (optional): the executions below this one, as a
  // multiset, like the tasks.
  if (const Value* subs = want.find("subworkflows"); subs && !tasks_match(*subs, got["subworkflows"])) {
    diff += "  subworkflows:\n";
    for (const auto& t : subs->as_list()) diff += "    want " + to_json(t) + "\n";
    for (const auto& t : got["subworkflows"].as_list()) diff += "    got  " + to_json(t) + "\n";
  }
  return diff;
}

}  // namespace

int main(int argc, char** argv) {
  fs::path dir = BORA_WORKFLOWS_DIR;
  bool export_json = false, observe = false;
  std::vector<std::string> only;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--dir" && i + 1 < argc) dir = argv[++i];
    else if (a == "--export") export_json = true;
    else if (a == "--observe") observe = true;
    else only.push_back(a);
  }
  std::vector<Case> cases;
  try {
    cases = load_cases(dir, only);
  } catch (const std::exception& e) {
    std::cerr << "workflow_cases: " << e.what() << "\n";
    return 2;
  }
  if (export_json) {
    List out;
    for (const auto& c : cases) {
      Dict d;
      d.set("name", Value(c.name));
      d.set("area", Value(c.area));
      d.set("path", Value(c.path));
      for (const auto& [k, v] : c.doc.as_dict()) d.set(k, v);
      out.push_back(Value(std::move(d)));
    }
    std::cout << to_json(Value(std::move(out))) << "\n";
    return 0;
  }
  Runner runner;
  size_t failed = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (const auto& c : cases) {
    std::string diff;
    try {
      Value seen;
      diff = run_case(runner, c, observe ? &seen : nullptr);
      if (observe) std::cout << c.path << "\n" << to_json(seen) << "\n";
    } catch (const std::exception& e) {
      diff = std::string("  threw: ") + e.what() + "\n";
    }
    if (!diff.empty()) {
      ++failed;
      std::cout << "FAIL " << c.path << "\n" << diff;
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << fmt::format("{} cases, {} passed, {} failed ({:.2f} s)\n", cases.size(), cases.size() - failed, failed,
                           secs);
  return failed ? 1 : 0;
}
