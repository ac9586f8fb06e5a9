// storage/state: the states of workflow, task and action executions
// (mistral/workflow/states.py), typed: a record holds a State, never a
// string; the name is only the column's text and the API's field. Which
// changes are allowed is here too, so that the API, the services and the
// engine answer alike.
#pragma once

#include <fmt/core.h>

#include <optional>
#include <string_view>

namespace bora::storage {

enum class State { Idle, Waiting, Running, Delayed, Paused, Success, Cancelled, Error, Skipped };

// "IDLE", "WAITING", "RUNNING", "DELAYED", "PAUSED", "SUCCESS", "CANCELLED",
// "ERROR", "SKIPPED".
const char* state_name(State s);
std::optional<State> parse_state(std::string_view name);

bool is_completed(State s);  // SUCCESS, ERROR, CANCELLED, SKIPPED
bool is_running(State s);    // RUNNING, DELAYED
// A state may always "change" to itself.
bool is_valid_transition(State from, State to);

}  // namespace bora::storage

// fmt prints a state by its name (messages, trace lines).
template <>
struct fmt::formatter<bora::storage::State> : fmt::formatter<std::string_view> {
  auto format(bora::storage::State s, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(bora::storage::state_name(s), ctx);
  }
};
