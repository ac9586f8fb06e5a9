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

void write(Level level, std::string_view component, std::string_view message);
// The line write() prints (without the newline), in the given format.
std::string format_line(Format format, Level level, std::string_view time, std::string_view component,
                        std::string_view message);

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
