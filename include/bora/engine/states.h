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

}  // namespace bora::engine
