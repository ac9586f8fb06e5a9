// expr/yaql/lazy_sequence: yaql's infinite iterators (queries.py:
// sequence(), repeat() without a count, cycle()). Like datetime and set
// objects, one is a dict with a reserved key, holding how to make item i
// (the kind, its value or items, a start and step, and how many items were
// skipped). Only the functions that bound it read it: take/limit, first,
// skip, takeWhile; anything that would read it whole fails at once with a
// message saying to bound it (yaql would loop until memory runs out), so
// an infinite sequence can neither hang the engine nor exhaust memory.
#pragma once

#include <map>
#include <string>

#include "bora/core/value.h"
#include "evaluator.h"

namespace bora::expr::yaql {

inline constexpr const char* kLazyKey = "\x01yaql-lazy";

bool is_lazy(const Value& v);
// Appends one item read from a lazy sequence, charging the list's growth
// (a vector doubles: the old and the new storage live at once).
void push_charged(EvalBudget& budget, List& out, Value item);
// Item i of a lazy sequence (after what was skipped).
Value lazy_item(const Value& lazy, int64_t i);
// The error for reading a lazy sequence whole (reader: "select()", "the
// result").
[[noreturn]] void unbounded(const std::string& reader);

// Registered after the collections: wraps take, limit, first, skip,
// takeWhile and isIterable, and makes repeat() without a count, cycle(),
// sequence() and memorize().
void register_lazy_functions(std::map<std::string, Function, std::less<>>& lib);

}  // namespace bora::expr::yaql
