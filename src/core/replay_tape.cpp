#include "bora/core/replay_tape.h"

#include <utility>

namespace bora {

namespace {
thread_local ReplayTape* bound = nullptr;
}

ReplayTape::Bind::Bind(ReplayTape* tape) noexcept : previous_(bound) { bound = tape; }
ReplayTape::Bind::~Bind() { bound = previous_; }

ReplayTape* ReplayTape::current() noexcept { return bound; }

std::string ReplayTape::id(std::string fresh) {
  ReplayTape* t = bound;
  if (!t) return fresh;
  if (t->next_id_ < t->ids_.size()) return t->ids_[t->next_id_++];
  t->ids_.push_back(fresh);
  ++t->next_id_;
  return fresh;
}

Timestamp ReplayTape::time(Timestamp fresh) noexcept {
  ReplayTape* t = bound;
  if (!t) return fresh;
  if (t->next_time_ < t->times_.size()) return t->times_[t->next_time_++];
  try {
    t->times_.push_back(fresh);
    ++t->next_time_;
  } catch (...) {
    // Out of memory: the reading goes unrecorded; a second run then draws
    // a later time, which is all a fresh tape would give it.
  }
  return fresh;
}

}  // namespace bora
