// executor/plugins/registry: the packs of this process, loaded once at
// start (load_plugins), then only read; and the choice of where an action
// of a pack runs (inside the server when trusted, else in a worker).
#include <dirent.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>
#include <unordered_map>

#include "../workers/worker_process.h"
#include "bora/core/json.h"
#include "bora/core/log.h"
#include "bora/executor/action_limits.h"
#include "bora/executor/dynamic_action.h"
#include "bora/executor/plugins.h"
#include "bora/executor/reach.h"
#include "../python/python_pack.h"
#include "pack.h"
#include "worker_request.h"

namespace bora::executor {

namespace {

using plugins::Pack;
using plugins::PackInfo;

struct LoadedPack {
  PackInfo info;
  bool trusted = false;
  bool python = false;               // Python actions (python/python_pack.h), run by the interpreter's workers
  std::unique_ptr<Pack> in_process;  // trusted packs only
  workers::WorkerKind kind;          // the others: their worker processes
};

struct Registry {
  std::vector<std::unique_ptr<LoadedPack>> packs;
  std::vector<ActionDescriptor> actions;  // sorted by name
  std::unordered_map<std::string, const LoadedPack*> pack_of;
  Value config;  // every section of the configuration, for the packs' init()
  // The Python workers that run Python code sources' dynamic actions: the
  // Python packs' when configured, else a plain one of [python_actions]
  // python; or why there is none.
  std::optional<workers::WorkerKind> python_code_kind;
  std::string python_code_problem;
  int python_class_timeout_s = 5;  // [python_actions] class_timeout
};

// describe_python_code's answers, per code source id, version and class.
struct CodeClassCache {
  std::mutex mutex;
  std::map<std::tuple<std::string, int64_t, std::string>, std::optional<ActionDescriptor>> known;
};
CodeClassCache& code_class_cache() {
  static CodeClassCache cache;
  return cache;
}

// Set once by load_plugins, before actions run; read without a lock after.
std::atomic<const Registry*> g_registry{nullptr};

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

// The shared objects of a folder, sorted (the load order, and so which of
// two packs declaring the same action wins, does not depend on readdir).
std::vector<std::string> shared_objects(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = ::opendir(dir.c_str());
  if (!d) {
    log::warning("plugins", "[executor] plugin_dirs names {}, which cannot be read; no pack loaded from it", dir);
    return out;
  }
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name.size() < 4 || name.compare(name.size() - 3, 3, ".so") != 0) continue;
    std::string path = dir + "/" + name;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) out.push_back(path);
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

Value config_sections(const Config& config) {
  std::map<std::string, Dict> sections;
  for (const auto& [key, value] : config.entries()) {
    size_t dot = key.find('.');
    if (dot == std::string::npos) continue;
    sections[key.substr(0, dot)].set(key.substr(dot + 1), Value(value));
  }
  Dict out;
  for (auto& [name, options] : sections) out.set(name, Value(std::move(options)));
  return Value(std::move(out));
}

// A pack that is not trusted describes itself in a worker: nothing of it
// runs in the server, not even its constructors. A pack that has not
// answered within 30 s is skipped (start-up must not hang on one pack).
Result<PackInfo> describe_in_worker(const std::string& path, const workers::WorkerKind& kind, const Value& config) {
  ActionRunContext ctx;
  ctx.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  ActionResult r = workers::exchange(kind, plugins::describe_request(config), ctx,
                                     fmt::format("the worker of action pack {}", path),
                                     "the pack does not work in this Bora");
  if (r.failed) return bad_input(r.error.is_string() ? r.error.as_string() : to_json(r.error));
  return plugins::info_from_value(r.data);
}

}  // namespace

Result<PluginOptions> plugin_options_from_config(const Config& config) {
  PluginOptions o;
  o.dirs = config.get_list("executor", "plugin_dirs");
  o.trusted = config.get_list("executor", "trusted_plugins");
  return o;
}

Result<size_t> load_plugins(const Config& config) {
  auto options = plugin_options_from_config(config);
  if (!options) return options.error();
  auto registry = std::make_unique<Registry>();
  registry->config = config_sections(config);
  std::unordered_map<std::string, std::string> owner;  // action -> pack file, for clashes
  // Drops the pack's actions that a std action or an earlier pack already
  // declares (logged), lists the others; returns how many are kept.
  auto keep_unclaimed = [&](LoadedPack& pack) {
    std::vector<ActionDescriptor> kept;
    for (auto& a : pack.info.actions) {
      if (find_std_action(a.name) || owner.count(a.name)) {
        log::error("plugins", "action {} of pack {} ({}) skipped: {} already declares it", a.name, pack.info.name,
                   pack.info.path, owner.count(a.name) ? owner[a.name] : std::string("Bora's std actions"));
        continue;
      }
      owner[a.name] = pack.info.path;
      kept.push_back(a);
    }
    pack.info.actions = kept;
    registry->actions.insert(registry->actions.end(), kept.begin(), kept.end());
    return kept.size();
  };
  for (const auto& dir : options->dirs) {
    for (const auto& path : shared_objects(dir)) {
      auto pack = std::make_unique<LoadedPack>();
      pack->kind = plugins::worker_kind(path);
      // Trust is given by name, and the name is the pack's own word: a
      // trusted pack is opened here only once it is known by that name.
      Result<PackInfo> info = describe_in_worker(path, pack->kind, registry->config);
      if (!info) {
        log::error("plugins", "action pack skipped: {}", info.error().message);
        continue;
      }
      pack->trusted = std::find(options->trusted.begin(), options->trusted.end(), info->name) != options->trusted.end();
      if (pack->trusted) {
        auto opened = Pack::open(path);
        if (opened) {
          pack->in_process = std::move(opened).value();
          info = pack->in_process->describe(registry->config);
        } else {
          info = opened.error();
        }
        if (!info) {
          log::error("plugins", "action pack skipped: {}", info.error().message);
          continue;
        }
      }
      pack->info = std::move(info).value();
      size_t kept = keep_unclaimed(*pack);
      log::info("plugins", "action pack {} {} ({}): {} actions, {}", pack->info.name, pack->info.version, path, kept,
                pack->trusted ? "trusted (runs inside the server)" : "runs in worker processes");
      registry->packs.push_back(std::move(pack));
    }
  }
  // Mistral custom actions in Python, when configured: one more pack, whose
  // workers are the configured interpreter.
  auto python = python::options_from_config(config);
  if (!python) return python.error();
  if (python->python.empty()) {
    registry->python_code_problem =
        fmt::format("[python_actions] python = {}: no such program; give the path of a Python 3 interpreter that "
                    "has mistral-lib (Debian's python3-mistral-lib), e.g. /usr/bin/python3",
                    python->python_option);
  } else {
    python::PythonOptions plain;  // nothing to load: the code sources only
    plain.python = python->python;
    registry->python_code_kind = python::worker_kind(plain);
  }
  registry->python_class_timeout_s = python->class_timeout_s;
  if (python->enabled()) {
    auto pack = std::make_unique<LoadedPack>();
    pack->python = true;
    pack->kind = python::worker_kind(*python);
    auto catalog = python::describe(*python, pack->kind);
    if (!catalog) {
      log::error("python", "no Python action loaded: {}", catalog.error().message);
    } else {
      for (const auto& problem : catalog->problems) log::error("python", "{}", problem);
      pack->info.name = "python";
      pack->info.path = python->python;
      pack->info.actions = std::move(catalog->actions);
      registry->python_code_kind = pack->kind;  // one pool: the code sources see the packs' path too
      size_t kept = keep_unclaimed(*pack);
      log::info("python", "Python actions ({}): {} actions, run in worker processes", python->python, kept);
      registry->packs.push_back(std::move(pack));
    }
  }
  for (const auto& pack : registry->packs)
    for (const auto& a : pack->info.actions) registry->pack_of[a.name] = pack.get();
  std::sort(registry->actions.begin(), registry->actions.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  size_t count = registry->actions.size();
  // Loaded once per process; a second call (tests) replaces the set and
  // keeps the old one alive, since a running action may still read it.
  if (const Registry* old = g_registry.exchange(registry.release())) {
    static std::mutex retired_mutex;
    static std::vector<std::unique_ptr<const Registry>> retired;
    std::lock_guard<std::mutex> lock(retired_mutex);
    retired.emplace_back(old);
  }
  return count;
}

const std::vector<ActionDescriptor>& plugin_action_descriptors() {
  static const std::vector<ActionDescriptor> none;
  const Registry* r = g_registry.load();
  return r ? r->actions : none;
}

const ActionDescriptor* find_plugin_action(std::string_view name) {
  const Registry* r = g_registry.load();
  if (!r) return nullptr;
  auto it = std::lower_bound(r->actions.begin(), r->actions.end(), name,
                             [](const ActionDescriptor& a, std::string_view n) { return a.name < n; });
  return it != r->actions.end() && it->name == name ? &*it : nullptr;
}

ActionResult run_plugin_action(const ActionDescriptor& action, const Value& input, const ActionRunContext& ctx) {
  const Registry* r = g_registry.load();
  const LoadedPack* found = nullptr;
  if (r) {
    auto it = r->pack_of.find(action.name);
    if (it != r->pack_of.end()) found = it->second;
  }
  if (!found) return ActionResult::failure(Value(fmt::format("Action not found [action_name={}]", action.name)));
  const LoadedPack& pack = *found;
  Value context = plugins::action_context(ctx);
  if (pack.python) return python::run(pack.kind, action, input, context, ctx);
  if (pack.trusted) return pack.in_process->run(action.name, input, context, r->config, ctx);
  return workers::exchange(pack.kind, plugins::run_request(action.name, input, context, r->config, ctx), ctx,
                           fmt::format("the worker of action pack {}", pack.info.name),
                           fmt::format("the pack ({}) has a bug: its author should see the server log; the server "
                                       "itself is unaffected and rerunning the task is safe",
                                       pack.info.path));
}

ActionResult run_python_code(const DynamicActionCode& code, const Value& input, const ActionRunContext& ctx) {
  const Registry* r = g_registry.load();
  std::string problem = r ? r->python_code_problem : std::string("no Python interpreter is configured");
  if (!r || !r->python_code_kind)
    return ActionResult::failure(Value(fmt::format(
        "Dynamic action {}: code source '{}' is Python, and it cannot run: {}", code.action_name,
        code.code_source_name, problem)));
  return python::run_code(*r->python_code_kind, code, input, plugins::action_context(ctx), ctx);
}

std::optional<ActionDescriptor> describe_python_code(const DynamicActionCode& code) {
  const Registry* r = g_registry.load();
  if (!r || !r->python_code_kind) return std::nullopt;
  auto& cache = code_class_cache();
  auto key = std::make_tuple(code.code_source_id, code.version, code.class_name);
  {
    std::lock_guard<std::mutex> lock(cache.mutex);
    if (auto it = cache.known.find(key); it != cache.known.end()) {
      std::optional<ActionDescriptor> found = it->second;
      if (found) found->name = code.action_name;  // two dynamic actions may name one class
      return found;
    }
  }
  // The engine asks while it schedules the action: a module that does not
  // load within [python_actions] class_timeout (a loop at its top level) is
  // not waited for.
  ActionRunContext ctx;
  ctx.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(r->python_class_timeout_s);
  ActionResult answer = python::describe_code(*r->python_code_kind, code, ctx);
  std::optional<ActionDescriptor> found;
  if (!answer.failed && answer.data.is_dict()) {
    const Value& spec = answer.data["input"];
    auto params = parse_input_signature(spec.is_string() ? spec.as_string() : std::string());
    if (params) {
      ActionDescriptor d;
      d.name = code.action_name;
      d.class_name = answer.data["class_name"].is_string() ? answer.data["class_name"].as_string() : code.class_name;
      d.description = answer.data["description"].is_string() ? answer.data["description"].as_string() : "";
      d.params = std::move(params).value();
      found = std::move(d);
    }
  }
  // Kept for the module's version, whatever it was (a module too slow to
  // load is not waited for again: its runs say what happens).
  std::lock_guard<std::mutex> lock(cache.mutex);
  cache.known.emplace(key, found);
  return found;
}

Result<std::vector<ActionParam>> parse_input_signature(std::string_view text) {
  std::vector<ActionParam> out;
  // Split at the commas outside strings, lists and dicts.
  std::vector<std::string> items;
  int depth = 0;
  bool in_string = false, escaped = false;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    char c = i < text.size() ? text[i] : ',';
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') ++depth;
    else if (c == ']' || c == '}') --depth;
    else if (c == ',' && depth == 0) {
      items.push_back(trim(text.substr(start, i - start)));
      start = i + 1;
    }
  }
  if (in_string || depth != 0)
    return bad_input(fmt::format("'{}': a string, list or dict is not closed", text));
  for (const auto& item : items) {
    if (item.empty()) {
      if (items.size() == 1) break;  // no parameters at all
      return bad_input(fmt::format("'{}': an empty parameter between commas", text));
    }
    size_t eq = item.find('=');
    std::string name = trim(std::string_view(item).substr(0, eq));
    bool kwargs = name.rfind("**", 0) == 0;
    std::string bare = kwargs ? name.substr(2) : name;
    bool valid = !bare.empty() && !std::isdigit(static_cast<unsigned char>(bare[0])) &&
                 std::all_of(bare.begin(), bare.end(),
                             [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
    if (!valid)
      return bad_input(fmt::format("'{}': '{}' is not a parameter name (letters, digits and '_')", text, name));
    if (eq == std::string::npos) {
      out.push_back({name, std::nullopt});
      continue;
    }
    if (kwargs) return bad_input(fmt::format("'{}': {} cannot have a default", text, name));
    auto value = parse_json(trim(std::string_view(item).substr(eq + 1)));
    if (!value)
      return bad_input(fmt::format("'{}': the default of {} is not JSON ({})", text, name, value.error().message));
    out.push_back({name, std::move(value).value()});
  }
  return out;
}

}  // namespace bora::executor
