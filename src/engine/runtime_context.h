// engine/runtime_context: typed views of what the engine keeps in a task's
// runtime_context (a JSON column). Converted at the storage border only:
// to_value() writes the keys in the order they were always stored, so the
// stored JSON stays byte-identical.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

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
  // The items a rerun still has to start (its failed ones, as ranges
  // [first, last) in item order; next is then count). Started a batch at a
  // time as the first run's items are, not all in the rerun's transaction.
  std::vector<std::pair<int64_t, int64_t>> rerun;

  // Items of a rerun not started yet.
  int64_t rerun_left() const;
  // Items started and not ended (running, or paused sub-workflows).
  int64_t running() const;
  // Whether items are left to start (the first run's or a rerun's).
  bool more_to_start() const { return next < count || !rerun.empty(); }
  // The next item to start: the rerun's first, else next.
  int64_t peek_next() const { return rerun.empty() ? next : rerun.front().first; }
  // peek_next(), now counted as started.
  int64_t take_next();
  // The rerun's ranges from the indexes to start again, sorted.
  static std::vector<std::pair<int64_t, int64_t>> ranges_of(const std::vector<int64_t>& sorted_indexes);

  // Missing or mistyped fields read as their defaults.
  static WithItemsProgress from_value(const Value& v);
  Value to_value() const;
};

}  // namespace bora::engine
