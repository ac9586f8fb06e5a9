// engine/merge_dicts: Mistral's utils.merge_dicts, the one rule by which
// contexts, publishes, environments and a rerun's input and params combine.
#pragma once

#include "bora/core/value.h"

namespace bora::engine {

// right merged into left: dicts recursively, anything else replaced; with
// overwrite false a key left already has keeps its value (defaults filled
// in: an action's defaults from the environment's __actions).
Value merge_dicts(const Value& left, const Value& right, bool overwrite = true);

}  // namespace bora::engine
