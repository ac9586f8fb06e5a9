// Cron patterns: every frozen croniter answer (scripts/gen_cron_cases.py),
// and refusals with what is wrong.
#include <catch2/catch.hpp>

#include "bora/core/file.h"
#include "bora/core/json.h"
#include "bora/scheduler/cron_schedule.h"

using namespace bora;
using namespace bora::scheduler;

TEST_CASE("next firings match croniter for known schedules") {
  auto text = read_text_file(std::string(BORA_SOURCE_DIR) + "/test/data/scheduler/cron_cases.json", 1 << 22);
  REQUIRE(text.ok());
  auto cases = parse_json(*text);
  REQUIRE(cases.ok());
  REQUIRE(cases->size() >= 100);
  for (const auto& c : cases->as_list()) {
    const std::string& pattern = c["pattern"].as_string();
    auto schedule = CronSchedule::parse(pattern);
    INFO(pattern << " from " << c["start"].as_string());
    REQUIRE(schedule.ok());
    Timestamp t = *parse_time(c["start"].as_string());
    for (const auto& expected : c["next"].as_list()) {
      t = schedule->next_after(t);
      CHECK(format_api_time(t) == expected.as_string());
    }
  }
}

TEST_CASE("bad patterns are refused with the field and the reason") {
  auto check = [](const char* pattern, const char* says) {
    auto r = CronSchedule::parse(pattern);
    INFO(pattern);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::BadInput);
    CHECK_THAT(r.error().message, Catch::Contains(says));
  };
  check("61 * * * *", "minute value 61 is out of range 0-59");
  check("* 24 * * *", "hour value 24");
  check("* * 0 * *", "day-of-month value 0");
  check("* * * 13 *", "month value 13");
  check("* * * * 8", "day-of-week value 8");
  check("* * * *", "expected 5 fields");
  check("* * * * * * *", "or 6 with the seconds last, got 7");  // croniter: 5 or 6 columns
  check("* * * * * 60", "second value 60 is out of range 0-59");
  check("*/0 * * * *", "not a valid step");
  check("10-5 * * * *", "goes backwards");
  check("x * * * *", "'x' is not a valid minute value");
  check("0 0 30 feb *", "no month selected has the day selected");
  check("1,,2 * * * *", "empty list item");
  check("", "expected 5 fields");
}
