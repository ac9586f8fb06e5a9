// storage/state: the names of the states and the changes Mistral allows.
#include "bora/storage/state.h"

#include <array>

namespace bora::storage {

namespace {

constexpr std::array<std::pair<State, const char*>, 9> kNames = {{{State::Idle, "IDLE"},
                                                                  {State::Waiting, "WAITING"},
                                                                  {State::Running, "RUNNING"},
                                                                  {State::Delayed, "DELAYED"},
                                                                  {State::Paused, "PAUSED"},
                                                                  {State::Success, "SUCCESS"},
                                                                  {State::Cancelled, "CANCELLED"},
                                                                  {State::Error, "ERROR"},
                                                                  {State::Skipped, "SKIPPED"}}};

}  // namespace

const char* state_name(State s) {
  for (const auto& [state, name] : kNames)
    if (state == s) return name;
  return "ERROR";
}

std::optional<State> parse_state(std::string_view name) {
  for (const auto& [state, n] : kNames)
    if (name == n) return state;
  return std::nullopt;
}

bool is_completed(State s) {
  return s == State::Success || s == State::Error || s == State::Cancelled || s == State::Skipped;
}

bool is_running(State s) { return s == State::Running || s == State::Delayed; }

bool is_valid_transition(State from, State to) {
  if (from == to) return true;
  switch (from) {
    case State::Idle: return to == State::Running || to == State::Error || to == State::Cancelled;
    case State::Waiting: return to == State::Running;
    case State::Running:
      return to == State::Paused || to == State::Delayed || to == State::Success || to == State::Error ||
             to == State::Cancelled;
    case State::Delayed: return to == State::Running || to == State::Error || to == State::Cancelled;
    case State::Paused: return to == State::Running || to == State::Error || to == State::Cancelled;
    case State::Success: return false;
    case State::Cancelled: return to == State::Running;
    // A failed task may be skipped (PUT /v2/tasks/{id} state=SKIPPED) or rerun.
    case State::Error: return to == State::Running || to == State::Skipped;
    case State::Skipped: return false;
  }
  return false;
}

}  // namespace bora::storage
