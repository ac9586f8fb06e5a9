// core/time_source: the virtual clock the workflow case runner and the
// engine tests drive: it moves only when told, and its sleepers wake when
// the virtual time passes (or when stopped), never by the wall clock.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "bora/core/time_source.h"

using namespace bora;
using namespace std::chrono_literals;

namespace {

// Waits (briefly, in real time) until the clock counts `n` sleepers.
bool sleepers_become(const VirtualTime& clock, size_t n) {
  for (int i = 0; i < 5000; ++i) {
    if (clock.sleepers() == n) return true;
    std::this_thread::sleep_for(1ms);
  }
  return false;
}

}  // namespace

TEST_CASE("a virtual clock moves only when set or advanced") {
  Timestamp t0 = from_micros(1'700'000'000'000'000);
  VirtualTime clock(t0);
  CHECK(clock.now() == t0);
  clock.advance(90s);
  CHECK(clock.now() == t0 + 90s);
  clock.set(t0 + 1h);
  CHECK(clock.now() == t0 + 1h);
  CHECK_FALSE(clock.next_wakeup());
  CHECK(clock.sleepers() == 0);
}

TEST_CASE("a sleeper on a virtual clock wakes when its virtual time passes") {
  Timestamp t0 = from_micros(1'700'000'000'000'000);
  VirtualTime clock(t0);
  std::atomic<int> woke{0};
  std::thread sleeper([&] {
    if (clock.sleep_for(std::chrono::microseconds(3600'000'000), nullptr)) woke = 1;
  });
  REQUIRE(sleepers_become(clock, 1));
  REQUIRE(clock.next_wakeup());
  CHECK(*clock.next_wakeup() == t0 + 1h);
  clock.advance(30min);  // not yet
  std::this_thread::sleep_for(20ms);
  CHECK(woke == 0);
  CHECK(clock.sleepers() == 1);
  clock.advance(30min);  // its time: it no longer counts as asleep
  CHECK(clock.sleepers() == 0);
  sleeper.join();
  CHECK(woke == 1);
  CHECK_FALSE(clock.next_wakeup());
}

TEST_CASE("a stopped sleeper returns false at once, whatever the clock") {
  VirtualTime clock(from_micros(0));
  std::atomic<bool> stop{false};
  std::atomic<int> result{-1};
  std::thread sleeper([&] { result = clock.sleep_for(24h, [&] { return stop.load(); }) ? 1 : 0; });
  REQUIRE(sleepers_become(clock, 1));
  stop = true;
  sleeper.join();
  CHECK(result == 0);
  CHECK(clock.sleepers() == 0);
}

TEST_CASE("the system clock sleeps for real and can be stopped") {
  const TimeSource& clock = *system_time();
  auto t0 = std::chrono::steady_clock::now();
  CHECK(clock.sleep_for(20ms, nullptr));
  CHECK(std::chrono::steady_clock::now() - t0 >= 20ms);
  CHECK_FALSE(clock.sleep_for(10s, [] { return true; }));
  CHECK(clock.sleepers() == 0);
}
