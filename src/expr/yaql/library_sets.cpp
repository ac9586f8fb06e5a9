// expr/yaql/library_sets: yaql's set functions and operators (collections.py:
// set, toSet, isSet, union, intersect, difference, symmetricDifference,
// add, remove, the comparisons as subset tests, + as union, - as
// difference). Every membership test is a step of the evaluation budget
// (a set here is a list compared item by item, so building one is
// quadratic).
#include "set_type.h"

#include <fmt/format.h>

#include <algorithm>

#include "bora/core/python_format.h"

namespace bora::expr::yaql {

namespace {

bool member_of(EvalBudget& budget, const List& items, const Value& v) {
  require_hashable(v);  // `in` a frozenset hashes the item
  budget.step(items.size());
  return std::any_of(items.begin(), items.end(), [&](const Value& x) { return py_equal(x, v); });
}

Value set_of(List items) {
  note_object_made();  // a set must be converted when it leaves
  Dict d;
  d.set(kSetKey, Value(std::move(items)));
  return Value(std::move(d));
}

// Both operands of a set function must be sets (yaql's SetType parameters).
void require_sets(const Call& c, const Value& a, const Value& b) {
  if (!is_set(a) || !is_set(b)) no_method(c);
}

bool subset(EvalBudget& budget, const Value& a, const Value& b) {
  const List& big = set_items(b).as_list();
  for (const auto& x : set_items(a).as_list())
    if (!member_of(budget, big, x)) return false;
  return true;
}

Value set_union(EvalBudget& budget, const Value& a, const Value& b) {
  List out = set_items(a).as_list();
  budget.items(out.size() + set_items(b).size());
  for (const auto& x : set_items(b).as_list())
    if (!member_of(budget, out, x)) out.push_back(x);
  return set_of(std::move(out));
}

// The items of a that are (keep) or are not (!keep) in b.
Value set_filter(EvalBudget& budget, const Value& a, const Value& b, bool keep) {
  List out;
  const List& other = set_items(b).as_list();
  for (const auto& x : set_items(a).as_list())
    if (member_of(budget, other, x) == keep) out.push_back(x);
  return set_of(std::move(out));
}

}  // namespace

bool is_set(const Value& v) { return v.is_dict() && v.size() == 1 && v.find(kSetKey) != nullptr; }

const Value& set_items(const Value& v) { return *v.find(kSetKey); }

Value make_set(EvalBudget& budget, const List& items) {
  budget.items(items.size());
  List out;
  for (const auto& x : items)
    if (!member_of(budget, out, x)) out.push_back(x);
  return set_of(std::move(out));
}

std::optional<Value> set_binary(EvalBudget& budget, const std::string& op, const Value& a, const Value& b) {
  bool sa = is_set(a), sb = is_set(b);
  if (!sa && !sb) return std::nullopt;
  if (op == "=" || op == "!=") {
    bool equal = sa && sb && set_items(a).size() == set_items(b).size() && subset(budget, a, b);
    return Value(op == "=" ? equal : !equal);
  }
  if (op == "+") {
    if (sa && sb) return set_union(budget, a, b);
    // A set and a list concatenate as yaql's iterables do, into a list.
    auto items = [](const Value& v) { return is_set(v) ? set_items(v) : v; };
    Value x = items(a), y = items(b);
    if (!x.is_list() || !y.is_list()) no_match("#operator_+");
    budget.items(x.size() + y.size());
    List out = x.as_list();
    out.insert(out.end(), y.as_list().begin(), y.as_list().end());
    return Value(std::move(out));
  }
  // null orders below a set as below everything (yaql_order).
  if ((a.is_null() || b.is_null()) && (op == "<" || op == ">" || op == "<=" || op == ">=")) return std::nullopt;
  if (!sa || !sb) no_match("#operator_" + op);
  if (op == "-") return set_filter(budget, a, b, false);
  // Comparisons are subset tests, as Python's frozenset defines them.
  size_t na = set_items(a).size(), nb = set_items(b).size();
  if (op == "<") return Value(na < nb && subset(budget, a, b));
  if (op == "<=") return Value(na <= nb && subset(budget, a, b));
  if (op == ">") return Value(nb < na && subset(budget, b, a));
  if (op == ">=") return Value(nb <= na && subset(budget, b, a));
  no_match("#operator_" + op);
}

std::optional<std::string> set_text(const Value& v) {
  if (!is_set(v)) return std::nullopt;
  const List& items = set_items(v).as_list();
  if (items.empty()) return std::string("frozenset()");
  std::string out = "frozenset({";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + python_text(items[i], false);
  return out + "})";
}

Value stored_set(const Value& v) {
  for (const auto& x : set_items(v).as_list()) {
    // Mistral converts the set's tuples to lists and fails to hash them.
    if (x.is_list()) throw EvalError("unhashable type: 'list'");
    if (x.is_dict()) throw EvalError(is_set(x) ? "unhashable type: 'set'" : "unhashable type: 'dict'");
  }
  return set_items(v);
}

void register_set_functions(std::map<std::string, Function, std::less<>>& lib) {
  // set(items...) builds a set; dict.set(key, value) and dict.set(k => v)
  // (registered before) keep their meaning.
  Function dict_set = lib["set"];
  lib["set"] = [dict_set](Call& c) {
    if (c.receiver && c.receiver->is_dict() && !is_set(*c.receiver)) return dict_set(c);
    if (!c.kwargs.empty()) return dict_set(c);
    List items;
    for (size_t i = 0; i < c.count(); ++i) {
      Value v = c.arg(i);
      if (is_lazy_query(c.receiver && i == 0 ? c.receiver_node : c.node(i)) && v.is_list())
        items.insert(items.end(), v.as_list().begin(), v.as_list().end());
      else
        items.push_back(std::move(v));
    }
    return make_set(c.ev.budget(), items);
  };
  lib["toSet"] = [](Call& c) { return make_set(c.ev.budget(), charged_sequence(c.ev.budget(), c.arg(0), c.name)); };
  // A dict's keys() and items() views are sets to Python.
  lib["isSet"] = [](Call& c) {
    Value v = c.arg(0);
    const Node* of = c.receiver ? c.receiver_node : c.node(0);
    return Value(is_set(v) || (v.is_list() && of && list_kind(of) == ListKind::SetView));
  };
  lib["union"] = [](Call& c) {
    Value a = c.arg(0), b = c.arg(1);
    require_sets(c, a, b);
    return set_union(c.ev.budget(), a, b);
  };
  lib["intersect"] = [](Call& c) {
    Value a = c.arg(0), b = c.arg(1);
    require_sets(c, a, b);
    return set_filter(c.ev.budget(), a, b, true);
  };
  lib["difference"] = [](Call& c) {
    Value a = c.arg(0), b = c.arg(1);
    require_sets(c, a, b);
    return set_filter(c.ev.budget(), a, b, false);
  };
  lib["symmetricDifference"] = [](Call& c) {
    Value a = c.arg(0), b = c.arg(1);
    require_sets(c, a, b);
    Value left = set_filter(c.ev.budget(), a, b, false);
    Value right = set_filter(c.ev.budget(), b, a, false);
    List out = set_items(left).as_list();
    for (const auto& x : set_items(right).as_list()) out.push_back(x);
    return set_of(std::move(out));
  };
  lib["add"] = [](Call& c) {
    Value s = c.arg(0);
    if (!is_set(s)) no_method(c);
    List added;
    for (size_t i = 1; i < c.count(); ++i) added.push_back(c.arg(i));
    return set_union(c.ev.budget(), s, make_set(c.ev.budget(), added));
  };
  lib["remove"] = [](Call& c) {
    Value s = c.arg(0);
    if (!is_set(s)) no_method(c);
    List removed;
    for (size_t i = 1; i < c.count(); ++i) removed.push_back(c.arg(i));
    return set_filter(c.ev.budget(), s, make_set(c.ev.budget(), removed), false);
  };
}

}  // namespace bora::expr::yaql
