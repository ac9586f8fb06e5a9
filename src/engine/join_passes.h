// engine/join_passes: Mistral's scheduler passes as they start joins, kept
// by the engine across its batches (Step counts them, joins.cpp reads them).
//
// Mistral starts or fails a join in a refresh, a job its scheduler runs on a
// pass about a second after what caused it. A join started in one pass and
// reached, once ended, by an arrival that a later pass caused (another join
// started or failed there) ran before that arrival: it runs again however
// little time has passed in Bora, which runs the passes back to back. An
// arrival from an action's completion is judged by time instead (run_join's
// window), so only the joins started within that window are kept here.
#pragma once

#include <deque>
#include <string>
#include <unordered_map>

#include "bora/core/time.h"

namespace bora::engine {

class JoinPasses {
 public:
  // A new pass begins (a round of refreshes).
  int next_pass() { return ++pass_; }

  // The join task execution `id` started in the current pass at `now`;
  // joins started before `now - window` are forgotten (time decides then).
  void started(const std::string& id, Timestamp now, std::chrono::microseconds window) {
    while (!order_.empty() && order_.front().at + window < now) {
      auto it = by_id_.find(order_.front().id);
      if (it != by_id_.end() && it->second == order_.front().pass) by_id_.erase(it);
      order_.pop_front();
    }
    order_.push_back({id, pass_, now});
    by_id_[id] = pass_;
  }

  // Whether the join `id` started in a pass before `pass`.
  bool started_before(const std::string& id, int pass) const {
    auto it = by_id_.find(id);
    return it != by_id_.end() && it->second < pass;
  }

 private:
  struct Started {
    std::string id;
    int pass;
    Timestamp at;
  };
  int pass_ = 0;
  std::deque<Started> order_;
  std::unordered_map<std::string, int> by_id_;
};

}  // namespace bora::engine
