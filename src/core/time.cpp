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
  // Arithmetic, not gmtime_r (which takes glibc's time zone lock): times
  // are broken down for every event and every expression scope.
  int64_t us = to_micros(t);
  int64_t secs = us / 1000000;
  int64_t frac = us % 1000000;
  if (frac < 0) {
    frac += 1000000;
    --secs;
  }
  int64_t days = secs / 86400;
  int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  // Days since 1970-01-01 to the proleptic Gregorian date (the civil-from-
  // days algorithm: eras of 400 years from 0000-03-01).
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {static_cast<int>(year), static_cast<int>(month), static_cast<int>(day), static_cast<int>(rem / 3600),
          static_cast<int>(rem % 3600 / 60), static_cast<int>(rem % 60), static_cast<int>(frac)};
}

// `width` decimal digits of a non-negative value, without snprintf (8 % of
// an engine run's instructions went to formatting times with it).
void put_digits(char* at, int value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    at[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

// "YYYY-MM-DD?HH:MM:SS" into buf (19 characters).
void put_date_time(char* buf, const Civil& c, char separator) {
  put_digits(buf, c.year, 4);
  buf[4] = '-';
  put_digits(buf + 5, c.month, 2);
  buf[7] = '-';
  put_digits(buf + 8, c.day, 2);
  buf[10] = separator;
  put_digits(buf + 11, c.hour, 2);
  buf[13] = ':';
  put_digits(buf + 14, c.minute, 2);
  buf[16] = ':';
  put_digits(buf + 17, c.second, 2);
}

}  // namespace

// Through the thread's replay tape when one is bound (core/replay_tape.h).
Timestamp now_utc() noexcept {
  return ReplayTape::time(std::chrono::time_point_cast<std::chrono::microseconds>(Clock::now()));
}

std::string format_api_time(Timestamp t) {
  Civil c = to_civil(t);
  if (c.year >= 0 && c.year <= 9999) {
    char buf[19];
    put_date_time(buf, c, ' ');
    return std::string(buf, sizeof buf);
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return buf;
}

std::string format_iso_time(Timestamp t) {
  Civil c = to_civil(t);
  if (c.year >= 0 && c.year <= 9999) {
    char buf[26];
    put_date_time(buf, c, 'T');
    buf[19] = '.';
    put_digits(buf + 20, c.micros, 6);
    return std::string(buf, sizeof buf);
  }
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

std::optional<Timestamp> parse_time_or_date(std::string_view text) {
  if (auto t = parse_time(text)) return t;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  std::string midnight(text);
  midnight += " 00:00";
  return parse_time(midnight);
}

}  // namespace bora
