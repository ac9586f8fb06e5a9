// core/time_source: where "now" comes from for code whose behaviour
// depends on time passing (the engine's timers: wait-before/after, retry
// delays, timeouts, cron). The server reads the system clock; the workflow
// case runner (test/workflows) uses a VirtualTime that it moves forward
// itself when nothing else is left to do, so that timers run in virtual
// time and no test sleeps.
#pragma once

#include <atomic>
#include <memory>

#include "bora/core/time.h"

namespace bora {

class TimeSource {
 public:
  virtual ~TimeSource() = default;
  virtual Timestamp now() const noexcept = 0;
};

// The system clock (now_utc()).
class SystemTime final : public TimeSource {
 public:
  Timestamp now() const noexcept override { return now_utc(); }
};

// A clock that only moves when told to. Thread-safe: the engine's loop
// reads it while a test advances it.
class VirtualTime final : public TimeSource {
 public:
  explicit VirtualTime(Timestamp start) : micros_(to_micros(start)) {}
  Timestamp now() const noexcept override { return from_micros(micros_.load()); }
  void set(Timestamp t) noexcept { micros_.store(to_micros(t)); }
  void advance(std::chrono::microseconds d) noexcept { micros_.fetch_add(d.count()); }

 private:
  std::atomic<int64_t> micros_;
};

// The process's system clock, shared (what EngineOptions uses by default).
inline std::shared_ptr<const TimeSource> system_time() {
  static const auto clock = std::make_shared<const SystemTime>();
  return clock;
}

}  // namespace bora
