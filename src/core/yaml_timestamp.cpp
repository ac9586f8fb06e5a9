// core/yaml_timestamp: PyYAML's timestamp resolver and constructor
// (yaml/resolver.py, construct_yaml_timestamp in yaml/constructor.py).
#include "bora/core/yaml_timestamp.h"

#include <fmt/format.h>

#include <cstdlib>

namespace bora {

namespace {

int days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : days[m - 1];
}

}  // namespace

std::optional<YamlTimestampMatch> match_yaml_timestamp(std::string_view s) {
  auto digit = [&](size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; };
  auto number = [&](size_t& i, size_t least, size_t most) -> std::optional<int> {
    size_t from = i;
    int n = 0;
    while (i - from < most && digit(i)) n = n * 10 + (s[i++] - '0');
    if (i - from < least) return std::nullopt;
    return n;
  };
  YamlTimestamp t;
  size_t i = 0;
  if (!(s.size() >= 8 && digit(0))) return std::nullopt;
  auto y = number(i, 4, 4);
  if (!y || i >= s.size() || s[i++] != '-') return std::nullopt;
  size_t month_at = i;
  auto mo = number(i, 1, 2);
  if (!mo || i >= s.size() || s[i++] != '-') return std::nullopt;
  bool two = i - month_at == 3;
  size_t day_at = i;
  auto d = number(i, 1, 2);
  if (!d) return std::nullopt;
  two = two && i - day_at == 2;
  t.year = *y, t.month = *mo, t.day = *d;
  if (i == s.size()) {
    if (!two) return std::nullopt;  // a date alone is YYYY-MM-DD
  } else {
    if (s[i] == 'T' || s[i] == 't') {
      ++i;
    } else {
      size_t from = i;
      while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
      if (i == from) return std::nullopt;
    }
    auto h = number(i, 1, 2);
    if (!h || i >= s.size() || s[i++] != ':') return std::nullopt;
    auto mi = number(i, 2, 2);
    if (!mi || i >= s.size() || s[i++] != ':') return std::nullopt;
    auto se = number(i, 2, 2);
    if (!se) return std::nullopt;
    t.time = true, t.hour = *h, t.minute = *mi, t.second = *se;
    if (i < s.size() && s[i] == '.') {
      ++i;
      int scale = 100000;
      while (digit(i)) {
        t.micro += (s[i++] - '0') * scale;
        scale /= 10;
      }
    }
    // Blanks before nothing are no part of the pattern (its zone group
    // starts with them).
    size_t blanks = i;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i < s.size() && s[i] == 'Z') {
      ++i;
      t.aware = true;
    } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
      bool minus = s[i++] == '-';
      auto th = number(i, 1, 2);
      if (!th) return std::nullopt;
      int tm = 0;
      if (i < s.size() && s[i] == ':') {
        ++i;
        auto m2 = number(i, 2, 2);
        if (!m2) return std::nullopt;
        tm = *m2;
      }
      t.aware = true;
      t.offset = (minus ? -1 : 1) * (*th * 3600 + tm * 60);
    } else {
      i = blanks;
    }
    if (i != s.size()) return std::nullopt;
  }
  YamlTimestampMatch m{t, {}};
  // datetime's own checks, in its order and words.
  if (t.year < 1) m.error = fmt::format("year {} is out of range", t.year);
  else if (t.month < 1 || t.month > 12) m.error = "month must be in 1..12";
  else if (t.day < 1 || t.day > days_in_month(t.year, t.month)) m.error = "day is out of range for month";
  else if (t.hour > 23) m.error = "hour must be in 0..23";
  else if (t.minute > 59) m.error = "minute must be in 0..59";
  else if (t.second > 59) m.error = "second must be in 0..59";
  else if (t.aware && (t.offset <= -86400 || t.offset >= 86400))
    m.error = "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24).";
  return m;
}

std::string yaml_timestamp_repr(const YamlTimestamp& t) {
  if (!t.time) return fmt::format("datetime.date({}, {}, {})", t.year, t.month, t.day);
  std::string out = fmt::format("datetime.datetime({}, {}, {}, {}, {}", t.year, t.month, t.day, t.hour, t.minute);
  if (t.second || t.micro) out += fmt::format(", {}", t.second);
  if (t.micro) out += fmt::format(", {}", t.micro);
  if (t.aware) {
    if (t.offset == 0) {
      out += ", tzinfo=datetime.timezone.utc";
    } else {
      // timedelta's repr: days (floored) and the seconds left.
      int days = t.offset < 0 ? -1 : 0, seconds = t.offset - days * 86400;
      out += days ? fmt::format(", tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds={}))", seconds)
                  : fmt::format(", tzinfo=datetime.timezone(datetime.timedelta(seconds={}))", seconds);
    }
  }
  return out + ")";
}

}  // namespace bora
