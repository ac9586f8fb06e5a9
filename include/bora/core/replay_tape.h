// core/replay_tape: the random ids and clock readings one piece of work
// draws, kept so that doing the same work again draws the same ones.
//
// The engine applies a command again after one of its expression
// evaluations moved off its loop (engine/compute.h): the first try was
// rolled back, and the second must ask for the same evaluation with the
// same data (the new task's id, the execution's updated_at) for the
// worker's result to be usable. While a tape is bound to a thread,
// generate_uuid() and now_utc() (and the engine's clock reads) go through
// it: a fresh tape records what they return; a rewound one hands the same
// values back in the same order, then records new ones past its end. Work
// that draws differently the second time (what it read had changed) only
// gets other unique ids and later times: nothing is ever drawn twice
// inside one run of the tape.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "bora/core/time.h"

namespace bora {

class ReplayTape {
 public:
  // Binds `tape` (null: none) to this thread until the Bind ends; binds
  // nest (the previous one comes back).
  class Bind {
   public:
    explicit Bind(ReplayTape* tape) noexcept;
    ~Bind();
    Bind(const Bind&) = delete;
    Bind& operator=(const Bind&) = delete;

   private:
    ReplayTape* previous_;
  };

  // From the start again: the next draws return the recorded values.
  void rewind() noexcept {
    next_id_ = 0;
    next_time_ = 0;
  }
  size_t ids_recorded() const noexcept { return ids_.size(); }

  // The tape bound to this thread, or null.
  static ReplayTape* current() noexcept;
  // `fresh` unless a bound tape has a value recorded at this point (then
  // that one); recorded when new.
  static std::string id(std::string fresh);
  static Timestamp time(Timestamp fresh) noexcept;

 private:
  std::vector<std::string> ids_;
  std::vector<Timestamp> times_;
  size_t next_id_ = 0;
  size_t next_time_ = 0;
};

}  // namespace bora
