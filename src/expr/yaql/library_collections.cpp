// expr/yaql/library_collections: yaql's queries and collection functions
// (standard_library/queries.py, collections.py) as Mistral users call them.
// Lambda arguments are evaluated per item with `$` bound to the item.
#include <unordered_set>
#include <fmt/format.h>

#include <optional>

#include <algorithm>

#include "bora/core/python_int.h"
#include "bora/core/python_format.h"
#include "bora/core/python_sort.h"
#include "bora/core/utf8.h"
#include "evaluator.h"
#include "date_time.h"
#include "set_type.h"
#include "signatures.h"
#include "lazy_sequence.h"
#include "python_regex.h"

namespace bora::expr::yaql {

namespace {

// The yaql 2.0 functions whose Python result is an iterator (a generator,
// map/filter, itertools), checked one by one against the real yaql with
// list(): range, select, where... unpack; orderBy, toList, insert, split,
// dict.values() are lists and do not.
// `x.name` mapped over a collection (yaql's collection_attribution).
bool mapped_attribution(const Node* n) {
  return n && n->kind == NodeKind::Binary && (n->text == "." || n->text == "?.") && n->args.size() == 2 &&
         n->args[1]->kind == NodeKind::Keyword && list_kind(n) == ListKind::Iterator;
}

// The items list() takes out of a mapped attribution's result: the map of
// receiver's items t to t.name, where an item that is a collection gives
// a map again (an iterator, unpacked in turn: yaql's list() flattens
// every iterator it finds, `list($.vms.nics.ip)` is one list of ips).
void unpack_mapped(const Value& receiver, const Value& result, List& out) {
  if (!receiver.is_list() || !result.is_list() || receiver.size() != result.size()) {
    for (const auto& x : result.as_list()) out.push_back(x);
    return;
  }
  for (size_t i = 0; i < result.size(); ++i) {
    const Value& t = receiver.as_list()[i];
    const Value& x = result.as_list()[i];
    if (t.is_list() && x.is_list()) unpack_mapped(t, x, out);
    else out.push_back(x);
  }
}

bool produces_iterator(const Node* n);

// A key a lambda gave that is one of yaql's iterator objects, which
// Python hashes (and compares) by identity.
bool identity_key(const Node* lambda, const Value& k) {
  if (is_unread_iterator(k)) return true;
  if (!k.is_list() || !lambda) return false;
  ListKind kind = list_kind(value_node(lambda));
  return kind == ListKind::Iterator || kind == ListKind::Ordering;
}

bool produces_iterator(const Node* n) {
  n = value_node(n);
  if (!n) return false;
  if (mapped_attribution(n)) return true;
  // A variable holding one of yaql's iterators (let(x => $.l.where(...))).
  if (n->kind == NodeKind::Variable) return list_kind(n) == ListKind::Iterator;
  const Node* call = n;
  if (n->kind == NodeKind::Binary && (n->text == "." || n->text == "?.") && n->args.size() == 2)
    call = n->args[1].get();
  if (call->kind != NodeKind::Call) return false;
  // memorize() of an iterator remembers it; of a sequence, is it.
  if (call->text == "memorize") return list_kind(n) == ListKind::Iterator;
  static const std::unordered_set<std::string> iterators = {
      "range", "select", "where", "skip", "take", "limit", "distinct", "reverse", "concat", "flatten",
      "zip", "enumerate", "selectMany", "skipWhile", "takeWhile", "join", "append", "replace", "delete",
      "splitWhere", "slice", "accumulate", "cycle", "repeat", "groupBy"};
  return iterators.count(call->text) > 0;
}


// The items of argument i, charged before they are copied.
List seq(const Call& c, size_t i = 0) {
  return charged_sequence(c.ev.budget(), c.arg(i), c.name);
}

// An item's key compared with every key seen so far (distinct, set,
// groupBy): quadratic, so each comparison is a step.
bool seen_before(const Call& c, const List& keys, const Value& k) {
  require_hashable(k);  // Python's set of the keys seen
  c.ev.budget().step(keys.size());
  return std::any_of(keys.begin(), keys.end(), [&](const Value& x) { return py_equal(x, k); });
}

const Node* kwarg(const Call& c, const char* name) {
  for (const auto& [k, n] : c.kwargs)
    if (k == name) return n;
  return nullptr;
}

Value aggregate_minmax(const Call& c, bool want_max) {
  if (c.count() >= 2 && (!c.arg(0).is_list() || !c.receiver)) {
    // min(a, b) on two values, with yaql's order (null is the least): the
    // function form always (the collection's is a method only: max([3, 1], 0)
    // compares a list with 0). yaql's max_ gives b when b > a, min_ gives a
    // when b > a: a tie is a for max, b for min (min(1, 1.0) is 1.0).
    Value a = c.arg(0), b = c.arg(1);
    int cmp = yaql_compare(b, a, ">");  // yaql's min and max both ask #operator_>
    return want_max ? (cmp > 0 ? b : a) : (cmp > 0 ? a : b);
  }
  List items = seq(c);
  // coll.max(initial): the initial value takes part (and answers for an
  // empty collection).
  if (c.has(1)) items.insert(items.begin(), c.arg(1));
  // yaql's aggregate is functools.reduce over the pairwise min or max.
  if (items.empty()) throw EvalError("reduce() of empty iterable with no initial value");
  Value best = items[0];
  for (size_t i = 1; i < items.size(); ++i) {
    // reduce(max) / reduce(min): max(best, x) is x when x > best, min(best, x)
    // is best only when x > best (a tie takes x).
    int cmp = yaql_compare(items[i], best, ">");  // yaql's delegate (#operator_>): null is the least
    if (want_max ? cmp > 0 : cmp <= 0) best = items[i];
  }
  return best;
}

// string.indexOf(sub, start, length) and lastIndexOf: Python's find and
// rfind over characters (a negative start counts from the end, a negative
// length runs to the end); collection.indexOf(item) / lastIndexOf(item).
Value index_of(const Call& c, bool last) {
  Value coll = c.arg(0), x = c.arg(1);
  if (coll.is_string()) {
    if (!x.is_string() || c.count() > 4) no_method(c);
    List chars = charged_sequence(c.ev.budget(), coll, c.name);
    List sub = charged_sequence(c.ev.budget(), x, c.name);
    int64_t n = static_cast<int64_t>(chars.size());
    int64_t start = c.has(2) ? int_argument(c, 2, "start", 0) : 0;
    int64_t end = n;
    if (c.has(3)) {
      if (start < 0) start += n;
      int64_t length = int_argument(c, 3, "length", -1);
      end = length < 0 ? n : start + length;
    }
    if (start < 0) start = std::max<int64_t>(0, start + n);
    end = std::min(end, n);
    int64_t m = static_cast<int64_t>(sub.size());
    c.ev.budget().step(static_cast<uint64_t>(std::max<int64_t>(0, end - start)) * static_cast<uint64_t>(m + 1));
    auto matches_at = [&](int64_t i) {
      for (int64_t k = 0; k < m; ++k)
        if (chars[static_cast<size_t>(i + k)] != sub[static_cast<size_t>(k)]) return false;
      return true;
    };
    if (last) {
      for (int64_t i = end - m; i >= start; --i)
        if (matches_at(i)) return Value(i);
    } else {
      for (int64_t i = start; i + m <= end; ++i)
        if (matches_at(i)) return Value(i);
    }
    return Value(int64_t(-1));
  }
  if (c.count() != 2) no_method(c);
  List items = charged_sequence(c.ev.budget(), coll, c.name);
  int64_t found = -1;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!py_equal(items[i], x)) continue;
    found = static_cast<int64_t>(i);
    if (!last) break;
  }
  return Value(found);
}

// A lambda argument given at a position (counting the receiver) or by
// name; nullptr when absent.
const Node* lambda_argument(const Call& c, size_t position, const char* name) {
  for (const auto& [k, n] : c.kwargs)
    if (k == name) return n;
  return c.has(position) ? c.node(position) : nullptr;
}

Value apply_node(const Call& c, const Node* n, const Value& item) {
  Scope s1{c.scope, "$", item};
  Scope s2{&s1, "1", item};
  return c.ev.eval(*n, &s2);
}

// Whether orderBy's keys are dict keys() views, as written: `$` over
// `x.select(d.keys())` or a list literal of them, `$[i]` over
// `x.select([..., d.keys(), ...])`. yaql's `<` between two views is
// Python's proper-subset test.
bool keys_views(const Node* receiver, const Node* key) {
  auto is_keys = [](const Node* n) {
    n = value_node(n);
    return n && list_kind(n) == ListKind::SetView && n->kind == NodeKind::Binary && n->args.size() == 2 &&
           n->args[1]->kind == NodeKind::Call && n->args[1]->text == "keys";
  };
  const Node* r = value_node(receiver);
  if (!r) return false;
  const Node* k = value_node(key);
  bool item = !k || (k->kind == NodeKind::Variable && (k->text == "$" || k->text == "$1"));
  std::optional<size_t> index;
  if (k && k->kind == NodeKind::Index && k->args.size() == 2 && k->args[0]->kind == NodeKind::Variable &&
      k->args[0]->text == "$" && k->args[1]->kind == NodeKind::Constant && k->args[1]->value.is_int() &&
      k->args[1]->value.as_int() >= 0)
    index = static_cast<size_t>(k->args[1]->value.as_int());
  if (!item && !index) return false;
  const Node* made = nullptr;  // what each item is, as written
  if (r->kind == NodeKind::Binary && r->text == "." && r->args.size() == 2 && r->args[1]->kind == NodeKind::Call &&
      r->args[1]->text == "select" && r->args[1]->args.size() == 1)
    made = value_node(r->args[1]->args[0].get());
  if (item) {
    if (made) return is_keys(made);
    if (r->kind == NodeKind::ListLiteral && !r->args.empty())
      return std::all_of(r->args.begin(), r->args.end(), [&](const NodePtr& a) { return is_keys(a.get()); });
    return false;
  }
  return made && made->kind == NodeKind::ListLiteral && *index < made->args.size() &&
         is_keys(made->args[*index].get());
}

bool proper_subset(const Value& a, const Value& b) {
  if (a.size() >= b.size()) return false;
  for (const auto& x : a.as_list())
    if (std::none_of(b.as_list().begin(), b.as_list().end(), [&](const Value& y) { return py_equal(x, y); }))
      return false;
  return true;
}

List sorted_by(const Call& c, bool descending) {
  List items = seq(c);
  charge_sort(c.ev.budget(), items.size());
  // yaql's OrderingIterable computes a key when Python's sort compares two
  // items: with fewer than two, never ([1].orderBy($.x) is [1]).
  if (items.size() < 2) return items;
  std::vector<std::pair<Value, Value>> keyed;
  for (const auto& it : items) keyed.emplace_back(c.has(1) ? c.apply(1, it) : it, it);
  if (keyed.size() <= 64 && keys_views(c.receiver ? c.receiver_node : c.node(0), c.has(1) ? c.node(1) : nullptr)) {
    // OrderingIterable's comparator: -1 when a < b, 1 when a > b, else 0.
    python_small_sort(keyed, [&](const auto& a, const auto& b) {
      c.ev.budget().step(a.first.size() * b.first.size() + 1);
      int cmp = proper_subset(a.first, b.first) ? -1 : proper_subset(b.first, a.first) ? 1 : 0;
      return (descending ? -cmp : cmp) < 0;
    });
    List out;
    for (auto& [k, v] : keyed) out.push_back(std::move(v));
    return out;
  }
  std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
    int cmp = yaql_compare(a.first, b.first, "<");  // yaql's `<`: null sorts first
    return descending ? cmp > 0 : cmp < 0;
  });
  List out;
  for (auto& [k, v] : keyed) out.push_back(std::move(v));
  return out;
}

}  // namespace

void register_collection_functions(std::map<std::string, Function, std::less<>>& lib) {
  // yaql/standard_library/queries.py: zip, zipLongest, takeWhile, skipWhile,
  // indexWhere, lastIndexWhere, slice, splitAt, aggregate, accumulate.
  // (defaultIfEmpty takes only lazy iterators in yaql, which Mistral never
  // hands over, so it is not offered.)
  lib["zip"] = [](Call& c) {
    if (!c.receiver) throw EvalError("Unknown function \"zip\"");  // a method only, in yaql
    std::vector<List> colls;
    for (size_t i = 0; i < c.count(); ++i) colls.push_back(seq(c, i));
    size_t n = colls.empty() ? 0 : colls[0].size();
    for (const auto& l : colls) n = std::min(n, l.size());
    List out;
    for (size_t k = 0; k < n; ++k) {
      List row;
      for (const auto& l : colls) row.push_back(l[k]);
      out.emplace_back(std::move(row));
    }
    return Value(std::move(out));
  };
  lib["zipLongest"] = [](Call& c) {
    if (!c.receiver) throw EvalError("Unknown function \"zipLongest\"");  // a method only, in yaql
    std::vector<List> colls;
    Value fill;
    if (const Node* d = kwarg(c, "default")) fill = c.value_of(d);
    for (size_t i = 0; i < c.count(); ++i) colls.push_back(seq(c, i));
    size_t n = 0;
    for (const auto& l : colls) n = std::max(n, l.size());
    c.ev.budget().items(EvalBudget::times(n, colls.size() + 1));
    List out;
    for (size_t k = 0; k < n; ++k) {
      List row;
      for (const auto& l : colls) row.push_back(k < l.size() ? l[k] : fill);
      out.emplace_back(std::move(row));
    }
    return Value(std::move(out));
  };
  lib["takeWhile"] = [](Call& c) {
    List out;
    for (const auto& it : seq(c)) {
      if (!c.test(1, it)) break;
      out.push_back(it);
    }
    return Value(std::move(out));
  };
  lib["skipWhile"] = [](Call& c) {
    List items = seq(c), out;
    size_t k = 0;
    while (k < items.size() && c.test(1, items[k])) ++k;
    return Value(List(items.begin() + static_cast<std::ptrdiff_t>(k), items.end()));
  };
  lib["indexWhere"] = [](Call& c) {
    List items = seq(c);
    for (size_t k = 0; k < items.size(); ++k)
      if (c.test(1, items[k])) return Value(static_cast<int64_t>(k));
    return Value(int64_t(-1));
  };
  lib["lastIndexWhere"] = [](Call& c) {
    List items = seq(c);
    for (size_t k = items.size(); k-- > 0;)
      if (c.test(1, items[k])) return Value(static_cast<int64_t>(k));
    return Value(int64_t(-1));
  };
  lib["slice"] = [](Call& c) {
    List items = seq(c);
    // yaql reads islice(length) chunks until one is empty: 0 gives none.
    // slice_ is a generator: a negative length fails when it is read.
    int64_t n = 0;
    try {
      n = islice_count(c.arg(1), "slice");
    } catch (const DeferredError&) {
      throw;
    } catch (const EvalError& e) {
      if (!python_int_value(c.arg(1))) throw;  // not an int: no such function
      throw DeferredError(e.what());
    }
    List out;
    if (n == 0) return Value(std::move(out));
    for (size_t k = 0; k < items.size(); k += static_cast<size_t>(n))
      out.emplace_back(List(items.begin() + static_cast<std::ptrdiff_t>(k),
                            items.begin() + static_cast<std::ptrdiff_t>(std::min(items.size(), k + static_cast<size_t>(n)))));
    return Value(std::move(out));
  };
  lib["splitAt"] = [](Call& c) {
    List items = seq(c);
    // Python's lst[:index], lst[index:]: a negative index counts from the end.
    auto index = python_int_value(c.arg(1));
    if (!index) no_method(c);
    int64_t n = *index < 0 ? std::max<int64_t>(0, *index + static_cast<int64_t>(items.size())) : *index;
    size_t at = std::min(items.size(), static_cast<size_t>(n));
    // [head, tail]: a Python list of two tuples.
    note_object_made();
    return Value(List{Value(List(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(at))),
                      Value(List(items.begin() + static_cast<std::ptrdiff_t>(at), items.end()))})
        .as_python_list();
  };
  lib["aggregate"] = [](Call& c) {
    List items = seq(c);
    size_t k = 0;
    Value acc;
    if (c.has(2)) {
      acc = c.arg(2);
    } else {
      if (items.empty()) throw EvalError("reduce() of empty iterable with no initial value");
      acc = items[k++];
    }
    for (; k < items.size(); ++k) {
      acc = c.apply2(1, acc, items[k]);
      c.ev.budget().check_nesting(acc);  // [$1] nests one level per item
    }
    return acc;
  };
  lib["accumulate"] = [](Call& c) {
    List items = seq(c), out;
    size_t k = 0;
    Value acc;
    if (c.has(2)) {
      acc = c.arg(2);
    } else {
      // Python's functools.reduce-like wording: yaql's accumulate takes the
      // first item as the seed, and there is none.
      // A generator: it fails when read.
      if (items.empty()) throw DeferredError("accumulate() of empty sequence with no initial value");
      acc = items[k++];
    }
    out.push_back(acc);
    for (; k < items.size(); ++k) {
      acc = c.apply2(1, acc, items[k]);
      c.ev.budget().check_nesting(acc);
      out.push_back(acc);
    }
    return Value(std::move(out));
  };

  lib["len"] = [](Call& c) {
    Value v = c.arg(0);
    if (v.is_string()) return Value(static_cast<int64_t>(utf8_length(v.as_string())));
    if (is_set(v)) return Value(static_cast<int64_t>(set_items(v).size()));
    if (is_lazy(v)) unbounded("len()");
    if (v.is_list() || v.is_dict()) return Value(static_cast<int64_t>(v.size()));
    no_match("len");
  };
  lib["count"] = [](Call& c) {
    if (c.has(1)) no_method(c);
    return Value(static_cast<int64_t>(seq(c).size()));
  };
  lib["where"] = [](Call& c) {
    List out;
    for (const auto& it : seq(c))
      if (c.test(1, it)) out.push_back(it);
    return Value(std::move(out));
  };
  lib["filter"] = lib["where"];
  lib["select"] = [](Call& c) {
    List out;
    for (const auto& it : seq(c)) out.push_back(c.apply(1, it));
    return Value(std::move(out));
  };
  lib["map"] = lib["select"];
  lib["selectMany"] = [](Call& c) {
    List out;
    for (const auto& it : seq(c)) {
      Value v = c.apply(1, it);
      // yaql's is_iterable: a string or a dict is one item, not its
      // characters or keys, and so is any other value that is no collection.
      if (!v.is_list() && !is_set(v) && !is_lazy(v)) {
        out.push_back(v);
        continue;
      }
      for (const auto& x : charged_sequence(c.ev.budget(), v, "selectMany")) out.push_back(x);
    }
    return Value(std::move(out));
  };
  lib["first"] = [](Call& c) {
    List items = seq(c);
    if (!items.empty()) return items.front();
    if (auto fallback = argument(c, 1, "default")) return *fallback;
    throw EvalError("");
  };
  lib["last"] = [](Call& c) {
    List items = seq(c);
    if (!items.empty()) return items.back();
    if (auto fallback = argument(c, 1, "default")) return *fallback;
    throw EvalError("");
  };
  lib["single"] = [](Call& c) {
    List items = seq(c);
    if (items.size() != 1) throw EvalError(items.empty() ? "" : "Collection contains more than one item");
    return items.front();
  };
  lib["sum"] = [](Call& c) {
    // yaql's sum is aggregate() with its `+`: strings and lists add up too,
    // and an empty collection with no initial value is reduce()'s error.
    List items = seq(c);
    if (!c.has(1) && items.empty()) throw EvalError("reduce() of empty iterable with no initial value");
    Value total = c.has(1) ? c.arg(1) : items.front();
    for (size_t k = c.has(1) ? 0 : 1; k < items.size(); ++k) {
      const Value& it = items[k];
      if (!total.is_number() || !it.is_number()) {
        c.ev.budget().step();
        total = yaql_arithmetic("+", total, it, c.ev.budget());
        continue;
      }
      if (total.is_int() && it.is_int()) {
        total = python_int::add(total.as_int(), it.as_int());
      } else if (total.is_integer() && it.is_integer()) {
        c.ev.budget().integer_op("+", total, it);
        total = python_int::add(total, it);
      } else if (total.is_number() && it.is_number())
        total = Value(as_double(total) + as_double(it));
      else no_match("sum");
    }
    return total;
  };

  lib["min"] = [](Call& c) { return aggregate_minmax(c, false); };
  lib["max"] = [](Call& c) { return aggregate_minmax(c, true); };
  lib["any"] = [](Call& c) {
    for (const auto& it : seq(c))
      if (!c.has(1) || c.test(1, it)) return Value(true);  // no predicate: any item
    return Value(false);
  };
  lib["all"] = [](Call& c) {
    // An iterator in a list literal is true, even when it gives nothing.
    const Node* literal = c.receiver ? c.receiver_node : (c.args.empty() ? nullptr : c.args[0]);
    while (literal && literal->kind == NodeKind::Wrap) literal = literal->args[0].get();
    if (literal && literal->kind != NodeKind::ListLiteral) literal = nullptr;
    List items = seq(c);
    if (literal && literal->args.size() != items.size()) literal = nullptr;
    // x.repeat(n) of an iterator gives the one iterator object n times:
    // each is true, whatever it still holds.
    const Node* repeated = value_node(c.receiver ? c.receiver_node : (c.args.empty() ? nullptr : c.args[0]));
    bool objects = repeated && repeated->kind == NodeKind::Binary && repeated->text == "." &&
                   repeated->args.size() == 2 && repeated->args[1]->kind == NodeKind::Call &&
                   repeated->args[1]->text == "repeat" && !repeated->args[1]->args.empty() &&
                   (list_kind(repeated->args[0].get()) == ListKind::Iterator ||
                    list_kind(repeated->args[0].get()) == ListKind::Ordering);
    for (size_t k = 0; k < items.size(); ++k)
      if (!(c.has(1) ? c.test(1, items[k])
                     : objects ? true
                     : truthy_as_written(literal ? literal->args[k].get() : nullptr, items[k])))
        return Value(false);
    return Value(true);
  };
  lib["skip"] = [](Call& c) {
    List items = seq(c);
    int64_t n = islice_count(c.arg(1), "skip");
    return Value(List(items.begin() + std::min<int64_t>(n, items.size()), items.end()));
  };
  lib["take"] = [](Call& c) {
    List items = seq(c);
    int64_t n = islice_count(c.arg(1), "take");
    return Value(List(items.begin(), items.begin() + std::min<int64_t>(n, items.size())));
  };
  lib["limit"] = lib["take"];
  lib["range"] = [](Call& c) {
    Value bounds[3] = {Value(int64_t{0}), Value(), Value(int64_t{1})};
    if (c.count() == 1) {
      bounds[1] = c.arg(0);
    } else {
      bounds[0] = c.arg(0);
      bounds[1] = c.arg(1);
      if (c.has(2)) bounds[2] = c.arg(2);
    }
    if (std::any_of(std::begin(bounds), std::end(bounds), [](const Value& v) { return v.is_big_int(); })) {
      // Python's range takes ints of any size: range(2**70, 2**70 + 3).
      for (const auto& b : bounds)
        if (!b.is_integer()) no_match("range");
      const Value &first = bounds[0], &step = bounds[2];
      if (python_int::is_zero(step)) throw EvalError("range() arg 3 must not be zero");
      Value span = python_int::sign(step) > 0 ? python_int::sub(bounds[1], first) : python_int::sub(first, bounds[1]);
      Value magnitude = python_int::abs(step);
      Value count = python_int::sign(span) <= 0
                        ? Value(int64_t{0})
                        : python_int::floor_div(python_int::sub(python_int::add(span, magnitude), Value(1)), magnitude);
      c.ev.budget().items(count.is_int() ? static_cast<uint64_t>(count.as_int()) : uint64_t{1} << 62);
      c.result_charged = true;
      List out;
      out.reserve(static_cast<size_t>(count.as_int()));
      Value item = first;
      for (int64_t k = 0; k < count.as_int(); ++k, item = python_int::add(item, step)) out.push_back(item);
      return Value(std::move(out));
    }
    int64_t start = 0, stop, step = 1;
    auto int_at = [&](size_t i) {
      auto n = python_int_value(c.arg(i));
      if (!n) no_match("range");
      return *n;
    };
    if (c.count() == 1) {
      stop = int_at(0);
    } else {
      start = int_at(0);
      stop = int_at(1);
      if (c.has(2)) step = int_at(2);
    }
    if (step == 0) throw EvalError("range() arg 3 must not be zero");
    // Counted and charged before anything is built: range(0, 10**12)
    // fails at once, in no memory.
    __int128 span = step > 0 ? __int128(stop) - start : __int128(start) - stop;
    __int128 magnitude = step > 0 ? __int128(step) : -__int128(step);
    __int128 count = span <= 0 ? 0 : (span + magnitude - 1) / magnitude;
    c.ev.budget().items(count > (__int128(1) << 62) ? uint64_t{1} << 62 : static_cast<uint64_t>(count));
    c.result_charged = true;
    List out;
    out.reserve(static_cast<size_t>(count));
    for (int64_t k = 0; k < static_cast<int64_t>(count); ++k) out.emplace_back(int64_t(start + __int128(k) * step));
    return Value(std::move(out));
  };
  // sequence(), repeat() without a count, cycle(): library_lazy.cpp

  lib["flatten"] = [](Call& c) {
    List out;
    std::function<void(const Value&)> flat = [&](const Value& v) {
      // An iterator held unread is read (and fails) when its turn comes.
      if (is_unread_iterator(v)) throw DeferredError(unread_error(v));
      if (v.is_list()) {
        for (const auto& x : v.as_list()) flat(x);
      } else {
        out.push_back(v);
      }
    };
    Value input = c.arg(0);
    c.ev.budget().check_value(input);  // a list holding itself twice per level flattens to 2^levels items
    for (const auto& it : charged_sequence(c.ev.budget(), input, c.name)) flat(it);
    return Value(std::move(out));
  };
  lib["enumerate"] = [](Call& c) {
    List out;
    int64_t i = c.has(1) ? python_int_value(c.arg(1)).value_or(0) : 0;
    // A null start reaches Python's enumerate().
    if (c.has(1) && c.arg(1).is_null()) throw EvalError("'NoneType' object cannot be interpreted as an integer");
    if (c.has(1) && !python_int_value(c.arg(1))) no_method(c);
    for (const auto& it : seq(c)) out.emplace_back(List{Value(i++), it});
    return Value(std::move(out));
  };
  lib["distinct"] = [](Call& c) {
    List out, keys;
    for (const auto& it : seq(c)) {
      Value k = c.has(1) ? c.apply(1, it) : it;
      // An iterator object as the key (`$.select(...)`, a name mapped over
      // a list, one whose items fail) hashes by its identity: each is new.
      if (is_unread_iterator(k) || (c.has(1) && identity_key(c.node(1), k))) {
        out.push_back(it);
        continue;
      }
      if (!seen_before(c, keys, k)) {
        keys.push_back(k);
        out.push_back(it);
      }
    }
    return Value(std::move(out));
  };
  lib["reverse"] = [](Call& c) {
    List items = seq(c);
    std::reverse(items.begin(), items.end());
    return Value(std::move(items));
  };
  lib["orderBy"] = [](Call& c) { return Value(sorted_by(c, false)); };
  lib["orderByDescending"] = [](Call& c) { return Value(sorted_by(c, true)); };
  lib["groupBy"] = [](Call& c) {
    // [[key, [items...]], ...] in first-seen key order, with yaql's
    // groupBy(keySelector, valueSelector, aggregator).
    const Node* key_of = lambda_argument(c, 1, "keySelector");
    const Node* value_of = lambda_argument(c, 2, "valueSelector");
    const Node* aggregator = lambda_argument(c, 3, "aggregator");
    if (!key_of) no_method(c);
    List keys;
    std::vector<List> groups;
    // yaql's loop: the value, then the key, then the dict's hash of it,
    // for each item before the next is pulled (Call::pull: from an
    // iterator variable the lambdas may read too).
    // A lambda that is an iterator variable as written (`$y`) gives the one
    // iterator object each time, unread: as a key it is one group (hashed
    // by identity), and what it holds is read when the output is, after
    // the loop: the key first, then the values (the first one read takes
    // what is left, the others nothing).
    const bool key_held = c.ev.holds_iterator(key_of, c.scope);
    const bool value_held = value_of && c.ev.holds_iterator(value_of, c.scope);
    List items;
    if (!c.pull) items = seq(c);
    size_t next = 0;
    Value it;
    while (c.pull ? c.pull(it) : next < items.size()) {
      if (!c.pull) it = items[next++];
      // A map whose items fail, as the key or the value: the object, unread.
      auto applied = [&](const auto& node) -> Value {
        try {
          return apply_node(c, node, it);
        } catch (const DeferredError& e) {
          auto text = iterator_text(value_node(node));
          if (!text) throw;
          return unread_iterator(e.what(), *text);
        }
      };
      Value v = it;
      if (value_of && !value_held) v = applied(value_of);
      Value k;
      if (!key_held) k = applied(key_of);
      require_hashable(k);  // yaql groups in a dict
      size_t idx = 0;
      c.ev.budget().step(keys.size());
      // An iterator object as the key (`$.select(...)`, `$.x` mapped over
      // a list) hashes by its identity: a group of its own.
      if (!key_held && identity_key(key_of, k)) idx = keys.size();
      while (idx < keys.size() && !py_equal(keys[idx], k)) ++idx;
      if (idx == keys.size()) {
        keys.push_back(k);
        groups.emplace_back();
      }
      groups[idx].push_back(v);
    }
    if (key_held && !keys.empty()) keys[0] = apply_node(c, key_of, Value());
    if (value_held)
      for (auto& g : groups)
        for (auto& v : g) v = apply_node(c, value_of, v);
    // A group is the Python list yaql's setdefault(key, []) made.
    if (!keys.empty()) note_object_made();
    List out;
    if (!aggregator) {
      for (size_t i = 0; i < keys.size(); ++i) out.emplace_back(List{keys[i], Value(groups[i]).as_python_list()});
      return Value(std::move(out));
    }
    // yaql's GroupAggregator, run by the map over the groups when the
    // result is read (its failures are the reader's: ReadLaterError). It
    // gives a group's values and takes the group's value; when that fails
    // with a resolution error (No function/method ... matches) or an
    // IndexError, this group and every later one are tried the way yaql
    // 1.1.1 called it, with (key, values) giving the pair itself (anything
    // of length 2), until a result that does not look like 1.1.1's (the
    // values were two, the result a sequence of two whose first is the
    // first value) rules that out; failing, the first error is raised.
    const ListKind made = list_kind(value_node(aggregator));
    const bool iterator = made == ListKind::Iterator || made == ListKind::Ordering;
    auto caught = [](const std::string& e) {
      return ((e.rfind("No function \"", 0) == 0 || e.rfind("No method \"", 0) == 0) &&
              e.find("matches supplied arguments") != std::string::npos) ||
             e.find("index out of range") != std::string::npos || e == "pop from empty list" ||
             e == "pop index out of range";
    };
    auto length = [&](const Value& r) -> std::optional<size_t> {
      if (iterator) return std::nullopt;  // a map or a generator has no len()
      if (r.is_string()) return utf8_length(r.as_string());
      if (is_set(r)) return set_items(r).size();
      if (r.is_list()) return r.size();
      if (r.is_dict() && !is_datetime(r) && !is_timespan(r) && !is_regex_object(r) && !is_date(r) &&
          !is_unread_iterator(r) && !is_lazy(r))
        return r.size();
      return std::nullopt;
    };
    std::optional<std::string> failure;
    bool allow_fallback = true;
    try {
      for (size_t i = 0; i < keys.size(); ++i) {
        Value g = Value(groups[i]).as_python_list();
        if (!failure) {
          try {
            Value r = apply_node(c, aggregator, g);
            if (!(groups[i].size() == 2 && !iterator && r.is_list() && r.size() == 2 &&
                  py_equal(r.as_list()[0], groups[i][0])))
              allow_fallback = false;
            out.emplace_back(List{keys[i], r});
            continue;
          } catch (const DeferredError&) {
            throw;
          } catch (const EvalError& e) {
            if (!caught(e.what())) throw;
            failure = e.what();
          }
        }
        if (allow_fallback) {
          try {
            Value old_style = apply_node(c, aggregator, Value(List{keys[i], g}));
            if (length(old_style) == size_t{2}) {
              out.push_back(old_style);
              continue;
            }
          } catch (const EvalError&) {
          }
        }
        throw EvalError(*failure);
      }
    } catch (const EvalError& e) {
      throw ReadLaterError(e.what());
    }
    return Value(std::move(out));
  };
  lib["contains"] = [](Call& c) {
    Value coll = c.arg(0), x = c.arg(1);
    if (coll.is_string() && x.is_string()) return Value(coll.as_string().find(x.as_string()) != std::string::npos);
    for (const auto& it : charged_sequence(c.ev.budget(), coll, "contains"))
      if (py_equal(it, x)) return Value(true);
    return Value(false);
  };
  lib["containsKey"] = [](Call& c) {
    Value d = c.arg(0), k = c.arg(1);
    if (!d.is_dict()) no_match("containsKey");
    return Value(d.find(equal_key(d.as_dict(), dict_key(c.ev.budget(), k))) != nullptr);
  };
  lib["containsValue"] = [](Call& c) {
    Value d = c.arg(0), v = c.arg(1);
    if (!d.is_dict()) no_match("containsValue");
    for (const auto& [k, x] : d.as_dict())
      if (py_equal(x, v)) return Value(true);
    return Value(false);
  };
  lib["indexOf"] = [](Call& c) { return index_of(c, false); };
  lib["isEmpty"] = [](Call& c) {
    Value v = c.arg(0);
    if (v.is_null()) return Value(true);
    // yaql: a string of only whitespace is empty too.
    if (v.is_string()) return Value(v.as_string().find_first_not_of(" \t\n\r\f\v") == std::string::npos);
    no_method(c);
  };
  lib["lastIndexOf"] = [](Call& c) { return index_of(c, true); };
  lib["defaultIfEmpty"] = [](Call& c) {
    List items = seq(c);
    if (!items.empty()) {
      // An iterator comes back memorized: a RememberingIterator.
      const Node* of = c.receiver ? c.receiver_node : c.node(0);
      if (of && (list_kind(of) == ListKind::Iterator || list_kind(of) == ListKind::Ordering)) note_remembering(of);
      return Value(std::move(items));
    }
    return Value(charged_sequence(c.ev.budget(), c.arg(1), "defaultIfEmpty"));
  };
  lib["reduce"] = lib["aggregate"];
  lib["isIterable"] = [](Call& c) {  // strings and dicts are not; an iterator held unread is
    Value v = c.arg(0);
    return Value(v.is_list() || is_set(v) || is_unread_iterator(v));
  };
  lib["splitWhere"] = [](Call& c) {
    List items = seq(c), out;
    size_t start = 0, end = 0;
    for (; end < items.size(); ++end) {
      if (c.test(1, items[end])) {
        out.push_back(Value(List(items.begin() + static_cast<std::ptrdiff_t>(start),
                                 items.begin() + static_cast<std::ptrdiff_t>(end))));
        start = end + 1;
      }
    }
    if (start != end)
      out.push_back(Value(List(items.begin() + static_cast<std::ptrdiff_t>(start), items.end())));
    return Value(std::move(out));
  };
  lib["sliceWhere"] = [](Call& c) {
    List items = seq(c), out;
    size_t start = 0;
    std::optional<Value> previous;
    for (size_t end = 0; end < items.size(); ++end) {
      Value p = c.apply(1, items[end]);
      if (previous && !py_equal(p, *previous)) {
        out.push_back(Value(List(items.begin() + static_cast<std::ptrdiff_t>(start),
                                 items.begin() + static_cast<std::ptrdiff_t>(end))));
        start = end;
      }
      previous = p;
    }
    if (start < items.size())
      out.push_back(Value(List(items.begin() + static_cast<std::ptrdiff_t>(start), items.end())));
    return Value(std::move(out));
  };
  // generate(initial, predicate, producer, selector): a bounded loop here,
  // since Bora's sequences are not lazy.
  lib["generate"] = [](Call& c) {
    // The loop is bounded by the evaluation's budget (each predicate and
    // producer call is charged).
    Value v = c.arg(0);
    List out;
    while (c.test(1, v)) {
      c.ev.budget().items(1);
      out.push_back(c.has(3) ? c.apply(3, v) : v);
      v = c.apply(2, v);
      c.ev.budget().check_nesting(v);
    }
    return Value(std::move(out));
  };
  lib["repeat"] = [](Call& c) {
    // x.repeat(times); without a count: library_lazy.cpp.
    int64_t times = std::max<int64_t>(0, int_argument(c, 1, "times", 0));
    c.ev.budget().items(static_cast<uint64_t>(times));  // before building: repeat(10**12) fails at once
    c.result_charged = true;
    Value item = c.arg(0);
    // itertools.repeat gives the same object each time: one of yaql's
    // iterators is read whole by the first copy, and the others find it
    // used up (orderBy's iterable sorts again each time).
    const Node* of = c.receiver ? c.receiver_node : c.node(0);
    if (times > 1 && item.is_list() && of && list_kind(of) == ListKind::Iterator) {
      List out(static_cast<size_t>(times), Value(List{}));
      out[0] = std::move(item);
      return Value(std::move(out));
    }
    return Value(List(static_cast<size_t>(times), std::move(item)));
  };

  lib["list"] = [](Call& c) {
    // yaql's list(*args) unpacks an argument that is an iterator (what
    // range(), select(), where()... return in Python) and keeps a list as one
    // item: list(range(0, 3)) is [0, 1, 2], list([1], [2]) is [[1], [2]].
    // Bora's values do not remember being an iterator, so the argument's
    // producer, as written, tells.
    List out;
    for (size_t i = 0; i < c.count(); ++i) {
      Value v = c.arg(i);
      if (v.is_list() && produces_iterator(c.node(i))) {
        const Node* n = value_node(c.node(i));
        if (mapped_attribution(n)) {
          c.ev.budget().check_value(v);
          unpack_mapped(c.value_of(n->args[0].get()), v, out);  // the receiver, read again
        } else {
          for (const auto& x : v.as_list()) out.push_back(x);
        }
      } else {
        out.push_back(std::move(v));
      }
    }
    return Value(std::move(out));
  };
  lib["toList"] = [](Call& c) { return Value(seq(c)); };
  lib["set"] = [](Call& c) {
    Value first = c.count() ? c.arg(0) : Value();
    if (first.is_dict() && c.receiver) {
      // dict.set(key, value), dict.set(key => value, ...) (none: the dict
      // as it is), dict.set({key: value, ...}): yaql's three methods.
      Dict out = first.as_dict();
      if (c.count() == 3) out.set(equal_key(out, dict_key(c.ev.budget(), c.arg(1))), c.arg(2));
      if (c.count() == 2) {
        Value replacements = c.arg(1);  // kept alive: as_dict() refers into it
        for (const auto& [k, v] : replacements.as_dict()) out.set(equal_key(out, k), v);
      }
      for (const auto& [k, n] : c.kwargs) out.set(equal_key(out, k), c.value_of(n));
      return Value(std::move(out));
    }
    // set(items...): distinct items (yaql's set; order of first appearance).
    List out;
    auto add = [&](const Value& v) {
      if (!seen_before(c, out, v)) out.push_back(v);
    };
    if (c.count() == 1 && first.is_list()) {
      for (const auto& x : first.as_list()) add(x);
    } else {
      for (size_t i = 0; i < c.count(); ++i) add(c.arg(i));
    }
    return Value(std::move(out));
  };
  lib["dict"] = [](Call& c) {
    Dict out;
    Value first = c.count() == 1 ? c.arg(0) : Value();
    if (first.is_list() || is_set(first)) {
      // yaql's dict(items): for each item, key = next(it), value = next(it)
      // of iter(item), the rest unread: a str gives its first two
      // characters, a dict its first two keys; a scalar is not iterable,
      // and an item with fewer than two is StopIteration.
      const List& items = is_set(first) ? set_items(first).as_list() : first.as_list();
      for (const auto& t : items) {
        List parts;
        if (t.is_list()) {
          parts.assign(t.as_list().begin(), t.as_list().begin() + static_cast<std::ptrdiff_t>(std::min<size_t>(2, t.size())));
        } else if (t.is_string()) {
          const std::string& text = t.as_string();
          for (size_t i = 0; i < text.size() && parts.size() < 2;) {
            std::string_view ch = utf8_character_at(text, i);
            if (ch.empty()) ch = std::string_view(text).substr(i, 1);
            parts.emplace_back(std::string(ch));
            i += ch.size();
          }
        } else if (t.is_dict() && !is_set(t)) {
          for (const auto& [k, v] : t.as_dict()) {
            if (parts.size() == 2) break;
            parts.push_back(key_value(k));
          }
        } else if (is_set(t)) {
          for (const auto& x : set_items(t).as_list()) {
            if (parts.size() == 2) break;
            parts.push_back(x);
          }
        } else {
          throw EvalError(fmt::format("'{}' object is not iterable", t.is_null() ? "NoneType" : type_name(t)));
        }
        // Python's StopIteration has no text: Bora says what was short.
        if (parts.size() < 2)
          throw EvalError(fmt::format("dict() reads a [key, value] pair from each item; {} has {}", python_text(t, false),
                                      parts.empty() ? "nothing" : "one value only"));
        out.set(equal_key(out, dict_key(c.ev.budget(), parts[0])), parts[1]);
      }
    } else {
      for (size_t i = 0; i < c.count(); ++i) {
        Value pair = c.arg(i);
        if (!pair.is_list() || pair.size() != 2) no_match("dict");
        out.set(equal_key(out, dict_key(c.ev.budget(), pair.as_list()[0])), pair.as_list()[1]);
      }
    }
    for (const auto& [k, n] : c.kwargs) out.set(equal_key(out, k), c.value_of(n));
    return Value(std::move(out));
  };
  lib["toDict"] = [](Call& c) {
    Dict out;
    // A Python dict's key must be hashable: a Python dict or a set is not, nor is
    // the list a list literal makes (the data's lists are tuples, which
    // are): `toDict([$])`, or `toDict($)` over a literal's items.
    const Node* key_of = c.node(1);
    const Node* items_of = c.receiver ? c.receiver_node : c.node(0);
    bool literal_lists = key_of && (key_of->kind == NodeKind::ListLiteral ||
                                    (key_of->kind == NodeKind::Variable && items_of &&
                                     items_of->kind == NodeKind::ListLiteral));
    for (const auto& it : seq(c)) {
      Value key = c.apply(1, it);
      // yaql's dicts are FrozenDicts, which hash (a Python dict, json_parse's,
      // does not: dict_key); Mistral's output fails on them, not toDict.
      if (key.is_list() && literal_lists) throw EvalError("unhashable type: 'list'");
      out.set(equal_key(out, dict_key(c.ev.budget(), key)), c.has(2) ? c.apply(2, it) : it);
    }
    return Value(std::move(out)).marked();  // Python's dict()
  };
  lib["keys"] = [](Call& c) {
    Value d = c.arg(0);
    if (!d.is_dict()) no_match("keys");
    return Value(charged_sequence(c.ev.budget(), d, "keys"));
  };
  lib["values"] = [](Call& c) {
    Value d = c.arg(0);
    if (!d.is_dict()) no_match("values");
    List out;
    for (const auto& [k, v] : d.as_dict()) out.push_back(v);
    return Value(std::move(out));
  };
  lib["items"] = [](Call& c) {
    Value d = c.arg(0);
    if (!d.is_dict()) no_match("items");
    List out;
    for (const auto& [k, v] : d.as_dict()) out.emplace_back(List{key_value(k), v});
    return Value(std::move(out));
  };
  lib["get"] = [](Call& c) {
    Value d = c.arg(0);
    if (!d.is_dict()) no_match("get");
    Value k = c.arg(1);
    if (const Value* v = d.find(equal_key(d.as_dict(), dict_key(c.ev.budget(), k)))) return *v;
    auto fallback = argument(c, 2, "default");
    return fallback ? *fallback : Value();
  };
  lib["delete"] = [](Call& c) {
    Value d = c.arg(0);
    if (d.is_dict()) {
      Dict out = d.as_dict();
      for (size_t i = 1; i < c.count(); ++i) out.erase(equal_key(out, dict_key(c.ev.budget(), c.arg(i))));
      return Value(std::move(out)).marked();  // yaql's dict comprehension: Python's dict
    }
    no_match("delete");
  };
  lib["mergeWith"] = [](Call& c) {
    // dict.mergeWith(another, listMerger, itemMerger, maxLevels): a deep
    // merge; two lists merge by listMerger ($1, $2; by default the distinct
    // items of both), two other values by itemMerger (by default the
    // second); maxLevels bounds the depth (0: no bound).
    Value a = c.arg(0), b = c.arg(1);
    if (!a.is_dict() || !b.is_dict()) no_method(c);
    const Node* list_merger = lambda_argument(c, 2, "listMerger");
    const Node* item_merger = lambda_argument(c, 3, "itemMerger");
    int64_t max_levels = int_argument(c, 4, "maxLevels", 0);
    c.ev.budget().check_value(a);  // merged recursively: shared parts count each time
    c.ev.budget().check_value(b);
    auto apply_pair = [&](const Node* n, const Value& x, const Value& y) {
      Scope s1{c.scope, "$", x};
      Scope s2{&s1, "1", x};
      Scope s3{&s2, "2", y};
      return c.ev.eval(*n, &s3);
    };
    // How another's value under a key was written, when it can be told
    // (a dict literal's entry, set()'s value): one of yaql's iterators is
    // no sequence to _merge_dicts, so it replaces rather than merges.
    std::function<const Node*(const Node*, const std::string&)> written = [&](const Node* n,
                                                                             const std::string& key) -> const Node* {
      n = value_node(n);
      if (!n) return nullptr;
      auto names = [&](const Node* k) {
        return (k->kind == NodeKind::Keyword && k->text == key) ||
               (k->kind == NodeKind::Constant && dict_key(k->value) == key);
      };
      if (n->kind == NodeKind::DictLiteral) {
        for (auto it = n->args.rbegin(); it != n->args.rend(); ++it)  // the last one written wins
          if ((*it)->kind == NodeKind::MappingRule && names((*it)->args[0].get())) return (*it)->args[1].get();
        return nullptr;
      }
      if (n->kind == NodeKind::Binary && n->text == "." && n->args[1]->kind == NodeKind::Call &&
          n->args[1]->text == "set" && n->args[1]->args.size() == 2 &&
          n->args[1]->args[0]->kind != NodeKind::MappingRule) {
        if (names(n->args[1]->args[0].get())) return n->args[1]->args[1].get();
        return written(n->args[0].get(), key);
      }
      // What an earlier mergeWith() put there (another's iterator replaced
      // what it met), what delete() left.
      if (n->kind == NodeKind::Binary && n->text == "." && n->args[1]->kind == NodeKind::Call &&
          n->args[1]->text == "mergeWith" && !n->args[1]->args.empty() &&
          n->args[1]->args[0]->kind != NodeKind::MappingRule) {
        if (const Node* w = written(n->args[1]->args[0].get(), key)) return w;
        return written(n->args[0].get(), key);
      }
      if (n->kind == NodeKind::Binary && n->text == "." && n->args[1]->kind == NodeKind::Call &&
          n->args[1]->text == "delete")
        return written(n->args[0].get(), key);
      return nullptr;
    };
    // Python's class of one of yaql's iterators, as written (filter,
    // generator, map, itertools.islice...).
    auto iterator_class = [](const Node* n) {
      std::string text = iterator_text(n).value_or("<object");
      if (text.rfind("<generator object", 0) == 0) return std::string("generator");
      size_t end = text.find(" object");
      return text.substr(1, end == std::string::npos ? std::string::npos : end - 1);
    };
    // A set, a datetime, a timespan or a regex is no mapping: merged by
    // the item merger (the second one by default).
    auto mapping = [](const Value& v) {
      return v.is_dict() && !is_set(v) && !is_datetime(v) && !is_date(v) && !is_timespan(v) && !is_regex_object(v) &&
             !is_unread_iterator(v);
    };
    std::function<Value(const Value&, const Value&, int64_t, const Node*, const Node*)> merge =
        [&](const Value& x, const Value& y, int64_t levels, const Node* x_written, const Node* y_written) -> Value {
      Dict out;
      for (const auto& [k, v1] : x.as_dict()) {
        const Value* v2 = y.find(k);
        c.ev.budget().step();
        const Node* v2_written = v2 && y_written ? written(y_written, k) : nullptr;
        ListKind v2_kind = v2 && v2->is_list() && v2_written ? list_kind(v2_written) : ListKind::Tuple;
        // A view is no sequence either.
        bool v2_iterator = v2_kind == ListKind::Iterator || v2_kind == ListKind::Ordering ||
                           v2_kind == ListKind::SetView || v2_kind == ListKind::View;
        // The receiver's value: an iterator is no sequence nor mapping.
        const Node* v1_written = v2 && x_written ? written(x_written, k) : nullptr;
        ListKind v1_kind = v1.is_list() && v1_written ? list_kind(v1_written) : ListKind::Tuple;
        bool v1_iterator = v1_kind == ListKind::Iterator || v1_kind == ListKind::Ordering;
        // `&v1 = v1`: clang 14 (the sanitizer build) cannot capture a structured binding.
        auto cannot = [&, &v1 = v1]() {
          return EvalError(fmt::format("Cannot merge <class '{}'> with <class '{}'>",
                                       v1_iterator ? iterator_class(v1_written) : class_name(v1), class_name(*v2)));
        };
        if (!v2) {
          out.set(k, v1);
        } else if (levels != 1 && mapping(*v2)) {
          if (!mapping(v1)) throw cannot();
          out.set(k, merge(v1, *v2, levels == 0 ? 0 : levels - 1, v1_written, v2_written));
        } else if (levels != 1 && v2->is_list() && !v2_iterator) {
          if (!v1.is_list() || v1_iterator) throw cannot();
          if (list_merger) {
            out.set(k, apply_pair(list_merger, v1, *v2));
          } else {
            // yaql's default merger is to_list(distinct(lst1 + lst2)): a
            // Python list and a tuple do not concatenate.
            if (v1.is_python_list() != v2->is_python_list())
              throw EvalError(fmt::format("can only concatenate {0} (not \"{1}\") to {0}", class_name(v1), class_name(*v2)));
            List both;
            c.ev.budget().items(v1.size() + v2->size());
            for (const auto& item : v1.as_list())
              if (!seen_before(c, both, item)) both.push_back(item);
            for (const auto& item : v2->as_list())
              if (!seen_before(c, both, item)) both.push_back(item);
            out.set(k, Value(std::move(both)));
          }
        } else {
          out.set(k, item_merger ? apply_pair(item_merger, v1, *v2) : *v2);
        }
      }
      for (const auto& [k, v2] : y.as_dict())
        if (!out.contains(k)) out.set(k, v2);
      return Value(std::move(out)).marked();  // _merge_dicts builds Python's dict
    };
    note_object_made();
    return merge(a, b, max_levels, c.receiver ? c.receiver_node : c.node(0),
                 c.receiver ? (c.args.empty() ? nullptr : c.args[0]) : c.node(1));
  };
  lib["append"] = [](Call& c) {
    List items = seq(c);
    for (size_t i = 1; i < c.count(); ++i) items.push_back(c.arg(i));
    return Value(std::move(items));
  };
  lib["deleteAll"] = [](Call& c) {
    Value d = c.arg(0);
    if (!d.is_dict() || c.count() != 2) no_method(c);
    Dict out = d.as_dict();
    for (const auto& k : charged_sequence(c.ev.budget(), c.arg(1), c.name)) out.erase(equal_key(out, dict_key(c.ev.budget(), k)));
    return Value(std::move(out)).marked();  // Python's dict
  };
  // collections.concat(more...): the items of each, in order (yaql's
  // queries.concat); concat(strings...) is a string function.
  Function string_concat = lib["concat"];
  lib["concat"] = [string_concat](Call& c) {
    // With no argument both overloads match (yaql cannot choose).
    if (!c.has(0)) throw EvalError("Ambiguous function \"concat\"");
    if (!(c.arg(0).is_list() || is_set(c.arg(0)))) return string_concat(c);
    List out;
    for (size_t i = 0; i < c.count(); ++i) {
      List items = charged_sequence(c.ev.budget(), c.arg(i), c.name);
      out.insert(out.end(), items.begin(), items.end());
    }
    return Value(std::move(out));
  };
  // collection1.join(collection2, predicate, selector): the selector of
  // every pair ($1 from the first, $2 from the second) the predicate holds
  // for (yaql's queries.join); sequence.join(separator) is a string function.
  Function string_join = lib["join"];
  lib["join"] = [string_join](Call& c) {
    if (c.count() != 4) return string_join(c);
    List left = seq(c, 0), right = seq(c, 1);
    c.ev.budget().step(EvalBudget::times(left.size(), right.size()));
    List out;
    for (const auto& a : left)
      for (const auto& b : right)
        if (c.apply2(2, a, b).truthy()) out.push_back(c.apply2(3, a, b));
    return Value(std::move(out));
  };
  // list.delete, insert, replace...: library_sequence_edits.cpp
}

}  // namespace bora::expr::yaql
