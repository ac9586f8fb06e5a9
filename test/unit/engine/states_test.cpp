// Execution states and Mistral's table of allowed changes.
#include <catch2/catch.hpp>

#include "bora/engine/states.h"

using namespace bora::engine;

TEST_CASE("names round-trip") {
  for (State s : {State::Idle, State::Waiting, State::Running, State::Delayed, State::Paused, State::Success,
                  State::Cancelled, State::Error, State::Skipped}) {
    CHECK(parse_state(state_name(s)) == s);
  }
  CHECK_FALSE(parse_state("DONE"));
  CHECK(std::string(state_name(State::Delayed)) == "DELAYED");
}

TEST_CASE("Mistral's transitions") {
  CHECK(is_valid_transition(State::Running, State::Paused));
  CHECK(is_valid_transition(State::Paused, State::Running));
  CHECK(is_valid_transition(State::Error, State::Running));  // rerun
  CHECK(is_valid_transition(State::Error, State::Skipped));
  CHECK(is_valid_transition(State::Success, State::Success));
  CHECK_FALSE(is_valid_transition(State::Success, State::Running));
  CHECK_FALSE(is_valid_transition(State::Waiting, State::Error));
  CHECK_FALSE(is_valid_transition(State::Idle, State::Success));
  CHECK(is_completed(State::Cancelled));
  CHECK_FALSE(is_completed(State::Paused));
  CHECK(is_running(State::Delayed));
}
