// Fuzz target: the cron parser of cron triggers (CronSchedule::parse, what
// POST /v2/cron_triggers calls) and next_after, which the scheduler calls on
// every accepted pattern. Besides crashes: next_after must answer strictly
// later than asked, and soon (parse refuses patterns that never fire).
#include "fuzz_support.h"

#include "bora/core/time.h"
#include "bora/scheduler/cron_schedule.h"

using namespace bora;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::quiet_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto schedule = scheduler::CronSchedule::parse(fuzz::as_text(data, size));
  if (!schedule.ok()) return 0;
  // Starts around leap days and year ends, where day arithmetic goes wrong.
  static const int64_t kStarts[] = {
      1'709'164'799'000'000,  // 2024-02-28T23:59:59Z
      1'735'689'540'000'000,  // 2024-12-31T23:59:00Z
      1'793'750'400'000'000,  // 2026-11-04T00:00:00Z
      4'102'441'200'000'000,  // 2099-12-31T23:00:00Z (2100 is no leap year)
  };
  constexpr int64_t kTenYears = int64_t{10} * 366 * 24 * 3600 * 1'000'000;
  for (int64_t start : kStarts) {
    Timestamp t = from_micros(start);
    for (int i = 0; i < 3; ++i) {
      Timestamp next = schedule->next_after(t);
      if (next <= t || next - t > std::chrono::microseconds(kTenYears)) {
        fuzz::finding("next_after is not a firing in the next ten years",
                      schedule->pattern() + " after " + format_api_time(t) + " -> " +
                          format_api_time(next));
      }
      t = next;
    }
  }
  return 0;
}
