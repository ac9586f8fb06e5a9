// expr/yaql/library_date_time: datetime(), timespan(), now(), localtz(),
// utctz(), the properties (year ... timestamp; microseconds ... days), the
// methods format() and replace(), isDatetime/isTimespan, and the
// arithmetic and comparisons between them, as yaql's date_time.py.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <strings.h>

#include <yaml-cpp/yaml.h>

#include "bora/core/ascii.h"
#include "bora/core/json.h"
#include "bora/core/yaml.h"
#include "bora/core/yaml_timestamp.h"

#include "date_time.h"
#include "set_type.h"
#include "lazy_sequence.h"
#include "python_regex.h"

namespace bora::expr::yaql {

namespace {

constexpr int64_t kUsPerSecond = 1000000;
constexpr int64_t kUsPerDay = 86400 * kUsPerSecond;

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = floor_div(y, 400);
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Civil {
  int64_t year, month, day, hour, minute, second, microsecond;
  int64_t weekday;  // Monday = 0, as Python
  int64_t yday;     // 1..366
};

bool leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int64_t month_days(int64_t y, int64_t m) {
  static const int64_t days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

Civil civil(int64_t local_us) {
  int64_t days = floor_div(local_us, kUsPerDay);
  int64_t rem = local_us - days * kUsPerDay;
  int64_t z = days + 719468;
  int64_t era = floor_div(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  Civil c{};
  c.day = doy - (153 * mp + 2) / 5 + 1;
  c.month = mp < 10 ? mp + 3 : mp - 9;
  c.year = yoe + era * 400 + (c.month <= 2);
  c.hour = rem / (3600 * kUsPerSecond);
  c.minute = rem / (60 * kUsPerSecond) % 60;
  c.second = rem / kUsPerSecond % 60;
  c.microsecond = rem % kUsPerSecond;
  c.weekday = ((days + 3) % 7 + 7) % 7;  // 1970-01-01 was a Thursday (3); Monday is 0
  c.yday = days - days_from_civil(c.year, 1, 1) + 1;
  return c;
}

const Value& body(const Value& v, const char* key) { return *v.find(key); }
int64_t instant(const Value& dt) { return body(dt, kDateTimeKey)["us"].as_int(); }
int64_t offset_s(const Value& dt) { return body(dt, kDateTimeKey)["offset"].as_int(); }
int64_t span(const Value& ts) { return body(ts, kTimespanKey).as_int(); }
Civil local(const Value& dt) { return civil(instant(dt) + offset_s(dt) * kUsPerSecond); }
Zone zone_of_body(const Value& dt) {
  const Value* z = dt.find(kDateTimeKey)->find("zone");
  return z ? static_cast<Zone>(z->as_int()) : Zone::Dateutil;
}
// The zone a datetime keeps through yaql's operators, date, utc and
// replace: yaqltypes.DateTime() gives a naive one tzutc() first.
Zone taken_zone(const Value& dt) {
  Zone z = zone_of_body(dt);
  return z == Zone::Naive ? Zone::Dateutil : z;
}

}  // namespace

int64_t checked_civil_us(int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi, int64_t s, int64_t us) {
  if (y < 1 || y > 9999) throw EvalError(fmt::format("year {} is out of range", y));
  if (mo < 1 || mo > 12) throw EvalError("month must be in 1..12");
  if (d < 1 || d > month_days(y, mo)) throw EvalError("day is out of range for month");
  if (h < 0 || h > 23) throw EvalError("hour must be in 0..23");
  if (mi < 0 || mi > 59) throw EvalError("minute must be in 0..59");
  if (s < 0 || s > 59) throw EvalError("second must be in 0..59");
  if (us < 0 || us > 999999) throw EvalError("microsecond must be in 0..999999");
  return days_from_civil(y, mo, d) * kUsPerDay + ((h * 60 + mi) * 60 + s) * kUsPerSecond + us;
}

namespace {

std::string offset_text(int64_t off, bool colon) {
  char sign = off < 0 ? '-' : '+';
  int64_t a = std::llabs(off);
  return colon ? fmt::format("{}{:02}:{:02}", sign, a / 3600, a / 60 % 60)
               : fmt::format("{}{:02}{:02}", sign, a / 3600, a / 60 % 60);
}

}  // namespace

const char* const kDayNames[7] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
const char* const kMonthNames[12] = {"January", "February", "March",     "April",   "May",      "June",
                                     "July",    "August",   "September", "October", "November", "December"};

namespace {

// Python's strftime: %f, %z and %Z are Python's own, every other code
// is glibc's in the C locale (Mistral sets no LC_TIME), with glibc's flags
// (- no padding, _ spaces, 0 zeros, ^ upper case, # swapped case) and a
// width; a code glibc does not know is written as it stands (%Q).
std::string strftime(const Value& dt, const std::string& format) {
  Civil c = local(dt);
  // ISO 8601 year and week: the week's Thursday decides the year.
  auto year_days = [](int64_t y) { return leap(y) ? int64_t{366} : int64_t{365}; };
  int64_t thursday = c.yday - c.weekday + 3, iso_year = c.year;
  if (thursday < 1) {
    iso_year = c.year - 1;
    thursday += year_days(iso_year);
  } else if (thursday > year_days(c.year)) {
    thursday -= year_days(c.year);
    iso_year = c.year + 1;
  }
  int64_t iso_week = (thursday - 1) / 7 + 1;
  int64_t hour12 = c.hour % 12 == 0 ? 12 : c.hour % 12;
  auto two = [](int64_t v) { return fmt::format("{:02}", v); };
  std::string day_abbr = std::string(kDayNames[c.weekday]).substr(0, 3);
  std::string month_abbr = std::string(kMonthNames[c.month - 1]).substr(0, 3);
  std::string out;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 >= format.size()) {
      out += format[i];
      continue;
    }
    size_t start = i++;
    // Python's own codes, right after the %.
    if (format[i] == 'f') {
      out += fmt::format("{:06}", c.microsecond);
      continue;
    }
    if (format[i] == 'z') {
      out += offset_text(offset_s(dt), false);
      continue;
    }
    if (format[i] == 'Z') {
      out += offset_s(dt) == 0 ? "UTC" : "";
      continue;
    }
    std::string flags;
    while (i < format.size() && std::string_view("-_0^#").find(format[i]) != std::string_view::npos)
      flags += format[i++];
    size_t width = 0;
    bool has_width = false;
    while (i < format.size() && format[i] >= '0' && format[i] <= '9') {
      width = std::min<size_t>(width * 10 + static_cast<size_t>(format[i++] - '0'), 4096);
      has_width = true;
    }
    if (i < format.size() && (format[i] == 'E' || format[i] == 'O')) ++i;
    if (i >= format.size()) {
      out += format.substr(start);
      break;
    }
    char code = format[i];
    // A number: its value, the width and padding glibc gives it.
    std::optional<int64_t> number;
    size_t digits = 2;
    char pad = '0';
    std::string text;
    bool is_text = false;  // a name, whose case the flags change
    switch (code) {
      case 'Y': number = c.year; digits = 1; break;
      case 'G': number = iso_year; digits = 1; break;
      case 'C': number = c.year / 100; digits = 1; break;
      case 'y': number = c.year % 100; break;
      case 'g': number = iso_year % 100; break;
      case 'm': number = c.month; break;
      case 'd': number = c.day; break;
      case 'e': number = c.day; pad = ' '; break;
      case 'H': number = c.hour; break;
      case 'k': number = c.hour; pad = ' '; break;
      case 'I': number = hour12; break;
      case 'l': number = hour12; pad = ' '; break;
      case 'M': number = c.minute; break;
      case 'S': number = c.second; break;
      case 'j': number = c.yday; digits = 3; break;
      case 'u': number = c.weekday + 1; digits = 1; break;
      case 'w': number = (c.weekday + 1) % 7; digits = 1; break;
      case 'U': number = (c.yday - 1 + 7 - (c.weekday + 1) % 7) / 7; break;
      case 'W': number = (c.yday - 1 + 7 - c.weekday) / 7; break;
      case 'V': number = iso_week; break;
      case 's': {
        // The C library's %s is mktime() of the local fields: seconds
        // since the epoch, the fields read in the process's time zone
        // (so here too).
        std::tm tm{};
        tm.tm_year = static_cast<int>(c.year - 1900);
        tm.tm_mon = static_cast<int>(c.month - 1);
        tm.tm_mday = static_cast<int>(c.day);
        tm.tm_hour = static_cast<int>(c.hour);
        tm.tm_min = static_cast<int>(c.minute);
        tm.tm_sec = static_cast<int>(c.second);
        tm.tm_isdst = -1;
        number = static_cast<int64_t>(std::mktime(&tm));
        digits = 1;
        break;
      }
      case 'a': text = day_abbr; is_text = true; break;
      case 'A': text = kDayNames[c.weekday]; is_text = true; break;
      case 'b': case 'h': text = month_abbr; is_text = true; break;
      case 'B': text = kMonthNames[c.month - 1]; is_text = true; break;
      case 'p': text = c.hour < 12 ? "AM" : "PM"; is_text = true; break;
      case 'P': text = c.hour < 12 ? "am" : "pm"; break;
      // With a flag %Z is glibc's: the process's zone name (Python hands it
      // no tm_zone), UTC as Mistral runs.
      case 'Z': text = "UTC"; is_text = true; break;
      case 'c':
        text = fmt::format("{} {} {:>2} {}:{}:{} {}", day_abbr, month_abbr, c.day, two(c.hour), two(c.minute),
                           two(c.second), c.year);
        break;
      case 'x': case 'D': text = fmt::format("{}/{}/{}", two(c.month), two(c.day), two(c.year % 100)); break;
      case 'X': case 'T': text = fmt::format("{}:{}:{}", two(c.hour), two(c.minute), two(c.second)); break;
      case 'R': text = fmt::format("{}:{}", two(c.hour), two(c.minute)); break;
      case 'r': text = fmt::format("{}:{}:{} {}", two(hour12), two(c.minute), two(c.second), c.hour < 12 ? "AM" : "PM"); break;
      case 'F': text = fmt::format("{:04}-{}-{}", c.year, two(c.month), two(c.day)); break;
      case 'n': text = "\n"; break;
      case 't': text = "\t"; break;
      case '%': text = "%"; break;
      default:
        out += format.substr(start, i + 1 - start);  // glibc writes what it does not know as it stands
        continue;
    }
    char fill = flags.find('_') != std::string::npos ? ' ' : flags.find('0') != std::string::npos ? '0' : 0;
    bool no_pad = flags.find('-') != std::string::npos;
    if (number) {
      bool negative = *number < 0;
      std::string body = std::to_string(negative ? -*number : *number);
      size_t want = has_width ? width : no_pad ? 0 : digits;
      char p = fill ? fill : has_width && no_pad ? ' ' : pad;
      if (negative) body = "-" + body;
      if (body.size() < want) body = p == '0' && negative ? "-" + std::string(want - body.size(), '0') + body.substr(1)
                                                            : std::string(want - body.size(), p) + body;
      out += body;
      continue;
    }
    if (flags.find('^') != std::string::npos) text = ascii_upper(text);
    else if (flags.find('#') != std::string::npos && is_text) text = code == 'p' || code == 'Z' ? ascii_lower(text) : ascii_upper(text);
    if (has_width && text.size() < width) text = std::string(width - text.size(), fill == '0' ? '0' : ' ') + text;
    out += text;
  }
  return out;
}

// ISO 8601 as dateutil reads the common forms: date, optional T or space,
// HH:MM[:SS[.ffffff]], optional Z or an offset.
Value parse_iso(const std::string& s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  int64_t us = 0, off = 0;
  bool zoned = false;
  size_t i = 0;
  auto digits = [&](size_t n, int& out) {
    if (i + n > s.size()) return false;
    out = 0;
    for (size_t k = 0; k < n; ++k) {
      if (!std::isdigit(static_cast<unsigned char>(s[i + k]))) return false;
      out = out * 10 + (s[i + k] - '0');
    }
    i += n;
    return true;
  };
  auto expect = [&](char ch) {
    if (i < s.size() && s[i] == ch) return ++i, true;
    return false;
  };
  bool ok = digits(4, y) && expect('-') && digits(2, mo) && expect('-') && digits(2, d);
  if (ok && i < s.size() && (s[i] == 'T' || s[i] == ' ')) {
    ++i;
    ok = digits(2, h) && expect(':') && digits(2, mi);
    if (ok && expect(':')) {
      ok = digits(2, sec);
      if (ok && i < s.size() && (s[i] == '.' || s[i] == ',')) {
        ++i;
        int64_t scale = 100000;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
          us += (s[i++] - '0') * scale;
          scale /= 10;
        }
      }
    }
  }
  if (ok && i < s.size()) {
    zoned = true;
    if (s[i] == 'Z' && i + 1 == s.size()) {
      ++i;
    } else if (s[i] == '+' || s[i] == '-') {
      int sign = s[i++] == '-' ? -1 : 1, oh = 0, om = 0;
      ok = digits(2, oh);
      if (ok && i < s.size()) {
        expect(':');
        ok = digits(2, om);
      }
      off = sign * (oh * 3600 + om * 60);
    } else {
      ok = false;
    }
  }
  if (!ok || i != s.size()) throw EvalError(fmt::format("Unknown string format: {}", s));
  // dateutil names a zero offset (Z, +00:00) UTC: tzlocal() on a UTC host.
  return make_datetime(checked_civil_us(y, mo, d, h, mi, sec, us) - off * kUsPerSecond, off,
                       zoned && off == 0 ? utc_named_zone() : Zone::Dateutil);
}

// strptime for %Y %m %d %H %M %S %f %y %z %% and literal text.
Value parse_with_format(const std::string& s, const std::string& format) {
  int64_t y = 1900, mo = 1, d = 1, h = 0, mi = 0, sec = 0, us = 0, off = 0;
  bool zoned = false;
  size_t i = 0;
  auto fail = [&]() -> EvalError {
    return EvalError(fmt::format("time data '{}' does not match format '{}'", s, format));
  };
  auto number = [&](size_t max_digits) {
    size_t start = i;
    int64_t v = 0;
    while (i < s.size() && i - start < max_digits && std::isdigit(static_cast<unsigned char>(s[i])))
      v = v * 10 + (s[i++] - '0');
    if (i == start) throw fail();
    return v;
  };
  // A month or weekday name (case-insensitive; abbreviated: three letters).
  auto name = [&](const char* const* names, int count, bool abbreviated) {
    for (int k = 0; k < count; ++k) {
      std::string n = abbreviated ? std::string(names[k]).substr(0, 3) : names[k];
      if (i + n.size() <= s.size() && strncasecmp(s.c_str() + i, n.c_str(), n.size()) == 0) {
        i += n.size();
        return static_cast<int64_t>(k);
      }
    }
    throw fail();
  };
  bool twelve_hour = false;
  std::optional<bool> pm;
  for (size_t f = 0; f < format.size(); ++f) {
    if (format[f] != '%' || f + 1 >= format.size()) {
      if (i >= s.size() || s[i] != format[f]) throw fail();
      ++i;
      continue;
    }
    switch (format[++f]) {
      case 'Y': y = number(4); break;
      case 'y': y = 2000 + number(2); y = y >= 2069 ? y - 100 : y; break;
      case 'm': mo = number(2); break;
      case 'd': d = number(2); break;
      case 'H': h = number(2); break;
      case 'M': mi = number(2); break;
      case 'S': sec = number(2); break;
      case 'f': {
        size_t start = i;
        int64_t v = number(6);
        for (size_t k = i - start; k < 6; ++k) v *= 10;
        us = v;
        break;
      }
      case 'z': {
        if (i >= s.size() || (s[i] != '+' && s[i] != '-')) throw fail();
        int64_t sign = s[i++] == '-' ? -1 : 1;
        int64_t hh = number(2);
        if (i < s.size() && s[i] == ':') ++i;
        off = sign * (hh * 3600 + number(2) * 60);
        zoned = true;
        break;
      }
      case '%':
        if (i >= s.size() || s[i] != '%') throw fail();
        ++i;
        break;
      case 'B': case 'b': mo = name(kMonthNames, 12, format[f] == 'b') + 1; break;
      case 'A': case 'a': name(kDayNames, 7, format[f] == 'a'); break;  // read, not used (as strptime)
      case 'I': h = number(2); twelve_hour = true; break;
      case 'p': {
        std::string half = i + 2 <= s.size() ? s.substr(i, 2) : "";
        for (auto& ch : half) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        if (half != "AM" && half != "PM") throw fail();
        pm = half == "PM";
        i += 2;
        break;
      }
      default: throw EvalError(fmt::format("the format code %{} is not supported", format[f]));
    }
  }
  if (i != s.size()) throw EvalError(fmt::format("unconverted data remains: {}", s.substr(i)));
  // %p only changes a %I hour, as in Python's strptime.
  if (twelve_hour && pm) h = *pm ? (h % 12) + 12 : h % 12;
  // strptime's %z gives a datetime.timezone.
  return make_datetime(checked_civil_us(y, mo, d, h, mi, sec, us) - off * kUsPerSecond, off,
                       zoned ? Zone::Timezone : Zone::Dateutil);
}

int64_t offset_argument(const Call& c, size_t position) {
  auto v = argument(c, position, "offset");
  if (!v || v->is_null()) return 0;
  if (!is_timespan(*v)) throw EvalError(fmt::format("No function \"{}\" matches supplied arguments", c.name));
  return span(*v) / kUsPerSecond;
}

}  // namespace

CivilDate utc_today() {
  int64_t us = std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::system_clock::now().time_since_epoch()).count();
  Civil c = civil(us);
  return CivilDate{c.year, c.month, c.day};
}

namespace {

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string timespan_text(int64_t us) {
  int64_t days = floor_div(us, kUsPerDay);
  int64_t rem = us - days * kUsPerDay;
  std::string out;
  if (days != 0) out = fmt::format("{} day{}, ", days, std::llabs(days) == 1 ? "" : "s");
  out += fmt::format("{}:{:02}:{:02}", rem / (3600 * kUsPerSecond), rem / (60 * kUsPerSecond) % 60,
                     rem / kUsPerSecond % 60);
  if (rem % kUsPerSecond) out += fmt::format(".{:06}", rem % kUsPerSecond);
  return out;
}

}  // namespace

namespace {

// Python's datetime and timedelta raise OverflowError past their range;
// here microseconds past int64 would be undefined behaviour (found by the
// yaql fuzz target: timespan(days => 10**17)). Every sum, difference and
// product of microseconds goes through these.
int64_t us_add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) throw EvalError("date value out of range");
  return r;
}
int64_t us_sub(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) throw EvalError("date value out of range");
  return r;
}
int64_t us_mul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) throw EvalError("date value out of range");
  return r;
}
int64_t us_round(double d) {
  if (!(d > -9.2e18 && d < 9.2e18)) throw EvalError("date value out of range");
  return static_cast<int64_t>(std::llround(d));
}

}  // namespace

Value make_datetime(int64_t instant_us, int64_t offset, Zone zone) {
  note_object_made();
  Value body = Value::dict({{"us", Value(instant_us)}, {"offset", Value(offset)}});
  if (zone != Zone::Dateutil) body = body.with("zone", Value(static_cast<int64_t>(zone)));
  return Value::dict({{kDateTimeKey, std::move(body)}});
}

Zone zone_of(const Value& dt) { return zone_of_body(dt); }

Zone utc_named_zone() {
  static const bool utc_host = [] {
    tzset();
    return timezone == 0 && (std::string(tzname[0]) == "UTC" || std::string(tzname[1]) == "UTC");
  }();
  return utc_host ? Zone::Local : Zone::Dateutil;
}

Value make_date(int64_t year, int64_t month, int64_t day) {
  note_object_made();
  return Value::dict({{kDateKey, Value::list({Value(year), Value(month), Value(day)})}});
}

bool is_date(const Value& v) { return v.is_dict() && v.size() == 1 && v.find(kDateKey); }

Value make_timespan(int64_t us) {
  note_object_made();
  return Value::dict({{kTimespanKey, Value(us)}});
}

bool is_datetime(const Value& v) { return v.is_dict() && v.size() == 1 && v.find(kDateTimeKey); }
bool is_timespan(const Value& v) { return v.is_dict() && v.size() == 1 && v.find(kTimespanKey); }

std::optional<Value> date_time_binary(const std::string& op, const Value& a, const Value& b) {
  bool da = is_datetime(a), db = is_datetime(b), ta = is_timespan(a), tb = is_timespan(b);
  if (!da && !db && !ta && !tb) return std::nullopt;
  auto compare = [&](int64_t x, int64_t y) -> std::optional<Value> {
    if (op == "=") return Value(x == y);
    if (op == "!=") return Value(x != y);
    if (op == "<") return Value(x < y);
    if (op == ">") return Value(x > y);
    if (op == "<=") return Value(x <= y);
    if (op == ">=") return Value(x >= y);
    return std::nullopt;
  };
  if (da && db) {
    // Python's == between a naive and an aware datetime is false (yaql's
    // own operators take a naive one as UTC).
    if ((op == "=" || op == "!=") && (zone_of_body(a) == Zone::Naive) != (zone_of_body(b) == Zone::Naive))
      return Value(op == "!=");
    if (auto r = compare(instant(a), instant(b))) return r;
    if (op == "-") return make_timespan(us_sub(instant(a), instant(b)));
  } else if (ta && tb) {
    if (auto r = compare(span(a), span(b))) return r;
    if (op == "+") return make_timespan(us_add(span(a), span(b)));
    if (op == "-") return make_timespan(us_sub(span(a), span(b)));
    if (op == "/") {
      if (span(b) == 0) throw EvalError("division by zero");
      return Value(static_cast<double>(span(a)) / static_cast<double>(span(b)));
    }
  } else if (da && tb) {
    if (op == "+") return make_datetime(us_add(instant(a), span(b)), offset_s(a), taken_zone(a));
    if (op == "-") return make_datetime(us_sub(instant(a), span(b)), offset_s(a), taken_zone(a));
  } else if (ta && db) {
    if (op == "+") return make_datetime(us_add(instant(b), span(a)), offset_s(b), taken_zone(b));
  } else if ((ta && (b.is_int() || b.is_double())) || (tb && (a.is_int() || a.is_double()))) {
    const Value& t = ta ? a : b;
    const Value& n = ta ? b : a;
    double factor = n.is_int() ? static_cast<double>(n.as_int()) : n.as_double();
    if (op == "*") return make_timespan(us_round(static_cast<double>(span(t)) * factor));
    if (op == "/" && ta) {
      if (factor == 0) throw EvalError("division by zero");
      return make_timespan(us_round(static_cast<double>(span(t)) / factor));
    }
  }
  if (op == "=") return Value(false);
  if (op == "!=") return Value(true);
  throw EvalError(fmt::format("No function \"#operator_{}\" matches supplied arguments", op));
}

std::optional<Value> date_time_unary(const std::string& op, const Value& v) {
  if (!is_timespan(v)) return std::nullopt;
  return op == "-" ? make_timespan(us_sub(0, span(v))) : v;
}

std::optional<Value> date_time_property(const Value& v, const std::string& name) {
  if (is_timespan(v)) {
    double us = static_cast<double>(span(v));
    if (name == "microseconds") return Value(span(v));
    if (name == "milliseconds") return Value(us / 1000.0);
    if (name == "seconds") return Value(us / 1e6);
    if (name == "minutes") return Value(us / 6e7);
    if (name == "hours") return Value(us / 3.6e9);
    if (name == "days") return Value(us / 8.64e10);
    throw EvalError(fmt::format("Unknown function \"#property#{}\"", name));
  }
  if (!is_datetime(v)) return std::nullopt;
  Civil c = local(v);
  if (name == "year") return Value(c.year);
  if (name == "month") return Value(c.month);
  if (name == "day") return Value(c.day);
  if (name == "hour") return Value(c.hour);
  if (name == "minute") return Value(c.minute);
  if (name == "second") return Value(c.second);
  if (name == "microsecond") return Value(c.microsecond);
  if (name == "weekday") return Value(c.weekday);
  int64_t since_midnight = ((c.hour * 60 + c.minute) * 60 + c.second) * kUsPerSecond + c.microsecond;
  if (name == "date") return make_datetime(instant(v) - since_midnight, offset_s(v), taken_zone(v));
  if (name == "time") return make_timespan(since_midnight);
  // yaql's utc is dt - utcoffset with the zone kept: the UTC wall time.
  if (name == "utc") return make_datetime(instant(v) - offset_s(v) * kUsPerSecond, offset_s(v), taken_zone(v));
  if (name == "offset") return make_timespan(offset_s(v) * kUsPerSecond);
  // yaql computes it from its utc (above): an offset counts twice.
  if (name == "timestamp" && zone_of(v) == Zone::Naive)
    throw EvalError("unsupported operand type(s) for -: 'datetime.datetime' and 'NoneType'");
  if (name == "timestamp")
    return Value(static_cast<double>(instant(v) - offset_s(v) * kUsPerSecond) / 1e6);
  throw EvalError(fmt::format("Unknown function \"#property#{}\"", name));
}

Value stored_form(const Value& v) {
  if (is_set(v)) return stored_form(stored_set(v));
  if (is_lazy(v)) unbounded("the result");
  // oslo's to_primitive has no rule for a datetime.date.
  if (is_date(v)) throw EvalError("Circular reference detected: a date (" + *date_time_text(v) +
                                  ") cannot be stored as JSON: format it, e.g. str(...)");
  if (is_datetime(v)) {
    Civil c = local(v);
    return Value(fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}", c.year, c.month, c.day, c.hour, c.minute,
                             c.second, c.microsecond));
  }
  // Mistral's words first (oslo's to_primitive gives up on the object:
  // "Circular reference detected"), then what it means here.
  if (is_timespan(v))
    throw EvalError("Circular reference detected: a timespan (" + timespan_text(span(v)) +
                    ") cannot be stored as JSON: take one of its properties, e.g. .seconds");
  if (is_unread_iterator(v)) throw EvalError(unread_error(v));  // read as it is stored
  if (is_regex_object(v))
    throw EvalError("Circular reference detected: a regex object (" + receiver_text(v) +
                    ") cannot be stored as JSON: use it inside the expression, e.g. regex('a.c').matches($.text)");
  if (v.is_list()) {
    bool any = false;
    for (const auto& x : v.as_list()) any = any || x.is_dict() || x.is_list();
    if (!any) return v.as_python_list(false);  // JSON's list
    List out;
    for (const auto& x : v.as_list()) out.push_back(stored_form(x));
    return Value(std::move(out));
  }
  if (v.is_dict()) {
    bool any = false;
    for (const auto& [k, x] : v.as_dict()) any = any || x.is_dict() || x.is_list() || (!k.empty() && k[0] == kTypedKey);
    if (!any) return v.marked(false);  // JSON's dict
    Dict out;
    for (const auto& [k, x] : v.as_dict()) out.set(json_key(k, true), stored_form(x));
    return Value(std::move(out));
  }
  return v;
}

std::optional<std::string> date_time_text(const Value& v) {
  if (is_timespan(v)) return timespan_text(span(v));
  if (is_date(v)) {
    const Value& d = *v.find(kDateKey);
    return fmt::format("{:04}-{:02}-{:02}", d[0].as_int(), d[1].as_int(), d[2].as_int());
  }
  if (!is_datetime(v)) return std::nullopt;
  Civil c = local(v);
  std::string out = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", c.year, c.month, c.day, c.hour, c.minute,
                                c.second);
  if (c.microsecond) out += fmt::format(".{:06}", c.microsecond);
  if (zone_of_body(v) == Zone::Naive) return out;
  return out + offset_text(offset_s(v), true);
}

std::optional<std::string> date_time_nested_text(const Value& v) {
  if (is_date(v)) {
    const Value& d = *v.find(kDateKey);
    return fmt::format("datetime.date({}, {}, {})", d[0].as_int(), d[1].as_int(), d[2].as_int());
  }
  if (is_timespan(v)) {
    // timedelta's repr: its normalised days, seconds and microseconds,
    // the zero ones left out.
    int64_t us = span(v);
    int64_t days = floor_div(us, kUsPerDay);
    int64_t rem = us - days * kUsPerDay;
    std::vector<std::string> parts;
    if (days) parts.push_back(fmt::format("days={}", days));
    if (rem / kUsPerSecond) parts.push_back(fmt::format("seconds={}", rem / kUsPerSecond));
    if (rem % kUsPerSecond) parts.push_back(fmt::format("microseconds={}", rem % kUsPerSecond));
    if (parts.empty()) return "datetime.timedelta(0)";
    std::string out = "datetime.timedelta(";
    for (size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
    return out + ")";
  }
  if (!is_datetime(v)) return std::nullopt;
  // datetime's repr: hour and minute always, seconds and microseconds when
  // not zero; the zone as the datetime holds it (Zone).
  Civil c = local(v);
  std::string out = fmt::format("datetime.datetime({}, {}, {}, {}, {}", c.year, c.month, c.day, c.hour, c.minute);
  if (c.second || c.microsecond) out += fmt::format(", {}", c.second);
  if (c.microsecond) out += fmt::format(", {}", c.microsecond);
  int64_t off = offset_s(v);
  switch (zone_of_body(v)) {
    case Zone::Naive: return out + ")";
    case Zone::Local: return out + ", tzinfo=tzlocal())";
    case Zone::Timezone:
      return out + (off ? ", tzinfo=datetime.timezone(" + *date_time_nested_text(make_timespan(off * kUsPerSecond)) + "))"
                        : std::string(", tzinfo=datetime.timezone.utc)"));
    case Zone::Dateutil: break;
  }
  return out + (off ? fmt::format(", tzinfo=tzoffset(None, {}))", off) : std::string(", tzinfo=tzutc())"));
}

std::optional<std::string> date_time_repr(const Value& v) {
  if (is_timespan(v)) return "datetime.timedelta(microseconds=" + std::to_string(span(v)) + ")";
  if (auto text = date_time_text(v)) return "datetime(" + *text + ")";
  return std::nullopt;
}

void register_date_time_functions(std::map<std::string, Function, std::less<>>& lib) {
  lib["datetime"] = [](Call& c) {
    if (c.receiver) throw EvalError("No function \"datetime\" matches supplied arguments");
    auto first = argument(c, 0, "year");
    if (!first) first = argument(c, 0, "timestamp");
    if (!first) first = argument(c, 0, "string");
    if (!first) throw EvalError("No function \"datetime\" matches supplied arguments");
    if (first->is_string()) {
      auto format = argument(c, 1, "format");
      if (format && !format->is_null()) {
        if (!format->is_string()) throw EvalError("No function \"datetime\" matches supplied arguments");
        return parse_with_format(first->as_string(), format->as_string());
      }
      // ISO 8601 first (the common case, exact); then dateutil's
      // lenient reading ("2015-8-29", "20080903", "Sep 3 2008"...).
      try {
        return parse_iso(first->as_string());
      } catch (const EvalError&) {
        return parse_date_string(first->as_string());
      }
    }
    bool timestamp_form = !argument(c, 1, "month") || first->is_double();
    if (timestamp_form) {
      if (!first->is_int() && !first->is_double())
        throw EvalError("No function \"datetime\" matches supplied arguments");
      double seconds = first->is_int() ? static_cast<double>(first->as_int()) : first->as_double();
      return make_datetime(us_round(seconds * 1e6), offset_argument(c, 1));
    }
    int64_t off = offset_argument(c, 7);
    int64_t local_us = checked_civil_us(int_argument(c, 0, "year", 1), int_argument(c, 1, "month", 1),
                                        int_argument(c, 2, "day", 1), int_argument(c, 3, "hour", 0),
                                        int_argument(c, 4, "minute", 0), int_argument(c, 5, "second", 0),
                                        int_argument(c, 6, "microsecond", 0));
    return make_datetime(us_sub(local_us, us_mul(off, kUsPerSecond)), off);
  };
  lib["timespan"] = [](Call& c) {
    if (c.receiver) throw EvalError("No function \"timespan\" matches supplied arguments");
    const char* names[] = {"days", "hours", "minutes", "seconds", "milliseconds", "microseconds"};
    const int64_t scale[] = {kUsPerDay, 3600 * kUsPerSecond, 60 * kUsPerSecond, kUsPerSecond, 1000, 1};
    int64_t total = 0;
    for (size_t i = 0; i < 6; ++i) total = us_add(total, us_mul(int_argument(c, i, names[i], 0), scale[i]));
    return make_timespan(total);
  };
  lib["now"] = [](Call& c) {
    int64_t off = offset_argument(c, 0);
    return make_datetime(now_us(), off);
  };
  lib["utcnow"] = [](Call&) { return make_datetime(now_us(), 0); };
  lib["utctz"] = [](Call&) { return make_timespan(0); };
  lib["localtz"] = [](Call&) {
    std::time_t t = std::time(nullptr);
    std::tm local_tm{};
    localtime_r(&t, &local_tm);
    return make_timespan(static_cast<int64_t>(local_tm.tm_gmtoff) * kUsPerSecond);
  };
  lib["isDatetime"] = [](Call& c) { return Value(is_datetime(c.arg(0))); };
  lib["isTimespan"] = [](Call& c) { return Value(is_timespan(c.arg(0))); };

  auto string_format = lib["format"];
  lib["format"] = [string_format](Call& c) {
    if (c.receiver && is_datetime(*c.receiver)) {
      auto f = argument(c, 1, "format");
      if (!f || !f->is_string()) throw EvalError("No method \"format\" matches supplied arguments");
      return Value(strftime(*c.receiver, f->as_string()));
    }
    return string_format(c);
  };
  auto other_replace = lib["replace"];
  lib["replace"] = [other_replace](Call& c) {
    if (!c.receiver || !is_datetime(*c.receiver)) return other_replace(c);
    const Value& dt = *c.receiver;
    Civil l = local(dt);
    int64_t off = offset_s(dt);
    Zone zone = taken_zone(dt);
    for (const auto& [k, n] : c.kwargs)
      if (k == "offset") {
        Value o = c.value_of(n);
        if (!is_timespan(o)) throw EvalError("No method \"replace\" matches supplied arguments");
        off = span(o) / kUsPerSecond;
        zone = Zone::Dateutil;
      }
    int64_t local_us = checked_civil_us(int_argument(c, 1, "year", l.year), int_argument(c, 2, "month", l.month),
                                        int_argument(c, 3, "day", l.day), int_argument(c, 4, "hour", l.hour),
                                        int_argument(c, 5, "minute", l.minute), int_argument(c, 6, "second", l.second),
                                        int_argument(c, 7, "microsecond", l.microsecond));
    return make_datetime(us_sub(local_us, us_mul(off, kUsPerSecond)), off, zone);
  };
}

namespace {

// PyYAML's timestamp (its resolver's pattern and construct_yaml_timestamp):
// YYYY-MM-DD alone is a datetime.date; with a time (T, t or blanks between)
// a datetime, naive without a zone, datetime.timezone with Z or an offset;
// a fraction keeps its first six digits.
std::optional<Value> yaml_timestamp(const std::string& s) {
  auto m = match_yaml_timestamp(s);
  if (!m) return std::nullopt;
  if (!m->error.empty()) throw EvalError(m->error);
  const YamlTimestamp& t = m->value;
  if (!t.time) return make_date(t.year, t.month, t.day);
  int64_t local_us = checked_civil_us(t.year, t.month, t.day, t.hour, t.minute, t.second, t.micro);
  return make_datetime(local_us - int64_t{t.offset} * kUsPerSecond, t.offset, t.aware ? Zone::Timezone : Zone::Naive);
}

Value with_timestamps(const YAML::Node& n, const Value& v, size_t depth) {
  if (depth > kYamlMaxDepth) return v;
  if (n.IsScalar()) {
    if (n.Tag() == "?" && v.is_string())
      if (auto t = yaml_timestamp(v.as_string())) return *t;
    return v;
  }
  if (n.IsSequence() && v.is_list() && v.size() == n.size()) {
    List out;
    size_t i = 0;
    for (const auto& item : n) out.push_back(with_timestamps(item, v[i++], depth + 1));
    return Value(std::move(out)).marked(v.is_python_list());
  }
  if (n.IsMap() && v.is_dict() && v.size() == n.size()) {
    Dict out;
    size_t i = 0;
    for (const auto& kv : n) {
      const auto& [k, x] = v.as_dict().at(i++);
      // A plain key that is a timestamp is PyYAML's date or datetime too.
      std::string key = k;
      if (kv.first.IsScalar() && kv.first.Tag() == "?" && kv.first.Scalar() == k)
        if (auto t = yaml_timestamp(k)) key = dict_key(*t);
      out.set(key, with_timestamps(kv.second, x, depth + 1));
    }
    return Value(std::move(out)).marked(v.is_python_dict());
  }
  return v;
}

}  // namespace

Value yaml_timestamps(const std::string& text, const Value& parsed) {
  // Only a text holding a date may hold one (NNNN-N): most are read once.
  bool maybe = false;
  for (size_t i = 4; i < text.size() && !maybe; ++i)
    maybe = text[i] == '-' && std::isdigit(static_cast<unsigned char>(text[i - 1])) &&
            std::isdigit(static_cast<unsigned char>(text[i - 4])) && i + 1 < text.size() &&
            std::isdigit(static_cast<unsigned char>(text[i + 1]));
  if (!maybe) return parsed;
  try {
    return with_timestamps(YAML::Load(text), parsed, 0);
  } catch (const YAML::Exception&) {
    return parsed;
  }
}

namespace {
// A dict key that stands for a date or datetime (kTypedKey and its JSON).
bool date_time_key(const std::string& k) {
  return k.size() > 2 && k[0] == kTypedKey && k[1] == '{' && k.find("yaql-date") != std::string::npos;
}

bool holds_date_time(const Value& v, bool keys) {
  if (is_datetime(v) || is_date(v)) return true;
  if (v.is_list())
    for (const auto& x : v.as_list())
      if ((x.is_list() || x.is_dict()) && holds_date_time(x, keys)) return true;
  if (v.is_dict())
    for (const auto& [k, x] : v.as_dict())
      if (((x.is_list() || x.is_dict()) && holds_date_time(x, keys)) || (keys && date_time_key(k))) return true;
  return false;
}

// PyYAML's timestamp representer: isoformat(' ') (a date's isoformat),
// which to_yaml writes plain (kYamlTimestampKey).
Value yaml_timestamp(const Value& v) {
  Dict out;
  out.set(kYamlTimestampKey, Value(*date_time_text(v)));
  return Value(std::move(out));
}
}  // namespace

Value host_form(const Value& v, bool yaml) {
  if (!(v.is_list() || v.is_dict()) || !holds_date_time(v, yaml)) return v;
  if (is_datetime(v) || is_date(v)) return yaml ? yaml_timestamp(v) : stored_form(v);
  if (v.is_list()) {
    List out;
    for (const auto& x : v.as_list()) out.push_back(host_form(x, yaml));
    return Value(std::move(out)).marked(v.is_python_list());
  }
  if (v.is_dict() && !is_set(v) && !is_timespan(v) && !is_regex_object(v)) {
    Dict out;
    for (const auto& [k, x] : v.as_dict()) {
      std::string key = k;
      if (yaml && date_time_key(k))
        if (auto parsed = parse_json(std::string_view(k).substr(1)); parsed && (is_datetime(*parsed) || is_date(*parsed)))
          key = std::string(1, kTypedKey) + to_json(yaml_timestamp(*parsed));
      out.set(key, host_form(x, yaml));
    }
    return Value(std::move(out)).marked(v.is_python_dict());
  }
  return v;
}

}  // namespace bora::expr::yaql
