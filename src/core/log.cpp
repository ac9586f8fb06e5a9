#include "bora/core/log.h"

#include <algorithm>
#include <atomic>
#include <iterator>
#include <cstdio>
#include <mutex>
#include <string>

#include "bora/core/json.h"
#include "bora/core/time.h"

namespace bora::log {

namespace {
std::atomic<Level> g_level{Level::Info};
std::atomic<Format> g_format{Format::Text};

// key=value pairs of a message that become fields of a JSON line, when
// the value is an id (a UUID; 32 hex digits for a trace): `task=` in
// "Failed to run task [..., task=t1]" is a name and stays in the message.
struct IdField {
  std::string_view key, field;
};
constexpr IdField kIdFields[] = {{"exec", "execution_id"},
                                 {"execution_id", "execution_id"},
                                 {"task_ex", "task_execution_id"},
                                 {"task_execution_id", "task_execution_id"},
                                 {"action_ex", "action_execution_id"},
                                 {"action_ex_id", "action_execution_id"},
                                 {"action_execution_id", "action_execution_id"},
                                 {"trace", "trace_id"},
                                 {"trace_id", "trace_id"}};

bool looks_like_id(std::string_view v) {
  auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); };
  if (v.size() == 32) return std::all_of(v.begin(), v.end(), hex);
  if (v.size() != 36) return false;
  for (size_t i = 0; i < v.size(); ++i)
    if ((i == 8 || i == 13 || i == 18 || i == 23) ? v[i] != '-' : !hex(v[i])) return false;
  return true;
}

// The value of `key=` in a message (a word: up to a space, a comma, a
// closing bracket), when the key starts a word.
std::string_view pair_value(std::string_view message, std::string_view key) {
  for (size_t at = message.find(key); at != std::string_view::npos; at = message.find(key, at + 1)) {
    size_t eq = at + key.size();
    if (eq >= message.size() || message[eq] != '=') continue;
    if (at > 0 && message[at - 1] != ' ' && message[at - 1] != '(' && message[at - 1] != '[') continue;
    size_t end = message.find_first_of(" ,)]", eq + 1);
    std::string_view v = message.substr(eq + 1, end == std::string_view::npos ? std::string_view::npos : end - eq - 1);
    if (!v.empty()) return v;
  }
  return {};
}
std::mutex g_mutex;  // one line at a time, never interleaved
}  // namespace

void set_level(Level l) { g_level.store(l, std::memory_order_relaxed); }
void set_format(Format f) { g_format.store(f, std::memory_order_relaxed); }

std::optional<Format> parse_format(std::string_view t) {
  if (t == "text") return Format::Text;
  if (t == "json") return Format::Json;
  return std::nullopt;
}
Level level() { return g_level.load(std::memory_order_relaxed); }

std::optional<Level> parse_level(std::string_view t) {
  if (t == "debug") return Level::Debug;
  if (t == "info") return Level::Info;
  if (t == "warning" || t == "warn") return Level::Warning;
  if (t == "error") return Level::Error;
  if (t == "off") return Level::Off;
  return std::nullopt;
}

std::string format_line(Format format, Level l, std::string_view time, std::string_view component,
                        std::string_view message) {
  int index = static_cast<int>(l) < 4 ? static_cast<int>(l) : 3;
  std::string line;
  if (format == Format::Json) {
    static const char* names[] = {"debug", "info", "warning", "error"};
    line = "{\"time\": ";
    append_json_string(line, time);
    line += ", \"level\": \"";
    line += names[index];
    line += "\", \"component\": ";
    append_json_string(line, component);
    line += ", \"message\": ";
    append_json_string(line, message);
    std::string_view seen[std::size(kIdFields)];
    size_t n = 0;
    for (const auto& id : kIdFields) {
      std::string_view v = pair_value(message, id.key);
      if (!looks_like_id(v)) continue;
      if (std::find(seen, seen + n, id.field) != seen + n) continue;  // one field once
      seen[n++] = id.field;
      line += ", \"";
      line += id.field;
      line += "\": ";
      append_json_string(line, v);
    }
    line += '}';
    return line;
  }
  static const char* names[] = {"DEBUG", "INFO ", "WARN ", "ERROR"};
  line = time;
  line += ' ';
  line += names[index];
  line += ' ';
  line += component;
  line += ": ";
  line += message;
  return line;
}

void write(Level l, std::string_view component, std::string_view message) {
  std::string line =
      format_line(g_format.load(std::memory_order_relaxed), l, format_iso_time(now_utc()), component, message);
  line += '\n';
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace bora::log
