// CPython's list.sort (timsort) where the order of its comparisons shows:
// a less-than that may throw (Python's TypeError on the first pair it
// cannot compare, which its message names) or that is no total order
// (sets ordered by inclusion).
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace bora {

// Below 64 items CPython counts one run (ascending, or strictly descending
// and then reversed) and binary-inserts the rest: the same comparisons in
// the same order here, for any size. lt(a, b): a < b.
template <typename T, typename Lt>
void python_small_sort(std::vector<T>& items, Lt lt) {
  size_t n = items.size();
  if (n < 2) return;
  size_t run = 2;
  if (lt(items[1], items[0])) {
    while (run < n && lt(items[run], items[run - 1])) ++run;
    std::reverse(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(run));
  } else {
    while (run < n && !lt(items[run], items[run - 1])) ++run;
  }
  for (size_t start = run; start < n; ++start) {
    size_t l = 0, r = start;
    while (l < r) {
      size_t p = l + ((r - l) >> 1);
      if (lt(items[start], items[p])) r = p;
      else l = p + 1;
    }
    std::rotate(items.begin() + static_cast<std::ptrdiff_t>(l), items.begin() + static_cast<std::ptrdiff_t>(start),
                items.begin() + static_cast<std::ptrdiff_t>(start + 1));
  }
}

// sorted(items, reverse=...): CPython's comparisons below 64 items; merges
// beyond, as a stable sort (lt must then be a strict weak order).
template <typename T, typename Lt>
void python_sort(std::vector<T>& items, Lt lt, bool reverse = false) {
  // sorted(reverse=True) reverses, sorts stably, and reverses again.
  if (reverse) std::reverse(items.begin(), items.end());
  if (items.size() < 64) python_small_sort(items, lt);
  else std::stable_sort(items.begin(), items.end(), lt);
  if (reverse) std::reverse(items.begin(), items.end());
}

}  // namespace bora
