// core/log: structured logs to stderr, one line per event:
//   2026-11-24T22:13:17.123456 INFO  api: message key=value
// The component says which module speaks; an execution id, when there is one,
// goes in as exec=<id> so a workflow's story can be grepped.
// With [logging] format = json (`--log-format json`), each line is one JSON
// object for log shippers:
//   {"time": "...", "level": "info", "component": "api", "message": "...",
//    "execution_id": "..."}
// where id pairs of the message (exec=<uuid>, task_ex=, action_ex=,
// trace=) also become the fields execution_id, task_execution_id,
// action_execution_id and trace_id.
//
// A line written while a ScopedContext is active on the thread (the engine
// sets one while it works for an execution, the executor while it runs an
// action) also carries that execution's ids and, when tracing is on, the
// trace and span ids: in text as a suffix
//   ... message [exec=<id> task_ex=<id> trace=<32 hex> span=<16 hex>]
// (an id the message already names is not repeated), in JSON as the fields
// execution_id, task_execution_id, trace_id and span_id.
#pragma once

#include <fmt/core.h>

#include <optional>
#include <string_view>

namespace bora::log {

enum class Level { Debug = 0, Info = 1, Warning = 2, Error = 3, Off = 4 };

enum class Format { Text, Json };

void set_level(Level level);
void set_format(Format format);
// "text", "json"; nullopt when unknown.
std::optional<Format> parse_format(std::string_view text);
Level level();
// "debug", "info", "warning", "error", "off"; nullopt when unknown.
std::optional<Level> parse_level(std::string_view text);

// The ids a thread works for (see above). Fixed buffers: setting one costs
// no allocation, so the engine sets it whether or not anything is logged.
struct Context {
  char execution_id[37] = {};
  char task_execution_id[37] = {};
  char trace_id[33] = {};
  char span_id[17] = {};
  bool empty() const { return !execution_id[0] && !task_execution_id[0] && !trace_id[0] && !span_id[0]; }
};
// Sets the thread's context for its lifetime (empty arguments: unset) and
// restores the previous one after; nests.
class ScopedContext {
 public:
  ScopedContext(std::string_view execution_id, std::string_view task_execution_id = {},
                std::string_view trace_id = {}, std::string_view span_id = {});
  ~ScopedContext();
  ScopedContext(const ScopedContext&) = delete;
  ScopedContext& operator=(const ScopedContext&) = delete;

 private:
  Context saved_;
};
// The calling thread's context (empty when none).
const Context& current_context();

void write(Level level, std::string_view component, std::string_view message);
// The line write() prints (without the newline), in the given format.
std::string format_line(Format format, Level level, std::string_view time, std::string_view component,
                        std::string_view message, const Context& context = Context{});

// Mistral's workflow trace log ([logging] workflow_trace, off by default,
// and workflow_trace_level): one line per execution, task and action state
// change, in Mistral's words, under the component "workflow_trace" (the
// name of Mistral's logger). workflow_trace_on() is what the engine asks
// before it formats one.
void set_workflow_trace(bool on, Level level);
bool workflow_trace_on();
void workflow_trace(std::string_view message);

template <typename... Args>
void debug(std::string_view component, fmt::format_string<Args...> f, Args&&... args) {
  if (level() <= Level::Debug) write(Level::Debug, component, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void info(std::string_view component, fmt::format_string<Args...> f, Args&&... args) {
  if (level() <= Level::Info) write(Level::Info, component, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void warning(std::string_view component, fmt::format_string<Args...> f, Args&&... args) {
  if (level() <= Level::Warning) write(Level::Warning, component, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void error(std::string_view component, fmt::format_string<Args...> f, Args&&... args) {
  if (level() <= Level::Error) write(Level::Error, component, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace bora::log
