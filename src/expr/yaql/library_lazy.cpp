// expr/yaql/library_lazy: sequence(), repeat(), cycle() and memorize(), and
// the bounded reads of them (see lazy_sequence.h). Every item made is an
// item of the evaluation budget.
#include "lazy_sequence.h"

#include <fmt/format.h>

#include "bora/core/python_int.h"

namespace bora::expr::yaql {

namespace {

Value make_lazy(Dict spec) {
  note_object_made();  // must not leave the evaluation as it is
  spec.set("skip", Value(int64_t(0)));
  Dict d;
  d.set(kLazyKey, Value(std::move(spec)));
  return Value(std::move(d));
}

const Value& spec(const Value& v) { return *v.find(kLazyKey); }

}  // namespace

Value lazy_item(const Value& lazy, int64_t i) {
  const Value& s = spec(lazy);
  int64_t k = s["skip"].as_int() + i;
  const std::string& kind = s["kind"].as_string();
  if (kind == "repeat") return s["value"];
  if (kind == "cycle") {
    const List& items = s["items"].as_list();
    return items[static_cast<size_t>(k % static_cast<int64_t>(items.size()))];
  }
  // sequence(start, step): exact integers of any size, as Python's.
  if (s["start"].is_integer() && s["step"].is_integer())
    return python_int::add(s["start"], python_int::mul(s["step"], Value(k)));
  return Value(as_double(s["start"]) + as_double(s["step"]) * static_cast<double>(k));
}

namespace {

Value item(const Value& lazy, int64_t i) { return lazy_item(lazy, i); }

Value skipped(const Value& lazy, int64_t n) {
  Dict s = spec(lazy).as_dict();
  s.set("skip", Value(spec(lazy)["skip"].as_int() + std::max<int64_t>(n, 0)));
  Dict d;
  d.set(kLazyKey, Value(std::move(s)));
  return Value(std::move(d));
}

int64_t count_argument(const Call& c, size_t i) {
  auto n = python_int_value(c.arg(i));
  if (!n) no_method(c);
  return *n;
}

}  // namespace

void push_charged(EvalBudget& budget, List& out, Value item) {
  if (out.size() == out.capacity()) budget.bytes(EvalBudget::times(std::max<size_t>(out.capacity(), 1) * 3, sizeof(Value)));
  budget.step();
  out.push_back(std::move(item));
}

bool is_lazy(const Value& v) { return v.is_dict() && v.size() == 1 && v.find(kLazyKey) != nullptr; }

void unbounded(const std::string& reader) {
  throw EvalError(fmt::format(
      "an infinite sequence (sequence(), repeat() without a count, cycle()) cannot be read whole by {}: bound it "
      "first with take() or limit(), e.g. sequence().take(10)",
      reader));
}

void register_lazy_functions(std::map<std::string, Function, std::less<>>& lib) {
  lib["sequence"] = [](Call& c) {
    auto start = argument(c, 0, "start");
    auto step = argument(c, 1, "step");
    Value s = start ? *start : Value(int64_t(0)), st = step ? *step : Value(int64_t(1));
    if (!s.is_number() || !st.is_number()) no_match("sequence");
    return make_lazy(Dict{{"kind", "sequence"}, {"start", s}, {"step", st}});
  };
  Function counted_repeat = lib["repeat"];
  lib["repeat"] = [counted_repeat](Call& c) {
    if (argument(c, 1, "times")) return counted_repeat(c);
    return make_lazy(Dict{{"kind", "repeat"}, {"value", c.arg(0)}});
  };
  lib["cycle"] = [](Call& c) {
    if (c.count() != 1) no_method(c);
    List items = charged_sequence(c.ev.budget(), c.arg(0), c.name);
    if (items.empty()) return Value(List{});  // nothing to repeat: the cycle ends at once
    return make_lazy(Dict{{"kind", "cycle"}, {"items", Value(std::move(items))}});
  };
  // Lists are already stored: memorize() gives its collection back.
  lib["memorize"] = [](Call& c) {
    Value v = c.arg(0);
    if (v.is_list() || is_lazy(v)) return v;
    return Value(charged_sequence(c.ev.budget(), v, c.name));
  };

  Function list_take = lib["take"];
  lib["take"] = [list_take](Call& c) {
    Value v = c.arg(0);
    if (!is_lazy(v)) return list_take(c);
    int64_t n = std::max<int64_t>(0, count_argument(c, 1));
    c.ev.budget().items(static_cast<uint64_t>(n));  // before building: take(10**12) fails at once
    c.result_charged = true;
    List out;
    out.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) out.push_back(item(v, i));
    return Value(std::move(out));
  };
  lib["limit"] = lib["take"];
  Function list_skip = lib["skip"];
  lib["skip"] = [list_skip](Call& c) {
    Value v = c.arg(0);
    if (!is_lazy(v)) return list_skip(c);
    return skipped(v, count_argument(c, 1));
  };
  Function list_first = lib["first"];
  lib["first"] = [list_first](Call& c) {
    Value v = c.arg(0);
    return is_lazy(v) ? item(v, 0) : list_first(c);
  };
  Function list_take_while = lib["takeWhile"];
  lib["takeWhile"] = [list_take_while](Call& c) {
    Value v = c.arg(0);
    if (!is_lazy(v)) return list_take_while(c);
    // Ends when the predicate fails; every item is charged, so a predicate
    // that never fails ends with the step budget.
    List out;
    for (int64_t i = 0;; ++i) {
      Value x = item(v, i);
      if (!c.test(1, x)) break;
      push_charged(c.ev.budget(), out, std::move(x));
    }
    return Value(std::move(out));
  };
  Function other_is_iterable = lib["isIterable"];
  lib["isIterable"] = [other_is_iterable](Call& c) {
    return is_lazy(c.arg(0)) ? Value(true) : other_is_iterable(c);
  };
}

}  // namespace bora::expr::yaql
