#include "bora/core/time.h"

#include <cstdio>
#include <ctime>

#include "bora/core/replay_tape.h"

namespace bora {

namespace {

struct Civil {
  int year, month, day, hour, minute, second, micros;
};

Civil to_civil(Timestamp t) {
  int64_t us = to_micros(t);
  int64_t secs = us / 1000000;
  int64_t frac = us % 1000000;
  if (frac < 0) {
    frac += 1000000;
    --secs;
  }
  std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
          static_cast<int>(frac)};
}

}  // namespace

// Through the thread's replay tape when one is bound (core/replay_tape.h).
Timestamp now_utc() noexcept {
  return ReplayTape::time(std::chrono::time_point_cast<std::chrono::microseconds>(Clock::now()));
}

std::string format_api_time(Timestamp t) {
  Civil c = to_civil(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return buf;
}

std::string format_iso_time(Timestamp t) {
  Civil c = to_civil(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06d", c.year, c.month, c.day,
                c.hour, c.minute, c.second, c.micros);
  return buf;
}

std::optional<Timestamp> parse_time(std::string_view s) {
  int year, month, day, hour, minute, second = 0, consumed = 0;
  std::string text(s);
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%*1[ T]%2d:%2d%n", &year, &month, &day, &hour, &minute,
                  &consumed) != 5)
    return std::nullopt;
  size_t pos = static_cast<size_t>(consumed);
  int64_t micros = 0;
  if (pos < text.size() && text[pos] == ':') {
    int n = 0;
    if (std::sscanf(text.c_str() + pos, ":%2d%n", &second, &n) != 1) return std::nullopt;
    pos += static_cast<size_t>(n);
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      int digits = 0;
      while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
        if (digits < 6) micros = micros * 10 + (text[pos] - '0');
        ++digits;
        ++pos;
      }
      if (digits == 0) return std::nullopt;
      for (int d = digits; d < 6; ++d) micros *= 10;
    }
  }
  std::string_view rest(text.c_str() + pos);
  if (!(rest.empty() || rest == "Z" || rest == "+00:00")) return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  std::time_t secs = timegm(&tm);
  return from_micros(static_cast<int64_t>(secs) * 1000000 + micros);
}

}  // namespace bora
