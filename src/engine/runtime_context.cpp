// engine/runtime_context: to and from the stored runtime_context values.
#include "runtime_context.h"

#include <algorithm>

namespace bora::engine {

namespace {

int64_t int_or_zero(const Value& v) { return v.is_int() ? v.as_int() : 0; }

}  // namespace

WithItemsProgress WithItemsProgress::from_value(const Value& v) {
  WithItemsProgress p;
  if (!v.is_dict()) return p;
  p.count = int_or_zero(v["count"]);
  p.next = int_or_zero(v["next"]);
  p.concurrency = int_or_zero(v["concurrency"]);
  p.done = int_or_zero(v["done"]);
  p.failed = v["failed"].truthy();
  if (const Value& r = v["rerun"]; r.is_list()) {
    for (const auto& range : r.as_list()) {
      if (!range.is_list() || range.size() != 2) continue;
      int64_t first = int_or_zero(range[0]), last = int_or_zero(range[1]);
      if (first < last) p.rerun.emplace_back(first, last);
    }
  }
  return p;
}

Value WithItemsProgress::to_value() const {
  Value v = Value::dict({{"count", Value(count)},
                         {"next", Value(next)},
                         {"concurrency", Value(concurrency)},
                         {"done", Value(done)},
                         {"failed", Value(failed)}});
  if (rerun.empty()) return v;
  List ranges;
  ranges.reserve(rerun.size());
  for (const auto& [first, last] : rerun) ranges.emplace_back(List{Value(first), Value(last)});
  return v.with("rerun", Value(std::move(ranges)));
}

int64_t WithItemsProgress::rerun_left() const {
  int64_t left = 0;
  for (const auto& [first, last] : rerun) left += last - first;
  return left;
}

int64_t WithItemsProgress::running() const { return std::min(next, count) - rerun_left() - done; }

int64_t WithItemsProgress::take_next() {
  if (rerun.empty()) return next++;
  int64_t index = rerun.front().first++;
  if (rerun.front().first >= rerun.front().second) rerun.erase(rerun.begin());
  return index;
}

std::vector<std::pair<int64_t, int64_t>> WithItemsProgress::ranges_of(const std::vector<int64_t>& sorted_indexes) {
  std::vector<std::pair<int64_t, int64_t>> ranges;
  for (int64_t i : sorted_indexes) {
    if (!ranges.empty() && ranges.back().second == i) ++ranges.back().second;
    else ranges.emplace_back(i, i + 1);
  }
  return ranges;
}

}  // namespace bora::engine
