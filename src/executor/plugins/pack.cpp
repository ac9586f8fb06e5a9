#include "pack.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <chrono>

#include "bora/core/json.h"
#include "bora/executor/plugins.h"

namespace bora::executor::plugins {

namespace {

int should_stop(const bora_run_control* control) {
  auto* ctx = static_cast<const ActionRunContext*>(control->host_data);
  return ctx && ctx->should_stop() ? 1 : 0;
}

std::string text_or_empty(const char* s) { return s ? s : ""; }

// The pack's string, released by the pack.
std::string take(const bora_plugin* plugin, char* s) {
  std::string out = s ? s : "";
  if (s && plugin->free_string) plugin->free_string(s);
  return out;
}

}  // namespace

Result<std::unique_ptr<Pack>> Pack::open(const std::string& path) {
  // RTLD_LOCAL: two packs may use the same symbol names without meeting.
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) return bad_input(fmt::format("cannot open action pack {}: {}", path, text_or_empty(::dlerror())));
  std::unique_ptr<Pack> pack(new Pack());
  pack->path_ = path;
  pack->handle_ = handle;
  auto abi = reinterpret_cast<bora_plugin_abi_fn>(::dlsym(handle, BORA_PLUGIN_ABI_SYMBOL));
  auto describe = reinterpret_cast<bora_plugin_describe_fn>(::dlsym(handle, BORA_PLUGIN_DESCRIBE_SYMBOL));
  if (!abi || !describe)
    return bad_input(fmt::format("{} is not a Bora action pack: it exports no {}() and {}() (see bora/plugin.h)", path,
                                 BORA_PLUGIN_ABI_SYMBOL, BORA_PLUGIN_DESCRIBE_SYMBOL));
  // Checked before anything else of the pack is read: the layout of
  // bora_plugin may differ in another version.
  uint32_t version = abi();
  if (version != BORA_PLUGIN_ABI_VERSION)
    return bad_input(fmt::format("action pack {} was built for plugin ABI version {}, this Bora has version {}: "
                                 "rebuild the pack against this Bora's bora/plugin.h",
                                 path, version, BORA_PLUGIN_ABI_VERSION));
  pack->plugin_ = describe();
  if (!pack->plugin_ || !pack->plugin_->name || !pack->plugin_->run || (pack->plugin_->action_count && !pack->plugin_->actions))
    return bad_input(fmt::format("action pack {} describes itself incompletely (no name, no run function or no "
                                 "action table)",
                                 path));
  return pack;
}

Pack::~Pack() {
  // Not dlclose()d: a pack may have started threads or registered
  // callbacks (libcurl, OpenSSL) that outlive any call into it.
}

Result<void> Pack::init_once(const Value& config) {
  std::lock_guard lock(init_mutex_);
  if (initialised_) {
    if (!init_error_.empty()) return bad_input(init_error_);
    return {};
  }
  initialised_ = true;
  if (!plugin_->init) return {};
  char* error = nullptr;
  // The pack sees its own section only ([<pack name>] of the configuration).
  const Value& section = config.is_dict() ? config[plugin_->name] : Value();
  std::string config_json = to_json(section.is_dict() ? section : Value(Dict{}));
  if (plugin_->init(host(), config_json.c_str(), &error) != 0) {
    init_error_ = fmt::format("action pack {} ({}) could not start: {}", plugin_->name, path_,
                              error ? take(plugin_, error) : std::string("its init() failed without a reason"));
    return bad_input(init_error_);
  }
  if (error) take(plugin_, error);
  return {};
}

Result<PackInfo> Pack::describe(const Value& config) {
  if (auto ok = init_once(config); !ok) return ok.error();
  PackInfo info;
  info.path = path_;
  info.name = plugin_->name;
  info.version = text_or_empty(plugin_->version);
  for (size_t i = 0; i < plugin_->action_count; ++i) {
    const bora_action_decl& decl = plugin_->actions[i];
    if (!decl.name || !*decl.name) return bad_input(fmt::format("action pack {}: action #{} has no name", path_, i));
    auto params = parse_input_signature(text_or_empty(decl.input_signature));
    if (!params)
      return bad_input(fmt::format("action pack {}: the input signature of {} cannot be read: {}", path_, decl.name,
                                   params.error().message));
    ActionDescriptor d;
    d.name = decl.name;
    d.description = text_or_empty(decl.description);
    d.params = std::move(params).value();
    d.class_name = decl.class_name ? decl.class_name : fmt::format("{} (pack {})", decl.name, info.name);
    info.actions.push_back(std::move(d));
  }
  return info;
}

ActionResult Pack::run(const std::string& action, const Value& input, const Value& context, const Value& config,
                       const ActionRunContext& ctx) {
  if (auto ok = init_once(config); !ok) return ActionResult::raise(ok.error().message);
  bora_run_control control{};
  control.should_stop = should_stop;
  control.deadline_ms = -1;
  if (ctx.deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*ctx.deadline - std::chrono::steady_clock::now());
    control.deadline_ms = std::max<int64_t>(0, left.count());
  }
  control.host_data = const_cast<ActionRunContext*>(&ctx);
  std::string input_json = to_json(input), context_json = to_json(context);
  char* answer = nullptr;
  int status = plugin_->run(host(), action.c_str(), input_json.c_str(), context_json.c_str(), &control, &answer);
  std::string text = take(plugin_, answer);
  auto parsed = parse_json(text.empty() ? "null" : text);
  if (!parsed)
    return ActionResult::raise(fmt::format("action pack {} answered {} with text that is not JSON: {}", plugin_->name,
                                           action, parsed.error().message));
  switch (status) {
    case BORA_RESULT_OK: return ActionResult::success(std::move(parsed).value());
    case BORA_RESULT_ERROR: return ActionResult::failure(std::move(parsed).value());
    case BORA_RESULT_RAISED: {
      Value v = std::move(parsed).value();
      return ActionResult::raise(v.is_string() ? v.as_string() : to_json(v));
    }
    default:
      return ActionResult::raise(fmt::format("action pack {} answered {} with an unknown status {}", plugin_->name,
                                             action, status));
  }
}

Value action_context(const ActionRunContext& ctx) {
  return Value::dict({{"execution", Value::dict({{"workflow_name", ctx.workflow_name},
                                                 {"workflow_execution_id", ctx.workflow_execution_id},
                                                 {"task_execution_id", ctx.task_execution_id},
                                                 {"action_execution_id", ctx.action_execution_id},
                                                 {"callback_url", ctx.callback_url},
                                                 {"with_items_index", ctx.with_items_index},
                                                 {"task_rerun_no", ctx.task_rerun_no},
                                                 {"workflow_propagated_headers", ctx.propagated_headers}})},
                      {"security", ctx.security.is_dict() ? ctx.security : Value(Dict{})}});
}

Value info_to_value(const PackInfo& info) {
  List actions;
  for (const auto& a : info.actions)
    actions.push_back(Value::dict({{"name", a.name},
                                   {"description", a.description},
                                   {"input_signature", a.input_signature()},
                                   {"class_name", a.class_name}}));
  return Value::dict(
      {{"path", info.path}, {"name", info.name}, {"version", info.version}, {"actions", Value(std::move(actions))}});
}

PackInfo info_from_value(const Value& v) {
  auto text = [](const Value& x) { return x.is_string() ? x.as_string() : std::string(); };
  PackInfo info{text(v["path"]), text(v["name"]), text(v["version"]), {}};
  if (v["actions"].is_list()) {
    for (const auto& a : v["actions"].as_list()) {
      ActionDescriptor d;
      d.name = text(a["name"]);
      d.description = text(a["description"]);
      d.class_name = text(a["class_name"]);
      // Written by describe() from a signature it could read.
      if (auto params = parse_input_signature(text(a["input_signature"]))) d.params = std::move(params).value();
      info.actions.push_back(std::move(d));
    }
  }
  return info;
}

}  // namespace bora::executor::plugins
