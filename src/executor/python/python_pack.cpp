#include "python_pack.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>

#include "bora/core/json.h"
#include "bora/executor/plugins.h"
#include "../plugins/worker_request.h"

namespace bora::executor::python {

namespace {

constexpr const char* kConfigEnv = "BORA_PYTHON_WORKER_CONFIG";

// What the interpreter is started with: it reads the worker's script as
// the first message on its stdin (the pool's greeting) and runs it, so the
// script needs no file of its own and `ps` shows a short command.
constexpr const char* kBootstrap =
    "import os, struct\n"
    "def _read(n):\n"
    "    b = b''\n"
    "    while len(b) < n:\n"
    "        c = os.read(0, n - len(b))\n"
    "        if not c:\n"
    "            raise SystemExit(0)\n"
    "        b += c\n"
    "    return b\n"
    "exec(compile(_read(struct.unpack('<I', _read(4))[0]).decode('utf-8'), 'bora_python_worker.py', 'exec'))\n";

// A program name without a slash, looked up in PATH as a shell would
// (posix_spawn does not search); empty when not found.
std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : std::string();
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t colon = dirs.find(':', start);
    if (colon == std::string::npos) colon = dirs.size();
    std::string dir = dirs.substr(start, colon - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = colon + 1;
  }
  return {};
}

std::string text(const Value& v) { return v.is_string() ? v.as_string() : std::string(); }

}  // namespace

Result<PythonOptions> options_from_config(const Config& config) {
  PythonOptions o;
  const std::string section = "python_actions";
  o.modules = config.get_list(section, "modules");
  o.path = config.get_list(section, "path");
  o.generators = config.get_list(section, "generators");
  for (const auto& g : o.generators)
    if (g.find(':') == std::string::npos || g.front() == ':' || g.back() == ':')
      return bad_input(fmt::format("[python_actions] generators: '{}' is not 'package.module:function' (the form of "
                                   "setup.cfg's mistral.generators entry points)",
                                   g));
  for (const auto& item : config.get_list(section, "actions")) {
    size_t eq = item.find('=');
    std::string name = eq == std::string::npos ? std::string() : item.substr(0, eq);
    std::string target = eq == std::string::npos ? std::string() : item.substr(eq + 1);
    auto trim = [](std::string s) {
      size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
      return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    name = trim(name);
    target = trim(target);
    if (name.empty() || target.empty())
      return bad_input(fmt::format("[python_actions] actions: '{}' is not 'name = package.module:Class' (the form of "
                                   "setup.cfg's mistral.actions entry points)",
                                   item));
    o.actions.emplace_back(name, target);
  }
  auto entry_points = config.get_bool(section, "entry_points", false);
  if (!entry_points) return entry_points.error();
  o.entry_points = *entry_points;
  auto timeout = config.get_int(section, "start_timeout", o.start_timeout_s);
  if (!timeout) return timeout.error();
  if (*timeout < 1 || *timeout > 3600)
    return bad_input(fmt::format("[python_actions] start_timeout must be 1 to 3600 seconds, got {}", *timeout));
  o.start_timeout_s = static_cast<int>(*timeout);
  auto class_timeout = config.get_int(section, "class_timeout", o.class_timeout_s);
  if (!class_timeout) return class_timeout.error();
  if (*class_timeout < 1 || *class_timeout > 60)
    return bad_input(fmt::format("[python_actions] class_timeout must be 1 to 60 seconds, got {}", *class_timeout));
  o.class_timeout_s = static_cast<int>(*class_timeout);
  std::string python = config.get_or(section, "python", o.python);
  o.python_option = python;
  o.python = find_program(python);
  if (o.enabled()) {
    if (o.python.empty())
      return bad_input(fmt::format("[python_actions] python = {}: no such program; give the interpreter's path "
                                   "(e.g. /usr/bin/python3, which has Debian's python3-mistral-lib)",
                                   python));
  }
  return o;
}

workers::WorkerKind worker_kind(const PythonOptions& options) {
  Dict actions;
  for (const auto& [name, target] : options.actions) actions.set(name, Value(target));
  List modules, path, generators;
  for (const auto& m : options.modules) modules.emplace_back(m);
  for (const auto& g : options.generators) generators.emplace_back(g);
  for (const auto& p : options.path) path.emplace_back(p);
  Value config = Value::dict({{"modules", Value(std::move(modules))},
                              {"actions", Value(std::move(actions))},
                              {"generators", Value(std::move(generators))},
                              {"entry_points", options.entry_points},
                              {"path", Value(std::move(path))}});
  workers::WorkerKind kind;
  kind.program = options.python;
  kind.args = {"-c", kBootstrap};
  kind.env = {std::string(kConfigEnv) + "=" + to_json(config)};
  kind.greeting = worker_script();
  return kind;
}

Result<PythonCatalog> describe(const PythonOptions& options, const workers::WorkerKind& kind) {
  ActionRunContext ctx;
  ctx.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.start_timeout_s);
  ActionResult r = workers::exchange(kind, to_json(Value::dict({{"op", "describe"}})), ctx,
                                     fmt::format("the Python worker ({})", options.python),
                                     "see the server log for its output");
  if (r.failed) {
    std::string why = r.error.is_string() ? r.error.as_string() : to_json(r.error);
    if (std::chrono::steady_clock::now() >= *ctx.deadline)
      why = fmt::format("the Python worker ({}) did not list its actions within [python_actions] start_timeout = {} s",
                        options.python, options.start_timeout_s);
    return bad_input(why);
  }
  PythonCatalog out;
  if (r.data["problems"].is_list())
    for (const auto& p : r.data["problems"].as_list()) out.problems.push_back(text(p));
  if (!r.data["actions"].is_list())
    return bad_input(fmt::format("the Python worker ({}) listed no actions (a Bora bug: please report it)",
                                 options.python));
  for (const auto& a : r.data["actions"].as_list()) {
    ActionDescriptor d;
    d.name = text(a["name"]);
    d.description = text(a["description"]);
    d.class_name = text(a["class_name"]);
    d.is_async = a["is_async"].truthy();
    // Mistral writes defaults with Python's json.dumps, which also writes
    // NaN and Infinity: such a signature is refused here, for that action.
    auto params = parse_input_signature(text(a["input"]));
    if (!params) {
      out.problems.push_back(fmt::format("action {} ({}) skipped: its input signature cannot be read: {}", d.name,
                                         d.class_name, params.error().message));
      continue;
    }
    d.params = std::move(params).value();
    out.actions.push_back(std::move(d));
  }
  return out;
}

ActionResult run(const workers::WorkerKind& kind, const ActionDescriptor& action, const Value& input,
                 const Value& context, const ActionRunContext& ctx) {
  // The reach rules as they are now (the server's own port is known once it
  // listens): the worker's audit hook enforces them on the action's sockets.
  std::string request = to_json(Value::dict({{"op", "run"},
                                             {"action", action.name},
                                             {"input", input},
                                             {"context", context},
                                             {"reach", plugins::reach_value()}}));
  return workers::exchange(kind, request, ctx, "the Python worker",
                           "an action that ends the interpreter (os._exit, a crash in a C extension, the kernel's "
                           "OOM killer) has a bug: see the server log; the server is unaffected and rerunning "
                           "the task is safe");
}

namespace {

Value code_source_value(const DynamicActionCode& code) {
  return Value::dict({{"id", code.code_source_id},
                      {"name", code.code_source_name},
                      {"version", code.version},
                      {"content", code.content}});
}

}  // namespace

ActionResult describe_code(const workers::WorkerKind& kind, const DynamicActionCode& code,
                           const ActionRunContext& ctx) {
  std::string request = to_json(Value::dict({{"op", "describe_code"},
                                             {"action", code.action_name},
                                             {"class_name", code.class_name},
                                             {"code_source", code_source_value(code)},
                                             {"reach", plugins::reach_value()}}));
  return workers::exchange(kind, request, ctx, "the Python worker", "see the server log for its output");
}

ActionResult run_code(const workers::WorkerKind& kind, const DynamicActionCode& code, const Value& input,
                      const Value& context, const ActionRunContext& ctx) {
  std::string request = to_json(Value::dict({{"op", "run_code"},
                                             {"action", code.action_name},
                                             {"class_name", code.class_name},
                                             {"code_source", code_source_value(code)},
                                             {"input", input.is_null() ? Value(Dict{}) : input},
                                             {"context", context},
                                             {"reach", plugins::reach_value()}}));
  return workers::exchange(kind, request, ctx, "the Python worker",
                           fmt::format("code source '{}' ended the interpreter (os._exit, a crash in a C extension, "
                                       "the kernel's OOM killer): see the server log; the server is unaffected",
                                       code.code_source_name));
}

}  // namespace bora::executor::python
