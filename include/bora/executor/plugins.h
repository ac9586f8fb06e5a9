// executor/plugins: action packs, shared objects on the C ABI of
// bora/plugin.h, loaded at start from `[executor] plugin_dirs` and listed
// and run beside the std actions. A pack runs in worker processes unless
// `[executor] trusted_plugins` names it, so a pack that crashes fails its
// action, never the server. Mistral custom actions in Python
// (`[python_actions]`, src/executor/python) are loaded as one more pack,
// run by worker processes of a Python interpreter. Like the reach options (reach.h) the loaded
// packs are one set per process, set once at start by the server or
// `bora run`, before any action runs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bora/core/config.h"
#include "bora/core/error.h"
#include "bora/executor/action.h"
#include "bora/executor/action_descriptor.h"

namespace bora::executor {

struct PluginOptions {
  std::vector<std::string> dirs;     // [executor] plugin_dirs (comma-separated; empty: no packs)
  std::vector<std::string> trusted;  // [executor] trusted_plugins: pack names run inside the server
};

Result<PluginOptions> plugin_options_from_config(const Config& config);

// Loads the packs of the configured folders, and the Python actions when
// `[python_actions]` names any, and makes their actions known to this
// process. A pack that cannot be used (not a pack, an ABI version
// other than this Bora's, an action named like one already known, an
// init() that fails, a crash while describing itself) is logged with its
// file and reason and skipped, as are Python modules that cannot be
// imported (or all Python actions, when the interpreter cannot start); the
// others load. BadInput only for options that cannot be read. Returns the number of actions loaded.
Result<size_t> load_plugins(const Config& config);

// The packs' actions, sorted by name (empty until load_plugins).
const std::vector<ActionDescriptor>& plugin_action_descriptors();
const ActionDescriptor* find_plugin_action(std::string_view name);

// Runs a pack's action (input already prepared against its signature):
// inside the server for a trusted pack, else in one of the pack's workers.
ActionResult run_plugin_action(const ActionDescriptor& action, const Value& input, const ActionRunContext& ctx);

struct DynamicActionCode;
// Runs a dynamic action of a Python code source (dynamic_action.h) in a
// worker of the `[python_actions] python` interpreter, those of the
// Python packs when they are configured; the action fails, saying how to
// fix it, when that interpreter does not exist.
ActionResult run_python_code(const DynamicActionCode& code, const Value& input, const ActionRunContext& ctx);

// The class a Python dynamic action names, as Mistral's engine sees it
// before it runs the action: its input signature (mistral-lib's
// params_spec of __init__), `module.Class` and docstring, asked of a Python
// worker once per code source version (at most [python_actions]
// class_timeout, 5 s by default). nullopt when it cannot be told (no
// interpreter, a module that does not load in time, no such class): the
// input is then checked when the action runs, and running it says why.
std::optional<ActionDescriptor> describe_python_code(const DynamicActionCode& code);

// Mistral's params_spec text ("a, b=1, c=\"x\", **kwargs") as parameters;
// BadInput naming the text and the item that is not `name` or
// `name=<JSON>`.
Result<std::vector<ActionParam>> parse_input_signature(std::string_view text);

}  // namespace bora::executor
