// engine/states: the execution states as the engine names them: the
// storage model's typed State (bora/storage/state.h), where the names and
// the allowed changes live.
#pragma once

#include "bora/storage/state.h"

namespace bora::engine {

using storage::is_completed;
using storage::is_running;
using storage::is_valid_transition;
using storage::parse_state;
using storage::State;
using storage::state_name;

// Mistral's update_workflow_execution_env: an execution's env changes only
// while it is IDLE, PAUSED or ERROR (a PUT of params.env, a rerun given an
// env); otherwise its NotAllowedException, answered 403 with these words.
inline bool env_may_change(State s) { return s == State::Idle || s == State::Paused || s == State::Error; }
inline constexpr const char* kEnvChangeRefused =
    "Updating env to workflow execution is only permitted if it is in IDLE, PAUSED, or ERROR state.";

}  // namespace bora::engine
