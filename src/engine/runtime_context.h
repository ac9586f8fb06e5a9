// engine/runtime_context: typed views of what the engine keeps in a task's
// runtime_context (a JSON column). Converted at the storage border only:
// to_value() writes the keys in the order they were always stored, so the
// stored JSON stays byte-identical.
#pragma once

#include <cstdint>

#include "bora/core/value.h"

namespace bora::engine {

// runtime_context["with_items"]: a with-items task's progress, as counters
// (the items are evaluated again when more must start).
struct WithItemsProgress {
  int64_t count = 0;        // items in all
  int64_t next = 0;         // the next item to start
  int64_t concurrency = 0;  // at most this many running at once; 0: no limit
  int64_t done = 0;         // items that ended
  bool failed = false;      // an item failed

  // Missing or mistyped fields read as their defaults.
  static WithItemsProgress from_value(const Value& v);
  Value to_value() const;
};

}  // namespace bora::engine
