// expr/yaql/set_type: yaql's set (a Python frozenset: yaql/standard_library/
// collections.py). Like datetime and regex objects it is a dict with one
// reserved key, holding its distinct items in the order they were first
// added. Python's equality decides what is distinct (1, 1.0 and true are one
// item). Inside an expression a set may hold lists and dicts (yaql's tuples
// and FrozenDicts are hashable); what leaves is what Mistral stores: a list,
// and an error when it holds a list or a dict (Mistral's output conversion
// fails on them: "unhashable type: 'list'"). Python iterates a set in its
// hash table's order: a set of numbers is kept in CPython's order (their
// hashes are fixed: {3, 1, 2} is 1, 2, 3), any other in first-seen order
// (a str's hash changes from one process to the next).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "bora/core/value.h"
#include "evaluator.h"

namespace bora::expr::yaql {

inline constexpr const char* kSetKey = "\x01yaql-set";

bool is_set(const Value& v);
// The items of a set (a list Value); v must be a set.
const Value& set_items(const Value& v);
// A set of the given items, made distinct (each comparison charged).
Value make_set(EvalBudget& budget, const List& items);

// Operators with a set operand (=, !=, <, <=, >, >=, +, -); nullopt when
// neither operand is a set or the operator means something else for them.
std::optional<Value> set_binary(EvalBudget& budget, const std::string& op, const Value& a, const Value& b);
// Python's str() of a set: frozenset({1, 2}); nullopt for other values.
std::optional<std::string> set_text(const Value& v);
// The list Mistral stores for a set; throws EvalError for an item that is
// a list or a dict.
Value stored_set(const Value& v);
// The order CPython's set iterates the items added in this order, when it
// is fixed (numbers only: a str's or None's hash changes from one process
// to the next); nullopt otherwise.
std::optional<List> python_set_order(const List& items);

void register_set_functions(std::map<std::string, Function, std::less<>>& lib);

}  // namespace bora::expr::yaql
