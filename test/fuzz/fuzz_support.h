// test/fuzz/fuzz_support: what the fuzz targets share. A target calls the
// same entry points the server does; besides crashes and sanitizer reports
// (which libFuzzer catches by itself), each target checks the promises those
// entry points make (a Result instead of an exception, text the parser wrote
// read back the same, no 5xx for a request) and calls finding() when one is
// broken, so that libFuzzer saves the input as a crash.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "bora/core/json.h"
#include "bora/core/log.h"
#include "bora/core/value.h"
#include "bora/expr/budget.h"

namespace bora::fuzz {

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

[[noreturn]] inline void finding(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "\n==BORA FUZZ FINDING== %.*s\n%.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(std::min<size_t>(detail.size(), 4000)), detail.data());
  std::abort();
}

// Log lines (a router's debug line per request, a warning per refused
// definition) would drown libFuzzer's own output and slow it down.
inline void quiet_logs() { log::set_level(log::Level::Error); }

// Small evaluation budgets ([expressions] max_steps, max_value_bytes,
// max_time_ms set low): an input that merely runs long ends in a budget
// error well inside libFuzzer's -timeout, instead of being reported as a
// hang; crashes and broken promises stay findings.
inline expr::EvalLimits small_limits() {
  expr::EvalLimits l;
  l.max_steps = 200'000;
  l.max_value_bytes = 16 << 20;
  l.max_time_ms = 2'000;
  return l;
}

// The data context of the frozen expression cases (test/data/expr): scalars,
// lists, nested dicts, non-ASCII text, so that `$.d.y.z` or `_.people` in a
// mutated expression finds something to walk.
inline const Value& sample_data() {
  static const Value data = parse_json(R"({"a": 1, "b": 2.5, "s": "Hello World", "n": null, "t": true,
    "f": false, "l": [3, 1, 2], "words": ["pear", "apple", "fig"], "empty": [], "e": {},
    "d": {"x": 1, "y": {"z": "deep"}, "list": [1, 2]},
    "people": [{"name": "ann", "age": 31, "team": "a"}, {"name": "bob", "age": 25, "team": "b"}],
    "u": "h\u00e9llo w\u00f6rld", "num_s": "42", "csv": "a,b,,c"})")
                                 .value();
  return data;
}

}  // namespace bora::fuzz
