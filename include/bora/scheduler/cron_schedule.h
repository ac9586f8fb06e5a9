// scheduler/cron_schedule: a cron pattern as Mistral's cron triggers use it
// (croniter): five fields ("minute hour day-of-month month day-of-week"),
// or six with croniter's seconds last; numbers, ranges, steps, lists, month
// and weekday names, 7 as Sunday, `L` for the last day of the month, and
// the @hourly/@daily/... shorthands; when both day fields are restricted a
// day matching either fires (classic cron). Times are UTC.
#pragma once

#include <bitset>
#include <string>
#include <string_view>

#include "bora/core/error.h"
#include "bora/core/time.h"

namespace bora::scheduler {

class CronSchedule {
 public:
  // BadInput naming the field and what is wrong, e.g. "Invalid cron pattern
  // '61 * * * *': minute value 61 is out of range 0-59".
  static Result<CronSchedule> parse(std::string_view pattern);

  // The first firing strictly after t (at second 0 of a minute for five
  // fields). Patterns that can never fire (e.g. "0 0 31 2 *") are refused
  // by parse, so this always has an answer within a few years.
  Timestamp next_after(Timestamp t) const;

  const std::string& pattern() const { return pattern_; }

 private:
  bool day_matches(int year, int month, int day) const;

  std::string pattern_;
  std::bitset<60> seconds_;   // croniter's sixth field; second 0 for five fields
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;      // 1..31
  std::bitset<13> months_;    // 1..12
  std::bitset<7> weekdays_;   // 0 = Sunday
  bool last_day_ = false;     // `L` in day-of-month
  bool days_restricted_ = false, weekdays_restricted_ = false;
};

}  // namespace bora::scheduler
