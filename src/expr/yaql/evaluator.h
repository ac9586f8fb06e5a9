// expr/yaql/evaluator: walks the AST against a data context. Variables live
// in a scope chain (`$` is the current data, `$name` a variable from let(),
// lambdas rebind `$` to each item). Functions come from the standard
// library table (library_*.cpp), then from the host's functions (Mistral's
// env(), task(), json_dump()...).
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "ast.h"
#include "bora/core/value.h"
#include "bora/expr/eval_context.h"

namespace bora::expr::yaql {

// An evaluation failure with yaql's message text; caught at the API border.
class EvalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A failure while making an item of one of yaql's iterators (a lambda of
// select, where, orderBy...): yaql only meets it when something reads the
// iterator. It passes through what reads lazily (another query, a list
// literal) and becomes an EvalError in anything that reads (len(), sum(),
// the result); what never reads it (`=`, str(), isList()) does not fail.
class DeferredError : public EvalError {
 public:
  using EvalError::EvalError;
};

// A failure in the part of a call's result yaql makes only when the result
// is read, though the call reads its collection at once (groupBy's
// aggregator runs in the map over its groups): the call's own node passes
// it on as a DeferredError (Evaluator::eval), where a DeferredError of its
// collection fails at once.
class ReadLaterError : public DeferredError {
 public:
  using DeferredError::DeferredError;
};

// One of yaql's iterators bound to a variable by let() or with(): Python
// keeps one iterator object, shared by every read of the variable, and
// each read uses up the items it takes (`let(x => $.l.where($ > 1)) ->
// [$x.len(), $x.len()]` is [n, 0]). Bora's queries give their items at
// once; the cursor is how many of them reads have taken so far.
struct IteratorCursor {
  List items;
  size_t taken = 0;
  const Node* made_by = nullptr;  // the call that made it, as written
  // orderBy()'s ordering iterable sorts again at each read: never used up.
  bool consumable = true;
  // An iterator whose items fail: bound unread, the failure is its reader's.
  std::optional<std::string> failure{};
  // A read took n more items.
  void take(size_t n) {
    if (consumable) taken = std::min(items.size(), taken + n);
  }
};

struct Scope {
  const Scope* parent = nullptr;
  std::string name;  // "$" for the current data, "1", "x" for $1, $x
  Value value;
  // A function made by def(name, body): not a variable; called by name.
  const Node* function = nullptr;
  // Set when the variable holds one of yaql's iterators (see above).
  std::shared_ptr<IteratorCursor> cursor{};
};

class Evaluator;
// How many unread iterators (unread_iterator, below) this thread made; an
// evaluation's are the difference from when it began.
uint64_t unread_made();

// One call of a library function: receiver (method form `x.f()`), the
// argument nodes (evaluated by the function, eagerly or per item), the
// keyword arguments (`name => value`).
struct Call {
  Evaluator& ev;
  const Scope* scope;
  std::string name;
  std::optional<Value> receiver;
  std::vector<const Node*> args;
  std::vector<std::pair<std::string, const Node*>> kwargs;
  std::vector<const Node*> rules;  // the `a => b` nodes as written (switch)
  const Node* receiver_node = nullptr;  // how the receiver was written (method form), when known
  // Set by a function that charged its whole result to the budget before
  // building it (range, repeat, join...), so it is not charged twice.
  bool result_charged = false;
  // The arguments the signature check had to evaluate (signatures.cpp),
  // so that the function does not evaluate them a second time.
  std::vector<std::pair<const Node*, Value>> evaluated{};
  // Set when the receiver is an iterator variable's iterator read one item
  // at a time (groupBy on `$x`: its lambdas may read `$x` again and take
  // what is left): the next item, false at the end. The receiver is then
  // an empty list.
  std::function<bool(Value&)> pull{};

  size_t count() const { return args.size() + (receiver ? 1 : 0); }
  // Argument i counting the receiver as argument 0 in method form.
  Value arg(size_t i) const;
  // A lambda argument evaluated with `$` (and `$1`) bound to item.
  Value apply(size_t i, const Value& item) const;
  Value apply2(size_t i, const Value& a, const Value& b) const;
  // A predicate: apply(i, item), true as Python finds it (truthy_as_written).
  bool test(size_t i, const Value& item) const;
  bool has(size_t i) const { return i < count(); }
  const Node* node(size_t i) const;  // nullptr for the receiver
  // An argument node's value (the one the signature check made, if it did).
  Value value_of(const Node* n) const;
};

using Function = std::function<Value(Call&)>;

// Refuses a call that none of yaql's overloads of its name takes, with
// yaql's error, before anything runs (signatures.cpp); the arguments it
// evaluates to check their types are kept in the call.
void check_signature(const Overloads& overloads, Call& c, const std::vector<NodePtr>& written);

// An argument given as `name => value` or at a position (counting the
// receiver in method form); nullopt when absent.
std::optional<Value> argument(const Call& c, size_t position, const char* kw);
// The same for an integer argument with a default; a non-integer does not
// match the function.
int64_t int_argument(const Call& c, size_t position, const char* kw, int64_t fallback);
// An int parameter as yaql declares most of them (Python's `int`, of
// which bool is a subclass: take(true) is take(1)); nullopt otherwise.
std::optional<int64_t> python_int_value(const Value& v);
// itertools.islice's count (take, skip, limit): a negative one is Python's
// ValueError.
int64_t islice_count(const Value& v, const std::string& function);

// The standard library: name -> implementation (library_*.cpp).
const std::map<std::string, Function, std::less<>>& library();
void register_string_functions(std::map<std::string, Function, std::less<>>& lib);
void register_collection_functions(std::map<std::string, Function, std::less<>>& lib);
void register_other_functions(std::map<std::string, Function, std::less<>>& lib);
void register_regex_functions(std::map<std::string, Function, std::less<>>& lib);  // after the strings
void register_sequence_edit_functions(std::map<std::string, Function, std::less<>>& lib);  // last

class Evaluator {
 public:
  // n's value; an iterator variable's items without using them up (what
  // only tests its truth: switch(), not, and, or).
  Value eval_unread(const Node& n, const Scope* scope);
  Evaluator(const EvalContext& ctx, EvalBudget& budget) : ctx_(ctx), budget_(budget), unread_at_start_(unread_made()) {}
  Value eval(const Node& n, const Scope* scope);
  // orderBy(...).thenBy(...)... as one sort; nullopt when n is not such a chain.
  std::optional<Value> ordering_chain(const Node& n, const Scope* scope);
  // call_node: the Call node when there is one (its overloads were looked
  // up when it was parsed); otherwise they are looked up by name.
  Value call_function(const std::string& name, std::optional<Value> receiver, const std::vector<NodePtr>& args,
                      const Scope* scope, const Node* receiver_node = nullptr, const Node* call_node = nullptr);
  const EvalContext& context() const { return ctx_; }
  // What this evaluation may still do (library functions charge their
  // loops and the values they build to it).
  EvalBudget& budget() const { return budget_; }
  // n's value, an iterator whose items fail held unread and taken out of
  // its list or dict (`[x, 1][0]`, `d.get(k)`) given as it is (str(),
  // format() and bool() look at the object only).
  Value eval_keeping_unread(const Node& n, const Scope* scope);
  // Whether n, as written, is a variable holding one of yaql's iterators.
  bool holds_iterator(const Node* n, const Scope* scope) const { return iterator_variable(n, scope) != nullptr; }

 private:
  Value eval_node(const Node& n, const Scope* scope);
  Value binary(const Node& n, const Scope* scope);
  Value equality(const Node& n, const Value& a, const Value& b);  // `=` and `!=`
  Value member(const Value& receiver, const Node& right, const Scope* scope, bool null_safe,
               const Node* receiver_node = nullptr);
  Value index(const Node& n, const Scope* scope);
  Value send_context(const Node& n, const Scope* scope);
  const Node& context_of(const Node& n, const Scope* scope);
  std::optional<Value> lazy_pipeline(const Node& n, const Scope* scope);
  std::optional<Value> streamed_stages(const Node& n, const Scope* scope);
  std::optional<Value> streamed_group_by(const Node& n, const Scope* scope);
  bool through_stages(const std::vector<const Node*>& stages, Value& x, const Scope* scope);
  bool takes_nothing(const Node& call, const Scope* scope);
  // The arguments of a method call yaql evaluates (all but its lambdas),
  // for the errors they raise, when the receiver is an iterator whose
  // items fail (evaluated first in Python, read later).
  void eager_arguments(const Node& call, const Scope* scope);
  std::optional<Value> accumulated_first(const Node* cur, const std::vector<const Node*>& stages, const Node& last,
                                         const Scope* scope);
  std::optional<Value> call_defined(const std::string& name, const Call& c);
  // The scope of a variable holding an iterator (n, as written, is `$x`).
  const Scope* iterator_variable(const Node* n, const Scope* scope) const;
  bool holds_unread(const Node* item, const Scope* scope) const;
  std::optional<Value> literal_size(const Node& n, const Scope* scope);
  // n's value as a list or dict holds it: an iterator whose items fail is
  // held unread (unread_iterator).
  Value eval_held(const Node& n, const Scope* scope);
  // Which items of a list literal (or values of a dict literal) are read
  // after the others (see evaluator.cpp).
  std::vector<bool> unread_items(const std::vector<NodePtr>& items, const Scope* scope, bool values) const;
  // What is left of such a variable's iterator, without using it up.
  Value peek_iterator(const Node* n, const Scope* scope);
  // `$x.contains(v)`, `$x.indexOf(v)`, `v in $x`, `$x.any(f)`, `$x.all(f)`
  // on an iterator variable: read only as far as Python's loop reads.
  std::optional<Value> partial_read(const Node& n, const Scope* scope);

  const EvalContext& ctx_;
  EvalBudget& budget_;
  int depth_ = 0;
  int functions_defined_ = 0;  // def() seen: calls look for a defined function first
  // The `$x` nodes being read without using up their iterator
  // (peek_iterator, looks_only).
  std::vector<const Node*> peeked_;
  // The pull the next call_function gives its Call (streamed_group_by).
  std::function<bool(Value&)> next_pull_;
  const Node* keep_unread_ = nullptr;  // eval_keeping_unread's node
  uint64_t unread_at_start_;  // unread_made() when the evaluation began
};

// An iterator whose items fail, held unread in a list or a dict (a list
// or dict literal, dict(k => v), d.set(k, v), toDict's values, a lambda's
// value): Python holds the iterator object unread, so the container is
// made, counted, indexed and printed (`{'a': <map object at 0x...>}`),
// and what reads the iterator fails with its error (the result, json_dump,
// a function given it). A dict with one reserved key holding the error and
// Python's text of the object; met on its own (`{a => x}.a`) it is the
// failure again (Evaluator::eval), except as a lambda's `$`.
inline constexpr const char* kUnreadKey = "\x01yaql-unread";
Value unread_iterator(const std::string& error, const std::string& text);
bool is_unread_iterator(const Value& v);
std::string unread_error(const Value& v);
std::string unread_text(const Value& v);
// Whether an error of yaql's iterators is one of Python's TypeErrors
// (oslo's json writer then writes the iterator's str()).
bool python_type_error(const std::string& message);

// Budget charges shared by the library: a sort of n items (n log n
// comparisons), and a function's result (its size as built).
void charge_sort(EvalBudget& budget, size_t n);
// as_sequence, charged before it copies (a string's size in bytes bounds
// the characters it gives).
std::vector<Value> charged_sequence(EvalBudget& budget, const Value& v, const std::string& function);
Value charge_result(EvalBudget& budget, Value v);

// Whether a value, as written, comes from one of yaql's lazy queries
// (select, where, skip...): yaql gives an iterator there, not a tuple, and
// a few functions treat the two differently (set() reads an iterator item
// by item, insert() on an iterator past its end drops the value).
bool is_lazy_query(const Node* n);
// Python's truth of a value as written: one of yaql's iterators (or an
// ordering iterable) is true even when it gives nothing (it has no len).
bool truthy_as_written(const Node* written, const Value& v);

// Python-like helpers shared by the library.
[[noreturn]] void no_match(const std::string& function);
// yaql's ordering (null below everything, booleans unordered): <0, 0, >0.
int yaql_compare(const Value& a, const Value& b, const std::string& op);
bool py_equal(const Value& a, const Value& b);
// yaql's `+ - * / mod` on two values (numbers, strings, lists, sets...), as
// the operators evaluate them; sum() folds with `+`.
Value yaql_arithmetic(const std::string& op, const Value& a, const Value& b, EvalBudget& budget);
int py_compare(const Value& a, const Value& b, const char* op);  // throws when not comparable
double as_double(const Value& v);
std::vector<Value> as_sequence(const Value& v, const std::string& function);  // list, dict keys, string chars
std::string type_name(const Value& v);
// Python's class of a value as type() prints it inside <class '...'>:
// yaql.language.utils.FrozenDict for yaql's dicts, dict for Python's
// (qualified = false: its __name__, FrozenDict, as TypeErrors print it).
std::string class_name(const Value& v, bool qualified = true);
// The text key a value becomes in a dict (Values' dicts have text keys):
// a str is itself; any other key (yaql's dicts take ints, floats, null,
// booleans, tuples and dicts) is kTypedKey and its JSON, so that it keeps
// its type inside the expression ({1 => 'a'}.keys() is [1], and 1 is not
// '1'). What leaves turns it into what Python's json writes (json_keys).
inline constexpr char kTypedKey = '\x02';
std::string dict_key(const Value& k);
// The same, a tuple or dict key's size as written charged first (a value
// sharing itself is huge as text).
std::string dict_key(EvalBudget& budget, const Value& k);
// The key d holds that Python finds for key: key itself, or the one of 1,
// 1.0 and true (0, 0.0, false...) d was given first.
std::string equal_key(const Dict& d, const std::string& key);
// The key a dict's text key stands for (dict_key's inverse).
Value key_value(const std::string& k);
// A text key as Python's json writes the key it stands for (null, true,
// 1, 1.5); a tuple or dict key fails as Mistral's output does
// ("unhashable type: 'list'").
std::string json_key(const std::string& k, bool stored = false);
// v with every typed key, at any depth, as json_key writes it.
Value json_keys(const Value& v);
// Python's str() of a value (top) or repr() (nested), lists shown as tuples
// and Python lists (Value::is_python_list) as lists.
std::string python_text(const Value& v, bool top);
// v with its lists and dicts marked Python's (not tuples and FrozenDicts),
// at any depth: what Mistral's functions and a few of yaql's (split,
// list.insert) return, which yaql does not convert. Noted as an object made: the mark is taken
// off when the result leaves (stored_form).
Value python_lists(const Value& v);
// Python hashes a set's items, a dict's keys, distinct()'s and groupBy()'s
// keys: a value holding a Python list or dict, at any depth, fails with
// "unhashable type: 'list'" (a tuple or FrozenDict of hashable items
// hashes).
void require_hashable(const Value& v);
std::string receiver_text(const Value& v);
// The receiver of a call as Python prints it (an iterator, as written: see
// iterator_text).
std::string receiver_text(const Call& c);
// A dict's keys(), values() or items() view as Python prints it (of: the
// call as written), e.g. KeysView({'a': 1}); nullopt when of views no dict.
std::optional<std::string> view_text(const Call& c, const Node* of, const Value& v);
// The node each of the count items of a collection comes from, as written,
// when it is known (a list literal's items, select()'s lambda, toList(),
// toSet(), list(a, b), set(a, b)); library_strings.cpp.
std::optional<std::vector<const Node*>> item_nodes(const Node* n, size_t count);
// yaql's own objects (datetime, timespan, regex) are dicts with a reserved
// key that must not leave an evaluation as they are. Making one is noted
// (per thread), so that only an evaluation that made one has its result
// converted (stored_form in date_time.h).
void note_object_made();
uint64_t objects_made();  // in "No method ... for receiver X"
// "No method "f" for receiver X matches supplied arguments".
[[noreturn]] void no_method(const Call& c);

}  // namespace bora::expr::yaql
