// engine/states: the states of workflow, task and action executions and
// which changes are allowed (mistral/workflow/states.py). The API refuses
// an invalid change with Mistral's text; the engine never makes one.
#pragma once

#include <optional>
#include <string_view>

namespace bora::engine {

enum class State { Idle, Waiting, Running, Delayed, Paused, Success, Cancelled, Error, Skipped };

// "IDLE", "WAITING", "RUNNING", "DELAYED", "PAUSED", "SUCCESS", "CANCELLED",
// "ERROR", "SKIPPED".
const char* state_name(State s);
std::optional<State> parse_state(std::string_view name);

bool is_completed(State s);  // SUCCESS, ERROR, CANCELLED, SKIPPED
bool is_running(State s);    // RUNNING, DELAYED
// A state may always "change" to itself.
bool is_valid_transition(State from, State to);

}  // namespace bora::engine
