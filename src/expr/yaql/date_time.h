// expr/yaql/date_time: yaql's datetime and timespan objects (yaql/
// standard_library/date_time.py). Like regex objects they are dicts with
// one reserved key: a datetime holds its instant (microseconds since the
// epoch, UTC) and its UTC offset (seconds), a timespan its length in
// microseconds. They live inside one evaluation; what leaves it is what
// Mistral stores: a datetime becomes oslo's "%Y-%m-%dT%H:%M:%S.%f" of its
// local fields, interpolated in a string Python's str(); a timespan cannot
// be stored (Mistral's serialiser fails on it too).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "bora/core/value.h"
#include "evaluator.h"

namespace bora::expr::yaql {

inline constexpr const char* kDateTimeKey = "\x01yaql-datetime";
inline constexpr const char* kTimespanKey = "\x01yaql-timespan";

// The zone a Python datetime holds, as its repr() shows it: dateutil's
// tzutc() / tzoffset(None, n) (yaql's own), tzlocal() (dateutil read a zero
// offset named UTC, `Z`, `+00:00`, `UTC`, on a host whose zone is UTC:
// "UTC" in time.tzname), none (PyYAML's timestamps without an offset: a
// naive datetime, which yaql's operators and date/utc/replace take as
// tzutc()), datetime.timezone (strptime's %z, PyYAML's offsets).
enum class Zone : uint8_t { Dateutil, Local, Naive, Timezone };
Value make_datetime(int64_t instant_us, int64_t offset_s, Zone zone = Zone::Dateutil);
Zone zone_of(const Value& dt);
// dateutil's zone for a zero offset named UTC: tzlocal() on a UTC host.
Zone utc_named_zone();
// PyYAML's datetime.date (yaml_parse of 2024-02-29): printed, compared and
// dumped; Mistral cannot store it ("Circular reference detected").
inline constexpr const char* kDateKey = "\x01yaql-date";
Value make_date(int64_t year, int64_t month, int64_t day);
bool is_date(const Value& v);
// yaml_parse's result with PyYAML's timestamps (plain scalars of its
// pattern) as date and datetime objects; text is what it parsed.
Value yaml_timestamps(const std::string& text, const Value& parsed);
// An argument of Mistral's functions with its dates and datetimes as they
// write them: json's "%Y-%m-%dT%H:%M:%S.%f" (a date fails: Circular
// reference detected), PyYAML's isoformat(' ') when yaml.
Value host_form(const Value& v, bool yaml);
Value make_timespan(int64_t us);
bool is_datetime(const Value& v);
bool is_timespan(const Value& v);

// Operators with a datetime or timespan operand; nullopt when neither is.
std::optional<Value> date_time_binary(const std::string& op, const Value& a, const Value& b);
std::optional<Value> date_time_unary(const std::string& op, const Value& v);
// dt.year, ts.hours...; nullopt when v is neither object.
std::optional<Value> date_time_property(const Value& v, const std::string& name);

// The value as Mistral stores it (recursively); throws EvalError for a
// timespan or a regex object, which Mistral cannot store either.
Value stored_form(const Value& v);
// Python's str() of a datetime or timespan; nullopt for other values.
std::optional<std::string> date_time_text(const Value& v);
// Python's repr() of them, as a list or dict holding one prints it:
// datetime.datetime(2024, 2, 29, 12, 30, tzinfo=tzutc()),
// datetime.timedelta(days=1, seconds=5).
std::optional<std::string> date_time_nested_text(const Value& v);
// Python's repr-ish text of the objects in error messages.
std::optional<std::string> date_time_repr(const Value& v);

// Shared by the date readers (library_date_time.cpp, date_string.cpp).
int64_t checked_civil_us(int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi, int64_t s, int64_t us);
extern const char* const kDayNames[7];
extern const char* const kMonthNames[12];
struct CivilDate {
  int64_t year, month, day;
};
CivilDate utc_today();
// A date string read as dateutil.parser.parse reads it with its defaults
// (month before day, missing fields from today, no timezone = UTC): the
// forms workflows meet ("2015-8-29", "8/29/2015", "20080903", "Sep 3
// 2008", "Wed, 03 Sep 2008 10:20:30 +0200", "4:30PM"...). date_string.cpp.
Value parse_date_string(const std::string& s);

void register_date_time_functions(std::map<std::string, Function, std::less<>>& lib);

}  // namespace bora::expr::yaql
