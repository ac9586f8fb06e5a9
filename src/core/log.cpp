#include "bora/core/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

#include "bora/core/time.h"

namespace bora::log {

namespace {
std::atomic<Level> g_level{Level::Info};
std::mutex g_mutex;  // one line at a time, never interleaved
}  // namespace

void set_level(Level l) { g_level.store(l, std::memory_order_relaxed); }
Level level() { return g_level.load(std::memory_order_relaxed); }

std::optional<Level> parse_level(std::string_view t) {
  if (t == "debug") return Level::Debug;
  if (t == "info") return Level::Info;
  if (t == "warning" || t == "warn") return Level::Warning;
  if (t == "error") return Level::Error;
  if (t == "off") return Level::Off;
  return std::nullopt;
}

void write(Level l, std::string_view component, std::string_view message) {
  static const char* names[] = {"DEBUG", "INFO ", "WARN ", "ERROR"};
  std::string line = format_iso_time(now_utc());
  line += ' ';
  line += names[static_cast<int>(l) < 4 ? static_cast<int>(l) : 3];
  line += ' ';
  line += component;
  line += ": ";
  line += message;
  line += '\n';
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace bora::log
