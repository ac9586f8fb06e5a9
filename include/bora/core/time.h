// core/time: UTC timestamps. Stored with microseconds; Mistral's API shows
// them as "YYYY-MM-DD HH:MM:SS" (no zone, always UTC).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bora {

using Clock = std::chrono::system_clock;
using Timestamp = std::chrono::time_point<Clock, std::chrono::microseconds>;

Timestamp now_utc() noexcept;

// "2026-11-24 22:13:17": the format of Mistral's created_at/updated_at.
std::string format_api_time(Timestamp t);
// "2026-11-24T22:13:17.123456": Python's isoformat with microseconds.
std::string format_iso_time(Timestamp t);

// Parses "YYYY-MM-DD[ T]HH:MM[:SS[.ffffff]]" with an optional "Z" or "+00:00";
// nullopt when malformed or when another offset is given.
std::optional<Timestamp> parse_time(std::string_view text);
// parse_time, or a date alone ("YYYY-MM-DD", its midnight UTC), as
// Mistral's list filters take a time (created_at=gte:2026-01-01).
std::optional<Timestamp> parse_time_or_date(std::string_view text);

// Microseconds since the epoch, the form storage keeps.
inline int64_t to_micros(Timestamp t) noexcept { return t.time_since_epoch().count(); }
inline Timestamp from_micros(int64_t us) noexcept { return Timestamp(std::chrono::microseconds(us)); }

}  // namespace bora
