// expr/jinja/jinja: evaluating Jinja2 expressions and rendering templates
// as Mistral's SandboxedEnvironment(undefined=StrictUndefined, trim_blocks,
// lstrip_blocks) does: an undefined value is an error as soon as it is used
// (printed, compared, iterated), but `is defined` and `default` see it.
#include "bora/expr/jinja/jinja.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <set>
#include <optional>
#include <random>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "bora/core/html_unescape.h"
#include "bora/core/python_codecs.h"
#include "bora/core/python_float.h"
#include "bora/core/python_int.h"
#include "bora/core/regex.h"
#include "bora/core/limits.h"
#include "bora/core/json.h"
#include "bora/core/python_format.h"
#include "bora/core/python_sort.h"
#include "bora/core/python_string_format.h"
#include "bora/core/python_unicode.h"
#include "bora/core/utf8.h"
#include "bora/core/text_repeat.h"
#include "bora/core/yaml.h"
#include "bora/core/yaml_timestamp.h"
#include <yaml-cpp/yaml.h>
#include "jinja_frames.h"
#include "jinja_parser.h"

namespace bora::expr::jinja {

class Expression {
 public:
  JNodePtr root;
};
class Template {
 public:
  std::vector<StmtPtr> body;
  std::vector<std::string> unset;  // the top level's missing names (jinja_frames.h)
};

namespace {

constexpr int64_t kMaxRange = 100000;  // the sandbox's MAX_RANGE
// Macro calls nested deeper fail as Python's recursion limit makes Jinja
// fail (between 150 and 200 levels of a macro calling itself).
constexpr int kMaxMacroDepth = 190;

class JError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An iterator a filter returned (Python's generators: map, select, reject,
// selectattr, rejectattr, unique, items, batch, slice; reversed(): reverse
// of a list, a tuple or a dict). Jinja's filters are lazy: nothing is read
// until something iterates, so the error a generator meets comes then, not
// when the filter is applied (`1 | map` prints as a generator; `1 | map |
// list` fails); it has no len(), no JSON form, prints as its repr, and is
// read once (a second `| list` of a `{% set %}` generator is empty). Bora
// computes the items when the filter is applied (the JV's v) and keeps what
// Python would do with them here: how far they have been read and the
// error that comes after the last one.
struct Lazy {
  std::string type;      // Python's type name: "generator", "list_reverseiterator"...
  std::string function;  // a generator's function: "sync_do_map"
  size_t read = 0;       // items already read
  std::optional<std::string> error;  // raised once the items are read
  // A dict's view (items(), keys(), values()): read any number of times,
  // with a len(); `text` is its repr.
  bool view = false;
  std::string text{};
  std::string repr() const {
    if (view) return text;
    auto at = reinterpret_cast<uintptr_t>(this);
    return type == "generator" ? fmt::format("<generator object {} at {:#x}>", function, at)
                               : fmt::format("<{} object at {:#x}>", type, at);
  }
};

// A value, an Undefined (with the message it gives when used), or a bound
// method of a value (`d.items`).
struct JV {
  Value v;
  bool undefined = false;
  std::string why;     // "'x' is undefined"
  std::string method;  // non-empty: v.method(...)
  bool root = false;   // the data context itself (`_`)
  // A frame's name not stored yet (jinja_frames.h; undefined is set): it
  // hides the context's and the globals' (`range`, `_`) until then.
  bool missing = false;
  // Objects with a state or a body, held by name in a scope and changed
  // there: "namespace" (v: its attributes), "cycler" (v: {items, pos}),
  // "joiner" (v: {sep, used}), "macro" (macro: its definition or a call
  // block's caller), "bytes" (v: the bytes of str.encode(), as a string;
  // printed b'...', stored decoded as Mistral's to_primitive stores bytes).
  std::string object{};
  bool safe = false;  // a Markup (from safe/escape): escape leaves it as it is
  const Stmt* macro = nullptr;
  // A macro's: how many scopes there were where it was defined. Its body
  // sees those (Jinja's closure), never the scopes of the place that
  // calls it (a caller's loop variable is undefined in it).
  size_t macro_scopes = 0;
  // An iterator (see Lazy), shared by the copies of it in scopes, so that
  // reading it through one reads it for all.
  std::shared_ptr<Lazy> lazy{};
  // A cycler's or a joiner's state, shared by every copy of the object
  // (another name, a macro's argument, a list or a namespace holding it),
  // which are one Python object: what one's next() or call changes, all
  // see. v holds the state as it was when copied.
  std::shared_ptr<Value> state{};
  // An inline `x if c` without else, false: Jinja makes it a plain
  // Undefined (cond_expr_undefined), not the environment's StrictUndefined:
  // printed, `~`-joined or given to `string` it is '', its length 0, false;
  // any other use raises `why`.
  bool lenient = false;
  // Python's range object (range(3)): v holds its items (it is a sequence
  // everywhere a list is read), `range` its [start, stop, step], which is
  // what it prints (`range(0, 3)`), what a slice of it makes, and why it
  // adds to, orders and equals no list. Put inside a list or a dict, or
  // given to a function, it is its items.
  Value range{};
  // The global `dict` subscripted (`dict.x`, `dict['x']`: Jinja's getattr
  // finds no attribute and takes the item, which dict's __class_getitem__
  // makes a types.GenericAlias): the arguments, a list, on a JV that is
  // still the function `dict` (calling the alias calls dict). Printed
  // `dict['x']`.
  Value alias{};
  // A range's count or index method (method is its name, v the items).
  bool of_range = false;
  static JV undef(std::string why) {
    JV j;
    j.undefined = true;
    j.why = std::move(why);
    return j;
  }
  // A Python tuple (a `(a, b)` literal, a macro's varargs, dictsort's
  // pairs...): Value::is_tuple, at any depth.
  bool is_tuple() const { return !undefined && method.empty() && !macro && !lazy && v.is_tuple(); }
  bool is_range() const { return !undefined && !range.is_null(); }
  const Value& get() const {
    if (undefined) throw JError(why);
    if (!method.empty()) throw JError(fmt::format("<built-in method {}> is not a value here", method));
    if (macro) throw JError(fmt::format("the macro '{}' is not a value here: call it", macro->text));
    return v;
  }
};

const void* payload_of_container(const Value& v) {
  if (v.is_list()) return &v.as_list();
  if (v.is_dict()) return &v.as_dict();
  return nullptr;
}

// Inside a workflow Mistral's data context `_` is its ContextView
// (mistral/workflow/data_flow.py), a dict subclass whose own dict stays
// empty: Jinja names it in its errors (EvalContext::data_type_name), it
// iterates (and so lists, joins, sorts...) as nothing, equals {}, dumps to
// JSON as {} and copies (copy(), dict()) to {}, while its len(), get(),
// `in`, keys() (a set), items() and values() (lists) are the context's,
// and update, pop, popitem and clear fail. It is that object wherever it
// goes (a set, a list, a macro's argument): Bora knows it by its payload,
// and by the payload of each copy an in-place change of what it holds
// makes of it (Evaluator::replaced).
struct ContextViews {
  const char* name = nullptr;  // "'mistral.workflow.data_flow.ContextView object'"'s text
  std::unordered_set<const void*> payloads;
};
// The evaluation's, for the free functions below (set by the Evaluator
// running on this thread when its data context is a ContextView).
thread_local const ContextViews* t_views = nullptr;
bool is_context_view(const Value& v) { return t_views && v.is_dict() && t_views->payloads.count(&v.as_dict()) > 0; }
const Value& empty_dict() {
  static const Value empty{Dict{}};
  return empty;
}
// What json.dumps, dict() and copy() make of v: every ContextView in it {}.
Value without_views(const Value& v) {
  if (!t_views) return v;
  if (is_context_view(v)) return empty_dict();
  if (v.is_list()) {
    std::optional<List> out;
    for (size_t i = 0; i < v.size(); ++i) {
      const Value& x = v.as_list()[i];
      if (!(x.is_list() || x.is_dict())) continue;
      Value y = without_views(x);
      if (payload_of_container(y) == payload_of_container(x)) continue;
      if (!out) out = v.as_list();
      (*out)[i] = std::move(y);
    }
    return out ? Value(std::move(*out)).as_tuple(v.is_tuple()) : v;
  }
  if (v.is_dict()) {
    std::optional<Dict> out;
    for (const auto& [k, x] : v.as_dict()) {
      if (!(x.is_list() || x.is_dict())) continue;
      Value y = without_views(x);
      if (payload_of_container(y) == payload_of_container(x)) continue;
      if (!out) out = v.as_dict();
      out->set(k, std::move(y));
    }
    return out ? Value(std::move(*out)) : v;
  }
  return v;
}

std::string obj_name(const Value& v) {
  switch (v.type()) {
    case Value::Type::Dict: return is_context_view(v) ? t_views->name : "dict object";
    case Value::Type::List: return v.is_tuple() ? "tuple object" : "list object";
    case Value::Type::String: return "str object";
    case Value::Type::Int:
    case Value::Type::BigInt: return "int object";
    case Value::Type::Double: return "float object";
    case Value::Type::Bool: return "bool object";
    case Value::Type::Null: return "None";
  }
  return "object";
}

// Python's type name, as in "object of type 'int' has no len()".
std::string py_type_name(const Value& v) { return python_type_name(v); }

// `a is sameas b`: Python's identity. Copies of a value share their list
// or dict, so the same variable is the same object; two literals are not.
// Equal scalars of one type count as the same (CPython caches them).
bool same_object(const Value& a, const Value& b) {
  if (a.type() != b.type()) return false;
  if (a.is_list()) return &a.as_list() == &b.as_list();
  if (a.is_dict()) return &a.as_dict() == &b.as_dict();
  if (a.is_big_int()) return &a.as_big_int() == &b.as_big_int();  // CPython caches only small ints
  return a == b;
}

bool is_num(const Value& v) { return v.is_number() || v.is_bool(); }
double num(const Value& v) {
  if (v.is_int()) return static_cast<double>(v.as_int());
  if (v.is_big_int()) {
    auto d = python_int::to_float(v);  // Python's OverflowError beyond the largest float
    if (!d) throw JError(d.error().message);
    return *d;
  }
  if (v.is_double()) return v.as_double();
  if (v.is_bool()) return v.as_bool() ? 1 : 0;
  throw JError(fmt::format("unsupported operand type(s): '{}'", obj_name(v)));
}
// Python's int (of any size; a bool is one too).
bool is_intlike(const Value& v) { return v.is_integer() || v.is_bool(); }
// An int used as a count, index or width: within int64, as Python's own
// index-sized integers.
int64_t ival(const Value& v) {
  if (v.is_big_int()) throw JError("cannot fit 'int' into an index-sized integer");
  return v.is_bool() ? (v.as_bool() ? 1 : 0) : v.as_int();
}

// Python's str.splitlines: its line boundaries are \n \r \r\n \v \f
// \x1c-\x1e \x85 \u2028 \u2029; keepends keeps each line's.
std::vector<std::string> python_splitlines(const std::string& s, bool keepends) {
  static const char* const breaks[] = {"\r\n", "\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e",
                                       "\xc2\x85", "\xe2\x80\xa8", "\xe2\x80\xa9"};
  std::vector<std::string> lines;
  size_t start = 0, i = 0;
  while (i < s.size()) {
    size_t len = 0;
    for (const char* b : breaks)
      if (s.compare(i, std::strlen(b), b) == 0) {
        len = std::strlen(b);
        break;
      }
    if (!len) {
      i += std::max<size_t>(1, utf8_character_at(s, i).size());
      continue;
    }
    lines.push_back(s.substr(start, keepends ? i + len - start : i - start));
    i += len;
    start = i;
  }
  if (start < s.size()) lines.push_back(s.substr(start));
  return lines;
}

// Python's int(x) of a float: exact at any size; its errors for inf and nan.
Value int_of_float(double d) {
  auto r = python_int::from_float(d);
  if (!r) throw JError(r.error().message);
  return *r;
}

// Numbers compare exactly, as Python's: 2**53 + 1 != 2.0**53.
bool nested_eq(const Value& a, const Value& b);
bool py_eq(const Value& a, const Value& b) {
  if (is_num(a) && is_num(b)) return python_int::compare(a, b) == 0;
  if (!(a.is_list() || a.is_dict() || a.is_string())) return a == b;
  return nested_eq(a, b);
}

std::string nested_type(const Value& v);
int py_cmp(const Value& a, const Value& b, const std::string& op) {
  if (is_num(a) && is_num(b)) return python_int::compare(a, b).value_or(0);
  // A range, a view or a generator held in a list orders nothing, and a
  // list and a tuple do not order each other.
  std::string ta = nested_type(a), tb = nested_type(b);
  if (!ta.empty() || !tb.empty() || (a.is_list() && b.is_list() && a.is_tuple() != b.is_tuple()))
    throw JError(fmt::format("'{}' not supported between instances of '{}' and '{}'", op,
                             ta.empty() ? py_type_name(a) : ta, tb.empty() ? py_type_name(b) : tb));
  if (a.is_string() && b.is_string()) return a.as_string() < b.as_string() ? -1 : (a.as_string() > b.as_string() ? 1 : 0);
  if (a.is_list() && b.is_list()) {
    for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
      if (py_eq(a.as_list()[i], b.as_list()[i])) continue;
      return py_cmp(a.as_list()[i], b.as_list()[i], op);
    }
    return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
  }
  throw JError(fmt::format("'{}' not supported between instances of '{}' and '{}'", op, py_type_name(a),
                           py_type_name(b)));
}

std::string jinja_repr(const Value& v);
std::string to_str(const Value& v) { return v.is_string() ? v.as_string() : jinja_repr(v); }

// Dict keys that are not text ({1: 'a'}, {none: 1}, {(1, 2): x}). Bora's
// dicts have text keys; any other key is held as yaql holds its own
// (src/expr/yaql/evaluator.h, kTypedKey): '\x02' and the key's JSON, a
// tuple as a JSON list (all that a hashable tuple holds is scalars and
// tuples). core/python_format prints such a key as its repr; what leaves
// the evaluation writes it as Python's json does (json_key).
constexpr char kTypedKey = '\x02';
bool is_typed_key(const std::string& k) { return !k.empty() && k[0] == kTypedKey; }
// The key a dict's text key stands for.
Value key_value(const std::string& k) {
  if (!is_typed_key(k)) return Value(k);
  auto v = parse_json(std::string_view(k).substr(1));
  if (!v) return Value(k);
  return v->is_list() ? with_marks(*v, true) : *v;
}
// Python's hash(): a list or a dict is refused, a tuple when an item is.
void require_hashable_key(const Value& k) {
  if (k.is_tuple()) {
    for (const auto& x : k.as_list()) require_hashable_key(x);
    return;
  }
  if (k.is_list() || k.is_dict()) throw JError(fmt::format("unhashable type: '{}'", k.is_list() ? "list" : "dict"));
}
// The text key a value is held under (raises Python's TypeError for an
// unhashable one).
std::string key_text(const Value& k) {
  if (k.is_string()) return k.as_string();
  require_hashable_key(k);
  return kTypedKey + to_json(k);
}
// Two keys Python finds equal: numbers by value, tuples item by item (a
// typed key's JSON holds its tuples as plain lists).
bool same_key(const Value& a, const Value& b) {
  if (a.is_list() && b.is_list()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!same_key(a.as_list()[i], b.as_list()[i])) return false;
    return true;
  }
  if ((a.is_number() || a.is_bool()) && (b.is_number() || b.is_bool())) return python_int::compare(a, b) == 0;
  return py_eq(a, b);
}
// A key equal to k among d's typed ones: Python's 1, 1.0 and True are one
// key, and so are (1, 2) and (1.0, 2) (the first one written stays).
const std::string* equal_typed_key(const Dict& d, const Value& k) {
  if (!(k.is_number() || k.is_bool() || k.is_list())) return nullptr;
  for (const auto& [t, _] : d)
    if (is_typed_key(t)) {
      Value kv = key_value(t);
      if (kv.is_list() != k.is_list()) continue;
      if (same_key(kv, k)) return &t;
    }
  return nullptr;
}
// d[k] for a key of any type; nullptr when absent or unhashable.
const Value* dict_find(const Dict& d, const Value& k) {
  if (k.is_string()) return d.find(k.as_string());
  if ((k.is_list() && !k.is_tuple()) || k.is_dict()) return nullptr;
  try {
    if (const Value* x = d.find(key_text(k))) return x;
  } catch (const JError&) {
    return nullptr;
  }
  const std::string* t = equal_typed_key(d, k);
  return t ? d.find(*t) : nullptr;
}
const Value* dict_find(const Value& d, const Value& k) { return d.is_dict() ? dict_find(d.as_dict(), k) : nullptr; }
// d[k] = x for a key of any type.
void dict_set(Dict& d, const Value& k, Value x) {
  if (k.is_string()) return d.set(k.as_string(), std::move(x));
  std::string t = key_text(k);
  if (!d.contains(t))
    if (const std::string* same = equal_typed_key(d, k)) t = *same;
  d.set(std::move(t), std::move(x));
}
bool has_typed_keys(const Value& v) {
  if (v.is_list()) return std::any_of(v.as_list().begin(), v.as_list().end(), has_typed_keys);
  if (!v.is_dict()) return false;
  for (const auto& [k, x] : v.as_dict())
    if (is_typed_key(k) || has_typed_keys(x)) return true;
  return false;
}
// A key as Python's json writes it: None null, True true, 1, 1.5; a
// tuple is refused (json.dumps' TypeError).
std::string json_key(const std::string& k) {
  if (!is_typed_key(k)) return k;
  Value v = key_value(k);
  if (v.is_list()) throw JError("keys must be str, int, float, bool or None, not tuple");
  if (v.is_null()) return "null";
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  return to_json(v);
}

// v with every typed key, at any depth, as Python's json writes it.
Value with_json_keys(const Value& v) {
  if (v.is_list()) {
    List out;
    for (const auto& x : v.as_list()) out.push_back(with_json_keys(x));
    return Value(std::move(out)).as_tuple(v.is_tuple());
  }
  if (!v.is_dict()) return v;
  Dict out;
  for (const auto& [k, x] : v.as_dict()) out.set(json_key(k), with_json_keys(x));
  return Value(std::move(out));
}
Value json_keys(const Value& v) { return has_typed_keys(v) ? with_json_keys(v) : v; }

// An item of a list that is Jinja's (Strict)Undefined: what
// map(attribute=...) gives for an item without the attribute. It can be
// counted, tested (`select('defined')`) and skipped; used, printed or stored
// it raises its message. Inside a list Bora holds it as a dict with one
// reserved key (the Evaluator turns it back into an Undefined wherever an
// item is taken out, and refuses to let one leave).
constexpr const char* kUndefinedItem = "\x01jinja-undefined";
// An inline `x if c` without else that was false is Jinja's plain
// Undefined, not StrictUndefined (see JV::lenient): in a list it prints
// `Undefined` too, but str() of it is '', it is false, equal to another
// plain Undefined, and only arithmetic and ordering raise.
constexpr const char* kLenientUndefinedItem = "\x01jinja-undefined-plain";
Value undefined_item(const std::string& why, bool lenient = false) {
  return Value::dict({{lenient ? kLenientUndefinedItem : kUndefinedItem, Value(why)}});
}
const std::string* undefined_item_why(const Value& v) {
  if (!v.is_dict() || v.size() != 1) return nullptr;
  const Value* why = v.find(kUndefinedItem);
  if (!why) why = v.find(kLenientUndefinedItem);
  return why && why->is_string() ? &why->as_string() : nullptr;
}
bool lenient_undefined_item(const Value& v) { return v.is_dict() && v.size() == 1 && v.find(kLenientUndefinedItem); }

// A list or dict given itself (`l.append(l)`, `d.update(k=d)`, `m.update(p)`
// where p holds m): Python's object then holds itself, a cycle, which
// Bora's values cannot hold. The item is held as this marker instead,
// standing for the list or dict it is in: taken out (an index, a key, an
// attribute, iterating), it is that list or dict again; printed, it is
// Python's `[...]` or `{...}`; stored or given to json.dumps, the value
// fails as Python's does ("Circular reference detected").
constexpr const char* kSelfItem = "\x01jinja-self";
bool is_self_item(const Value& v) { return v.is_dict() && v.size() == 1 && v.find(kSelfItem); }
Value self_item() { return Value::dict({{kSelfItem, Value(true)}}); }
// Whether v holds a marker at any depth (bounded by its depth record).
bool holds_self_item(const Value& v) {
  if (v.is_list()) {
    for (const auto& x : v.as_list())
      if (is_self_item(x) || holds_self_item(x)) return true;
  } else if (v.is_dict()) {
    for (const auto& [k, x] : v.as_dict())
      if (is_self_item(x) || holds_self_item(x)) return true;
  }
  return false;
}
// The item x of `in` as Python reads it: the marker is `in` itself.
const Value& self_resolved(const Value& x, const Value& in) { return is_self_item(x) ? in : x; }

// A range, a dict view, a bound method or a generator put inside a list
// or a dict, or given as an argument, stays that object in Python: it
// prints as Python prints it (`[range(0, 3)]`, `{'k': dict_keys(['a'])}`)
// wherever it is read back (an item, `.items()`, dictsort, a loop), and is
// that object again when taken out. Bora's value of it is its items (the
// method's text), which is what Mistral stores; the Evaluator puts a copy
// of them of their own (a payload nothing else shares) in the container
// and remembers, by that payload's address, the object it stands for
// (Evaluator::nest). Copies of the value share the payload, so whatever
// moves the item along (a filter, a slice, a pair of dictsort) keeps it
// recognisable; what builds new items (`list`, `map('list')`) does not.
struct NestedObject {
  Value held;        // the copy in the container (keeps the payload alive)
  JV object;         // the range, view, method or generator it stands for
  std::string text;  // what Python prints of it
  std::string type;  // Python's type name (what json.dumps refuses)
  // A tuple subclass with its own __repr__ (groupby's namedtuples): it
  // prints as the tuple it is, but pprint, which only lays out the
  // builtin types, writes its repr whole (dicts unsorted, one line).
  bool pprint_whole = false;
};
using NestedObjects = std::unordered_map<const void*, NestedObject>;
// The evaluation's nested objects, for the printers below (set by the
// Evaluator running on this thread).
thread_local const NestedObjects* t_nested = nullptr;
const void* payload_of(const Value& v) {
  if (v.is_list()) return &v.as_list();
  if (v.is_dict()) return &v.as_dict();
  if (v.is_string()) return &v.as_string();
  return nullptr;
}
const NestedObject* nested_object(const Value& v) {
  if (!t_nested || t_nested->empty()) return nullptr;
  const void* p = payload_of(v);
  if (!p) return nullptr;
  auto it = t_nested->find(p);
  return it == t_nested->end() ? nullptr : &it->second;
}

// Python's == of two of these objects. A range equals a range of the same
// items; a keys or items view compares as a set (its items in any order;
// an items view's values compared by ==); a values view, a generator and
// a method only equal themselves.
bool view_holds(const JV& view, const Value& x) {
  for (const auto& y : view.v.as_list())
    if (py_eq(x, y)) return true;
  return false;
}
bool set_view(const JV& j) { return j.lazy && j.lazy->view && j.lazy->type != "dict_values"; }
// Every item of a (set-like view) in b.
bool view_subset(const JV& a, const JV& b) {
  for (const auto& x : a.v.as_list())
    if (!view_holds(b, x)) return false;
  return true;
}
bool is_py_time(const JV& j);
bool py_time_eq(const JV& a, const JV& b);
bool objects_eq(const JV& a, const JV& b) {
  if (a.is_range() || b.is_range()) return a.is_range() && b.is_range() && a.v == b.v;
  if (is_py_time(a) || is_py_time(b)) return py_time_eq(a, b);
  if (a.object == "bytes" || b.object == "bytes") return a.object == b.object && a.v == b.v;
  if (set_view(a) && set_view(b)) return a.v.size() == b.v.size() && view_subset(a, b);
  if (a.lazy || b.lazy) return a.lazy == b.lazy;
  if (!a.method.empty() && !b.method.empty()) return a.method == b.method && a.alias == b.alias && same_object(a.v, b.v);
  return false;
}
// py_eq at any depth once some container holds one of these objects: it
// equals no plain value, and the other items compare as Python's ==.
bool nested_eq(const Value& a, const Value& b) {
  if (t_views) {
    // A ContextView equals what its own (empty) dict equals.
    bool va = is_context_view(a), vb = is_context_view(b);
    if (va || vb) return py_eq(va ? empty_dict() : a, vb ? empty_dict() : b);
  } else if (!t_nested || t_nested->empty()) {
    return a == b;
  }
  // A Markup (no type of its own) compares as the str it is.
  const NestedObject* oa = nested_object(a);
  const NestedObject* ob = nested_object(b);
  if (oa && oa->type.empty()) oa = nullptr;
  if (ob && ob->type.empty()) ob = nullptr;
  if (oa || ob) return oa && ob && (oa == ob || objects_eq(oa->object, ob->object));
  if (a.is_list() && b.is_list()) {
    if (a.is_tuple() != b.is_tuple() || a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!py_eq(a.as_list()[i], b.as_list()[i])) return false;
    return true;
  }
  if (a.is_dict() && b.is_dict()) {
    if (a.size() != b.size()) return false;
    for (const auto& [k, x] : a.as_dict()) {
      const Value* y = b.as_dict().find(k);
      if (!y || !py_eq(x, *y)) return false;
    }
    return true;
  }
  return a == b;
}

// The Python type of the range, view, generator or method v stands for;
// empty for any other value (a Markup among them: it is a str).
std::string nested_type(const Value& v) {
  const NestedObject* o = nested_object(v);
  return o ? o->type : std::string();
}

// repr() as Python writes it of a value that may hold an Undefined item
// (printed `Undefined`, as StrictUndefined's repr) or a nested object.
void append_jinja_repr(std::string& out, const Value& v) {
  if (const NestedObject* o = nested_object(v); o && !o->pprint_whole) {
    out += o->text;
    return;
  }
  if (v.is_list()) {
    out += v.is_tuple() ? '(' : '[';
    bool first = true;
    for (const auto& x : v.as_list()) {
      if (!first) out += ", ";
      first = false;
      if (is_self_item(x)) out += "[...]";
      else append_jinja_repr(out, x);
    }
    if (v.is_tuple() && v.size() == 1) out += ',';
    out += v.is_tuple() ? ')' : ']';
    return;
  }
  if (!v.is_dict()) {
    out += python_repr(v);
    return;
  }
  if (undefined_item_why(v)) {
    out += "Undefined";
    return;
  }
  out += '{';
  bool first = true;
  for (const auto& [k, x] : v.as_dict()) {
    if (!first) out += ", ";
    first = false;
    out += is_typed_key(k) ? python_repr(key_value(k)) : python_string_repr(k);
    out += ": ";
    if (is_self_item(x)) out += "{...}";
    else append_jinja_repr(out, x);
  }
  out += '}';
}
// Python's type name of the first nested object in v (what json.dumps
// refuses first).
std::optional<std::string> first_shown_type(const Value& v) {
  if (!t_nested || t_nested->empty()) return std::nullopt;
  if (const NestedObject* o = nested_object(v); o && !o->type.empty()) return o->type;
  if (v.is_list()) {
    for (const auto& x : v.as_list())
      if (auto t = first_shown_type(x)) return t;
    return std::nullopt;
  }
  if (!v.is_dict()) return std::nullopt;
  for (const auto& [k, x] : v.as_dict())
    if (auto t = first_shown_type(x)) return t;
  return std::nullopt;
}
std::string jinja_repr(const Value& v) {
  if (const NestedObject* o = nested_object(v); o && !o->pprint_whole) return o->text;
  if (!(v.is_list() || v.is_dict())) return python_repr(v);
  require_printable(v, "Python text");
  std::string out;
  append_jinja_repr(out, v);
  return out;
}

List items_of(const Value& v) {
  if (v.is_list()) {
    List out = v.as_list();
    for (auto& x : out)
      if (is_self_item(x)) x = v;
    return out;
  }
  if (v.is_dict()) {
    if (is_context_view(v)) return {};  // its own dict is empty
    List keys;
    for (const auto& [k, _] : v.as_dict()) keys.push_back(key_value(k));
    return keys;
  }
  if (v.is_string()) {
    List chars;
    for (auto& ch : utf8_characters(v.as_string())) chars.emplace_back(std::move(ch));
    return chars;
  }
  throw JError(fmt::format("'{}' object is not iterable", py_type_name(v)));
}

// repr(range): range(0, 3), range(1, 10, 3).
std::string range_repr(const Value& r) {
  const List& p = r.as_list();
  bool unit = p[2].is_int() && p[2].as_int() == 1;
  return "range(" + python_repr(p[0]) + ", " + python_repr(p[1]) + (unit ? "" : ", " + python_repr(p[2])) + ")";
}

// A datetime.date or datetime.datetime, which yaml_parse (PyYAML's
// safe_load) makes of a plain timestamp scalar: a JV whose object is
// "date" or "datetime" and whose value is Python's str() of it.
using PyTime = YamlTimestamp;  // core/yaml_timestamp
bool is_py_time(const JV& j) {
  return !j.undefined && j.method.empty() && !j.macro && (j.object == "date" || j.object == "datetime");
}
const char* py_time_type(const JV& j) { return j.object == "date" ? "datetime.date" : "datetime.datetime"; }
int days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : days[m - 1];
}
// PyYAML's timestamp (core/yaml_timestamp), whose constructor's checks
// fail as Python's do. nullopt: the scalar is no timestamp.
std::optional<PyTime> yaml_timestamp(std::string_view s) {
  auto m = match_yaml_timestamp(s);
  if (!m) return std::nullopt;
  if (!m->error.empty()) throw JError(m->error);
  return m->value;
}
std::string py_time_offset_text(int offset) {
  int a = std::abs(offset);
  return fmt::format("{}{:02d}:{:02d}", offset < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
}
// str(): isoformat(' ').
std::string py_time_str(const PyTime& t) {
  std::string out = fmt::format("{:04d}-{:02d}-{:02d}", t.year, t.month, t.day);
  if (!t.time) return out;
  out += fmt::format(" {:02d}:{:02d}:{:02d}", t.hour, t.minute, t.second);
  if (t.micro) out += fmt::format(".{:06d}", t.micro);
  if (t.aware) out += py_time_offset_text(t.offset);
  return out;
}
PyTime py_time_of(const JV& j) {
  const std::string& s = j.v.as_string();
  PyTime t;
  t.time = j.object == "datetime";
  t.year = std::stoi(s.substr(0, 4)), t.month = std::stoi(s.substr(5, 2)), t.day = std::stoi(s.substr(8, 2));
  if (!t.time) return t;
  t.hour = std::stoi(s.substr(11, 2)), t.minute = std::stoi(s.substr(14, 2)), t.second = std::stoi(s.substr(17, 2));
  size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    t.micro = std::stoi(s.substr(i + 1, 6));
    i += 7;
  }
  if (i < s.size()) {
    t.aware = true;
    int sign = s[i] == '-' ? -1 : 1;
    t.offset = sign * (std::stoi(s.substr(i + 1, 2)) * 3600 + std::stoi(s.substr(i + 4, 2)) * 60);
  }
  return t;
}
std::string py_time_repr(const PyTime& t) { return yaml_timestamp_repr(t); }
// What oslo's to_primitive stores of a datetime (a date it cannot store).
std::string py_time_stored(const PyTime& t) {
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:06d}", t.year, t.month, t.day, t.hour, t.minute,
                     t.second, t.micro);
}
// A sortable instant: naive ones as written, aware ones in UTC.
__int128 py_time_key(const PyTime& t) {
  int64_t days = 0;
  for (int y = 1; y < t.year; ++y) days += (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 366 : 365;
  for (int m = 1; m < t.month; ++m) days += days_in_month(t.year, m);
  days += t.day - 1;
  __int128 secs = static_cast<__int128>(days) * 86400 + t.hour * 3600 + t.minute * 60 + t.second - t.offset;
  return secs * 1000000 + t.micro;
}

// == of a date or datetime and anything: the same kind and instant (an
// aware and a naive datetime are never equal).
bool py_time_eq(const JV& a, const JV& b) {
  if (!is_py_time(a) || !is_py_time(b) || a.object != b.object) return false;
  PyTime x = py_time_of(a), y = py_time_of(b);
  return x.aware == y.aware && py_time_key(x) == py_time_key(y);
}
// Ordering a date or datetime: only with the same kind (naive with naive,
// aware with aware); Python's TypeError otherwise.
int py_time_cmp(const JV& a, const JV& b, const std::string& op, const std::string& type_a, const std::string& type_b) {
  if (!is_py_time(a) || !is_py_time(b))
    throw JError(fmt::format("'{}' not supported between instances of '{}' and '{}'", op, type_a, type_b));
  // datetime is a subclass of date: Python tries its reflected method
  // first, so the datetime is named first whichever side it is on.
  if (a.object != b.object)
    throw JError(type_a == "datetime.datetime" ? fmt::format("can't compare {} to {}", type_a, type_b)
                                               : fmt::format("can't compare {} to {}", type_b, type_a));
  PyTime x = py_time_of(a), y = py_time_of(b);
  if (x.aware != y.aware) throw JError("can't compare offset-naive and offset-aware datetimes");
  __int128 kx = py_time_key(x), ky = py_time_key(y);
  return kx < ky ? -1 : kx > ky ? 1 : 0;
}

// Python's str.lower()/upper(): Unicode-aware, 'ß' upper is 'SS'.
std::string lower(const std::string& s) { return python_lower(s); }
std::string upper(const std::string& s) { return python_upper(s); }

class Evaluator {
 public:
  Evaluator(const EvalContext& ctx, EvalBudget& budget) : ctx_(ctx), budget_(budget) {
    t_nested = &nested_;
    scopes_.emplace_back();
    JV root;
    root.v = ctx.data;
    root.root = true;
    scopes_.back()["_"] = root;
    t_views = nullptr;
    if (ctx.data_type_name && ctx.data.is_dict()) {
      views_.name = ctx.data_type_name;
      add_view(ctx.data);
      t_views = &views_;
    }
  }

  ~Evaluator() {
    t_nested = outer_nested_;
    t_views = outer_views_;
  }
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  EvalBudget& budget() { return budget_; }

  // Binds, in the scope just opened for a frame, the names the frame
  // starts without (jinja_frames.h): read before the frame stores them,
  // they are undefined, whatever the context or an outer frame holds.
  void start_missing(const std::vector<std::string>& names) {
    for (const auto& name : names) {
      JV m = JV::undef(fmt::format("'{}' is undefined", name));
      m.missing = true;
      scopes_.back()[name] = std::move(m);
    }
  }

  JV eval(const JNode& n) {
    // The parser bounds the tree at [expressions] max_depth; calls back
    // into expressions (macros, host functions) may add as much again.
    if (++depth_ > 2 * expression_max_depth() || stack_nearly_exhausted()) {
      --depth_;
      throw JError("the expression recurses too deeply");
    }
    struct D {
      int& d;
      ~D() { --d; }
    } guard{depth_};
    budget_.step();
    eval_stack_.push_back(&n);
    struct Pop {
      std::vector<const JNode*>& stack;
      ~Pop() { stack.pop_back(); }
    } pop{eval_stack_};
    const size_t pending = pending_nonfinite_.size();
    JV r;
    try {
      r = eval_node(n);
    } catch (const JError&) {
      if (pending_nonfinite_.size() > pending) unfolded_nonfinite(n, pending);
      throw;
    }
    if (pending_nonfinite_.size() > pending) pending_nonfinite_.resize(pending);
    if (!r.undefined && r.method.empty() && !r.macro && r.object.empty()) folded_nonfinite(n, r.v);
    // An Undefined item taken out of a list (`| first`, `[0]`) is one again.
    if (undefined_items_ && !r.undefined && !r.lazy)
      if (undefined_item_why(r.v)) return item_jv(r.v);
    // And a range, a view, a method or a generator the object it was.
    if (!nested_.empty() && !r.undefined && !r.lazy && r.method.empty() && !r.macro && r.range.is_null())
      if (const NestedObject* o = nested_object(r.v)) return o->object;
    // A value built step by step (a list wrapped in a list in a loop) is
    // refused once deeper than anything Bora accepts as input, so that
    // printing or storing it later cannot fail.
    if (r.v.depth() > kMaxValueDepth)
      throw JError(fmt::format("the expression built a value nested deeper than {} levels; build flatter data",
                               kMaxValueDepth));
    return r;
  }

  // Jinja's compiler folds an expression of constants (its optimizer's
  // as_const: literals, operators, comparisons, tests, most filters,
  // items; no call, no name) into one constant it writes as Python code,
  // with str() for a float: an infinity or a NaN becomes the name `inf`
  // or `nan`, which Python does not know at run time ("name 'inf' is not
  // defined": `{{ 1e400 }}`, `{% set x = 1e308 * 10 %}`, `{{ _.a + 1e400
  // }}`). A template's output that folds whole is written as text
  // instead (`x{{ 1e400 }}` is xinf).
  bool const_tree(const JNode& n) { return constant(n); }
  static const char* nonfinite_name(const Value& v) {
    if (v.is_double() && !std::isfinite(v.as_double())) return std::isnan(v.as_double()) ? "nan" : "inf";
    if (v.is_list())
      for (const auto& x : v.as_list())
        if (const char* name = nonfinite_name(x)) return name;
    if (v.is_dict())
      for (const auto& [k, x] : v.as_dict())
        if (const char* name = nonfinite_name(x)) return name;
    return nullptr;
  }
  // Evaluations made to fold at "compile" time, not the template's own.
  struct Folding {
    int& depth;
    explicit Folding(int& d) : depth(d) { ++depth; }
    ~Folding() { --depth; }
  };
  void folded_nonfinite(const JNode& n, const Value& v) {
    if (folding_) return;
    if (!(v.is_double() || v.is_list() || v.is_dict()))
      return;
    if (v.is_double() && std::isfinite(v.as_double())) return;
    if (&n == output_top_ || !const_tree(n)) return;  // (before walking the value: a list may be long)
    const char* name = nonfinite_name(v);
    if (!name) return;
    // Folded into its parent's constant (which is then what is written),
    // unless folding the parent fails (see eval_folding_parent).
    if (eval_stack_.size() >= 2) {
      const JNode& parent = *eval_stack_[eval_stack_.size() - 2];
      bool child = std::any_of(parent.args.begin(), parent.args.end(), [&](const JNodePtr& a) { return a.get() == &n; });
      if (child && const_tree(parent)) {
        pending_nonfinite_.emplace_back(&parent, name);
        return;
      }
    }
    throw JError(fmt::format("name '{}' is not defined", name));
  }
  // Whether n is a constant that Jinja's optimizer folds into its parent's
  // constant (both constant trees, outside a template's top output).
  bool folded_into_parent(const JNode& n) {
    if (folding_ || &n == output_top_ || !const_tree(n) || eval_stack_.size() < 2) return false;
    const JNode& parent = *eval_stack_[eval_stack_.size() - 2];
    bool child = std::any_of(parent.args.begin(), parent.args.end(), [&](const JNodePtr& a) { return a.get() == &n; });
    return child && const_tree(parent);
  }
  // A constant expression whose folding fails (`[1e400] * 10 | pprint`:
  // a list times a str) is not folded: its operands are written each
  // folded on its own, and the first of them holding an infinity or a NaN
  // fails first when the template runs ("name 'inf' is not defined").
  [[gnu::noinline]] void unfolded_nonfinite(const JNode& n, size_t mark) {
    const char* name = nullptr;
    for (size_t i = mark; i < pending_nonfinite_.size() && !name; ++i)
      if (pending_nonfinite_[i].first == &n) name = pending_nonfinite_[i].second;
    pending_nonfinite_.resize(mark);
    if (name) throw JError(fmt::format("name '{}' is not defined", name));
  }

  // One small frame per level of the tree: each kind's locals live in its
  // own function, so that a deep expression's recursion (eval -> eval_node
  // -> its kind -> eval) keeps to a few hundred bytes a level, also under
  // AddressSanitizer, which gives every local of a function its own slot.
  JV eval_node(const JNode& n) {
    switch (n.kind) {
      case JKind::Const: return JV{n.value};
      case JKind::Name: return name_value(n.text);
      case JKind::Attr: return attribute(eval(*n.args[0]), n.text, n.value);
      case JKind::Item: return item_node(n);
      case JKind::Slice: return slice(n);
      case JKind::Call: return integer_arguments_checked([&] { return call(n); });
      case JKind::Filter: return filter(n);
      case JKind::Test: return test_node(n);
      case JKind::Unary: return unary(n);
      case JKind::Binary: return binary(n);
      case JKind::Compare: return compare(n);
      case JKind::Cond: {
        Soft soft{soft_};
        return cond(n);
      }
      case JKind::List: return list_literal(n);
      case JKind::Dict: return dict_literal(n);
    }
    return JV{};
  }
  [[gnu::noinline]] JV test_node(const JNode& n) {
    bool r = test(n);
    return JV{Value(n.negate ? !r : r)};
  }
  [[gnu::noinline]] JV item_node(const JNode& n) {
    JV target = eval(*n.args[0]);
    Value key = eval(*n.args[1]).get();
    return item(target, key);
  }
  [[gnu::noinline]] JV unary(const JNode& n) {
    if (n.text == "not") return JV{Value(!truthy(eval(*n.args[0])))};
    JV x = eval(*n.args[0]);
    // Python's words name the type ('list', 'builtin_function_or_method').
    if (is_method(x) || x.lazy || x.is_range())
      throw JError(fmt::format("bad operand type for unary {}: '{}'", n.text, type_name(x)));
    Value v = x.get();
    if (v.is_integer()) return JV{n.text == "-" ? python_int::neg(v) : v};
    if (v.is_double()) return JV{Value(n.text == "-" ? -v.as_double() : v.as_double())};
    if (v.is_bool()) return JV{n.text == "-" ? python_int::neg(ival(v)) : Value(ival(v))};
    throw JError(fmt::format("bad operand type for unary {}: '{}'", n.text, type_name(x)));
  }
  [[gnu::noinline]] JV compare(const JNode& n) {
    JV left_jv = eval(*n.args[0]);
    // `x in []` with x Undefined: an empty list compares nothing (False);
    // anything else raises the Undefined's error.
    if (left_jv.undefined && !left_jv.macro && n.names.size() == 1 && (n.names[0] == "in" || n.names[0] == "notin")) {
      JV right_jv = eval(*n.args[1]);
      if (right_jv.undefined) throw JError(right_jv.why);  // Python asks the right side: its __contains__
      if (!right_jv.lazy && right_jv.method.empty() && !right_jv.macro && right_jv.v.is_string())
        throw JError(fmt::format("'in <string>' requires string as left operand, not {}", left_jv.lenient ? "Undefined" : "StrictUndefined"));
      if (!right_jv.undefined && !right_jv.lazy && right_jv.method.empty() && !right_jv.macro && right_jv.v.is_list() &&
          right_jv.v.size() == 0)
        return JV{Value(n.names[0] == "notin")};
    }
    Value left = left_jv.lazy ? Value() : value_of(left_jv);
    for (size_t i = 0; i < n.names.size(); ++i) {
      JV right_jv = eval(*n.args[i + 1]);
      const std::string& op = n.names[i];
      if (left_jv.lazy || right_jv.lazy) {
        if (!compare_iterators(op, left_jv, right_jv)) return JV{Value(false)};
        left_jv = std::move(right_jv);
        left = left_jv.lazy ? Value() : value_of(left_jv);
        continue;
      }
      Value right = value_of(right_jv);
      bool left_method = !left_jv.undefined && !left_jv.method.empty() && !left_jv.macro;
      bool right_method = !right_jv.undefined && !right_jv.method.empty() && !right_jv.macro;
      bool method = left_method || right_method;
      // A bound method has no items, and equals only the same method of
      // the same object (value_of gives its text, which is no method).
      if (right_method && (op == "in" || op == "notin"))
        throw JError("argument of type 'builtin_function_or_method' is not iterable");
      if (method && (op == "==" || op == "!=" || op == "in" || op == "notin")) {
        bool found;
        if (op == "==" || op == "!=") {
          found = left_method && right_method && objects_eq(left_jv, right_jv);
        } else if (right.is_list()) {
          found = false;
          for (const auto& y : right.as_list())
            if (const NestedObject* o = nested_object(y); o && objects_eq(left_jv, o->object)) found = true;
        } else if (right.is_dict()) {
          found = false;  // hashed by identity: no JSON key is a method
        } else if (right.is_string()) {
          throw JError("'in <string>' requires string as left operand, not builtin_function_or_method");
        } else {
          throw JError(fmt::format("argument of type '{}' is not iterable", type_name(right_jv)));
        }
        if (found != (op == "==" || op == "in")) return JV{Value(false)};
        left = right;
        left_jv = std::move(right_jv);
        continue;
      }
      if (method && (op == "<" || op == ">" || op == "<=" || op == ">=")) {
        auto type = [&](const JV& j) {
          return !j.undefined && !j.method.empty() && !is_function(j) ? std::string("builtin_function_or_method")
                                                                       : type_name(j);
        };
        throw JError(fmt::format("'{}' not supported between instances of '{}' and '{}'", op, type(left_jv),
                                 type(right_jv)));
      }
      if ((is_py_time(left_jv) || is_py_time(right_jv)) && op != "in" && op != "notin") {
        bool ok;
        if (op == "==" || op == "!=") {
          ok = py_time_eq(left_jv, right_jv) == (op == "==");
        } else {
          int c = py_time_cmp(left_jv, right_jv, op, type_name(left_jv), type_name(right_jv));
          ok = op == "<" ? c < 0 : op == ">" ? c > 0 : op == "<=" ? c <= 0 : c >= 0;
        }
        if (!ok) return JV{Value(false)};
        left = right;
        left_jv = std::move(right_jv);
        continue;
      }
      const bool left_bytes = !left_jv.undefined && left_jv.object == "bytes" && left_jv.method.empty();
      const bool right_bytes = !right_jv.undefined && right_jv.object == "bytes" && right_jv.method.empty();
      if ((left_bytes || right_bytes) && !(left_bytes && right_bytes) && op != "in" && op != "notin") {
        // bytes equal no str (nor anything but bytes), and order only bytes.
        if (op != "==" && op != "!=")
          throw JError(fmt::format("'{}' not supported between instances of '{}' and '{}'", op, type_name(left_jv),
                                   type_name(right_jv)));
        if (op == "==") return JV{Value(false)};
        left = right;
        left_jv = std::move(right_jv);
        continue;
      }
      if ((left_jv.is_range() || right_jv.is_range()) && op != "in" && op != "notin") {
        // A range equals only a range of the same items, and orders nothing.
        if (op != "==" && op != "!=")
          throw JError(fmt::format("'{}' not supported between instances of '{}' and '{}'", op, type_name(left_jv),
                                   type_name(right_jv)));
        bool eq = left_jv.is_range() && right_jv.is_range() && left == right;
        if (eq != (op == "==")) return JV{Value(false)};
        left = right;
        left_jv = std::move(right_jv);
        continue;
      }
      if (left.is_list() && right.is_list() && left_jv.is_tuple() != right_jv.is_tuple()) {
        // A list is never equal to a tuple, and neither orders the other.
        if (op == "==" || op == "!=") {
          if (op == "==") return JV{Value(false)};
          left = right;
          left_jv = std::move(right_jv);
          continue;
        }
        if (op != "in" && op != "notin")
          throw JError(fmt::format("'{}' not supported between instances of '{}' and '{}'", op,
                                   left_jv.is_tuple() ? "tuple" : "list", right_jv.is_tuple() ? "tuple" : "list"));
      }
      // A tuple is a key a dict may hold (hashable: `{(1, 2): 3}`), never
      // one of a JSON dict's string keys.
      if ((op == "in" || op == "notin") && left_jv.is_tuple() && left.is_list() && right.is_dict()) {
        require_hashable(left);
        if ((dict_find(right, left) != nullptr) != (op == "in")) return JV{Value(false)};
        left = right;
        left_jv = std::move(right_jv);
        continue;
      }
      // Deep comparisons walk both values whole (see EvalBudget::check_value).
      if (left.is_list() || left.is_dict()) budget_.check_value(left);
      if (right.is_list() || right.is_dict()) budget_.check_value(right);
      bool ok;
      if (undefined_items_ && (op == "==" || op == "!=") && left.is_list() && right.is_list() &&
          left.size() == right.size()) {
        // Python compares the items in turn: an Undefined reached raises.
        // A plain Undefined (lenient) compares without raising.
        for (size_t k = 0; k < left.size(); ++k) {
          const Value& lx = left.as_list()[k];
          const Value& rx = right.as_list()[k];
          const std::string* why = lenient_undefined_item(lx) ? nullptr : undefined_item_why(lx);
          if (!why && !lenient_undefined_item(rx)) why = undefined_item_why(rx);
          if (why) throw JError(*why);
          if (!py_eq(left.as_list()[k], right.as_list()[k])) break;
        }
      }
      if (op == "==") ok = py_eq(left, right);
      else if (op == "!=") ok = !py_eq(left, right);
      else if ((op == "in" || op == "notin") && (left_jv.is_range() || left_bytes || is_py_time(left_jv)) && right.is_list()) {
        // A range among a list's items: equal to a range of the same items.
        bool found = false;
        for (const auto& y : right.as_list())
          if (const NestedObject* o = nested_object(y); o && objects_eq(left_jv, o->object)) found = true;
        ok = found == (op == "in");
      } else if (op == "in" || op == "notin") ok = contains(right, left) == (op == "in");
      else {
        // Orders only same kinds: a Markup is named by its own type.
        if ((left_jv.safe || right_jv.safe) && !(left.is_string() && right.is_string()) &&
            !(left.is_list() || left.is_dict() || right.is_list() || right.is_dict()))
          throw JError(fmt::format("'{}' not supported between instances of '{}' and '{}'", op, type_name(left_jv),
                                   type_name(right_jv)));
        int c = py_cmp(left, right, op);
        ok = op == "<" ? c < 0 : op == ">" ? c > 0 : op == "<=" ? c <= 0 : c >= 0;
      }
      if (!ok) return JV{Value(false)};
      left = right;
      left_jv = std::move(right_jv);
    }
    return JV{Value(true)};
  }
  [[gnu::noinline]] JV cond(const JNode& n) {
    if (truthy(eval(*n.args[0]))) return eval(*n.args[1]);
    if (n.args[2]) return eval(*n.args[2]);
    // Jinja's hint for this Undefined, raised when it is used or stored
    // (the line is the expression's first: Bora's tree keeps no lines).
    JV u = JV::undef("the inline if-expression on line 1 evaluated to false and no else section was defined.");
    u.lenient = true;
    return u;
  }
  // x put in a list, a dict or an argument, when Python keeps there an
  // object that prints otherwise than Bora's value of it (a range, a view,
  // a bound method, a generator): a copy of the value with a payload of
  // its own, remembered as standing for x (see NestedObject); nullopt for
  // any other value.
  std::optional<Value> nest(const JV& x) {
    if (x.undefined) return std::nullopt;
    std::string text, type;
    Value copy;
    if (x.macro) {
      // A macro (or a caller), and a Namespace (whose attributes are read
      // through the list; one changed by name afterwards is not seen
      // there): the object again when taken out, its repr when printed.
      if (!x.method.empty()) return std::nullopt;
      text = x.macro->kind == SKind::CallBlock ? "<Macro anonymous>" : "<Macro '" + x.macro->text + "'>";
      type = "Macro";
      copy = Value(std::string(text));
    } else if (x.object == "namespace" || ((x.object == "cycler" || x.object == "joiner") && x.method.empty())) {
      // (A cycler or a joiner shares its state with the one held.)
      text = jinja_object_repr(x);
      type = jinja_object_type(x);
      copy = Value(std::string(text));
    } else if (is_py_time(x)) {
      // A date or datetime: its repr inside a list, the object taken out.
      text = py_time_repr(py_time_of(x));
      type = py_time_type(x);
      copy = Value(std::string(x.v.as_string()));
    } else if (x.object == "bytes" && x.method.empty() && x.v.is_string()) {
      // The bytes of str.encode(): b'...' when printed, bytes again when
      // taken out (Mistral stores their text).
      text = python_bytes_repr(x.v.as_string());
      type = "bytes";
      copy = Value(std::string(x.v.as_string()));
    } else if (!x.method.empty()) {
      text = method_repr(x);
      type = "builtin_function_or_method";
      copy = Value(std::string(text));
    } else if (x.safe && x.object.empty() && !x.lazy && x.v.is_string()) {
      // A Markup is a str whose repr is Markup('...'): printed inside a
      // list or by `{!r}`, and Markup again when taken out. It has no
      // type of its own here: JSON writes it and it equals its text.
      text = "Markup(" + python_string_repr(x.v.as_string()) + ")";
      copy = Value(std::string(x.v.as_string()));
    } else if (x.is_range() || x.lazy) {
      text = x.lazy ? x.lazy->repr() : range_repr(x.range);
      type = x.lazy ? x.lazy->type : "range";
      if (x.v.is_list()) copy = Value(List(x.v.as_list())).as_tuple(x.v.is_tuple());
      else if (x.v.is_dict()) copy = Value(Dict(x.v.as_dict()));
      else return std::nullopt;
    } else {
      return std::nullopt;
    }
    const void* key = payload_of(copy);
    nested_[key] = NestedObject{copy, x, std::move(text), std::move(type)};
    return copy;
  }
  // An item of a list or a dict literal: an Undefined is an Undefined item
  // (Python prints it `Undefined`; it raises where it is used or stored).
  Value literal_item(const JV& x) {
    if (x.undefined && !x.macro) {
      undefined_items_ = true;
      return undefined_item(x.why, x.lenient);
    }
    if (auto nested = nest(x)) return *nested;
    return value_of(x);
  }
  [[gnu::noinline]] JV list_literal(const JNode& n) {
    budget_.items(n.args.size());
    List out;
    for (const auto& a : n.args) out.push_back(literal_item(eval(*a)));
    if (n.text == "tuple") made_tuples_ = true;
    if (out.empty() && n.text != "tuple") return JV{Value(List{}).with_depth_at_least(1 + kEmptyLiteralRoom)};
    return JV{Value(std::move(out)).as_tuple(n.text == "tuple")};
  }
  [[gnu::noinline]] JV dict_literal(const JNode& n) {
    budget_.items(n.args.size() / 2);
    Dict out;
    for (size_t i = 0; i + 1 < n.args.size(); i += 2) {
      Value k = eval(*n.args[i]).get();
      Value x = literal_item(eval(*n.args[i + 1]));
      if (!k.is_string()) made_tuples_ = true;  // what leaves is walked (plain())
      dict_set(out, k, std::move(x));
    }
    if (out.empty()) return JV{Value(Dict{}).with_depth_at_least(1 + kEmptyLiteralRoom)};
    return JV{Value(std::move(out))};
  }

  // items_of, charged as items walked (and built: a string's characters).
  List items(const Value& v) {
    budget_.items(v.size());  // before copying (a string's size in bytes bounds its characters)
    return items_of(v);
  }

  // A result charged after the fact (EvalBudget::built).
  Value charged(Value v) {
    budget_.built(v);
    return v;
  }

  bool truthy(const JV& j) {
    if (j.undefined && j.lenient) return false;  // bool(Undefined())
    if (j.undefined) throw JError(j.why);
    if (j.lazy && !j.lazy->view) return true;  // an iterator object is true, even with nothing left
    // A function, a bound method, a macro: objects with no __len__ or __bool__.
    if (!j.method.empty() || j.macro || j.object == "function") return true;
    return j.v.truthy();
  }

  // An iterator over what `compute` gives; an error it raises is the
  // iterator's, raised when it is read (see Lazy).
  JV make_lazy(std::string type, std::string function, const std::function<List()>& compute) {
    JV j;
    j.lazy = std::make_shared<Lazy>();
    j.lazy->type = std::move(type);
    j.lazy->function = std::move(function);
    // The items a generator yields before its error are read before it is
    // raised (`select | first` of a list whose second item fails).
    List yielded;
    List* outer = yielded_;
    yielded_ = &yielded;
    try {
      j.v = Value(compute());
    } catch (const JError& e) {
      j.v = Value(std::move(yielded));
      j.lazy->error = e.what();
    }
    yielded_ = outer;
    return j;
  }
  // list(iterator): the items not read yet, then its error (once: a
  // generator that raised is finished); after that it is exhausted. A
  // value that is not an iterator is itself.
  JV consume(const JV& j) {
    if (!j.lazy || j.undefined) return j;
    if (j.lazy->view) return JV{j.v};
    const List& all = j.v.as_list();
    List rest(all.begin() + static_cast<std::ptrdiff_t>(std::min(j.lazy->read, all.size())), all.end());
    j.lazy->read = all.size();
    if (j.lazy->error) {
      std::string error = std::move(*j.lazy->error);
      j.lazy->error.reset();
      throw JError(error);
    }
    return JV{Value(std::move(rest))};
  }
  // The text int() and float() read: Python first writes each Unicode
  // decimal digit as its ASCII digit ('١٢' is 12) and each whitespace
  // character as a space.
  static std::string ascii_number_text(const std::string& s) {
    if (std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) return s;
    std::string out;
    std::vector<std::string> chars = utf8_characters(s);
    for (size_t i = 0; i < chars.size(); ++i) {
      const std::string& ch = chars[i];
      if (ch.size() == 1) {
        out += ch;
      } else if (python_space_at(ch, 0) == ch.size()) {
        out += ' ';
      } else if (python_str_is(ch, PythonCharClass::Decimal)) {
        // A decimal digit's value: its place in its run of ten (Unicode
        // gives each script's digits 0 to 9 in a row).
        uint32_t cp = utf8_code_point(ch);
        int value = 0;
        while (cp > 0 && value < 9) {
          std::string before;
          append_utf8(before, cp - 1);
          if (!python_str_is(before, PythonCharClass::Decimal)) break;
          --cp;
          ++value;
        }
        out += static_cast<char>('0' + value);
      } else {
        out += ch;
      }
    }
    return out;
  }
  // consume(), keeping an error the iterator raises after its items in
  // `failure` instead of raising it.
  JV consume_to_failure(const JV& j, std::optional<std::string>& failure) {
    if (!j.lazy || j.undefined || j.lazy->view || !j.lazy->error) return consume(j);
    failure = std::move(*j.lazy->error);
    j.lazy->error.reset();
    return consume(j);
  }
  // Python's type name of a value that may be an iterator.
  // A safe string (escape, tojson, safe... give one) is markupsafe's Markup.
  static bool is_method(const JV& j) { return !j.undefined && !j.method.empty() && !j.macro; }
  std::string type_name(const JV& j) {
    if (is_function(j)) return function_type(j);
    if (is_jinja_object(j)) return jinja_object_type(j);
    if (j.macro && !j.undefined && j.method.empty()) return "Macro";
    if (is_method(j)) return "builtin_function_or_method";
    if (j.lazy) return j.lazy->type;
    if (j.is_range()) return "range";
    if (j.object == "bytes" && !j.undefined && j.v.is_string()) return "bytes";
    if (is_py_time(j)) return py_time_type(j);
    if (j.safe && !j.undefined && j.v.is_string()) return "Markup";
    return py_type_name(j.get());
  }

  // Templates.
  void render(const std::vector<StmtPtr>& body, std::string& out) {
    // Nesting is bounded by the parser; this keeps a thread with a small
    // stack safe too.
    if (stack_nearly_exhausted()) throw JError("the template's blocks nest too deeply for this thread's stack");
    for (const auto& s : body) {
      budget_.step();
      switch (s->kind) {
        case SKind::Text:
          budget_.bytes(s->text.size());
          out += s->text;
          break;
        case SKind::Output: output(*s, out); break;
        case SKind::If: {
          Soft soft{soft_};
          if (truthy(eval(*s->expr))) render(s->body, out);
          else render(s->else_body, out);
          break;
        }
        case SKind::Set: set(*s); break;
        case SKind::For: render_for(*s, out); break;
        case SKind::SetBlock: {
          // The body is a frame of its own: what it sets stays in it.
          scopes_.emplace_back();
          start_missing(s->unset);
          JV value{Value(rendered(s->body))};
          if (s->expr) {  // {% set x | f %}: the filters' result, in the body's frame
            scopes_.back()[std::string(kFilterBody)] = std::move(value);
            value = eval(*s->expr);
          }
          scopes_.pop_back();
          assign(s->targets[0], std::move(value));
          break;
        }
        case SKind::With: render_with(*s, out); break;
        case SKind::FilterBlock: render_filter_block(*s, out); break;
        case SKind::Macro: {
          JV m;
          m.object = "macro";
          m.macro = s.get();
          m.macro_scopes = scopes_.size();
          scopes_.back()[s->text] = m;
          break;
        }
        case SKind::CallBlock: out += text_of(call_block(*s)); break;
      }
    }
  }

  // A value as printed, charged to the budget before it is written out
  // (a list holding the same big list many times prints many times over).
  std::string text_of(const Value& v) {
    if (!v.is_string()) budget_.check_value(v);
    // str() of a list holding an Undefined prints it (`[1, Undefined]`);
    // str() of a plain Undefined is ''.
    if (undefined_items_)
      if (const std::string* why = undefined_item_why(v)) {
        if (lenient_undefined_item(v)) return "";
        throw JError(*why);
      }
    // str() of bytes is their repr; of a Namespace its repr as it is now.
    if (const NestedObject* o = v.is_string() ? nested_object(v) : nullptr; o && (o->type == "bytes" || o->type == "Namespace"))
      return o->text;
    std::string text = to_str(v);
    budget_.bytes(text.size());
    return text;
  }
  // An item of a list as Jinja sees it (an Undefined item is Undefined).
  JV item_jv(const Value& x) const {
    if (undefined_items_)
      if (const std::string* why = undefined_item_why(x)) {
        JV u = JV::undef(*why);
        u.lenient = lenient_undefined_item(x);
        return u;
      }
    if (const NestedObject* o = nested_object(x)) return o->object;
    return JV{x};
  }
  // A value leaving (printed, stored, written as JSON, handed to a
  // function) that holds an Undefined item raises it, as Python's str()
  // or to_primitive of a StrictUndefined does.
  // `error`: the text to raise instead of the Undefined's own.
  // `lenient_error`: the same for a plain Undefined (see kLenientUndefinedItem).
  void refuse_undefined_items(const Value& v, const char* error = nullptr, const char* lenient_error = nullptr) const {
    if (!undefined_items_ || !(v.is_list() || v.is_dict())) return;
    if (const std::string* why = undefined_item_why(v)) {
      if (lenient_error && lenient_undefined_item(v)) throw JError(lenient_error);
      throw JError(error ? error : *why);
    }
    if (v.is_list())
      for (const auto& x : v.as_list()) refuse_undefined_items(x, error, lenient_error);
    else
      for (const auto& [k, x] : v.as_dict()) refuse_undefined_items(x, error, lenient_error);
  }

  // A value holding itself cannot be written as JSON (json.dumps, and
  // what Mistral stores through oslo's writer).
  void refuse_self_items(const Value& v) const {
    if (self_items_ && holds_self_item(v)) throw JError("Circular reference detected");
  }

  // An Undefined item among items that Python compares or adds raises.
  void refuse_undefined_item_in(const List& items) const {
    if (!undefined_items_) return;
    for (const auto& x : items)
      if (const std::string* why = undefined_item_why(x)) throw JError(*why);
  }

  Value tuple_of(List items) {
    made_tuples_ = true;
    return Value(std::move(items)).as_tuple();
  }
  // What leaves the evaluation (stored, handed to a host function): JSON's
  // values, so a tuple is a list again, at any depth.
  Value plain(const Value& v) const {
    if (!made_tuples_ || !(v.is_list() || v.is_dict())) return v;
    return with_marks(json_keys(v), false);
  }
  // A bound method (`d.items`) as Python prints it; the address is the
  // value's own.
  static std::string method_repr(const JV& j) {
    if (j.object == "function") {
      auto fn_at = reinterpret_cast<uintptr_t>(&j.method) & ~uintptr_t{0xf};
      const std::string& m = j.method;
      if (m == "range") return fmt::format("<function safe_range at {:#x}>", fn_at);
      if (m == "lipsum") return fmt::format("<function generate_lorem_ipsum at {:#x}>", fn_at);
      if (m == "dict" && j.alias.is_list()) {
        std::string args;
        for (const auto& a : j.alias.as_list()) args += (args.empty() ? "" : ", ") + jinja_repr(a);
        return "dict[" + (j.alias.as_list().empty() ? std::string("()") : args) + "]";
      }
      if (m == "dict") return "<class 'dict'>";
      if (is_jinja_global(m))
        return fmt::format("<class 'jinja2.utils.{}'>", m == "namespace" ? "Namespace" : m == "cycler" ? "Cycler" : "Joiner");
      return fmt::format("functools.partial(<function {}_ at {:#x}>, {})", m, fn_at, jinja_repr(j.v));
    }
    auto at = reinterpret_cast<uintptr_t>(j.v.is_dict() ? static_cast<const void*>(&j.v.as_dict())
                                          : j.v.is_list() ? static_cast<const void*>(&j.v.as_list())
                                          : j.v.is_string() ? static_cast<const void*>(j.v.as_string().data())
                                                            : static_cast<const void*>(&j));
    std::string type = j.object == "bytes" ? "bytes object" : j.of_range ? "range object" : obj_name(j.v);
    return fmt::format("<built-in method {} of {} at {:#x}>", j.method, type, at);
  }
  // What a value is where Python takes it whole (an argument, a literal's
  // item, the result): a bound method is its text there.
  static Value value_of(const JV& j) {
    if (!j.undefined && !j.method.empty() && !j.macro) return Value(method_repr(j));
    return j.get();
  }
  // str() of a value that may be a tuple: `(1, 2)`, `(1,)`, `()`.
  std::string text_of(const JV& j) {
    if (!j.undefined && !j.method.empty() && !j.macro) return method_repr(j);
    if (j.undefined && j.lenient) return "";  // str(Undefined())
    if (j.lazy && !j.undefined) return j.lazy->repr();
    if (j.object == "bytes" && !j.undefined && j.method.empty()) return python_bytes_repr(j.v.as_string());
    if (is_jinja_object(j)) return jinja_object_repr(j);
    if (j.is_range()) return range_repr(j.range);
    // A macro printed is its repr, as Jinja's Macro object.
    if (j.macro && !j.undefined && j.method.empty())
      return j.macro->kind == SKind::CallBlock ? "<Macro anonymous>" : "<Macro '" + j.macro->text + "'>";
    return text_of(j.get());
  }

 private:
  // The scope entry of a name, to change an object held there.
  // Names are looked up from the innermost scope out; a macro's frame
  // goes on where the macro was defined (scope_links_), past the scopes
  // of whoever called it.
  JV* find_mut(const std::string& name) {
    for (size_t i = scopes_.size(); i > 0;) {
      --i;
      auto f = scopes_[i].find(name);
      if (f != scopes_[i].end()) {
        if (f->second.root && !root_pending_.empty()) flush_root(f->second);  // see replace_aliases
        return &f->second;
      }
      if (auto link = scope_links_.find(i); link != scope_links_.end()) i = std::min(i, link->second);
    }
    return nullptr;
  }

  JV lookup(const std::string& name) {
    if (JV* found = find_mut(name)) return *found;
    return JV::undef(fmt::format("'{}' is undefined", name));
  }

  // Jinja's globals and Mistral's functions are values too (`{% set f =
  // range %}`, `m(dict)`, `[range][0](3)`, `{{ range }}`): a JV whose
  // object is "function" and method the global's name (v: a Mistral
  // function's data context, the partial's argument). Called, it is the
  // global called by its name (call_global).
  bool is_global_function(const std::string& name) const {
    static const std::set<std::string, std::less<>> globals = {"range", "dict", "lipsum", "namespace", "cycler",
                                                               "joiner"};
    return globals.count(name) || (ctx_.functions && ctx_.functions->find(name));
  }
  JV name_value(const std::string& name) {
    if (JV* found = find_mut(name)) return *found;
    if (is_global_function(name)) {
      JV f;
      f.object = "function";
      f.method = name;
      if (!is_jinja_global(name)) f.v = ctx_.data;
      return f;
    }
    return JV::undef(fmt::format("'{}' is undefined", name));
  }
  static bool is_jinja_global(const std::string& name) {
    return name == "range" || name == "dict" || name == "lipsum" || name == "namespace" || name == "cycler" ||
           name == "joiner";
  }
  static bool is_function(const JV& j) { return !j.undefined && j.object == "function"; }
  static const Value& state_of(const JV& o) { return o.state ? *o.state : o.v; }
  static void set_state(JV& o, Value now) {
    if (o.state) *o.state = now;
    o.v = std::move(now);
  }
  // Jinja's Namespace, Cycler and Joiner objects (v: their state).
  static bool is_jinja_object(const JV& j) {
    return !j.undefined && !j.macro && j.method.empty() &&
           (j.object == "namespace" || j.object == "cycler" || j.object == "joiner");
  }
  static std::string jinja_object_type(const JV& j) {
    return j.object == "namespace" ? "Namespace" : j.object == "cycler" ? "Cycler" : "Joiner";
  }
  // repr() of one: a Namespace shows its attributes, the others their address.
  static std::string jinja_object_repr(const JV& j) {
    if (j.object == "namespace") return "<Namespace " + jinja_repr(state_of(j)) + ">";
    auto at = reinterpret_cast<uintptr_t>(j.state ? static_cast<const void*>(j.state.get())
                                          : j.v.is_dict() ? static_cast<const void*>(&j.v.as_dict())
                                                          : static_cast<const void*>(&j));
    return fmt::format("<jinja2.utils.{} object at {:#x}>", jinja_object_type(j), at);
  }
  // Python's type of a global: range and lipsum are functions, dict and
  // Jinja's classes types, Mistral's functions functools.partial objects.
  static std::string function_type(const JV& j) {
    const std::string& m = j.method;
    if (m == "range" || m == "lipsum") return "function";
    if (m == "dict" && j.alias.is_list()) return "types.GenericAlias";
    if (is_jinja_global(m)) return "type";
    return "functools.partial";
  }

  // Jinja's sandbox refuses an attribute that starts with `_` when the
  // Python value has it (is_safe_attribute: `[].__len__` is "unsafe"); a
  // name it does not have is looked up as an item, as any other. The
  // names are CPython 3.11's (dir() of each type).
  static bool has_dunder(const std::string& type, const std::string& name) {
    using Names = std::set<std::string, std::less<>>;
    static const Names object = {
        "__class__", "__delattr__", "__dir__", "__doc__", "__eq__", "__format__", "__ge__", "__getattribute__",
        "__getstate__", "__gt__", "__hash__", "__init__", "__init_subclass__", "__le__", "__lt__", "__ne__",
        "__new__", "__reduce__", "__reduce_ex__", "__repr__", "__setattr__", "__sizeof__", "__str__",
        "__subclasshook__"};
    static const Names number = {
        "__abs__", "__add__", "__and__", "__bool__", "__ceil__", "__divmod__", "__float__", "__floor__",
        "__floordiv__", "__getnewargs__", "__index__", "__int__", "__invert__", "__lshift__", "__mod__", "__mul__",
        "__neg__", "__or__", "__pos__", "__pow__", "__radd__", "__rand__", "__rdivmod__", "__rfloordiv__",
        "__rlshift__", "__rmod__", "__rmul__", "__ror__", "__round__", "__rpow__", "__rrshift__", "__rshift__",
        "__rsub__", "__rtruediv__", "__rxor__", "__sub__", "__truediv__", "__trunc__", "__xor__"};
    static const std::map<std::string, Names, std::less<>> own = {
        {"list", {"__add__", "__class_getitem__", "__contains__", "__delitem__", "__getitem__", "__iadd__",
                  "__imul__", "__iter__", "__len__", "__mul__", "__reversed__", "__rmul__", "__setitem__"}},
        {"tuple", {"__add__", "__class_getitem__", "__contains__", "__getitem__", "__getnewargs__", "__iter__",
                   "__len__", "__mul__", "__rmul__"}},
        {"dict", {"__class_getitem__", "__contains__", "__delitem__", "__getitem__", "__ior__", "__iter__",
                  "__len__", "__or__", "__reversed__", "__ror__", "__setitem__"}},
        {"str", {"__add__", "__contains__", "__getitem__", "__getnewargs__", "__iter__", "__len__", "__mod__",
                 "__mul__", "__rmod__", "__rmul__"}},
        {"NoneType", {"__bool__"}}};
    if (object.count(name)) return true;
    if (type == "int" || type == "bool") return number.count(name) > 0;
    if (type == "float") {
      static const Names integer_only = {"__and__", "__index__", "__invert__", "__lshift__", "__or__", "__rand__",
                                         "__rlshift__", "__ror__", "__rrshift__", "__rshift__", "__rxor__", "__xor__"};
      return name == "__getformat__" || (number.count(name) > 0 && !integer_only.count(name));
    }
    auto it = own.find(type == "Markup" ? "str" : type);
    return it != own.end() && it->second.count(name) > 0;
  }

  // The global `dict` itself (not an alias of it, not a dict value).
  static bool is_dict_type(const JV& j) {
    return is_function(j) && j.method == "dict" && !j.alias.is_list();
  }
  static JV dict_alias(const JV& dict_type, List args) {
    JV a = dict_type;
    a.alias = Value(std::move(args));
    return a;
  }

  JV attribute(const JV& target, const std::string& name, const Value& index) {
    if ((name == "last" || name == "nextitem") && !loops_.empty() && !target.undefined && target.v.is_dict())
      for (auto it = loops_.rbegin(); it != loops_.rend(); ++it)
        if (it->over && payload_of(it->vars) == payload_of(target.v)) {
          // Peeked now, as Jinja's LoopContext peeks (see ActiveLoop).
          const List& items = it->over->as_list();
          size_t next = static_cast<size_t>(it->index) + 1;
          if (!it->after && next < items.size()) it->after = items[next];
          if (name == "last") return JV{Value(!it->after)};
          return it->after ? item_jv(*it->after) : JV::undef("there is no next item");
        }
    // An iterator has none of a template's attributes (StrictUndefined's words).
    if (target.lazy && !target.undefined)
      return JV::undef(fmt::format("'{} object' has no attribute {}", target.lazy->type, python_string_repr(name)));
    // (dict's own methods are attributes of the type: not followed here.)
    static const std::set<std::string, std::less<>> dict_methods = {
        "clear", "copy", "fromkeys", "get", "items", "keys", "pop", "popitem", "setdefault", "update", "values"};
    if (is_dict_type(target) && !name.empty() && name[0] != '_' && !dict_methods.count(name))
      return dict_alias(target, List{Value(name)});
    if (!target.undefined && !target.method.empty() && !target.macro && !name.empty() && name[0] != '_')
      return JV::undef(fmt::format("'{} object' has no attribute {}", type_name(target), python_string_repr(name)));
    if (is_py_time(target)) {
      // A date's year, month and day, a datetime's time too; isoformat(),
      // weekday() and isoweekday().
      PyTime t = py_time_of(target);
      if (name == "year") return JV{Value(int64_t(t.year))};
      if (name == "month") return JV{Value(int64_t(t.month))};
      if (name == "day") return JV{Value(int64_t(t.day))};
      if (t.time) {
        if (name == "hour") return JV{Value(int64_t(t.hour))};
        if (name == "minute") return JV{Value(int64_t(t.minute))};
        if (name == "second") return JV{Value(int64_t(t.second))};
        if (name == "microsecond") return JV{Value(int64_t(t.micro))};
      }
      if (name == "isoformat" || name == "weekday" || name == "isoweekday") {
        JV bound{target.v, false, "", name};
        bound.object = target.object;
        return bound;
      }
      return JV::undef(fmt::format("'{} object' has no attribute {}", py_time_type(target), python_string_repr(name)));
    }
    if (!target.undefined && target.method.empty() && !target.macro && target.object.empty() && !target.lazy &&
        target.range.is_null() && (name == "real" || name == "imag" || name == "numerator" || name == "denominator")) {
      // A number's data attributes (an int's and a bool's are ints).
      const Value& v = target.v;
      if (v.is_integer() || v.is_bool()) {
        if (name == "real" || name == "numerator") return JV{v.is_bool() ? Value(ival(v)) : v};
        return JV{Value(int64_t(name == "denominator" ? 1 : 0))};
      }
      if (v.is_double() && (name == "real" || name == "imag")) return JV{Value(name == "real" ? v.as_double() : 0.0)};
    }
    if (target.is_range() && !target.lazy) {
      // Python's range: start, stop, step, and the methods count and index.
      const List& r = target.range.as_list();
      if (name == "start") return JV{r[0]};
      if (name == "stop") return JV{r[1]};
      if (name == "step") return JV{r[2]};
      if (name == "count" || name == "index") {
        JV bound{target.v, false, "", name};
        bound.object = "";
        bound.of_range = true;
        return bound;
      }
      if (index.is_int()) return item(target, index);
      return JV::undef(fmt::format("'range object' has no attribute {}", python_string_repr(name)));
    }
    if (target.macro && !target.undefined) {
      // Jinja's Macro object: its name, the names of its parameters, and
      // what its body reads of the call (varargs, kwargs, caller).
      const Stmt& m = *target.macro;
      if (name == "name") return JV{m.kind == SKind::CallBlock ? Value() : Value(m.text)};  // a caller has none
      if (name == "arguments") {
        List names;
        for (const auto& t : m.targets) names.emplace_back(t);
        made_tuples_ = true;
        return JV{Value(std::move(names)).as_tuple()};
      }
      if (name == "catch_varargs") return JV{Value(m.uses_varargs)};
      if (name == "catch_kwargs") return JV{Value(m.uses_kwargs)};
      if (name == "caller") return JV{Value(m.uses_caller)};
      return JV::undef(fmt::format("'jinja2.runtime.Macro object' has no attribute {}", python_string_repr(name)));
    }
    const Value& v = target.get();
    if (!name.empty() && name[0] == '_' && target.object.empty() && !target.undefined && !target.lazy &&
        has_dunder(type_name(target), name))
      return JV::undef(fmt::format("access to attribute '{}' of '{}' object is unsafe.", name, type_name(target)));
    if (target.object == "cycler" && name == "current") {
      const Value& st = state_of(target);
      return JV{st.find("items")->as_list()[size_t(st.find("pos")->as_int())]};
    }
    if (target.object == "namespace") {
      if (const Value* x = state_of(target).find(name)) return JV{*x};
      return JV::undef(fmt::format("'jinja2.utils.Namespace object' has no attribute {}", python_string_repr(name)));
    }
    if (target.object == "bytes") {
      static const char* const bytes_methods[] = {"decode", "upper", "lower", "swapcase", "title", "capitalize",
                                                  "strip", "lstrip", "rstrip", "isdigit", "isalpha", "isalnum",
                                                  "isspace", "isupper", "islower", "isascii", "split", "rsplit"};
      // Python's bytes methods that Bora's bytes lack (they take bytes
      // arguments, which a template cannot write).
      static const char* const python_only[] = {"center", "count", "endswith", "expandtabs", "find", "hex", "index",
                                                "istitle", "join", "ljust", "partition", "removeprefix",
                                                "removesuffix", "replace", "rfind", "rindex", "rjust", "rpartition",
                                                "splitlines", "startswith", "translate", "zfill"};
      auto named = [&](const auto& list) {
        return std::any_of(std::begin(list), std::end(list), [&](const char* m) { return name == m; });
      };
      if (named(python_only))
        return JV::undef(fmt::format("bytes.{}() is not in Bora (its bytes have decode() and the ASCII case, strip "
                                     "and is...() methods): decode() the bytes first",
                                     name));
      if (!named(bytes_methods)) return JV::undef(fmt::format("'bytes object' has no attribute {}", python_string_repr(name)));
      JV bound{v, false, "", name};
      bound.object = "bytes";
      return bound;
    }
    // A cycler's methods, of one that is no name's (`cycler(1, 2).next()`).
    if (target.object == "cycler" && (name == "next" || name == "reset")) {
      JV bound = target;
      bound.method = name;
      return bound;
    }
    if (!target.object.empty())
      return JV::undef(fmt::format("'jinja2.utils.{} object' has no attribute {}", target.object == "cycler" ? "Cycler" : "Joiner", python_string_repr(name)));
    if (v.is_dict()) {
      if (index.is_int()) return item(target, index);  // `d.1` is d[1]
      static const char* const dict_methods[] = {"items", "keys", "values", "get", "copy",
                                                 // Mistral's SandboxedEnvironment lets these change the dict
                                                 "update", "pop", "setdefault", "clear", "popitem"};
      for (const char* m : dict_methods)
        if (name == m) return JV{v, false, "", m};
      if (const Value* x = v.find(name)) {
        // loop.previtem/nextitem past the ends (enter_iteration).
        if (const std::string* why = undefined_item_why(*x)) return JV::undef(*why);
        return JV{self_resolved(*x, v)};
      }
      // (In Mistral `_` is a ContextView, which Jinja names in its message: obj_name.)
      return JV::undef(fmt::format("'{}' has no attribute {}", obj_name(v), python_string_repr(name)));
    }
    if (v.is_string()) {
      static const char* const str_methods[] = {"upper", "lower", "strip", "lstrip", "rstrip", "split", "replace",
                                                "startswith", "endswith", "format", "join", "title", "capitalize",
                                                "find", "count", "rfind", "index", "rindex", "swapcase", "isalpha",
                                                "isdigit", "isalnum", "isupper", "islower", "isspace", "zfill",
                                                "partition", "rpartition", "center", "ljust", "rjust", "rsplit",
                                                "casefold", "expandtabs", "istitle", "isdecimal", "isnumeric", "format_map",
                                                "splitlines", "removeprefix", "removesuffix", "isascii", "isprintable",
                                                "isidentifier", "translate", "encode"};
      for (const char* m : str_methods)
        if (name == m) {
          JV bound{v, false, "", m};
          bound.safe = target.safe;  // Markup's methods (see markup_method)
          return bound;
        }
    }
    if (v.is_list()) {
      // A tuple has index and count, no copy.
      if (target.is_tuple() && name == "copy") return JV::undef("'tuple object' has no attribute 'copy'");
      if (name == "index" || name == "count" || name == "copy") return JV{v, false, "", name};
      // The methods that change a list (Mistral's SandboxedEnvironment
      // allows them: `{% set _ = ns.items.append(x) %}`); a tuple has none.
      static const std::set<std::string, std::less<>> changing = {"append", "extend", "insert", "pop", "remove",
                                                                  "clear", "sort", "reverse"};
      if (changing.count(name)) {
        if (target.is_tuple()) return JV::undef(fmt::format("'tuple object' has no attribute {}", python_string_repr(name)));
        return JV{v, false, "", name};
      }
      // groupby's (grouper, list) namedtuples are pairs here.
      if (v.size() == 2 && (name == "grouper" || name == "list")) return JV{v.as_list()[name == "grouper" ? 0 : 1]};
      if (index.is_int()) return item(target, index);
    }
    return JV::undef(fmt::format("'{}' has no attribute {}", obj_name(v), python_string_repr(name)));
  }

  // Jinja's make_attrgetter: a str attribute is a path, `a.b.0`, each
  // part looked up in turn (environment.getitem), a part of digits as an
  // int (a list's index; a dict's "0" key is not found by it).
  // default (map's): what a part that is not found becomes, before the
  // next part is looked up in it.
  JV attr_of(const JV& x, const Value& attr, const Value* default_value = nullptr) {
    auto defaulted = [&](JV j) { return j.undefined && default_value ? JV{*default_value} : j; };
    if (!attr.is_string()) return defaulted(item(x, attr));
    const std::string& path = attr.as_string();
    JV cur = x;
    size_t from = 0;
    while (true) {
      size_t dot = path.find('.', from);
      std::string part = path.substr(from, dot == std::string::npos ? std::string::npos : dot - from);
      bool digits = !part.empty() && part.size() <= 18 &&
                    std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
      cur = defaulted(item(cur, digits ? Value(static_cast<int64_t>(std::stoll(part))) : Value(part)));
      if (dot == std::string::npos) return cur;
      from = dot + 1;
    }
  }

  JV item(const JV& target, const Value& key) {
    if (target.lazy && !target.undefined) {
      if (key.is_string()) return attribute(target, key.as_string(), Value());
      return JV::undef(fmt::format("{} object has no element {}", target.lazy->type, python_repr(key)));
    }
    if (is_dict_type(target)) {
      if (key.is_string()) return attribute(target, key.as_string(), Value());
      return dict_alias(target, key.is_tuple() ? key.as_list() : List{key});
    }
    // A bound method has no items: Jinja's getitem gives an Undefined.
    if (!target.undefined && !target.method.empty() && !target.macro) {
      if (key.is_string()) return attribute(target, key.as_string(), Value());
      return JV::undef(fmt::format("{} object has no element {}", type_name(target), python_repr(key)));
    }
    const Value& v = target.get();
    // Jinja's Undefined words it by the key's type: an attribute's name,
    // or an element's repr ("list object has no element 5").
    auto no_element = [&] {
      return JV::undef(fmt::format("{} has no element {}", target.is_range() ? "range object" : obj_name(v), python_repr(key)));
    };
    if (v.is_dict()) {
      if (!key.is_string()) {
        if (const Value* x = dict_find(v, key)) return JV{*x};
        return no_element();
      }
      if (const Value* x = v.find(key.as_string())) return JV{self_resolved(*x, v)};
      return JV::undef(fmt::format("'{}' has no attribute {}", obj_name(v), python_string_repr(key.as_string())));
    }
    // An index beyond 64 bits is no element (Python's IndexError, which
    // Jinja's getitem turns into an Undefined).
    if ((v.is_list() || v.is_string()) && key.is_integer() && !key.is_int()) return no_element();
    if (v.is_list() && is_intlike(key)) {  // read in place: `rows[-1]` costs what Python's does
      int64_t i = ival(key), n = static_cast<int64_t>(v.size());
      if (i < 0) i += n;
      if (i < 0 || i >= n) return no_element();
      return JV{self_resolved(v.as_list()[static_cast<size_t>(i)], v)};
    }
    if (v.is_string() && is_intlike(key)) {
      List items = this->items(v);
      int64_t i = ival(key), n = static_cast<int64_t>(items.size());
      if (i < 0) i += n;
      if (i < 0 || i >= n) return no_element();
      JV r{items[static_cast<size_t>(i)]};
      r.safe = target.safe && v.is_string();  // Markup's __getitem__ gives Markup
      return r;
    }
    if (key.is_string()) return attribute(target, key.as_string(), Value());
    return no_element();
  }

  JV slice(const JNode& n) {
    JV of = eval(*n.args[0]);
    // Jinja writes a slice as Python's subscript (no environment getitem).
    if (is_method(of)) throw JError(fmt::format("'{}' object is not subscriptable", type_name(of)));
    Value v = of.get();
    // Python's subscript of what has no sequence protocol.
    if (v.is_dict() && !of.lazy) throw JError("unhashable type: 'slice'");
    if (!(v.is_list() || v.is_string()) || (of.lazy && !of.undefined)) {
      // Folded into a constant parent, Jinja's optimizer reads it with
      // environment.getitem, which gives an Undefined instead ("int
      // object has no element slice(1, 3, None)"); at run time Python's
      // subscript fails.
      if (!v.is_dict() && !of.lazy && folded_into_parent(n)) {
        auto bound = [&](int i) {
          if (!n.args[i]) return std::string("None");
          return python_repr(eval(*n.args[i]).get());
        };
        return JV::undef(fmt::format("{} has no element slice({}, {}, {})", obj_name(v), bound(1), bound(2), bound(3)));
      }
      throw JError(fmt::format("'{}' object is not subscriptable", type_name(of)));
    }
    auto part = [&](int i) -> std::optional<int64_t> {
      if (!n.args[i]) return std::nullopt;
      Value p = eval(*n.args[i]).get();
      if (p.is_null()) return std::nullopt;
      if (!is_intlike(p)) throw JError("slice indices must be integers or None or have an __index__ method");
      if (p.is_integer() && !p.is_int())  // beyond 64 bits: clamped as Python clamps it
        return python_int::sign(p) < 0 ? std::numeric_limits<int64_t>::min() / 2 : std::numeric_limits<int64_t>::max() / 2;
      return ival(p);
    };
    List items = this->items(v);
    int64_t size = static_cast<int64_t>(items.size());
    int64_t step = part(3).value_or(1);
    if (step == 0) throw JError("slice step cannot be zero");
    auto norm = [&](std::optional<int64_t> x, int64_t dflt) {
      if (!x) return dflt;
      int64_t y = *x < 0 ? *x + size : *x;
      return step > 0 ? std::clamp<int64_t>(y, 0, size) : std::clamp<int64_t>(y, -1, size - 1);
    };
    int64_t start = norm(part(1), step > 0 ? 0 : size - 1), stop = norm(part(2), step > 0 ? size : -1);
    List out;
    for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) out.push_back(items[static_cast<size_t>(i)]);
    if (v.is_string()) {
      std::string s;
      for (const auto& c : out) s += c.as_string();
      JV r{Value(s)};
      r.safe = of.safe;  // a slice of Markup is Markup
      return r;
    }
    if (!of.range.is_null() && !of.undefined) {
      // A slice of a range is a range: range(10)[2:5] is range(2, 5).
      const List& r = of.range.as_list();
      auto at = [&](int64_t i) { return python_int::add(r[0], python_int::mul(Value(i), r[2])); };
      JV sliced{Value(std::move(out))};
      sliced.range = Value(List{at(start), at(stop), python_int::mul(r[2], Value(step))});
      return sliced;
    }
    if (of.is_tuple()) made_tuples_ = true;
    return JV{Value(std::move(out)).as_tuple(of.is_tuple())};  // a tuple's slice is a tuple
  }

  struct Args {
    std::vector<Value> pos;
    std::map<std::string, Value> kw;
    // The positions given a tuple (a list to Bora): where Python tells a
    // tuple from a list (startswith's prefixes).
    std::set<size_t> tuples{};
    bool is_tuple(size_t i) const { return tuples.count(i) > 0; }
    const Value* get(size_t i, const char* name) const {
      if (i < pos.size()) return &pos[i];
      auto it = kw.find(name);
      return it == kw.end() ? nullptr : &it->second;
    }
  };

  // The arguments of a Call/Filter/Test from `first` on (positional count in
  // n.value, then keywords).
  // keep_undefined: for a macro, which takes an Undefined argument as
  // Python does (it raises only where the macro uses it); it travels as an
  // Undefined item (see undefined_item).
  Args args_of(const JNode& n, size_t first, bool keep_undefined = false) {
    Args a;
    int64_t npos = n.value.is_int() ? n.value.as_int() : 0;
    size_t i = first;
    auto value = [&](const JV& x) {
      if (keep_undefined && x.undefined) {
        undefined_items_ = true;
        return undefined_item(x.why, x.lenient);
      }
      return value_of(x);
    };
    for (int64_t k = 0; k < npos; ++k, ++i) {
      JV x = eval(*n.args[i]);
      if (x.is_tuple()) a.tuples.insert(a.pos.size());
      // A range, a view, a method or a generator stays that object
      // (printed as Python prints it, itself again if returned).
      auto nested = nest(x);
      a.pos.push_back(nested ? std::move(*nested) : value(x));
    }
    for (size_t k = 0; k < n.names.size(); ++k, ++i) {
      JV x = eval(*n.args[i]);
      if (n.names[k] == "*") {  // f(*args): its items, after the positional ones
        if (x.undefined) throw JError(x.why);
        if (x.lazy) x = consume(x);
        if (!x.method.empty() || x.macro || !x.object.empty() || !(x.v.is_list() || x.v.is_dict() || x.v.is_string()))
          throw JError(fmt::format("Value after * must be an iterable, not {}", type_name(x)));
        for (const auto& item : items(x.v)) a.pos.push_back(item);
        continue;
      }
      if (n.names[k] == "**") {  // f(**kwargs): a mapping's items as keywords
        if (x.undefined) throw JError(x.why);
        if (!x.v.is_dict() || !x.method.empty() || x.macro || x.lazy || !x.object.empty())
          throw JError(fmt::format("{} argument after ** must be a mapping, not {}", callee_words(n), type_name(x)));
        for (const auto& [key, item] : x.v.as_dict()) {
          if (is_typed_key(key)) throw JError("keywords must be strings");
          // A call's keywords meet Python's call (one value each); a
          // filter's or a test's are merged by Jinja first, the last one
          // given winning.
          if (n.kind == JKind::Call && a.kw.count(key))
            throw JError(fmt::format("{} got multiple values for keyword argument '{}'", callee_words(n), key));
          a.kw[key] = item;
        }
        continue;
      }
      auto nested = nest(x);
      a.kw[n.names[k]] = nested ? std::move(*nested) : value(x);
    }
    return a;
  }
  // The Python function a call's, a filter's or a test's arguments go to,
  // as CPython names it in a TypeError about them.
  static std::string callee_words(const JNode& n) {
    if (n.kind == JKind::Filter) {
      // C functions go by their own names; Jinja's by do_<filter> (the
      // sync_ ones' async_variant wrappers too).
      static const std::map<std::string, std::string, std::less<>> c_functions = {
          {"abs", "abs()"}, {"count", "len()"}, {"length", "len()"}, {"e", "markupsafe._speedups.escape()"},
          {"escape", "markupsafe._speedups.escape()"}, {"string", "markupsafe._speedups.soft_str()"}};
      if (auto c = c_functions.find(n.text); c != c_functions.end()) return c->second;
      if (n.text == "d") return "jinja2.filters.do_default()";
      if (n.text == "safe") return "jinja2.filters.do_mark_safe()";
      return "jinja2.filters.do_" + n.text + "()";
    }
    if (n.kind == JKind::Test) return "jinja2.tests.test_" + n.text + "()";
    return "jinja2.sandbox.SandboxedEnvironment.call()";
  }

  // A method of markupsafe's Markup: the wrapped str methods escape their
  // string arguments and give Markup (_simple_escaping_wrapper), join
  // escapes the items; casefold and the rest are str's, giving str.
  std::optional<JV> markup_method(const JV& target, Args a) {
    static const std::set<std::string, std::less<>> wrapped = {
        "capitalize", "title", "lower", "upper", "replace", "ljust", "rjust", "lstrip", "rstrip",
        "center", "strip", "translate", "expandtabs", "swapcase", "zfill"};
    const std::string& m = target.method;
    if (m == "format") {
      check_str_call(m, a);
      JV r{charged(Value(str_format(target.v.as_string(), a, true)))};
      r.safe = true;
      return r;
    }
    if (m == "join") {
      const Value* seq = a.get(0, "iterable");
      if (!seq || !seq->is_list()) return std::nullopt;
      List items;
      for (const auto& x : seq->as_list()) items.push_back(x.is_string() ? Value(html_escape(x.as_string())) : x);
      a.pos = {Value(std::move(items))};
    } else if (wrapped.count(m) || m == "partition" || m == "rpartition") {
      for (auto& x : a.pos)
        if (x.is_string()) x = Value(html_escape(x.as_string()));
      for (auto& [k, x] : a.kw)
        if (x.is_string()) x = Value(html_escape(x.as_string()));
    } else if (m != "split" && m != "rsplit" && m != "splitlines") {
      return std::nullopt;
    }
    if (m == "split" || m == "rsplit" || m == "splitlines" || m == "partition" || m == "rpartition") {
      // markupsafe gives each part as Markup (split's separator as it is).
      Value parts = charged(method(target.v, m, a));
      List out;
      for (const auto& x : parts.as_list()) {
        JV part{x};
        part.safe = true;
        auto nested = nest(part);
        out.push_back(nested ? std::move(*nested) : x);
      }
      return JV{Value(std::move(out)).as_tuple(parts.is_tuple())};
    }
    JV r{charged(method(target.v, m, a))};
    r.safe = r.v.is_string();
    return r;
  }

  // The list and dict methods that change their object in place.
  static bool changes_in_place(const JV& t) {
    static const std::set<std::string, std::less<>> list = {"append", "extend", "insert", "pop", "remove",
                                                            "clear", "sort", "reverse"};
    static const std::set<std::string, std::less<>> dict = {"update", "pop", "setdefault", "clear", "popitem"};
    if (t.undefined || t.macro || t.method.empty() || !t.object.empty()) return false;
    return (t.v.is_list() && list.count(t.method)) || (t.v.is_dict() && dict.count(t.method));
  }

  // Python's lists and dicts are objects: `l.append(x)` changes the one
  // object every name, namespace attribute, list, dict and bound method
  // holding it sees, and costs O(1). Bora's Values share a payload between
  // copies, so the payload is the object (same_object, `sameas`), and a
  // change could be made in it, seen by every copy at once, but only in a
  // payload nothing outside this evaluation holds: the data context, the
  // template's constants and what Mistral's functions hand back are shared
  // with the engine (and its other threads) and stay immutable.
  //
  // So this evaluation keeps the lists and dicts it made and may change
  // (mine_): the literals a `{% set %}` binds or a changing method is given
  // (`{% set l = [] %}`, `d.setdefault(k, [])`), and the copy the first
  // change of any other list or dict makes. A change of one of these is
  // made in it (change_list, change_dict: amortised O(1) for append, no
  // walk); a change of any other copies it once (changed()), puts the copy
  // where the call read it from and in every name holding the original
  // (store_at, replace_aliases; `_` too, as Mistral's `_` is the very dict
  // the template changes), and the copy is then this evaluation's.
  //
  // What a change in place must keep: a Value records how deeply its
  // payload nests (Value::depth, copied with it, relied on to refuse values
  // deeper than JSON's limit and to prune the alias walk). A change in
  // place cannot update the copies' record, so it is only made when what it
  // adds nests less deeply than the record says (fits); the record stays an
  // upper bound, a container's record above its items' ones, and no list
  // can come to hold itself (Python's `l.append(l)`, a cycle Bora's values
  // cannot hold: that change copies, as before). A change that would nest
  // deeper copies, and the copy has the new record.
  //
  // The payloads kept stay alive until the evaluation ends (so that an
  // address is never reused by a payload not ours); each is charged to the
  // budget for it (kAdoptBytes).
  static constexpr uint64_t kAdoptBytes = 64;
  bool mine(const Value& v) const {
    return (v.is_list() || v.is_dict()) && !v.is_tuple() && mine_.count(payload_of(v)) > 0;
  }
  void adopt(const Value& v) {
    if (!(v.is_list() || v.is_dict()) || v.is_tuple()) return;
    if (mine_.emplace(payload_of(v), v).second) budget_.bytes(kAdoptBytes);
  }
  // A `[...]` or `{...}` literal's value (not a tuple): a new object.
  static bool literal_node(const JNode& n) {
    return (n.kind == JKind::List && n.text != "tuple") || n.kind == JKind::Dict;
  }
  // v, the value of the literal n, and the literals written in it
  // (`{'i': i, 'j': []}`: its `[]` too).
  void adopt_literal(const JNode& n, const Value& v) {
    if (!literal_node(n) || !(v.is_list() || v.is_dict()) || v.is_tuple()) return;
    adopt(v);
    if (v.is_list() && v.size() == n.args.size()) {
      for (size_t i = 0; i < n.args.size(); ++i) adopt_literal(*n.args[i], v.as_list()[i]);
    } else if (v.is_dict() && v.size() * 2 == n.args.size()) {  // no key written twice: entry i is pair i
      for (size_t i = 0; i < v.size(); ++i) adopt_literal(*n.args[2 * i + 1], v.as_dict().at(i).second);
    }
  }
  // The arguments of a changing method that are written as literals.
  void adopt_literal_args(const JNode& call, const Args& a) {
    int64_t npos = call.value.is_int() ? call.value.as_int() : 0;
    for (int64_t k = 0; k < npos && size_t(k) < a.pos.size(); ++k) adopt_literal(*call.args[size_t(1 + k)], a.pos[size_t(k)]);
    for (size_t k = 0; k < call.names.size(); ++k)
      if (auto x = a.kw.find(call.names[k]); x != a.kw.end()) adopt_literal(*call.args[size_t(1 + npos) + k], x->second);
  }
  // Whether self.m(args) adds nothing nesting as deeply as self's record
  // says self does (see above); a call whose arguments are wrong fits (it
  // fails before changing anything).
  static bool fits(const Value& self, const std::string& m, const Args& a) {
    size_t room = self.depth();
    auto item = [&](const Value& x) { return x.depth() + 1 <= room; };
    auto items = [&](const Value& x) { return x.depth() <= room; };  // a collection's items (or a dict's values)
    if (m == "append") return a.pos.size() != 1 || item(a.pos[0]);
    if (m == "insert") return a.pos.size() != 2 || item(a.pos[1]);
    if (m == "extend") {
      if (a.pos.size() != 1) return true;
      if (a.pos[0].is_dict()) {  // its keys, which a dict's depth does not count (a tuple key nests)
        for (const auto& [k, x] : a.pos[0].as_dict())
          if (is_typed_key(k) && !item(key_value(k))) return false;
        return true;
      }
      return items(a.pos[0]);
    }
    if (m == "setdefault") return a.pos.size() != 2 || item(a.pos[1]);
    if (m == "update") {
      for (const auto& x : a.pos)
        if (!items(x)) return false;
      for (const auto& [k, x] : a.kw)
        if (!item(x)) return false;
    }
    return true;  // the others add nothing
  }

  // The record self needs for self.m(args) (fits' measure): its own, or
  // one more than the deepest thing the call adds.
  static size_t needed_depth(const Value& self, const std::string& m, const Args& a) {
    size_t need = self.depth();
    auto item = [&](const Value& x) { need = std::max(need, x.depth() + 1); };
    auto items = [&](const Value& x) { need = std::max(need, x.depth()); };
    if (m == "append" && a.pos.size() == 1) item(a.pos[0]);
    if (m == "insert" && a.pos.size() == 2) item(a.pos[1]);
    if (m == "setdefault" && a.pos.size() == 2) item(a.pos[1]);
    if (m == "extend" && a.pos.size() == 1) {
      if (a.pos[0].is_dict()) {
        for (const auto& [k, x] : a.pos[0].as_dict())
          if (is_typed_key(k)) item(key_value(k));
      } else {
        items(a.pos[0]);
      }
    }
    if (m == "update") {
      for (const auto& x : a.pos) items(x);
      for (const auto& [k, x] : a.kw) item(x);
    }
    return need;
  }

  // An empty `[]` or `{}` literal is recorded as nesting kEmptyLiteralRoom
  // levels deeper than it does (Value::depth is an upper bound): filled in
  // place with rows that hold lists or dicts (`{'tags': []}` appended a
  // dict), it needs no copy. Records stay within this much of the truth.
  static constexpr size_t kEmptyLiteralRoom = 3;
  // The same for the literal a `{% set %}` binds, while its record stays
  // within kRoomDepth (so that records built on records, a chain of sets
  // each holding the last, stay within that much of the truth).
  static constexpr size_t kSetLiteralRoom = 3;
  static constexpr size_t kRoomDepth = 32;
  // Records raised in place stay at most this deep (so that what core
  // frees or compares recursively, as it does up to 64 levels, stays so).
  static constexpr size_t kRaisedDepth = 64;

  // A path read again without side effects: names, attributes and items
  // whose keys are constants or names (`d.rows[-1]`, `ns.d[k]`).
  static bool pure_path(const JNode& n) {
    if (n.kind == JKind::Name || n.kind == JKind::Const) return true;
    if (n.kind == JKind::Attr) return !n.args.empty() && pure_path(*n.args[0]);
    if (n.kind == JKind::Item) return n.args.size() == 2 && pure_path(*n.args[0]) && pure_path(*n.args[1]);
    if (n.kind == JKind::Unary && n.text == "-") return n.args.size() == 1 && n.args[0]->kind == JKind::Const;
    return false;
  }
  // Raises to `need` the record of every copy of v, a list or dict of
  // this evaluation's, so that a change making it nest deeper can be made
  // in it: only when the place `at` reads it from (a name; an attribute or
  // an item of a list or dict of this evaluation's, or of a namespace)
  // holds the only copy there is, besides mine_'s and the caller's
  // `transients` (Value::payload_holders counts them all: any other name,
  // list, loop variable or iterator holding v makes it false, and the
  // change copies as before). A holder whose record is then too low for v
  // is raised the same way first. False changes nothing that matters.
  bool raise_record(const JNode& at, const Value& v, size_t need, long transients) {
    // The loops reading v (run_loop's list) hold it too, and are raised with it.
    std::vector<Value*> loops;
    for (const auto& l : loops_)
      if (l.over && payload_of(*l.over) == payload_of(v)) loops.push_back(const_cast<Value*>(l.over));
    transients += static_cast<long>(loops.size());
    if (need > kRaisedDepth || !pure_path(at) || v.payload_holders() != 2 + transients) return false;
    bool raised = raise_holder(at, v, need, transients);
    if (raised)
      for (Value* l : loops) *l = l->with_depth_at_least(need);
    return raised;
  }
  bool raise_holder(const JNode& at, const Value& v, size_t need, long transients) {
    if (at.kind == JKind::Name) {
      JV* own = find_mut(at.text);
      if (!own || own->undefined || own->macro || !own->object.empty() || !own->method.empty() || own->lazy ||
          !own->range.is_null() || payload_of(own->v) != payload_of(v) || v.payload_holders() != 2 + transients)
        return false;
      own->v = own->v.with_depth_at_least(need);
      return true;
    }
    if (at.kind != JKind::Attr && at.kind != JKind::Item) return false;
    const JNode& parent_node = *at.args[0];
    if (at.kind == JKind::Attr && parent_node.kind == JKind::Name) {
      if (JV* ns = find_mut(parent_node.text); ns && ns->object == "namespace") {
        // A namespace's attributes: a dict this evaluation made, held by
        // the namespace alone when nothing else copied it.
        if (ns->state && payload_of(*ns->state) != payload_of(ns->v)) return false;  // changed through another holder
        Value* slot = const_cast<Dict&>(ns->v.as_dict()).find_mut(at.text);
        if (!slot || payload_of(*slot) != payload_of(v)) return false;
        if (ns->v.depth() < need + 1) {
          if (ns->v.payload_holders() != 1) return false;
          ns->v = ns->v.with_depth_at_least(need + 1);
        }
        *slot = slot->with_depth_at_least(need);
        return true;
      }
    }
    JV parent = eval(parent_node);
    if (parent.undefined || !parent.object.empty() || parent.lazy || !parent.method.empty() || parent.macro ||
        !mine(parent.v))
      return false;
    const Value& q = parent.v;
    Value key = at.kind == JKind::Attr ? (at.value.is_null() ? Value(at.text) : at.value) : eval(*at.args[1]).get();
    Value* slot = nullptr;
    if (q.is_dict()) {
      slot = const_cast<Value*>(dict_find(q, key));
    } else if (q.is_list() && is_intlike(key)) {
      int64_t i = ival(key), n = static_cast<int64_t>(q.size());
      if (i < 0) i += n;
      if (i >= 0 && i < n) slot = &const_cast<List&>(q.as_list())[size_t(i)];
    }
    if (!slot || payload_of(*slot) != payload_of(v)) return false;
    if (q.depth() < need + 1 && !raise_record(parent_node, q, need + 1, 1)) return false;
    *slot = slot->with_depth_at_least(need);
    return true;
  }

  // CPython's words for a call with too few or too many arguments, which
  // depend on how the C function is declared.
  static void check_count(const char* type, const std::string& m, const Args& a, size_t least, size_t most) {
    if (!a.kw.empty()) throw JError(fmt::format("{}.{}() takes no keyword arguments", type, m));
    if (a.pos.size() >= least && a.pos.size() <= most) return;
    if (least == most && least == 1)
      throw JError(fmt::format("{}.{}() takes exactly one argument ({} given)", type, m, a.pos.size()));
    if (least == most && least == 0) throw JError(fmt::format("{}.{}() takes no arguments ({} given)", type, m, a.pos.size()));
    if (least == most) throw JError(fmt::format("{} expected {} arguments, got {}", m, least, a.pos.size()));
    throw JError(fmt::format("{} expected at {} {} argument{}, got {}", m, a.pos.size() < least ? "least" : "most",
                             a.pos.size() < least ? least : most, (a.pos.size() < least ? least : most) == 1 ? "" : "s",
                             a.pos.size()));
  }
  // The items of what extend() or update() is given: a StrictUndefined
  // raises (a plain one has none), a bound method is not iterable.
  List iterable_argument(const Value& x) {
    if (const std::string* why = undefined_item_why(x)) {
      if (lenient_undefined_item(x)) return {};
      throw JError(*why);
    }
    if (const NestedObject* o = nested_object(x); o && o->type == "builtin_function_or_method")
      throw JError("'builtin_function_or_method' object is not iterable");
    // l.extend([l]): the markers mark_self_references put stand for l.
    if (x.is_list() && extending_self_) return x.as_list();
    return items_of(x);
  }
  // l.m(args) made in l, with Python's results and errors: every check
  // (and the budget's charge) comes before l is touched, so a failing call
  // leaves it as it was.
  Value change_list(List& l, const std::string& m, const Args& a) {
    auto count = [&](size_t least, size_t most) { check_count("list", m, a, least, most); };
    if (m == "append") {
      count(1, 1);
      budget_.items(1);
      l.push_back(a.pos[0]);
    } else if (m == "extend") {
      count(1, 1);
      List more = iterable_argument(a.pos[0]);
      budget_.items(more.size());
      l.insert(l.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
    } else if (m == "insert") {
      count(2, 2);
      int64_t i = ival(a.pos[0]), n = static_cast<int64_t>(l.size());
      if (i < 0) i = std::max<int64_t>(0, i + n);
      budget_.items(1);
      budget_.step(l.size());
      l.insert(l.begin() + std::min(i, n), a.pos[1]);
    } else if (m == "pop") {
      count(0, 1);
      if (l.empty()) throw JError("pop from empty list");
      int64_t n = static_cast<int64_t>(l.size()), i = a.pos.empty() ? -1 : ival(a.pos[0]);
      if (i < 0) i += n;
      if (i < 0 || i >= n) throw JError("pop index out of range");
      budget_.step(size_t(n - i));
      Value out = std::move(l[size_t(i)]);
      l.erase(l.begin() + i);
      return out;
    } else if (m == "remove") {
      count(1, 1);
      budget_.step(l.size());
      auto it = std::find_if(l.begin(), l.end(), [&](const Value& y) { return py_eq(y, a.pos[0]); });
      if (it == l.end()) throw JError("list.remove(x): x not in list");
      l.erase(it);
    } else if (m == "clear") {
      count(0, 0);
      budget_.step(l.size());
      l.clear();
    } else if (m == "reverse") {
      count(0, 0);
      budget_.step(l.size());
      std::reverse(l.begin(), l.end());
    } else {  // sort(*, key=None, reverse=False)
      if (!a.pos.empty()) throw JError("sort() takes no positional arguments");
      for (const auto& [k, x] : a.kw)
        if (k != "reverse" && k != "key") throw JError(fmt::format("'{}' is an invalid keyword argument for sort()", k));
      if (auto key = a.kw.find("key"); key != a.kw.end() && !key->second.is_null())
        throw JError("sort(key=...) takes a function, which a template cannot give");
      bool reverse = a.kw.count("reverse") && a.kw.at("reverse").truthy();
      refuse_undefined_item_in(l);
      budget_.sort(l.size());
      // Sorted aside: a comparison that fails (1 < 'a') leaves l whole.
      List sorted = l;
      std::stable_sort(sorted.begin(), sorted.end(), [&](const Value& x, const Value& y) {
        return reverse ? py_cmp(y, x, "<") < 0 : py_cmp(x, y, "<") < 0;
      });
      l = std::move(sorted);
    }
    return Value();
  }
  // d.m(args) made in d (as change_list).
  Value change_dict(Dict& d, const std::string& m, const Args& a) {
    if (m == "update") {
      if (a.pos.size() > 1) throw JError(fmt::format("update expected at most 1 argument, got {}", a.pos.size()));
      if (!a.pos.empty()) {
        // An Undefined (any: its `keys` raises) or a method is refused as
        // Python refuses it.
        if (const std::string* why = undefined_item_why(a.pos[0])) throw JError(*why);
        iterable_argument(a.pos[0]);
      }
      Value merged = dict_global(Args{a.pos, {}});
      budget_.items(merged.size() + a.kw.size());
      for (const auto& [k, x] : merged.as_dict()) d.set(k, x);
      for (const auto& [k, x] : a.kw) d.set(k, x);
      return Value();
    }
    if (m == "clear") {
      check_count("dict", m, a, 0, 0);
      budget_.step(d.size());
      d = Dict{};
      return Value();
    }
    if (m == "popitem") {
      check_count("dict", m, a, 0, 0);
      if (d.empty()) throw JError("'popitem(): dictionary is empty'");
      budget_.step(d.size());
      std::string key = d.at(d.size() - 1).first;
      Value pair = tuple_of(List{key_value(key), d.at(d.size() - 1).second});
      d.erase(key);
      return pair;
    }
    check_count("dict", m, a, 1, 2);
    const Value& key = a.pos[0];
    require_hashable(key);
    const Value* found = dict_find(d, key);
    if (m == "setdefault") {
      if (found) return *found;
      Value x = a.pos.size() > 1 ? a.pos[1] : Value();
      budget_.items(1);
      dict_set(d, key, x);
      return x;
    }
    // pop(key[, default])
    if (!found) {
      if (a.pos.size() > 1) return a.pos[1];
      throw JError(python_repr(key));  // str(KeyError(key))
    }
    budget_.step(d.size());
    Value out = *found;
    for (const auto& [k, x] : d)
      if (&x == found) {
        std::string name = k;
        d.erase(name);
        break;
      }
    return out;
  }
  // What a change of self would make self hold of itself (see
  // kSelfItem): the marker instead.
  void mark_self_references(const Value& self, const std::string& m, Args& a) {
    const void* me = payload_of(self);
    auto mark = [&](Value& x) {
      if ((x.is_list() || x.is_dict()) && payload_of(x) == me) {
        x = self_item();
        self_items_ = true;
      }
    };
    auto mark_items = [&](Value& container) {
      if (!(container.is_list() || container.is_dict())) return;
      bool any = false;
      auto holds_me = [&](const Value& x) { return (x.is_list() || x.is_dict()) && payload_of(x) == me; };
      if (container.is_list()) any = std::any_of(container.as_list().begin(), container.as_list().end(), holds_me);
      else
        for (const auto& [k, x] : container.as_dict()) any = any || holds_me(x);
      if (!any) return;
      self_items_ = true;
      if (container.is_list()) {
        List l = container.as_list();
        for (auto& x : l) mark(x);
        container = Value(std::move(l)).as_tuple(container.is_tuple());
      } else {
        Dict d = container.as_dict();
        for (const auto& [k, x] : container.as_dict())
          if (holds_me(x)) d.set(k, self_item());
        container = Value(std::move(d));
      }
    };
    if (self.is_list() && (m == "append" || m == "insert")) {
      if (!a.pos.empty()) mark(a.pos.back());
    } else if (self.is_list() && m == "extend") {
      if (!a.pos.empty()) {
        mark_items(a.pos[0]);
        extending_self_ = a.pos[0].is_list() && holds_self_item(a.pos[0]);
      }
    } else if (self.is_dict() && m == "update") {
      if (!a.pos.empty()) mark_items(a.pos[0]);
      for (auto& [k, x] : a.kw) mark(x);
    } else if (self.is_dict() && m == "setdefault") {
      if (a.pos.size() > 1) mark(a.pos[1]);
    }
  }
  // self.m(args) made in a copy of self: {the copy (this evaluation's
  // now), what the call returns}.
  std::pair<Value, Value> changed(const Value& self, const std::string& m, const Args& a) {
    budget_.items(self.size() + 1);
    Value result, now;
    if (self.is_list()) {
      List l = self.as_list();
      result = change_list(l, m, a);
      now = Value(std::move(l));
    } else {
      Dict d = self.as_dict();
      result = change_dict(d, m, a);
      now = Value(std::move(d));
    }
    adopt(now);
    return {now, result};
  }
  // self.m(args) made in self, one of this evaluation's (mine) that the
  // change fits: what the call returns. The payload was made non-const
  // (core/value) and no other evaluation or thread holds it.
  Value change_in_place(const Value& self, const std::string& m, const Args& a) {
    if (self.is_list()) return change_list(const_cast<List&>(self.as_list()), m, a);
    return change_dict(const_cast<Dict&>(self.as_dict()), m, a);
  }
  // Puts v (the changed copy of a list or dict that was not this
  // evaluation's) where `at` (a name, an attribute or an item of one) reads
  // from, as Python's in-place change is seen through the name it was made
  // by, and in the other names holding the original (replace_aliases).
  void store_at(const JNode& at, const Value& v) {
    if (at.kind == JKind::Name) {
      if (JV* own = find_mut(at.text); own && own->object.empty() && !own->macro && own->method.empty()) {
        Value old = own->v;
        own->v = v;
        if (own->root) root_changed_ = true;
        replace_aliases(old, v);
      }
      return;
    }
    if (at.kind == JKind::Call && at.args.size() >= 2 && at.value.is_int() && at.value.as_int() >= 1 &&
        at.args[0]->kind == JKind::Attr && (at.args[0]->text == "setdefault" || at.args[0]->text == "get") &&
        !at.args[0]->args.empty()) {
      // d.setdefault(k, []).append(x), d.get(k).append(x): the item d[k]
      // (when d holds k; a default handed back is no item of d).
      const JNode& owner = *at.args[0]->args[0];
      JV parent = eval(owner);
      if (parent.undefined || !parent.object.empty() || !parent.method.empty() || !parent.v.is_dict()) return;
      Value key = eval(*at.args[1]).get();
      if (!dict_find(parent.v, key)) return;
      Dict d = parent.v.as_dict();
      dict_set(d, key, v);
      store_at(owner, kept_view(parent.v, Value(std::move(d))));
      return;
    }
    if ((at.kind != JKind::Attr && at.kind != JKind::Item) || at.args.empty()) return;
    const JNode& parent_node = *at.args[0];
    if (at.kind == JKind::Attr && parent_node.kind == JKind::Name) {
      // A namespace's attribute.
      if (JV* ns = find_mut(parent_node.text); ns && ns->object == "namespace") {
        Dict d = state_of(*ns).as_dict();
        Value old = d.contains(at.text) ? *d.find(at.text) : Value();
        d.set(at.text, v);
        set_namespace(*ns, Value(std::move(d)));
        replace_aliases(old, v);
        return;
      }
    }
    JV parent = eval(parent_node);
    if (parent.undefined || !parent.object.empty() || parent.lazy || !parent.method.empty()) return;
    const Value& pv = parent.v;
    Value key = at.kind == JKind::Attr ? (at.value.is_null() ? Value(at.text) : at.value) : eval(*at.args[1]).get();
    if (pv.is_dict()) {
      if (!dict_find(pv, key)) return;
      Dict d = pv.as_dict();
      dict_set(d, key, v);
      store_at(parent_node, kept_view(pv, Value(std::move(d))));
    } else if (pv.is_list() && !pv.is_tuple() && is_intlike(key)) {
      int64_t i = ival(key), n = static_cast<int64_t>(pv.size());
      if (i < 0) i += n;
      if (i < 0 || i >= n) return;
      List l = pv.as_list();
      l[size_t(i)] = v;
      store_at(parent_node, Value(std::move(l)));
    }
  }

  // Python's names hold objects: another name (`{% set m = l %}`, a
  // macro's parameter, a namespace's attribute, a loop variable, a list or
  // dict holding it, the data context `_`) bound to the list or dict just
  // copied and changed sees the change: every value the template's names
  // hold is walked and what has `old`'s payload becomes `now`. The data
  // context `_` (often the largest value, and what a loop over its items
  // changes item by item) is changed when it is next read (root_pending_,
  // flush_root), all its changes in one walk; it is left alone when old is
  // this evaluation's and `_` was never changed (it cannot hold it). The
  // engine's data context itself is never touched.
  void replace_aliases(const Value& old, const Value& now) {
    if (!(old.is_list() || old.is_dict())) return;
    const void* p = payload_of(old);
    for (auto& scope : scopes_)
      for (auto& [name, j] : scope) {
        if (j.undefined || j.macro || j.lazy || j.root) continue;
        if (!j.object.empty() && j.object != "namespace") continue;
        if (j.object == "namespace" && j.state) {  // its attributes as all its holders see them
          if (auto r = replaced(*j.state, [&](const void* x) { return x == p ? &now : nullptr; }, old.depth())) {
            *j.state = *r;
            j.v = std::move(*r);
          }
          continue;
        }
        if (auto r = replaced(j.v, [&](const void* x) { return x == p ? &now : nullptr; }, old.depth()))
          j.v = std::move(*r);
      }
    if (auto made = root_pending_by_now_.find(p); made != root_pending_by_now_.end()) {
      // old is itself what `_` is to get: it gets now instead.
      const void* key = made->second;
      root_pending_by_now_.erase(made);
      root_pending_[key] = now;
      root_pending_by_now_[payload_of(now)] = key;
    } else if (root_changed_ || !root_pending_.empty() || !mine(old)) {
      // (old may also be inside what `_` is to get: flush_root looks
      // inside each replacement too.)
      root_pending_[p] = now;
      root_pending_by_now_[payload_of(now)] = p;
      root_pending_depth_ = std::min(root_pending_depth_, old.depth());
    }
  }
  // `_` given the changes replace_aliases left for it.
  void flush_root(JV& root) {
    if (root_pending_.empty()) return;
    auto pending = std::move(root_pending_);
    root_pending_.clear();
    root_pending_by_now_.clear();
    size_t depth = root_pending_depth_;
    root_pending_depth_ = SIZE_MAX;
    // A replacement may hold what a later change replaced (a dict whose
    // list was changed after it): it is looked inside too, but not for
    // itself (a list that holds what it replaced: `l.append(l)`'s copy).
    std::unordered_set<const void*> inside;
    auto now_of = [&](const void* x) -> const Value* {
      if (inside.count(x)) return nullptr;
      auto f = pending.find(x);
      return f == pending.end() ? nullptr : &f->second;
    };
    auto enter = [&](const void* x, bool in) {
      if (in) inside.insert(x);
      else inside.erase(x);
    };
    auto r = replaced(root.v, now_of, depth, &enter);
    if (r) {
      root.v = std::move(*r);
      root_changed_ = true;
    }
  }
  // v with what `now_of` maps (by payload), at any depth, replaced by what
  // it maps it to; nullopt when v holds none.
  // depth: the least of the replaced values'; a value no deeper holds none.
  // enter (flush_root's): told when a replacement is looked inside.
  template <class NowOf, class Enter = void (*)(const void*, bool)>
  std::optional<Value> replaced(const Value& v, const NowOf& now_of, size_t depth, const Enter* enter = nullptr) {
    if (!(v.is_list() || v.is_dict())) return std::nullopt;
    if (const Value* now = now_of(payload_of(v))) {
      if (!enter) return *now;
      const void* key = payload_of(v);
      (*enter)(key, true);
      auto inner = replaced(*now, now_of, depth, enter);
      (*enter)(key, false);
      return inner ? std::move(*inner) : *now;
    }
    if (v.depth() <= depth) return std::nullopt;
    budget_.step(v.size());
    if (v.is_list()) {
      std::optional<List> out;
      for (size_t i = 0; i < v.size(); ++i)
        if (auto r = replaced(v.as_list()[i], now_of, depth, enter)) {
          if (!out) out = v.as_list();
          (*out)[i] = std::move(*r);
        }
      if (!out) return std::nullopt;
      return Value(std::move(*out)).as_tuple(v.is_tuple());
    }
    std::optional<Dict> out;
    for (const auto& [k, x] : v.as_dict())
      if (auto r = replaced(x, now_of, depth, enter)) {
        if (!out) out = v.as_dict();
        out->set(k, std::move(*r));
      }
    if (!out) return std::nullopt;
    Value now(std::move(*out));
    if (is_context_view(v)) add_view(now);  // the same ContextView, what it holds changed
    return now;
  }

  // Python's TypeError for calling what is no function (its type's name:
  // 'int', 'NoneType', 'range', 'generator', 'dict_items', 'Markup').
  JError not_callable(const JV& target) {
    std::string type = target.macro ? obj_name(target.v) : type_name(target);
    return JError(fmt::format("'{}' object is not callable", type));
  }

  JV call(const JNode& n) {
    const JNode& callee = *n.args[0];
    if (callee.kind == JKind::Attr && callee.args[0]->kind == JKind::Name) {
      if (auto r = object_method(callee.args[0]->text, callee.text, n)) return *r;
    }
    if (callee.kind == JKind::Name) {
      if (JV* own = find_mut(callee.text); own && is_function(*own)) {
        std::string global = own->method;
        if (auto r = call_global(global, n)) return *r;
      }
      if (JV* own = find_mut(callee.text); own && !own->object.empty())
        return call_object(*own, args_of(n, 1, own->macro != nullptr));
      if (callee.text == "loop" && find_mut("loop")) return JV{Value(loop_again(args_of(n, 1)))};
      // A name bound to a method (`{% set ap = l.append %}`) is called
      // below, its arguments evaluated once.
      // A name the template binds is called as what it holds (`{% set
      // range = 5 %}`: 'int' object is not callable), one its frame has
      // not stored yet is undefined (jinja_frames.h), before any global.
      const JV* bound = find_mut(callee.text);
      if (bound && bound->missing) throw JError(bound->why);
      if (!bound || bound->undefined) {
        // An undefined name called raises before its arguments, which
        // Python passes as Undefined objects (`st2kv(var1)`).
        if (!is_global_function(callee.text))
          if (JV target = lookup(callee.text); target.undefined) {
            // (What fails in them fails first; an Undefined unpacked raises.)
            const size_t keywords = n.names.size(), first_keyword = n.args.size() - keywords;
            for (size_t i = 1; i < n.args.size(); ++i) {
              if (!n.args[i]) continue;
              JV x = eval(*n.args[i]);
              bool unpacked = i >= first_keyword && (n.names[i - first_keyword] == "*" || n.names[i - first_keyword] == "**");
              if (unpacked && x.undefined) throw JError(x.why);
            }
            throw JError(target.why);
          }
        if (auto r = call_global(callee.text, n)) return *r;
        JV target = lookup(callee.text);
        if (target.undefined) throw JError(target.why);
        // A name bound to a method (`{% set m = d.items %}`) calls it.
        if (target.method.empty() || target.macro) throw not_callable(target);
      }
    }
    JV target = callee.kind == JKind::Name ? lookup(callee.text) : eval(callee);
    if (target.undefined) throw JError(target.why);
    if (is_function(target))
      if (auto r = call_global(target.method, n)) return *r;
    if (target.object == "joiner" && target.method.empty() && !target.macro) return call_object(target, args_of(n, 1));
    if (target.macro && target.method.empty()) return call_object(target, args_of(n, 1, true));
    if (target.object == "cycler" && (target.method == "next" || target.method == "reset")) {
      Args a = args_of(n, 1);
      if (!a.pos.empty() || !a.kw.empty())
        throw JError(fmt::format("Cycler.{}() takes 1 positional argument but {} were given", target.method,
                                 a.pos.size() + a.kw.size() + 1));
      std::string m = target.method;
      target.method.clear();
      return JV{cycler_step(target, m)};  // the shared state moves on (a held cycler's)
    }
    if (target.method.empty()) throw not_callable(target);
    if (target.method == "encode" || target.object == "bytes") return transcode(target, args_of(n, 1));
    if (target.object == "date" || target.object == "datetime") {
      Args a = args_of(n, 1);
      const std::string m = target.method;
      target.method.clear();
      PyTime t = py_time_of(target);
      if (!a.pos.empty() || (!a.kw.empty() && m != "isoformat"))
        throw JError(fmt::format("{}() takes no arguments ({} given)", m, a.pos.size() + a.kw.size()));
      if (m == "isoformat") {
        if (!a.kw.empty()) throw JError("isoformat() takes keyword arguments Bora has not: call it without");
        std::string text = target.v.as_string();
        if (t.time) text[10] = 'T';
        return JV{Value(text)};
      }
      int64_t weekday = static_cast<int64_t>((py_time_key(PyTime{t.year, t.month, t.day}) / 1000000 / 86400) % 7);
      return JV{Value(m == "weekday" ? weekday : weekday + 1)};
    }
    if (target.of_range) return JV{range_method(target, args_of(n, 1))};
    if (target.safe && target.v.is_string()) {
      if (auto r = markup_method(target, args_of(n, 1))) return *r;
    }
    if (is_context_view(target.v) && target.object.empty() && !target.macro) {
      // Mistral's ContextView refuses what would change it; setdefault
      // and copy are dict's own, on its own (empty) dict.
      const std::string& m = target.method;
      if (m == "update" || m == "pop" || m == "popitem" || m == "clear") throw JError("Context view is immutable.");
      if (m == "setdefault" || m == "copy") {
        Args a = args_of(n, 1, true);
        if (m == "copy") return JV{method(empty_dict(), m, a)};
        check_count("dict", m, a, 1, 2);
        require_hashable(a.pos[0]);
        return item_jv(a.pos.size() > 1 ? a.pos[1] : Value());
      }
      // items() and values() are lists (keys() a set).
      if (m == "items" || m == "values") return JV{charged(method(target.v, m, args_of(n, 1)))};
    }
    if (changes_in_place(target)) {
      // An Undefined argument is stored (append) or handed back (pop,
      // setdefault) as Python does; it raises where it is used.
      Args a = args_of(n, 1, true);
      mark_self_references(target.v, target.method, a);
      struct Reset {
        bool& flag;
        ~Reset() { flag = false; }
      } reset{extending_self_};
      adopt_literal_args(n, a);
      // One of this evaluation's: changed in place, seen by every holder.
      if (mine(target.v) && fits(target.v, target.method, a))
        return item_jv(self_resolved(change_in_place(target.v, target.method, a), target.v));
      // One of this evaluation's that would nest deeper than its record
      // says: changed in place all the same when its only holder is the
      // place it was read from (raise_record).
      if (mine(target.v) && callee.kind == JKind::Attr &&
          raise_record(*callee.args[0], target.v, needed_depth(target.v, target.method, a), 1))
        return item_jv(self_resolved(change_in_place(target.v, target.method, a), target.v));
      auto [self, result] = changed(target.v, target.method, a);
      // Where it was read from, then the other names holding it (a bound
      // `ap = l.append` too; store_at of a name has done so).
      if (callee.kind == JKind::Attr) store_at(*callee.args[0], self);
      if (callee.kind != JKind::Attr || callee.args[0]->kind != JKind::Name) replace_aliases(target.v, self);
      return item_jv(self_resolved(result, self));
    }
    // str.format takes an Undefined (`{0!r}` prints it; str() of it raises).
    // dict.get(k, Undefined) hands the Undefined back only when k is missing.
    bool keep_undefined = (target.method == "format" && target.v.is_string()) ||
                          (target.method == "get" && target.v.is_dict());
    JV r{charged(method(target.v, target.method, args_of(n, 1, keep_undefined)))};
    if (target.v.is_dict() && (target.method == "items" || target.method == "keys" || target.method == "values"))
      return dict_view(target.method, std::move(r.v));
    return r;
  }

  // A call of the global `name` (Jinja's range, dict, lipsum, namespace,
  // cycler, joiner, Mistral's functions) with n's arguments; nullopt: no
  // such global.
  std::optional<JV> call_global(const std::string& name, const JNode& n) {
    // dict(x, k=v) holds an Undefined v as Python's dict does (printed
    // `Undefined`, raised when used or stored).
    Args a = args_of(n, 1, name == "dict" && lookup("dict").undefined);
    if (name == "namespace" || name == "cycler" || name == "joiner")
      if (auto g = object_global(name, a)) return *g;
    if (name == "lipsum" && lookup("lipsum").undefined) return JV{Value(lipsum(a))};
    if (name == "range") {
      if (!a.kw.empty())
        throw JError(fmt::format("safe_range() got an unexpected keyword argument '{}'", a.kw.begin()->first));
      if (a.pos.size() > 3) throw JError(fmt::format("range expected at most 3 arguments, got {}", a.pos.size()));
      for (const auto& x : a.pos)
        if (!is_intlike(x) && !nested_object(x))
          throw JError(fmt::format("'{}' object cannot be interpreted as an integer", py_type_name(x)));
      if (std::any_of(a.pos.begin(), a.pos.end(), [](const Value& v) { return v.is_big_int(); })) {
        JV r{big_range(a.pos)};
        r.range = Value(List{a.pos.size() >= 2 ? a.pos[0] : Value(int64_t{0}), a.pos.size() >= 2 ? a.pos[1] : a.pos[0],
                             a.pos.size() > 2 ? a.pos[2] : Value(int64_t{1})});
        return r;
      }
      int64_t start = 0, stop, step = 1;
      if (a.pos.size() == 1) stop = ival(a.pos[0]);
      else if (a.pos.size() >= 2) {
        start = ival(a.pos[0]);
        stop = ival(a.pos[1]);
        if (a.pos.size() > 2) step = ival(a.pos[2]);
      } else throw JError("range expected at least 1 argument, got 0");
      if (step == 0) throw JError("range() arg 3 must not be zero");
      // In 128 bits: stop - start can overflow 64 (range(-9e18, 9e18)
      // must be refused, not counted as empty and then looped over).
      __int128 span = step > 0 ? __int128(stop) - start : __int128(start) - stop;
      __int128 magnitude = step > 0 ? __int128(step) : -__int128(step);
      __int128 count = span <= 0 ? 0 : (span + magnitude - 1) / magnitude;
      if (count > kMaxRange) throw JError(fmt::format("Range too big. The sandbox blocks ranges larger than MAX_RANGE ({}).", kMaxRange));
      budget_.items(static_cast<uint64_t>(count));
      List out;
      out.reserve(static_cast<size_t>(count));
      for (int64_t k = 0; k < static_cast<int64_t>(count); ++k) out.emplace_back(int64_t(start + __int128(k) * step));
      JV r{Value(std::move(out))};
      r.range = Value(List{Value(start), Value(stop), Value(step)});
      return r;
    }
    if (name == "dict") return JV{dict_global(a)};
    if (lookup(name).undefined && ctx_.functions) {
      if (const HostFunction* fn = ctx_.functions->find(name)) {
        check_mistral_function_call(name, a);
        if (name == "yaml_dump") {
          for (const auto& v : a.pos) refuse_unrepresentable(v);
          for (const auto& [k, v] : a.kw) refuse_unrepresentable(v);
          // A date or datetime: PyYAML writes its str() plain (handed to
          // the writer as core/yaml's timestamp marker).
          Args marked = a;
          for (auto& v : marked.pos) v = yaml_timestamps(v);
          for (auto& [k, v] : marked.kw) v = yaml_timestamps(v);
          return JV{host(*fn, marked, nullptr, true)};
        }
        if (name == "json_dump" || name == "json_pp") {
          // jsonutils.dumps writes through to_primitive: a datetime as
          // its stored text, a date or a Namespace refused.
          Args stored_args = a;
          for (auto& v : stored_args.pos) v = stored(v);
          for (auto& [k, v] : stored_args.kw) v = stored(v);
          return JV{host(*fn, stored_args, nullptr, false)};
        }
        if (name == "yaml_parse") return yaml_dates(host(*fn, a, nullptr, false), a);
        return JV{host(*fn, a, nullptr, name == "yaml_dump")};
      }
    }
    return std::nullopt;
  }

  // range.index(x) and range.count(x) in CPython's words: an int (or a
  // bool) is looked up by value ("7 is not in range"), anything else by
  // comparing each item ("sequence.index(x): x not in sequence").
  Value range_method(const JV& target, const Args& a) {
    const std::string& m = target.method;
    if (!a.kw.empty()) throw JError(fmt::format("range.{}() takes no keyword arguments", m));
    if (a.pos.size() != 1) throw JError(fmt::format("range.{}() takes exactly one argument ({} given)", m, a.pos.size()));
    const Value& x = a.pos[0];
    const List& items = target.v.as_list();
    budget_.step(items.size());
    int64_t count = 0;
    for (size_t i = 0; i < items.size(); ++i)
      if (py_eq(items[i], x)) {
        if (m == "index") return Value(static_cast<int64_t>(i));
        ++count;
      }
    if (m == "count") return Value(count);
    if (is_intlike(x)) throw JError(fmt::format("{} is not in range", python_repr(x)));
    throw JError("sequence.index(x): x not in sequence");
  }

  // str.encode() and bytes.decode() in UTF-8 or ASCII, the encodings of
  // text Bora's strings (UTF-8) can hold: the bytes keep their text.
  JV transcode(const JV& target, const Args& a) {
    const std::string& m = target.method;
    check_str_call(m, a);
    if (target.object == "bytes" && m != "decode") {
      // Bora's bytes have no bytes literal to pass: an argument is a str,
      // which Python's bytes methods refuse.
      if (!a.pos.empty()) throw JError(fmt::format("a bytes-like object is required, not '{}'", py_type_name(a.pos[0])));
      return bytes_method(target.v.as_string(), m);
    }
    std::string encoding = "utf-8", errors = "strict";
    for (auto [i, name, out] : {std::tuple{0, "encoding", &encoding}, std::tuple{1, "errors", &errors}}) {
      const Value* x = a.get(static_cast<size_t>(i), name);
      if (!x) continue;
      if (!x->is_string())
        throw JError(fmt::format("{}() argument '{}' must be str, not {}", m, name, x->is_null() ? "None" : py_type_name(*x)));
      *out = x->as_string();
    }
    std::string codec;
    for (char ch : encoding) codec += ch == '_' || ch == ' ' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const std::string& text = target.v.as_string();
    std::string out;
    if (codec == "utf-8" || codec == "utf8" || codec == "u8" || codec == "utf") {
      out = text;
      // A lone surrogate (core/utf8.h) has no UTF-8 bytes: refused, replaced
      // or dropped as Python's encoder does; decode sees bytes, never one.
      if (m == "encode" && errors != "surrogatepass") {
        if (auto refused = python_utf8_encode_error(text)) {
          if (errors != "replace" && errors != "ignore") throw JError(*refused);
          out.clear();
          for (size_t i = 0; i < text.size();) {
            std::string_view ch = utf8_character_at(text, i);
            if (ch.empty()) ch = std::string_view(text).substr(i, 1);
            if (!is_surrogate_at(text, i)) out += ch;
            else if (errors == "replace") out += '?';
            i += ch.size();
          }
        }
      }
    } else if (codec == "ascii" || codec == "us-ascii" || codec == "646") {
      // encode walks characters, decode bytes; either refuses, drops or
      // replaces what is not ASCII.
      for (size_t i = 0; i < text.size();) {
        std::string_view ch = m == "encode" ? utf8_character_at(text, i) : std::string_view(text).substr(i, 1);
        if (ch.empty()) ch = std::string_view(text).substr(i, 1);
        auto lead = static_cast<unsigned char>(ch[0]);
        if (lead < 0x80) {
          out += ch;
        } else if (errors == "replace") {
          out += m == "encode" ? "?" : "\xef\xbf\xbd";  // U+FFFD
        } else if (errors != "ignore") {
          if (m == "decode")
            throw JError(fmt::format("'ascii' codec can't decode byte 0x{:02x} in position {}: ordinal not in range(128)",
                                     lead, i));
          // The first character it cannot encode, and the run it starts.
          throw JError(python_ascii_encode_error(text).value_or(""));
        }
        i += ch.size();
      }
    } else {
      if (!python_codec_exists(encoding)) throw JError("unknown encoding: " + encoding);
      throw JError(fmt::format("Bora's {}() knows the encodings 'utf-8' and 'ascii' only, not {}: "
                               "its strings are Unicode text in UTF-8",
                               m, python_string_repr(encoding)));
    }
    JV r{Value(std::move(out))};
    if (m == "encode") r.object = "bytes";
    return r;
  }

  // The bytes methods Bora has: they see ASCII only (a byte of a UTF-8
  // sequence is neither a letter nor a space), as Python's bytes do.
  static JV bytes_method(const std::string& b, const std::string& m) {
    auto space = [](unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
    auto upper = [](unsigned char c) { return c >= 'A' && c <= 'Z'; };
    auto lower = [](unsigned char c) { return c >= 'a' && c <= 'z'; };
    auto digit = [](unsigned char c) { return c >= '0' && c <= '9'; };
    auto all = [&](auto test) {
      return Value(!b.empty() && std::all_of(b.begin(), b.end(), [&](char c) { return test(static_cast<unsigned char>(c)); }));
    };
    if (m == "isdigit") return JV{all(digit)};
    if (m == "isalpha") return JV{all([&](unsigned char c) { return upper(c) || lower(c); })};
    if (m == "isalnum") return JV{all([&](unsigned char c) { return upper(c) || lower(c) || digit(c); })};
    if (m == "isspace") return JV{all(space)};
    if (m == "isascii") return JV{Value(std::all_of(b.begin(), b.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))};
    if (m == "isupper" || m == "islower") {
      // Some cased byte, and none of the other case.
      bool cased = std::any_of(b.begin(), b.end(), [&](char c) { return upper(c) || lower(c); });
      bool other = std::any_of(b.begin(), b.end(), [&](char c) { return m == "isupper" ? lower(c) : upper(c); });
      return JV{Value(cased && !other)};
    }
    if (m == "split" || m == "rsplit") {
      // At runs of ASCII whitespace; the words are bytes (inside a list
      // Bora keeps them as their text).
      List words;
      std::string word;
      for (char c : b) {
        if (!space(static_cast<unsigned char>(c))) word += c;
        else if (!word.empty()) words.emplace_back(std::exchange(word, {}));
      }
      if (!word.empty()) words.emplace_back(std::move(word));
      return JV{Value(std::move(words))};
    }
    std::string out = b;
    auto flip = [](char& c) { c = static_cast<char>(static_cast<unsigned char>(c) ^ 0x20); };
    if (m == "upper" || m == "lower" || m == "swapcase") {
      for (char& c : out) {
        auto u = static_cast<unsigned char>(c);
        if ((m != "lower" && lower(u)) || (m != "upper" && upper(u))) flip(c);
      }
    } else if (m == "title" || m == "capitalize") {
      // title: a letter after a non-letter is upper, others lower;
      // capitalize: the first byte upper, the rest lower.
      bool after_letter = false;
      for (size_t i = 0; i < out.size(); ++i) {
        auto u = static_cast<unsigned char>(out[i]);
        bool first = m == "title" ? !after_letter : i == 0;
        if ((first && lower(u)) || (!first && upper(u))) flip(out[i]);
        after_letter = upper(u) || lower(u);
      }
    } else {
      size_t from = 0, to = out.size();
      if (m != "rstrip")
        while (from < to && space(static_cast<unsigned char>(out[from]))) ++from;
      if (m != "lstrip")
        while (to > from && space(static_cast<unsigned char>(out[to - 1]))) --to;
      out = out.substr(from, to - from);
    }
    JV r{Value(std::move(out))};
    r.object = "bytes";
    return r;
  }

  // d.items(), d.keys(), d.values(): Python's views, which print as
  // `dict_items([('a', 1)])` and have no JSON form.
  JV dict_view(const std::string& m, Value items) {
    JV j{std::move(items)};
    j.lazy = std::make_shared<Lazy>();
    j.lazy->type = "dict_" + m;
    j.lazy->view = true;
    std::string text = j.lazy->type + "([";
    bool first = true;
    for (const auto& x : j.v.as_list()) {
      text += first ? "" : ", ";
      first = false;
      if (x.is_list() || x.is_dict()) budget_.check_value(x);  // before its repr is built
      std::string piece = m == "items" ? "(" + jinja_repr(x.as_list()[0]) + ", " + jinja_repr(x.as_list()[1]) + ")"
                                       : jinja_repr(x);
      budget_.bytes(piece.size());
      text += piece;
    }
    j.lazy->text = text + "])";
    return j;
  }

  // `d.keys() - other` (a keys or items view, or a set so made, minus any
  // iterable; a set minus a set or a view): Python's set of the left's
  // items not in other. It is a view here (read any number of times, a
  // len(), no JSON) of type set, printed `{'a'}` or `set()`: in key order,
  // non-negative ints ascending as CPython's small tables hold them (the
  // order of several strings is their hash's, which Python randomises).
  JV set_difference(const JV& left, const JV& right) {
    List others = items_of(consume(right).get());
    for (const auto& x : others) require_hashable(x);
    budget_.step(left.v.size() * (others.size() + 1));  // each comparison is a step
    List out;
    for (const auto& x : left.v.as_list()) {
      if (left.lazy->type == "dict_items") require_hashable(x);
      if (std::none_of(others.begin(), others.end(), [&](const Value& y) { return py_eq(x, y); })) out.push_back(x);
    }
    if (std::all_of(out.begin(), out.end(), [](const Value& x) { return x.is_int() && x.as_int() >= 0; }))
      std::sort(out.begin(), out.end(), [](const Value& x, const Value& y) { return x.as_int() < y.as_int(); });
    JV j{Value(std::move(out))};
    j.lazy = std::make_shared<Lazy>();
    j.lazy->type = "set";
    j.lazy->view = true;
    std::string text;
    for (const auto& x : j.v.as_list()) {
      std::string piece = jinja_repr(x);
      budget_.bytes(piece.size());
      text += (text.empty() ? "{" : ", ") + piece;
    }
    j.lazy->text = text.empty() ? "set()" : text + "}";
    return j;
  }

  // Templates' stateful globals: namespace(...), cycler(...), joiner(...).
  std::optional<JV> object_global(const std::string& name, const Args& a) {
    if (!lookup(name).undefined) return std::nullopt;
    JV o;
    o.object = name;
    if (name == "namespace") {
      Dict d;
      for (const auto& x : a.pos) {
        if (!x.is_dict()) throw JError(fmt::format("'{}' object is not iterable", py_type_name(x)));
        for (const auto& [k, v] : x.as_dict()) d.set(k, v);
      }
      for (const auto& [k, v] : a.kw) d.set(k, v);
      o.v = Value(std::move(d));
    } else if (name == "cycler") {
      if (a.pos.empty()) throw JError("at least one item has to be provided");
      o.v = Value::dict({{"items", Value(List(a.pos))}, {"pos", Value(int64_t(0))}});
    } else {
      const Value* sep = a.get(0, "sep");
      o.v = Value::dict({{"sep", sep ? Value(to_str(*sep)) : Value(", ")}, {"used", Value(false)}});
    }
    o.state = std::make_shared<Value>(o.v);  // one object, wherever it is held
    return o;
  }

  // `c.next()`, `c.reset()` of a cycler and `loop.cycle(...)`.
  std::optional<JV> object_method(const std::string& name, const std::string& m, const JNode& n) {
    JV* o = find_mut(name);
    if (!o) return std::nullopt;
    if (name == "loop" && m == "cycle" && o->object.empty() && o->v.is_dict() && o->v.find("index0")) {
      Args a = args_of(n, 1);
      if (a.pos.empty()) throw JError("no items for cycling given");
      return JV{a.pos[size_t(o->v.find("index0")->as_int()) % a.pos.size()]};
    }
    // loop.changed(*value): true on the first call and whenever the
    // arguments differ (as a tuple, by ==) from the previous call's.
    if (name == "loop" && m == "changed" && o->object.empty() && o->v.is_dict() && o->v.find("index0") &&
        !loops_.empty()) {
      Args a = args_of(n, 1);
      if (!a.kw.empty()) throw JError("changed() got an unexpected keyword argument");
      Value now(a.pos);
      auto& last = loops_.back().last_changed;
      bool changed = !last || !py_eq(*last, now);
      if (changed) last = std::move(now);
      return JV{Value(changed)};
    }
    if (o->object != "cycler" || (m != "next" && m != "reset")) return std::nullopt;
    return JV{cycler_step(*o, m)};
  }

  // c.next() or c.reset() of a cycler: what it gives, its state moved on.
  Value cycler_step(JV& o, const std::string& m) {
    Dict state = state_of(o).as_dict();
    const List& items = state.find("items")->as_list();
    int64_t pos = state.find("pos")->as_int();
    Value r = m == "next" ? items[size_t(pos)] : Value();
    state.set("pos", Value(m == "next" ? (pos + 1) % int64_t(items.size()) : int64_t(0)));
    set_state(o, Value(std::move(state)));
    return r;
  }

  // Calling what a name holds: a macro (or a call block's caller) or a joiner.
  JV call_object(JV& o, const Args& a) {
    if (o.macro) return JV{Value(call_macro(*o.macro, a, nullptr, o.macro_scopes))};
    if (o.object == "joiner") {
      Dict state = state_of(o).as_dict();
      bool used = state.find("used")->as_bool();
      Value r = used ? *state.find("sep") : Value("");
      state.set("used", Value(true));
      set_state(o, Value(std::move(state)));
      return JV{r};
    }
    throw JError(fmt::format("'{}' object is not callable", o.object == "namespace" ? "Namespace" : "Cycler"));
  }

  // One call of a macro: its parameters bound from the arguments (then
  // their defaults) in a scope of its own, `varargs`/`kwargs` for the rest
  // when the body names them, `caller` for a call block. Recursion is
  // bounded by eval()'s depth and the budget's steps.
  std::string call_macro(const Stmt& m, const Args& a, const Stmt* caller, size_t visible) {
    const std::string name = m.kind == SKind::CallBlock ? "caller" : m.text;
    budget_.step(10);
    if (macro_depth_ >= kMaxMacroDepth) throw JError("maximum recursion depth exceeded while calling a Python object");
    std::map<std::string, JV> own;
    List extra;
    for (size_t i = 0; i < a.pos.size(); ++i) {
      if (i < m.targets.size()) own[m.targets[i]] = item_jv(a.pos[i]);
      else extra.push_back(a.pos[i]);
    }
    Dict extra_kw;
    for (const auto& [k, v] : a.kw) {
      bool param = std::find(m.targets.begin(), m.targets.end(), k) != m.targets.end();
      // A keyword for a parameter already given by position is an unknown
      // keyword to Jinja.
      if (param && !own.count(k)) own[k] = item_jv(v);
      else if (k == "caller" && caller == nullptr && m.uses_caller) own[k] = JV{v};
      else extra_kw.set(k, v);
    }
    if (!extra.empty() && !m.uses_varargs)
      throw JError(fmt::format("macro '{}' takes not more than {} argument(s)", name, m.targets.size()));
    if (!extra_kw.empty() && !m.uses_kwargs)
      throw JError(fmt::format("macro '{}' takes no keyword argument '{}'", name, extra_kw.at(0).first));
    // The macro's frame sees the scopes where it was defined, not those
    // opened since (the caller's loop variables); a call block's body sees
    // where it was written.
    const size_t call_site = scopes_.size();
    scopes_.emplace_back();
    start_missing(m.unset);
    scope_links_[call_site] = std::min(visible, call_site);
    ++macro_depth_;
    struct Pop {
      std::vector<std::map<std::string, JV>>& s;
      std::map<size_t, size_t>& links;
      int& depth;
      ~Pop() {
        links.erase(s.size() - 1);
        s.pop_back();
        --depth;
      }
    } pop{scopes_, scope_links_, macro_depth_};
    // Defaults are evaluated in the macro's own frame: they see the
    // parameters given, and a parameter not given is undefined there
    // (`m(x=x)` is Jinja's "'x' is undefined", whatever x is outside).
    for (size_t i = 0; i < m.targets.size(); ++i) {
      const std::string& p = m.targets[i];
      if (auto f = own.find(p); f != own.end()) scopes_.back()[p] = f->second;
      else scopes_.back()[p] = JV::undef(fmt::format("'{}' is undefined", p));
    }
    for (size_t i = 0; i < m.targets.size(); ++i) {
      const std::string& p = m.targets[i];
      if (own.count(p)) continue;
      if (m.values[i]) scopes_.back()[p] = eval(*m.values[i]);
      else scopes_.back()[p] = JV::undef(fmt::format("parameter '{}' was not provided", p));
    }
    if (m.uses_varargs) {
      made_tuples_ = true;
      scopes_.back()["varargs"] = JV{Value(std::move(extra)).as_tuple()};  // Python's *args
    }
    if (m.uses_kwargs) scopes_.back()["kwargs"] = JV{Value(std::move(extra_kw))};
    if (caller) {
      JV c;
      c.object = "macro";
      c.macro = caller;
      c.macro_scopes = call_site;  // the call block sees where it was written
      scopes_.back()["caller"] = c;
    }
    return rendered(m.body);
  }

  // {% call [(params)] macro(args) %}body{% endcall %}: the macro called with
  // the body as `caller`.
  [[gnu::noinline]] Value call_block(const Stmt& s) {
    const JNode& c = *s.expr;
    const JNode& callee = *c.args[0];
    JV target = callee.kind == JKind::Name ? lookup(callee.text) : eval(callee);
    if (target.undefined) throw JError(target.why);
    if (!target.macro) throw not_callable(target);
    return Value(call_macro(*target.macro, args_of(c, 1, true), &s, target.macro_scopes));
  }

  // loop(items) in a `for ... recursive`: the loop's body again, one level
  // deeper, rendered to text.
  std::string loop_again(const Args& a) {
    if (loops_.empty() || !loops_.back().stmt->recursive)
      throw JError("The loop must have the 'recursive' marker to be called recursively.");
    if (a.pos.empty()) throw JError("LoopContext.__call__() missing 1 required positional argument: 'iterable'");
    if (a.pos.size() > 1)
      throw JError(fmt::format("LoopContext.__call__() takes 2 positional arguments but {} were given", a.pos.size() + 1));
    const Stmt& s = *loops_.back().stmt;
    int64_t depth = loops_.back().depth + 1;
    std::string out;
    run_loop(s, Value(items(a.pos[0])), depth, out);
    return out;
  }

  std::string rendered(const std::vector<StmtPtr>& body) {
    std::string out;
    render(body, out);
    return out;
  }

  [[gnu::noinline]] void render_with(const Stmt& s, std::string& out) {
    std::map<std::string, JV> own;
    for (const auto& name : s.unset) {  // see start_missing
      JV m = JV::undef(fmt::format("'{}' is undefined", name));
      m.missing = true;
      own[name] = std::move(m);
    }
    // Each name is the value as evaluated (a range stays a range, an
    // iterator an iterator), as `set` keeps it.
    for (size_t i = 0; i < s.targets.size(); ++i) {
      JV x = eval(*s.values[i]);
      // An Undefined is bound as it is: it raises where it is used.
      if (x.object.empty() && !x.lazy && x.range.is_null() && !x.undefined && x.method.empty()) {
        bool safe = x.safe;
        x = JV{x.get()};
        x.safe = safe;
      }
      own[s.targets[i]] = std::move(x);
    }
    scopes_.push_back(std::move(own));
    render(s.body, out);
    scopes_.pop_back();
  }

  [[gnu::noinline]] void render_filter_block(const Stmt& s, std::string& out) {
    // The body is a frame of its own: what it sets stays in it.
    scopes_.emplace_back();
    start_missing(s.unset);
    std::string body = rendered(s.body);
    scopes_.pop_back();
    scopes_.emplace_back();
    scopes_.back()[std::string(kFilterBody)] = JV{Value(std::move(body))};
    Value r = eval(*s.expr).get();
    scopes_.pop_back();
    out += text_of(r);
  }

  // Mistral's functions (mistral/utils/expression_utils.py) are Python
  // functions whose first parameter is the context: as a filter the piped
  // value, as a global call the data (functools.partial). A call outside
  // their signatures is Python's TypeError, in its words.
  static void check_mistral_function_call(const std::string& name, const Args& a) {
    struct Signature {
      const char* name;
      size_t required;
      std::initializer_list<const char*> parameters;  // the context's included
      // Mistral wraps these in a decorator that binds the arguments with
      // inspect.signature(): its words, without the function's name.
      bool bound = false;
    };
    static const Signature signatures[] = {
        {"env", 1, {"context"}},
        {"execution", 1, {"context"}, true},
        {"executions", 1, {"context", "id", "root_execution_id", "state", "from_time", "to_time"}, true},
        {"global", 2, {"context", "var_name"}},
        {"json_dump", 2, {"context", "data"}},
        {"json_parse", 2, {"context", "data"}},
        {"json_pp", 1, {"context", "data"}},
        {"task", 1, {"context", "task_name"}, true},
        {"tasks", 1, {"context", "workflow_execution_id", "recursive", "state", "flat"}, true},
        {"uuid", 0, {"context"}},
        {"yaml_dump", 2, {"context", "data"}},
        {"yaml_parse", 2, {"context", "data"}}};
    for (const auto& s : signatures) {
      if (name != s.name) continue;
      // Python names the function in its TypeError; inspect's binding
      // (s.bound) does not.
      std::string fn = s.bound ? "" : name + "_() ";
      size_t most = s.parameters.size(), given = a.pos.size() + 1;
      if (given > most) {
        if (s.bound) throw JError("too many positional arguments");
        std::string takes = s.required == most ? std::to_string(most)
                                               : fmt::format("from {} to {}", s.required, most);
        throw JError(fmt::format("{}takes {} positional argument{} but {} were given", fn, takes,
                                 most == 1 && s.required == most ? "" : "s", given));
      }
      std::vector<const char*> filled(s.parameters.begin(), s.parameters.begin() + static_cast<std::ptrdiff_t>(given));
      for (const auto& [k, _] : a.kw) {
        auto p = std::find_if(s.parameters.begin(), s.parameters.end(), [&k = k](const char* w) { return k == w; });
        if (p == s.parameters.end()) throw JError(fmt::format("{}got an unexpected keyword argument '{}'", fn, k));
        if (static_cast<size_t>(p - s.parameters.begin()) < given)
          throw JError(fmt::format("{}{}multiple values for argument '{}'", fn, s.bound ? "" : "got ", k));
        filled.push_back(*p);
      }
      for (size_t i = 0; i < s.required; ++i) {
        const char* p = s.parameters.begin()[i];
        if (std::none_of(filled.begin(), filled.end(), [&](const char* f) { return std::string_view(f) == p; }))
          throw JError(fmt::format("{}missing 1 required positional argument: '{}'", fn, p));
      }
      return;
    }
  }

  // data: what Mistral passes as the function's `context` parameter (the
  // data context; the piped value for a filter).
  // typed_keys: the function takes a dict's keys that are not text as
  // they are ('\x02' and their JSON: yaml_dump writes `null: 1`), not as
  // json.dumps writes them.
 public:
  // v as oslo's to_primitive stores it (json_dump, a task's result): a
  // datetime held anywhere is its "%Y-%m-%dT%H:%M:%S.%f" text; a date or a
  // Namespace cannot be stored ("Circular reference detected"); a Joiner
  // is its attributes. v itself when it holds none of them.
  Value stored(const Value& v) {
    if (nested_.empty()) return v;
    if (const NestedObject* o = nested_object(v)) {
      const JV& x = o->object;
      if (x.object == "datetime" && is_py_time(x)) return Value(py_time_stored(py_time_of(x)));
      if (x.object == "date" && is_py_time(x)) throw JError("Circular reference detected");
      if (x.object == "namespace" && !x.undefined && x.method.empty()) throw JError("Circular reference detected");
      if (x.object == "joiner" && !x.undefined && x.method.empty() && x.state) return *x.state;
      return v;
    }
    if (v.is_list()) {
      std::optional<List> out;
      const List& l = v.as_list();
      for (size_t i = 0; i < l.size(); ++i) {
        Value x = stored(l[i]);
        if (!out && !same_object(x, l[i])) out.emplace(l.begin(), l.begin() + static_cast<std::ptrdiff_t>(i));
        if (out) out->push_back(std::move(x));
      }
      return out ? Value(std::move(*out)).as_tuple(v.is_tuple()) : v;
    }
    if (v.is_dict() && !undefined_item_why(v)) {
      std::optional<Dict> out;
      for (const auto& [k, x] : v.as_dict()) {
        Value y = stored(x);
        if (!out && !same_object(y, x)) {
          out.emplace();
          for (const auto& [k2, x2] : v.as_dict()) {
            if (k2 == k) break;
            out->set(k2, x2);
          }
        }
        if (out) out->set(k, std::move(y));
      }
      return out ? Value(std::move(*out)) : v;
    }
    return v;
  }
 private:
  // v with each date or datetime held in it as core/yaml's timestamp
  // marker ({kYamlTimestampKey: its str()}), which to_yaml writes plain.
  Value yaml_timestamps(const Value& v) {
    if (nested_.empty()) return v;
    if (const NestedObject* o = nested_object(v)) {
      if (is_py_time(o->object)) return Value::dict({{kYamlTimestampKey, Value(v.as_string())}});
      return v;
    }
    if (v.is_list()) {
      List out;
      for (const auto& x : v.as_list()) out.push_back(yaml_timestamps(x));
      return Value(std::move(out)).as_tuple(v.is_tuple());
    }
    if (v.is_dict() && !undefined_item_why(v)) {
      Dict out;
      for (const auto& [k, x] : v.as_dict()) out.set(k, yaml_timestamps(x));
      return Value(std::move(out));
    }
    return v;
  }
  // yaml_parse's value with each plain timestamp scalar of the text
  // (PyYAML's implicit tag) a date or a datetime, as safe_load makes them.
  JV yaml_dates(Value parsed, const Args& a) {
    const Value* text = a.get(0, "data");
    if (!text || !text->is_string()) return JV{parsed};
    const std::string& s = text->as_string();
    bool maybe = false;  // (a timestamp starts with four digits and '-')
    for (size_t i = 0; i + 4 < s.size() && !maybe; ++i)
      maybe = s[i + 4] == '-' && std::isdigit(static_cast<unsigned char>(s[i])) &&
              std::isdigit(static_cast<unsigned char>(s[i + 3]));
    if (!maybe) return JV{parsed};
    YAML::Node root;
    try {
      root = YAML::Load(s);
    } catch (const std::exception&) {
      return JV{parsed};
    }
    if (root.IsScalar() && parsed.is_string() && root.Tag() == "?")
      if (auto t = yaml_timestamp(root.Scalar())) return py_time_jv(*t);
    return JV{dated(parsed, root, 0)};
  }
  static JV py_time_jv(const PyTime& t) {
    JV j{Value(py_time_str(t))};
    j.object = t.time ? "datetime" : "date";
    return j;
  }
  Value dated(const Value& v, const YAML::Node& n, size_t depth) {
    if (depth > kYamlDatesDepth) return v;
    if (n.IsScalar()) {
      if (v.is_string() && n.Tag() == "?")
        if (auto t = yaml_timestamp(n.Scalar())) return *nest(py_time_jv(*t));
      return v;
    }
    if (n.IsSequence() && v.is_list() && v.size() == n.size()) {
      List out;
      for (size_t i = 0; i < v.size(); ++i) out.push_back(dated(v.as_list()[i], n[i], depth + 1));
      return Value(std::move(out));
    }
    if (n.IsMap() && v.is_dict()) {
      Dict out = v.as_dict();
      for (const auto& pair : n) {
        if (!pair.first.IsScalar()) continue;
        const std::string& key = pair.first.Scalar();
        if (const Value* x = v.as_dict().find(key)) out.set(key, dated(*x, pair.second, depth + 1));
      }
      return Value(std::move(out));
    }
    return v;
  }
  static constexpr size_t kYamlDatesDepth = 200;
  // PyYAML's safe_dump writes the builtin types only: a range, a view, a
  // generator, a Markup, a Namespace... held anywhere in the data is its
  // RepresenterError, for the first one met (a dict's items in key order).
  void refuse_unrepresentable(const Value& v) {
    if (const NestedObject* o = nested_object(v); o && o->type != "bytes" && !is_py_time(o->object))
      throw JError("('cannot represent an object', " + (o->pprint_whole ? jinja_repr(v) : o->text) + ")");
    if (v.is_list()) {
      for (const auto& x : v.as_list()) refuse_unrepresentable(x);
    } else if (v.is_dict() && !undefined_item_why(v)) {
      if (!t_nested || t_nested->empty()) return;
      for (const auto& [k, x] : sorted_entries(v)) refuse_unrepresentable(x);
    }
  }
  Value host(const HostFunction& fn, const Args& a, const Value* data = nullptr, bool typed_keys = false) {
    std::vector<std::pair<std::string, Value>> kwargs(a.kw.begin(), a.kw.end());
    // Host functions (json_dump...) write their arguments out whole.
    for (const auto& v : a.pos) budget_.check_value(v);
    for (const auto& [k, v] : kwargs) budget_.check_value(v);
    // After the size check: a value sharing itself is huge when walked.
    for (const auto& v : a.pos) refuse_undefined_items(v);
    for (const auto& [k, v] : kwargs) refuse_undefined_items(v);
    // A list or dict holding itself: json.dumps refuses it (PyYAML would
    // write anchors, which Bora's writer has not).
    for (const auto& v : a.pos) refuse_self_items(v);
    for (const auto& [k, v] : kwargs) refuse_self_items(v);
    if (data) refuse_self_items(*data);
    // A tuple is a list to them (JSON and PyYAML's safe_dump write a list).
    std::vector<Value> pos;
    if (made_tuples_) {
      auto leaving = [&](const Value& v) { return typed_keys ? with_marks(v, false) : plain(v); };
      for (const auto& v : a.pos) pos.push_back(leaving(v));
      for (auto& [k, v] : kwargs) v = leaving(v);
    }
    Value result;
    try {
      result = fn(HostCall{made_tuples_ ? pos : a.pos, kwargs, data ? *data : ctx_.data, ctx_.scope, true});
    } catch (const BudgetExceeded&) {
      throw;
    } catch (const BoraError& e) {
      throw JError(e.what());
    }
    return charged(std::move(result));
  }

  // Python's str methods beyond the common ones (Unicode classes and
  // case; a padding width is charged before the text is built).
  std::optional<Value> str_method(const std::string& s, const std::string& m, const Args& a) {
    auto str_arg = [&](size_t i, const char* name) -> std::string {
      const Value* x = a.get(i, name);
      if (!x) throw JError(fmt::format("{}() takes at least {} argument", m, i + 1));
      return text_of(*x);
    };
    if (m == "find" || m == "rfind" || m == "index" || m == "rindex" || m == "count") {
      // Python counts in characters, within s[start:end] (slice bounds:
      // negative from the end, clamped; None for the default).
      std::string t = str_arg(0, "sub");
      std::vector<size_t> at_char;  // byte offset of each character, and the end
      for (size_t i = 0; i < s.size(); ++i)
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) at_char.push_back(i);
      at_char.push_back(s.size());
      const int64_t n = static_cast<int64_t>(at_char.size()) - 1;
      auto bound = [&](size_t i, int64_t dflt) {
        const Value* x = a.get(i, "");
        if (!x || x->is_null()) return dflt;
        int64_t b;
        if (x->is_bool()) b = x->as_bool() ? 1 : 0;
        else if (x->is_int()) b = x->as_int();
        else b = num(*x) < 0 ? std::numeric_limits<int64_t>::min() / 2 : std::numeric_limits<int64_t>::max() / 2;
        if (b < 0) b = std::max<int64_t>(b + n, 0);
        return std::min(b, n);
      };
      int64_t start = bound(1, 0), end = bound(2, n);
      // CPython's start > len(s) check comes before clamping: 'abc'.find('', 5) is -1.
      if (const Value* x = a.get(1, ""); x && x->is_int() && x->as_int() > n) start = n + 1;
      auto char_of = [&](size_t byte) {
        return static_cast<int64_t>(std::lower_bound(at_char.begin(), at_char.end(), byte) - at_char.begin());
      };
      if (m == "count") {
        if (start > end) return Value(int64_t(0));
        if (t.empty()) return Value(end - start + 1);
        int64_t c = 0;
        size_t lo = at_char[size_t(start)], hi = at_char[size_t(end)];
        for (size_t at = s.find(t, lo); at != std::string::npos && at + t.size() <= hi; at = s.find(t, at + t.size()))
          ++c;
        return Value(c);
      }
      int64_t found = -1;
      if (start <= end) {
        size_t lo = at_char[size_t(start)], hi = at_char[size_t(end)];
        std::string_view window(s.data() + lo, hi - lo);
        size_t at = m == "find" || m == "index" ? window.find(t) : window.rfind(t);
        if (at != std::string_view::npos) found = char_of(lo + at);
      }
      if (found < 0 && (m == "index" || m == "rindex")) throw JError("substring not found");
      return Value(found);
    }
    if (m == "removeprefix" || m == "removesuffix") {
      std::string t = str_arg(0, m == "removeprefix" ? "prefix" : "suffix");
      if (m == "removeprefix") return Value(s.rfind(t, 0) == 0 ? s.substr(t.size()) : s);
      bool ends = s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0;
      return Value(ends && !t.empty() ? s.substr(0, s.size() - t.size()) : s);
    }
    if (m == "isidentifier") return Value(python_isidentifier(s));
    if (m == "translate") {
      // Python's str.translate: the table maps a character's code point
      // (a dict's int key, 97, not its text) to a str, an int (a code
      // point) or None (dropped); a list is indexed by it. Missing: kept.
      const Value* table = a.get(0, "table");
      if (!table) throw JError("translate() takes exactly one argument (0 given)");
      budget_.items(s.size());
      std::string out;
      std::optional<std::vector<std::string>> table_chars;
      for (size_t i = 0; i < s.size();) {
        std::string_view ch = utf8_character_at(s, i);
        size_t len = std::max<size_t>(1, ch.size());
        uint32_t cp = utf8_code_point(ch.empty() ? std::string_view(s).substr(i, 1) : ch);
        const Value* to = nullptr;
        if (table->is_dict()) {
          to = dict_find(*table, Value(static_cast<int64_t>(cp)));
        } else if (table->is_list()) {
          if (cp < table->as_list().size()) to = &table->as_list()[cp];
        } else if (!table->is_string()) {
          std::string type = table->is_null() ? "NoneType" : obj_name(*table);
          if (type.size() > 7 && type.compare(type.size() - 7, 7, " object") == 0) type.resize(type.size() - 7);
          throw JError(fmt::format("'{}' object is not subscriptable", type));
        } else {
          // a str table: indexed by code point, one character each
          if (!table_chars) table_chars = utf8_characters(table->as_string());
          if (cp < table_chars->size()) {
            out += (*table_chars)[cp];
            i += len;
            continue;
          }
        }
        if (!to) {
          out.append(s, i, len);
        } else if (to->is_null()) {
        } else if (to->is_string()) {
          out += to->as_string();
        } else if (to->is_int() && !to->is_bool()) {
          int64_t c = to->as_int();
          if (c < 0 || c > 0x10FFFF) throw JError("character mapping must be in range(0x110000)");
          append_utf8(out, static_cast<uint32_t>(c));
        } else {
          throw JError("character mapping must return integer, None or str");
        }
        i += len;
      }
      return Value(std::move(out));
    }
    if (m == "isascii")
      return Value(std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }));
    if (m == "isprintable") {
      for (size_t i = 0; i < s.size();) {
        std::string_view ch = utf8_character_at(s, i);
        if (!python_isprintable(utf8_code_point(ch))) return Value(false);
        i += std::max<size_t>(1, ch.size());
      }
      return Value(true);
    }
    if (m == "splitlines") {
      const Value* keep = a.get(0, "keepends");
      budget_.items(s.size());
      List lines;
      for (auto& line : python_splitlines(s, keep && keep->truthy())) lines.emplace_back(std::move(line));
      return Value(std::move(lines));
    }
    // Unicode-aware, as Python's str (core/python_unicode).
    if (m == "swapcase") return Value(python_swapcase(s));
    if (m == "casefold") return Value(python_casefold(s));
    if (m == "isalpha") return Value(python_str_is(s, PythonCharClass::Alpha));
    if (m == "isdigit") return Value(python_str_is(s, PythonCharClass::Digit));
    if (m == "isdecimal") return Value(python_str_is(s, PythonCharClass::Decimal));
    if (m == "isnumeric") return Value(python_str_is(s, PythonCharClass::Numeric));
    if (m == "isalnum") return Value(python_str_is(s, PythonCharClass::Alnum));
    if (m == "isspace") return Value(python_str_is(s, PythonCharClass::Space));
    if (m == "istitle") return Value(python_istitle(s));
    if (m == "isupper") return Value(python_isupper(s));
    if (m == "islower") return Value(python_islower(s));
    if (m == "zfill" || m == "center" || m == "ljust" || m == "rjust") {
      const Value* w = a.get(0, "width");
      if (!w) throw JError(fmt::format("{}() takes at least 1 argument (0 given)", m));
      int64_t width = ival(*w), len = static_cast<int64_t>(utf8_length(s));
      if (width <= len) return Value(s);
      budget_.bytes(static_cast<uint64_t>(width));
      size_t pad = static_cast<size_t>(width - len);
      if (m == "zfill") {
        size_t sign = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
        return Value(s.substr(0, sign) + std::string(pad, '0') + s.substr(sign));
      }
      std::string fill = a.get(1, "fillchar") ? text_of(*a.get(1, "fillchar")) : " ";
      if (utf8_length(fill) != 1) throw JError("The fill character must be exactly one character long");
      auto repeat = [&](size_t n) {
        std::string r;
        for (size_t i = 0; i < n; ++i) r += fill;
        return r;
      };
      if (m == "ljust") return Value(s + repeat(pad));
      if (m == "rjust") return Value(repeat(pad) + s);
      // Python's center: the extra character goes left when the width is odd and the text even.
      size_t left = pad / 2 + (pad & static_cast<size_t>(width) & 1);
      return Value(repeat(left) + s + repeat(pad - left));
    }
    if (m == "partition" || m == "rpartition") {
      std::string sep = str_arg(0, "sep");
      if (sep.empty()) throw JError("empty separator");
      size_t at = m == "partition" ? s.find(sep) : s.rfind(sep);
      if (at == std::string::npos)
        return m == "partition" ? tuple_of(List{Value(s), Value(""), Value("")}) : tuple_of(List{Value(""), Value(""), Value(s)});
      return tuple_of(List{Value(s.substr(0, at)), Value(sep), Value(s.substr(at + sep.size()))});
    }
    if (m == "rsplit") {
      const Value* sepv = a.get(0, "sep");
      const Value* max = a.get(1, "maxsplit");
      int64_t left = max ? ival(*max) : -1;
      List out;
      if (!sepv || sepv->is_null()) {
        // The whitespace character (str.isspace) that ends at `e`: its length, or 0.
        auto space_before = [&](size_t e) -> size_t {
          for (size_t n = 1; n <= 3 && n <= e; ++n)
            if (python_space_at(s, e - n) == n) return n;
          return 0;
        };
        size_t end = s.size();
        while (end > 0) {
          while (end > 0 && space_before(end)) end -= space_before(end);
          if (end == 0) break;
          size_t b = end;
          if (left-- == 0) b = 0;
          else
            while (b > 0 && !space_before(b)) --b;
          budget_.items(1);
          out.insert(out.begin(), Value(s.substr(b, end - b)));
          end = b;
        }
        return Value(std::move(out));
      }
      std::string sep = text_of(*sepv);
      if (sep.empty()) throw JError("empty separator");
      size_t end = s.size();
      while (left-- != 0) {
        size_t at = end >= sep.size() ? s.rfind(sep, end - sep.size()) : std::string::npos;
        if (at == std::string::npos) break;
        budget_.items(1);
        out.push_back(Value(s.substr(at + sep.size(), end - at - sep.size())));
        end = at;
      }
      out.push_back(Value(s.substr(0, end)));
      std::reverse(out.begin(), out.end());
      return Value(std::move(out));
    }
    if (m == "expandtabs") {
      int64_t size = a.get(0, "tabsize") ? ival(*a.get(0, "tabsize")) : 8;
      std::string out;
      size_t col = 0;
      for (char c : s) {
        if (c == '\t') {
          size_t n = size > 0 ? static_cast<size_t>(size) - col % static_cast<size_t>(size) : 0;
          budget_.bytes(n);
          out.append(n, ' ');
          col += n;
        } else {
          out += c;
          col = c == '\n' || c == '\r' ? 0 : col + 1;
        }
      }
      return Value(out);
    }
    return std::nullopt;
  }

  // Python 3.11's signatures of the str methods templates call
  // (inspect.signature(str.<m>)): the positional arguments they take and
  // the ones that may be named. A call outside them is Python's TypeError,
  // never an answer.
  static void check_str_call(const std::string& m, const Args& a) {
    struct Signature {
      const char* name;
      size_t least, most;
      std::initializer_list<const char*> keywords;
    };
    static const Signature signatures[] = {
        {"upper", 0, 0, {}}, {"lower", 0, 0, {}}, {"title", 0, 0, {}}, {"capitalize", 0, 0, {}},
        {"swapcase", 0, 0, {}}, {"casefold", 0, 0, {}}, {"isalpha", 0, 0, {}}, {"isdigit", 0, 0, {}},
        {"isalnum", 0, 0, {}}, {"isupper", 0, 0, {}}, {"islower", 0, 0, {}}, {"isspace", 0, 0, {}},
        {"istitle", 0, 0, {}}, {"isdecimal", 0, 0, {}}, {"isnumeric", 0, 0, {}}, {"isascii", 0, 0, {}},
        {"isprintable", 0, 0, {}}, {"strip", 0, 1, {}}, {"lstrip", 0, 1, {}}, {"rstrip", 0, 1, {}},
        {"split", 0, 2, {"sep", "maxsplit"}}, {"rsplit", 0, 2, {"sep", "maxsplit"}}, {"replace", 2, 3, {}},
        {"startswith", 1, 3, {}}, {"endswith", 1, 3, {}}, {"find", 1, 3, {}}, {"rfind", 1, 3, {}},
        {"index", 1, 3, {}}, {"rindex", 1, 3, {}}, {"count", 1, 3, {}}, {"join", 1, 1, {}},
        {"zfill", 1, 1, {}}, {"partition", 1, 1, {}}, {"rpartition", 1, 1, {}}, {"center", 1, 2, {}},
        {"ljust", 1, 2, {}}, {"rjust", 1, 2, {}}, {"expandtabs", 0, 1, {"tabsize"}},
        {"splitlines", 0, 1, {"keepends"}}, {"removeprefix", 1, 1, {}},
        {"removesuffix", 1, 1, {}}, {"isidentifier", 0, 0, {}}, {"translate", 1, 1, {}},
        {"encode", 0, 2, {"encoding", "errors"}}, {"decode", 0, 2, {"encoding", "errors"}}};
    for (const auto& s : signatures) {
      if (m != s.name) continue;
      size_t given = a.pos.size();
      for (const auto& [k, _] : a.kw) {
        if (std::none_of(s.keywords.begin(), s.keywords.end(), [&k = k](const char* w) { return k == w; }))
          throw JError(s.keywords.size() ? fmt::format("'{}' is an invalid keyword argument for {}()", k, m)
                                         : fmt::format("str.{}() takes no keyword arguments", m));
        ++given;
      }
      if (s.most == 0 && given > 0) throw JError(fmt::format("str.{}() takes no arguments ({} given)", m, given));
      // CPython's one-object methods (METH_O) word it their own way.
      if (s.least == 1 && s.most == 1 && given != 1)
        throw JError(fmt::format("str.{}() takes exactly one argument ({} given)", m, given));
      // Those that take keywords (Argument Clinic's parser) word it theirs.
      if (given > s.most && s.keywords.size())
        throw JError(fmt::format("{}() takes at most {} argument{} ({} given)", m, s.most, s.most == 1 ? "" : "s", given));
      if (given > s.most)
        throw JError(fmt::format("{} expected at most {} argument{}, got {}", m, s.most, s.most == 1 ? "" : "s", given));
      // Those parsed by PyArg_ParseTuple ("O|O&O&:count") word it theirs.
      if (given < s.least && (m == "count" || m == "find" || m == "rfind" || m == "index" || m == "rindex" ||
                              m == "startswith" || m == "endswith"))
        throw JError(fmt::format("{}() takes at least {} argument{} ({} given)", m, s.least, s.least == 1 ? "" : "s",
                                 given));
      if (given < s.least)
        throw JError(fmt::format("{} expected at least {} argument{}, got {}", m, s.least, s.least == 1 ? "" : "s", given));
      check_str_argument_types(m, a);
      return;
    }
  }

  // The types CPython's str methods take (Objects/unicodeobject.c), each
  // refusal in its words: a call Python refuses must not be answered.
  static void check_str_argument_types(const std::string& m, const Args& a) {
    auto given = [&](size_t i, const char* name) -> const Value* {
      if (i < a.pos.size()) return &a.pos[i];
      auto k = a.kw.find(name);
      return k == a.kw.end() ? nullptr : &k->second;
    };
    auto integer = [&](size_t i, const char* name) {  // an index: int or bool
      const Value* v = given(i, name);
      if (v && !v->is_integer() && !v->is_bool())
        throw JError(fmt::format("'{}' object cannot be interpreted as an integer", py_type_name(*v)));
    };
    auto slice_index = [&](size_t i) {
      const Value* v = given(i, "");
      if (v && !v->is_integer() && !v->is_bool() && !v->is_null())
        throw JError("slice indices must be integers or None or have an __index__ method");
    };
    auto text = [&](size_t i, const std::string& wording) {
      const Value* v = given(i, "");
      // _PyArg_BadArgument (argument clinic: "replace() argument 1 ...")
      // names None as None; the type checks without a wording name its
      // type, NoneType.
      if (v && !v->is_string())
        throw JError(fmt::format("{}must be str, not {}", wording,
                                 v->is_null() && !wording.empty() ? "None" : py_type_name(*v)));
    };
    // The slice bounds are parsed before the argument is looked at.
    if (m == "count" || m == "find" || m == "rfind" || m == "index" || m == "rindex") {
      slice_index(1);
      slice_index(2);
      text(0, "");
    } else if (m == "startswith" || m == "endswith") {
      slice_index(1);
      slice_index(2);
      const Value* v = given(0, "");
      if (v && !v->is_string() && !(v->is_list() && a.is_tuple(0)))
        throw JError(fmt::format("{} first arg must be str or a tuple of str, not {}", m, py_type_name(*v)));
      // (a tuple's items are checked in turn as they are tried)
    } else if (m == "strip" || m == "lstrip" || m == "rstrip") {
      const Value* v = given(0, "");
      if (v && !v->is_string() && !v->is_null()) throw JError(fmt::format("{} arg must be None or str", m));
    } else if (m == "split" || m == "rsplit") {
      integer(1, "maxsplit");  // converted by the argument parser, sep checked after
      const Value* sep = given(0, "sep");
      if (sep && !sep->is_string() && !sep->is_null())
        throw JError(fmt::format("must be str or None, not {}", py_type_name(*sep)));
    } else if (m == "replace") {
      text(0, "replace() argument 1 ");
      text(1, "replace() argument 2 ");
      integer(2, "");
    } else if (m == "center" || m == "ljust" || m == "rjust") {
      integer(0, "");
      if (const Value* fill = given(1, "")) {
        if (!fill->is_string())
          throw JError(fmt::format("The fill character must be a unicode character, not {}", py_type_name(*fill)));
        if (utf8_length(fill->as_string()) != 1)
          throw JError("The fill character must be exactly one character long");
      }
    } else if (m == "zfill" || m == "expandtabs") {
      integer(0, "tabsize");
    } else if (m == "splitlines") {
      integer(0, "keepends");
    } else if (m == "partition" || m == "rpartition") {
      text(0, "");
      if (given(0, "")->as_string().empty()) throw JError("empty separator");
    } else if (m == "removeprefix" || m == "removesuffix") {
      text(0, m + "() argument ");
    } else if (m == "join") {
      const Value* v = given(0, "");
      if (v->is_list()) {
        const List& l = v->as_list();
        for (size_t i = 0; i < l.size(); ++i)
          if (!l[i].is_string())
            throw JError(fmt::format("sequence item {}: expected str instance, {} found", i, py_type_name(l[i])));
      } else if (!v->is_string() && !v->is_dict()) {
        throw JError("can only join an iterable");
      }
    }
  }

  Value method(const Value& self, const std::string& m, const Args& a) {
    if (self.is_string()) check_str_call(m, a);
    if (m == "copy" && (self.is_list() || self.is_dict())) {
      // A shallow copy: Bora's values are shared and never changed in place.
      const char* type = self.is_list() ? "list" : "dict";
      if (!a.kw.empty()) throw JError(fmt::format("{}.copy() takes no keyword arguments", type));
      if (!a.pos.empty()) throw JError(fmt::format("{}.copy() takes no arguments ({} given)", type, a.pos.size()));
      // A list or dict of its own: changing it (append, update) leaves
      // the original, which another name may hold, as it is.
      return self.is_list() ? Value(List(self.as_list())).as_tuple(self.is_tuple()) : Value(Dict(self.as_dict()));
    }
    auto arg_str = [&](size_t i) -> std::string {
      if (i >= a.pos.size()) throw JError(fmt::format("{}() takes more arguments", m));
      return text_of(a.pos[i]);
    };
    if (self.is_dict()) {
      if (m == "items") {
        List out;
        for (const auto& [k, v] : self.as_dict()) out.push_back(tuple_of(List{key_value(k), self_resolved(v, self)}));
        return Value(std::move(out));
      }
      if (m == "keys") {  // (a ContextView's too, which items_of reads as empty)
        budget_.items(self.size());
        List keys;
        for (const auto& [k, v] : self.as_dict()) keys.push_back(key_value(k));
        return Value(std::move(keys));
      }
      if (m == "values") {
        List out;
        for (const auto& [k, v] : self.as_dict()) out.push_back(self_resolved(v, self));
        return Value(std::move(out));
      }
      if (m == "get") {
        if (a.pos.empty()) arg_str(0);  // its error
        require_hashable(a.pos[0]);
        if (const Value* x = dict_find(self, a.pos[0])) return *x;
        return a.pos.size() > 1 ? a.pos[1] : Value();
      }
    }
    if (self.is_string()) {
      const std::string& s = self.as_string();
      if (auto r = str_method(s, m, a)) return *r;
      if (m == "upper") return Value(upper(s));
      if (m == "lower") return Value(lower(s));
      if (m == "title") return Value(python_title(s));
      if (m == "capitalize") return Value(python_capitalize(s));
      if (m == "strip" || m == "lstrip" || m == "rstrip") {
        std::optional<std::string> chars;
        if (!a.pos.empty() && !a.pos[0].is_null()) chars = text_of(a.pos[0]);
        std::optional<std::string_view> set;
        if (chars) set = *chars;
        return Value(std::string(python_strip(s, set, m != "rstrip", m != "lstrip")));
      }
      if (m == "startswith" || m == "endswith") {
        // A tuple (a list here) of prefixes: any of them.
        List options = !a.pos.empty() && a.pos[0].is_list() ? a.pos[0].as_list() : List{Value(arg_str(0))};
        if (a.pos.size() > 1) {
          // s.startswith(prefix, start[, end]): the slice s[start:end] (characters).
          std::vector<std::string> chars = utf8_characters(s);
          int64_t size = static_cast<int64_t>(chars.size());
          auto clamp = [size](int64_t i) { return i < 0 ? std::max<int64_t>(0, i + size) : std::min(i, size); };
          int64_t from = a.pos[1].is_null() ? 0 : clamp(ival(a.pos[1]));
          int64_t to = a.pos.size() > 2 && !a.pos[2].is_null() ? clamp(ival(a.pos[2])) : size;
          std::string part;
          for (int64_t i = from; i < to; ++i) part += chars[static_cast<size_t>(i)];
          // Python: a prefix longer than the slice never matches, even ''
          // past the end (start beyond the length).
          if (!a.pos[1].is_null() && ival(a.pos[1]) > size) {
            for (const auto& o : options)  // each tried: its type checked
              if (!o.is_string())
                throw JError(fmt::format("tuple for {} must only contain str, not {}", m, py_type_name(o)));
            return Value(false);
          }
          Args prefixes{List{a.pos[0]}, {}};
          if (a.is_tuple(0)) prefixes.tuples.insert(0);
          return method(Value(part), m, prefixes);
        }
        for (const auto& o : options) {
          // Tried in turn: an item that is no str fails when reached.
          if (!o.is_string())
            throw JError(fmt::format("tuple for {} must only contain str, not {}", m, py_type_name(o)));
          std::string t = text_of(o);
          if (m == "startswith" ? s.rfind(t, 0) == 0 : s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0)
            return Value(true);
        }
        return Value(false);
      }
      if (m == "replace") {
        std::string from = arg_str(0), to = arg_str(1), out;
        const Value* count = a.get(2, "count");
        int64_t left = count && !count->is_null() ? ival(*count) : -1;  // Python: -1 replaces every one
        if (from.empty()) {
          // The empty text is found before each character and at the end.
          for (size_t at = 0; left != 0; --left) {
            budget_.bytes(to.size() + 4);
            out += to;
            if (at >= s.size()) return Value(out);
            size_t len = std::max<size_t>(1, utf8_character_at(s, at).size());
            out += s.substr(at, len);
            at += len;
            if (left == 1) return Value(out + s.substr(at));
          }
          return Value(s);
        }
        size_t pos = 0;
        while (left-- != 0) {
          size_t at = s.find(from, pos);
          if (at == std::string::npos) break;
          budget_.bytes(at - pos + to.size());  // as it grows: each match may become a long text
          out += s.substr(pos, at - pos) + to;
          pos = at + from.size();
        }
        return Value(out + s.substr(pos));
      }
      if (m == "split") {
        // Each piece charged as it is made: a run of separators gives as
        // many pieces as bytes, each far larger than a byte.
        List out;
        auto piece = [&](std::string text) {
          budget_.items(1);
          budget_.bytes(text.size());
          out.emplace_back(std::move(text));
        };
        if (a.pos.empty() || a.pos[0].is_null()) {
          // Runs of whitespace, maxsplit of them (any when negative); the
          // rest after them, its leading whitespace skipped, is one piece.
          const Value* max = a.get(1, "maxsplit");
          int64_t left = max ? ival(*max) : -1;
          size_t i = 0;
          auto skip_space = [&] {
            while (i < s.size() && python_space_at(s, i)) i += python_space_at(s, i);
          };
          for (; left != 0; --left) {
            skip_space();
            if (i >= s.size()) break;
            size_t j = i;
            while (j < s.size() && !python_space_at(s, j)) ++j;
            piece(s.substr(i, j - i));
            i = j;
          }
          skip_space();
          if (i < s.size()) piece(s.substr(i));
          return Value(std::move(out));
        }
        std::string sep = arg_str(0);
        if (sep.empty()) throw JError("empty separator");
        const Value* max = a.get(1, "maxsplit");
        int64_t left = max ? ival(*max) : -1;  // Python's maxsplit: -1 for every separator
        size_t pos = 0;
        while (left-- != 0) {
          size_t at = s.find(sep, pos);
          if (at == std::string::npos) break;
          piece(s.substr(pos, at - pos));
          pos = at + sep.size();
        }
        piece(s.substr(pos));
        return Value(std::move(out));
      }
      if (m == "join") {
        std::string out;
        bool first = true;
        for (const auto& x : items(a.pos.at(0))) {
          budget_.bytes(first ? 0 : s.size());
          out += (first ? "" : s) + text_of(x);
          first = false;
        }
        return Value(out);
      }
      if (m == "find") {
        size_t at = s.find(arg_str(0));
        return Value(at == std::string::npos ? int64_t(-1) : static_cast<int64_t>(at));
      }
      if (m == "count") {
        std::string t = arg_str(0);
        // Python finds the empty string between every two characters and
        // at both ends: len(s) + 1.
        if (t.empty()) return Value(static_cast<int64_t>(utf8_length(s)) + 1);
        int64_t c = 0;
        for (size_t at = s.find(t); !t.empty() && at != std::string::npos; at = s.find(t, at + t.size())) ++c;
        return Value(c);
      }
      if (m == "format") return Value(str_format(s, a));
      if (m == "format_map") {
        // The sandbox's format_map: one mapping, its keys the fields' names.
        if (!a.kw.empty()) throw JError("format_map() takes no keyword arguments");
        if (a.pos.size() != 1) throw JError(fmt::format("format_map() takes exactly one argument ({} given)", a.pos.size()));
        Args fields;
        if (a.pos[0].is_dict())
          for (const auto& [k, x] : a.pos[0].as_dict()) fields.kw[k] = x;
        return Value(str_format(s, fields));
      }
    }
    if (self.is_list()) {
      if (m == "index") {
        // CPython's list.index(value, start, stop) and list.count(value),
        // refused in their words without their argument.
        if (a.pos.empty()) throw JError("index expected at least 1 argument, got 0");
        for (size_t i = 0; i < self.size(); ++i)
          if (py_eq(self.as_list()[i], a.pos.at(0))) return Value(static_cast<int64_t>(i));
        if (self.is_tuple()) throw JError("tuple.index(x): x not in tuple");
        budget_.check_value(a.pos.at(0));  // printed in the message
        throw JError(fmt::format("{} is not in list", jinja_repr(a.pos.at(0))));
      }
      if (m == "count") {
        if (!a.kw.empty()) throw JError("list.count() takes no keyword arguments");
        if (a.pos.size() != 1) throw JError(fmt::format("list.count() takes exactly one argument ({} given)", a.pos.size()));
        int64_t c = 0;
        for (const auto& x : self.as_list()) c += py_eq(x, a.pos.at(0)) ? 1 : 0;
        return Value(c);
      }
    }
    throw JError(fmt::format("'{}' has no attribute '{}'", obj_name(self), m));
  }

  // Jinja's do_title: words begin after -, whitespace, (, {, [ or <; each
  // word is item[0].upper() + item[1:].lower() (Python's, so 'ǆ' starts
  // a word as 'Ǆ', where str.title() would give 'ǅ').
  static std::string jinja_title(const std::string& s) {
    std::string out, word;
    auto flush = [&]() {
      if (word.empty()) return;
      std::string_view first = utf8_character_at(word, 0);
      size_t n = first.empty() ? 1 : first.size();
      out += python_upper(word.substr(0, n)) + python_lower(word.substr(n));
      word.clear();
    };
    for (size_t i = 0; i < s.size();) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      size_t space = python_space_at(s, i);
      if (space || c == '-' || c == '(' || c == '{' || c == '[' || c == '<') {
        flush();
        size_t n = space ? space : 1;
        out.append(s, i, n);
        i += n;
      } else {
        word += static_cast<char>(c);
        ++i;
      }
    }
    flush();
    return out;
  }

  // Python's dict(mapping or pairs, **kwargs) (Jinja's global dict):
  // Bora's template dicts have str keys, as a dict literal's.
  Value dict_global(const Args& a) {
    if (a.pos.size() > 1) throw JError(fmt::format("dict expected at most 1 argument, got {}", a.pos.size()));
    Dict d;
    if (!a.pos.empty()) {
      const Value& from = a.pos[0];
      if (undefined_items_)
        if (const std::string* why = undefined_item_why(from)) throw JError(*why);
      if (from.is_dict()) {
        if (!is_context_view(from)) d = from.as_dict();  // a ContextView's own dict is empty
      } else if (from.is_list() || from.is_string()) {
        List pairs = items(from);
        for (size_t i = 0; i < pairs.size(); ++i) {
          const Value& p = pairs[i];
          if (!p.is_list() && !p.is_string())
            throw JError(fmt::format("cannot convert dictionary update sequence element #{} to a sequence", i));
          List kv = items(p);
          if (kv.size() != 2)
            throw JError(fmt::format("dictionary update sequence element #{} has length {}; 2 is required", i,
                                     kv.size()));
          require_hashable(kv[0]);
          if (!kv[0].is_string()) made_tuples_ = true;
          dict_set(d, kv[0], kv[1]);
        }
      } else {
        throw JError(fmt::format("'{}' object is not iterable", py_type_name(from)));
      }
    }
    for (const auto& [k, v] : a.kw) d.set(k, v);
    return Value(std::move(d));
  }

  // Python's hash(): a list or a dict is refused, a tuple when an item is.
  static void require_hashable(const Value& k) { require_hashable_key(k); }

  bool contains(const Value& container, const Value& x) {
    if (container.is_list()) {
      for (const auto& y : container.as_list()) {
        // Python compares the items in turn: a StrictUndefined reached
        // raises (`1 in [[][0]]`), a plain one is unequal.
        if (undefined_items_ && !lenient_undefined_item(y))
          if (const std::string* why = undefined_item_why(y)) throw JError(*why);
        if (py_eq(x, y)) return true;
      }
      return false;
    }
    if (container.is_dict()) {
      require_hashable(x);
      return dict_find(container, x) != nullptr;
    }
    if (container.is_string()) {
      if (!x.is_string())
        throw JError(fmt::format("'in <string>' requires string as left operand, not {}", py_type_name(x)));
      return container.as_string().find(x.as_string()) != std::string::npos;
    }
    throw JError(fmt::format("argument of type '{}' is not iterable", py_type_name(container)));
  }

  // Markup (what safe, e and escape make) with `+` or `%`: markupsafe
  // escapes the other side, each argument of a `%` (a tuple's items, a
  // mapping's values; a Markup among them stays as it is), and the result
  // is Markup again. `~` is str_join in Mistral's environment: plain text.
  JV markup_operator(const std::string& op, const JV& left, const JV& right, const JNode& right_node) {
    auto escaped = [&](const Value& x) {
      if (x.is_string()) return Value(html_escape(x.as_string()));
      if (x.is_list() || x.is_dict()) return Value(html_escape(text_of(x)));
      return x;  // numbers, None, booleans: nothing to escape in their text
    };
    JV out;
    out.safe = true;
    if (op == "+") {
      const Value& a = left.get();
      const Value& b = right.get();
      std::string l = left.safe ? a.as_string() : html_escape(a.as_string());
      std::string r = right.safe ? b.as_string() : html_escape(b.as_string());
      budget_.bytes(l.size() + r.size());
      out.v = Value(l + r);
      return out;
    }
    const Value& b = right.get();
    bool tuple = right.is_tuple();
    Value args = b;
    if (!right.safe) {
      if (tuple && right_node.kind == JKind::List && right_node.args.size() == b.as_list().size()) {
        // A Markup among the items stays as it is: the items' own marks
        // (the tuple's value has lost them), each node evaluated again.
        List items;
        for (size_t i = 0; i < right_node.args.size(); ++i) {
          JV item = eval(*right_node.args[i]);
          items.push_back(item.safe ? item.get() : escaped(item.get()));
        }
        args = Value(std::move(items));
      } else if (tuple) {
        List items;
        for (const auto& x : b.as_list()) items.push_back(escaped(x));
        args = Value(std::move(items));
      } else if (b.is_dict()) {
        Dict d;
        for (const auto& [k, x] : b.as_dict()) d.set(k, escaped(x));
        args = Value(std::move(d));
      } else {
        args = escaped(b);
      }
    }
    out.v = Value(percent_format(left.get().as_string(), args, tuple));
    return out;
  }

  JV binary(const JNode& n) {
    const std::string& op = n.text;
    if (op == "and") {
      JV l = eval(*n.args[0]);
      return truthy(l) ? eval(*n.args[1]) : l;
    }
    if (op == "or") {
      JV l = eval(*n.args[0]);
      return truthy(l) ? l : eval(*n.args[1]);
    }
    JV left = eval(*n.args[0]);
    JV right_jv = eval(*n.args[1]);
    return apply_binary(n, left, right_jv);
  }

  // A comparison with an iterator on either side: Python compares iterators
  // by identity, `x in it` reads it up to x, and orders none.
  bool compare_iterators(const std::string& op, const JV& left, const JV& right) {
    if (op == "==" || op == "!=") {
      bool same = !left.undefined && !right.undefined && left.lazy && right.lazy && objects_eq(left, right);
      return (op == "==") == same;
    }
    // Keys and items views order as sets do: by inclusion.
    if ((op == "<" || op == "<=" || op == ">" || op == ">=") && !left.undefined && !right.undefined &&
        set_view(left) && set_view(right)) {
      const JV& small = op[0] == '<' ? left : right;
      const JV& large = op[0] == '<' ? right : left;
      bool strict = op.size() == 1;
      return view_subset(small, large) && (!strict || small.v.size() < large.v.size());
    }
    if (op == "in" || op == "notin") {
      bool found = false;
      if (right.lazy && !right.undefined && right.lazy->view) {
        const Value x = left.lazy ? Value() : left.get();
        // A keys view hashes what it looks for (an items view first asks
        // for a pair; a values view compares).
        if (right.lazy->type == "dict_keys" && !left.lazy) require_hashable(x);
        for (const auto& y : right.v.as_list()) found = found || (!left.lazy && py_eq(y, x));
      } else if (right.lazy && !right.undefined) {
        // Read up to the first equal item; the rest stays to be read.
        const Value x = left.lazy ? Value() : left.get();
        const List& all = right.v.as_list();
        while (!found && right.lazy->read < all.size()) found = !left.lazy && py_eq(all[right.lazy->read++], x);
        if (!found) consume(right);  // its error, if it has one
      } else if (left.lazy && !left.undefined && (right.v.is_list() || right.v.is_dict()) && !right.undefined &&
                 right.method.empty() && !right.macro) {
        // An iterator or a view among a list's items (or a dict's keys,
        // which hold none): equal to itself, a view to an equal view.
        if (right.v.is_dict()) {
          if (left.lazy->view) throw JError(fmt::format("unhashable type: '{}'", left.lazy->type));
        } else {
          for (const auto& y : right.v.as_list())
            if (const NestedObject* o = nested_object(y); o && objects_eq(left, o->object)) found = true;
        }
      } else {
        right.get();  // an iterator in a value: equal to none of its items
        if (!right.v.is_list() && !right.v.is_dict() && !right.v.is_string())
          throw JError(fmt::format("argument of type '{}' is not iterable", py_type_name(right.v)));
        if (right.v.is_string())
          throw JError(fmt::format("'in <string>' requires string as left operand, not {}", type_name(left)));
      }
      return found == (op == "in");
    }
    throw JError(fmt::format("'{}' not supported between instances of '{}' and '{}'", op, type_name(left),
                             type_name(right)));
  }

  // The operator on its evaluated operands, out of binary()'s frame: binary
  // recurses (`1 + 1 + ... + 1` is 190 frames deep), so its frame holds
  // only the operands, and the depth the stack allows stays where the
  // depth tests put it (sanitizer builds' frames are several times larger).
  [[gnu::noinline]] JV apply_binary(const JNode& n, JV& left, JV& right_jv) {
    const std::string& op = n.text;
    if (op == "~") return JV{Value(text_of(left) + text_of(right_jv))};
    {
      // Markup's + takes only text (or what has __html__), its * only an
      // int: Python's TypeError names Markup.
      auto markup = [](const JV& j) { return !j.undefined && j.safe && j.method.empty() && !j.lazy && j.v.is_string(); };
      bool lm = markup(left), rm = markup(right_jv);
      auto plain_value = [](const JV& j) { return !j.undefined && j.method.empty() && !j.lazy && j.object.empty() && j.range.is_null(); };
      if ((lm || rm) && plain_value(left) && plain_value(right_jv)) {
        auto unsupported = [&] {
          return JError(fmt::format("unsupported operand type(s) for {}: '{}' and '{}'", op, type_name(left), type_name(right_jv)));
        };
        if (op == "+" && lm && !right_jv.v.is_string()) throw unsupported();
        if (op == "*") {
          const JV& other = lm ? right_jv : left;
          // (With another sequence, Python's sequence repeat names Markup.)
          if (lm && rm) throw unsupported();
          if (other.v.is_string() || other.v.is_list()) throw JError("can't multiply sequence by non-int of type 'Markup'");
          if (!(other.v.is_integer() || other.v.is_bool())) throw unsupported();
        }
      }
    }
    if ((is_py_time(left) || is_py_time(right_jv)) && !left.undefined && !right_jv.undefined) {
      // A date or datetime takes part in no arithmetic Bora has (a
      // timedelta would be needed): Python's TypeErrors; a str formats it.
      if (op == "%" && !is_py_time(left) && !left.lazy && left.v.is_string() && !left.safe)
        return JV{Value(percent_format(left.v.as_string(), *nest(right_jv), false))};
      const JV& other = is_py_time(left) ? right_jv : left;
      bool seq = !is_py_time(other) && !other.lazy && !other.is_range() && (other.v.is_string() || other.v.is_list());
      if (op == "+" && !is_py_time(left) && seq)
        throw JError(fmt::format("can only concatenate {} (not \"{}\") to {}", type_name(left), type_name(right_jv),
                                 type_name(left)));
      if (op == "*" && seq) throw JError(fmt::format("can't multiply sequence by non-int of type '{}'", type_name(is_py_time(left) ? left : right_jv)));
      throw JError(fmt::format("unsupported operand type(s) for {}: '{}' and '{}'", op == "**" ? "** or pow()" : op,
                               type_name(left), type_name(right_jv)));
    }
    if ((is_method(left) || is_method(right_jv)) && !left.undefined && !right_jv.undefined) {
      // A bound method takes part in no arithmetic: Python's TypeErrors.
      const JV& other = is_method(left) ? right_jv : left;
      bool seq = !is_method(other) && !other.lazy && !other.is_range() && (other.v.is_string() || other.v.is_list());
      // `'%10s' % d.items`: a str formats it as its text.
      if (op == "%" && !is_method(left) && !left.lazy && left.v.is_string() && !left.safe)
        return JV{Value(percent_format(left.v.as_string(), *nest(right_jv), false))};
      if (op == "+" && !is_method(left) && seq)
        throw JError(fmt::format("can only concatenate {} (not \"builtin_function_or_method\") to {}",
                                 type_name(left), type_name(left)));
      if (op == "*" && seq) throw JError("can't multiply sequence by non-int of type 'builtin_function_or_method'");
      throw JError(fmt::format("unsupported operand type(s) for {}: '{}' and '{}'", op == "**" ? "** or pow()" : op,
                               type_name(left), type_name(right_jv)));
    }
    if (op == "-" && set_view(left) && !right_jv.undefined &&
        (left.lazy->type != "set" || set_view(right_jv)))
      return set_difference(left, right_jv);
    if ((left.lazy && !left.undefined) || (right_jv.lazy && !right_jv.undefined)) {
      // A str or list times an iterator: Python's sequence repetition.
      const JV& other = left.lazy ? right_jv : left;
      if (op == "*" && !other.lazy && !other.undefined && (other.v.is_string() || other.v.is_list()))
        throw JError(fmt::format("can't multiply sequence by non-int of type '{}'",
                                 type_name(left.lazy ? left : right_jv)));
      throw JError(fmt::format("unsupported operand type(s) for {}: '{}' and '{}'", op == "**" ? "** or pow()" : op,
                               type_name(left), type_name(right_jv)));
    }
    if (left.is_range() || right_jv.is_range()) return range_operator(op, left, right_jv);
    Value a = left.get(), b = right_jv.get();
    if ((op == "+" || op == "%") && a.is_string() && (left.safe || (op == "+" && right_jv.safe && b.is_string())))
      return markup_operator(op, left, right_jv, *n.args[1]);
    if (op == "+") {
      if (a.is_string() && b.is_string()) {
        budget_.bytes(a.as_string().size() + b.as_string().size());
        return JV{Value(a.as_string() + b.as_string())};
      }
      if (a.is_list() && b.is_list()) {
        // A list and a tuple do not add up, either way round.
        if (left.is_tuple() != right_jv.is_tuple())
          throw JError(left.is_tuple() ? "can only concatenate tuple (not \"list\") to tuple"
                                  : "can only concatenate list (not \"tuple\") to list");
        budget_.items(a.size() + b.size());
        List out = a.as_list();
        out.insert(out.end(), b.as_list().begin(), b.as_list().end());
        return JV{Value(std::move(out)).as_tuple(left.is_tuple())};  // tuple + tuple is a tuple
      }
    }
    if (op == "*" && ((a.is_list() && is_intlike(b)) || (b.is_list() && is_intlike(a)))) {
      const Value& l = a.is_list() ? a : b;
      int64_t k = std::max<int64_t>(0, ival(a.is_list() ? b : a));
      // Before building: [1] * 10**12 fails at once; [] * 10**12 is [] at once.
      budget_.items(EvalBudget::times(static_cast<uint64_t>(k), l.as_list().size()));
      if (l.as_list().empty()) k = 0;
      List out;
      for (int64_t i = 0; i < k; ++i) out.insert(out.end(), l.as_list().begin(), l.as_list().end());
      return JV{Value(std::move(out)).as_tuple(l.is_tuple())};  // a tuple repeated is a tuple
    }
    if (op == "*" && ((a.is_string() && is_intlike(b)) || (b.is_string() && is_intlike(a)))) {
      const Value& s = a.is_string() ? a : b;
      int64_t k = std::max<int64_t>(0, ival(a.is_string() ? b : a));
      budget_.bytes(EvalBudget::times(static_cast<uint64_t>(k), s.as_string().size()));
      JV r{Value(repeat_text(s.as_string(), static_cast<size_t>(k)))};
      r.safe = a.is_string() ? left.safe : right_jv.safe;  // Markup * n is Markup
      return r;
    }
    if (op == "%" && a.is_string()) {
      // Only a tuple written as one is Python's tuple: a list is one value.
      return JV{Value(percent_format(a.as_string(), nest(right_jv).value_or(b), right_jv.is_tuple()))};
    }
    // Python's sequence operators on the wrong other side.
    if (op == "*" && (a.is_string() || a.is_list() || b.is_string() || b.is_list()))
      throw JError(fmt::format("can't multiply sequence by non-int of type '{}'",
                               type_name(a.is_string() || a.is_list() ? right_jv : left)));
    if (op == "+" && (a.is_string() || a.is_list()))
      throw JError(fmt::format("can only concatenate {} (not \"{}\") to {}", type_name(left), type_name(right_jv),
                               type_name(left)));
    if (!is_num(a) || !is_num(b))
      throw JError(fmt::format("unsupported operand type(s) for {}: '{}' and '{}'", op == "**" ? "** or pow()" : op,
                               type_name(left), type_name(right_jv)));
    bool ints = is_intlike(a) && is_intlike(b);
    if (ints) {
      // Python's ints, exact at any size; work past int64 is charged to the
      // budget by the operands' size before it runs (`2 ** 10**9`).
      if (op == "+" || op == "-" || op == "*") {
        budget_.integer_op(op, a, b);
        return JV{op == "+" ? python_int::add(a, b) : op == "-" ? python_int::sub(a, b) : python_int::mul(a, b)};
      }
      if (op == "/") {
        if (python_int::is_zero(b)) throw JError("division by zero");
        auto q = python_int::true_div(a, b);  // correctly rounded, as Python's
        if (!q) throw JError(q.error().message);
        return JV{Value(*q)};
      }
      if (op == "//" || op == "%") {
        // CPython 3.11's words differ by operator.
        if (python_int::is_zero(b))
          throw JError(op == "%" ? "integer modulo by zero" : "integer division or modulo by zero");
        budget_.integer_op(op, a, b);
        return JV{op == "//" ? python_int::floor_div(a, b) : python_int::floor_mod(a, b)};
      }
      if (op == "**" && python_int::sign(b) >= 0) {
        budget_.integer_op(op, a, b);
        return JV{python_int::pow(a, b)};
      }
    }
    if (op == "+") return JV{Value(num(a) + num(b))};
    if (op == "-") return JV{Value(num(a) - num(b))};
    if (op == "*") return JV{Value(num(a) * num(b))};
    if (op == "/") {
      if (num(b) == 0) throw JError("float division by zero");  // one side is a float here
      return JV{Value(num(a) / num(b))};
    }
    if (op == "//" || op == "%") {
      // CPython's float divmod: the remainder from fmod, the quotient
      // from it (2 // 0.1 is 19.0), zero signed as Python signs it.
      double x = num(a), y = num(b);
      if (y == 0) throw JError(op == "//" ? "float floor division by zero" : "float modulo");
      double mod = std::fmod(x, y);
      double div = (x - mod) / y;
      if (mod != 0) {
        if ((y < 0) != (mod < 0)) {
          mod += y;
          div -= 1.0;
        }
      } else {
        mod = std::copysign(0.0, y);
      }
      double floordiv;
      if (div != 0) {
        floordiv = std::floor(div);
        if (div - floordiv > 0.5) floordiv += 1.0;
      } else {
        floordiv = std::copysign(0.0, x / y);
      }
      return JV{Value(op == "//" ? floordiv : mod)};
    }
    if (op == "**") {
      // Python: a negative base to a fractional power is complex (which
      // Mistral cannot serialise); zero to a negative power is an error.
      if (num(a) == 0 && num(b) < 0) throw JError("0.0 cannot be raised to a negative power");
      if (num(a) < 0 && !ints && std::floor(num(b)) != num(b)) throw JError("Circular reference detected: a complex number (a negative base to a fractional power) cannot be stored");
      return JV{Value(std::pow(num(a), num(b)))};
    }
    throw JError("unknown operator " + op);
  }

  // An arithmetic operator with a range on either side: Python's
  // TypeErrors (a range neither adds nor repeats); `str % range` formats it
  // as its text.
  JV range_operator(const std::string& op, const JV& left, const JV& right) {
    std::string lt = type_name(left), rt = type_name(right);
    const Value& a = left.get();
    const Value& b = right.get();
    if (op == "%" && a.is_string() && !left.is_range()) {
      try {
        return JV{Value(percent_format(a.as_string(), *nest(right), false))};
      } catch (const JError& e) {
        // `'%(a)s' % range(3)`: the mapping key is looked up in the range.
        constexpr std::string_view list_words = "list indices must be integers or slices";
        std::string why = e.what();
        if (why.compare(0, list_words.size(), list_words) == 0) throw JError("range" + why.substr(4));
        throw;
      }
    }
    if (op == "+" && !left.is_range() && (a.is_list() || a.is_string()))
      throw JError(fmt::format("can only concatenate {} (not \"range\") to {}", lt, lt));
    if (op == "*" && ((!left.is_range() && (a.is_list() || a.is_string())) ||
                      (!right.is_range() && (b.is_list() || b.is_string()))))
      throw JError("can't multiply sequence by non-int of type 'range'");
    throw JError(fmt::format("unsupported operand type(s) for {}: '{}' and '{}'", op == "**" ? "** or pow()" : op, lt, rt));
  }

  // range() with a bound beyond int64 (Python's range takes any int):
  // the sandbox's MAX_RANGE still bounds how many items it makes.
  Value big_range(const std::vector<Value>& pos) {
    for (const auto& v : pos)
      if (!is_intlike(v)) throw JError(fmt::format("'{}' object cannot be interpreted as an integer", py_type_name(v)));
    Value start = pos.size() >= 2 ? pos[0] : Value(int64_t{0});
    Value stop = pos.size() >= 2 ? pos[1] : pos[0];
    Value step = pos.size() > 2 ? pos[2] : Value(int64_t{1});
    if (python_int::is_zero(step)) throw JError("range() arg 3 must not be zero");
    Value span = python_int::sign(step) > 0 ? python_int::sub(stop, start) : python_int::sub(start, stop);
    Value magnitude = python_int::abs(step);
    Value count = python_int::sign(span) <= 0
                      ? Value(int64_t{0})
                      : python_int::floor_div(python_int::sub(python_int::add(span, magnitude), Value(1)), magnitude);
    if (!count.is_int() || count.as_int() > kMaxRange)
      throw JError(fmt::format("Range too big. The sandbox blocks ranges larger than MAX_RANGE ({}).", kMaxRange));
    budget_.items(static_cast<uint64_t>(count.as_int()));
    List out;
    Value item = start;
    for (int64_t k = 0; k < count.as_int(); ++k, item = python_int::add(item, step)) out.push_back(item);
    return Value(std::move(out));
  }

  // How Jinja hands values to Python's formatting (core/
  // python_string_format): str() as Jinja prints, the budget charged.
  PyFormatHooks format_hooks() {
    PyFormatHooks h;
    h.str = [this](const Value& v) { return text_of(v); };
    h.repr = [this](const Value& v) {
      budget_.check_value(v);
      return jinja_repr(v);
    };
    h.type_name = [this](const Value& v) {
      if (undefined_items_ && undefined_item_why(v))
        return std::string(lenient_undefined_item(v) ? "Undefined" : "StrictUndefined");
      if (const NestedObject* o = nested_object(v)) return o->type.empty() ? std::string("Markup") : o->type;
      return py_type_name(v);
    };
    h.charge = [this](uint64_t n) { budget_.bytes(n); };
    return h;
  }

  std::string percent_format(const std::string& f, const Value& args, bool is_tuple) {
    auto r = python_percent_format(f, args, is_tuple, format_hooks());
    if (!r) throw JError(r.error().message);
    return std::move(r).value();
  }

  // str.format in the sandbox: string.Formatter's rules, and `{0.x}` /
  // `{0[x]}` read as Jinja reads an attribute or an item (a dict's key
  // either way).
  // A bound method given to str.format with a format spec and no
  // conversion (`'{:>10}'.format(d.items)`): object.__format__ refuses any
  // spec. Bora's method is held as its text (see nest), which core's
  // formatting would pad as a str, so such a field is looked for here (only
  // when a method is among the arguments).
  void refuse_method_spec(const std::string& f, const Args& a) {
    auto method = [&](const Value& v) {
      const NestedObject* o = nested_object(v);
      return o && o->type == "builtin_function_or_method";
    };
    if (std::none_of(a.pos.begin(), a.pos.end(), method) &&
        std::none_of(a.kw.begin(), a.kw.end(), [&](const auto& kv) { return method(kv.second); }))
      return;
    size_t next_auto = 0;
    for (size_t i = 0; i < f.size(); ++i) {
      if (f[i] != '{') continue;
      if (i + 1 < f.size() && f[i + 1] == '{') {
        ++i;
        continue;
      }
      size_t depth = 1, j = i + 1;
      for (; j < f.size(); ++j) {
        if (f[j] == '{') ++depth;
        if (f[j] == '}' && --depth == 0) break;
      }
      if (j >= f.size()) return;  // malformed: core words it
      std::string field = f.substr(i + 1, j - i - 1);
      size_t end = field.find_first_of("!:");
      std::string name = field.substr(0, end);
      bool conversion = end != std::string::npos && field[end] == '!';
      size_t colon = end == std::string::npos ? std::string::npos : field.find(':', end);
      std::string spec = colon == std::string::npos ? "" : field.substr(colon + 1);
      const Value* arg = nullptr;
      if (name.empty()) {
        if (next_auto < a.pos.size()) arg = &a.pos[next_auto];
        ++next_auto;
      } else if (name.find_first_not_of("0123456789") == std::string::npos) {
        size_t k = static_cast<size_t>(std::stoull(name.substr(0, 9)));
        if (k < a.pos.size()) arg = &a.pos[k];
      } else if (name.find_first_of(".[") == std::string::npos) {
        if (auto x = a.kw.find(name); x != a.kw.end()) arg = &x->second;
      }
      for (size_t k = 0; k + 1 < spec.size(); ++k)  // `{:{}}`: a nested field takes the next argument
        if (spec[k] == '{' && spec[k + 1] == '}') ++next_auto;
      if (arg && method(*arg) && !conversion && !spec.empty())
        throw JError("unsupported format string passed to builtin_function_or_method.__format__");
      i = j;
    }
  }

  std::string str_format(const std::string& f, const Args& a, bool markup = false) {
    refuse_method_spec(f, a);
    PyFormatHooks h = format_hooks();
    h.formatter_class = true;
    if (markup) h.field_text = [](std::string text) { return html_escape(text); };
    h.field = [this](const Value& obj, const std::string& name, bool is_attribute) -> Result<Value> {
      if (undefined_items_)
        if (const std::string* why = undefined_item_why(obj)) return bad_input(*why);
      if (is_attribute && obj.is_number() && (name == "real" || name == "imag" || name == "numerator" || name == "denominator")) {
        if (name == "imag") return obj.is_double() ? Value(0.0) : Value(int64_t(0));
        if (name == "denominator") return obj.is_double() ? Result<Value>(bad_input(fmt::format("'{}' has no attribute '{}'", obj_name(obj), name))) : Value(int64_t(1));
        if (name == "numerator" && obj.is_double()) return bad_input(fmt::format("'{}' has no attribute '{}'", obj_name(obj), name));
        return obj;
      }
      Value key = !is_attribute && !name.empty() && name.find_first_not_of("0123456789") == std::string::npos
                      ? Value(static_cast<int64_t>(std::stoll(name))) : Value(name);
      // A generator or a view held as an argument is itself (no items).
      JV holder = item_jv(obj);
      JV r = is_attribute ? attribute(holder, name, Value()) : item(holder, key);
      // Jinja's Undefined words a missing index without quotes.
      if (r.undefined && key.is_int() && !holder.lazy && (obj.is_list() || obj.is_string()))
        return bad_input(fmt::format("{} has no element {}", obj_name(obj), key.as_int()));
      if (r.undefined) return bad_input(r.why);
      if (!r.method.empty()) return bad_input(fmt::format("<built-in method {}> cannot be formatted here", r.method));
      return r.v;
    };
    std::vector<std::pair<std::string, Value>> kwargs(a.kw.begin(), a.kw.end());
    auto r = python_str_format(f, a.pos, kwargs, h);
    if (!r) throw JError(r.error().message);
    return std::move(r).value();
  }

  // a|f|f|f... recurses through here: the operand and the arguments are
  // evaluated in this small frame, the filters' large body runs once they
  // are known (its frame is not on the stack once per nesting level).
  JV filter(const JNode& n) {
    JV target = eval(*n.args[0]);
    // default(y): y is read only when the value is undefined (or false).
    Args a = args_of(n, 1, n.text == "default" || n.text == "d");
    // A plain Undefined (see JV::lenient): soft_str gives '', len() 0.
    // pprint is repr(): an Undefined's is `Undefined`.
    if (target.undefined && !target.macro && n.text == "pprint") return JV{Value("Undefined")};
    // json.dumps meets the Undefined object itself: its type, not its message.
    if (target.undefined && !target.macro && n.text == "tojson")
      throw JError(fmt::format("Object of type {} is not JSON serializable", target.lenient ? "Undefined" : "StrictUndefined"));
    // pprint is repr() for what is no builtin type: a Markup's, whole.
    if (!target.undefined && target.safe && target.v.is_string() && n.text == "pprint" && a.pos.empty() && a.kw.empty())
      return JV{Value("Markup(" + python_string_repr(target.v.as_string()) + ")")};
    // Python's builtins meet the Undefined object before its methods do.
    if (target.undefined && !target.macro && (n.text == "abs" || n.text == "round")) {
      const char* type = target.lenient ? "Undefined" : "StrictUndefined";
      if (n.text == "abs") throw JError(fmt::format("bad operand type for abs(): '{}'", type));
      const Value* m = a.get(1, "method");
      bool known = !m || (m->is_string() && (m->as_string() == "common" || m->as_string() == "ceil" ||
                                             m->as_string() == "floor"));
      if (!known) throw JError("method must be common, ceil or floor");  // do_round checks it first
      if (!m || m->as_string() == "common")  // ceil and floor call math's, which convert first
        throw JError(fmt::format("type {} doesn't define __round__ method", type));
    }
    if (target.undefined && target.lenient) {
      if (n.text == "string") return JV{Value("")};
      if (n.text == "length" || n.text == "count") return JV{Value(int64_t(0))};
      // The filters that read str(value) see '', those that iterate it
      // nothing (Undefined's __str__ and __iter__); the others raise.
      static const std::set<std::string, std::less<>> on_text = {
          "upper", "lower", "trim", "capitalize", "title", "e", "escape", "forceescape", "striptags", "wordcount",
          "center", "truncate", "urlize", "replace", "safe", "urlencode", "format"};
      static const std::set<std::string, std::less<>> on_items = {"list", "join", "sort", "sum", "groupby",
                                                                  "first", "last", "min", "max"};
      if (on_text.count(n.text)) target = JV{Value("")};
      else if (on_items.count(n.text)) target = JV{Value(List{})};
    }
    // The filters that give Markup back for Markup (soft_str(s).upper()
    // is Markup's upper, s[::-1] its __getitem__, truncate's s[:n] + end).
    static const std::set<std::string, std::less<>> keep_markup = {
        "upper", "lower", "capitalize", "trim", "center", "indent", "string", "reverse", "truncate", "format"};
    bool markup = target.safe && !target.undefined && !target.lazy && target.v.is_string() && keep_markup.count(n.text);
    JV r = integer_arguments_checked([&] { return run_filter(n, std::move(target), a); });
    if (markup && !r.undefined && r.method.empty() && r.v.is_string()) r.safe = true;
    if (!r.undefined && r.method.empty()) charged(r.v);
    return r;
  }

  // A filter's argument that must be an int and is not (Value::as_int's
  // "expected a int, got string") fails as Python's range(), str.center()
  // and the like do: "'str' object cannot be interpreted as an integer".
  template <class F>
  static JV integer_arguments_checked(F&& run) {
    try {
      return run();
    } catch (const BoraError& e) {
      std::string_view m = e.what();
      constexpr std::string_view prefix = "expected a int, got ";
      if (m.substr(0, prefix.size()) != prefix) throw;
      std::string_view got = m.substr(prefix.size());
      static const std::map<std::string_view, const char*> python = {
          {"string", "str"}, {"null", "NoneType"}, {"float", "float"}, {"list", "list"}, {"dict", "dict"}};
      auto name = python.find(got);
      if (name == python.end()) throw;
      throw JError(fmt::format("'{}' object cannot be interpreted as an integer", name->second));
    }
  }

  // Jinja 3.1's signatures of its filters (inspect.signature): the Python
  // function that answers (its name is in Python's TypeError), how many
  // positional parameters come before the value (the environment or eval
  // context, where the function counts it), how many after it are
  // required and how many there may be, and which may be named. format,
  // map, select, reject, selectattr and rejectattr take any. A call outside
  // them is Python's TypeError, worded as Python words it: a C function's
  // "abs() takes exactly one argument (2 given)", a Python function's
  // "do_center() takes from 1 to 2 positional arguments but 3 were given".
  static void check_filter_call(const std::string& f, const Args& a) {
    struct Signature {
      const char* name;
      const char* function;  // a C function's name ends with "()" here
      size_t leading, required, most;
      std::initializer_list<const char*> keywords;
    };
    static const Signature signatures[] = {
        {"abs", "abs()", 0, 0, 0, {}}, {"attr", "do_attr", 1, 1, 1, {"name"}},
        {"batch", "do_batch", 0, 1, 2, {"linecount", "fill_with"}}, {"capitalize", "do_capitalize", 0, 0, 0, {}},
        {"center", "do_center", 0, 0, 1, {"width"}}, {"count", "len()", 0, 0, 0, {}},
        {"d", "do_default", 0, 0, 2, {"default_value", "boolean"}},
        {"default", "do_default", 0, 0, 2, {"default_value", "boolean"}},
        {"dictsort", "do_dictsort", 0, 0, 3, {"case_sensitive", "by", "reverse"}},
        {"e", "markupsafe._speedups.escape()", 0, 0, 0, {}}, {"escape", "markupsafe._speedups.escape()", 0, 0, 0, {}},
        {"filesizeformat", "do_filesizeformat", 0, 0, 1, {"binary"}}, {"first", "sync_do_first", 1, 0, 0, {}},
        {"float", "do_float", 0, 0, 1, {"default"}}, {"forceescape", "do_forceescape", 0, 0, 0, {}},
        {"groupby", "sync_do_groupby", 1, 1, 3, {"attribute", "default", "case_sensitive"}},
        {"indent", "do_indent", 0, 0, 3, {"width", "first", "blank"}}, {"int", "do_int", 0, 0, 2, {"default", "base"}},
        {"items", "do_items", 0, 0, 0, {}}, {"join", "sync_do_join", 1, 0, 2, {"d", "attribute"}},
        {"last", "do_last", 1, 0, 0, {}}, {"random", "do_random", 1, 0, 0, {}}, {"length", "len()", 0, 0, 0, {}}, {"list", "sync_do_list", 0, 0, 0, {}},
        {"lower", "do_lower", 0, 0, 0, {}}, {"max", "do_max", 1, 0, 2, {"case_sensitive", "attribute"}},
        {"min", "do_min", 1, 0, 2, {"case_sensitive", "attribute"}}, {"pprint", "do_pprint", 0, 0, 0, {}},
        {"replace", "do_replace", 1, 2, 3, {"old", "new", "count"}}, {"reverse", "do_reverse", 0, 0, 0, {}},
        {"round", "do_round", 0, 0, 2, {"precision", "method"}}, {"safe", "do_mark_safe", 0, 0, 0, {}},
        {"slice", "sync_do_slice", 0, 1, 2, {"slices", "fill_with"}},
        {"sort", "do_sort", 1, 0, 3, {"reverse", "case_sensitive", "attribute"}},
        {"string", "markupsafe._speedups.soft_str()", 0, 0, 0, {}}, {"striptags", "do_striptags", 0, 0, 0, {}},
        {"sum", "sync_do_sum", 1, 0, 2, {"attribute", "start"}}, {"title", "do_title", 0, 0, 0, {}},
        {"tojson", "do_tojson", 1, 0, 1, {"indent"}}, {"trim", "do_trim", 0, 0, 1, {"chars"}},
        {"truncate", "do_truncate", 1, 0, 4, {"length", "killwords", "end", "leeway"}},
        {"unique", "do_unique", 1, 0, 2, {"case_sensitive", "attribute"}}, {"upper", "do_upper", 0, 0, 0, {}},
        {"urlencode", "do_urlencode", 0, 0, 0, {}},
        {"urlize", "do_urlize", 1, 0, 5, {"trim_url_limit", "nofollow", "target", "rel", "extra_schemes"}},
        {"wordcount", "do_wordcount", 0, 0, 0, {}},
        {"wordwrap", "do_wordwrap", 1, 0, 4, {"width", "break_long_words", "wrapstring", "break_on_hyphens"}},
        {"xmlattr", "do_xmlattr", 1, 0, 1, {"autospace"}}};
    for (const auto& s : signatures) {
      if (f != s.name) continue;
      std::string_view fn = s.function;
      if (fn.size() > 2 && fn.substr(fn.size() - 2) == "()") {
        // A C function: one argument, the value, and no keywords.
        if (!a.kw.empty()) throw JError(fmt::format("{} takes no keyword arguments", fn));
        if (!a.pos.empty()) throw JError(fmt::format("{} takes exactly one argument ({} given)", fn, a.pos.size() + 1));
        return;
      }
      size_t least = s.leading + 1 + s.required, most = s.leading + 1 + s.most, given = s.leading + 1 + a.pos.size();
      if (a.pos.size() > s.most) {
        if (least == most)
          throw JError(fmt::format("{}() takes {} positional argument{} but {} were given", fn, most,
                                   most == 1 ? "" : "s", given));
        throw JError(fmt::format("{}() takes from {} to {} positional arguments but {} were given", fn, least, most,
                                 given));
      }
      for (size_t i = 0; i < s.keywords.size(); ++i) {
        // a named argument also given by position
        if (i < a.pos.size() && a.kw.count(s.keywords.begin()[i]))
          throw JError(fmt::format("{}() got multiple values for argument '{}'", fn, s.keywords.begin()[i]));
      }
      for (const auto& [k, _] : a.kw)
        if (std::none_of(s.keywords.begin(), s.keywords.end(), [&k = k](const char* w) { return k == w; }))
          throw JError(fmt::format("{}() got an unexpected keyword argument '{}'", fn, k));
      // Required parameters given neither way: Python names them all.
      std::vector<std::string> missing;
      for (size_t i = a.pos.size(); i < s.required; ++i)
        if (!a.kw.count(s.keywords.begin()[i])) missing.push_back(fmt::format("'{}'", s.keywords.begin()[i]));
      if (!missing.empty()) {
        std::string names = missing.back();
        if (missing.size() == 2) names = missing[0] + " and " + missing[1];
        if (missing.size() > 2) {
          names.clear();
          for (size_t i = 0; i < missing.size(); ++i)
            names += (i ? ", " : "") + std::string(i + 1 == missing.size() ? "and " : "") + missing[i];
        }
        throw JError(fmt::format("{}() missing {} required positional argument{}: {}", fn, missing.size(),
                                 missing.size() == 1 ? "" : "s", names));
      }
      return;
    }
  }

  [[gnu::noinline]] JV run_filter(const JNode& n, JV target, const Args& a) {
    const std::string& f = n.text;
    if (f == "default" || f == "d") {
      check_filter_call(f, a);
      bool boolean = a.get(1, "boolean") && a.get(1, "boolean")->truthy();
      if (target.undefined || (boolean && !target.v.truthy()))
        return a.get(0, "default_value") ? item_jv(*a.get(0, "default_value")) : JV{Value("")};
      return target;
    }
    // Mistral's functions as filters: the piped value is their context
    // argument (json_pp prints it when given no data).
    static const char* const builtin[] = {"length", "count", "join", "upper", "lower", "title", "capitalize", "replace",
                                          "trim", "int", "float", "string", "list", "first", "last", "min", "max",
                                          "sum", "sort", "unique", "reverse", "abs", "round", "tojson", "items",
                                          "dictsort", "map", "select", "reject", "selectattr", "rejectattr",
                                          "batch", "wordcount", "center", "indent", "truncate", "attr", "format", "urlencode",
                                          "groupby", "slice", "filesizeformat", "striptags",
                                          "safe", "e", "escape", "forceescape", "xmlattr", "pprint",
                                          "wordwrap", "urlize", "random"};
    bool is_builtin = std::any_of(std::begin(builtin), std::end(builtin), [&](const char* b) { return f == b; });
    if (!is_builtin && ctx_.functions) {
      if (const HostFunction* fn = ctx_.functions->find(f)) {
        check_mistral_function_call(f, a);
        return JV{host(*fn, a, &target.get())};
      }
    }
    if (!is_builtin) throw JError(fmt::format("No filter named '{}'{}.", f, soft_ > 0 ? " found" : ""));
    check_filter_call(f, a);
    // The filters that work on str(value) see a tuple as Python prints it.
    static const char* const on_text[] = {"string", "upper", "lower", "title", "capitalize", "trim", "center",
                                          "replace", "format", "e", "escape", "forceescape", "striptags",
                                          "urlize", "wordwrap", "indent", "wordcount",
                                          "safe"};
    auto works_on_text = [&] {
      return std::any_of(std::begin(on_text), std::end(on_text), [&](const char* t) { return f == t; });
    };
    // The filters that are generators in Jinja 3.1 (see Lazy); the others
    // return values. Their arguments are bound when they are called (a
    // missing one fails at once), their bodies run when they are read.
    static const std::map<std::string, const char*, std::less<>> generators = {
        {"map", "sync_do_map"},         {"select", "select_or_reject"},     {"reject", "select_or_reject"},
        {"selectattr", "select_or_reject"}, {"rejectattr", "select_or_reject"}, {"unique", "do_unique"},
        {"items", "do_items"},          {"batch", "do_batch"},             {"slice", "sync_do_slice"}};
    if (auto g = generators.find(f); g != generators.end() && eager_ == 0) {
      if (f == "slice" && !a.get(0, "slices"))
        throw JError("sync_do_slice() missing 1 required positional argument: 'slices'");
      if (f == "batch" && !a.get(0, "linecount"))
        throw JError("do_batch() missing 1 required positional argument: 'linecount'");
      return make_lazy("generator", g->second, [&] {
        if (f == "items" && target.undefined) return List{};  // do_items: nothing for Undefined
        // A generator reading a generator that fails (`map(...) | select |
        // first`) works on each item as it comes: what comes before the
        // failure is yielded first (slice reads its input whole first).
        std::optional<std::string> failure;
        JV input = f == "slice" ? consume(target) : consume_to_failure(target, failure);
        struct Fail {
          std::optional<std::string>& failure;
          void operator()() const {
            if (failure) throw JError(*failure);
          }
        } fail{failure};
        // map, select and their kin start with `if value:`: nothing from a
        // false value, whatever their arguments.
        if (g->second != std::string_view("do_unique") && g->second != std::string_view("do_items") &&
            g->second != std::string_view("do_batch") && g->second != std::string_view("sync_do_slice") &&
            !truthy(input)) {
          fail();  // (a generator is true: it is read, and fails)
          return List{};
        }
        ++eager_;
        struct Leave {
          int& depth;
          ~Leave() { --depth; }
        } leave{eager_};
        const size_t read = input.v.is_list() ? input.v.size() : 0;
        List* sink = yielded_;  // what this generator yields (make_lazy)
        JV r = run_filter(n, std::move(input), a);
        if (failure && sink && r.v.is_list()) {
          // What it yielded from the items before the failure; do_batch
          // yields a full batch when the next item comes (none came).
          List done = r.v.as_list();
          if (f == "batch") {
            const Value* count = a.get(0, "linecount");
            int64_t per = count && is_intlike(*count) ? ival(*count) : 0;
            size_t full = per > 0 && read > 0 ? (read - 1) / static_cast<size_t>(per) : 0;
            done.resize(std::min(done.size(), full));
          }
          *sink = std::move(done);
        }
        fail();
        return r.v.as_list();
      });
    }
    // A bound method given to a filter: str() and repr() of it are its
    // repr; the filters that read it otherwise fail on it.
    // What Jinja's filters do with an object they cannot read as a
    // collection or a number (a function, a Jinja object, a date): Python's
    // TypeErrors naming its type (`iterating`: the filters that iterate
    // it); do_int and do_float fall back to their default.
    auto refuse_unreadable = [&](const std::string& tn,
                                 const std::set<std::string, std::less<>>& iterating) -> std::optional<JV> {
      if (f == "length" || f == "count" || f == "random") throw JError(fmt::format("object of type '{}' has no len()", tn));
      if (f == "indent") throw JError(fmt::format("unsupported operand type(s) for +=: '{}' and 'str'", tn));
      if (iterating.count(f)) throw JError(fmt::format("'{}' object is not iterable", tn));
      if (f == "last") throw JError(fmt::format("'{}' object is not reversible", tn));
      if (f == "abs") throw JError(fmt::format("bad operand type for abs(): '{}'", tn));
      if (f == "round") throw JError(fmt::format("type {} doesn't define __round__ method", tn));
      if (f == "dictsort" || f == "xmlattr") throw JError(fmt::format("'{}' object has no attribute 'items'", tn));
      if (f == "int" || f == "float") {
        const Value* d = a.get(0, "default");
        if (d) return JV{*d};
        return JV{f == "int" ? Value(int64_t(0)) : Value(0.0)};
      }
      return std::nullopt;
    };
    if ((!target.undefined && !target.method.empty() && !target.macro &&
         (target.object.empty() || target.object == "function")) ||
        is_jinja_object(target) || (target.macro && !target.undefined && target.method.empty())) {
      const std::string tn = type_name(target);
      if (f == "attr") {  // getattr of the function or method
        const Value* name_arg = a.get(0, "name");
        if (name_arg && name_arg->is_string()) return JV{attribute(target, name_arg->as_string(), Value()).get()};
      }
      // What Jinja's filters do with one: iterate it, convert it (do_int
      // and do_float fall back to their default), or print it.
      static const std::set<std::string, std::less<>> iterating = {
          "list", "join", "sort", "sum", "first", "unique", "min", "max", "groupby", "map", "select", "reject",
          "selectattr", "rejectattr", "batch", "slice", "items", "reverse"};
      if (f == "tojson")
        throw JError(fmt::format("Object of type {} is not JSON serializable",
                                 tn == "functools.partial" ? "partial" : tn.substr(tn.rfind('.') + 1)));
      if (auto r = refuse_unreadable(tn, iterating)) return *r;
    }
    if (((!target.undefined && !target.method.empty() && !target.macro &&
          (target.object.empty() || target.object == "function")) ||
         is_jinja_object(target) || (target.macro && !target.undefined && target.method.empty())) &&
        (f == "pprint" || f == "urlencode" || works_on_text())) {
      if (f == "pprint") return JV{Value(text_of(target))};
      target = JV{Value(text_of(target))};
    }
    // reversed() of a plain Undefined (`(x if false) | reverse`): it has
    // a len() of 0, so a reversed object with nothing to give.
    if (f == "reverse" && target.undefined && target.lenient && !target.macro) return make_lazy("reversed", "", [] { return List{}; });
    // do_indent adds "\n" to what is not a str (no Markup) before reading it.
    if (f == "indent" && !target.undefined && (target.lazy || target.is_range()))
      throw JError(fmt::format("unsupported operand type(s) for +=: '{}' and 'str'", type_name(target)));
    if (target.lazy && !target.undefined && target.lazy->view) {
      // A dict's view: a len(), read as often as wanted, no JSON.
      if (f == "tojson") throw JError(fmt::format("Object of type {} is not JSON serializable", target.lazy->type));
      if (f == "pprint") return JV{Value(text_of(target))};  // repr() of a view is its text
      if (f == "random" && !target.v.as_list().empty())  // random.choice indexes it
        throw JError(fmt::format("'{}' object is not subscriptable", target.lazy->type));
      if (works_on_text()) {
        JV text{Value(text_of(target))};
        text.safe = target.safe;
        target = std::move(text);
      } else {
        target = JV{target.v};
      }
    }
    if (is_py_time(target)) {
      // A date or datetime: str() for the filters that read text, its repr
      // for pprint; nothing to iterate, no len(), no JSON.
      const std::string tn = py_time_type(target);
      static const std::set<std::string, std::less<>> iterating = {
          "list", "join", "sort", "sum", "first", "unique", "min", "max", "groupby", "map", "select", "reject",
          "selectattr", "rejectattr", "batch", "slice", "items"};
      if (f == "pprint") return JV{Value(py_time_repr(py_time_of(target)))};
      if (f == "tojson")
        // json names the class (date, datetime), not its module.
        throw JError(fmt::format("Object of type {} is not JSON serializable",
                                 target.object.substr(target.object.rfind('.') + 1)));
      if (f == "reverse") throw JError("argument must be iterable");
      if (auto r = refuse_unreadable(tn, iterating)) return *r;
      if (f == "wordwrap") throw JError(fmt::format("'{}' object has no attribute 'splitlines'", tn));
      if (f == "filesizeformat") throw JError(fmt::format("float() argument must be a string or a real number, not '{}'", tn));
      if (f == "truncate") throw JError(fmt::format("object of type '{}' has no len()", tn));
      target = JV{Value(target.v.as_string())};  // str(value)
    }
    if (!target.undefined && target.object == "bytes" && target.method.empty() && target.v.is_string() &&
        f != "pprint") {
      // bytes: no JSON; str() of them is their repr; iterated, their ints.
      static const std::set<std::string, std::less<>> iterating = {
          "list", "join", "sort", "sum", "first", "last", "unique", "min", "max", "groupby", "map", "select",
          "reject", "selectattr", "rejectattr", "batch", "slice", "items", "reverse", "length", "count", "random"};
      if (f == "tojson") throw JError("Object of type bytes is not JSON serializable");
      if (works_on_text()) {
        target = JV{Value(text_of(target))};
      } else if (iterating.count(f)) {
        List ints;
        for (unsigned char c : target.v.as_string()) ints.emplace_back(static_cast<int64_t>(c));
        target = JV{Value(std::move(ints))};
      }
    }
    // A list or a dict holding a range, a view, a method or a generator
    // (see NestedObject): refused by JSON (the printers print it).
    if (f == "tojson" && !target.undefined && !target.lazy && (target.v.is_list() || target.v.is_dict()))
      if (auto type = first_shown_type(target.v))  // json names the class, not its module
        throw JError(fmt::format("Object of type {} is not JSON serializable", type->substr(type->rfind('.') + 1)));
    if (target.is_range() && !target.lazy) {
      // A range: its items, except where Python prints or types it.
      if (f == "tojson") throw JError("Object of type range is not JSON serializable");
      if (f == "filesizeformat") throw JError("float() argument must be a string or a real number, not 'range'");
      if (f == "dictsort" || f == "xmlattr") throw JError("'range' object has no attribute 'items'");
      if (f == "pprint") return JV{Value(text_of(target))};
      if (works_on_text()) {
        target = JV{Value(text_of(target))};
      } else if (f != "truncate") {  // (truncate gives back a short one itself)
        target.range = Value();
      }
    }
    if (target.lazy && !target.undefined) {
      // An iterator given to a filter that is not a generator: what Python
      // does with one.
      const std::string& type = target.lazy->type;
      if (f == "length" || f == "count" || f == "random")
        throw JError(fmt::format("object of type '{}' has no len()", type));
      if (f == "tojson") throw JError(fmt::format("Object of type {} is not JSON serializable", type));
      if (f == "pprint") return JV{Value(target.lazy->repr())};  // repr() of an iterator
      if (f == "last") throw JError(fmt::format("'{}' object is not reversible", type));
      if (f == "dictsort" || f == "xmlattr") throw JError(fmt::format("'{}' object has no attribute 'items'", type));
      if (f == "abs") throw JError(fmt::format("bad operand type for abs(): '{}'", type));
      if (f == "round") throw JError(fmt::format("type {} doesn't define __round__ method", type));
      if (f == "filesizeformat")
        throw JError(fmt::format("float() argument must be a string or a real number, not '{}'", type));
      // int(it) and float(it) are TypeErrors, which do_int and do_float
      // turn into their default.
      if (f == "int") return JV{a.get(0, "default") ? *a.get(0, "default") : Value(int64_t(0))};
      if (f == "float") return JV{a.get(0, "default") ? *a.get(0, "default") : Value(0.0)};
      if (f == "first") {
        // next(iter(it)): one item read, the rest left.
        const List& all = target.v.as_list();
        if (target.lazy->read < all.size()) return JV{all[target.lazy->read++]};
        consume(target);  // its error, if it has one
        return JV::undef("No first item, sequence was empty.");
      }
      if (f == "reverse") {
        // reversed(it) fails, so do_reverse reverses list(it): a list.
        List items = consume(target).v.as_list();
        std::reverse(items.begin(), items.end());
        return JV{Value(std::move(items))};
      }
      if (f == "pprint" || works_on_text()) {
        JV text{Value(text_of(target))};  // str(it): its repr
        text.safe = target.safe;
        target = std::move(text);
      } else {
        target = consume(target);
      }
    }
    // do_indent's `s += "\n"` and do_wordwrap's `s.splitlines()` take the
    // value as it is, not str(value).
    if (f == "indent") {
      // do_indent's `" " * width` comes first.
      const Value* width = a.get(0, "width");
      if (width && !width->is_string() && !is_intlike(*width))
        throw JError(fmt::format("can't multiply sequence by non-int of type '{}'", py_type_name(*width)));
    }
    if (f == "indent" && target.is_tuple() && target.get().is_list())
      throw JError("can only concatenate tuple (not \"str\") to tuple");
    if (f == "wordwrap" && (target.is_tuple() || !target.get().is_string()))
      throw JError(fmt::format("'{}' object has no attribute 'splitlines'",
                               target.is_tuple() && target.get().is_list() ? "tuple" : py_type_name(target.get())));
    if (target.is_tuple() && target.get().is_list() && works_on_text()) {
      JV text{Value(text_of(target))};
      text.safe = target.safe;
      target = std::move(text);
    }
    const Value& v = target.get();
    auto arg = [&](size_t i, const char* name, Value dflt) { const Value* x = a.get(i, name); return x ? *x : dflt; };
    if (f == "length" || f == "count") {
      if (v.is_string()) return JV{Value(static_cast<int64_t>(utf8_length(v.as_string())))};
      if (v.is_list() || v.is_dict()) return JV{Value(static_cast<int64_t>(v.size()))};
      throw JError(fmt::format("object of type '{}' has no len()", py_type_name(v)));
    }
    if (f == "join") {
      std::string sep = text_of(arg(0, "d", Value(""))), out;
      Value attr = arg(1, "attribute", Value());
      bool first = true;
      for (const auto& x : items(v)) {
        Value y = attr.is_null() ? x : attr_of(JV{x}, attr).get();
        budget_.bytes(first ? 0 : sep.size());  // as it grows: a long separator between many items
        out += (first ? "" : sep) + text_of(y);
        first = false;
      }
      return JV{Value(out)};
    }
    if (f == "upper") return JV{Value(upper(text_of(v)))};
    if (f == "lower") return JV{Value(lower(text_of(v)))};
    if (f == "title") return JV{Value(jinja_title(text_of(v)))};
    if (f == "capitalize") return JV{Value(python_capitalize(text_of(v)))};
    if (f == "replace") return JV{replace_filter(v, a)};
    if (f == "trim") return JV{method(Value(text_of(v)), "strip", a)};
    if (f == "int") {
      if (v.is_integer()) return JV{v};
      // int(nan) is a ValueError, which do_int turns into the default;
      // int(inf) an OverflowError, which it lets through.
      if (v.is_double()) {
        if (std::isnan(v.as_double())) return JV{arg(0, "default", Value(int64_t(0)))};
        return JV{int_of_float(v.as_double())};
      }
      if (v.is_bool()) return JV{Value(ival(v))};
      // Python's int(text, base) (any size), then int(float(text)), else
      // the default.
      std::string s = ascii_number_text(text_of(v));
      // int(text, base): a base that is no int is int()'s TypeError, which
      // do_int catches too (then float(text), then the default).
      Value base = arg(1, "base", Value(int64_t(10)));
      if (base.is_int() || base.is_bool()) {
        auto x = python_int::parse(s, ival(base));
        if (x && *x) return JV{**x};
      }
      auto d = python_float::from_text(s);
      if (d && std::isfinite(*d)) return JV{int_of_float(*d)};
      // int(float('inf')) is an OverflowError, which do_int lets through.
      if (d && std::isinf(*d)) throw JError("cannot convert float infinity to integer");
      return JV{arg(0, "default", Value(int64_t(0)))};
    }
    if (f == "float") {
      if (is_num(v)) return JV{Value(num(v))};
      // Python's float(value): text as Python reads it (whitespace, `_`).
      if (auto d = python_float::from_text(ascii_number_text(text_of(v)))) return JV{Value(*d)};
      return JV{arg(0, "default", Value(0.0))};
    }
    if (f == "string") return JV{Value(text_of(v))};
    if (f == "safe" || f == "e" || f == "escape" || f == "forceescape") {
      // Markup(value) / escape(value): text (Markup is a str), marked safe
      JV r{f == "safe" || (target.safe && f != "forceescape") ? (v.is_string() ? v : Value(text_of(v)))
                                                              : Value(html_escape(text_of(v)))};
      r.safe = true;
      return r;
    }
    if (f == "xmlattr") return JV{Value(xmlattr(v, arg(0, "autospace", Value(true)).truthy()))};
    if (f == "pprint") {
      budget_.check_value(v);
      if (target.object == "bytes" && target.method.empty() && v.is_string()) return JV{Value(pprint_bytes(v.as_string(), 0, 0, 1))};
      return JV{Value(pprint(v, 0, 0))};
    }
    if (f == "wordwrap") return JV{Value(wordwrap(text_of(v), a))};
    if (f == "urlize") return JV{Value(urlize(text_of(v), a, target.safe))};
    if (f == "list") return JV{Value(items(v))};
    // do_last is next(reversed(value)), do_reverse list(value) once
    // reversed() fails: Python's words for a value that is neither.
    if (f == "last" && !(v.is_list() || v.is_dict() || v.is_string()))
      throw JError(fmt::format("'{}' object is not reversible", py_type_name(v)));
    if (f == "reverse" && !(v.is_list() || v.is_dict() || v.is_string())) throw JError("argument must be iterable");
    if (f == "random") {
      // random.choice(seq): seq[randbelow(len(seq))] (a dict is looked up
      // by that int: a KeyError, worded as the key).
      if (!v.is_list() && !v.is_string() && !v.is_dict())
        throw JError(fmt::format("object of type '{}' has no len()", py_type_name(v)));
      List items = v.is_dict() ? List{} : this->items(v);
      size_t n = v.is_dict() ? v.size() : items.size();
      if (n == 0) return JV::undef("No random item, sequence was empty.");
      static thread_local std::mt19937_64 engine{std::random_device{}()};
      size_t i = std::uniform_int_distribution<size_t>(0, n - 1)(engine);
      if (v.is_dict()) {
        if (const Value* x = dict_find(v, Value(static_cast<int64_t>(i)))) return item_jv(*x);
        throw JError(std::to_string(i));
      }
      return item_jv(items[i]);
    }
    if (f == "first" || f == "last") {
      List items = this->items(v);
      if (items.empty()) return JV::undef(fmt::format("No {} item, sequence was empty.", f));
      return JV{f == "first" ? items.front() : items.back()};
    }
    if (f == "min" || f == "max") {
      List items = this->items(v);
      if (items.empty()) return JV::undef(fmt::format("No aggregated item, sequence was empty."));
      // One item is not compared: an Undefined one is the answer.
      if (items.size() == 1 && undefined_items_ && undefined_item_why(items[0]) && arg(1, "attribute", Value()).is_null())
        return item_jv(items[0]);
      refuse_undefined_item_in(items);  // compared: the Undefined raises
      // Jinja compares attribute(x) or x, strings lower-cased unless
      // case_sensitive; the first of equal ones wins.
      bool case_sensitive = arg(0, "case_sensitive", Value(false)).truthy();
      Value attr = arg(1, "attribute", Value());
      auto key = [&](const Value& x) {
        Value k = attr.is_null() ? x : attr_of(JV{x}, attr).get();
        return !case_sensitive && k.is_string() ? Value(lower(k.as_string())) : k;
      };
      // Python's min() compares each item after the first with the best so
      // far: one item is never compared (a lone dict is its answer, even
      // when its key is an Undefined).
      if (items.size() == 1) {
        if (!attr.is_null()) attr_of(JV{items[0]}, attr);  // a path through a missing part raises
        return JV{items[0]};
      }
      Value best = items[0], best_key = key(best);
      for (size_t i = 1; i < items.size(); ++i) {
        const Value& x = items[i];
        Value k = key(x);
        int c = py_cmp(k, best_key, f == "min" ? "<" : ">");
        if (f == "min" ? c < 0 : c > 0) best = x, best_key = k;
      }
      return JV{best};
    }
    if (f == "sum") {
      Value total = arg(1, "start", Value(int64_t(0)));
      List summed = items(v);  // Python's sum() takes iter(iterable) before it looks at start
      refuse_undefined_item_in(summed);
      if (total.is_string()) throw JError("sum() can't sum strings [use ''.join(seq) instead]");
      Value attr = arg(0, "attribute", Value());
      // The type Python sees: a range, a view or a generator held in a list
      // or given as start is that object (see NestedObject).
      auto shown = [&](const Value& x) {
        const NestedObject* o = nested_object(x);
        return o && !o->type.empty() ? o->type : py_type_name(x);
      };
      auto object = [&](const Value& x) {
        const NestedObject* o = nested_object(x);
        return o && !o->type.empty();
      };
      for (const auto& x : summed) {
        Value y = attr.is_null() ? x : attr_of(JV{x}, attr).get();
        if (total.is_list() || y.is_list()) {
          // sum(start=()) of tuples, sum(start=[]) of lists: concatenated;
          // a list or a tuple adds only its own kind (list.__add__'s words).
          if (!total.is_list() || !y.is_list() || total.is_tuple() != y.is_tuple() || object(total) || object(y)) {
            if (total.is_list() && !object(total))
              throw JError(fmt::format("can only concatenate {} (not \"{}\") to {}", shown(total), shown(y),
                                       shown(total)));
            throw JError(fmt::format("unsupported operand type(s) for +: '{}' and '{}'", shown(total), shown(y)));
          }
          budget_.items(total.size() + y.size());
          List joined = total.as_list();
          joined.insert(joined.end(), y.as_list().begin(), y.as_list().end());
          total = Value(std::move(joined)).as_tuple(y.is_tuple());
          continue;
        }
        if (!is_num(total) || !is_num(y))
          throw JError(fmt::format("unsupported operand type(s) for +: '{}' and '{}'", py_type_name(total),
                                   py_type_name(y)));
        if (is_intlike(total) && is_intlike(y)) {
          budget_.integer_op("+", total, y);
          total = python_int::add(total, y);
        } else {
          total = Value(num(total) + num(y));
        }
      }
      return JV{total};
    }
    if (f == "sort") {
      List items = this->items(v);
      if (items.size() > 1) refuse_undefined_item_in(items);
      budget_.sort(items.size());
      bool reverse = sorted_reverse(arg(0, "reverse", Value(false)));
      bool case_sensitive = arg(1, "case_sensitive", Value(false)).truthy();
      Value attr = arg(2, "attribute", Value());
      // make_multi_attrgetter: `attribute='meta.zone,cpu'` sorts by a list
      // of keys, one per comma-separated part, each lowered on its own.
      if (attr.is_string() && attr.as_string().find(',') != std::string::npos) {
        List parts;
        std::string names = attr.as_string();
        for (size_t at = 0;;) {
          size_t comma = names.find(',', at);
          parts.push_back(Value(names.substr(at, comma == std::string::npos ? std::string::npos : comma - at)));
          if (comma == std::string::npos) break;
          at = comma + 1;
        }
        // A missing attribute is a StrictUndefined in the key list, which
        // raises only when the lists are compared (at its place, the left
        // one's first, as Python's == tries it first).
        auto key = [&](const Value& x) {
          List k;
          for (const auto& part : parts) {
            JV one = attr_of(JV{x}, part);
            if (one.undefined) {
              k.push_back(undefined_item(one.why));
              continue;
            }
            Value kv = one.get();
            k.push_back(!case_sensitive && kv.is_string() ? Value(lower(kv.as_string())) : kv);
          }
          return Value(std::move(k));
        };
        std::vector<std::pair<Value, Value>> keyed;
        for (auto& x : items) keyed.emplace_back(key(x), x);
        std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& x, const auto& y) {
          const List& kx = x.first.as_list();
          const List& ky = y.first.as_list();
          for (size_t i = 0; i < kx.size(); ++i) {
            if (const std::string* why = undefined_item_why(kx[i])) throw JError(*why);
            if (const std::string* why = undefined_item_why(ky[i])) throw JError(*why);
            if (py_eq(kx[i], ky[i])) continue;
            int c = py_cmp(kx[i], ky[i], "<");
            return reverse ? c > 0 : c < 0;
          }
          return false;
        });
        List out;
        for (auto& [k, x] : keyed) out.push_back(std::move(x));
        return JV{Value(std::move(out))};
      }
      python_sort(items, [&](const Value& x, const Value& y) {
        Value kx = attr.is_null() ? x : attr_of(JV{x}, attr).get(), ky = attr.is_null() ? y : attr_of(JV{y}, attr).get();
        if (!case_sensitive && kx.is_string() && ky.is_string()) {
          kx = Value(lower(kx.as_string()));
          ky = Value(lower(ky.as_string()));
        }
        return py_cmp(kx, ky, "<") < 0;
      }, reverse);
      return JV{Value(std::move(items))};
    }
    if (f == "unique") {
      bool case_sensitive = arg(0, "case_sensitive", Value(false)).truthy();
      Value attr = arg(1, "attribute", Value());
      auto key = [&](const Value& x) {
        Value k = attr.is_null() ? x : attr_of(JV{x}, attr).get();
        return !case_sensitive && k.is_string() ? Value(lower(k.as_string())) : k;
      };
      List own, seen;
      List& out = take_yield(own);
      for (const auto& x : items(v)) {
        budget_.step(out.size());  // quadratic: each comparison is a step
        Value k = key(x);
        // Hashing a StrictUndefined raises it; a plain Undefined hashes.
        if (JV u = item_jv(k); u.undefined && !u.lenient) throw JError(u.why);
        // A range, an iterator or a method held in a list hashes (a view
        // does not).
        const NestedObject* o = nested_object(k);
        bool hashes = o && !o->type.empty() && o->type.rfind("dict_", 0) != 0;
        if (!lenient_undefined_item(k) && !hashes) require_hashable(k);
        if (std::none_of(seen.begin(), seen.end(), [&](const Value& y) { return py_eq(k, y); })) {
          out.push_back(x);
          seen.push_back(std::move(k));
        }
      }
      return JV{Value(std::move(out))};
    }
    if (f == "reverse") {
      if (v.is_string()) {
        List chars = items(v);
        std::string s;
        for (auto it = chars.rbegin(); it != chars.rend(); ++it) s += it->as_string();
        return JV{Value(s)};
      }
      List items = this->items(v);
      std::reverse(items.begin(), items.end());
      // reversed(value): an iterator over a list, a tuple or a dict's keys
      // (inside a generator's body Bora keeps the list).
      if (eager_ == 0 && (v.is_list() || v.is_dict())) {
        std::string type = v.is_dict() ? "dict_reversekeyiterator" : target.is_tuple() ? "reversed" : "list_reverseiterator";
        return make_lazy(type, "", [&] { return std::move(items); });
      }
      return JV{Value(std::move(items))};
    }
    if (f == "abs") {
      if (!is_num(v)) throw JError(fmt::format("bad operand type for abs(): '{}'", py_type_name(v)));
      if (!is_intlike(v)) return JV{Value(std::fabs(num(v)))};
      return JV{python_int::abs(v)};
    }
    if (f == "round") {
      // do_round checks its method before anything else.
      const Value method_arg = arg(1, "method", Value("common"));
      std::string method = method_arg.is_string() ? method_arg.as_string() : std::string();
      if (method != "common" && method != "ceil" && method != "floor")
        throw JError("method must be common, ceil or floor");
      // round(value, precision): the value's type answers first; ceil
      // and floor are math.ceil(value * 10**precision) / 10**precision,
      // where the power fails first, then the product or math.ceil.
      if (!is_num(v)) {
        Value precision = arg(0, "precision", Value(int64_t(0)));
        if (method == "common" || !(is_intlike(precision) || precision.is_null() || precision.is_double()))
          throw JError(fmt::format("type {} doesn't define __round__ method", py_type_name(v)));
        if (precision.is_null()) throw JError("unsupported operand type(s) for ** or pow(): 'int' and 'NoneType'");
        bool fraction = precision.is_double() || ival(precision) < 0;  // 10 ** -1 is a float
        if (v.is_string() || v.is_list()) {
          if (fraction) throw JError("can't multiply sequence by non-int of type 'float'");
          throw JError(fmt::format("must be real number, not {}", py_type_name(v)));
        }
        throw JError(fmt::format("unsupported operand type(s) for *: '{}' and '{}'", py_type_name(v),
                                 fraction ? "float" : "int"));
      }
      if (arg(0, "precision", Value(int64_t(0))).is_null()) {
        // round(value, None) is Python's round(value): an int, ties to even.
        if (method != "common" && method != "ceil" && method != "floor")
          throw JError("method must be common, ceil or floor");
        if (method != "common") throw JError("unsupported operand type(s) for ** or pow(): 'int' and 'NoneType'");
        if (is_intlike(v)) return JV{v.is_bool() ? Value(int64_t(v.as_bool() ? 1 : 0)) : v};
        return JV{Value(int_of_float(std::nearbyint(num(v))))};
      }
      if (const Value p = arg(0, "precision", Value(int64_t(0))); method != "common" && !is_num(p) && !p.is_null())
        throw JError(fmt::format("unsupported operand type(s) for ** or pow(): 'int' and '{}'", py_type_name(p)));
      if (const Value p = arg(0, "precision", Value(int64_t(0))); p.is_double() && method != "common") {
        // math.floor(value * 10 ** p) / 10 ** p with a float power.
        double scale = std::pow(10.0, p.as_double());
        if (std::isinf(scale)) throw JError("(34, 'Numerical result out of range')");
        double r = method == "ceil" ? std::ceil(num(v) * scale) : std::floor(num(v) * scale);
        if (std::isinf(r)) throw JError("cannot convert float infinity to integer");
        if (std::isnan(r)) throw JError("cannot convert float NaN to integer");
        if (r == 0) r = 0.0;
        return JV{Value(r / scale)};
      }
      int64_t precision = ival(arg(0, "precision", Value(int64_t(0))));
      // Python's round() of an int is an int, exact (ties to even).
      if (method == "common" && is_intlike(v)) return JV{python_int::round(v, precision)};
      double x = num(v), scale = std::pow(10.0, static_cast<double>(precision));
      if (method == "ceil" || method == "floor") {
        // math.ceil and math.floor give an int, whose zero has no sign:
        // round(-0.3, 0, 'ceil') is 0.0.
        double r = method == "ceil" ? std::ceil(x * scale) : std::floor(x * scale);
        if (std::isinf(r)) throw JError("cannot convert float infinity to integer");
        if (std::isnan(r)) throw JError("cannot convert float NaN to integer");
        if (r == 0) r = 0.0;
        return JV{Value(r / scale)};
      }
      // Python's round(): half to even on the exact binary value.
      char buf[512];
      if (precision < 0 && std::isfinite(x) && x != 0) {
        // round(12345.678, -1) is 12350.0: keep the digits above 10**-precision
        // (%e rounds the exact value to that many significant digits).
        std::snprintf(buf, sizeof buf, "%.17e", x);
        int64_t exponent = std::strtol(std::strchr(buf, 'e') + 1, nullptr, 10);
        int64_t significant = exponent + 1 + precision;
        if (significant > 0) {
          std::snprintf(buf, sizeof buf, "%.*e", static_cast<int>(std::min<int64_t>(significant - 1, 300)), x);
          return JV{Value(std::strtod(buf, nullptr))};
        }
        // Below the first kept digit: 0 (with x's sign), or 10**-precision
        // past the half (a tie goes to the even 0).
        double unit = std::pow(10.0, static_cast<double>(-precision));
        if (significant == 0 && std::fabs(x) > unit / 2) return JV{Value(std::copysign(unit, x))};
        return JV{Value(std::copysign(0.0, x))};
      }
      std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(std::clamp<int64_t>(precision, 0, 300)), x);
      return JV{Value(std::strtod(buf, nullptr))};
    }
    if (f == "tojson") {
      budget_.check_value(v);
      refuse_undefined_items(v, "Object of type StrictUndefined is not JSON serializable",
                             "Object of type Undefined is not JSON serializable");
      refuse_self_items(v);
      JsonFormat fmt_ = JsonFormat::python();
      // json.dumps(sort_keys=True) sorts each dict's keys as Python
      // compares them; a dict with keys that are not text is sorted and
      // its keys written here (1 before 10, None null).
      bool typed = made_tuples_ && has_typed_keys(v);
      fmt_.sort_keys = !typed;
      // json.dumps reads a ContextView's own (empty) dict: {}
      Value unviewed = without_views(v);
      const Value& jv = typed ? json_sorted(unviewed) : unviewed;
      Value indent = arg(0, "indent", Value());
      std::string out;
      if (indent.is_null()) {
        out = to_json(jv, fmt_);
      } else {
        // json.dumps(indent=...): an int (or a bool) is that many spaces
        // (none when negative), a str is itself; items end with "," alone.
        std::string unit;
        if (indent.is_string()) {
          unit = indent.as_string();
        } else if (indent.is_integer() || indent.is_bool()) {
          int64_t n = indent.is_bool() ? (indent.as_bool() ? 1 : 0) : ival(indent);
          budget_.bytes(static_cast<uint64_t>(std::max<int64_t>(0, n)));
          unit.assign(static_cast<size_t>(std::max<int64_t>(0, n)), ' ');
        } else {
          throw JError(fmt::format("can't multiply sequence by non-int of type '{}'", py_type_name(indent)));
        }
        out = indented_json(jv, unit, 0, fmt_, !typed);
      }
      // htmlsafe_json_dumps escapes <, >, &, '.
      std::string safe;
      for (char c : out) {
        if (c == '<') safe += "\\u003c";
        else if (c == '>') safe += "\\u003e";
        else if (c == '&') safe += "\\u0026";
        else if (c == '\'') safe += "\\u0027";
        else safe += c;
      }
      JV r{Value(safe)};
      r.safe = true;  // htmlsafe_json_dumps gives markupsafe's Markup
      return r;
    }
    if (f == "items" || f == "dictsort") {
      // do_dictsort checks `by` before it reads the value's items.
      if (f == "dictsort") {
        std::string by = to_str(arg(1, "by", Value("key")));
        if (by != "key" && by != "value") throw JError("You can only sort by either \"key\" or \"value\"");
      }
      if (!v.is_dict()) {
        if (f == "items") throw JError("Can only get item pairs from a mapping.");
        throw JError(fmt::format("'{}' object has no attribute 'items'", py_type_name(v)));
      }
      List out;
      for (const auto& [k, x] : v.as_dict()) out.push_back(tuple_of(List{key_value(k), self_resolved(x, v)}));
      if (f == "dictsort") {
        // Jinja's dictsort(case_sensitive=False, by='key', reverse=False):
        // strings compared lower-cased, Python's order otherwise.
        bool case_sensitive = arg(0, "case_sensitive", Value(false)).truthy();
        std::string by = to_str(arg(1, "by", Value("key")));
        bool reverse = sorted_reverse(arg(2, "reverse", Value(false)));
        if (by != "key" && by != "value") throw JError("You can only sort by either \"key\" or \"value\"");
        size_t pos = by == "key" ? 0 : 1;
        auto key = [&](const Value& pair) {
          const Value& k = pair.as_list()[pos];
          return !case_sensitive && k.is_string() ? Value(lower(k.as_string())) : k;
        };
        budget_.step(out.size() * 8);
        python_sort(out, [&](const Value& x, const Value& y) { return py_cmp(key(x), key(y), "<") < 0; }, reverse);
      }
      return JV{Value(std::move(out))};
    }
    if (f == "map") {
      List own;
      List& out = take_yield(own);
      // Jinja's prepare_map: an attribute only when no filter is named (a
      // filter's keywords, attribute among them, go to the filter).
      Value attr = a.pos.empty() ? arg(99, "attribute", Value()) : Value();
      // Jinja's prepare_map, before the items are read; the filter is
      // looked up for each item.
      if (attr.is_null() && a.pos.empty()) throw JError("map requires a filter argument");
      for (const auto& x : items(v)) {
        // An object (a macro, a function) is no filter's name: its repr.
        if (const NestedObject* o = attr.is_null() ? nested_object(a.pos[0]) : nullptr; o && !o->type.empty())
          throw JError(fmt::format("No filter named {}.", o->text));
        if (attr.is_null() && !a.pos[0].is_string())
          throw JError(fmt::format("No filter named {}.", python_repr(a.pos[0])));
        if (!attr.is_null()) {
          // make_attrgetter: the default when given, else the Undefined.
          const Value* d = a.get(99, "default");
          JV y = attr_of(item_jv(x), attr, d && !d->is_null() ? d : nullptr);
          if (!y.undefined && !y.method.empty()) {  // a bound method (`map(attribute='upper')`)
            auto nested = nest(y);
            out.push_back(nested ? *nested : value_of(y));
          } else if (!y.undefined) out.push_back(y.v);
          else {
            undefined_items_ = true;
            out.push_back(undefined_item(y.why));
          }
        } else {
          std::string name = text_of(a.pos[0]);
          if (JV u = item_jv(x); u.undefined && !u.lenient) {
            // Only `default` takes a StrictUndefined; any other filter uses
            // it (a plain one is '' to the text filters).
            if (name != "default" && name != "d") throw JError(u.why);
            out.push_back(a.pos.size() > 1 ? a.pos[1] : Value(""));
            continue;
          }
          // What the filter gives stays what it is (a Markup, a generator).
          // The filter is looked up by the runtime (call_filter): "No
          // filter named 'x'.", in a soft frame too.
          int soft = soft_;
          soft_ = 0;
          struct Restore {
            int& at;
            int was;
            ~Restore() { at = was; }
          } restore{soft_, soft};
          // The filter is called as it would be anywhere: a generator or
          // an iterator it gives (`map('reverse')`, `map('unique')`) is one.
          int eager = eager_;
          eager_ = 0;
          Restore restore_eager{eager_, eager};
          Args filter_args{std::vector<Value>(a.pos.begin() + 1, a.pos.end()), {}};
          filter_args.kw = a.kw;
          JV r = apply_filter_jv(name, x, filter_args);
          if (r.undefined && !r.macro) {  // (`map('first')` of an empty list): an Undefined item
            undefined_items_ = true;
            out.push_back(undefined_item(r.why, r.lenient));
            continue;
          }
          auto nested = nest(r);
          out.push_back(nested ? std::move(*nested) : r.get());
        }
      }
      return JV{Value(std::move(out))};
    }
    if (f == "select" || f == "reject" || f == "selectattr" || f == "rejectattr") {
      bool attr_form = f == "selectattr" || f == "rejectattr";
      bool want = f == "select" || f == "selectattr";
      List own;
      List& out = take_yield(own);
      // Jinja's prepare_select_or_reject, before the items are read (a
      // false value reads none: the generator stops first).
      if (attr_form && a.pos.empty()) throw JError("Missing parameter for attribute name");
      for (const auto& x : items(v)) {
        size_t first = attr_form ? 1 : 0;
        // The test is looked up for each item, before it is called (on an
        // Undefined attribute too).
        if (a.pos.size() > first && (!a.pos[first].is_string() || !test_names().count(a.pos[first].as_string())))
          throw JError(fmt::format("No test named {}.", python_repr(a.pos[first])));
        // A missing attribute is Undefined: an error unless the test is
        // `defined`/`undefined`, as StrictUndefined makes it.
        // make_attrgetter of None reads nothing: the item itself.
        JV subject = attr_form && !a.pos.at(0).is_null() ? attr_of(item_jv(x), a.pos.at(0)) : item_jv(x);
        bool r;
        if (a.pos.size() <= first) r = truthy(subject);
        else {
          std::string t = text_of(a.pos[first]);
          Args test_args{std::vector<Value>(a.pos.begin() + first + 1, a.pos.end()), a.kw};
          r = apply_test(t, subject, test_arguments(t, test_args));
        }
        if (r == want) out.push_back(x);
      }
      return JV{Value(std::move(out))};
    }
    if (f == "groupby") {
      // Jinja's do_groupby: sorted by the attribute, then [grouper, list]
      // pairs (namedtuples: tuples that print as tuples, which Mistral
      // serialises as lists).
      if (!a.get(0, "attribute")) throw JError("sync_do_groupby() missing 1 required positional argument: 'attribute'");
      Value attr = arg(0, "attribute", Value());
      bool case_sensitive = arg(2, "case_sensitive", Value(false)).truthy();
      std::vector<std::pair<Value, Value>> keyed;
      const List all = items(v);
      for (const auto& x : all) {
        JV k = attr.is_null() ? JV{x} : attr_of(JV{x}, attr);  // None: the item itself
        if (k.undefined) {
          if (const Value* d = a.get(1, "default")) {
            k = JV{*d};
          } else if (!k.macro) {
            // An Undefined grouper: raising when sorted() compares it; one
            // item is never compared (its group's grouper is the Undefined,
            // printed `Undefined`, raising where it is used).
            undefined_items_ = true;
            keyed.emplace_back(undefined_item(k.why, k.lenient), x);
            continue;
          } else {
            throw JError(k.why);
          }
        }
        keyed.emplace_back(k.v, x);
      }
      // case_sensitive=False (the default): strings compare lower-cased.
      auto folded = [&](const Value& k) { return !case_sensitive && k.is_string() ? Value(lower(k.as_string())) : k; };
      // sorted(): timsort's comparisons in its order (the first pair it
      // cannot compare is the one named); an Undefined compared raises.
      python_sort(keyed, [&](const auto& l, const auto& r) {
        if (undefined_items_) {
          if (const std::string* why = undefined_item_why(l.first)) throw JError(*why);
          if (const std::string* why = undefined_item_why(r.first)) throw JError(*why);
        }
        return py_cmp(folded(l.first), folded(r.first), "<") < 0;
      });
      List out;
      for (size_t i = 0; i < keyed.size();) {
        List group;
        size_t j = i;
        for (; j < keyed.size() && py_eq(folded(keyed[j].first), folded(keyed[i].first)); ++j)
          group.push_back(keyed[j].second);
        // Jinja's _GroupTuple: a namedtuple with tuple's repr (see
        // NestedObject::pprint_whole).
        Value pair = tuple_of(List{keyed[i].first, Value(std::move(group))});
        NestedObject o{pair, JV{pair}, std::string(), std::string()};
        o.pprint_whole = true;
        nested_[payload_of(pair)] = std::move(o);
        out.push_back(std::move(pair));
        i = j;
      }
      return JV{Value(std::move(out))};
    }
    if (f == "slice") {
      // do_slice: `slices` columns, the first ones one longer; fill_with pads.
      List items = this->items(v);
      const Value* slices_arg = a.get(0, "slices");
      if (!slices_arg) throw JError("sync_do_slice() missing 1 required positional argument: 'slices'");
      // len // slices, then range(slices): an int (or a bool) only; none
      // at all when it is negative.
      if (slices_arg->is_double()) throw JError("'float' object cannot be interpreted as an integer");
      if (!slices_arg->is_integer() && !slices_arg->is_bool())
        throw JError(fmt::format("unsupported operand type(s) for //: 'int' and '{}'", py_type_name(*slices_arg)));
      const Value count = slices_arg->is_bool() ? Value(ival(*slices_arg)) : *slices_arg;
      if (python_int::is_zero(count)) throw JError("integer division or modulo by zero");
      if (python_int::sign(count) < 0) return JV{Value(List{})};
      int64_t slices = ival(count);
      budget_.items(static_cast<uint64_t>(slices));  // one list per slice, before building them
      size_t n = items.size(), per = n / static_cast<size_t>(slices), extra = n % static_cast<size_t>(slices);
      const Value* fill = a.get(1, "fill_with");
      List out;
      size_t offset = 0;
      for (size_t k = 0; k < static_cast<size_t>(slices); ++k) {
        size_t start = offset + k * per;
        if (k < extra) ++offset;
        size_t end = offset + (k + 1) * per;
        List col(items.begin() + static_cast<std::ptrdiff_t>(start), items.begin() + static_cast<std::ptrdiff_t>(end));
        if (fill && !fill->is_null() && k >= extra) col.push_back(*fill);
        out.emplace_back(std::move(col));
      }
      return JV{Value(std::move(out))};
    }
    if (f == "filesizeformat") {
      // do_filesizeformat: decimal (kB, MB...) or binary (KiB, MiB...) units.
      bool binary = a.get(0, "binary") && a.get(0, "binary")->truthy();
      // float(value): a numeric string too.
      double bytes = 0;
      if (v.is_string()) {
        auto parsed = python_float::from_text(v.as_string());
        if (!parsed) throw JError(fmt::format("could not convert string to float: {}", python_string_repr(v.as_string())));
        bytes = *parsed;
      } else if (is_num(v) || v.is_bool()) {
        bytes = num(v);
      } else {
        throw JError(fmt::format("float() argument must be a string or a real number, not '{}'", py_type_name(v)));
      }
      double base = binary ? 1024 : 1000;
      static const char* const dec[] = {"kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
      static const char* const bin[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
      if (bytes == 1) return JV{Value("1 Byte")};
      if (bytes < base) return JV{Value(python_int::to_text(int_of_float(bytes)) + " Bytes")};
      for (int i = 0; i < 8; ++i) {
        double unit = std::pow(base, i + 2);
        if (bytes < unit || i == 7)
          return JV{Value(fmt::format("{:.1f} {}", base * bytes / unit, binary ? bin[i] : dec[i]))};
      }
    }
    if (f == "striptags") {
      // do_striptags is Markup(str(value)).striptags(): comments, then
      // tags removed (`<!--.*?-->`, `<.*?>`), whitespace (str.split's)
      // collapsed, then the character references unescaped: plain text.
      std::string text = text_of(v);
      auto remove = [&](std::string_view open, std::string_view close) {
        size_t from = 0;
        while (true) {
          size_t start = text.find(open, from);
          if (start == std::string::npos) return;
          size_t end = text.find(close, start + open.size());
          if (end == std::string::npos) return;
          text.erase(start, end + close.size() - start);
          from = start;
        }
      };
      remove("<!--", "-->");
      remove("<", ">");
      std::string collapsed;
      bool space = false;
      for (size_t i = 0; i < text.size();) {
        std::string_view ch = utf8_character_at(text, i);
        if (ch.empty()) ch = std::string_view(text).substr(i, 1);
        i += ch.size();
        if (python_str_is(ch, PythonCharClass::Space)) {
          space = !collapsed.empty();
          continue;
        }
        if (space) collapsed += ' ';
        space = false;
        collapsed += ch;
      }
      return JV{Value(html_unescape(collapsed))};
    }
    if (f == "batch") {
      const Value* linecount = a.get(0, "linecount");
      if (!linecount) throw JError("do_batch() missing 1 required positional argument: 'linecount'");
      // do_batch as written: a batch is yielded when it holds `linecount`
      // items (Python's ==, so 0 yields an empty batch first, and a
      // negative or non-number linecount never), before the next item goes
      // in; the last one is filled up to linecount when fill_with is not
      // None.
      const Value* fill = a.get(1, "fill_with");
      List out, cur;
      for (const auto& x : items(v)) {
        if (py_eq(Value(static_cast<int64_t>(cur.size())), *linecount)) out.emplace_back(std::move(cur)), cur.clear();
        cur.push_back(x);
      }
      if (!cur.empty()) {
        if (fill && !fill->is_null()) {
          const auto have = static_cast<int64_t>(cur.size());
          if (py_cmp(Value(have), *linecount, "<") < 0) {
            // [fill_with] * (linecount - len(tmp)): an int count only.
            if (linecount->is_double()) throw JError("can't multiply sequence by non-int of type 'float'");
            const int64_t missing = ival(*linecount) - have;
            budget_.items(static_cast<uint64_t>(missing));  // before filling
            cur.insert(cur.end(), static_cast<size_t>(missing), *fill);
          }
        }
        out.emplace_back(std::move(cur));
      }
      return JV{Value(std::move(out))};
    }
    if (f == "format") {
      // do_format: `value % (kwargs or args)`, args always a tuple; a
      // Markup escapes each argument's text (its _MarkupEscapeHelper).
      bool markup = target.safe && v.is_string();
      auto escaped = [&](const Value& x) {
        if (!markup) return x;
        if (x.is_string()) return Value(html_escape(x.as_string()));
        if (x.is_list() || x.is_dict()) return Value(html_escape(text_of(x)));
        return x;
      };
      if (!a.kw.empty()) {
        if (!a.pos.empty()) throw JError("can't handle positional and keyword arguments at the same time");
        Dict kw;
        for (const auto& [k, x] : a.kw) kw.set(k, escaped(x));
        return JV{Value(percent_format(text_of(v), Value(std::move(kw)), false))};
      }
      List args;
      for (const auto& x : a.pos) args.push_back(escaped(x));
      return JV{Value(percent_format(text_of(v), Value(std::move(args)), true))};
    }
    if (f == "center") {
      std::string text = text_of(v);
      int64_t width = ival(arg(0, "width", Value(int64_t(80))));
      int64_t len = static_cast<int64_t>(utf8_length(text));
      if (width <= len) return JV{Value(text)};
      budget_.bytes(static_cast<uint64_t>(width));  // before padding: center(10**12) fails at once
      // Python's str.center: the extra space goes right when the total is odd
      // and the text length is even, else left.
      int64_t pad = width - len, left = pad / 2 + (pad & width & 1);
      return JV{Value(std::string(static_cast<size_t>(left), ' ') + text +
                      std::string(static_cast<size_t>(pad - left), ' '))};
    }
    if (f == "indent") {
      // do_indent begins with `s += "\n"`: a number, None or a dict cannot
      // take it, and a list then has no splitlines().
      if (v.is_list()) throw JError("'list' object has no attribute 'splitlines'");
      if (!v.is_string()) throw JError(fmt::format("unsupported operand type(s) for +=: '{}' and 'str'", py_type_name(v)));
      std::string text = text_of(v);
      Value w = arg(0, "width", Value(int64_t(4)));
      if (!w.is_string()) budget_.bytes(static_cast<uint64_t>(std::max<int64_t>(0, ival(w))));
      std::string pad = w.is_string() ? w.as_string() : std::string(static_cast<size_t>(std::max<int64_t>(0, ival(w))), ' ');
      bool first = arg(1, "first", Value(false)).truthy(), blank = arg(2, "blank", Value(false)).truthy();
      // do_indent: (text + "\n").splitlines() (any of Python's line ends),
      // joined by "\n" and the pad (blank lines too when blank); the first
      // line padded only when first, whatever it holds.
      std::vector<std::string> lines = python_splitlines(text + "\n", false);
      std::string out;
      for (size_t i = 0; i < lines.size(); ++i) {
        const std::string& line = lines[i];
        bool indent = i == 0 ? first : (blank || !line.empty());
        budget_.bytes((indent ? pad.size() : 0) + line.size() + 1);  // a long pad on many lines
        if (i) out += '\n';
        out += (indent ? pad : "") + line;
      }
      return JV{Value(out)};
    }
    if (f == "truncate") {
      // do_truncate's assertions come first.
      {
        const Value& length = arg(0, "length", Value(int64_t(255)));
        Value end = arg(2, "end", Value("..."));
        Value leeway = arg(3, "leeway", Value(int64_t(5)));
        if (leeway.is_null()) leeway = Value(int64_t(5));  // the policy truncate.leeway
        // `assert length >= len(end)`: len() of an end that has none, then
        // a length that is no number fails the comparison; a float compares.
        if (end.is_null() || end.is_bool() || end.is_number())
          throw JError(fmt::format("object of type '{}' has no len()", py_type_name(end)));
        if (end.is_string() && !is_num(length))
          throw JError(fmt::format("'>=' not supported between instances of '{}' and 'int'", py_type_name(length)));
        if (end.is_string() && length.is_double() &&
            length.as_double() < static_cast<double>(utf8_length(end.as_string())))
          throw JError(fmt::format("expected length >= {}, got {}", utf8_length(end.as_string()), to_str(length)));
        if (end.is_string() && is_intlike(length)) {
          int64_t least = static_cast<int64_t>(utf8_length(end.as_string()));
          if (python_int::compare(length, Value(least)).value_or(0) < 0)
            throw JError(fmt::format("expected length >= {}, got {}", least, to_str(length)));
        }
        if (is_intlike(leeway) && python_int::compare(leeway, Value(int64_t(0))).value_or(0) < 0)
          throw JError(fmt::format("expected leeway >= 0, got {}", to_str(leeway)));
        if (leeway.is_double() && leeway.as_double() < 0)
          throw JError(fmt::format("expected leeway >= 0, got {}", to_str(leeway)));
        if (!is_num(leeway))
          throw JError(fmt::format("'>=' not supported between instances of '{}' and 'int'", py_type_name(leeway)));
      }
      Value leeway_arg = arg(3, "leeway", Value(int64_t(5)));
      if (leeway_arg.is_null()) leeway_arg = Value(int64_t(5));
      const Value length_arg = arg(0, "length", Value(int64_t(255)));
      // `len(s) <= length + leeway`: a float on either side compares as one.
      auto short_enough = [&](int64_t n) {
        if (length_arg.is_double() || leeway_arg.is_double())
          return static_cast<double>(n) <= num(length_arg) + num(leeway_arg);
        return static_cast<__int128>(n) <= static_cast<__int128>(ival(length_arg)) + ival(leeway_arg);
      };
      // Jinja takes len() of the value itself: a number has none.
      if (!v.is_string() && !v.is_list() && !v.is_dict())
        throw JError(fmt::format("object of type '{}' has no len()", py_type_name(v)));
      if (!v.is_string()) {  // a short list or dict comes back as it is; a long one cannot take the end text
        if (short_enough(static_cast<int64_t>(v.size()))) return target.is_range() ? target : JV{v};
        // s[:n].rsplit(" ", 1)[0] unless killwords, then + end.
        if (v.is_dict()) throw JError("unhashable type: 'slice'");
        std::string type = target.is_range() ? "range" : py_type_name(v);
        if (!arg(1, "killwords", Value(false)).truthy())
          throw JError(fmt::format("'{}' object has no attribute 'rsplit'", type));
        if (target.is_range()) throw JError("unsupported operand type(s) for +: 'range' and 'str'");
        throw JError(fmt::format("can only concatenate {} (not \"str\") to {}", py_type_name(v), py_type_name(v)));
      }
      std::string text = text_of(v);
      bool killwords = arg(1, "killwords", Value(false)).truthy();
      std::string end = text_of(arg(2, "end", Value("...")));
      List chars = items(Value(text));
      int64_t n = static_cast<int64_t>(chars.size());
      // Python's ints do not overflow and its slices clamp: 128-bit sums, and
      // never more characters kept than there are.
      if (short_enough(n)) return JV{Value(text)};
      if (!is_intlike(length_arg))  // s[:length - len(end)]
        throw JError("slice indices must be integers or None or have an __index__ method");
      int64_t length = ival(length_arg);
      int64_t keep = static_cast<int64_t>(std::clamp<__int128>(
          static_cast<__int128>(length) - static_cast<__int128>(utf8_length(end)), 0, n));
      std::string head;
      for (int64_t i = 0; i < keep; ++i) head += chars[static_cast<size_t>(i)].as_string();
      if (!killwords) {
        size_t space = head.rfind(' ');
        if (space != std::string::npos) head = head.substr(0, space);
      }
      return JV{Value(head + end)};
    }
    if (f == "urlencode") {
      // Jinja's url_quote: '/' kept in a plain string; in a query string
      // (a dict) spaces become '+' and '/' is quoted. It quotes the UTF-8
      // bytes, which a lone surrogate has none of.
      auto quote = [](const std::string& s, bool for_qs = false) {
        if (auto refused = python_utf8_encode_error(s)) throw JError(*refused);
        std::string out;
        for (unsigned char c : s) {
          if (std::isalnum(c) || c == '_' || c == '.' || c == '-' || c == '~' || (!for_qs && c == '/')) out += static_cast<char>(c);
          else if (for_qs && c == ' ') out += '+';
          else out += fmt::format("%{:02X}", c);
        }
        return out;
      };
      if (v.is_dict()) {
        std::string out;
        for (const auto& [k, x] : v.as_dict()) {
          if (!out.empty()) out += '&';
          std::string qk = quote(is_typed_key(k) ? text_of(key_value(k)) : k, true), qv = quote(text_of(x), true);
          out += qk + "=" + qv;
        }
        return JV{Value(out)};
      }
      if (v.is_list()) {
        // Any other iterable: items unpacked as `k, v`.
        std::string out;
        for (const auto& pair : v.as_list()) {
          List kv = pair.is_string() || pair.is_list() || pair.is_dict()
                        ? items(pair)
                        : throw JError(fmt::format("cannot unpack non-iterable {} object", py_type_name(pair)));
          if (kv.size() < 2) throw JError(fmt::format("not enough values to unpack (expected 2, got {})", kv.size()));
          if (kv.size() > 2) throw JError("too many values to unpack (expected 2)");
          if (!out.empty()) out += '&';
          out += quote(text_of(kv[0]), true) + "=" + quote(text_of(kv[1]), true);
        }
        return JV{Value(out)};
      }
      return JV{Value(quote(text_of(v)))};
    }
    if (f == "wordcount") {
      // Jinja counts the matches of \w+ (Unicode: letters, digits and `_`):
      // '2.5' is two words, '<b>x</b>' two.
      std::string s = text_of(v);
      budget_.items(s.size());
      int64_t words = 0;
      bool in_word = false;
      for (size_t i = 0; i < s.size();) {
        std::string_view ch = utf8_character_at(s, i);
        bool word = ch == "_" || python_str_is(ch, PythonCharClass::Alnum);
        if (word && !in_word) ++words;
        in_word = word;
        i += std::max<size_t>(1, ch.size());
      }
      return JV{Value(words)};
    }
    if (f == "attr") {
      // getattr only: a dict's keys are items, not attributes.
      const Value& name_arg = arg(0, "name", Value(""));
      if (!name_arg.is_string())
        throw JError(fmt::format("attribute name must be string, not '{}'", py_type_name(name_arg)));
      std::string name = name_arg.as_string();
      JV r = attribute(target, name, Value());
      // getattr: a dict's or a list's methods (`d | attr('items')`), not
      // its keys or items; a method is the bound method, called or not.
      if (target.object.empty() && (v.is_dict() || v.is_list()) && (r.undefined || r.method.empty()))
        return JV::undef(fmt::format("'{}' has no attribute {}", obj_name(v), python_string_repr(name)));
      if (r.undefined || !r.method.empty()) return r;  // an Undefined raises where it is used
      return JV{r.get()};
    }
    throw JError(fmt::format("the filter '{}' is not supported by bora yet", f));
  }

  static std::string html_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&#34;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
      }
    }
    return out;
  }

  // xmlattr: ` key="escaped value"` for every value neither none nor
  // undefined; keys with spaces or markup characters are refused.
  std::string xmlattr(const Value& v, bool autospace) {
    if (!v.is_dict()) throw JError(fmt::format("'{}' object has no attribute 'items'", py_type_name(v)));
    std::string out;
    for (const auto& [k, x] : v.as_dict()) {
      if (x.is_null()) continue;
      if (is_typed_key(k))  // Jinja matches the key against a regex
        throw JError(fmt::format("expected string or bytes-like object, got '{}'", py_type_name(key_value(k))));
      if (k.find_first_of(" \t\n\f/>=") != std::string::npos)
        throw JError(fmt::format("Invalid character in attribute name: {}", python_string_repr(k)));
      if (!out.empty()) out += ' ';
      out += html_escape(k) + "=\"" + html_escape(text_of(x)) + "\"";
    }
    budget_.bytes(out.size());
    return autospace && !out.empty() ? " " + out : out;
  }

  // Python's pprint.pformat (width 80, dicts sorted by key): the repr when
  // it fits (widths in characters), else one item per line, indented under
  // its bracket, and a long string cut at its spaces and line ends into
  // adjacent literals. `level` is pprint's: 1 at the top.
  std::string pprint(const Value& v, size_t indent, size_t allowance, int level = 1) {
    budget_.step();
    // A dict subclass with a __repr__ of its own (the ContextView): its
    // repr, keys unsorted, one piece.
    if (is_context_view(v)) return jinja_repr(v);
    std::string repr = sorted_repr(v);
    if (utf8_length(repr) + indent + allowance <= 80 || v.size() == 0) return repr;
    if (const NestedObject* o = nested_object(v)) {
      // An object's repr is one piece; bytes are cut as pprint cuts them.
      if (o->type == "bytes") return pprint_bytes(v.as_string(), indent, allowance, level);
      return repr;
    }
    if (v.is_string()) return pprint_str(v.as_string(), indent, allowance, level);
    if (!(v.is_list() || v.is_dict())) return repr;
    std::string out = v.is_tuple() ? "(" : v.is_list() ? "[" : "{";
    std::string delim = ",\n" + std::string(indent + 1, ' ');
    if (v.is_list()) {
      // pformat lays a tuple out as a list, in parentheses: (1,) () (1,\n 2);
      // the last item leaves room for what closes it (`]`, `)` or `,)`).
      const List& l = v.as_list();
      size_t closing = v.is_tuple() && l.size() == 1 ? 2 : 1;
      for (size_t i = 0; i < l.size(); ++i) {
        if (i) out += delim;
        out += pprint(l[i], indent + 1, i + 1 == l.size() ? allowance + closing : 1, level + 1);
      }
      if (v.is_tuple()) return out + (l.size() == 1 ? ",)" : ")");
      return out + "]";
    }
    auto entries = sorted_entries(v);
    for (size_t i = 0; i < entries.size(); ++i) {
      if (i) out += delim;
      std::string key = key_repr(entries[i].first);
      out += key + ": " +
             pprint(entries[i].second, indent + 1 + utf8_length(key) + 2, i + 1 == entries.size() ? allowance + 1 : 1,
                    level + 1);
    }
    return out + "}";
  }

  // pprint's _pprint_bytes: up to 4 bytes whole; else runs of 4 bytes
  // gathered while their repr fits the width (the last run, when the size
  // is no multiple of 4, leaving the allowance too), one under another, in
  // parentheses at the top level.
  std::string pprint_bytes(const std::string& b, size_t indent, size_t allowance, int level) {
    std::string whole = python_bytes_repr(b);
    if (b.size() <= 4 || whole.size() + indent + allowance <= 80) return whole;
    if (level == 1) {
      ++indent;
      ++allowance;
    }
    int64_t width = 80 - static_cast<int64_t>(indent);
    const size_t last = b.size() / 4 * 4;
    std::vector<std::string> pieces;
    std::string current;
    for (size_t i = 0; i < b.size(); i += 4) {
      budget_.step();
      std::string part = b.substr(i, 4);
      if (i == last) width -= static_cast<int64_t>(allowance);
      if (static_cast<int64_t>(python_bytes_repr(current + part).size()) > width) {
        if (!current.empty()) pieces.push_back(python_bytes_repr(current));
        current = std::move(part);
      } else {
        current += part;
      }
    }
    if (!current.empty()) pieces.push_back(python_bytes_repr(current));
    std::string out = level == 1 ? "(" : "";
    for (size_t i = 0; i < pieces.size(); ++i) {
      if (i) out += "\n" + std::string(indent, ' ');
      out += pieces[i];
    }
    return level == 1 ? out + ")" : out;
  }

  // pprint's _pprint_str: each line (ends kept) whole when its repr fits,
  // else cut after runs of whitespace (re.findall(r'\S*\s*')) into pieces
  // whose reprs fit; the pieces one under another, in parentheses at the
  // top level.
  std::string pprint_str(const std::string& s, size_t indent, size_t allowance, int level) {
    auto width = [](const std::string& t) { return static_cast<int64_t>(utf8_length(python_string_repr(t))); };
    if (level == 1) {
      ++indent;
      ++allowance;
    }
    const int64_t max_width = 80 - static_cast<int64_t>(indent);
    int64_t max_width1 = max_width;
    std::vector<std::string> lines = python_splitlines(s, true);
    std::vector<std::string> chunks;
    for (size_t i = 0; i < lines.size(); ++i) {
      budget_.step();
      const std::string& line = lines[i];
      bool last_line = i + 1 == lines.size();
      if (last_line) max_width1 -= static_cast<int64_t>(allowance);
      if (width(line) <= max_width1) {
        chunks.push_back(python_string_repr(line));
        continue;
      }
      // The parts: a run of non-space characters, then of space ones.
      std::vector<std::string> parts;
      for (size_t at = 0; at < line.size();) {
        size_t from = at;
        bool in_space = false;
        while (at < line.size()) {
          std::string_view ch = utf8_character_at(line, at);
          size_t len = std::max<size_t>(1, ch.size());
          bool space = python_str_is(ch, PythonCharClass::Space);
          if (!space && in_space) break;
          if (space) in_space = true;
          at += len;
        }
        parts.push_back(line.substr(from, at - from));
      }
      int64_t max_width2 = max_width;
      std::string current;
      for (size_t j = 0; j < parts.size(); ++j) {
        std::string candidate = current + parts[j];
        if (j + 1 == parts.size() && last_line) max_width2 -= static_cast<int64_t>(allowance);
        if (width(candidate) > max_width2) {
          if (!current.empty()) chunks.push_back(python_string_repr(current));
          current = parts[j];
        } else {
          current = std::move(candidate);
        }
      }
      if (!current.empty()) chunks.push_back(python_string_repr(current));
    }
    if (chunks.size() == 1) return chunks.front();
    std::string out = level == 1 ? "(" : "";
    for (size_t i = 0; i < chunks.size(); ++i) {
      if (i) out += "\n" + std::string(indent, ' ');
      out += chunks[i];
    }
    return level == 1 ? out + ")" : out;
  }

  // v as json.dumps(sort_keys=True) walks it: each dict's keys sorted as
  // Python compares them (its TypeError for mixed types), then written as
  // json writes keys (json_key).
  Value json_sorted(const Value& v) {
    if (v.is_list()) {
      List out;
      for (const auto& x : v.as_list()) out.push_back(json_sorted(x));
      return Value(std::move(out)).as_tuple(v.is_tuple());
    }
    if (!v.is_dict()) return v;
    std::vector<std::pair<Value, const Value*>> entries;
    for (const auto& [k, x] : v.as_dict()) entries.emplace_back(key_value(k), &x);
    budget_.sort(entries.size());
    python_sort(entries, [](const auto& a, const auto& b) { return py_cmp(a.first, b.first, "<") < 0; });
    Dict out;
    for (const auto& [k, x] : entries) {
      std::string t = key_text(k);
      out.set(json_key(t), json_sorted(*x));
    }
    return Value(std::move(out));
  }

  // pprint's order: keys sorted by pprint._safe_key (Python's `<`, else
  // by the names of their types).
  static std::vector<std::pair<std::string, Value>> sorted_entries(const Value& v) {
    std::vector<std::pair<std::string, Value>> e(v.as_dict().begin(), v.as_dict().end());
    bool typed = std::any_of(e.begin(), e.end(), [](const auto& x) { return is_typed_key(x.first); });
    if (!typed) {
      std::sort(e.begin(), e.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
      return e;
    }
    python_sort(e, [](const auto& x, const auto& y) {
      Value a = key_value(x.first), b = key_value(y.first);
      try {
        return py_cmp(a, b, "<") < 0;
      } catch (const JError&) {
        return py_type_name(a) < py_type_name(b);
      }
    });
    return e;
  }
  // A dict's key as repr() writes it.
  static std::string key_repr(const std::string& k) {
    return is_typed_key(k) ? python_repr(key_value(k)) : python_string_repr(k);
  }

  static std::string sorted_repr(const Value& v) {
    if (const NestedObject* o = nested_object(v)) return o->pprint_whole ? jinja_repr(v) : o->text;
    if (v.is_list()) {
      std::string out = v.is_tuple() ? "(" : "[";
      for (const auto& x : v.as_list())
        out += (out.size() > 1 ? ", " : "") +
               (is_self_item(x) ? fmt::format("<Recursion on list with id={}>", reinterpret_cast<uintptr_t>(&v.as_list()))
                                : sorted_repr(x));
      if (v.is_tuple()) return out + (v.size() == 1 ? ",)" : ")");
      return out + "]";
    }
    if (undefined_item_why(v)) return "Undefined";
    if (v.is_dict()) {
      std::string out = "{";
      for (const auto& [k, x] : sorted_entries(v))
        out += (out.size() > 1 ? ", " : "") + key_repr(k) + ": " +
               (is_self_item(x) ? fmt::format("<Recursion on dict with id={}>", reinterpret_cast<uintptr_t>(&v.as_dict()))
                                : sorted_repr(x));
      return out + "}";
    }
    return python_repr(v);
  }

  // Jinja's wordwrap: Python's textwrap (no tab expansion, whitespace
  // kept) on each line, lines joined by wrapstring. Words split after a
  // hyphen between letters when break_on_hyphens.
  // json.dumps(value, indent=unit, sort_keys=True) from `level` on: each
  // item on a line of its own, `unit` once per level.
  std::string indented_json(const Value& v, const std::string& unit, size_t level, const JsonFormat& scalar,
                            bool sort_keys = true) {
    if (!(v.is_list() || v.is_dict()) || v.size() == 0) return to_json(v, scalar);
    auto pad = [&](size_t depth) {
      budget_.bytes(unit.size() * depth);  // before it is built: a long unit deep down
      std::string p;
      for (size_t i = 0; i < depth; ++i) p += unit;
      return p;
    };
    std::string out = v.is_list() ? "[" : "{";
    bool first = true;
    auto line = [&](const std::string& text) {
      out += first ? "\n" : ",\n";
      out += pad(level + 1) + text;
      first = false;
    };
    if (v.is_list()) {
      for (const auto& x : v.as_list()) line(indented_json(x, unit, level + 1, scalar, sort_keys));
    } else {
      std::vector<const std::string*> keys;
      for (const auto& [k, x] : v.as_dict()) keys.push_back(&k);
      if (sort_keys)
        std::sort(keys.begin(), keys.end(), [](const std::string* l, const std::string* r) { return *l < *r; });
      for (const std::string* k : keys)
        line(to_json(Value(*k), scalar) + ": " + indented_json(*v.find(*k), unit, level + 1, scalar, sort_keys));
    }
    return out + "\n" + pad(level) + (v.is_list() ? "]" : "}");
  }

  std::string wordwrap(const std::string& text, const Args& a) {
    // No line to wrap: textwrap (and its width check) never runs.
    if (text.empty()) return text;
    auto arg = [&](size_t i, const char* name, Value dflt) { const Value* x = a.get(i, name); return x ? *x : dflt; };
    Value width_arg = arg(0, "width", Value(int64_t(79)));
    // TextWrapper's first look at width is `self.width <= 0`.
    if (!is_num(width_arg) && !width_arg.is_bool())
      throw JError(fmt::format("'<=' not supported between instances of '{}' and 'int'", py_type_name(width_arg)));
    int64_t width = ival(width_arg);
    bool break_long = arg(1, "break_long_words", Value(true)).truthy();
    std::string wrapstring = to_str(arg(2, "wrapstring", Value("\n")));
    bool hyphens = arg(3, "break_on_hyphens", Value(true)).truthy();
    if (width <= 0) throw JError(fmt::format("invalid width {} (must be > 0)", width));
    budget_.items(text.size());
    std::string out;
    size_t start = 0;
    bool first_line = true;
    while (start <= text.size()) {
      size_t nl = text.find('\n', start);
      std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
      if (!first_line) out += wrapstring;
      first_line = false;
      std::vector<std::string> wrapped = textwrap(line, size_t(width), break_long, hyphens);
      for (size_t i = 0; i < wrapped.size(); ++i) out += (i ? wrapstring : "") + wrapped[i];
      budget_.bytes(out.size());
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
    return out;
  }

  static std::vector<std::string> textwrap(const std::string& line, size_t width, bool break_long, bool hyphens) {
    // Chunks: runs of whitespace, and words (cut after "x-" before a letter).
    std::vector<std::string> chunks;
    for (size_t i = 0; i < line.size();) {
      size_t j = i;
      bool space = std::isspace(static_cast<unsigned char>(line[i]));
      while (j < line.size() && bool(std::isspace(static_cast<unsigned char>(line[j]))) == space) {
        ++j;
        if (!space && hyphens && j < line.size() && line[j - 1] == '-' && j >= i + 2 &&
            std::isalnum(static_cast<unsigned char>(line[j - 2])) && std::isalpha(static_cast<unsigned char>(line[j])))
          break;
      }
      chunks.push_back(line.substr(i, j - i));
      i = j;
    }
    std::reverse(chunks.begin(), chunks.end());
    std::vector<std::string> lines;
    // chunk.strip() == '': whitespace, or a word cut down to nothing
    auto blank = [](const std::string& c) { return c.empty() || std::isspace(static_cast<unsigned char>(c[0])); };
    while (!chunks.empty()) {
      std::vector<std::string> cur;
      size_t len = 0;
      if (!lines.empty() && blank(chunks.back())) chunks.pop_back();  // drop leading whitespace
      while (!chunks.empty() && len + utf8_length(chunks.back()) <= width) {
        len += utf8_length(chunks.back());
        cur.push_back(chunks.back());
        chunks.pop_back();
      }
      if (!chunks.empty() && utf8_length(chunks.back()) > width) {
        // A word longer than a line (textwrap's _handle_long_word): cut
        // after the room left on this line, which may be none (the line then
        // keeps its trailing space: Python drops only the empty cut), or
        // after its last hyphen within that room; or put it alone.
        size_t room = width - len;
        if (break_long) {
          // counted in characters, not bytes (a cut inside a UTF-8 sequence
          // would make text that is no text)
          std::vector<std::string> chars = utf8_characters(chunks.back());
          size_t end = std::min(room, chars.size());
          if (hyphens && chars.size() > room) {
            for (size_t h = end; h-- > 1;) {
              if (chars[h] != "-") continue;
              if (std::any_of(chars.begin(), chars.begin() + static_cast<std::ptrdiff_t>(h),
                              [](const std::string& c) { return c != "-"; }))
                end = h + 1;
              break;
            }
          }
          std::string head, tail;
          for (size_t k = 0; k < chars.size(); ++k) (k < end ? head : tail) += chars[k];
          cur.push_back(std::move(head));
          chunks.back() = std::move(tail);
        } else if (cur.empty()) {
          cur.push_back(chunks.back());
          chunks.pop_back();
        }
      }
      if (!cur.empty() && blank(cur.back())) cur.pop_back();  // trailing whitespace (once, as textwrap)
      if (!cur.empty()) {
        std::string l;
        for (const auto& c : cur) l += c;
        lines.push_back(l);
      }
    }
    return lines;
  }

  // lipsum(n=5, html=True, min=20, max=100): n paragraphs of min to max-1
  // placeholder words in sentences, as Jinja builds them. Jinja's words are
  // random; Bora's come from a fixed sequence, so a template renders the
  // same each time (nothing can rely on Mistral's words).
  std::string lipsum(const Args& a) {
    auto arg = [&](size_t i, const char* name, Value dflt) { const Value* x = a.get(i, name); return x ? *x : dflt; };
    int64_t n = ival(arg(0, "n", Value(int64_t(5))));
    bool html = arg(1, "html", Value(true)).truthy();
    int64_t lo = ival(arg(2, "min", Value(int64_t(20)))), hi = ival(arg(3, "max", Value(int64_t(100))));
    if (lo >= hi) throw JError(fmt::format("empty range for randrange() ({}, {}, {})", lo, hi, hi - lo));
    static const char* const words[] = {"vera", "lumen", "ortus", "silva", "nubes", "ventus", "mare", "terra",
                                        "saxum", "ignis", "aqua", "caelum", "stella", "flumen", "mons", "campus",
                                        "arbor", "folium", "radix", "semen", "hora", "dies", "nox", "annus",
                                        "via", "porta", "domus", "murus", "pons", "navis", "ripa", "litus"};
    constexpr size_t kWords = sizeof(words) / sizeof(words[0]);
    uint64_t state = 0x9e3779b97f4a7c15ull;
    auto next = [&](uint64_t bound) {  // xorshift64*: a fixed sequence
      state ^= state >> 12, state ^= state << 25, state ^= state >> 27;
      return (state * 0x2545f4914f6cdd1dull) % bound;
    };
    auto randrange = [&](int64_t from, int64_t to) {
      return int64_t(__int128(from) + __int128(next(uint64_t(__int128(to) - from))));
    };
    std::string out;
    for (int64_t k = 0; k < n; ++k) {
      std::string p;
      bool capital = true;
      int64_t last_comma = 0, last_fullstop = 0;
      size_t last = kWords;
      // A paragraph's words are charged before it is made (at most max).
      budget_.items(static_cast<uint64_t>(std::max<int64_t>(1, hi)));
      budget_.bytes(static_cast<uint64_t>(std::max<int64_t>(1, hi)) * 8);
      int64_t count = randrange(lo, hi);
      for (int64_t idx = 0; idx < count; ++idx) {
        size_t w;
        do w = size_t(next(kWords));
        while (w == last);
        last = w;
        std::string word = words[w];
        if (capital) word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
        capital = false;
        if (idx - randrange(3, 8) > last_comma) {
          last_comma = idx;
          last_fullstop += 2;
          word += ",";
        }
        if (idx - randrange(10, 20) > last_fullstop) {
          last_comma = last_fullstop = idx;
          word += ".";
          capital = true;
        }
        p += (p.empty() ? "" : " ") + word;
      }
      if (!p.empty() && p.back() == ',') p.back() = '.';
      else if (p.empty() || p.back() != '.') p += ".";
      if (k) out += html ? "\n" : "\n\n";
      out += html ? "<p>" + p + "</p>" : p;
    }
    return out;
  }

  // Jinja's urlize: the text HTML-escaped, each whitespace-separated word
  // that is a URL (http(s)://, www., a bare domain of a classic TLD) or an
  // e-mail address made a link, leading ( < and trailing ) > . , left out
  // unless they balance the URL's own. Mistral's policies: rel "noopener".
  std::string urlize(const std::string& text, const Args& a, bool safe = false) {
    auto arg = [&](size_t i, const char* name, Value dflt) { const Value* x = a.get(i, name); return x ? *x : dflt; };
    Value limit = arg(0, "trim_url_limit", Value());
    bool nofollow = arg(1, "nofollow", Value(false)).truthy();
    Value target = arg(2, "target", Value());
    Value rel = arg(3, "rel", Value());
    std::vector<std::string> rels{"noopener"};
    if (nofollow) rels.push_back("nofollow");
    if (!rel.is_null()) {
      std::string r = to_str(rel);
      for (size_t i = 0; i < r.size();) {
        size_t j = r.find(' ', i);
        if (j == std::string::npos) j = r.size();
        if (j > i) rels.push_back(r.substr(i, j - i));
        i = j + 1;
      }
    }
    std::sort(rels.begin(), rels.end());
    rels.erase(std::unique(rels.begin(), rels.end()), rels.end());
    std::string rel_attr = " rel=\"", target_attr;
    for (size_t i = 0; i < rels.size(); ++i) rel_attr += (i ? " " : "") + html_escape(rels[i]);
    rel_attr += "\"";
    if (!target.is_null() && target.truthy()) target_attr = " target=\"" + html_escape(to_str(target)) + "\"";
    auto trim_url = [&](const std::string& x) {
      if (limit.is_null()) return x;
      // Jinja's trim_url: `len(x) > limit` first.
      if (!is_num(limit) && !limit.is_bool())
        throw JError(fmt::format("'>' not supported between instances of 'int' and '{}'", py_type_name(limit)));
      int64_t n = ival(limit), size = int64_t(utf8_length(x));
      if (size <= n) return x;
      // x[:limit]: a negative limit counts from the end.
      int64_t keep = n < 0 ? std::max<int64_t>(0, size + n) : n;
      std::vector<std::string> chars = utf8_characters(x);
      std::string kept;
      for (int64_t i = 0; i < keep; ++i) kept += chars[size_t(i)];
      return kept + "...";
    };
    static const Regex http = Regex::compile(
        R"(^(((https?://|www\.)(([\w%-]+\.)+)?([a-z]{2,63}|xn--[\w%]{2,59})|([\w%-]{2,63}\.)+(com|net|int|edu|gov|org|info|mil)|(https?://)((([\d]{1,3})(\.[\d]{1,3}){3})|(\[([\da-f]{0,4}:){2}([\da-f]{0,4}:?){1,6}])))(?::[\d]{1,5})?(?:[/?#]\S*)?)$)",
        RegexOptions{true}).value();
    static const Regex email = Regex::compile(R"(^\S+@\w[\w.-]*\.\w+$)").value();
    auto matches = [&](const Regex& re, const std::string& x) {
      auto m = re.search(x, 0, process_regex_limits());
      if (!m) throw JError(m.error().message);
      return m->has_value();
    };
    std::string escaped = safe ? text : html_escape(text), out;  // escape() leaves a Markup as it is
    budget_.items(escaped.size());
    auto starts = [](const std::string& x, const char* p) { return x.rfind(p, 0) == 0; };
    size_t i = 0;
    while (i < escaped.size()) {
      size_t j = i;
      bool space = std::isspace(static_cast<unsigned char>(escaped[i]));
      while (j < escaped.size() && bool(std::isspace(static_cast<unsigned char>(escaped[j]))) == space) ++j;
      std::string word = escaped.substr(i, j - i);
      i = j;
      if (space) {
        out += word;
        continue;
      }
      std::string head, middle = word, tail;
      for (;;) {
        if (starts(middle, "(") || starts(middle, "<")) head += middle[0], middle.erase(0, 1);
        else if (starts(middle, "&lt;")) head += "&lt;", middle.erase(0, 4);
        else break;
      }
      for (;;) {
        size_t n = middle.size();
        if (n && std::string(")>.,\n").find(middle[n - 1]) != std::string::npos) tail.insert(0, 1, middle[n - 1]), middle.pop_back();
        else if (n >= 4 && middle.compare(n - 4, 4, "&gt;") == 0) tail.insert(0, "&gt;"), middle.erase(n - 4);
        else break;
      }
      const std::pair<std::string, std::string> pairs[] = {{"(", ")"}, {"<", ">"}, {"&lt;", "&gt;"}};
      auto count = [](const std::string& x, const std::string& what) {
        size_t c = 0;
        for (size_t k = x.find(what); k != std::string::npos; k = x.find(what, k + what.size())) ++c;
        return c;
      };
      for (const auto& [open, close] : pairs) {
        size_t opens = count(middle, open);
        if (opens <= count(middle, close)) continue;
        for (size_t k = std::min(opens, count(tail, close)); k > 0; --k) {
          size_t end = tail.find(close) + close.size();
          middle += tail.substr(0, end);
          tail.erase(0, end);
        }
      }
      if (matches(http, middle)) {
        std::string href = starts(middle, "https://") || starts(middle, "http://") ? middle : "https://" + middle;
        middle = "<a href=\"" + href + "\"" + rel_attr + target_attr + ">" + trim_url(middle) + "</a>";
      } else if (starts(middle, "mailto:") && matches(email, middle.substr(7))) {
        middle = "<a href=\"" + middle + "\">" + middle.substr(7) + "</a>";
      } else if (middle.find('@') != std::string::npos && !starts(middle, "www.") &&
                 middle.find(':') == std::string::npos && matches(email, middle)) {
        middle = "<a href=\"mailto:" + middle + "\">" + middle + "</a>";
      }
      out += head + middle + tail;
      budget_.bytes(out.size());
    }
    return out;
  }

  // do_replace: str(s).replace(str(old), str(new), count), a None count
  // being -1: the filter takes any old and new, unlike str's. Out of
  // run_filter, whose frame is on the stack once per nested filter.
  [[gnu::noinline]] Value replace_filter(const Value& v, const Args& a) {
    const Value* old = a.get(0, "old");
    const Value* replacement = a.get(1, "new");
    if (!old || !replacement)
      throw JError(fmt::format("do_replace() missing 1 required positional argument: '{}'", old ? "new" : "old"));
    Args call{{Value(text_of(*old)), Value(text_of(*replacement))}, {}};
    if (const Value* count = a.get(2, "count"); count && !count->is_null()) call.pos.push_back(*count);
    return method(Value(text_of(v)), "replace", call);
  }

  // sorted(..., reverse=r) takes an int (a bool is one), nothing else.
  static bool sorted_reverse(const Value& r) {
    if (!r.is_integer() && !r.is_bool())
      throw JError(fmt::format("'{}' object cannot be interpreted as an integer", py_type_name(r)));
    return r.truthy();
  }

  Value apply_filter(const std::string& name, const Value& x, const Args& a) {
    return apply_filter_jv(name, x, a).get();
  }
  JV apply_filter_jv(const std::string& name, const Value& x, const Args& a) {
    JNode n;
    n.kind = JKind::Filter;
    n.text = name;
    auto c = std::make_unique<JNode>();
    c->kind = JKind::Const;
    c->value = x;
    n.args.push_back(std::move(c));
    for (const auto& p : a.pos) {
      auto pc = std::make_unique<JNode>();
      pc->kind = JKind::Const;
      pc->value = p;
      n.args.push_back(std::move(pc));
    }
    n.value = Value(static_cast<int64_t>(a.pos.size()));
    for (const auto& [k, v] : a.kw) {  // keywords after the positional ones
      auto kc = std::make_unique<JNode>();
      kc->kind = JKind::Const;
      kc->value = v;
      n.args.push_back(std::move(kc));
      n.names.push_back(k);
    }
    return filter(n);
  }

  bool test(const JNode& n) {
    JV target = eval(*n.args[0]);
    // Python binds the arguments (an Undefined among them) before the
    // test runs: a call outside its signature fails first; then using an
    // Undefined argument raises it (`is sameas` only compares identity).
    std::vector<Value> args = test_arguments(n.text, args_of(n, 1, true));
    for (const auto& x : args)
      if (const std::string* why = undefined_item_why(x)) {
        if (n.text == "sameas") return false;
        throw JError(*why);
      }
    return apply_test(n.text, target, args);
  }

  // The names of Jinja 3.1's filters (environment.filters, Mistral's
  // functions aside).
  static const std::set<std::string, std::less<>>& filter_names() {
    static const std::set<std::string, std::less<>> filters = {
          "abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape",
          "filesizeformat", "first", "float", "forceescape", "format", "groupby", "indent", "int", "items", "join",
          "last", "length", "list", "lower", "map", "max", "min", "pprint", "random", "reject", "rejectattr",
          "replace", "reverse", "round", "safe", "select", "selectattr", "slice", "sort", "string", "striptags",
          "sum", "title", "tojson", "trim", "truncate", "unique", "upper", "urlencode", "urlize", "wordcount",
          "wordwrap", "xmlattr"};
    return filters;
  }

  // Jinja compiles a template before it runs it: a filter or a test it
  // does not know is refused then ("No filter named 'x'."), reached or
  // not, except inside an `if` or an inline if-else (its soft frame),
  // where only reaching it is ("... found."). A loop's, a macro's, a
  // with's or a set block's body is a frame of its own again. The right
  // side of `and`/`or` after a constant is left alone (Jinja's optimizer
  // folds `1 or x | f` to 1 first).
 public:
  void check_names(const JNode& n, bool soft) {
    if (n.kind == JKind::Compare && compare_folds(n)) return;  // nothing of it is compiled
    if (n.kind == JKind::Binary && n.text == "~") check_constant_concat(n);
    bool s = soft || n.kind == JKind::Cond;
    if (!s && n.kind == JKind::Filter && !filter_names().count(n.text) &&
        !(ctx_.functions && ctx_.functions->find(n.text)))
      throw JError(fmt::format("No filter named '{}'.", n.text));
    if (!s && n.kind == JKind::Test && !test_names().count(n.text))
      throw JError(fmt::format("No test named '{}'.", n.text));
    bool folds = n.kind == JKind::Binary && (n.text == "and" || n.text == "or") && n.args.size() == 2 && n.args[0] &&
                 folded_truth(*n.args[0]) == std::optional<bool>(n.text == "or");
    for (size_t i = 0; i < n.args.size(); ++i)
      if (n.args[i] && !(folds && i == 1)) check_names(*n.args[i], s);
  }
  // What Jinja's optimizer makes of an expression of constants (literals,
  // operators, comparisons, tests and Jinja's own filters on them): its
  // truth, nullopt when it does not fold (a name, a call, Mistral's
  // functions, or an error, which the optimizer leaves to the runtime).
  std::optional<bool> folded_truth(const JNode& n) {
    if (!constant(n)) return std::nullopt;
    Folding folding{folding_};
    try {
      return truthy(eval(n));
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  // Jinja's optimizer folds a `~` chain of constants at compile time,
  // operand by operand, and str() of one that is a StrictUndefined
  // (`'a' ~ ([] | first)`) raises there, reached or not; an operand that
  // does not fold stops it.
  void check_constant_concat(const JNode& n) {
    std::vector<const JNode*> parts;
    const JNode* at = &n;
    while (at->kind == JKind::Binary && at->text == "~" && at->args.size() == 2) {
      parts.push_back(at->args[1].get());
      at = at->args[0].get();
    }
    parts.push_back(at);
    std::reverse(parts.begin(), parts.end());
    for (const JNode* part : parts) {
      if (!constant(*part)) return;
      JV x;
      try {
        x = eval(*part);
      } catch (const std::exception&) {
        return;
      }
      if (x.undefined && !x.lenient && !x.macro) throw JError(x.why);
    }
  }
  // Compare.as_const: its operands folded in turn, and a false comparison
  // ends it (the operands after it are never looked at); an operand that
  // does not fold, or an error, leaves the comparison to the runtime.
  bool compare_folds(const JNode& n) {
    if (n.args.empty() || !constant(*n.args[0])) return false;
    Folding folding{folding_};
    try {
      Value value = eval(*n.args[0]).get();
      for (size_t i = 0; i < n.names.size() && i + 1 < n.args.size(); ++i) {
        if (!constant(*n.args[i + 1])) return false;
        Value next = eval(*n.args[i + 1]).get();
        const std::string& op = n.names[i];
        bool r;
        if (op == "==" || op == "!=") r = py_eq(value, next) == (op == "==");
        else if (op == "in" || op == "notin") r = contains(next, value) == (op == "in");
        else {
          int c = py_cmp(value, next, op);
          r = op == "<" ? c < 0 : op == ">" ? c > 0 : op == "<=" ? c <= 0 : c >= 0;
        }
        if (!r) return true;
        value = std::move(next);
      }
      return true;
    } catch (const std::exception&) {
      return false;
    }
  }
  bool constant(const JNode& n) {
    switch (n.kind) {
      case JKind::Binary:
        // And/Or.as_const short-circuit as Python's `and`/`or`: a constant
        // left side that decides folds whatever the right side is
        // (`1 or x | nofilter`).
        if ((n.text == "and" || n.text == "or") && n.args.size() == 2 && n.args[0] && constant(*n.args[0]))
          if (auto t = folded_truth(*n.args[0]); t && *t == (n.text == "or")) return true;
        break;
      case JKind::Cond: {
        // CondExpr.as_const: the branch a constant test picks, when that
        // one folds (no else: never).
        if (n.args.size() < 2 || !n.args[0] || !constant(*n.args[0])) return false;
        auto t = folded_truth(*n.args[0]);
        if (!t) return false;
        const JNode* chosen = *t ? n.args[1].get() : (n.args.size() > 2 ? n.args[2].get() : nullptr);
        return chosen && constant(*chosen);
      }
      case JKind::Const:
      case JKind::List:
      case JKind::Dict:
      case JKind::Unary:
      case JKind::Compare:
      case JKind::Item:
      case JKind::Attr:
      case JKind::Slice:
        break;
      case JKind::Filter:
        // The @pass_context filters never fold (Filter.as_const: Impossible).
        if (!filter_names().count(n.text) || n.text == "random" || n.text == "map" || n.text == "select" ||
            n.text == "reject" || n.text == "selectattr" || n.text == "rejectattr")
          return false;
        break;
      case JKind::Test:
        if (!test_names().count(n.text)) return false;
        break;
      default:
        return false;
    }
    for (const auto& a : n.args)
      if (a && !constant(*a)) return false;
    return true;
  }
  // Jinja's compiler refuses a loop that assigns the name `loop`
  // anywhere in it, run or not: its own target, a set or set block, a
  // nested loop's target, in its body, its else or a macro written there
  // (a with's names, a macro's or a caller's parameters are no assignment).
  static bool assigns_loop(const Stmt& s) {
    if ((s.kind == SKind::For || s.kind == SKind::Set || s.kind == SKind::SetBlock) &&
        std::find(s.targets.begin(), s.targets.end(), "loop") != s.targets.end())
      return true;
    for (const auto* b : {&s.body, &s.else_body})
      for (const auto& x : *b)
        if (x && assigns_loop(*x)) return true;
    return false;
  }
  void check_names(const std::vector<StmtPtr>& body, bool soft) {
    for (const auto& st : body) {
      switch (st->kind) {
        case SKind::If:
          if (st->expr) check_names(*st->expr, true);
          check_names(st->body, true);
          check_names(st->else_body, true);
          break;
        case SKind::For:
          if (assigns_loop(*st)) throw JError("Can't assign to special loop variable in for-loop target");
          if (st->expr) check_names(*st->expr, soft);
          check_names(st->body, false);
          check_names(st->else_body, false);
          break;
        case SKind::Output:
        case SKind::Set:
          if (st->expr) check_names(*st->expr, soft);
          break;
        case SKind::SetBlock:
          check_names(st->body, false);
          if (st->expr) check_names(*st->expr, false);
          break;
        case SKind::With:  // its values in the enclosing frame, its body in its own
          for (const auto& v : st->values)
            if (v) check_names(*v, soft);
          check_names(st->body, false);
          break;
        case SKind::FilterBlock:  // a frame of its own: its body, then its filter
          check_names(st->body, false);
          if (st->expr) check_names(*st->expr, false);
          break;
        case SKind::Macro:  // its defaults, then its body, in its own frame
          for (const auto& v : st->values)
            if (v) check_names(*v, false);
          check_names(st->body, false);
          break;
        case SKind::CallBlock:  // the caller (defaults, body), then the call
          for (const auto& v : st->values)
            if (v) check_names(*v, false);
          check_names(st->body, false);
          if (st->expr) check_names(*st->expr, soft);
          break;
        default: break;
      }
    }
  }
 private:

  // The names of Jinja 3.1's tests (environment.tests).
  static const std::set<std::string, std::less<>>& test_names() {
    static const std::set<std::string, std::less<>> tests = {
        "!=", "<", "<=", "==", ">", ">=", "boolean", "callable", "defined", "divisibleby", "eq", "equalto",
        "escaped", "even", "false", "filter", "float", "ge", "greaterthan", "gt", "in", "integer", "iterable",
        "le", "lessthan", "lower", "lt", "mapping", "ne", "none", "number", "odd", "sameas", "sequence",
        "string", "test", "true", "undefined", "upper"};
    return tests;
  }

  // Jinja 3.1's tests are Python functions (jinja2/tests.py; operator.eq
  // and its kin for the comparisons; the builtin callable): a call with
  // more arguments than they take, or a keyword they do not name, is
  // Python's TypeError, in its words, not an answer. A keyword naming the
  // test's parameter is its positional argument. The value tested is the
  // first argument; test_filter and test_test also take the environment.
  static std::vector<Value> test_arguments(const std::string& t, const Args& a) {
    static const std::map<std::string, const char*, std::less<>> with_parameter = {
        {"divisibleby", "num"}, {"sameas", "other"}, {"in", "seq"}};
    static const std::map<std::string, const char*, std::less<>> operators = {
        {"==", "eq"}, {"eq", "eq"}, {"equalto", "eq"}, {"!=", "ne"}, {"ne", "ne"}, {"<", "lt"}, {"lt", "lt"},
        {"lessthan", "lt"}, {"<=", "le"}, {"le", "le"}, {">", "gt"}, {"gt", "gt"}, {"greaterthan", "gt"},
        {">=", "ge"}, {"ge", "ge"}};
    static const std::set<std::string, std::less<>> plain = {
        "boolean", "defined", "escaped", "even", "false", "filter", "float", "integer", "iterable", "lower",
        "mapping", "none", "number", "odd", "sequence", "string", "test", "true", "undefined", "upper"};
    size_t given = a.pos.size() + 1;
    if (t == "callable") {
      if (!a.kw.empty()) throw JError("callable() takes no keyword arguments");
      if (given != 1) throw JError(fmt::format("callable() takes exactly one argument ({} given)", given));
      return a.pos;
    }
    if (auto op = operators.find(t); op != operators.end()) {
      if (!a.kw.empty()) throw JError(fmt::format("{}() takes no keyword arguments", op->second));
      if (given != 2) throw JError(fmt::format("{} expected 2 arguments, got {}", op->second, given));
      return a.pos;
    }
    auto parameter = with_parameter.find(t);
    if (parameter == with_parameter.end() && !plain.count(t)) return a.pos;  // "No test named" follows
    std::string fn = "test_" + t;
    size_t env = t == "filter" || t == "test" ? 1 : 0;  // @pass_environment
    size_t most = (parameter != with_parameter.end() ? 2 : 1) + env;
    if (given + env > most)
      throw JError(fmt::format("{}() takes {} positional argument{} but {} were given", fn, most, most == 1 ? "" : "s",
                               given + env));
    std::vector<Value> pos = a.pos;
    for (const auto& [k, v] : a.kw) {
      if (parameter == with_parameter.end() || k != parameter->second)
        throw JError(fmt::format("{}() got an unexpected keyword argument '{}'", fn, k));
      if (!pos.empty()) throw JError(fmt::format("{}() got multiple values for argument '{}'", fn, k));
      pos.push_back(v);
    }
    return pos;
  }

  bool apply_test(const std::string& t, const JV& target, const std::vector<Value>& args) {
    if (t == "defined") return !target.undefined;
    if (t == "undefined") return target.undefined;
    if (is_py_time(target)) {
      // A date or datetime is none of the builtin kinds; == compares it.
      static const std::set<std::string, std::less<>> no = {
          "string", "number", "integer", "float", "boolean", "sequence", "mapping", "iterable", "none", "escaped",
          "callable", "true", "false", "filter", "test"};
      if (no.count(t)) return false;
      if ((t == "eq" || t == "equalto" || t == "==" || t == "ne" || t == "!=") && !args.empty())
        return py_time_eq(target, item_jv(args[0])) == (t[0] != 'n' && t[0] != '!');
      if (t == "sameas" && !args.empty()) return false;
    }
    if (t == "callable" && !target.undefined) return !target.method.empty() || target.macro || target.object == "joiner";
    if (target.undefined) {
      // A StrictUndefined only raises when used: the tests that ask its
      // type (isinstance), its identity or len() inside a try answer, and
      // it is callable (it has __call__, which raises).
      static const std::set<std::string, std::less<>> answering = {
          "boolean", "escaped", "false", "float", "integer", "mapping", "none", "number", "sameas",
          "sequence", "string", "true"};
      if (t == "callable") return true;
      if (answering.count(t)) {
        if (t == "sameas" && args.empty())
          throw JError("test_sameas() missing 1 required positional argument: 'other'");
        return false;
      }
    }
    // An iterator is iterable, and no sequence (no len()).
    if (target.lazy && !target.undefined && (t == "sequence" || t == "iterable")) return t == "iterable";
    // A global (range, dict, Mistral's env...) is itself wherever it goes.
    if (t == "sameas" && is_function(target) && !args.empty()) {
      const NestedObject* o = nested_object(args[0]);
      return o && is_function(o->object) && objects_eq(target, o->object);
    }
    // A bound method (`d.items`) is none of the types the tests ask for,
    // equal only to the same method of the same object, and hashable.
    if (!target.undefined && !target.method.empty() && !target.macro) {
      static const std::set<std::string, std::less<>> no = {
          "none", "number", "integer", "float", "boolean", "true", "false", "string", "mapping",
          "sequence", "iterable", "escaped", "filter", "test", "sameas"};
      if (no.count(t)) {
        if (t == "sameas" && args.empty())
          throw JError("test_sameas() missing 1 required positional argument: 'other'");
        return false;
      }
      auto same = [&](const Value& x) {
        const NestedObject* o = nested_object(x);
        return o && objects_eq(target, o->object);
      };
      if (t == "eq" || t == "equalto" || t == "==" || t == "ne" || t == "!=") {
        if (args.empty()) throw JError(fmt::format("the test '{}' needs an argument", t));
        return same(args[0]) == (t[0] != 'n' && t[0] != '!');
      }
      if (t == "lower") return python_islower(text_of(target));
      if (t == "upper") return python_isupper(text_of(target));
      if (t == "in" && !args.empty() && args[0].is_list())
        return std::any_of(args[0].as_list().begin(), args[0].as_list().end(), same);
      if (t == "in" && !args.empty() && args[0].is_dict()) return false;
      if (t == "even" || t == "odd" || t == "divisibleby")
        throw JError("unsupported operand type(s) for %: 'builtin_function_or_method' and 'int'");
      if (t == "in" && !args.empty() && args[0].is_string())
        throw JError("'in <string>' requires string as left operand, not builtin_function_or_method");
    }
    const Value& v = target.get();
    auto arg0 = [&]() -> const Value& {
      if (args.empty()) {
        // Python's words for the test function called without it.
        static const std::map<std::string_view, const char*> parameter = {
            {"divisibleby", "num"}, {"in", "seq"}, {"sameas", "other"}};
        if (auto p = parameter.find(t); p != parameter.end())
          throw JError(fmt::format("test_{}() missing 1 required positional argument: '{}'", t, p->second));
        throw JError(fmt::format("the test '{}' needs an argument", t));
      }
      return args[0];
    };
    if (t == "none") return v.is_null();
    if (t == "number") return v.is_number() || v.is_bool();  // Python's bool is a Number
    if (t == "integer") return v.is_integer();
    if (t == "float") return v.is_double();
    if (t == "boolean") return v.is_bool();
    if (t == "true") return v.is_bool() && v.as_bool();
    if (t == "false") return v.is_bool() && !v.as_bool();
    if (t == "string") return v.is_string();
    if (t == "mapping") return v.is_dict();
    if (t == "sequence" || t == "iterable") return v.is_list() || v.is_string() || v.is_dict();
    // Jinja's tests are `value % 2 == 0`, `value % 2 == 1`, `value % num == 0`.
    auto float_mod = [](double x, double d) {
      double m = std::fmod(x, d);
      return m != 0 && ((m < 0) != (d < 0)) ? m + d : m;
    };
    if (t == "even" || t == "odd") {
      // value % 2 as Python reads it: a str formats it ('%d' % 2 is '2',
      // which equals no number).
      if (v.is_string()) {
        percent_format(v.as_string(), Value(int64_t(2)), false);
        return false;
      }
      if (!is_num(v)) throw JError(fmt::format("unsupported operand type(s) for %: '{}' and 'int'", type_name(target)));
      if (!is_intlike(v)) return float_mod(num(v), 2.0) == (t == "even" ? 0.0 : 1.0);
      return python_int::is_zero(python_int::floor_mod(v, Value(2))) == (t == "even");
    }
    if (t == "divisibleby") {
      const Value& d = arg0();
      // value % num as Python reads it (a str formats num).
      if (v.is_string()) {
        percent_format(v.as_string(), d, false);
        return false;
      }
      if (!is_num(v) || !is_num(d))
        throw JError(fmt::format("unsupported operand type(s) for %: '{}' and '{}'", type_name(target), py_type_name(d)));
      if (!is_intlike(v) || !is_intlike(d)) {
        if (num(d) == 0) throw JError("float modulo");
        return float_mod(num(v), num(d)) == 0;
      }
      if (python_int::is_zero(d)) throw JError("integer modulo by zero");
      budget_.integer_op("%", v, d);
      return python_int::is_zero(python_int::floor_mod(v, d));
    }
    if (t == "sameas") return same_object(v, arg0());
    if (target.is_range() && !args.empty() &&
        (t == "equalto" || t == "eq" || t == "==" || t == "ne" || t == "!="))  // a range equals an equal range only
      return objects_eq(target, item_jv(arg0())) == (t[0] != 'n' && t[0] != '!');
    if (t == "equalto" || t == "eq" || t == "==") return py_eq(v, arg0());
    if (t == "ne" || t == "!=") return !py_eq(v, arg0());
    // Jinja 3.1 registers the operators' symbols as tests too
    // (`select('>', 2)`), the same functions as their names.
    {
      // A range orders nothing (Python names it by its type).
      static const std::map<std::string, const char*, std::less<>> ordering = {
          {"lt", "<"}, {"lessthan", "<"}, {"<", "<"}, {"le", "<="}, {"<=", "<="},
          {"gt", ">"}, {"greaterthan", ">"}, {">", ">"}, {"ge", ">="}, {">=", ">="}};
      if (auto op = ordering.find(t); op != ordering.end() && !args.empty()) {
        const NestedObject* o = nested_object(arg0());
        bool arg_range = o && o->type == "range";
        if (target.is_range() || arg_range)
          throw JError(fmt::format("'{}' not supported between instances of '{}' and '{}'", op->second,
                                   type_name(target), arg_range ? "range" : py_type_name(arg0())));
      }
    }
    if (t == "lt" || t == "lessthan" || t == "<") return py_cmp(v, arg0(), "<") < 0;
    if (t == "le" || t == "<=") return py_cmp(v, arg0(), "<=") <= 0;
    if (t == "gt" || t == "greaterthan" || t == ">") return py_cmp(v, arg0(), ">") > 0;
    if (t == "ge" || t == ">=") return py_cmp(v, arg0(), ">=") >= 0;
    if (t == "in") {
      // A keys view hashes what it looks for (a list or a dict cannot be).
      if (const NestedObject* o = nested_object(arg0()); o && o->type == "dict_keys") require_hashable(v);
      return contains(arg0(), v);
    }
    // Jinja: str(value).islower() / isupper() (Python's: a cased letter needed)
    // str() of a range, a view or a generator is its repr.
    if (t == "lower") return python_islower(text_of(target));
    if (t == "upper") return python_isupper(text_of(target));
    if (t == "callable") return !target.method.empty();
    if (t == "escaped") return target.safe;  // hasattr(value, '__html__'): a Markup
    if (t == "filter" || t == "test") {
      // The name of one of the environment's filters (Mistral's functions
      // among them) or tests.
      const std::set<std::string, std::less<>>& filters = filter_names();
      const std::set<std::string, std::less<>>& tests = test_names();
      // `value in env.filters`: a tuple, a range, a generator or a values
      // view is hashable (and no name), a list, a dict, a keys or items
      // view is not.
      if (target.lazy && !target.undefined) {
        if (set_view(target)) throw JError(fmt::format("unhashable type: '{}'", target.lazy->type));
        return false;
      }
      if (target.is_range()) return false;
      if ((v.is_list() && !target.is_tuple()) || v.is_dict())
        throw JError(fmt::format("unhashable type: '{}'", py_type_name(v)));
      if (!v.is_string()) return false;
      if (t == "test") return tests.count(v.as_string()) > 0;
      return filters.count(v.as_string()) > 0 || (ctx_.functions && ctx_.functions->find(v.as_string()));
    }
    throw JError(fmt::format("No test named '{}'{}.", t, soft_ > 0 ? " found" : ""));
  }

  // Out of render(), whose frame is on the stack once per nested block.
  [[gnu::noinline]] void output(const Stmt& s, std::string& out) {
    // A constant output is folded and written as text by Jinja's compiler
    // (`x{{ 1e308 * 10 }}` is xinf): see folded_nonfinite.
    output_top_ = s.expr.get();
    out += text_of(eval(*s.expr));
  }
  [[gnu::noinline]] void set(const Stmt& s) {
    JV r = eval(*s.expr);
    adopt_literal(*s.expr, r.v);  // `{% set l = [] %}`: a new object, changed in place (see mine())
    // Recorded as nesting kSetLiteralRoom levels deeper than it does (see
    // kEmptyLiteralRoom): `{% set row = {'i': i} %}` appended to a list
    // and then given a list of its own (two holders, no record to raise)
    // is changed in place.
    if (literal_node(*s.expr) && (r.v.is_list() || r.v.is_dict()) && !r.v.is_tuple() &&
        r.v.depth() + kSetLiteralRoom <= kRoomDepth)
      r.v = r.v.with_depth_at_least(r.v.depth() + kSetLiteralRoom);
    // An Undefined is assigned as Jinja assigns it (`{% set x = 1 if
    // false %}`, `{% set x = zz %}`): it raises, or prints '', where used.
    if (r.undefined && !r.macro && s.targets.size() == 1 && s.targets[0].find('.') == std::string::npos) {
      scopes_.back()[s.targets[0]] = std::move(r);
      return;
    }
    if (r.undefined && !r.macro && s.targets.size() == 1) {  // `{% set ns.x = zz %}`: held as an Undefined
      assign(s.targets[0], std::move(r));
      return;
    }
    if (r.object.empty() && (r.method.empty() || r.undefined || r.macro)) {  // a bound method stays one
      bool safe = r.safe;
      auto lazy = r.lazy;  // an iterator stays one: read through this name, it is read
      Value range = r.range;  // and a range a range
      r = JV{r.get()};
      r.safe = safe;
      r.lazy = std::move(lazy);
      r.range = std::move(range);
    }
    if (s.targets.size() > 1) {
      bind(s.targets, consume(r).get());
      return;
    }
    assign(s.targets[0], std::move(r));
  }
  // Binds one target of a set: a name, or a namespace's attribute.
  void assign(const std::string& target, JV r) {
    size_t dot = target.find('.');
    if (dot == std::string::npos) {
      scopes_.back()[target] = std::move(r);
      return;
    }
    // {% set ns.x = v %}: only a namespace() takes attributes, wherever it
    // was made (a loop's body changes the one outside it).
    auto trim = [](std::string t) {
      size_t b = t.find_first_not_of(" \t"), e = t.find_last_not_of(" \t");
      return b == std::string::npos ? std::string() : t.substr(b, e - b + 1);
    };
    JV* ns = find_mut(trim(target.substr(0, dot)));
    if (!ns || ns->object != "namespace") throw JError("cannot assign attribute on non-namespace object");
    Dict d = state_of(*ns).as_dict();
    // A range, a view, a Markup... stays that object there.
    // An Undefined is held as one (printed `Undefined`, raising where used).
    auto nested = nest(r);
    d.set(trim(target.substr(dot + 1)), nested ? std::move(*nested) : literal_item(r));
    set_namespace(*ns, Value(std::move(d)));
  }
  // A namespace's new attributes, seen by every holder of it (another
  // name, a list or a dict holding it, a macro's argument): what those
  // print is its repr now.
  void set_namespace(JV& ns, Value attrs) {
    set_state(ns, std::move(attrs));
    if (!ns.state) return;
    for (auto& [key, o] : nested_)
      if (o.object.object == "namespace" && o.object.state == ns.state) {
        o.object.v = *ns.state;
        o.text = jinja_object_repr(o.object);
      }
  }

  [[gnu::noinline]] void render_for(const Stmt& s, std::string& out) {
    JV over = eval(*s.expr);
    if (is_method(over)) throw JError(fmt::format("'{}' object is not iterable", type_name(over)));
    Value iterable = consume(over).get();
    if (!s.filter && iterable.is_list() && !iterable.is_tuple() && iterable.size() > 0 && !mine(iterable) &&
        !over.lazy && !over.is_range() && !is_method(over) &&
        (s.expr->kind == JKind::Name || s.expr->kind == JKind::Attr || s.expr->kind == JKind::Item) &&
        may_change_lists(s, iterable)) {
      // A list the body may change (see may_change_lists) that this
      // evaluation did not make: copied
      // now, as its first change would copy it, so that the loop reads the
      // very list the body changes.
      budget_.items(iterable.size());
      Value copy{List(iterable.as_list())};
      adopt(copy);
      store_at(*s.expr, copy);
      if (s.expr->kind != JKind::Name) replace_aliases(iterable, copy);
      iterable = copy;
    }
    if (!s.filter && iterable.is_list() && mine(iterable) && iterable.size() > 0) {
      // A list this evaluation changes in place is read as Python's list
      // iterator reads it: an item the body appends is iterated too, one
      // it pops is not; `iterable` is the loop's one copy of it (see
      // raise_record: a body may make it nest deeper).
      over = JV{};
      run_loop(s, iterable, 1, out);
      return;
    }
    List items = this->items(iterable);
    if (s.filter) {
      List kept;
      for (const auto& x : items) {
        scopes_.emplace_back();
        bind(s.targets, x);
        if (truthy(eval(*s.filter))) kept.push_back(x);
        scopes_.pop_back();
      }
      items = std::move(kept);
    }
    if (items.empty()) {
      // The else is a frame of its own: what it sets stays in it.
      scopes_.emplace_back();
      start_missing(s.unset_else);
      render(s.else_body, out);
      scopes_.pop_back();
      return;
    }
    run_loop(s, Value(std::move(items)), 1, out);
  }

  // Whether a loop's body may change the very list it iterates: it calls
  // a changing method (append...) on the loop's own expression (`{% for x
  // in q %}...q.append(...)`), a macro given that expression, or a bound
  // method of that list (`ap = q.append`). The calls are gathered from the
  // tree once per loop statement; the names are resolved where the loop
  // runs. (Only then is a list the evaluation did not make copied for the
  // loop: a copy costs a walk of the names.)
  bool may_change_lists(const Stmt& s, const Value& iterable) {
    auto f = loop_calls_.find(&s);
    if (f == loop_calls_.end()) {
      std::vector<const JNode*> calls;
      std::function<void(const JNode*)> node = [&](const JNode* n) {
        if (!n) return;
        if (n->kind == JKind::Call && !n->args.empty() && n->args[0] &&
            (n->args[0]->kind == JKind::Attr || n->args[0]->kind == JKind::Name))
          calls.push_back(n);
        for (const auto& x : n->args) node(x.get());
      };
      std::function<void(const std::vector<StmtPtr>&)> body = [&](const std::vector<StmtPtr>& b) {
        for (const auto& x : b) {
          if (!x) continue;
          node(x->expr.get());
          node(x->filter.get());
          for (const auto& v : x->values) node(v.get());
          body(x->body);
          body(x->else_body);
        }
      };
      body(s.body);
      f = loop_calls_.emplace(&s, std::move(calls)).first;
    }
    static const std::set<std::string, std::less<>> changing = {"append", "extend", "insert", "pop", "remove",
                                                                "clear", "sort", "reverse"};
    for (const JNode* call : f->second) {
      const JNode& callee = *call->args[0];
      if (callee.kind == JKind::Attr) {
        if (changing.count(callee.text) && !callee.args.empty() && same_node(callee.args[0].get(), s.expr.get()))
          return true;
        continue;
      }
      const JV* bound = find_mut(callee.text);
      if (!bound || bound->undefined) continue;
      if (!bound->method.empty() && !bound->macro && payload_of(bound->v) == payload_of(iterable)) return true;
      if (bound->macro && std::any_of(call->args.begin() + 1, call->args.end(),
                                      [&](const JNodePtr& x) { return same_node(x.get(), s.expr.get()); }))
        return true;
    }
    return false;
  }
  // The same expression, written the same way.
  static bool same_node(const JNode* a, const JNode* b) {
    if (!a || !b) return a == b;
    if (a->kind != b->kind || a->text != b->text || a->value != b->value || a->names != b->names ||
        a->args.size() != b->args.size())
      return false;
    for (size_t i = 0; i < a->args.size(); ++i)
      if (!same_node(a->args[i].get(), b->args[i].get())) return false;
    return true;
  }

  // The iterations of one loop (`depth`: 1, or deeper in a recursive one)
  // over the items of `over`, read again at each iteration (so that a list
  // the body changes in place gives what Python's iterator gives; no
  // reference into it is held while the body runs). loop.length and
  // revindex are the length when the loop began (Jinja's LoopContext
  // takes len() once, when first asked); last and nextitem look at the
  // list as it is.
  void run_loop(const Stmt& s, const Value& over, int64_t depth, std::string& out) {
    loops_.push_back({&s, depth});
    loops_.back().over = &over;
    int64_t length = static_cast<int64_t>(over.size());
    for (int64_t i = 0;; ++i) {
      // The item loop.last or loop.nextitem took from the iterator (a
      // body that then pops it still gets it), else the list's i-th.
      std::optional<Value> item = std::move(loops_.back().after);
      loops_.back().after.reset();
      if (!item && i >= static_cast<int64_t>(over.size())) break;
      if (!item) item = self_resolved(over.as_list()[static_cast<size_t>(i)], over);
      budget_.step(10);  // the iteration and its `loop` variable (freed after it)
      enter_iteration(s, over.as_list(), i, depth, length, *item);
      render(s.body, out);
      scopes_.pop_back();
    }
    loops_.pop_back();
  }

  // The scope of one iteration: its variables and `loop`. Out of
  // render_for, whose frame is on the stack once per nested {% for %}.
  [[gnu::noinline]] void enter_iteration(const Stmt& s, const List& items, int64_t i, int64_t depth, int64_t length,
                                         const Value& item) {
    int64_t n = static_cast<int64_t>(items.size());
    scopes_.emplace_back();
    start_missing(s.unset);
    bind(s.targets, item);
    scopes_.back()["loop"] = JV{Value::dict({{"index", Value(i + 1)},
                                             {"index0", Value(i)},
                                             {"revindex", Value(length - i)},
                                             {"revindex0", Value(length - i - 1)},
                                             {"first", Value(i == 0)},
                                             {"last", Value(i == n - 1)},
                                             {"length", Value(length)},
                                             // Jinja's (Strict)Undefined past either end: using it raises
                                             {"previtem", i > 0 ? items[static_cast<size_t>(i - 1)]
                                                                : undefined_item("there is no previous item")},
                                             {"nextitem", i + 1 < n ? items[static_cast<size_t>(i + 1)]
                                                                    : undefined_item("there is no next item")},
                                             {"depth", Value(depth)},
                                             {"depth0", Value(depth - 1)}})};
    loops_.back().index = i;
    loops_.back().vars = scopes_.back()["loop"].v;
  }

  void bind(const std::vector<std::string>& targets, const Value& x) {
    if (targets.size() == 1) {
      scopes_.back()[targets[0]] = item_jv(x);
      return;
    }
    if (JV u = item_jv(x); u.undefined) throw JError(u.why);
    if (!x.is_list() && !x.is_dict() && !x.is_string())
      throw JError("cannot unpack non-iterable " + obj_name(x));
    List parts = items(x);
    // Python's ValueError texts.
    if (parts.size() > targets.size())
      throw JError(fmt::format("too many values to unpack (expected {})", targets.size()));
    if (parts.size() < targets.size())
      throw JError(fmt::format("not enough values to unpack (expected {}, got {})", targets.size(), parts.size()));
    for (size_t i = 0; i < targets.size(); ++i) scopes_.back()[targets[i]] = item_jv(parts[i]);
  }

  const EvalContext& ctx_;
  EvalBudget& budget_;
  std::vector<std::map<std::string, JV>> scopes_;
  struct ActiveLoop {
    const Stmt* stmt;
    int64_t depth;
    // loop.changed(...): the arguments of its last call, kept for the whole
    // loop (LoopContext._last_changed_value); none before the first call.
    std::optional<Value> last_changed = std::nullopt;
    // The items the loop reads (run_loop's), the current iteration and its
    // `loop` variables: loop.last and loop.nextitem look at the list as it
    // is when they are read (a body that changes it in place).
    const Value* over = nullptr;
    int64_t index = 0;
    Value vars{};
    std::optional<Value> after = std::nullopt;  // the next item, once peeked
  };
  std::vector<ActiveLoop> loops_;  // innermost last: what loop(...) repeats
  int depth_ = 0;
  int macro_depth_ = 0;
  // A macro frame's scope index -> how many scopes below it it sees (see
  // find_mut).
  std::map<size_t, size_t> scope_links_;
  // > 0 while a generator's body runs (make_lazy's compute): the filters it
  // applies give values, not iterators of their own.
  int eager_ = 0;
  // Some list holds an Undefined item (see undefined_item): only then are
  // values looked through for one.
  bool undefined_items_ = false;
  // The expressions being evaluated, innermost last, and the output
  // being written (see folded_nonfinite).
  std::vector<const JNode*> eval_stack_;
  const JNode* output_top_ = nullptr;
  int folding_ = 0;
  // Infinities and NaNs folded into a parent still being evaluated.
  std::vector<std::pair<const JNode*, const char*>> pending_nonfinite_;
  // Some list or dict holds itself (kSelfItem); a list's extend() is given
  // markers that stand for it.
  bool self_items_ = false;
  bool extending_self_ = false;
  // The ranges, views, methods and generators put in containers, by their
  // copy's payload (see NestedObject), and the printers' registry that was
  // there before this evaluation (restored when it ends).
  NestedObjects nested_;
  const NestedObjects* outer_nested_ = t_nested;
  // The ContextView's payloads (see ContextViews), kept alive so that no
  // other dict comes to have one of their addresses.
  ContextViews views_;
  std::vector<Value> view_holders_;
  const ContextViews* outer_views_ = t_views;
  void add_view(const Value& v) {
    if (views_.payloads.insert(&v.as_dict()).second) view_holders_.push_back(v);
  }
  // now, the copy of `was` an in-place change of what it holds made: the
  // ContextView still when `was` is.
  Value kept_view(const Value& was, Value now) {
    if (is_context_view(was)) add_view(now);
    return now;
  }
  // Inside an `if` or an inline if-else (Jinja's soft frame): an unknown
  // filter or test is refused only when reached, in the runtime's words
  // ("No filter named 'x' found.").
  int soft_ = 0;
  struct Soft {
    int& n;
    explicit Soft(int& c) : n(c) { ++n; }
    ~Soft() { --n; }
    Soft(const Soft&) = delete;
    Soft& operator=(const Soft&) = delete;
  };
  // Some value is a tuple (Value::is_tuple): only then is what leaves
  // walked to make them lists (plain()).
  bool made_tuples_ = false;
  // The lists and dicts this evaluation made and changes in place, by
  // payload (see mine()), and whether `_` has been given a changed copy.
  std::unordered_map<const void*, Value> mine_;
  bool root_changed_ = false;
  // What `_` is to hold instead of what (by payload), applied when `_` is
  // next read (flush_root), and the other way round (to chain changes).
  std::unordered_map<const void*, Value> root_pending_;
  std::unordered_map<const void*, const void*> root_pending_by_now_;
  size_t root_pending_depth_ = SIZE_MAX;
  std::unordered_map<const Stmt*, std::vector<const JNode*>> loop_calls_;  // see may_change_lists
  // Where a generator's body puts each item as it yields it (make_lazy),
  // taken by the first filter body that runs (take_yield).
  List* yielded_ = nullptr;
  List& take_yield(List& own) {
    List* to = yielded_ ? yielded_ : &own;
    yielded_ = nullptr;  // the filters this one applies yield nothing of their own
    return *to;
  }
};

}  // namespace

Result<std::shared_ptr<const Expression>> compile_expression(std::string_view expression) {
  auto root = parse_expression(expression);
  if (!root) return root.error();
  auto e = std::make_shared<Expression>();
  e->root = std::move(root).value();
  return std::shared_ptr<const Expression>(e);
}

Result<std::shared_ptr<const Template>> compile_template(std::string_view source) {
  // Jinja's lexer first writes every line end (\r\n, \r, \n) as its
  // newline_sequence, \n: the text rendered has \n, and a syntax error's
  // position ("unexpected char '$' at 7") counts a \r\n as one character.
  std::string normalised;
  std::string_view text = source;
  if (source.find('\r') != std::string_view::npos) {
    normalised.reserve(source.size());
    for (size_t i = 0; i < source.size(); ++i) {
      if (source[i] != '\r') {
        normalised += source[i];
        continue;
      }
      normalised += '\n';
      if (i + 1 < source.size() && source[i + 1] == '\n') ++i;
    }
    text = normalised;
  }
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);  // keep_trailing_newline=False
  auto body = parse_template(text);
  if (!body) return body.error();
  auto t = std::make_shared<Template>();
  t->body = std::move(body).value();
  t->unset = analyze_frames(t->body);
  return std::shared_ptr<const Template>(t);
}

Result<Value> evaluate(const Expression& expression, const EvalContext& ctx) {
  try {
    EvalBudget own;
    Evaluator ev(ctx, ctx.budget ? *ctx.budget : own);
    ev.check_names(*expression.root, false);
    JV r = ev.eval(*expression.root);
    // Mistral stores what an iterator or a view has left to give (its
    // columns write values through oslo's to_primitive, which reads them
    // as lists); a generator that fails when read fails here.
    // Sent to an executor, a generator is its repr (see EvalContext).
    if (r.lazy && !r.undefined && ctx.generators_as_text && r.lazy->type == "generator") return Value(ev.text_of(r));
    if (r.lazy && !r.undefined) r = ev.consume(r);
    // A Namespace as the result: oslo's to_primitive finds it circular; a
    // Cycler is stored as its repr (a Joiner as its attributes, its state).
    if (!r.undefined && !r.macro && r.method.empty() && r.object == "namespace")
      return bad_input("Circular reference detected");
    if (!r.undefined && !r.macro && r.method.empty() && r.object == "cycler") return Value(ev.text_of(r));
    if (!r.undefined && !r.macro && r.method.empty() && r.object == "joiner" && r.state) return *r.state;
    // Mistral's function as the result (`{{ env }}`, a functools.partial):
    // oslo's to_primitive stores its attributes, {}.
    if (!r.undefined && r.object == "function" && r.method != "range" && r.method != "lipsum" && r.method != "dict" &&
        r.method != "namespace" && r.method != "cycler" && r.method != "joiner")
      return Value(Dict{});
    if (!r.undefined && !r.method.empty() && !r.macro) return Value(ev.text_of(r));  // stored as its text
    // A date cannot be stored, a datetime is its "%Y-%m-%dT%H:%M:%S.%f".
    if (is_py_time(r)) {
      if (r.object == "date") return bad_input("Circular reference detected");
      return Value(py_time_stored(py_time_of(r)));
    }
    // What leaves is stored or printed whole: its size as written counts
    // (checked before anything walks it).
    ev.budget().check_value(r.get());
    ev.refuse_undefined_items(r.v);
    ev.refuse_self_items(r.v);
    return ev.plain(ev.stored(r.get()));
  } catch (const std::exception& e) {
    return bad_input(e.what());
  }
}

Result<Value> render(const Template& tmpl, const EvalContext& ctx) {
  try {
    EvalBudget own;
    Evaluator ev(ctx, ctx.budget ? *ctx.budget : own);
    std::string out;
    ev.check_names(tmpl.body, false);
    ev.start_missing(tmpl.unset);
    ev.render(tmpl.body, out);
    return Value(out);
  } catch (const std::exception& e) {
    return bad_input(e.what());
  }
}

}  // namespace bora::expr::jinja
