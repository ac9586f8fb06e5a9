// core/yaml_timestamp: PyYAML's timestamps. Its implicit resolver makes a
// date or datetime of a plain scalar such as 2020-01-01 or
// 2020-01-01 10:00:00Z (and so does an explicit !!timestamp tag); Bora's
// values have no such type, so each reader decides what to do with one:
// Jinja's and yaql's yaml_parse make their date objects, the YAML emitter
// quotes a string that would read back as one, and a definition refuses
// it, as Mistral does (its schema and its storage take no date).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bora {

struct YamlTimestamp {
  int year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0, micro = 0;
  bool time = false;   // a datetime; else a date
  bool aware = false;  // with a tzinfo (Z or an offset)
  int offset = 0;      // its seconds east of UTC
};

struct YamlTimestampMatch {
  YamlTimestamp value;
  // Set when construct_yaml_timestamp fails on it (2020-13-01), in
  // datetime's own words ("month must be in 1..12").
  std::string error;
};

// The resolver's pattern: YYYY-MM-DD alone, or YYYY-M-D, then T, t or
// blanks, then H:MM:SS, an optional fraction (its first six digits are
// kept), optional blanks and Z or [+-]H[:MM]. nullopt when s does not match.
std::optional<YamlTimestampMatch> match_yaml_timestamp(std::string_view s);

// Python's repr(): datetime.date(2020, 1, 1), datetime.datetime(2020, 1, 1,
// 10, 0, tzinfo=datetime.timezone.utc).
std::string yaml_timestamp_repr(const YamlTimestamp& t);

}  // namespace bora
