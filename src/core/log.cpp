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
std::atomic<bool> g_wf_trace{false};
std::atomic<Level> g_wf_trace_level{Level::Info};

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
thread_local Context t_context;

template <size_t N>
void copy_id(char (&to)[N], std::string_view from) {
  size_t n = from.size() < N - 1 ? from.size() : N - 1;
  from.copy(to, n);
  to[n] = '\0';
}

// The context's ids as (text key, JSON field, value), those set only.
struct ContextId {
  std::string_view key, field, value;
};
size_t context_ids(const Context& c, ContextId (&out)[4]) {
  size_t n = 0;
  for (const ContextId& id : {ContextId{"exec", "execution_id", c.execution_id},
                              ContextId{"task_ex", "task_execution_id", c.task_execution_id},
                              ContextId{"trace", "trace_id", c.trace_id}, ContextId{"span", "span_id", c.span_id}})
    if (!id.value.empty()) out[n++] = id;
  return n;
}
}  // namespace

// True when the message names the context's id under any of its keys
// (exec=, execution_id=, ...).
bool named_in(std::string_view message, const ContextId& id) {
  if (pair_value(message, id.key) == id.value) return true;
  for (const auto& f : kIdFields)
    if (f.field == id.field && pair_value(message, f.key) == id.value) return true;
  return false;
}

ScopedContext::ScopedContext(std::string_view execution_id, std::string_view task_execution_id,
                             std::string_view trace_id, std::string_view span_id)
    : saved_(t_context) {
  copy_id(t_context.execution_id, execution_id);
  copy_id(t_context.task_execution_id, task_execution_id);
  copy_id(t_context.trace_id, trace_id);
  copy_id(t_context.span_id, span_id);
}
ScopedContext::~ScopedContext() { t_context = saved_; }
const Context& current_context() { return t_context; }

void set_level(Level l) { g_level.store(l, std::memory_order_relaxed); }
void set_format(Format f) { g_format.store(f, std::memory_order_relaxed); }

std::optional<Format> parse_format(std::string_view t) {
  if (t == "text") return Format::Text;
  if (t == "json") return Format::Json;
  return std::nullopt;
}
void set_workflow_trace(bool on, Level l) {
  g_wf_trace_level.store(l, std::memory_order_relaxed);
  g_wf_trace.store(on, std::memory_order_relaxed);
}
bool workflow_trace_on() {
  return g_wf_trace.load(std::memory_order_relaxed) && level() <= g_wf_trace_level.load(std::memory_order_relaxed);
}
void workflow_trace(std::string_view message) {
  if (workflow_trace_on()) write(g_wf_trace_level.load(std::memory_order_relaxed), "workflow_trace", message);
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
                        std::string_view message, const Context& context) {
  ContextId ids[4];
  size_t n_ids = context_ids(context, ids);
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
    for (size_t i = 0; i < n_ids; ++i) {
      if (std::find(seen, seen + n, ids[i].field) != seen + n) continue;  // the message named it
      line += ", \"";
      line += ids[i].field;
      line += "\": ";
      append_json_string(line, ids[i].value);
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
  bool opened = false;
  for (size_t i = 0; i < n_ids; ++i) {
    if (named_in(message, ids[i])) continue;  // the message names it already
    line += opened ? " " : " [";
    opened = true;
    line += ids[i].key;
    line += '=';
    line += ids[i].value;
  }
  if (opened) line += ']';
  return line;
}

void write(Level l, std::string_view component, std::string_view message) {
  std::string line =
      format_line(g_format.load(std::memory_order_relaxed), l, format_iso_time(now_utc()), component, message,
                  t_context);
  line += '\n';
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace bora::log
