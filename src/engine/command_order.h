// engine/command_order: the order in which Mistral's dispatcher runs the
// commands that come out of one task's transitions (or a workflow's start).
// It matters: tasks started together are stored in that order, and a join
// merges its inbound contexts in stored order, so the last one wins a
// conflicting variable.
//
// Mistral (engine/dispatcher.py, _rearrange_commands) drops noops, keeps
// only a fail/succeed that comes first, and sorts the task commands before a
// state command with a comparator that says "less" for any non-join command
// whatever it is compared with. Python's list.sort (a run count, then binary
// insertion, for short lists) turns that into a reversal of plain tasks,
// with joins after them ordered by key. This reproduces that sort exactly
// for up to 64 commands (Python's minimum run; beyond, it merges runs, and
// the order here is still a valid one).
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace bora::engine {

struct NextCommand {
  std::string target;       // a task name or fail/succeed/pause/noop
  bool engine_command = false;
  bool waiting = false;     // the target task is a join
  std::string unique_key;   // a join's key
  size_t source = 0;        // index into the caller's list
};

// Python's binary-insertion list.sort with a "less than" predicate.
template <class T, class Less>
void python_short_sort(std::vector<T>& v, Less less) {
  size_t n = v.size();
  if (n < 2) return;
  size_t run = 2;
  if (less(v[1], v[0])) {  // a strictly descending run is reversed
    while (run < n && less(v[run], v[run - 1])) ++run;
    std::reverse(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(run));
  } else {
    while (run < n && !less(v[run], v[run - 1])) ++run;
  }
  for (size_t i = run; i < n; ++i) {
    T pivot = v[i];
    size_t l = 0, r = i;
    while (l < r) {
      size_t p = l + (r - l) / 2;
      if (less(pivot, v[p])) r = p;
      else l = p + 1;
    }
    for (size_t k = i; k > l; --k) v[k] = v[k - 1];
    v[l] = pivot;
  }
}

inline std::vector<NextCommand> mistral_command_order(std::vector<NextCommand> cmds) {
  cmds.erase(std::remove_if(cmds.begin(), cmds.end(),
                            [](const NextCommand& c) { return c.engine_command && c.target == "noop"; }),
             cmds.end());
  auto less = [](const NextCommand& a, const NextCommand& b) {
    if (a.engine_command || !a.waiting) return true;
    if (b.engine_command || !b.waiting) return false;
    return a.unique_key < b.unique_key;
  };
  auto state = std::find_if(cmds.begin(), cmds.end(), [](const NextCommand& c) { return c.engine_command; });
  if (state == cmds.end()) {
    python_short_sort(cmds, less);
    return cmds;
  }
  size_t idx = static_cast<size_t>(state - cmds.begin());
  bool pause = state->target == "pause";
  if (idx == 0 && !pause) return {cmds.front()};
  std::vector<NextCommand> out(cmds.begin(), cmds.begin() + static_cast<std::ptrdiff_t>(idx));
  python_short_sort(out, less);
  out.push_back(cmds[idx]);
  if (pause) out.insert(out.end(), cmds.begin() + static_cast<std::ptrdiff_t>(idx) + 1, cmds.end());
  return out;
}

}  // namespace bora::engine
