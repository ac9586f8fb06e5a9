// expr/yaql/library_other: conversions and type checks, math, branching
// (switch, coalesce, let), time (standard_library/common.py, math.py,
// branching.py, date_time.py basics).
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "bora/core/python_int.h"
#include "bora/core/python_format.h"
#include "bora/core/time.h"
#include "evaluator.h"
#include "set_type.h"
#include "lazy_sequence.h"

namespace bora::expr::yaql {

namespace {

Value to_int(const Value& v) {
  if (v.is_int()) return v;
  if (v.is_double()) return Value(static_cast<int64_t>(std::trunc(v.as_double())));
  if (v.is_bool()) return Value(int64_t(v.as_bool() ? 1 : 0));
  if (v.is_null()) return Value(int64_t(0));
  if (v.is_string()) {
    std::string s = v.as_string();
    size_t b = s.find_first_not_of(" \t\n"), e = s.find_last_not_of(" \t\n");
    if (b != std::string::npos) s = s.substr(b, e - b + 1);
    try {
      size_t used = 0;
      long long x = std::stoll(s, &used, 10);
      if (used == s.size()) return Value(static_cast<int64_t>(x));
    } catch (...) {
    }
    throw EvalError(fmt::format("invalid literal for int() with base 10: {}", python_repr(v)));
  }
  no_match("int");
}

Value to_float(const Value& v) {
  if (v.is_double()) return v;
  if (v.is_int()) return Value(static_cast<double>(v.as_int()));
  if (v.is_bool()) return Value(v.as_bool() ? 1.0 : 0.0);
  if (v.is_null()) return Value(0.0);
  if (v.is_string()) {
    try {
      size_t used = 0;
      double d = std::stod(v.as_string(), &used);
      if (used == v.as_string().size()) return Value(d);
    } catch (...) {
    }
    throw EvalError(fmt::format("could not convert string to float: {}", python_repr(v)));
  }
  no_match("float");
}

// yaql's round(number, ndigits=0): Python's round with ndigits, so always
// a float for a float (and an int for an int); ties to even on the exact
// binary value, as Python's correctly rounded decimal conversion does.
Value py_round(const Value& v, int64_t digits) {
  if (v.is_int() && digits >= 0) return v;
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
  lib["bool"] = [](Call& c) { return Value(c.arg(0).truthy()); };
  lib["isInteger"] = [](Call& c) { return Value(c.arg(0).is_int()); };
  lib["isNumber"] = [](Call& c) {
    Value v = c.arg(0);
    return Value(v.is_int() || v.is_double());
  };
  lib["isBoolean"] = [](Call& c) { return Value(c.arg(0).is_bool()); };
  lib["isList"] = [](Call& c) { return Value(c.arg(0).is_list()); };
  lib["isDict"] = [](Call& c) {
    Value v = c.arg(0);
    return Value(v.is_dict() && !is_set(v) && !is_lazy(v));
  };
  // Bitwise functions on integers (yaql's math library).
  auto int_pair = [](Call& c) {
    Value a = c.arg(0), b = c.arg(1);
    if (!a.is_int() || !b.is_int()) no_match(c.name);
    return std::pair<int64_t, int64_t>(a.as_int(), b.as_int());
  };
  lib["bitwiseAnd"] = [int_pair](Call& c) { auto [a, b] = int_pair(c); return Value(a & b); };
  lib["bitwiseOr"] = [int_pair](Call& c) { auto [a, b] = int_pair(c); return Value(a | b); };
  lib["bitwiseXor"] = [int_pair](Call& c) { auto [a, b] = int_pair(c); return Value(a ^ b); };
  lib["bitwiseNot"] = [](Call& c) {
    Value a = c.arg(0);
    if (!a.is_int()) no_match(c.name);
    return Value(~a.as_int());
  };
  lib["shiftBitsLeft"] = [int_pair](Call& c) {
    auto [a, b] = int_pair(c);
    if (b < 0) throw EvalError("negative shift count");
    if (b >= 63) throw EvalError("the shifted value is too large");
    return Value(a << b);
  };
  lib["shiftBitsRight"] = [int_pair](Call& c) {
    auto [a, b] = int_pair(c);
    if (b < 0) throw EvalError("negative shift count");
    return Value(b >= 63 ? (a < 0 ? int64_t(-1) : int64_t(0)) : a >> b);
  };
  lib["hex"] = [](Call& c) {
    Value a = c.arg(0);
    if (!a.is_int()) no_match(c.name);
    int64_t n = a.as_int();
    uint64_t magnitude = n < 0 ? uint64_t(0) - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
    return Value(fmt::format("{}0x{:x}", n < 0 ? "-" : "", magnitude));
  };

  lib["abs"] = [](Call& c) {
    Value v = c.arg(0);
    if (v.is_bool() || !(v.is_int() || v.is_double())) no_match("abs");
    if (v.is_int()) return v.as_int() < 0 ? python_int::neg(v.as_int()) : v;
    return Value(std::fabs(as_double(v)));
  };
  lib["pow"] = [](Call& c) {
    Value a = c.arg(0), b = c.arg(1);
    if (a.is_int() && b.is_int() && b.as_int() >= 0) {
      // By squaring: pow(1, 10**18) is 60 multiplications, not 10**18.
      int64_t r = 1, base = a.as_int();
      for (int64_t e = b.as_int(); e > 0; e >>= 1) {
        if ((e & 1) && __builtin_mul_overflow(r, base, &r)) throw EvalError("pow() result is too large");
        if (e > 1 && __builtin_mul_overflow(base, base, &base)) throw EvalError("pow() result is too large");
      }
      if (c.has(2)) {
        int64_t m = c.arg(2).as_int();
        if (m == 0) throw EvalError("pow() 3rd argument cannot be 0");
        r %= m;
        if (r < 0) r += m;
      }
      return Value(r);
    }
    return Value(std::pow(as_double(a), as_double(b)));
  };
  lib["round"] = [](Call& c) { return py_round(c.arg(0), c.has(1) ? c.arg(1).as_int() : 0); };
  lib["sign"] = [](Call& c) {
    double x = as_double(c.arg(0));
    return Value(int64_t(x > 0 ? 1 : (x < 0 ? -1 : 0)));
  };
  lib["switch"] = [](Call& c) {
    for (const Node* rule : c.rules) {
      if (c.ev.eval(*rule->args[0], c.scope).truthy()) return c.ev.eval(*rule->args[1], c.scope);
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
  lib["let"] = [](Call& c) {
    // Without `->` the new variables are not used: let() gives back $.
    (void)c;
    for (const auto* s = c.scope; s; s = s->parent)
      if (s->name == "$") return s->value;
    return Value();
  };
  lib["isNull"] = [](Call& c) { return Value(c.arg(0).is_null()); };

  // yaql's branching by index (branching.py): the arguments are lambdas,
  // evaluated only when chosen.
  lib["switchCase"] = [](Call& c) {
    if (!c.receiver) no_match("switchCase");
    Value which = c.arg(0);
    if (!which.is_int()) no_method(c);
    int64_t n = static_cast<int64_t>(c.count()) - 1;
    if (n == 0) return Value();
    int64_t i = which.as_int();
    if (i < 0 || i >= n) i = n - 1;
    return c.arg(static_cast<size_t>(i) + 1);
  };
  lib["selectCase"] = [](Call& c) {
    size_t i = 0;
    for (; i < c.count(); ++i)
      if (c.arg(i).truthy()) break;
    return Value(static_cast<int64_t>(i));
  };
  lib["selectAllCases"] = [](Call& c) {
    List out;
    for (size_t i = 0; i < c.count(); ++i)
      if (c.arg(i).truthy()) out.emplace_back(static_cast<int64_t>(i));
    return Value(std::move(out));
  };
  lib["examine"] = [](Call& c) {
    List out;
    for (size_t i = 0; i < c.count(); ++i) out.emplace_back(c.arg(i).truthy());
    return Value(std::move(out));
  };
  // obj.assert(condition, message): obj when condition($ = obj) holds.
  lib["assert"] = [](Call& c) {
    if (!c.receiver || c.count() < 2 || c.count() > 3) no_match("assert");
    Value obj = c.arg(0);
    if (c.apply(1, obj).truthy()) return obj;
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
      rule->args.push_back(constant(Value(k)));
      rule->args.push_back(constant(v));
      nodes.push_back(std::move(rule));
    }
    std::optional<Value> receiver;
    if (c.has(3)) receiver = c.arg(3);
    return c.ev.call_function(name.as_string(), receiver, nodes, c.scope);
  };
}

}  // namespace bora::expr::yaql
