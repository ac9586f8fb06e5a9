// core/log: structured logs to stderr, one line per event:
//   2026-11-24T22:13:17.123456 INFO  api: message key=value
// The component says which module speaks; an execution id, when there is one,
// goes in as exec=<id> so a workflow's story can be grepped.
#pragma once

#include <fmt/core.h>

#include <optional>
#include <string_view>

namespace bora::log {

enum class Level { Debug = 0, Info = 1, Warning = 2, Error = 3, Off = 4 };

void set_level(Level level);
Level level();
// "debug", "info", "warning", "error", "off"; nullopt when unknown.
std::optional<Level> parse_level(std::string_view text);

void write(Level level, std::string_view component, std::string_view message);

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
