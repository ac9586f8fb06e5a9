// expr/yaql/library_other: conversions and type checks, math, branching
// (switch, coalesce, let), time (standard_library/common.py, math.py,
// branching.py, date_time.py basics).
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "bora/core/python_float.h"
#include "bora/core/python_int.h"
#include "bora/core/python_format.h"
#include "bora/core/time.h"
#include "evaluator.h"
#include "set_type.h"
#include "lazy_sequence.h"
#include "date_time.h"
#include "python_regex.h"

namespace bora::expr::yaql {

namespace {

// yaql's int(): Python's int() (None is 0), of any size.
Value to_int(const Value& v) {
  if (v.is_integer()) return v;
  if (v.is_double()) {
    auto r = python_int::from_float(v.as_double());
    if (!r) throw EvalError(r.error().message);
    return *r;
  }
  if (v.is_bool()) return Value(int64_t(v.as_bool() ? 1 : 0));
  if (v.is_null()) return Value(int64_t(0));
  if (v.is_string()) {
    auto r = python_int::parse(v.as_string(), 10);
    if (!r) throw EvalError(r.error().message);
    if (*r) return **r;
    throw EvalError(fmt::format("invalid literal for int() with base 10: {}", python_repr(v)));
  }
  if (is_lazy(v) || is_datetime(v) || is_timespan(v) || is_regex_object(v)) no_match("int");
  throw EvalError(fmt::format("int() argument must be a string, a bytes-like object or a real number, not '{}'",
                              class_name(v, false)));
}

Value to_float(const Value& v) {
  if (v.is_double()) return v;
  if (v.is_integer()) return Value(as_double(v));  // Python's OverflowError beyond the largest float
  if (v.is_bool()) return Value(v.as_bool() ? 1.0 : 0.0);
  if (v.is_null()) return Value(0.0);
  if (v.is_string()) {
    if (auto d = python_float::from_text(v.as_string())) return Value(*d);
    throw EvalError(fmt::format("could not convert string to float: {}", python_repr(v)));
  }
  if (is_lazy(v) || is_datetime(v) || is_timespan(v) || is_regex_object(v)) no_match("float");
  throw EvalError(fmt::format("float() argument must be a string or a real number, not '{}'", class_name(v, false)));
}

// yaql's round(number, ndigits=0): Python's round with ndigits, so always
// a float for a float (and an int for an int); ties to even on the exact
// binary value, as Python's correctly rounded decimal conversion does.
Value py_round(const Value& v, int64_t digits) {
  if (v.is_integer()) return python_int::round(v, digits);
  double x = as_double(v);
  if (digits < 0 || digits > 300) {
    double scale = std::pow(10.0, static_cast<double>(-digits));
    return Value(std::nearbyint(x / scale) * scale);
  }
  char buf[512];
  std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(digits), x);
  return Value(std::strtod(buf, nullptr));
}

}  // namespace

void register_other_functions(std::map<std::string, Function, std::less<>>& lib) {
  lib["int"] = [](Call& c) { return to_int(c.arg(0)); };
  lib["float"] = [](Call& c) { return to_float(c.arg(0)); };
  lib["bool"] = [](Call& c) { return Value(truthy_as_written(c.receiver ? c.receiver_node : c.node(0), c.arg(0))); };
  lib["isInteger"] = [](Call& c) { return Value(c.arg(0).is_integer()); };
  lib["isNumber"] = [](Call& c) { return Value(c.arg(0).is_number()); };
  lib["isBoolean"] = [](Call& c) { return Value(c.arg(0).is_bool()); };
  // A sequence (tuple or list), not one of yaql's iterators, an ordering
  // iterable or a dict's view (as written: see list_kind).
  lib["isList"] = [](Call& c) {
    Value v = c.arg(0);
    if (!v.is_list()) return Value(false);
    const Node* of = c.receiver ? c.receiver_node : c.node(0);
    ListKind kind = of ? list_kind(of) : ListKind::Tuple;
    return Value(kind == ListKind::Tuple || kind == ListKind::PythonList);
  };
  lib["isDict"] = [](Call& c) {
    Value v = c.arg(0);
    return Value(v.is_dict() && !is_set(v) && !is_lazy(v) && !is_unread_iterator(v));
  };
  // Bitwise functions on integers of any size (yaql's math library).
  auto int_pair = [](Call& c) {
    Value a = c.arg(0), b = c.arg(1);
    if (!a.is_integer() || !b.is_integer()) no_match(c.name);
    return std::pair<Value, Value>(a, b);
  };
  lib["bitwiseAnd"] = [int_pair](Call& c) { auto [a, b] = int_pair(c); return python_int::bit_and(a, b); };
  lib["bitwiseOr"] = [int_pair](Call& c) { auto [a, b] = int_pair(c); return python_int::bit_or(a, b); };
  lib["bitwiseXor"] = [int_pair](Call& c) { auto [a, b] = int_pair(c); return python_int::bit_xor(a, b); };
  lib["bitwiseNot"] = [](Call& c) {
    Value a = c.arg(0);
    if (a.is_bool()) a = Value(int64_t(a.as_bool()));  // Python's bool is an int: ~True is -2
    if (!a.is_integer()) no_match(c.name);
    return python_int::invert(a);
  };
  auto shift = [int_pair](Call& c, bool left) {
    auto [a, b] = int_pair(c);
    if (left) c.ev.budget().integer_op("<<", a, b);
    auto r = left ? python_int::shift_left(a, b) : python_int::shift_right(a, b);
    if (!r) throw EvalError(r.error().message);
    return *r;
  };
  lib["shiftBitsLeft"] = [shift](Call& c) { return shift(c, true); };
  lib["shiftBitsRight"] = [shift](Call& c) { return shift(c, false); };
  lib["hex"] = [](Call& c) {
    Value a = c.arg(0);
    // yaql passes any number or null on to Python's hex().
    if (a.is_double() || a.is_null())
      throw EvalError(fmt::format("'{}' object cannot be interpreted as an integer", a.is_null() ? "NoneType" : "float"));
    if (!a.is_integer()) no_match(c.name);
    if (a.is_big_int()) {
      // Python's hex(): the magnitude's digits after the sign.
      std::string digits;
      for (Value n = python_int::abs(a); !python_int::is_zero(n); n = *python_int::shift_right(n, Value(4)))
        digits += "0123456789abcdef"[python_int::bit_and(n, Value(15)).as_int()];
      return Value((python_int::sign(a) < 0 ? "-0x" : "0x") + std::string(digits.rbegin(), digits.rend()));
    }
    int64_t n = a.as_int();
    uint64_t magnitude = n < 0 ? uint64_t(0) - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
    return Value(fmt::format("{}0x{:x}", n < 0 ? "-" : "", magnitude));
  };

  lib["abs"] = [](Call& c) {
    Value v = c.arg(0);
    if (v.is_bool() || !v.is_number()) no_match("abs");
    if (v.is_integer()) return python_int::abs(v);
    return Value(std::fabs(as_double(v)));
  };
  lib["pow"] = [](Call& c) {
    Value a = c.arg(0), b = c.arg(1);
    if (a.is_integer() && b.is_integer() && python_int::sign(b) >= 0) {
      // Python's pow on ints: exact, of any size. By squaring, charged
      // before it runs: pow(2, 10**9) fails the budget at once.
      if (c.has(2)) {
        Value m = c.arg(2);
        if (!m.is_integer()) no_match("pow");
        if (python_int::is_zero(m)) throw EvalError("pow() 3rd argument cannot be 0");
        // One product and one reduction of m's size per bit of b.
        uint64_t limbs = python_int::bit_length(m) / 64 + 1;
        c.ev.budget().step(EvalBudget::times(python_int::bit_length(b) + 1, EvalBudget::times(limbs, limbs) / 16 + 1));
        return python_int::pow_mod(a, b, m);
      }
      c.ev.budget().integer_op("**", a, b);
      return python_int::pow(a, b);
    }
    // Python's float power: 0.0 to a negative power and overflow raise; a
    // negative base to a fractional power is a complex number, which
    // Mistral cannot store (oslo's to_primitive fails on it with this).
    double x = as_double(a), y = as_double(b);
    if (x == 0.0 && y < 0) throw EvalError("0.0 cannot be raised to a negative power");
    if (x < 0 && std::isfinite(y) && y != std::floor(y))
      throw EvalError("Circular reference detected");
    double r = std::pow(x, y);
    if (std::isinf(r) && std::isfinite(x) && std::isfinite(y)) throw EvalError("(34, 'Numerical result out of range')");
    return Value(r);
  };
  lib["round"] = [](Call& c) { return py_round(c.arg(0), c.has(1) ? c.arg(1).as_int() : 0); };
  lib["sign"] = [](Call& c) {
    Value v = c.arg(0);
    if (v.is_integer()) return Value(int64_t{python_int::sign(v)});
    double x = as_double(v);
    return Value(int64_t(x > 0 ? 1 : (x < 0 ? -1 : 0)));
  };
  lib["switch"] = [](Call& c) {
    for (const Node* rule : c.rules) {
      bool truth;
      try {
        truth = truthy_as_written(rule->args[0].get(), c.ev.eval_unread(*rule->args[0], c.scope));
      } catch (const DeferredError&) {
        // An iterator whose items fail is true, and not read.
        if (!iterator_text(rule->args[0].get())) throw;
        truth = true;
      }
      if (truth) return c.ev.eval(*rule->args[1], c.scope);
    }
    return Value();
  };
  lib["coalesce"] = [](Call& c) {
    for (size_t i = 0; i < c.count(); ++i) {
      Value v = c.arg(i);
      if (!v.is_null()) return v;
    }
    return Value();
  };
  // with(args...) and seq.unpack(names...) without `->` give yaql's
  // context too (unpack first checks the count of names).
  lib["with"] = [](Call&) -> Value { throw EvalError("Circular reference detected"); };
  lib["unpack"] = [](Call& c) -> Value {
    Value seq = c.arg(0);
    if (is_set(seq)) seq = set_items(seq);
    if (!seq.is_list()) no_method(c);
    size_t names = c.count() - 1;
    if (names && names != seq.size())
      throw EvalError(fmt::format("Cannot unpack {} elements into {}", std::min(seq.size(), names + 1), names));
    throw EvalError("Circular reference detected");
  };
  lib["let"] = [](Call&) -> Value {
    // Without `->`, let() gives yaql's new context itself, a value nothing
    // takes and Mistral cannot store (oslo's to_primitive finds it refers
    // to itself).
    throw EvalError("Circular reference detected");
  };
  lib["isNull"] = [](Call& c) { return Value(c.arg(0).is_null()); };

  // yaql's branching by index (branching.py): the arguments are lambdas,
  // evaluated only when chosen.
  lib["switchCase"] = [](Call& c) {
    if (!c.receiver) no_match("switchCase");
    Value which = c.arg(0);
    // An int as Python's: true is 1; beyond int64 is past the last case.
    if (!which.is_integer() && !which.is_bool()) no_method(c);
    int64_t n = static_cast<int64_t>(c.count()) - 1;
    if (n == 0) return Value();
    int64_t i = which.is_bool() ? int64_t(which.as_bool()) : which.is_int() ? which.as_int() : -1;
    if (i < 0 || i >= n) i = n - 1;
    return c.arg(static_cast<size_t>(i) + 1);
  };
  lib["selectCase"] = [](Call& c) {
    size_t i = 0;
    for (; i < c.count(); ++i)
      if (truthy_as_written(nullptr, c.arg(i))) break;
    return Value(static_cast<int64_t>(i));
  };
  lib["selectAllCases"] = [](Call& c) {
    List out;
    for (size_t i = 0; i < c.count(); ++i)
      if (truthy_as_written(nullptr, c.arg(i))) out.emplace_back(static_cast<int64_t>(i));
    return Value(std::move(out));
  };
  lib["examine"] = [](Call& c) {
    List out;
    for (size_t i = 0; i < c.count(); ++i) out.emplace_back(truthy_as_written(nullptr, c.arg(i)));
    return Value(std::move(out));
  };
  // obj.assert(condition, message): obj when condition($ = obj) holds.
  lib["assert"] = [](Call& c) {
    if (!c.receiver || c.count() < 2 || c.count() > 3) no_match("assert");
    Value obj = c.arg(0);
    if (c.test(1, obj)) return obj;
    std::string message = "Assertion failed";
    if (c.has(2)) {
      Value m = c.arg(2);
      if (!m.is_string()) no_method(c);
      message = m.as_string();
    }
    throw EvalError(message);
  };
  // call(name, args, kwargs[, receiver]): the function called by name with
  // evaluated arguments.
  lib["call"] = [](Call& c) {
    if (c.receiver || c.count() < 3 || c.count() > 4) no_match("call");
    Value name = c.arg(0), args = c.arg(1), kwargs = c.arg(2);
    if (!name.is_string() || !args.is_list() || !kwargs.is_dict()) no_match("call");
    std::vector<NodePtr> nodes;
    auto constant = [](Value v) {
      auto node = std::make_unique<Node>();
      node->kind = NodeKind::Constant;
      node->value = std::move(v);
      return node;
    };
    for (const auto& a : args.as_list()) nodes.push_back(constant(a));
    for (const auto& [k, v] : kwargs.as_dict()) {
      auto rule = std::make_unique<Node>();
      rule->kind = NodeKind::MappingRule;
      // The key as the keyword it names (`name => value` in a call).
      auto keyword = std::make_unique<Node>();
      keyword->kind = NodeKind::Keyword;
      keyword->text = k;
      rule->args.push_back(std::move(keyword));
      rule->args.push_back(constant(v));
      nodes.push_back(std::move(rule));
    }
    std::optional<Value> receiver;
    if (c.has(3)) receiver = c.arg(3);
    return c.ev.call_function(name.as_string(), receiver, nodes, c.scope);
  };
}

}  // namespace bora::expr::yaql
