// executor/python/python_pack: Mistral custom actions written in Python
// against mistral-lib, run unchanged for teams moving their packs over
// (docs/ACTIONS.md, "Python packs"). Optional: only when `[python_actions]`
// names something to load. The actions run in worker processes of the
// configured interpreter (workers/worker_process, as JavaScript and the
// packs do), which import the configured modules and run the classes with
// mistral-lib's ActionContext; the worker's code is bora_python_worker.py,
// compiled into the binary. Bora itself never imports Python.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "../workers/worker_process.h"
#include "bora/core/config.h"
#include "bora/core/error.h"
#include "bora/executor/action.h"
#include "bora/executor/action_descriptor.h"
#include "bora/executor/dynamic_action.h"

namespace bora::executor::python {

struct PythonOptions {
  std::string python = "/usr/bin/python3";  // [python_actions] python (a path, or a name found in PATH)
  std::string python_option;                // python as written (when it was not found, python is empty)
  std::vector<std::string> modules;         // every action class they define, named <module>.<snake_case>
  // Named actions as setup.cfg's entry points write them:
  // "example.runner = my.plugins.somefile:RunnerAction".
  std::vector<std::pair<std::string, std::string>> actions;
  // Mistral's action generators: "package.module:get_generators", an
  // object (called when callable, as stevedore's invoke_on_load) giving
  // generators whose create_actions() lists actions of their
  // base_action_class (mistral-extra's way).
  std::vector<std::string> generators;
  bool entry_points = false;  // the `mistral.actions` and `mistral.generators` entry points of installed distributions
  std::vector<std::string> path;  // folders put first on sys.path
  int start_timeout_s = 30;       // how long describing the actions may take at start
  // How long the engine waits for a Python code source's class (its input
  // signature) when it schedules one of its actions.
  int class_timeout_s = 5;

  bool enabled() const { return !modules.empty() || !actions.empty() || !generators.empty() || entry_points; }
};

// BadInput naming the option and how to write it.
Result<PythonOptions> options_from_config(const Config& config);

workers::WorkerKind worker_kind(const PythonOptions& options);

struct PythonCatalog {
  std::vector<ActionDescriptor> actions;
  std::vector<std::string> problems;  // modules or classes that could not be used, for the log
};

// Starts a worker and asks it for its actions (at most start_timeout_s).
// BadInput when the worker cannot start (no such interpreter, mistral-lib
// not importable) or answers nothing usable.
Result<PythonCatalog> describe(const PythonOptions& options, const workers::WorkerKind& kind);

// Runs one action in a worker of this kind; context: mistral-lib's
// ActionContext as plugins::action_context builds it.
ActionResult run(const workers::WorkerKind& kind, const ActionDescriptor& action, const Value& input,
                 const Value& context, const ActionRunContext& ctx);

// Runs a dynamic action of a Python code source (bora_python_worker.py's
// run_code) in a worker of this kind.
ActionResult run_code(const workers::WorkerKind& kind, const DynamicActionCode& code, const Value& input,
                      const Value& context, const ActionRunContext& ctx);

// The class a Python dynamic action names: {"input", "class_name",
// "description"} (bora_python_worker.py's describe_code).
ActionResult describe_code(const workers::WorkerKind& kind, const DynamicActionCode& code,
                           const ActionRunContext& ctx);

// The worker's script (generated from bora_python_worker.py at build).
const char* worker_script();

}  // namespace bora::executor::python
