#include "evaluator.h"
#include "python_regex.h"
#include "date_time.h"
#include "set_type.h"
#include "lazy_sequence.h"

#include <fmt/format.h>

#include <cmath>
#include <deque>
#include <set>

#include "bora/core/json.h"
#include "bora/core/python_int.h"
#include "bora/core/error.h"
#include "bora/core/limits.h"
#include "bora/core/python_format.h"
#include "bora/core/utf8.h"
#include "bora/core/text_repeat.h"

namespace bora::expr::yaql {

namespace {

struct DepthGuard {
  int& d;
  explicit DepthGuard(int& depth) : d(depth) {
    // The parser bounds the tree at [expressions] max_depth; lambdas called
    // by the library (select, reduce...) may add as much again.
    if (++d > 2 * expression_max_depth() || stack_nearly_exhausted()) {
      --d;
      throw EvalError("the expression recurses too deeply");
    }
  }
  ~DepthGuard() { --d; }
};

// yaql's `$` and `$1` are one variable (its contexts normalise `$` to
// `$1`): whichever was bound last answers for both.
const Scope* lookup_scope(const Scope* s, std::string_view name) {
  bool first = name == "$" || name == "1";
  for (; s; s = s->parent) {
    if (s->function) continue;
    if (s->name == name || (first && (s->name == "$" || s->name == "1"))) return s;
  }
  return nullptr;
}

const Value* lookup(const Scope* s, std::string_view name) {
  const Scope* found = lookup_scope(s, name);
  return found ? &found->value : nullptr;
}

// Functions that look at an iterator argument without reading it.
bool looks_only(const std::string& name) {
  static const std::set<std::string, std::less<>> names = {
      "str", "format", "bool", "isList", "isString", "isDict", "isNumber", "isInteger", "isBoolean", "isSet",
      "isIterable", "isRegex", "isDatetime", "isTimespan"};
  return names.count(name) > 0;
}

const Node* unwrapped(const Node* n) {
  while (n && n->kind == NodeKind::Wrap) n = n->args[0].get();
  return n;
}

// Python's int: int64 or beyond (core/python_int keeps results exact).
bool is_int(const Value& v) { return v.is_integer(); }
bool is_num(const Value& v) { return v.is_number(); }

// yaql's ordering operators: null is below everything (two nulls are
// equal); booleans have no order; the rest as Python compares them.
int yaql_order(const Value& a, const Value& b, const std::string& op) {
  if (a.is_null() || b.is_null()) return a.is_null() ? (b.is_null() ? 0 : -1) : 1;
  if (a.is_bool() || b.is_bool()) no_match("#operator_" + op);
  // Datetimes and timespans order as their operators compare them
  // (orderBy, max and min over them: yaql's #operator_< and #operator_>).
  if (auto lt = date_time_binary("<", a, b)) {
    if (lt->truthy()) return -1;
    auto gt = date_time_binary(">", a, b);
    return gt && gt->truthy() ? 1 : 0;
  }
  return py_compare(a, b, op.c_str());
}

Value arithmetic(const std::string& op, const Value& a, const Value& b, EvalBudget& budget) {
  const std::string fn = "#operator_" + op;
  if (is_num(a) && is_num(b)) {
    if (a.is_int() && b.is_int()) {
      int64_t x = a.as_int(), y = b.as_int();
      if (op == "+") return python_int::add(x, y);
      if (op == "-") return python_int::sub(x, y);
      if (op == "*") return python_int::mul(x, y);
      if (op == "/" || op == "mod") {
        if (y == 0) throw EvalError("integer division or modulo by zero");
        return op == "/" ? python_int::floor_div(x, y) : python_int::floor_mod(x, y);
      }
    }
    if (is_int(a) && is_int(b)) {  // one of them beyond int64
      // yaql's `/` of two ints is Python's `//`.
      if (op == "+" || op == "-" || op == "*") budget.integer_op(op, a, b);
      if (op == "+") return python_int::add(a, b);
      if (op == "-") return python_int::sub(a, b);
      if (op == "*") return python_int::mul(a, b);
      if (op == "/" || op == "mod") {
        if (python_int::is_zero(b)) throw EvalError("integer division or modulo by zero");
        budget.integer_op(op == "/" ? "//" : "%", a, b);
        return op == "/" ? python_int::floor_div(a, b) : python_int::floor_mod(a, b);
      }
    }
    double x = as_double(a), y = as_double(b);
    if (op == "+") return Value(x + y);
    if (op == "-") return Value(x - y);
    if (op == "*") return Value(x * y);
    if (op == "/") {
      if (y == 0) throw EvalError("float division by zero");
      return Value(x / y);
    }
    if (op == "mod") {
      if (y == 0) throw EvalError("float modulo");
      double m = std::fmod(x, y);
      if (m != 0 && ((m < 0) != (y < 0))) m += y;
      // Python's float %: a zero remainder takes the divisor's sign
      // (1.0 mod -1 is -0.0).
      if (m == 0) m = std::copysign(0.0, y);
      return Value(m);
    }
  }
  if (op == "+") {
    if (a.is_string() && b.is_string()) {
      budget.bytes(a.as_string().size() + b.as_string().size());
      return Value(a.as_string() + b.as_string());
    }
    if (a.is_list() && b.is_list()) {
      budget.items(a.size() + b.size());
      List out = a.as_list();
      out.insert(out.end(), b.as_list().begin(), b.as_list().end());
      return Value(std::move(out));
    }
    if (a.is_dict() && b.is_dict()) {
      budget.items(a.size() + b.size());
      Dict out = a.as_dict();
      for (const auto& [k, v] : b.as_dict()) out.set(k, v);
      return Value(std::move(out));
    }
  }
  if (op == "*") {
    // A count past a C ssize_t is Python's OverflowError.
    if ((a.is_big_int() && (b.is_string() || b.is_list())) || (b.is_big_int() && (a.is_string() || a.is_list())))
      throw EvalError("cannot fit 'int' into an index-sized integer");
    // A count may be a boolean (Python's True is 1): 'ab' * true = 'ab'.
    auto count = [](const Value& v) { return v.is_int() || v.is_bool(); };
    const Value* seq = count(a) ? &b : (count(b) ? &a : nullptr);
    const Value* times = count(a) ? &a : &b;
    if (seq && (seq->is_string() || seq->is_list()) && count(*times)) {
      int64_t n = std::max<int64_t>(0, times->is_bool() ? int64_t(times->as_bool()) : times->as_int());
      size_t unit = seq->is_string() ? seq->as_string().size() : seq->as_list().size();
      // Charged before anything is built: 'a' * 10000000000 fails at once.
      uint64_t total = EvalBudget::times(unit, static_cast<uint64_t>(n));
      if (seq->is_string()) budget.bytes(total);
      else budget.items(total);
      if (unit == 0) n = 0;  // '' * 10**12 is '' without 10**12 iterations
      if (seq->is_string()) {
        return Value(repeat_text(seq->as_string(), static_cast<size_t>(n)));
      }
      List out;
      out.reserve(total);
      for (int64_t i = 0; i < n; ++i) out.insert(out.end(), seq->as_list().begin(), seq->as_list().end());
      return Value(std::move(out)).as_python_list(seq->is_python_list());  // a list * n is a list
    }
  }
  no_match(fn);
}

}  // namespace

int yaql_compare(const Value& a, const Value& b, const std::string& op) { return yaql_order(a, b, op); }

Value yaql_arithmetic(const std::string& op, const Value& a, const Value& b, EvalBudget& budget) {
  return arithmetic(op, a, b, budget);
}

namespace {
thread_local uint64_t made_count = 0;
}  // namespace

void note_object_made() { ++made_count; }
uint64_t objects_made() { return made_count; }

namespace {
thread_local uint64_t unread_count = 0;
}  // namespace

uint64_t unread_made() { return unread_count; }

Value unread_iterator(const std::string& error, const std::string& text) {
  note_object_made();  // the result is walked: it fails there
  ++unread_count;
  Dict d;
  d.set(kUnreadKey, Value(List{Value(error), Value(text)}));
  return Value(std::move(d));
}

bool is_unread_iterator(const Value& v) {
  if (!v.is_dict() || v.size() != 1) return false;
  const auto& [k, x] = v.as_dict().at(0);
  return k == kUnreadKey && x.is_list() && x.size() == 2;
}

std::string unread_error(const Value& v) { return v.as_dict().at(0).second[0].as_string(); }
std::string unread_text(const Value& v) { return v.as_dict().at(0).second[1].as_string(); }

bool python_type_error(const std::string& m) {
  return m == "accumulate() of empty sequence with no initial value" ||
         m.rfind("unsupported operand type(s)", 0) == 0 || m.rfind("unhashable type", 0) == 0 ||
         m.find("' not supported between instances of '") != std::string::npos ||
         m.find(" object is not iterable") != std::string::npos;
}

[[noreturn]] void no_match(const std::string& function) {
  throw EvalError(fmt::format("No function \"{}\" matches supplied arguments", function));
}

std::string receiver_text(const Call& c) {
  if (c.receiver && (c.receiver->is_list() || is_lazy(*c.receiver)) && c.receiver_node)
    if (auto text = iterator_text(c.receiver_node)) return *text;
  // A dict's keys(), values() or items() view: KeysView({'a': 1}).
  if (c.receiver && c.receiver->is_list() && c.receiver_node &&
      (list_kind(c.receiver_node) == ListKind::SetView || list_kind(c.receiver_node) == ListKind::View))
    if (auto text = view_text(c, c.receiver_node, *c.receiver)) return *text;
  return receiver_text(*c.receiver);
}

[[noreturn]] void no_method(const Call& c) {
  if (c.receiver) c.ev.budget().check_value(*c.receiver);  // printed in the message
  if (c.receiver)
    throw EvalError(fmt::format("No method \"{}\" for receiver {} matches supplied arguments", c.name,
                                receiver_text(c)));
  no_match(c.name);
}

std::string type_name(const Value& v) {
  switch (v.type()) {
    case Value::Type::Null: return "NoneType";
    case Value::Type::Bool: return "bool";
    case Value::Type::Int: return "int";
    case Value::Type::BigInt: return "int";
    case Value::Type::Double: return "float";
    case Value::Type::String: return "str";
    case Value::Type::List: return v.is_python_list() ? "list" : "tuple";
    case Value::Type::Dict: return is_set(v) ? "frozenset" : "dict";
  }
  return "object";
}

Value python_lists(const Value& v) {
  if (!v.is_list() && !v.is_dict()) return v;
  note_object_made();
  return with_marks(v, true);
}

void require_hashable(const Value& v) {
  if (is_unread_iterator(v)) return;  // an iterator is hashed by its identity
  // yaql's datetime, timespan, date and regex objects are Python's hashable ones.
  if (v.is_dict() && (is_datetime(v) || is_date(v) || is_timespan(v) || is_regex_object(v))) return;
  if (v.is_python_list()) throw EvalError("unhashable type: 'list'");
  if (v.is_python_dict()) throw EvalError("unhashable type: 'dict'");
  if (v.is_list())
    for (const auto& x : v.as_list()) require_hashable(x);
  else if (v.is_dict())
    for (const auto& [k, x] : v.as_dict()) require_hashable(x);
}

std::string class_name(const Value& v, bool qualified) {
  // yaql's objects are Python's datetime, date, timedelta and compiled
  // pattern, C types whose name (tp_name) is the dotted one either way.
  if (is_datetime(v)) return "datetime.datetime";
  if (is_date(v)) return "datetime.date";
  if (is_timespan(v)) return "datetime.timedelta";
  if (is_regex_object(v)) return "re.Pattern";
  if (v.is_dict() && !is_set(v) && !v.is_python_dict()) return qualified ? "yaql.language.utils.FrozenDict" : "FrozenDict";
  return type_name(v);
}

std::string dict_key(const Value& k) {
  if (k.is_string()) return k.as_string();
  require_hashable(k);
  // A set key is a frozenset in yaql, which hashes: the dict holds it, and
  // Mistral's output, which turns it into a set it cannot hash, fails
  // (json_key).
  note_object_made();  // the result is looked through for typed keys (json_keys)
  return kTypedKey + to_json(k);
}

std::string dict_key(EvalBudget& budget, const Value& k) {
  if (k.is_list() || k.is_dict()) budget.check_value(k);
  return dict_key(k);
}

std::string equal_key(const Dict& d, const std::string& key) {
  if (key.empty() || key[0] != kTypedKey || d.contains(key)) return key;
  Value v = key_value(key);
  if (is_set(v)) {
    // Equal frozensets are one key whatever order their items were
    // added in (a set of strings keeps its first-seen order here).
    for (const auto& [k, x] : d)
      if (!k.empty() && k[0] == kTypedKey && k.find("yaql-set") != std::string::npos && py_equal(key_value(k), v))
        return k;
    return key;
  }
  if (!v.is_number() && !v.is_bool()) return key;
  // Python's 1, 1.0 and True are one key (equal, with one hash): the one
  // the dict holds is the first written.
  std::vector<Value> same;
  if (v.is_bool()) {
    same = {Value(int64_t(v.as_bool())), Value(v.as_bool() ? 1.0 : 0.0)};
  } else if (v.is_int()) {
    int64_t i = v.as_int();
    if (i == 0 || i == 1) same.emplace_back(i == 1);
    if (std::fabs(static_cast<double>(i)) < 9007199254740992.0) same.emplace_back(static_cast<double>(i));
  } else if (v.is_double()) {
    double x = v.as_double();
    if (x == 0 || x == 1) same.emplace_back(x == 1);
    if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 9007199254740992.0) same.emplace_back(static_cast<int64_t>(x));
  }
  for (const auto& alt : same)
    if (std::string k = kTypedKey + to_json(alt); d.contains(k)) return k;
  return key;
}

Value key_value(const std::string& k) {
  if (k.empty() || k[0] != kTypedKey) return Value(k);
  auto v = parse_json(std::string_view(k).substr(1));
  return v ? *v : Value(k);
}

std::string json_key(const std::string& k, bool stored) {
  if (k.empty() || k[0] != kTypedKey) return k;
  Value typed = key_value(k);
  // A datetime key is written as Mistral stores a datetime (oslo's
  // to_primitive); Python's json takes no date, timedelta or regex key
  // (the C encoder, which stores the result, names the type in full).
  if (is_datetime(typed)) {
    Value text = stored_form(typed);
    if (text.is_string()) return text.as_string();
  }
  if (is_date(typed) || is_timespan(typed) || is_regex_object(typed)) {
    std::string type = is_date(typed) ? "date" : is_timespan(typed) ? "timedelta" : "Pattern";
    throw EvalError("keys must be str, int, float, bool or None, not " +
                    (stored ? (type == "Pattern" ? "re." : "datetime.") + type : type));
  }
  // Mistral's output makes a tuple key a list, a FrozenDict a dict, a
  // frozenset a set: none can be a key of the dict it builds.
  if (is_set(typed)) throw EvalError("unhashable type: 'set'");
  if (typed.is_list() || typed.is_dict())
    throw EvalError(fmt::format("unhashable type: '{}'", typed.is_list() ? "list" : "dict"));
  return typed.is_null() ? "null" : typed.is_bool() ? (typed.as_bool() ? "true" : "false") : python_str(typed);
}

namespace {

bool has_typed_keys(const Value& v) {
  if (v.is_list()) return std::any_of(v.as_list().begin(), v.as_list().end(), has_typed_keys);
  if (!v.is_dict()) return false;
  for (const auto& [k, x] : v.as_dict())
    if ((!k.empty() && k[0] == kTypedKey) || has_typed_keys(x)) return true;
  return false;
}

Value with_json_keys(const Value& v) {
  if (v.is_list()) {
    List out;
    for (const auto& x : v.as_list()) out.push_back(with_json_keys(x));
    return Value(std::move(out));
  }
  if (!v.is_dict()) return v;
  Dict out;
  for (const auto& [k, x] : v.as_dict()) out.set(json_key(k), with_json_keys(x));
  return Value(std::move(out));
}

}  // namespace

Value json_keys(const Value& v) { return has_typed_keys(v) ? with_json_keys(v) : v; }

double as_double(const Value& v) {
  if (v.is_int()) return static_cast<double>(v.as_int());
  if (v.is_big_int()) {
    auto d = python_int::to_float(v);  // Python's OverflowError beyond the largest float
    if (!d) throw EvalError(d.error().message);
    return *d;
  }
  if (v.is_double()) return v.as_double();
  if (v.is_bool()) return v.as_bool() ? 1 : 0;
  throw EvalError(fmt::format("a number was expected, not {}", python_repr(v)));
}

bool py_equal(const Value& a, const Value& b) {
  if (is_set(a) || is_set(b)) {
    // Sets are equal when they hold the same items, in any order (their
    // sizes were charged when they were built).
    if (!is_set(a) || !is_set(b) || set_items(a).size() != set_items(b).size()) return false;
    const List& other = set_items(b).as_list();
    for (const auto& x : set_items(a).as_list())
      if (std::none_of(other.begin(), other.end(), [&](const Value& y) { return py_equal(x, y); })) return false;
    return true;
  }
  // Numbers (and booleans, Python's 0 and 1) compare exactly, as Python's:
  // 2**53 + 1 is not 2.0**53.
  if ((is_num(a) || a.is_bool()) && (is_num(b) || b.is_bool()) && !(a.is_bool() && b.is_bool()))
    return python_int::compare(a, b) == 0;
  // Lists (a tuple never equals a Python list) and dicts compare item by
  // item as Python's do: [1] = [true], {a => 1.0} = {a => 1}.
  if (a.is_list() && b.is_list()) {
    if (a.is_python_list() != b.is_python_list() || a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!py_equal(a.as_list()[i], b.as_list()[i])) return false;
    return true;
  }
  auto plain_dict = [](const Value& v) {
    return v.is_dict() && !is_datetime(v) && !is_date(v) && !is_timespan(v) && !is_regex_object(v) &&
           !is_unread_iterator(v) && !is_lazy(v);
  };
  if (plain_dict(a) && plain_dict(b)) {
    if (a.size() != b.size()) return false;
    for (const auto& [k, x] : a.as_dict()) {
      const Value* y = b.find(k);
      if (!y || !py_equal(x, *y)) return false;
    }
    return true;
  }
  return a == b;
}

int py_compare(const Value& a, const Value& b, const char* op) {
  if ((is_num(a) || a.is_bool()) && (is_num(b) || b.is_bool())) {
    // Exactly, as Python compares an int with a float (a NaN counts as
    // equal, as it did when both sides were doubles).
    return python_int::compare(a, b).value_or(0);
  }
  if (a.is_string() && b.is_string()) return a.as_string().compare(b.as_string()) < 0 ? -1 : (a.as_string() == b.as_string() ? 0 : 1);
  no_match(std::string("#operator_") + op);
}

std::vector<Value> as_sequence(const Value& v, const std::string& function) {
  if (v.is_list()) return v.as_list();
  if (is_unread_iterator(v)) throw EvalError(unread_error(v));  // read now
  if (is_set(v)) return set_items(v).as_list();
  if (is_lazy(v)) unbounded(function + "()");
  if (v.is_dict()) {
    std::vector<Value> keys;
    for (const auto& [k, _] : v.as_dict()) keys.push_back(key_value(k));
    return keys;
  }
  if (v.is_string()) {
    std::vector<Value> chars;
    for (auto& ch : utf8_characters(v.as_string())) chars.emplace_back(std::move(ch));
    return chars;
  }
  no_match(function);
}

bool is_lazy_query(const Node* n) {
  static const std::set<std::string, std::less<>> lazy = {
      "select", "map", "where", "filter", "append", "distinct", "reverse", "flatten", "skip", "take", "limit",
      "selectMany", "takeWhile", "skipWhile", "delete", "concat", "range", "enumerate", "repeat", "cycle",
      "sequence", "insertMany", "replace", "replaceMany", "zip", "zipLongest", "accumulate", "generate",
      "memorize", "join"};
  if (!n) return false;
  if (n->kind == NodeKind::Binary && (n->text == "." || n->text == "?.") && n->args.size() == 2) n = n->args[1].get();
  return n->kind == NodeKind::Call && lazy.count(n->text) > 0;
}

void charge_sort(EvalBudget& budget, size_t n) {
  budget.sort(n);
  budget.items(n);  // the keyed copy
}

std::vector<Value> charged_sequence(EvalBudget& budget, const Value& v, const std::string& function) {
  budget.items(v.size());
  return as_sequence(v, function);
}

Value charge_result(EvalBudget& budget, Value v) {
  budget.built(v);
  return v;
}

const Node* Call::node(size_t i) const {
  if (receiver) {
    if (i == 0) return nullptr;
    --i;
  }
  // An argument the call does not have: the function does not match (a
  // missing argument must never read past the list).
  if (i >= args.size()) no_match(name);
  return args[i];
}

Value Call::arg(size_t i) const {
  if (receiver && i == 0) return *receiver;
  const Node* n = node(i);
  if (!n) throw EvalError(fmt::format("No function \"{}\" matches supplied arguments", name));
  return value_of(n);
}

namespace {
// The functions that hold an unread iterator they are given as it is (a
// lambda's `$`): str() and format() print it, a dict holds it.
bool holds_unread_argument(const std::string& name) {
  return name == "str" || name == "format" || name == "bool" || name == "set" || name == "dict";
}
}  // namespace

Value Call::value_of(const Node* n) const {
  for (const auto& [done, v] : evaluated)
    if (done == n) return v;
  Value v;
  try {
    // str(), format() and bool() print or test an iterator whose items
    // fail taken out of its list as the object it is.
    v = looks_only(name) ? ev.eval_keeping_unread(*n, scope) : ev.eval(*n, scope);
  } catch (const DeferredError& e) {
    // d.set(k, v) holds such an iterator unread.
    // bool(), str(), isList()... look at the iterator, not its items.
    if (name == "set" || looks_only(name))
      if (auto text = iterator_text(value_node(n))) return unread_iterator(e.what(), *text);
    throw;
  }
  if (v.is_dict() && is_unread_iterator(v) && !holds_unread_argument(name) && !looks_only(name))
    throw EvalError(unread_error(v));
  return v;
}

std::optional<Value> argument(const Call& c, size_t position, const char* kw) {
  for (const auto& [k, n] : c.kwargs)
    if (k == kw) return c.value_of(n);
  if (c.has(position)) return c.arg(position);
  return std::nullopt;
}

int64_t int_argument(const Call& c, size_t position, const char* kw, int64_t fallback) {
  auto v = argument(c, position, kw);
  if (!v) return fallback;
  auto n = python_int_value(*v);
  if (!n) no_match(c.name);
  return *n;
}

std::optional<int64_t> python_int_value(const Value& v) {
  if (v.is_int()) return v.as_int();
  if (v.is_bool()) return int64_t(v.as_bool());
  return std::nullopt;
}

int64_t islice_count(const Value& v, const std::string& function) {
  auto n = python_int_value(v);
  if (!n) no_match(function);
  // Python words it by the argument: skip() gives islice its start, the
  // others its stop.
  if (*n < 0)
    throw EvalError(fmt::format("{} for islice() must be None or an integer: 0 <= x <= sys.maxsize.",
                                function == "skip" ? "Indices" : "Stop argument"));
  return *n;
}

namespace {

// The queries whose lambdas yaql runs only when their iterator is read.
bool lambdas_deferred(const std::string& name) {
  static const std::set<std::string, std::less<>> lazy = {
      "select", "map", "where", "filter", "distinct", "skipWhile", "takeWhile", "accumulate", "selectMany",
      "join", "orderBy", "orderByDescending", "thenBy", "thenByDescending", "sliceWhere", "splitWhere",
      "generate", "generateMany"};
  return lazy.count(name) > 0;
}

// Whether a node, as written, gives yaql's iterator without reading what
// it is given (reverse() and groupBy() read their collection at once), or
// a list or dict literal that may hold one: a DeferredError goes through.
bool passes_deferred(const Node* n) {
  n = value_node(n);
  // `x.name`: a dict's value, or a map over a collection (see member()).
  if (n->kind == NodeKind::Binary && (n->text == "." || n->text == "?.") && n->args.size() == 2 &&
      n->args[1]->kind == NodeKind::Keyword)
    return true;
  if (n->kind == NodeKind::ListLiteral || n->kind == NodeKind::DictLiteral || n->kind == NodeKind::MappingRule)
    return true;
  ListKind kind = list_kind(n);
  if (kind != ListKind::Iterator && kind != ListKind::Ordering) return false;
  const Node* receiver = nullptr;
  if (n->kind == NodeKind::Binary && (n->text == "." || n->text == "?.")) {
    receiver = n->args[0].get();
    n = n->args[1].get();
  }
  if (n->kind != NodeKind::Call) return true;
  if (n->text == "reverse" || n->text == "groupBy") return false;
  // Names that are also string or dict functions ('a'.replace('a', 'b'),
  // ', '.join($.l), 'a'.concat('b'), {a => 1}.delete('a')), which read what
  // they are given: the query only on what was an iterator.
  // The collection join (`a.join(b, predicate, selector)`) is a generator
  // whatever its receiver.
  if (n->text == "join" && receiver && n->args.size() >= 3) return true;
  if (n->text == "join" || n->text == "replace" || n->text == "delete" || n->text == "concat") {
    if (!receiver || (n->text == "join" && n->args.size() < 3)) return false;
    ListKind of = list_kind(receiver);
    return of == ListKind::Iterator || of == ListKind::Ordering;
  }
  return true;
}

// v with each generator in it (as written: a query's result, or one in a
// list or dict literal) as Python's str() of it.
Value generators_as_text(const Node* n, const Value& v) {
  if (!n || !(v.is_list() || v.is_dict())) return v;
  n = value_node(n);
  if (v.is_list())
    if (auto text = iterator_text(n); text && text->rfind("<generator", 0) == 0) return Value(*text);
  if (n->kind == NodeKind::ListLiteral && v.is_list() && v.size() == n->args.size()) {
    List out;
    for (size_t i = 0; i < n->args.size(); ++i) out.push_back(generators_as_text(n->args[i].get(), v[i]));
    return Value(std::move(out)).marked(v.is_python_list());
  }
  if (n->kind == NodeKind::DictLiteral && v.is_dict() && v.size() == n->args.size()) {
    Dict out;
    for (size_t i = 0; i < n->args.size(); ++i) {
      const auto& [k, x] = v.as_dict().at(i);
      out.set(k, n->args[i]->kind == NodeKind::MappingRule ? generators_as_text(n->args[i]->args[1].get(), x) : x);
    }
    return Value(std::move(out)).marked(v.is_python_dict());
  }
  // A dict a function built holds what it was given: d.set(k, x),
  // d.set(k => x), dict(k => x), coll.toDict(f, g)'s values.
  if (!v.is_dict()) return v;
  const Node* call = n;
  if (n->kind == NodeKind::Binary && n->text == "." && n->args.size() == 2) call = n->args[1].get();
  if (call->kind != NodeKind::Call) return v;
  auto key_text = [](const Node* key) -> std::optional<std::string> {
    key = value_node(key);
    if (key && key->kind == NodeKind::Keyword) return key->text;
    if (key && key->kind == NodeKind::Constant && key->value.is_string()) return key->value.as_string();
    return std::nullopt;
  };
  Dict out = v.as_dict();
  bool changed = false;
  auto written_at = [&](const Node* key, const Node* value) {
    if (auto k = key_text(key))
      if (const Value* x = out.find(*k)) {
        out.set(*k, generators_as_text(value, *x));
        changed = true;
      }
  };
  if ((call->text == "set" && call != n) || (call->text == "dict" && call == n)) {
    if (call->text == "set" && call->args.size() == 2 && call->args[0]->kind != NodeKind::MappingRule)
      written_at(call->args[0].get(), call->args[1].get());
    for (const auto& rule : call->args)
      if (rule->kind == NodeKind::MappingRule && rule->args.size() == 2) written_at(rule->args[0].get(), rule->args[1].get());
  } else if (call->text == "toDict" && call != n && call->args.size() == 2 &&
             call->args[1]->kind != NodeKind::MappingRule) {
    for (const auto& [k, x] : v.as_dict()) out.set(k, generators_as_text(call->args[1].get(), x));
    changed = true;
  }
  return changed ? Value(std::move(out)).marked(v.is_python_dict()) : v;
}

}  // namespace

Value Call::apply(size_t i, const Value& item) const {
  const Node* n = node(i);
  if (!n) return item;
  Scope s1{scope, "$", item};
  Scope s2{&s1, "1", item};
  // A lambda giving an iterator whose items fail gives it unread to what
  // holds it as it is (select's items, toDict's values, where's truth).
  auto held = [&](const DeferredError& e) -> Value {
    // A predicate only tests it (an iterator object is true): any, all,
    // indexWhere, takeWhile... (`$.matrix.any($.meta.zone)`).
    static const std::set<std::string, std::less<>> tests = {
        "any", "all", "indexWhere", "lastIndexWhere", "takeWhile", "skipWhile", "sliceWhere", "splitWhere",
        "distinct"};  // and distinct's key, hashed by its identity
    if (name == "select" || name == "map" || name == "where" || name == "filter" || name == "toDict" ||
        tests.count(name))
      if (auto text = iterator_text(value_node(n))) return unread_iterator(e.what(), *text);
    throw e;
  };
  if (!lambdas_deferred(name)) {
    try {
      return ev.eval(*n, &s2);
    } catch (const DeferredError& e) {
      return held(e);
    }
  }
  try {
    return ev.eval(*n, &s2);
  } catch (const DeferredError& e) {
    return held(e);
  } catch (const EvalError& e) {
    throw DeferredError(e.what());
  }
}

bool truthy_as_written(const Node* n, const Value& v) {
  // yaql's objects as Python finds them: an empty set and a zero timespan
  // are false (a datetime or a regex is true).
  if (v.is_dict() && is_set(v)) return !set_items(v).as_list().empty();
  if (v.is_dict() && is_timespan(v)) return date_time_binary("!=", v, make_timespan(0))->truthy();
  if (!v.is_list() || !n) return v.truthy();
  ListKind kind = list_kind(n);
  return kind == ListKind::Iterator || kind == ListKind::Ordering || v.truthy();
}

bool Call::test(size_t i, const Value& item) const {
  const Node* n = node(i);
  return truthy_as_written(n, apply(i, item));
}

Value Call::apply2(size_t i, const Value& a, const Value& b) const {
  const Node* n = node(i);
  if (!n) return a;
  Scope s1{scope, "$", a};
  Scope s2{&s1, "1", a};
  Scope s3{&s2, "2", b};
  if (!lambdas_deferred(name)) return ev.eval(*n, &s3);
  try {
    return ev.eval(*n, &s3);
  } catch (const DeferredError&) {
    throw;
  } catch (const EvalError& e) {
    throw DeferredError(e.what());
  }
}

Value Evaluator::eval(const Node& n, const Scope* scope) {
  DepthGuard guard(depth_);
  budget_.step();
  Value v;
  try {
    v = eval_node(n, scope);
  } catch (const ReadLaterError& e) {
    throw DeferredError(e.what());  // n's own result fails when it is read
  } catch (const DeferredError& e) {
    if (passes_deferred(&n)) throw;
    throw EvalError(e.what());  // read here: it fails now
  }
  // An unread iterator taken out of its list or dict is the iterator
  // again (a lambda's `$` holds it as it is).
  if (v.is_dict() && n.kind != NodeKind::Variable && keep_unread_ != &n && is_unread_iterator(v)) {
    if (passes_deferred(&n)) throw DeferredError(unread_error(v));
    throw EvalError(unread_error(v));
  }
  // A value built step by step (reduce wrapping a list in a list 100 000
  // times) is refused as soon as it is deeper than anything Bora accepts
  // as input, so that printing or storing it later cannot fail.
  if (v.depth() > kMaxValueDepth) {
    throw EvalError(fmt::format("the expression built a value nested deeper than {} levels; build flatter data",
                                kMaxValueDepth));
  }
  return v;
}

Value Evaluator::eval_node(const Node& n, const Scope* scope) {
  switch (n.kind) {
    case NodeKind::Constant: return n.value;
    case NodeKind::Keyword: return Value(n.text);  // a bare word is its own name
    case NodeKind::Wrap: return eval(*n.args[0], scope);
    case NodeKind::Variable: {
      std::string name = n.text.size() > 1 ? n.text.substr(1) : "$";
      if (const Scope* s = lookup_scope(scope, name); s && s->cursor) {
        // An iterator: a read takes what is left of it (all of it, unless
        // the reader is one that reads less: peek_iterator, partial_read,
        // lazy_pipeline).
        IteratorCursor& c = *s->cursor;
        note_iterator_variable(&n, c.made_by);
        if (c.failure) throw DeferredError(*c.failure);
        List rest(c.items.begin() + static_cast<std::ptrdiff_t>(c.taken), c.items.end());
        if (std::find(peeked_.begin(), peeked_.end(), &n) == peeked_.end()) c.take(c.items.size());
        return Value(std::move(rest));
      }
      if (const Value* v = lookup(scope, name)) return *v;
      if (name == "$") return Value();
      return Value();  // yaql: an unknown $variable is null
    }
    case NodeKind::ListLiteral: {
      budget_.items(n.args.size());
      for (const auto& a : n.args)
        if (a->kind == NodeKind::MappingRule) throw EvalError("a list literal cannot hold name => value pairs");
      std::vector<Value> items(n.args.size());
      std::vector<bool> later = unread_items(n.args, scope, false);
      for (int pass = 0; pass < 2; ++pass)
        for (size_t i = 0; i < n.args.size(); ++i)
          if (later[i] == (pass == 1)) items[i] = eval_held(*n.args[i], scope);
      return Value(List(std::make_move_iterator(items.begin()), std::make_move_iterator(items.end())));
    }
    case NodeKind::DictLiteral: {
      budget_.items(n.args.size());
      for (const auto& a : n.args)
        if (a->kind != NodeKind::MappingRule) throw EvalError("a dict literal holds key => value pairs");
      std::vector<std::string> keys(n.args.size());
      std::vector<Value> values(n.args.size());
      std::vector<bool> later = unread_items(n.args, scope, true);
      for (size_t i = 0; i < n.args.size(); ++i) {
        keys[i] = dict_key(budget_, eval(*n.args[i]->args[0], scope));
        if (!later[i]) values[i] = eval_held(*n.args[i]->args[1], scope);
      }
      for (size_t i = 0; i < n.args.size(); ++i)
        if (later[i]) values[i] = eval_held(*n.args[i]->args[1], scope);
      Dict out;
      for (size_t i = 0; i < n.args.size(); ++i) out.set(equal_key(out, keys[i]), std::move(values[i]));
      return Value(std::move(out));
    }
    case NodeKind::MappingRule: throw EvalError("name => value is only allowed in function arguments");
    case NodeKind::Unary: {
      // An iterator's truth is the object's (always true): not read.
      if (n.text == "not") {
        try {
          return Value(!truthy_as_written(n.args[0].get(), eval_unread(*n.args[0], scope)));
        } catch (const DeferredError&) {
          // An iterator whose items fail is true, and not read.
          if (!iterator_text(n.args[0].get())) throw;
          return Value(false);
        }
      }
      Value v = eval(*n.args[0], scope);
      if (v.is_integer()) return n.text == "-" ? python_int::neg(v) : v;
      if (v.is_double()) return n.text == "-" ? Value(-v.as_double()) : v;
      if (auto r = date_time_unary(n.text, v)) return *r;
      no_match("#unary_operator_" + n.text);
    }
    case NodeKind::Binary: return binary(n, scope);
    case NodeKind::Index: return index(n, scope);
    case NodeKind::Call:
      if ((n.text == "any" || n.text == "all") && !n.args.empty())
        if (auto partial = partial_read(n, scope)) return *partial;
      // str(), format(), bool() and the type tests of an iterator look at
      // the object and read none of it.
      if (looks_only(n.text)) {
        size_t before = peeked_.size();
        for (const auto& a : n.args)
          if (iterator_variable(a.get(), scope)) peeked_.push_back(unwrapped(a.get()));
        if (peeked_.size() != before) {
          struct Restore {
            std::vector<const Node*>& slots;
            size_t size;
            ~Restore() { slots.resize(size); }
          } restore{peeked_, before};
          return call_function(n.text, std::nullopt, n.args, scope, nullptr, &n);
        }
      }
      if ((n.text == "len" || n.text == "count") && n.args.size() == 1 &&
          n.args[0]->kind != NodeKind::MappingRule) {
        try {
          return call_function(n.text, std::nullopt, n.args, scope, nullptr, &n);
        } catch (const DeferredError&) {
          if (auto size = literal_size(*n.args[0], scope)) return *size;
          throw;
        }
      }
      return call_function(n.text, std::nullopt, n.args, scope, nullptr, &n);
  }
  return Value();
}

namespace {

// Whether a value, as written, is or holds one of yaql's iterators (or an
// ordering iterable, or a dict's values view): Python compares those by
// identity, so `$.l.where($ > 1) = [2, 3]` is false, and so is a list or
// dict literal holding one.
bool holds_iterator(const Node* n, const Value& v) {
  if (!n || !(v.is_list() || v.is_dict())) return false;
  n = value_node(n);
  if (v.is_list()) {
    ListKind kind = list_kind(n);
    if (kind == ListKind::Iterator || kind == ListKind::Ordering || kind == ListKind::View) return true;
  }
  if (n->kind == NodeKind::ListLiteral && v.is_list() && v.size() == n->args.size()) {
    for (size_t i = 0; i < n->args.size(); ++i)
      if (holds_iterator(n->args[i].get(), v[i])) return true;
  }
  if (n->kind == NodeKind::DictLiteral && v.is_dict() && v.size() == n->args.size()) {
    for (size_t i = 0; i < n->args.size(); ++i)
      if (n->args[i]->kind == NodeKind::MappingRule && holds_iterator(n->args[i]->args[1].get(), v.as_dict().at(i).second))
        return true;
  }
  return false;
}

// `=` between values Python never finds equal whatever they hold: an
// iterator and anything, a dict's keys() or items() view and a tuple.
bool unequal_objects(const Node* na, const Value& a, const Node* nb, const Value& b) {
  if (holds_iterator(na, a) || holds_iterator(nb, b)) return true;
  if (a.is_list() && b.is_list()) {
    bool view_a = list_kind(na) == ListKind::SetView, view_b = list_kind(nb) == ListKind::SetView;
    if (view_a != view_b) return true;
  }
  return false;
}

}  // namespace

Value Evaluator::equality(const Node& n, const Value& a, const Value& b) {
  const std::string& op = n.text;
  if (auto r = date_time_binary(op, a, b)) return *r;
  if (auto r = set_binary(budget_, op, a, b)) return *r;
  // Deep equality walks both values whole: a list holding itself twice
  // per level is refused here, not compared for 2^levels steps.
  if (a.is_list() || a.is_dict()) budget_.check_value(a);
  if (b.is_list() || b.is_dict()) budget_.check_value(b);
  // Two set-like views (keys(), items()) compare as Python's sets do
  // (Set.__eq__: the same length, then each item of the left one `in` the
  // right one, in any order); a FrozenDict's ItemsView unpacks the item
  // into a key and a value (Python's errors when it is no pair), a dict's
  // dict_items (what Mistral's functions return) finds no such item.
  const Node* va = value_node(n.args[0].get());
  const Node* vb = value_node(n.args[1].get());
  if (a.is_list() && b.is_list() && list_kind(va) == ListKind::SetView && list_kind(vb) == ListKind::SetView) {
    auto view = [](const Node* v) -> std::pair<std::string, const Node*> {
      if (v->kind == NodeKind::Binary && v->text == "." && v->args.size() == 2 && v->args[1]->kind == NodeKind::Call)
        return {v->args[1]->text, value_node(v->args[0].get())};
      if (v->kind == NodeKind::Call && !v->args.empty()) return {v->text, value_node(v->args[0].get())};
      return {"", nullptr};
    };
    auto [right, of] = view(vb);
    // A dict made by one of Mistral's functions (json_parse...).
    const Node* maker = of && of->kind == NodeKind::Binary && of->text == "." && of->args.size() == 2 ? of->args[1].get() : of;
    bool python_dict = maker && maker->kind == NodeKind::Call && ctx_.functions && ctx_.functions->find(maker->text);
    bool equal = a.size() == b.size();
    budget_.step(a.size() * b.size());
    for (size_t i = 0; equal && i < a.size(); ++i) {
      const Value& x = a[i];
      if (right == "items") {
        List parts;
        if (x.is_list()) parts = x.as_list();
        else if (x.is_string() || is_set(x) || (x.is_dict() && !is_datetime(x) && !is_timespan(x) && !is_regex_object(x) && !is_date(x)))
          parts = python_dict ? List{} : as_sequence(x, "in");
        else if (!python_dict)
          throw EvalError(fmt::format("cannot unpack non-iterable {} object", type_name(x)));
        if (python_dict && !(x.is_list() && x.size() == 2)) {
          equal = false;
          break;
        }
        if (parts.size() < 2)
          throw EvalError(fmt::format("not enough values to unpack (expected 2, got {})", parts.size()));
        if (parts.size() > 2) throw EvalError("too many values to unpack (expected 2)");
        equal = std::any_of(b.as_list().begin(), b.as_list().end(), [&](const Value& pair) {
          return pair.is_list() && pair.size() == 2 && py_equal(pair[0], parts[0]) && py_equal(pair[1], parts[1]);
        });
      } else {
        require_hashable(x);  // looked up in the dict
        equal = std::any_of(b.as_list().begin(), b.as_list().end(), [&](const Value& y) { return py_equal(x, y); });
      }
    }
    return Value(op == "=" ? equal : !equal);
  }
  bool equal = !unequal_objects(n.args[0].get(), a, n.args[1].get(), b) && py_equal(a, b);
  return Value(op == "=" ? equal : !equal);
}

Value Evaluator::binary(const Node& n, const Scope* scope) {
  const std::string& op = n.text;
  if (op == "and") {
    Value a;
    try {
      a = eval_unread(*n.args[0], scope);
    } catch (const DeferredError&) {
      // An iterator whose items fail is true, and not read.
      if (!iterator_text(n.args[0].get())) throw;
      return eval(*n.args[1], scope);
    }
    return truthy_as_written(n.args[0].get(), a) ? eval(*n.args[1], scope) : a;
  }
  if (op == "or") {
    Value a = eval_unread(*n.args[0], scope);
    if (!truthy_as_written(n.args[0].get(), a)) return eval(*n.args[1], scope);
    // The iterator itself is the value: read as the value is.
    return iterator_variable(n.args[0].get(), scope) ? eval(*n.args[0], scope) : a;
  }
  if (op == "." && n.args[1]->kind == NodeKind::Call &&
      (n.args[1]->text == "thenBy" || n.args[1]->text == "thenByDescending")) {
    if (auto sorted = ordering_chain(n, scope)) return *sorted;
  }
  size_t peeked = peeked_.size();
  struct Restore {
    std::vector<const Node*>& slots;
    size_t size;
    ~Restore() { slots.resize(size); }
  } restore{peeked_, peeked};
  if (op == "." && n.args[1]->kind == NodeKind::Call && looks_only(n.args[1]->text)) {
    // `'{0}'.format($x)`, `$x.isList()`: the object looked at, not read.
    if (iterator_variable(n.args[0].get(), scope)) peeked_.push_back(unwrapped(n.args[0].get()));
    for (const auto& a : n.args[1]->args)
      if (iterator_variable(a.get(), scope)) peeked_.push_back(unwrapped(a.get()));
  }
  if (op == "." && n.args[1]->kind == NodeKind::Call) {
    if (auto partial = partial_read(n, scope)) return *partial;
    if (auto bounded = lazy_pipeline(n, scope)) return *bounded;
    if (auto streamed = streamed_stages(n, scope)) return *streamed;
    if (auto grouped = streamed_group_by(n, scope)) return *grouped;
  }
  if (op == "in")
    if (auto partial = partial_read(n, scope)) return *partial;
  if (op == "in") {
    // `v in d.items()` is ItemsView.__contains__: v unpacked into a key
    // and a value (Python's errors when it is no pair), then d[key] == value.
    const Node* view = value_node(n.args[1].get());
    if (view->kind == NodeKind::Binary && view->text == "." && view->args.size() == 2 &&
        view->args[1]->kind == NodeKind::Call && view->args[1]->text == "items" && view->args[1]->args.empty() &&
        list_kind(view) == ListKind::SetView && !iterator_variable(n.args[0].get(), scope)) {
      Value needle = eval(*n.args[0], scope);
      Value pairs = eval(*n.args[1], scope);
      if (pairs.is_list()) {
        List parts;
        if (needle.is_list()) parts = needle.as_list();
        else if (needle.is_string() || is_set(needle) || (needle.is_dict() && !is_datetime(needle) && !is_timespan(needle) && !is_regex_object(needle) && !is_date(needle)))
          parts = as_sequence(needle, "in");
        else
          throw EvalError(fmt::format("cannot unpack non-iterable {} object", type_name(needle)));
        if (parts.size() < 2)
          throw EvalError(fmt::format("not enough values to unpack (expected 2, got {})", parts.size()));
        if (parts.size() > 2) throw EvalError("too many values to unpack (expected 2)");
        budget_.step(pairs.size());
        for (const auto& pair : pairs.as_list())
          if (pair.is_list() && pair.size() == 2 && py_equal(pair[0], parts[0])) return Value(py_equal(pair[1], parts[1]));
        return Value(false);
      }
    }
    // `v in a + b` over an iterator is itertools.chain: a is searched
    // first, and b's items are made only when a does not hold v.
    const Node* chain = unwrapped(n.args[1].get());
    if (chain->kind == NodeKind::Binary && chain->text == "+" && chain->args.size() == 2 &&
        list_kind(chain) == ListKind::Iterator && !iterator_variable(chain->args[0].get(), scope) &&
        !iterator_variable(chain->args[1].get(), scope)) {
      Value needle = eval(*n.args[0], scope);
      std::optional<std::string> failed[2];
      Value sides[2];
      for (int i = 0; i < 2; ++i) {
        try {
          sides[i] = eval(*chain->args[i], scope);
        } catch (const DeferredError& e) {
          failed[i] = e.what();
        }
      }
      bool plain = true;
      for (int i = 0; i < 2; ++i) plain = plain && (failed[i] || sides[i].is_list());
      if (plain) {
        if (needle.is_list() || needle.is_dict()) budget_.check_value(needle);
        for (int i = 0; i < 2; ++i) {
          if (failed[i]) throw EvalError(*failed[i]);
          budget_.step(sides[i].size());
          for (const auto& x : sides[i].as_list())
            if (py_equal(needle, x)) return Value(true);
        }
        return Value(false);
      }
    }
  }
  if (op == "." || op == "?.") {
    Value receiver;
    try {
      const bool looks = n.args[1]->kind == NodeKind::Call && looks_only(n.args[1]->text);
      receiver = looks ? eval_keeping_unread(*n.args[0], scope) : eval(*n.args[0], scope);
      // An iterator whose items fail, taken out of its list: no such
      // method for the object (str(), bool(), the type tests are functions).
      if (looks && is_unread_iterator(receiver)) {
        if (n.args[1]->text == "format")
          throw EvalError(fmt::format("No method \"format\" for receiver {} matches supplied arguments",
                                      unread_text(receiver)));
        throw EvalError(fmt::format("Unknown method \"{}\" for receiver {}", n.args[1]->text, unread_text(receiver)));
      }
    } catch (const DeferredError&) {
      // A name over a map whose items fail is a map again, as unread.
      if (n.args[1]->kind == NodeKind::Keyword && iterator_text(value_node(n.args[0].get()))) {
        note_mapped_attribute(n.args[1].get());
        throw;
      }
      if (takes_nothing(*n.args[1], scope)) return Value(List{});
      if (auto first = accumulated_first(n.args[0].get(), {}, *n.args[1], scope)) return *first;
      // yaql evaluates the arguments (all but its lambdas) before the
      // function reads the receiver: an error one raises comes first.
      eager_arguments(*n.args[1], scope);
      // slice(-1): islice refuses the length before it reads anything.
      const Node& right = *n.args[1];
      if (right.kind == NodeKind::Call && right.text == "slice" && right.args.size() == 1 &&
          right.args[0]->kind != NodeKind::MappingRule)
        if (auto length = python_int_value(eval(*right.args[0], scope)); length && *length < 0)
          throw DeferredError(
              "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.");
      // `x.isList()` of an iterator looks at the object only, whatever its
      // items: its answer (or refusal) is the same as for any iterator.
      if (n.args[1]->kind == NodeKind::Call && looks_only(n.args[1]->text) && iterator_text(value_node(n.args[0].get())))
        return member(Value(List{}), *n.args[1], scope, op == "?.", n.args[0].get());
      if (n.args[1]->kind == NodeKind::Call && n.args[1]->args.empty() &&
          (n.args[1]->text == "len" || n.args[1]->text == "count"))
        if (auto size = literal_size(*n.args[0], scope)) return *size;
      throw;
    }
    return member(receiver, *n.args[1], scope, op == "?.", n.args[0].get());
  }
  if (op == "->") return send_context(n, scope);
  if (op == "=" || op == "!=") {
    // An iterator whose items fail is never read by `=`: it is unequal
    // to anything.
    // Nor does it read an iterator variable: Python compares the objects.
    bool unread = false;
    Value a, b;
    try {
      a = iterator_variable(n.args[0].get(), scope) ? peek_iterator(n.args[0].get(), scope) : eval(*n.args[0], scope);
    } catch (const DeferredError&) {
      unread = true;
    }
    try {
      b = iterator_variable(n.args[1].get(), scope) ? peek_iterator(n.args[1].get(), scope) : eval(*n.args[1], scope);
    } catch (const DeferredError&) {
      unread = true;
    }
    if (unread) return Value(op == "!=");
    // One iterator is equal to itself only (Python compares the object).
    const Scope* ia = iterator_variable(n.args[0].get(), scope);
    const Scope* ib = iterator_variable(n.args[1].get(), scope);
    if (ia && ib) return Value((ia->cursor == ib->cursor) == (op == "="));
    return equality(n, a, b);
  }
  Value a, b;
  // An operand whose items fail (an iterator no one read yet): its error
  // is kept for the operator to decide on, the operand left unset.
  auto operand = [&](const Node& arg, std::optional<DeferredError>& unread) -> std::optional<Value> {
    try {
      return eval(arg, scope);
    } catch (const DeferredError& e) {
      unread = e;
      return std::nullopt;
    }
  };
  if (op == "<" || op == ">" || op == "<=" || op == ">=") {
    // null is below everything, an unread iterator too: one whose items
    // fail is compared with null without being read.
    std::optional<DeferredError> unread;
    std::optional<Value> left = operand(*n.args[0], unread);
    std::optional<Value> right = operand(*n.args[1], unread);
    if (unread) {
      // Anything else is no operand yaql's ordering operators take.
      bool with_null = left ? left->is_null() && !right : right && right->is_null();
      if (!with_null) no_match("#operator_" + op);
      int order = left ? -1 : 1;  // null on the left is below it, on the right above it
      return Value(op == "<" ? order < 0 : op == ">" ? order > 0 : op == "<=" ? order <= 0 : order >= 0);
    }
    a = std::move(*left);
    b = std::move(*right);
  } else if (op == "+" || op == "-" || op == "*" || op == "/" || op == "mod") {
    // An iterator whose items fail is no operand of yaql's arithmetic
    // (the overload is refused before anything reads it), except `+` with
    // another collection, a chain read later.
    std::optional<DeferredError> unread_a, unread_b;
    if (auto v = operand(*n.args[0], unread_a)) a = std::move(*v);
    if (auto v = operand(*n.args[1], unread_b)) b = std::move(*v);
    if (unread_a || unread_b) {
      auto collection = [](const Value& v) { return v.is_list() || is_set(v); };
      if (op == "+" && (unread_a || collection(a)) && (unread_b || collection(b))) throw unread_a ? *unread_a : *unread_b;
      no_match("#operator_" + op);
    }
    // Nor is any iterator an operand of `*` (a tuple or a list repeats).
    if (op == "*")
      for (const auto& arg : n.args) {
        ListKind kind = list_kind(value_node(arg.get()));
        if (kind == ListKind::Iterator || kind == ListKind::Ordering || kind == ListKind::SetView || kind == ListKind::View)
          if ((arg == n.args[0] ? a : b).is_list()) no_match("#operator_*");
      }
  } else if (op == "in") {
    // One of yaql's iterator objects looked for in a collection is equal
    // to none of its items (Python compares the object): not read, its
    // items' failures never happen.
    std::optional<DeferredError> unread;
    std::optional<Value> left = operand(*n.args[0], unread);
    if (unread && !iterator_text(n.args[0].get())) throw *unread;
    ListKind kind = list_kind(value_node(n.args[0].get()));
    bool object = unread || (left->is_list() && (kind == ListKind::Iterator || kind == ListKind::Ordering) &&
                             !iterator_variable(n.args[0].get(), scope));
    b = eval(*n.args[1], scope);
    if (object) {
      if (b.is_list() || is_set(b)) return Value(false);
      if (unread) throw *unread;
    }
    a = std::move(*left);
  } else {
    a = eval(*n.args[0], scope);
    b = eval(*n.args[1], scope);
  }
  if (op == "=" || op == "!=" || op == "<" || op == ">" || op == "<=" || op == ">=" || op == "+" || op == "-" ||
      op == "*" || op == "/") {
    if (auto r = date_time_binary(op, a, b)) return *r;
    if (op != "*" && op != "/")
      if (auto r = set_binary(budget_, op, a, b)) return *r;
  }
  if (op == "=" || op == "!=" || op == "in") {
    // Deep equality walks both values whole: a list holding itself twice
    // per level is refused here, not compared for 2^levels steps.
    if (a.is_list() || a.is_dict()) budget_.check_value(a);
    if (b.is_list() || b.is_dict()) budget_.check_value(b);
  }
  if (op == "<") return Value(yaql_order(a, b, op) < 0);
  if (op == ">") return Value(yaql_order(a, b, op) > 0);
  if (op == "<=") return Value(yaql_order(a, b, op) <= 0);
  if (op == ">=") return Value(yaql_order(a, b, op) >= 0);
  if (op == "in") {
    if (is_set(b)) b = set_items(b);
    if (b.is_list()) {
      budget_.step(b.size());
      for (const auto& x : b.as_list())
        if (py_equal(a, x)) return Value(true);
      return Value(false);
    }
    if (b.is_string() && a.is_string()) return Value(b.as_string().find(a.as_string()) != std::string::npos);
    no_match("#operator_in");
  }
  if (op == "=~" || op == "!~") {
    // The pattern is a string or a regex() object.
    if (!a.is_string() || !(b.is_string() || is_regex_object(b))) no_match("#operator_" + op);
    bool found = regex_found(regex_of(b), a.as_string());
    return Value(op == "=~" ? found : !found);
  }
  return arithmetic(op, a, b, budget_);
}

// `context -> expression`: the left side makes variables (let, with,
// unpack) or functions (def) that the right side sees.
namespace {

// let(), with(), def() and seq.unpack() make a context for `->`.
bool makes_context(const Node* n) {
  n = unwrapped(n);
  if (n->kind == NodeKind::Call) return n->text == "let" || n->text == "with" || n->text == "def";
  return n->kind == NodeKind::Binary && n->text == "." && n->args.size() == 2 &&
         n->args[1]->kind == NodeKind::Call && n->args[1]->text == "unpack";
}

}  // namespace

// yaql evaluates `->`'s left side to a context: `a or b` and `a and b`
// give one of their operands, so `x or let(y => 1) -> $y` binds y when x
// is false (a context is true); anything else is no context.
const Node& Evaluator::context_of(const Node& n, const Scope* scope) {
  const Node* cur = unwrapped(&n);
  while (cur->kind == NodeKind::Binary && (cur->text == "or" || cur->text == "and") && cur->args.size() == 2) {
    const Node* a = cur->args[0].get();
    bool truth = makes_context(a) || truthy_as_written(a, eval(*a, scope));
    if (truth == (cur->text == "or")) {
      if (!makes_context(a)) no_match("#operator_->");
      return *unwrapped(a);
    }
    cur = unwrapped(cur->args[1].get());
  }
  return *cur;
}

Value Evaluator::send_context(const Node& n, const Scope* scope) {
  const Node& left = context_of(*n.args[0], scope);
  std::deque<Scope> vars;  // a deque: each scope points at the one before it
  const Scope* cur = scope;
  auto bind = [&](std::string name, Value v, const Node* function = nullptr) {
    vars.push_back(Scope{cur, std::move(name), std::move(v), function});
    cur = &vars.back();
  };
  auto name_of = [&](const Node& a) {
    Value name = a.kind == NodeKind::Keyword ? Value(a.text) : eval(a, scope);
    return name.is_string() ? name.as_string() : python_str(name);
  };
  // A value that is one of yaql's iterators is bound as one (a cursor
  // shared by every read); `y => $x` binds the same iterator, unread.
  auto bind_value = [&](std::string name, const Node& a) {
    if (const Scope* shared = iterator_variable(&a, scope)) {
      bind(std::move(name), shared->value);
      vars.back().cursor = shared->cursor;
      return;
    }
    Value v;
    try {
      v = eval(a, scope);
    } catch (const DeferredError& e) {
      // Python binds the iterator unread; what reads the variable fails.
      const Node* made = value_node(&a);
      ListKind kind = list_kind(made);
      if (kind != ListKind::Iterator && kind != ListKind::Ordering) throw;
      bind(std::move(name), Value(List{}));
      vars.back().cursor =
          std::make_shared<IteratorCursor>(IteratorCursor{List{}, 0, made, kind == ListKind::Iterator, e.what()});
      return;
    }
    ListKind kind = v.is_list() ? list_kind(unwrapped(&a)) : ListKind::Tuple;
    bind(std::move(name), v);
    if (kind == ListKind::Iterator || kind == ListKind::Ordering) {
      const Node* made = value_node(&a);
      bool remembers = made->kind == NodeKind::Binary && made->args.size() == 2 &&
                       made->args[1]->kind == NodeKind::Call &&
                       (made->args[1]->text == "memorize" || made->args[1]->text == "defaultIfEmpty");
      vars.back().cursor = std::make_shared<IteratorCursor>(
          IteratorCursor{v.as_list(), 0, made, kind == ListKind::Iterator && !remembers});
    }
  };
  if (left.kind == NodeKind::Call && (left.text == "let" || left.text == "with")) {
    // let(a, b, name => v): $1, $2... and $name; with(a, b): $1, $2...
    size_t position = 1;
    for (const auto& a : left.args) {
      if (a->kind == NodeKind::MappingRule) {
        if (left.text == "with") no_match("with");
        bind_value(name_of(*a->args[0]), *a->args[1]);
      } else {
        bind_value(std::to_string(position++), *a);
      }
    }
    return eval(*n.args[1], cur);
  }
  if (left.kind == NodeKind::Call && left.text == "def" && left.args.size() == 2 &&
      left.args[0]->kind != NodeKind::MappingRule && left.args[1]->kind != NodeKind::MappingRule) {
    // def(name, body): body runs with $ / $1, $2... bound to the call's
    // arguments; it sees itself, so it may recurse (within the depth and
    // step budget).
    bind(name_of(*left.args[0]), Value(), left.args[1].get());
    ++functions_defined_;
    return eval(*n.args[1], cur);
  }
  if (left.kind == NodeKind::Binary && left.text == "." && left.args[1]->kind == NodeKind::Call &&
      left.args[1]->text == "unpack") {
    // seq.unpack() -> $1, $2...; seq.unpack(a, b) -> $a, $b (as many
    // names as items).
    List items = charged_sequence(budget_, eval(*left.args[0], scope), "unpack");
    const auto& names = left.args[1]->args;
    if (!names.empty() && names.size() != items.size())
      throw EvalError(fmt::format("Cannot unpack {} elements into {}", std::min(items.size(), names.size() + 1),
                                  names.size()));
    for (size_t i = 0; i < items.size(); ++i) {
      if (names.empty()) {
        bind(std::to_string(i + 1), items[i]);
      } else {
        if (names[i]->kind == NodeKind::MappingRule) no_match("unpack");
        Value name = names[i]->kind == NodeKind::Keyword ? Value(names[i]->text) : eval(*names[i], scope);
        if (!name.is_string()) no_match("unpack");
        bind(name.as_string(), items[i]);
      }
    }
    return eval(*n.args[1], cur);
  }
  no_match("#operator_->");
}

// The items of a list or dict literal that Python leaves unread while the
// literal is built (an iterator: `$x`, `$x.take(2)`, `$x.select(f)`), when
// an iterator variable is in scope: the others may use up its items first,
// and these are read after them, in order, when the value is read (as the
// result, or by what reads the literal). Without an iterator variable the
// order changes nothing, and everything is read in order.
std::vector<bool> Evaluator::unread_items(const std::vector<NodePtr>& items, const Scope* scope, bool values) const {
  std::vector<bool> later(items.size(), false);
  bool cursor = false;
  for (const Scope* s = scope; s && !cursor; s = s->parent) cursor = s->cursor != nullptr;
  if (!cursor) return later;
  for (size_t i = 0; i < items.size(); ++i) {
    const Node* item = values ? items[i]->args[1].get() : items[i].get();
    // A chain on an iterator variable (`$x.concat([1])`) is told by its
    // receiver, which has not been read yet: noted as the iterator now.
    const Node* root = unwrapped(item);
    while (root->kind == NodeKind::Binary && (root->text == "." || root->text == "?.") && root->args.size() == 2)
      root = unwrapped(root->args[0].get());
    if (const Scope* var = iterator_variable(root, scope)) note_iterator_variable(root, var->cursor->made_by);
    // What passes a failure through unread is what Python builds without
    // reading (reverse() and groupBy() read at once, a string's join() is
    // no query).
    later[i] = iterator_variable(item, scope) || passes_deferred(item) || holds_unread(item, scope);
  }
  return later;
}

// A value that holds an iterator variable's iterator unread, as Python
// builds it: `$x or y` (the iterator itself when it is true: it always
// is), coalesce(..., $x, ...), `d.set(k, $x)`. What reads the variable
// later in the same literal takes the items first.
bool Evaluator::holds_unread(const Node* item, const Scope* scope) const {
  item = unwrapped(item);
  if (!item) return false;
  if (item->kind == NodeKind::Binary && item->text == "or" && item->args.size() == 2)
    return iterator_variable(item->args[0].get(), scope) != nullptr;
  const Node* call = item->kind == NodeKind::Call ? item
                     : item->kind == NodeKind::Binary && item->text == "." && item->args.size() == 2 &&
                             item->args[1]->kind == NodeKind::Call
                         ? item->args[1].get()
                         : nullptr;
  if (!call || (call->text != "coalesce" && !(call->text == "set" && call != item))) return false;
  return std::any_of(call->args.begin(), call->args.end(), [&](const NodePtr& a) {
    const Node* v = unwrapped(a->kind == NodeKind::MappingRule ? a->args[1].get() : a.get());
    if (v->kind == NodeKind::DictLiteral && call->text == "set")  // d.set({k => $x})
      return std::any_of(v->args.begin(), v->args.end(), [&](const NodePtr& r) {
        return r->kind == NodeKind::MappingRule && iterator_variable(r->args[1].get(), scope) != nullptr;
      });
    return iterator_variable(v, scope) != nullptr;
  });
}

const Scope* Evaluator::iterator_variable(const Node* n, const Scope* scope) const {
  n = unwrapped(n);
  if (!n || n->kind != NodeKind::Variable) return nullptr;
  const Scope* s = lookup_scope(scope, n->text.size() > 1 ? std::string_view(n->text).substr(1) : "$");
  return s && s->cursor ? s : nullptr;
}

Value Evaluator::peek_iterator(const Node* n, const Scope* scope) {
  peeked_.push_back(unwrapped(n));
  struct Restore {
    std::vector<const Node*>& slots;
    ~Restore() { slots.pop_back(); }
  } restore{peeked_};
  return eval(*n, scope);
}

Value Evaluator::eval_keeping_unread(const Node& n, const Scope* scope) {
  struct Restore {
    const Node*& slot;
    const Node* was;
    ~Restore() { slot = was; }
  } restore{keep_unread_, keep_unread_};
  keep_unread_ = &n;
  return eval(n, scope);
}

Value Evaluator::eval_held(const Node& n, const Scope* scope) {
  try {
    return eval(n, scope);
  } catch (const DeferredError& e) {
    auto text = iterator_text(value_node(&n));
    if (!text) throw;
    return unread_iterator(e.what(), *text);
  }
}

Value Evaluator::eval_unread(const Node& n, const Scope* scope) {
  return iterator_variable(&n, scope) ? peek_iterator(&n, scope) : eval(n, scope);
}

namespace {

// The select/map/where/filter calls (one lambda each) n chains, innermost
// first, and what they chain on (n itself when it is no such call).
const Node* stage_chain(const Node* n, std::vector<const Node*>& stages) {
  while (n->kind == NodeKind::Binary && n->text == "." && n->args.size() == 2 && n->args[1]->kind == NodeKind::Call) {
    const Node& st = *n->args[1];
    bool stage = st.text == "select" || st.text == "map" || st.text == "where" || st.text == "filter";
    if (!stage || st.args.size() != 1 || st.args[0]->kind == NodeKind::MappingRule) break;
    stages.push_back(&st);
    n = unwrapped(n->args[0].get());
  }
  std::reverse(stages.begin(), stages.end());
  return n;
}

}  // namespace

std::optional<Value> Evaluator::partial_read(const Node& n, const Scope* scope) {
  // `v in $x`, `$x.f(args)` or the function form `f($x, args)`; `$x` may
  // also be a chain of select()/where() stages, on an iterator variable or
  // on any collection (`3 in $.l.where(...).select(...)`): Python's map and
  // filter give their items one at a time, so only as many are made (and
  // only those can fail) as the loop reads.
  bool in = n.kind == NodeKind::Binary && n.text == "in";
  bool function = n.kind == NodeKind::Call;
  if (function && n.args.empty()) return std::nullopt;
  std::vector<const Node*> stages;
  const Node* var = stage_chain(unwrapped(in ? n.args[1].get() : n.args[0].get()), stages);
  const Scope* iterator = iterator_variable(var, scope);
  if (!iterator && (stages.empty() || functions_defined_)) return std::nullopt;
  if (!stages.empty() && functions_defined_) return std::nullopt;
  const Node* call = in ? nullptr : function ? &n : n.args[1].get();
  const std::string f = in ? "in" : call->text;
  std::vector<const Node*> fargs;
  if (call)
    for (size_t i = function ? 1 : 0; i < call->args.size(); ++i) fargs.push_back(call->args[i].get());
  if (!in) {
    if (f != "contains" && f != "indexOf" && f != "any" && f != "all") return std::nullopt;
    size_t wanted = f == "any" || f == "all" ? 0 : 1;  // any() and all() take an optional predicate
    if (fargs.size() > 1 || fargs.size() < wanted || (!fargs.empty() && fargs[0]->kind == NodeKind::MappingRule))
      return std::nullopt;
  }
  // Python evaluates the value looked for (or makes the predicate) before
  // its loop reads the iterator; that value may itself read the variable.
  Value needle;
  if (in) needle = eval(*n.args[0], scope);
  else if (f == "contains" || f == "indexOf") needle = eval(*fargs[0], scope);
  IteratorCursor* c = iterator ? iterator->cursor.get() : nullptr;
  Value source = iterator ? peek_iterator(var, scope) : eval(*var, scope);
  if (!iterator && !source.is_list() && !is_lazy(source)) return std::nullopt;
  if (needle.is_list() || needle.is_dict()) budget_.check_value(needle);
  size_t read = 0, index = 0;
  std::optional<bool> found;
  // A consumable iterator is pulled one item at a time: a predicate that
  // reads the variable again takes what is left of it (`$x.all($x.len() >
  // 0)` tests one item).
  const bool live = c && c->consumable && !c->failure;
  const bool infinite = is_lazy(source);
  const List empty;
  const List& rest = live || infinite ? empty : source.as_list();
  for (size_t pos = 0; live ? c->taken < c->items.size() : infinite || pos < rest.size(); ++pos) {
    Value x = live ? c->items[c->taken] : infinite ? lazy_item(source, static_cast<int64_t>(pos)) : rest[pos];
    if (live) c->take(1);
    budget_.step();
    ++read;
    if (!through_stages(stages, x, scope)) continue;
    ++index;
    bool hit;
    if (f == "any" || f == "all") {
      Value r = x;
      const Node* lambda = fargs.empty() ? nullptr : fargs[0];
      if (lambda) {
        Scope s1{scope, "$", x};
        Scope s2{&s1, "1", x};
        r = eval(*lambda, &s2);
      }
      // any() without a predicate is true at the first item, whatever it
      // is; all() without one tests each item's truth.
      bool truth = (f == "any" && !lambda) || truthy_as_written(lambda, r);
      hit = f == "any" ? truth : !truth;
    } else {
      hit = py_equal(x, needle);
    }
    if (hit) {
      found = true;
      break;
    }
  }
  if (c && !live) c->take(read);
  bool hit = found.value_or(false);
  if (f == "indexOf") return Value(hit ? static_cast<int64_t>(index) - 1 : int64_t{-1});
  if (f == "all") return Value(!hit);
  return Value(hit);
}

// x through the stages (select's lambda maps it, where's keeps it or not):
// false when a where() drops it.
bool Evaluator::through_stages(const std::vector<const Node*>& stages, Value& x, const Scope* scope) {
  for (const Node* st : stages) {
    Scope s1{scope, "$", x};
    Scope s2{&s1, "1", x};
    const Node* lambda = st->args[0].get();
    Value r = eval_held(*lambda, &s2);  // an iterator failing unread is held (as Call::apply)
    if (st->text == "select" || st->text == "map") x = std::move(r);
    else if (!truthy_as_written(lambda, r)) return false;
  }
  return true;
}

// `$x.select(f).where(g)` on an iterator variable: Python's map and
// filter pull one item at a time from the one iterator, so a lambda that
// reads the variable again takes what is left of it, and the stages stop
// there (`let(x => $.l.select($)) -> $x.select($x.len())` is one item:
// the rest's length). The items are pulled from the cursor as they go.
std::optional<Value> Evaluator::streamed_stages(const Node& n, const Scope* scope) {
  std::vector<const Node*> stages;
  const Node* cur = stage_chain(&n, stages);
  if (cur == &n) return std::nullopt;  // no stage
  const Scope* iterator = iterator_variable(cur, scope);
  if (!iterator || !iterator->cursor->consumable || functions_defined_) return std::nullopt;
  IteratorCursor& c = *iterator->cursor;
  note_iterator_variable(cur, c.made_by);
  if (c.failure) throw DeferredError(*c.failure);
  List out;
  try {
    while (c.taken < c.items.size()) {
      budget_.step();
      Value x = c.items[c.taken];
      c.take(1);
      if (through_stages(stages, x, scope)) push_charged(budget_, out, std::move(x));
    }
  } catch (const DeferredError&) {
    throw;
  } catch (const EvalError& e) {
    throw DeferredError(e.what());  // met when the query is read, as yaql's
  }
  return Value(std::move(out));
}

// `$x.groupBy(k, v, agg)` (also over select()/where() stages) on an
// iterator variable: yaql's loop pulls one item at a time from the one
// iterator and runs the value and key lambdas on it before the next, so a
// lambda that reads the variable again takes what is left of it
// (`let(x => $.l.select($)) -> $x.groupBy($x.len())` is one group of the
// first item, keyed by the rest's length). groupBy is given the items
// through Call::pull.
std::optional<Value> Evaluator::streamed_group_by(const Node& n, const Scope* scope) {
  const Node& call = *n.args[1];
  if (n.text != "." || call.text != "groupBy" || functions_defined_) return std::nullopt;
  std::vector<const Node*> stages;
  const Node* cur = stage_chain(unwrapped(n.args[0].get()), stages);
  const Scope* iterator = iterator_variable(cur, scope);
  if (!iterator || !iterator->cursor->consumable || iterator->cursor->failure) return std::nullopt;
  std::shared_ptr<IteratorCursor> cursor = iterator->cursor;
  note_iterator_variable(cur, cursor->made_by);
  next_pull_ = [this, cursor, stages, scope](Value& x) {
    IteratorCursor& c = *cursor;
    while (c.taken < c.items.size()) {
      budget_.step();
      x = c.items[c.taken];
      c.take(1);
      if (through_stages(stages, x, scope)) return true;
    }
    return false;
  };
  return call_function(call.text, Value(List{}), call.args, scope, n.args[0].get(), &call);
}

// `source.select(f).where(g).take(n)` (and limit, first, takeWhile): when
// the source is an infinite sequence, its items are made and passed
// through the stages one at a time until the bound is reached, as yaql's
// iterators do; any other source runs the calls as usual.
std::optional<Value> Evaluator::lazy_pipeline(const Node& n, const Scope* scope) {
  const Node& last = *n.args[1];
  const std::string& bound = last.text;
  if (bound != "take" && bound != "limit" && bound != "first" && bound != "takeWhile" && bound != "any")
    return std::nullopt;
  if (bound == "any" && !last.args.empty()) return std::nullopt;
  std::vector<const Node*> stages;  // the `.select(f)` nodes, outermost first
  const Node* cur = n.args[0].get();
  // skip(n) is a stage only over an iterator variable (what it passes over
  // is used up); elsewhere the walk stops at the outermost one, as before.
  std::optional<size_t> outer_skip;
  while (cur->kind == NodeKind::Binary && cur->text == "." && cur->args[1]->kind == NodeKind::Call) {
    const Node& call = *cur->args[1];
    bool stage = call.text == "select" || call.text == "map" || call.text == "where" || call.text == "filter" ||
                 call.text == "skip";
    if (!stage || call.args.size() != 1 || call.args[0]->kind == NodeKind::MappingRule) break;
    if (call.text == "skip" && !outer_skip) outer_skip = stages.size();
    stages.push_back(cur);
    cur = cur->args[0].get();
  }
  const Scope* iterator = iterator_variable(cur, scope);
  if (outer_skip && !iterator) {
    cur = stages[*outer_skip];
    stages.resize(*outer_skip);
  }
  if (stages.empty() && !iterator) return std::nullopt;
  std::reverse(stages.begin(), stages.end());
  Value source;
  try {
    source = iterator ? peek_iterator(cur, scope) : eval(*cur, scope);
  } catch (const DeferredError&) {
    // take(0) reads nothing, through the stages either.
    if (takes_nothing(last, scope)) return Value(List{});
    if (auto first = accumulated_first(cur, stages, last, scope)) return *first;
    for (const Node* st : stages) eager_arguments(*st->args[1], scope);
    eager_arguments(last, scope);
    throw;
  }
  // How many of the iterator variable's items this read takes (all of
  // them, unless it stops early below).
  size_t pulled = source.is_list() ? source.size() : 0;
  struct Taken {
    const Scope* iterator;
    size_t& pulled;
    ~Taken() {
      if (iterator) iterator->cursor->take(pulled);
    }
  } taken{iterator, pulled};
  // A list is read as yaql's iterators read it too: item by item through
  // the stages, only as far as the bound reads (`$.vms.where(...).first()`
  // never runs the filter on the items after the first that passes).
  bool keywords = std::any_of(last.args.begin(), last.args.end(),
                              [](const NodePtr& a) { return a->kind == NodeKind::MappingRule; });
  bool finite = source.is_list() && (!functions_defined_ || stages.empty()) && !keywords && (bound != "first" || last.args.size() <= 1);
  if (!is_lazy(source) && !finite) {
    // The usual calls, each on the value of the one before.
    Value v = std::move(source);
    try {
      for (const Node* st : stages)
        v = call_function(st->args[1]->text, v, st->args[1]->args, scope, st->args[0].get(), st->args[1].get());
    } catch (const DeferredError&) {
      if (takes_nothing(last, scope)) return Value(List{});
      throw;
    }
    return call_function(bound, v, last.args, scope, n.args[0].get(), &last);
  }
  std::vector<int64_t> skip_left(stages.size(), 0);
  for (size_t k = 0; k < stages.size(); ++k)
    if (stages[k]->args[1]->text == "skip")
      skip_left[k] = islice_count(eval(*stages[k]->args[1]->args[0], scope), "skip");
  auto run_stages = [&](Value x) -> std::optional<Value> {
    for (size_t k = 0; k < stages.size(); ++k) {
      const Node* st = stages[k];
      if (st->args[1]->text == "skip") {
        if (skip_left[k] == 0) continue;
        --skip_left[k];
        return std::nullopt;
      }
      Scope s1{scope, "$", x};
      Scope s2{&s1, "1", x};
      const Node* lambda = st->args[1]->args[0].get();
      Value r = eval_held(*lambda, &s2);  // an iterator failing unread is held (as Call::apply)
      const std::string& name = st->args[1]->text;
      if (name == "select" || name == "map") x = std::move(r);
      else if (!truthy_as_written(lambda, r)) return std::nullopt;
    }
    return x;
  };
  int64_t wanted = 1;
  if (bound == "take" || bound == "limit") {
    if (last.args.size() != 1) no_match(bound);
    Value count = eval(*last.args[0], scope);
    wanted = islice_count(count, bound);
    // The list asked for is charged before anything is made, as take() of
    // a plain infinite sequence is: take(10**9) fails at once.
    uint64_t most = finite ? std::min<uint64_t>(static_cast<uint64_t>(wanted), source.size()) : wanted;
    budget_.bytes(EvalBudget::times(most, sizeof(Value)));
  } else if (bound == "takeWhile" && last.args.size() != 1) {
    no_match(bound);
  }
  // What take(), limit() and takeWhile() give is an iterator too: what
  // fails in an item fails when it is read.
  bool unread = bound == "take" || bound == "limit" || bound == "takeWhile";
  const int64_t size = finite ? static_cast<int64_t>(source.size()) : -1;
  List out;
  // Each item made is a step: a filter that never holds ends with the
  // step budget.
  try {
    pulled = 0;
    for (int64_t i = 0; (bound == "takeWhile" || static_cast<int64_t>(out.size()) < wanted) && i != size; ++i) {
      budget_.step();
      ++pulled;
      auto x = run_stages(finite ? source[static_cast<size_t>(i)] : lazy_item(source, i));
      if (!x) continue;
      if (bound == "takeWhile") {
        Scope s1{scope, "$", *x};
        Scope s2{&s1, "1", *x};
        if (!truthy_as_written(last.args[0].get(), eval(*last.args[0], &s2))) break;
      }
      push_charged(budget_, out, std::move(*x));
    }
  } catch (const EvalError& e) {
    // first(default) evaluated its default before it read anything.
    if (bound == "first") eager_arguments(last, scope);
    if (dynamic_cast<const DeferredError*>(&e)) throw;
    if (unread) throw DeferredError(e.what());
    throw;
  }
  if (bound == "any") return Value(!out.empty());
  if (bound == "first") {
    if (!out.empty()) return out.front();
    // Nothing passed: first()'s default, or its error.
    return call_function(bound, Value(List{}), last.args, scope, n.args[0].get(), &last);
  }
  return Value(std::move(out));
}

void Evaluator::eager_arguments(const Node& call, const Scope* scope) {
  if (call.kind != NodeKind::Call || call.args.empty() || functions_defined_) return;
  Overloads overloads = call.overloads.empty() ? find_overloads(call.text) : call.overloads;
  if (overloads.empty()) return;
  for (size_t i = 0; i < call.args.size(); ++i) {
    const Node* a = call.args[i].get();
    if (a->kind == NodeKind::MappingRule) continue;  // by name: left to the function
    // A value in every method overload that takes it (position i + 1:
    // the receiver is the first).
    bool eager = true, any = false;
    for (const SignatureOverload* o = overloads.begin; o != overloads.end; ++o) {
      if (o->form == CallForm::Function) continue;
      size_t at = i + 1;
      const SignatureParameter* p = nullptr;
      if (at < o->positional) p = &kSignatureParameters[o->first + at];
      else if (o->varargs) p = &kSignatureParameters[o->first + o->positional];
      if (!p) continue;
      any = true;
      if (p->type == ParamType::Lambda || p->type == ParamType::MethodLambda || p->type == ParamType::MappingRule ||
          p->type == ParamType::Expression || p->type == ParamType::Keyword || p->type == ParamType::StringConstant)
        eager = false;
    }
    if (!any || !eager) continue;
    try {
      eval_unread(*a, scope);  // an iterator variable is given, not read
    } catch (const DeferredError&) {
      // an iterator argument whose items fail is not read here either
    }
  }
}

// `x.accumulate(f, init).first()` (and take(n), limit(n), any()) when
// the accumulation fails further on: Python's generator gives its first
// items (the initial value, then each f($1, $2)) as they are asked for.
std::optional<Value> Evaluator::accumulated_first(const Node* cur, const std::vector<const Node*>& stages,
                                                   const Node& last, const Scope* scope) {
  const Node* acc = value_node(cur);
  // select() and where() stages run on each item as it is made.
  std::vector<const Node*> calls;
  for (const Node* st : stages) {
    const Node* call = st->kind == NodeKind::Binary ? st->args[1].get() : st;
    if (call->text == "skip") return std::nullopt;
    calls.push_back(call);
  }
  if (functions_defined_ || acc->kind != NodeKind::Binary || acc->text != "." ||
      acc->args.size() != 2 || acc->args[1]->kind != NodeKind::Call || acc->args[1]->text != "accumulate")
    return std::nullopt;
  if (last.kind != NodeKind::Call || (last.text != "any" && last.text != "first" && last.text != "take" &&
                                      last.text != "limit" && last.text != "takeWhile"))
    return std::nullopt;
  // takeWhile(predicate) asks for items until the predicate is false.
  const bool take_while = last.text == "takeWhile";
  if (take_while && last.args.size() != 1) return std::nullopt;
  const Node& call = *acc->args[1];
  if (call.args.empty() || call.args.size() > 2 ||
      std::any_of(call.args.begin(), call.args.end(), [](const NodePtr& a) { return a->kind == NodeKind::MappingRule; }))
    return std::nullopt;
  if (last.args.size() > (last.text == "any" ? 0u : 1u) ||
      std::any_of(last.args.begin(), last.args.end(), [](const NodePtr& a) { return a->kind == NodeKind::MappingRule; }))
    return std::nullopt;
  int64_t wanted = take_while ? std::numeric_limits<int64_t>::max() : 1;
  if (last.text == "take" || last.text == "limit") {
    if (last.args.size() != 1) return std::nullopt;
    wanted = islice_count(eval(*last.args[0], scope), last.text);
  }
  Value items = eval(*acc->args[0], scope);  // a failure of the collection's own is the reader's
  if (!items.is_list() || iterator_variable(acc->args[0].get(), scope)) return std::nullopt;
  std::optional<Value> initial;
  if (call.args.size() == 2) initial = eval(*call.args[1], scope);
  const List& xs = items.as_list();
  size_t next = 0;
  List out;
  if (!initial) {
    if (xs.empty()) return std::nullopt;  // accumulate()'s own TypeError
    initial = xs[next++];
  }
  bool stopped = false;  // takeWhile's predicate was false
  try {
    auto give = [&](Value x) {
      if (!through_stages(calls, x, scope)) return;
      if (take_while) {
        Scope s1{scope, "$", x};
        Scope s2{&s1, "1", x};
        const Node* predicate = last.args[0].get();
        if (!truthy_as_written(predicate, eval_held(*predicate, &s2))) {
          stopped = true;
          return;
        }
      }
      out.push_back(std::move(x));
    };
    if (wanted > 0) give(*initial);
    while (!stopped && static_cast<int64_t>(out.size()) < wanted) {
      if (next == xs.size()) return std::nullopt;  // all made: the usual calls
      budget_.step();
      Scope s1{scope, "$", *initial};
      Scope s2{&s1, "1", *initial};
      Scope s3{&s2, "2", xs[next++]};
      initial = eval(*call.args[0], &s3);
      give(*initial);
    }
  } catch (const DeferredError&) {
    throw;
  } catch (const EvalError& e) {
    throw DeferredError(e.what());
  }
  if (last.text == "any") return Value(!out.empty());
  if (last.text == "first") {
    if (!out.empty()) return out.front();
    return std::nullopt;
  }
  return Value(std::move(out));
}

// `.take(0)` (or limit(0)): itertools.islice reads nothing of its
// iterator, so the failure of an item never happens.
bool Evaluator::takes_nothing(const Node& call, const Scope* scope) {
  // take(0), limit(0), and slice(0), whose first islice(collection, 0) is
  // empty: it stops there.
  if (call.kind != NodeKind::Call || (call.text != "take" && call.text != "limit" && call.text != "slice") ||
      call.args.size() != 1 || call.args[0]->kind == NodeKind::MappingRule)
    return false;
  auto count = python_int_value(eval(*call.args[0], scope));
  return count && *count == 0;
}

// A function made by def(), called with evaluated arguments.
std::optional<Value> Evaluator::call_defined(const std::string& name, const Call& c) {
  // def() registers a function, never a method: `x.f()` is the library's
  // method or unknown.
  if (!functions_defined_ || c.receiver) return std::nullopt;
  const Scope* def = c.scope;
  while (def && !(def->function && def->name == name)) def = def->parent;
  if (!def) return std::nullopt;
  std::deque<Scope> vars;
  const Scope* cur = def;
  for (size_t i = 0; i < c.count(); ++i) {
    Value v = c.arg(i);
    if (i == 0) {
      vars.push_back(Scope{cur, "$", v});
      cur = &vars.back();
    }
    vars.push_back(Scope{cur, std::to_string(i + 1), std::move(v)});
    cur = &vars.back();
  }
  for (const auto& [k, node] : c.kwargs) {
    vars.push_back(Scope{cur, k, eval(*node, c.scope)});
    cur = &vars.back();
  }
  return eval(*def->function, cur);
}

// `coll.orderBy(f).thenBy(g).thenByDescending(h)`: yaql's ordered
// iterables remember their keys; here the chain is read off the syntax
// tree and the collection sorted once by every key, in order.
std::optional<Value> Evaluator::ordering_chain(const Node& n, const Scope* scope) {
  std::vector<std::pair<const Node*, bool>> keys;  // selector (null: the item), descending
  const Node* cur = &n;
  const Node* base = nullptr;
  while (cur->kind == NodeKind::Binary && cur->text == "." && cur->args[1]->kind == NodeKind::Call) {
    const Node& call = *cur->args[1];
    const std::string& name = call.text;
    bool order = name == "orderBy" || name == "orderByDescending";
    if (!order && name != "thenBy" && name != "thenByDescending") return std::nullopt;
    if (call.args.size() > 1) return std::nullopt;
    keys.emplace_back(call.args.empty() ? nullptr : call.args[0].get(), name.find("Descending") != std::string::npos);
    cur = cur->args[0].get();
    if (order) {
      base = cur;
      break;
    }
  }
  if (!base) return std::nullopt;
  std::reverse(keys.begin(), keys.end());
  List items = charged_sequence(budget_, eval(*base, scope), "orderBy");
  charge_sort(budget_, items.size() * keys.size());
  // yaql's OrderingIterable computes keys as Python's sort compares two
  // items, a level's only when they tie on every level before: an item's
  // key at a level is computed when another item ties with it on all the
  // levels before (sort order puts them side by side, and a sort compares
  // every pair of neighbours), and no key at all with fewer than two items
  // (`orderBy($.n).thenBy(-$)` over distinct n never negates a dict).
  size_t count = items.size();
  std::vector<std::vector<Value>> key(count, std::vector<Value>(keys.size()));
  std::vector<size_t> order(count);
  for (size_t i = 0; i < count; ++i) order[i] = i;
  auto compare = [&](size_t a, size_t b, size_t levels) {
    for (size_t i = 0; i < levels; ++i) {
      int cmp = yaql_order(key[a][i], key[b][i], "<");
      if (cmp != 0) return keys[i].second ? -cmp : cmp;
    }
    return 0;
  };
  auto compute = [&](size_t item, size_t level) {
    Scope s{scope, "$", items[item]};
    key[item][level] = keys[level].first ? eval(*keys[level].first, &s) : items[item];
  };
  if (count >= 2) {
    for (size_t level = 0; level < keys.size(); ++level) {
      if (level == 0) {
        for (size_t i = 0; i < count; ++i) compute(i, 0);
        continue;
      }
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return compare(a, b, level) < 0; });
      std::vector<bool> tied(count);
      for (size_t j = 1; j < count; ++j)
        if (compare(order[j - 1], order[j], level) == 0) tied[order[j - 1]] = tied[order[j]] = true;
      for (size_t i = 0; i < count; ++i)
        if (tied[i]) compute(i, level);
    }
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return compare(a, b, keys.size()) < 0; });
  }
  List out;
  for (size_t i : order) out.push_back(std::move(items[i]));
  return Value(std::move(out));
}

Value Evaluator::member(const Value& receiver, const Node& right, const Scope* scope, bool null_safe,
                        const Node* receiver_node) {
  if (null_safe && receiver.is_null()) return Value();
  if (right.kind == NodeKind::Keyword) {
    if (auto property = date_time_property(receiver, right.text)) return *property;
    // A datetime.date is no datetime: yaql's datetime properties do not
    // take it.
    if (is_date(receiver) && date_time_property(make_datetime(0, 0), right.text))
      throw EvalError(fmt::format("No function \"#property#{}\" matches supplied arguments", right.text));
    if (receiver.is_dict()) {
      if (const Value* v = receiver.find(right.text)) return *v;
      throw EvalError(python_repr(Value(right.text)));  // Python's KeyError text: 'missing'
    }
    if (receiver.is_list()) {
      // yaql's collection attribution: `$.servers.name` is the name of each
      // server (and `$.a.b.c` maps through nested lists), as production
      // workbooks use it; an item that has no such key fails as the dict
      // case does.
      // It is a map object: what fails for an item fails when it is read.
      budget_.items(receiver.as_list().size());
      note_mapped_attribute(&right);
      List out;
      out.reserve(receiver.as_list().size());
      try {
        for (const auto& item : receiver.as_list()) out.push_back(member(item, right, scope, false, nullptr));
      } catch (const DeferredError&) {
        throw;
      } catch (const EvalError& e) {
        throw DeferredError(e.what());
      }
      return Value(std::move(out));
    }
    throw EvalError(fmt::format("Unknown function \"#property#{}\"", right.text));
  }
  if (right.kind == NodeKind::Call)
    return call_function(right.text, receiver, right.args, scope, receiver_node, &right);
  // yaql's `#operator_.` takes a name (a property) or a function call (a
  // method); `x.(expr)`, `x.'key'`, `x.1` match none of its overloads.
  no_match("#operator_.");
}

// How many items a list or dict literal holds, without reading them: an
// iterator inside one whose items fail is only an object to len().
// The items are made again (Python made each, and an item that fails at
// once still fails), each unread iterator left as it is.
std::optional<Value> Evaluator::literal_size(const Node& n, const Scope* scope) {
  const Node* lit = unwrapped(&n);
  if (lit->kind != NodeKind::ListLiteral && lit->kind != NodeKind::DictLiteral) return std::nullopt;
  auto made = [&](const Node& item) {
    try {
      eval(item, scope);
    } catch (const DeferredError&) {
    }
  };
  if (lit->kind == NodeKind::ListLiteral) {
    for (const auto& a : lit->args) made(*a);
    return Value(static_cast<int64_t>(lit->args.size()));
  }
  std::set<std::string> keys;
  for (const auto& a : lit->args) {
    if (a->kind != NodeKind::MappingRule) return std::nullopt;
    keys.insert(dict_key(budget_, eval(*a->args[0], scope)));
    made(*a->args[1]);
  }
  return Value(static_cast<int64_t>(keys.size()));
}

Value Evaluator::index(const Node& n, const Scope* scope) {
  Value target;
  try {
    target = eval(*n.args[0], scope);
  } catch (const DeferredError&) {
    // `[failing_iterator, 2][1]`: a tuple's item is taken without reading
    // the others.
    const Node* lit = unwrapped(n.args[0].get());
    if (n.args.size() != 2 || lit->kind != NodeKind::ListLiteral) throw;
    Value key = eval(*n.args[1], scope);
    if (!key.is_int()) no_match("#indexer");
    int64_t i = key.as_int(), size = static_cast<int64_t>(lit->args.size());
    if (i < 0) i += size;
    for (int64_t k = 0; k < size; ++k) {
      if (k == i) continue;
      try {
        eval(*lit->args[static_cast<size_t>(k)], scope);
      } catch (const DeferredError&) {
      }
    }
    if (i < 0 || i >= size) throw EvalError("tuple index out of range");
    return eval(*lit->args[static_cast<size_t>(i)], scope);
  }
  if (is_set(target) || is_lazy(target)) no_match("#indexer");
  if (n.args.size() == 3 && target.is_dict()) {
    // dict[key, default]
    Value key = eval(*n.args[1], scope);
    if (const Value* v = target.find(equal_key(target.as_dict(), dict_key(budget_, key)))) return *v;
    return eval(*n.args[2], scope);
  }
  if (n.args.size() != 2) no_match("#indexer");
  const Node& idx = *n.args[1];
  if (target.is_dict()) {
    Value key = eval(idx, scope);
    if (const Value* v = target.find(equal_key(target.as_dict(), dict_key(budget_, key)))) return *v;
    budget_.check_value(key);  // printed in the message (Python's KeyError)
    throw EvalError(python_repr(key));
  }
  // yaql's #indexer takes a sequence or a mapping: not a string ('abc'[0]
  // is refused).
  if (target.is_list()) {
    ListKind kind = list_kind(n.args[0].get());
    if (kind != ListKind::Tuple && kind != ListKind::PythonList) no_match("#indexer");  // an iterator, a view
    Value key = eval(idx, scope);
    if (!key.is_int()) no_match("#indexer");
    const List& items = target.as_list();
    int64_t i = key.as_int(), size = static_cast<int64_t>(items.size());
    if (i < 0) i += size;
    if (i < 0 || i >= size)
      throw EvalError(kind == ListKind::PythonList || target.is_python_list() ? "list index out of range"
                                                                             : "tuple index out of range");
    return items[static_cast<size_t>(i)];
  }
  no_match("#indexer");
}

Value Evaluator::call_function(const std::string& name, std::optional<Value> receiver,
                               const std::vector<NodePtr>& args, const Scope* scope, const Node* receiver_node,
                               const Node* call_node) {
  // An unread iterator whose items fail is read by what it is given to.
  if (receiver && receiver->is_dict() && is_unread_iterator(*receiver) && !holds_unread_argument(name))
    throw EvalError(unread_error(*receiver));
  // Python's zip stops at the first collection that ends: zipped onto an
  // empty one, a query whose items fail is never read.
  if (name == "zip" && receiver && receiver->is_list() && receiver->as_list().empty() && !args.empty() &&
      std::none_of(args.begin(), args.end(), [](const NodePtr& a) { return a->kind == NodeKind::MappingRule; })) {
    bool all_collections = true;
    for (const auto& a : args) {
      try {
        Value v = eval(*a, scope);
        all_collections = all_collections && (v.is_list() || is_set(v));
      } catch (const DeferredError&) {
        if (!iterator_text(value_node(a.get()))) throw;
      }
    }
    if (all_collections) return Value(List{});
  }
  Call c{*this, scope, name, std::move(receiver), {}, {}, {}};
  c.receiver_node = receiver_node;
  c.pull = std::move(next_pull_);
  next_pull_ = nullptr;
  for (const auto& a : args) {
    if (a->kind == NodeKind::MappingRule) {
      c.rules.push_back(a.get());
      if (name == "switch") continue;
      Value key = a->args[0]->kind == NodeKind::Keyword ? Value(a->args[0]->text) : eval(*a->args[0], scope);
      c.kwargs.emplace_back(dict_key(budget_, key), a->args[1].get());
    } else {
      c.args.push_back(a.get());
    }
  }
  if (functions_defined_ && !c.receiver && call_node && call_node->kind == NodeKind::Call) {
    // What a def() function returns is what its body gives, as written
    // (an iterator, a view...): the call is noted as made by the body.
    const Scope* def = scope;
    while (def && !(def->function && def->name == name)) def = def->parent;
    if (def) note_iterator_variable(call_node, value_node(def->function));
  }
  if (auto defined = call_defined(name, c)) return charge_result(budget_, std::move(*defined));
  // A call outside yaql's signatures of the name is refused as yaql
  // refuses it (a name yaql does not have is Bora's, and not checked).
  Overloads overloads = call_node ? call_node->overloads : find_overloads(name);
  const auto& lib = library();
  try {
    if (name == "dict" && c.args.empty() && !c.kwargs.empty() && !c.receiver) {
      // dict(k => v, ...) keeps its values as they are: an unread
      // iterator among them is read after the others (as in a literal).
      std::vector<bool> later = unread_items(args, scope, true);
      for (int pass = 0; pass < 2; ++pass)
        for (size_t i = 0; i < args.size(); ++i)
          if (args[i]->kind == NodeKind::MappingRule && later[i] == (pass == 1))
            c.evaluated.emplace_back(args[i]->args[1].get(), eval_held(*args[i]->args[1], scope));
    }
    if (!overloads.empty()) check_signature(overloads, c, args);
    if (auto it = lib.find(name); it != lib.end()) {
      Value result = it->second(c);
      return c.result_charged ? result : charge_result(budget_, std::move(result));
    }
  } catch (const DeferredError&) {
    // str(), format() and the type tests of an iterator whose items fail
    // do not read it: the call runs again with that iterator as an empty
    // list (they look at how it was written, not at its items).
    static const std::set<std::string, std::less<>> unread = {
        "str", "format", "isList", "isString", "isDict", "isNumber", "isInteger", "isBoolean", "isSet",
        "isIterable", "isRegex", "isDatetime", "isTimespan"};
    auto it = lib.find(name);
    // Mistral's json writes a generator as its str(), unread: the
    // arguments are made again below, such a failure left as the text.
    bool json = (name == "json_dump" || name == "json_pp") && ctx_.functions && ctx_.functions->find(name);
    if (!json && (!unread.count(name) || it == lib.end())) throw;
    c.evaluated.clear();
    if (json) goto host;
    auto unread_value = [&](const Node* a) {
      try {
        return eval(*a, scope);
      } catch (const DeferredError&) {
        const Node* n = a;
        n = value_node(n);
        // Out of `x.name`, such a failure means a map over a collection.
        if (n->kind == NodeKind::Binary && n->args.size() == 2 && n->args[1]->kind == NodeKind::Keyword)
          note_mapped_attribute(n->args[1].get());
        // The type tests of a literal holding such an iterator look at
        // the literal only.
        if (name != "str" && name != "format") {
          if (n->kind == NodeKind::ListLiteral) return Value(List{});
          if (n->kind == NodeKind::DictLiteral) return Value(Dict{});
        }
        if (!iterator_text(a)) throw;
        return Value(List{});
      }
    };
    for (const Node* a : c.args) c.evaluated.emplace_back(a, unread_value(a));
    for (const auto& [k, a] : c.kwargs) c.evaluated.emplace_back(a, unread_value(a));
    Value result = it->second(c);
    return c.result_charged ? result : charge_result(budget_, std::move(result));
  }
host:
  if (ctx_.functions) {
    if (const HostFunction* host = ctx_.functions->find(name)) {
      std::vector<Value> values;
      if (c.receiver) values.push_back(*c.receiver);
      for (const Node* a : c.args) {
        try {
          values.push_back(c.value_of(a));
        } catch (const DeferredError&) {
          // A generator whose items fail, given to json_dump or json_pp:
          // written as its str(), never read.
          // Any iterator whose reading is a TypeError: oslo's writer gives
          // up on it and writes its str().
          auto text = name == "json_dump" || name == "json_pp" ? iterator_text(value_node(a)) : std::nullopt;
          if (!text) throw;
          try {
            throw;
          } catch (const DeferredError& e) {
            if (text->rfind("<generator", 0) != 0 && !python_type_error(e.what())) throw;
          }
          values.emplace_back(*text);
        }
      }
      // A set reaches a host function (json_dump...) as the list Mistral's
      // functions are given.
      if (name == "json_dump" || name == "json_pp") {
        // Mistral's json writes a generator as its str() (other iterators
        // as their items).
        std::vector<const Node*> written;
        if (c.receiver) written.push_back(c.receiver_node);
        written.insert(written.end(), c.args.begin(), c.args.end());
        for (size_t i = 0; i < written.size() && i < values.size(); ++i) values[i] = generators_as_text(written[i], values[i]);
      }
      if (name == "yaml_dump") {
        // Nor for an iterator (yaql's queries give them).
        std::vector<const Node*> written;
        if (c.receiver) written.push_back(c.receiver_node);
        written.insert(written.end(), c.args.begin(), c.args.end());
        // The first such object, alone or in a list or dict literal (a
        // dict's view too).
        std::function<std::optional<std::string>(const Node*, const Value&)> object = [&](const Node* n,
                                                                                           const Value& v)
            -> std::optional<std::string> {
          if (!n || !(v.is_list() || v.is_dict())) return std::nullopt;
          n = value_node(n);
          if (v.is_list()) {
            if (auto text = object_text(n, v)) return text;
            ListKind kind = list_kind(n);
            if (kind == ListKind::SetView || kind == ListKind::View) return view_text(c, n, v);
          }
          if (n->kind == NodeKind::ListLiteral && v.is_list() && v.size() == n->args.size())
            for (size_t i = 0; i < n->args.size(); ++i)
              if (auto text = object(n->args[i].get(), v[i])) return text;
          // A dict literal's values, found by their keys (a dict set() or
          // delete() made from it holds them too).
          auto key_of = [](const Node* k) -> std::optional<std::string> {
            k = value_node(k);
            if (k->kind == NodeKind::Keyword) return k->text;
            if (k->kind == NodeKind::Constant) return dict_key(k->value);
            return std::nullopt;
          };
          if (n->kind == NodeKind::DictLiteral && v.is_dict())
            for (const auto& rule : n->args)
              if (rule->kind == NodeKind::MappingRule)
                if (auto k = key_of(rule->args[0].get()))
                  if (const Value* x = v.find(*k))
                    if (auto text = object(rule->args[1].get(), *x)) return text;
          if (n->kind == NodeKind::Binary && n->text == "." && n->args.size() == 2 &&
              n->args[1]->kind == NodeKind::Call && v.is_dict()) {
            const Node& call = *n->args[1];
            if (call.text == "set" && call.args.size() == 2 && call.args[0]->kind != NodeKind::MappingRule)
              if (auto k = key_of(call.args[0].get()))
                if (const Value* x = v.find(*k))
                  if (auto text = object(call.args[1].get(), *x)) return text;
            // mergeWith keeps the value `another` gives for a key (its
            // itemMerger's default, and an iterator is no sequence for its
            // listMerger) unless both are dicts: look there first.
            if (call.text == "mergeWith" && !call.args.empty() && call.args[0]->kind != NodeKind::MappingRule)
              if (auto text = object(call.args[0].get(), v)) return text;
            if (call.text == "set" || call.text == "delete" || call.text == "deleteAll" || call.text == "mergeWith")
              return object(n->args[0].get(), v);
          }
          return std::nullopt;
        };
        for (size_t i = 0; i < written.size() && i < values.size(); ++i)
          if (auto text = object(written[i], values[i])) throw EvalError("('cannot represent an object', " + *text + ")");
      }
      // PyYAML's safe_dump has no representer for a frozenset, at any depth.
      std::function<void(const Value&)> no_set = [&](const Value& v) {
        if (is_set(v)) throw EvalError("('cannot represent an object', " + set_text(v).value_or("frozenset()") + ")");
        if (v.is_list())
          for (const auto& x : v.as_list()) no_set(x);
        else if (v.is_dict() && !is_datetime(v) && !is_date(v) && !is_timespan(v) && !is_regex_object(v))
          for (const auto& [k, x] : v.as_dict()) {
            if (!k.empty() && k[0] == kTypedKey && k.find("yaql-set") != std::string::npos) no_set(key_value(k));
            no_set(x);
          }
      };
      if (name == "yaml_dump")
        for (const auto& v : values) {
          budget_.check_value(v);
          no_set(v);
        }
      for (auto& v : values) {
        // json.loads and yaml.safe_load refuse the frozenset itself.
        if (is_set(v) && name == "json_parse") throw EvalError("<class 'frozenset'> can't be decoded");
        if (is_set(v) && name == "yaml_parse") throw EvalError("'frozenset' object has no attribute 'read'");
        // json's writer takes a frozenset as a list (to_primitive), of
        // whatever it holds.
        if (is_set(v)) v = name == "json_dump" || name == "json_pp" ? set_items(v) : stored_set(v);
      }
      std::vector<std::pair<std::string, Value>> kwargs;
      for (const auto& [k, node] : c.kwargs) kwargs.emplace_back(k, c.value_of(node));
      // Host functions (json_dump, yaml_dump...) write their arguments out
      // whole, outside the budget: their size as written is checked first
      // (before anything walks them: a value sharing itself is small in
      // memory and huge when walked).
      for (const auto& v : values) budget_.check_value(v);
      for (const auto& [k, v] : kwargs) budget_.check_value(v);
      // An iterator whose items fail, held in a list or a dict: json's
      // writer reads it (writing a generator's str(), or an iterator's when
      // reading it is a TypeError), PyYAML cannot represent it, and the
      // other functions read it. (Walked only when this evaluation made
      // one, once the values' size as written is known to be bounded.)
      std::function<bool(const Value&)> holds = [&](const Value& v) {
        if (is_unread_iterator(v)) return true;
        if (v.is_list())
          return std::any_of(v.as_list().begin(), v.as_list().end(),
                             [&](const Value& x) { return (x.is_list() || x.is_dict()) && holds(x); });
        if (v.is_dict())
          return std::any_of(v.as_dict().begin(), v.as_dict().end(),
                             [&](const auto& kv) { return (kv.second.is_list() || kv.second.is_dict()) && holds(kv.second); });
        return false;
      };
      std::function<Value(const Value&)> written_out = [&](const Value& v) -> Value {
        if (!(v.is_list() || v.is_dict()) || !holds(v)) return v;
        if (is_unread_iterator(v)) {
          std::string text = unread_text(v), error = unread_error(v);
          if (name == "yaml_dump") throw EvalError("('cannot represent an object', " + text + ")");
          if ((name == "json_dump" || name == "json_pp") &&
              (text.rfind("<generator", 0) == 0 || python_type_error(error)))
            return Value(text);
          throw EvalError(error);
        }
        if (v.is_list()) {
          List out;
          for (const auto& x : v.as_list()) out.push_back(written_out(x));
          return Value(std::move(out)).marked(v.is_python_list());
        }
        Dict out;
        for (const auto& [k, x] : v.as_dict()) out.set(k, written_out(x));
        return Value(std::move(out)).marked(v.is_python_dict());
      };
      if (unread_made() != unread_at_start_)
        for (auto& v : values) v = written_out(v);
      // json_pp prints `data or context`: an iterator is true even when it
      // gives nothing, and prints as its (no) items.
      if (name == "json_pp" && values.size() == 1 && kwargs.empty() && values[0].is_list() && values[0].size() == 0) {
        const Node* written = c.receiver ? c.receiver_node : (c.args.empty() ? nullptr : c.args[0]);
        ListKind kind = written ? list_kind(written) : ListKind::Tuple;
        if (kind == ListKind::Iterator || kind == ListKind::Ordering) return Value("[]");
      }
      // json_dump and json_pp write with oslo's to_primitive as json's
      // default: a yaql dict (a FrozenDict, no dict to json) is converted
      // one level deeper each time, and past its max_depth of 3 is None,
      // so a fourth FrozenDict inside three is null (a Python dict or a
      // list adds no level). to_primitive makes each key primitive too: a
      // tuple or FrozenDict key becomes a list or dict, which the dict it
      // builds cannot hash, and the TypeError makes that dict its str()
      // (`"{(1, 2): 2}"`). A Python dict json walks itself (none of
      // to_primitive's above it) refuses such a key as json does.
      if (name == "json_dump" || name == "json_pp") {
        // The Python type of the first such key, or null.
        auto unhashable_key = [](const Value& d) -> const char* {
          for (const auto& [k, x] : d.as_dict())
            if (!k.empty() && k[0] == kTypedKey) {
              Value key = key_value(k);
              if (key.is_list()) return "tuple";
              if (is_set(key)) return "frozenset";
              if (key.is_dict() && !is_datetime(key) && !is_date(key) && !is_timespan(key) && !is_regex_object(key))
                return "FrozenDict";
            }
          return nullptr;
        };
        std::function<Value(const Value&, int, bool)> depth_cut = [&](const Value& v, int level,
                                                                      bool primitive) -> Value {
          if (v.is_list()) {
            List out;
            for (const auto& x : v.as_list()) out.push_back(depth_cut(x, level, primitive));
            return Value(std::move(out)).marked(v.is_python_list());
          }
          if (is_set(v)) return depth_cut(set_items(v), level, true);  // a frozenset is written as a list
          if (!v.is_dict() || is_datetime(v) || is_date(v) || is_timespan(v) || is_regex_object(v) ||
              is_unread_iterator(v))
            return v;
          bool frozen = !v.is_python_dict();
          if (frozen && level + 1 > 3) return Value();
          if (const char* type = unhashable_key(v)) {
            if (frozen || primitive) return Value(python_text(v, true));
            throw EvalError(fmt::format("keys must be str, int, float, bool or None, not {}", type));
          }
          Dict out;
          for (const auto& [k, x] : v.as_dict())
            out.set(k, depth_cut(x, frozen ? level + 1 : level, primitive || frozen));
          return Value(std::move(out)).marked(v.is_python_dict());
        };
        for (auto& v : values) v = depth_cut(v, 0, false);
        for (auto& [k, v] : kwargs) v = depth_cut(v, 0, false);
      }
      // Their datetimes as Python's json and PyYAML write them (walked
      // once their size is known to be bounded).
      for (auto& v : values) v = host_form(v, name == "yaml_dump");
      // Mistral's functions see Python's dicts, whose keys its json writes,
      // and JSON's lists; yaml_dump writes a key that is no text as PyYAML
      // does (null: 1), so it takes the typed keys as they are.
      const bool typed_keys = name == "yaml_dump";
      for (auto& v : values) v = with_marks(typed_keys ? v : json_keys(v), false);
      for (auto& [k, v] : kwargs) v = with_marks(typed_keys ? v : json_keys(v), false);
      const Value* root = lookup(scope, "$");
      Value data = root ? *root : ctx_.data;
      Value result;
      try {
        // What Mistral's functions return is Python's data, which yaql
        // does not convert: its lists are lists (str() prints `[1]`, a
        // tuple is not equal to them, they cannot be hashed).
        result = python_lists((*host)(HostCall{values, kwargs, ctx_.data, ctx_.scope}));
        // PyYAML makes dates and datetimes of its timestamps.
        if (name == "yaml_parse" && values.size() == 1 && values[0].is_string())
          result = yaml_timestamps(values[0].as_string(), result);
      } catch (const BudgetExceeded&) {
        throw;
      } catch (const BoraError& e) {
        throw EvalError(e.what());
      }
      return charge_result(budget_, std::move(result));
    }
  }
  if (c.receiver) budget_.check_value(*c.receiver);  // printed in the message
  if (c.receiver) throw EvalError(fmt::format("Unknown method \"{}\" for receiver {}", name, receiver_text(c)));
  throw EvalError(fmt::format("Unknown function \"{}\"", name));
}

std::string regex_text(const Value& v);

std::string python_text(const Value& v, bool top) {
  // Python's str()/repr() of Mistral's data, where lists are tuples (and
  // Python lists are marked: see Value::is_python_list).
  if (v.is_string()) return top ? v.as_string() : python_repr(v);
  if (v.is_list()) {
    bool list = v.is_python_list();
    std::string out = list ? "[" : "(";
    const auto& items = v.as_list();
    for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + python_text(items[i], false);
    if (items.size() == 1 && !list) out += ",";
    return out + (list ? "]" : ")");
  }
  if (auto text = set_text(v)) return *text;
  if (v.is_dict()) {
    // yaql's own objects print as Python's: str() of a datetime is
    // 2024-02-29 12:30:00+00:00, of a timespan 1 day, 0:00:05; inside a
    // list or dict their repr.
    if (auto text = top ? date_time_text(v) : date_time_nested_text(v)) return *text;
    if (is_regex_object(v)) return regex_text(v);
    if (is_unread_iterator(v)) return unread_text(v);
    std::string out = "{";
    bool first = true;
    for (const auto& [k, x] : v.as_dict()) {
      out += (first ? "" : ", ") + python_text(key_value(k), false) + ": " + python_text(x, false);
      first = false;
    }
    return out + "}";
  }
  return python_str(v);
}

// A regex object as Python prints its compiled pattern: re.compile('a.c'),
// re.compile('a.c', re.IGNORECASE|re.MULTILINE|re.DOTALL) (flags in
// their order of value).
std::string regex_text(const Value& v) {
  const Value& body = *v.find(kRegexKey);
  std::string flags;
  for (auto [key, name] : {std::pair{"ignoreCase", "re.IGNORECASE"}, std::pair{"multiLine", "re.MULTILINE"},
                           std::pair{"dotAll", "re.DOTALL"}}) {
    const Value* on = body.find(key);
    if (on && on->truthy()) flags += (flags.empty() ? "" : "|") + std::string(name);
  }
  return "re.compile(" + python_repr(body["pattern"]) + (flags.empty() ? "" : ", " + flags) + ")";
}

std::string receiver_text(const Value& v) {
  // A regex object prints as Python's compiled pattern does.
  if (is_regex_object(v)) return regex_text(v);
  if (auto text = date_time_text(v)) return *text;  // str(): 2024-02-29 12:30:00+00:00, 1 day, 0:00:00
  return python_text(v, true);
}

const std::map<std::string, Function, std::less<>>& library() {
  static const auto lib = [] {
    std::map<std::string, Function, std::less<>> l;
    register_string_functions(l);
    register_collection_functions(l);
    register_set_functions(l);  // after the collections: set() keeps dict.set()
    register_lazy_functions(l);  // after the collections: wraps take, first...
    register_other_functions(l);
    register_regex_functions(l);
    register_date_time_functions(l);
    register_sequence_edit_functions(l);  // last: wraps replace, delete and insert
    return l;
  }();
  return lib;
}

}  // namespace bora::expr::yaql
