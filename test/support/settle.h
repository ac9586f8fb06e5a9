// Drives an engine whose clock is a VirtualTime: waits (in real time) for
// the engine to be idle, then, while the execution is not done, moves the
// clock to the next timer or sleeping action's wake-up and pokes the engine.
// Shared by the workflow case runner (test/workflows) and the engine unit
// tests, so that no test sleeps for a timer.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <thread>

#include "bora/core/time_source.h"
#include "bora/engine/engine.h"

namespace bora::test {

// `done()` says whether the execution needs nothing more; `until` bounds the
// virtual time (the clock is left there when the next timer is later).
// False when the engine does not settle within `bound` of real time.
inline bool settle(engine::Engine& engine, VirtualTime& clock, const std::function<bool()>& done,
                   std::optional<Timestamp> until = std::nullopt,
                   std::chrono::steady_clock::duration bound = std::chrono::seconds(30)) {
  auto deadline = std::chrono::steady_clock::now() + bound;
  while (true) {
    while (!engine.idle()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    if (done()) return true;
    std::optional<Timestamp> next = engine.next_timer();
    if (auto w = clock.next_wakeup(); w && (!next || *w < *next)) next = w;
    if (!next) return true;  // waiting for the outside (an async action, a request)
    if (until && *next > *until) {
      if (clock.now() < *until) clock.set(*until);
      return true;
    }
    if (*next > clock.now()) clock.set(*next);
    engine.poke();
    if (std::chrono::steady_clock::now() > deadline) return false;
  }
}

}  // namespace bora::test
