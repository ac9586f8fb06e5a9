// core/time_source: where "now" comes from for code whose behaviour
// depends on time passing (the engine's timers: wait-before/after, retry
// delays, timeouts, cron; and the actions that sleep: std.sleep, std.echo's
// delay). The server reads the system clock; the workflow case runner
// (test/workflows) uses a VirtualTime that it moves forward itself when
// nothing else is left to do, so that timers and sleeps run in virtual time
// and no test sleeps.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "bora/core/time.h"

namespace bora {

class TimeSource {
 public:
  virtual ~TimeSource() = default;
  virtual Timestamp now() const noexcept = 0;
  // Waits until `d` has passed on this clock or `stop()` holds (polled);
  // false when stopped. Actions that sleep (std.sleep) wait through this, so
  // that under a VirtualTime they wake when the virtual time passes.
  virtual bool sleep_for(std::chrono::microseconds d, const std::function<bool()>& stop) const = 0;
  // Threads inside sleep_for right now, and the earliest time one of them
  // wakes: a VirtualTime's owner counts them as idle and moves the clock to
  // that time. A system clock answers 0 and nullopt (its sleepers are busy).
  virtual size_t sleepers() const noexcept { return 0; }
  virtual std::optional<Timestamp> next_wakeup() const { return std::nullopt; }
};

// The system clock (now_utc()).
class SystemTime final : public TimeSource {
 public:
  Timestamp now() const noexcept override { return now_utc(); }
  // In slices of 50 ms, so that a stopped sleeper returns promptly.
  bool sleep_for(std::chrono::microseconds d, const std::function<bool()>& stop) const override {
    using namespace std::chrono;
    auto until = steady_clock::now() + d;
    while (steady_clock::now() < until) {
      if (stop && stop()) return false;
      std::this_thread::sleep_for(std::min<steady_clock::duration>(milliseconds(50), until - steady_clock::now()));
    }
    return true;
  }
};

// A clock that only moves when told to. Thread-safe: the engine's loop and
// the executor's threads read it while a test advances it.
class VirtualTime final : public TimeSource {
 public:
  explicit VirtualTime(Timestamp start) : micros_(to_micros(start)) {}
  Timestamp now() const noexcept override { return from_micros(micros_.load()); }
  void set(Timestamp t) noexcept {
    {
      std::lock_guard lock(mutex_);
      micros_.store(to_micros(t));
    }
    moved_.notify_all();
  }
  void advance(std::chrono::microseconds d) noexcept {
    {
      std::lock_guard lock(mutex_);
      micros_.fetch_add(d.count());
    }
    moved_.notify_all();
  }

  // Blocks (in real time) until the virtual time reaches now + d; the stop
  // flag is polled every millisecond, since whoever sets it cannot notify.
  bool sleep_for(std::chrono::microseconds d, const std::function<bool()>& stop) const override {
    std::unique_lock lock(mutex_);
    int64_t until = micros_.load() + d.count();
    auto it = wakeups_.insert(until);
    bool stopped = false;
    while (micros_.load() < until) {
      if (stop && stop()) {
        stopped = true;
        break;
      }
      moved_.wait_for(lock, std::chrono::milliseconds(1));
    }
    wakeups_.erase(it);
    return !stopped;
  }
  // Only those whose time has not come: one whose time has come is about
  // to wake and is busy again.
  size_t sleepers() const noexcept override {
    std::lock_guard lock(mutex_);
    return static_cast<size_t>(std::distance(wakeups_.upper_bound(micros_.load()), wakeups_.end()));
  }
  std::optional<Timestamp> next_wakeup() const override {
    std::lock_guard lock(mutex_);
    if (wakeups_.empty()) return std::nullopt;
    return from_micros(*wakeups_.begin());
  }

 private:
  std::atomic<int64_t> micros_;
  mutable std::mutex mutex_;
  mutable std::condition_variable moved_;
  mutable std::multiset<int64_t> wakeups_;  // when each sleeper wakes
};

// The process's system clock, shared (what EngineOptions uses by default).
inline std::shared_ptr<const TimeSource> system_time() {
  static const auto clock = std::make_shared<const SystemTime>();
  return clock;
}

}  // namespace bora
