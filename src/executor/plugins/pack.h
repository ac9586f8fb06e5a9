// executor/plugins/pack: one pack opened in this process (dlopen), its ABI
// version checked, described, initialised once and run. The server uses it
// for trusted packs; a pack's worker process uses it for the others.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bora/core/error.h"
#include "bora/executor/action.h"
#include "bora/executor/action_descriptor.h"
#include "bora/plugin.h"

namespace bora::executor::plugins {

// What a pack says about itself, as data (it crosses the worker's pipe).
struct PackInfo {
  std::string path;
  std::string name;
  std::string version;
  std::vector<ActionDescriptor> actions;
};

class Pack {
 public:
  // Opens the file and checks its ABI version; BadInput naming the file
  // (and both versions on a mismatch).
  static Result<std::unique_ptr<Pack>> open(const std::string& path);
  ~Pack();

  // The pack's declarations, its configuration section given to init()
  // (once per process). BadInput naming the file and the reason.
  Result<PackInfo> describe(const Value& config);

  // Runs one action; `config` initialises the pack first if that has not
  // happened in this process yet.
  ActionResult run(const std::string& action, const Value& input, const Value& context, const Value& config,
                   const ActionRunContext& ctx);

 private:
  Pack() = default;
  Result<void> init_once(const Value& config);

  std::string path_;
  void* handle_ = nullptr;
  const bora_plugin* plugin_ = nullptr;
  std::mutex init_mutex_;
  bool initialised_ = false;
  std::string init_error_;
};

// mistral-lib's ActionContext as the pack sees it (context_json).
Value action_context(const ActionRunContext& ctx);

// The host services given to packs (http under the reach rules, log).
const bora_host* host();

// The descriptors through JSON (the worker sends them to the server).
Value info_to_value(const PackInfo& info);
PackInfo info_from_value(const Value& v);

}  // namespace bora::executor::plugins
