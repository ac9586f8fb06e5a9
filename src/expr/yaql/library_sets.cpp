// expr/yaql/library_sets: yaql's set functions and operators (collections.py:
// set, toSet, isSet, union, intersect, difference, symmetricDifference,
// add, remove, the comparisons as subset tests, + as union, - as
// difference). Every membership test is a step of the evaluation budget
// (a set here is a list compared item by item, so building one is
// quadratic).
#include "set_type.h"
#include "date_time.h"
#include "python_regex.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "bora/core/python_format.h"
#include "bora/core/python_int.h"

namespace bora::expr::yaql {

namespace {

bool member_of(EvalBudget& budget, const List& items, const Value& v) {
  require_hashable(v);  // `in` a frozenset hashes the item
  budget.step(items.size());
  return std::any_of(items.begin(), items.end(), [&](const Value& x) { return py_equal(x, v); });
}

// CPython's hash of a number (Objects/longobject.c, pyhash.c): an int
// modulo 2**61 - 1 with its sign, a float through _Py_HashDouble (equal to
// the int's when it is integral), -1 made -2; nullopt for anything else
// (a str's hash changes from one process to the next, and a NaN's is its
// address).
constexpr uint64_t kHashModulus = (uint64_t{1} << 61) - 1;

std::optional<int64_t> number_hash(const Value& v) {
  auto finish = [](int64_t h) { return h == -1 ? int64_t{-2} : h; };
  if (v.is_bool()) return int64_t(v.as_bool());
  if (v.is_int()) {
    int64_t x = v.as_int();
    uint64_t a = x < 0 ? uint64_t(0) - uint64_t(x) : uint64_t(x);
    int64_t h = int64_t(a % kHashModulus);
    return finish(x < 0 ? -h : h);
  }
  if (v.is_integer()) {  // beyond int64
    Value m = python_int::floor_mod(python_int::abs(v), Value(int64_t(kHashModulus)));
    if (!m.is_int()) return std::nullopt;
    bool negative = python_int::compare(v, Value(int64_t{0})).value_or(0) < 0;
    return finish(negative ? -m.as_int() : m.as_int());
  }
  if (!v.is_double()) return std::nullopt;
  double d = v.as_double();
  if (std::isnan(d)) return std::nullopt;
  if (std::isinf(d)) return d > 0 ? int64_t{314159} : int64_t{-314159};
  int e = 0;
  double m = std::frexp(d, &e);
  int64_t sign = 1;
  if (m < 0) {
    sign = -1;
    m = -m;
  }
  uint64_t x = 0;
  while (m != 0) {
    x = ((x << 28) & kHashModulus) | x >> (61 - 28);
    m *= 268435456.0;
    e -= 28;
    auto y = static_cast<uint64_t>(m);
    m -= static_cast<double>(y);
    x += y;
    if (x >= kHashModulus) x -= kHashModulus;
  }
  e = e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61);
  x = ((x << e) & kHashModulus) | x >> (61 - e);
  return finish(static_cast<int64_t>(x) * sign);
}

// The order CPython's set iterates items added in this order: its table
// (8 slots, linear probes of 9 then perturbed jumps, grown to 4 times the
// items once 3/5 full), read slot by slot (Objects/setobject.c). Only for
// numbers, whose hashes are fixed; nullopt otherwise (Bora keeps the order
// items came in, as no one can rely on a str's order).
std::optional<List> cpython_order(const List& items) {
  if (items.size() < 2) return std::nullopt;
  std::vector<uint64_t> hashes;
  for (const auto& x : items) {
    auto h = number_hash(x);
    if (!h) return std::nullopt;
    hashes.push_back(static_cast<uint64_t>(*h));
  }
  constexpr size_t kLinearProbes = 9;
  std::vector<int64_t> table(8, -1);
  auto insert = [&](std::vector<int64_t>& t, int64_t item) {
    size_t mask = t.size() - 1;
    uint64_t perturb = hashes[static_cast<size_t>(item)];
    size_t i = perturb & mask;
    while (true) {
      size_t probes = i + kLinearProbes <= mask ? kLinearProbes : 0;
      for (size_t j = i; j <= i + probes; ++j) {
        if (t[j] < 0) {
          t[j] = item;
          return;
        }
      }
      perturb >>= 5;
      i = (i * 5 + 1 + perturb) & mask;
    }
  };
  size_t fill = 0;
  for (size_t k = 0; k < items.size(); ++k) {
    insert(table, static_cast<int64_t>(k));
    ++fill;
    size_t mask = table.size() - 1;
    if (fill * 5 < mask * 3) continue;
    size_t minused = fill > 50000 ? fill * 2 : fill * 4;
    size_t size = 8;
    while (size <= minused) size <<= 1;
    std::vector<int64_t> bigger(size, -1);
    for (int64_t slot : table)
      if (slot >= 0) insert(bigger, slot);
    table = std::move(bigger);
  }
  List out;
  out.reserve(items.size());
  for (int64_t slot : table)
    if (slot >= 0) out.push_back(items[static_cast<size_t>(slot)]);
  return out;
}

}  // namespace

std::optional<List> python_set_order(const List& items) { return cpython_order(items); }

namespace {

Value set_of(List items) {
  note_object_made();  // a set must be converted when it leaves
  // Items kept in the order CPython's set gives them (when it is fixed).
  if (auto ordered = cpython_order(items)) items = std::move(*ordered);
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
  // An iterator held unread is hashed by its address: it may sit anywhere
  // in the table; printed after the other items (where it mostly lands).
  std::string out = "frozenset({";
  bool first = true;
  for (bool unread : {false, true})
    for (const auto& x : items)
      if (is_unread_iterator(x) == unread) {
        out += (first ? "" : ", ") + python_text(x, false);
        first = false;
      }
  return out + "})";
}

Value stored_set(const Value& v) {
  for (const auto& x : set_items(v).as_list()) {
    // Mistral converts the set's tuples to lists and fails to hash them.
    if (x.is_list()) throw EvalError("unhashable type: 'list'");
    if (is_unread_iterator(x)) throw EvalError(unread_error(x));  // read there
    if (is_datetime(x) || is_date(x) || is_timespan(x) || is_regex_object(x)) continue;  // stored as they are
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
      const Node* written = c.receiver && i == 0 ? c.receiver_node : c.node(i);
      // A dict's keys() or items() view is one item, which Python cannot hash.
      if (written && list_kind(written) == ListKind::SetView && v.is_list())
        if (auto text = view_text(c, written, v))
          throw EvalError(fmt::format("unhashable type: '{}'", text->substr(0, text->find('('))));
      if (is_lazy_query(written) && v.is_list())
        items.insert(items.end(), v.as_list().begin(), v.as_list().end());
      else
        items.push_back(std::move(v));
    }
    return make_set(c.ev.budget(), items);
  };
  lib["toSet"] = [](Call& c) {
    List items = charged_sequence(c.ev.budget(), c.arg(0), c.name);
    // A dict's keys() or items() view among the items, as written, is a
    // set to Python, which it cannot hash (`unhashable type: 'KeysView'`),
    // met in the items' order.
    const Node* of = c.receiver ? c.receiver_node : c.node(0);
    if (auto nodes = of ? item_nodes(of, items.size()) : std::nullopt) {
      // An iterator is hashed by its identity: two are two items, whatever
      // they hold.
      bool iterators = false;
      for (size_t i = 0; i < items.size(); ++i) {
        ListKind kind = list_kind((*nodes)[i]);
        if (kind == ListKind::SetView && items[i].is_list())
          if (auto text = view_text(c, (*nodes)[i], items[i]))
            throw EvalError(fmt::format("unhashable type: '{}'", text->substr(0, text->find('('))));
        require_hashable(items[i]);
        iterators = iterators || ((kind == ListKind::Iterator || kind == ListKind::Ordering) && items[i].is_list());
      }
      if (iterators) {
        c.ev.budget().items(items.size());
        List out, values;  // values: the items no iterator gave, compared
        for (size_t i = 0; i < items.size(); ++i) {
          ListKind kind = list_kind((*nodes)[i]);
          bool object = (kind == ListKind::Iterator || kind == ListKind::Ordering) && items[i].is_list();
          if (object) {
            out.push_back(items[i]);
          } else if (!member_of(c.ev.budget(), values, items[i])) {
            values.push_back(items[i]);
            out.push_back(items[i]);
          }
        }
        return set_of(std::move(out));
      }
    }
    return make_set(c.ev.budget(), items);
  };
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
