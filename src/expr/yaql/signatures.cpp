// expr/yaql/signatures: a call matched against yaql's overloads of its
// function before the library runs it, as yaql's runner chooses an
// overload (language/runner.py choose_overload, specs.py map_args and
// get_delegate): the form (function or method), then per overload the
// arity and the keyword names, then the type checks on the evaluated
// arguments. A call no overload takes fails with yaql's error.
#include "signatures.h"

#include <fmt/format.h>

#include <map>
#include <unordered_map>
#include <unordered_set>
#include <optional>

#include <algorithm>
#include <cstring>
#include <set>
#include <string>

#include "date_time.h"
#include "evaluator.h"
#include "lazy_sequence.h"
#include "python_regex.h"
#include "set_type.h"

namespace bora::expr::yaql {

namespace {
// The `name` nodes of `$.list.name` that mapped a collection in this
// thread's current evaluation (yaql's collection attribution gives a map
// object there; a dict's attribute is its value).
thread_local std::unordered_set<const Node*> mapped_attributes;
// `$x` read as a variable bound to one of yaql's iterators -> the call
// that made the iterator (per evaluation, as mapped_attributes).
thread_local std::unordered_map<const Node*, const Node*> iterator_variables;

}  // namespace

const Node* value_node(const Node* n) {
  while (n && (n->kind == NodeKind::Wrap || (n->kind == NodeKind::Binary && n->text == "->" && n->args.size() == 2)))
    n = n->kind == NodeKind::Wrap ? n->args[0].get() : n->args[1].get();
  return n;
}

namespace {
// `false_constant or y` and `true_constant and y` give y.
const Node* constant_choice(const Node* n) {
  if (!n || n->kind != NodeKind::Binary || (n->text != "or" && n->text != "and") || n->args.size() != 2)
    return nullptr;
  const Node* a = n->args[0].get();
  while (a->kind == NodeKind::Wrap) a = a->args[0].get();
  if (a->kind != NodeKind::Constant) return nullptr;
  return a->value.truthy() == (n->text == "and") ? n->args[1].get() : nullptr;
}

// The call that made the iterator a variable holds, or the node itself.
const Node* made_by(const Node* n) {
  n = value_node(n);
  if (n && (n->kind == NodeKind::Variable || n->kind == NodeKind::Call) && !iterator_variables.empty()) {
    auto it = iterator_variables.find(n);
    if (it != iterator_variables.end()) return it->second;
  }
  return n;
}
}  // namespace

void note_mapped_attribute(const Node* name) { mapped_attributes.insert(name); }
// The receivers whose defaultIfEmpty() gave their own iterator back (a
// RememberingIterator); in the same per-evaluation set (receivers and
// attribute names are different nodes).
void note_remembering(const Node* receiver) { mapped_attributes.insert(receiver); }
void note_iterator_variable(const Node* variable, const Node* made) {
  if (made) iterator_variables[variable] = made;
}

MappedAttributes::MappedAttributes() {
  saved_.swap(mapped_attributes);
  saved_variables_.swap(iterator_variables);
}
MappedAttributes::~MappedAttributes() {
  saved_.swap(mapped_attributes);
  saved_variables_.swap(iterator_variables);
}

ListKind list_kind(const Node* n) {
  n = made_by(n);
  if (n && n->kind == NodeKind::Binary && (n->text == "." || n->text == "?.") && n->args.size() == 2 &&
      n->args[1]->kind == NodeKind::Keyword)
    return mapped_attributes.count(n->args[1].get()) ? ListKind::Iterator : ListKind::Tuple;
  // `x or y` is x when x is an iterator (always true); y after a false
  // constant, as `true and y` is y.
  if (n && n->kind == NodeKind::Binary && n->text == "or" && n->args.size() == 2) {
    ListKind a = list_kind(n->args[0].get());
    if (a == ListKind::Iterator || a == ListKind::Ordering) return a;
  }
  if (const Node* chosen = constant_choice(n)) return list_kind(chosen);
  // `+` of two iterables is itertools.chain when either is not a sequence.
  if (n && n->kind == NodeKind::Binary && n->text == "+" && n->args.size() == 2) {
    ListKind a = list_kind(n->args[0].get()), b = list_kind(n->args[1].get());
    bool seq_a = a == ListKind::Tuple || a == ListKind::PythonList, seq_b = b == ListKind::Tuple || b == ListKind::PythonList;
    return seq_a && seq_b ? ListKind::Tuple : ListKind::Iterator;
  }
  const Node* receiver = nullptr;
  if (n && n->kind == NodeKind::Binary && (n->text == "." || n->text == "?.") && n->args.size() == 2) {
    receiver = n->args[0].get();
    n = n->args[1].get();
  }
  if (!n || n->kind != NodeKind::Call) return ListKind::Tuple;
  // What yaql's functions return (standard_library/queries.py,
  // collections.py): generators and itertools objects, its ordering
  // iterable, dict views; the rest give tuples or lists.
  static const std::set<std::string, std::less<>> iterators = {
      "select", "map", "where", "filter", "append", "distinct", "reverse", "flatten", "skip", "take", "limit",
      "selectMany", "takeWhile", "skipWhile", "delete", "concat", "range", "enumerate", "repeat", "cycle",
      "sequence", "insertMany", "replace", "replaceMany", "zip", "zipLongest", "accumulate", "generate",
      "generateMany", "join", "groupBy", "slice", "sliceWhere", "splitWhere"};
  const std::string& f = n->text;
  if (iterators.count(f)) return ListKind::Iterator;
  if (f == "orderBy" || f == "orderByDescending" || f == "thenBy" || f == "thenByDescending")
    return ListKind::Ordering;
  if (f == "keys" || f == "items") return ListKind::SetView;
  if (f == "values") return ListKind::View;
  if (f == "split" || f == "rightSplit" || f == "json_parse" || f == "yaml_parse") return ListKind::PythonList;
  if (f == "defaultIfEmpty" && receiver && mapped_attributes.count(receiver)) return ListKind::Iterator;
  // memorize() of an iterator is yaql's RememberingIterator (read again
  // from what it remembers: never used up); of anything else, the value.
  if (f == "memorize" && receiver) {
    ListKind of = list_kind(receiver);
    return of == ListKind::Iterator || of == ListKind::Ordering ? ListKind::Iterator : of;
  }
  // insert() is list.insert on a sequence and a generator on an iterator.
  if (f == "insert" && receiver) {
    ListKind of = list_kind(receiver);
    return of == ListKind::Tuple || of == ListKind::PythonList ? of : ListKind::Iterator;
  }
  return ListKind::Tuple;
}

std::optional<std::string> object_text(const Node* n, const Value& v) {
  const Node* call = made_by(n);
  if (call && call->kind == NodeKind::Binary && call->text == "." && call->args.size() == 2 &&
      call->args[1]->kind == NodeKind::Call && call->args[1]->text == "repeat" && call->args[1]->args.size() == 1 &&
      call->args[1]->args[0]->kind != NodeKind::MappingRule && v.is_list() && !v.as_list().empty()) {
    // itertools.repeat(object, times): what it repeats, as repr() shows it.
    auto inner = iterator_text(call->args[0].get());
    return "repeat(" + (inner ? *inner : python_text(v[0], false)) + ", " + std::to_string(v.size()) + ")";
  }
  return iterator_text(n);
}

std::optional<std::string> iterator_text(const Node* n) {
  n = made_by(n);
  ListKind kind = list_kind(n);
  if (kind != ListKind::Iterator && kind != ListKind::Ordering) return std::nullopt;
  n = value_node(n);
  std::string cls;
  if (const Node* chosen = constant_choice(n)) return iterator_text(chosen);
  if (n->kind == NodeKind::Binary && n->text == "or" && n->args.size() == 2) return iterator_text(n->args[0].get());
  if (n->kind == NodeKind::Binary && n->text == "+") {
    cls = "itertools.chain";
  } else if (n->kind == NodeKind::Binary && n->args.size() == 2 && n->args[1]->kind == NodeKind::Keyword) {
    cls = "map";
  } else {
    const Node* receiver = nullptr;
    if (n->kind == NodeKind::Binary && n->args.size() == 2) {
      receiver = n->args[0].get();
      n = n->args[1].get();
    }
    // The class of what each of yaql's queries returns (queries.py,
    // collections.py): Python's builtins, itertools' objects, or a
    // generator named after the function that yields.
    static const std::map<std::string, std::string, std::less<>> classes = {
        {"select", "map"}, {"map", "map"}, {"groupBy", "map"}, {"where", "filter"}, {"filter", "filter"},
        {"skip", "itertools.islice"}, {"take", "itertools.islice"}, {"limit", "itertools.islice"},
        {"reverse", "reversed"}, {"concat", "itertools.chain"}, {"range", "range_iterator"}, {"zip", "zip"},
        {"zipLongest", "itertools.zip_longest"}, {"takeWhile", "itertools.takewhile"},
        {"skipWhile", "itertools.dropwhile"}, {"cycle", "itertools.cycle"},
        {"orderBy", "yaql.standard_library.queries.OrderingIterable"},
        {"orderByDescending", "yaql.standard_library.queries.OrderingIterable"},
        {"thenBy", "yaql.standard_library.queries.OrderingIterable"},
        {"thenByDescending", "yaql.standard_library.queries.OrderingIterable"},
        {"memorize", "yaql.language.utils.memorize.<locals>.RememberingIterator"},
        {"defaultIfEmpty", "yaql.language.utils.memorize.<locals>.RememberingIterator"},
        {"distinct", "generator object distinct"}, {"flatten", "generator object flatten"},
        {"append", "generator object append"}, {"enumerate", "generator object enumerate_"},
        {"accumulate", "generator object accumulate"}, {"selectMany", "generator object select_many"},
        {"delete", "generator object delete"}, {"insert", "generator object iter_insert"},
        {"replace", "generator object replace"}, {"replaceMany", "generator object replace_many"},
        {"insertMany", "generator object insert_many"}, {"slice", "generator object slice_"},
        {"splitWhere", "generator object split_where"}, {"sliceWhere", "generator object slice_where"},
        {"join", "generator object join"}, {"generate", "generator object generate"},
        {"generateMany", "generator object generate_many"}};
    auto it = classes.find(n->text);
    if (it == classes.end()) return std::nullopt;
    // memorize() of a sequence gives the sequence itself.
    if (n->text == "memorize" && receiver && list_kind(receiver) != ListKind::Iterator &&
        list_kind(receiver) != ListKind::Ordering)
      return std::nullopt;
    cls = it->second;
  }
  // An object's address: any, as Python's differs from one run to the next.
  static thread_local uint64_t made = 0;
  return fmt::format("<{} at 0x7f{:010x}>", cls.find("generator") == 0 ? cls : cls + " object",
                     0x3a000000ULL + 0x50ULL * ++made);
}

Overloads find_overloads(std::string_view name) {
  const SignatureOverload* first = kSignatureOverloads;
  const SignatureOverload* last = kSignatureOverloads + kSignatureOverloadCount;
  auto lo = std::lower_bound(first, last, name,
                             [](const SignatureOverload& o, std::string_view n) { return n.compare(o.name) > 0; });
  auto hi = lo;
  while (hi != last && name == hi->name) ++hi;
  return {lo, hi};
}

namespace {

// One argument as yaql sees it: the receiver (method form) or a node.
struct Arg {
  const Node* node;    // nullptr for the receiver
  const Node* origin;  // how the value was written (the receiver's node, when known)
};
using Keyword = std::pair<std::string_view, const Node*>;

// A short list kept on the stack: the check runs before every call, and a
// heap allocation would be most of its cost (a call has a few arguments).
template <class T, size_t N>
class ShortList {
 public:
  void push_back(const T& v) {
    if (size_ < N) inline_[size_] = v;
    else more_.push_back(v);
    ++size_;
  }
  size_t size() const { return size_; }
  const T& operator[](size_t i) const { return i < N ? inline_[i] : more_[i - N]; }

 private:
  T inline_[N];
  std::vector<T> more_;
  size_t size_ = 0;
};
using Args = ShortList<Arg, 6>;
using Keywords = ShortList<Keyword, 4>;

// The checks that look at the argument as written, not at its value.
std::optional<bool> static_check(const SignatureParameter& p, const Arg& a) {
  switch (p.type) {
    case ParamType::Lambda:
    case ParamType::Expression: return a.node != nullptr;
    case ParamType::MethodLambda: return false;  // `#operator_.` only
    case ParamType::MappingRule:
    case ParamType::MappingRuleValue: return a.node && a.node->kind == NodeKind::MappingRule;
    case ParamType::Keyword: return a.node && a.node->kind == NodeKind::Keyword;
    case ParamType::StringConstant:
      return a.node && (a.node->kind == NodeKind::Keyword ||
                        (a.node->kind == NodeKind::Constant && a.node->value.is_string()));
    case ParamType::OrderingIterable: {
      // What orderBy / thenBy give, read off how the receiver was written.
      const Node* n = a.origin;
      if (n && n->kind == NodeKind::Binary && (n->text == "." || n->text == "?.") && n->args.size() == 2)
        n = n->args[1].get();
      return n && n->kind == NodeKind::Call &&
             (n->text == "orderBy" || n->text == "orderByDescending" || n->text == "thenBy" ||
              n->text == "thenByDescending");
    }
    case ParamType::ContextObject:
    case ParamType::Yaqlized: return false;
    default: return std::nullopt;  // Any too: yaql evaluates it before the call
  }
}

bool yaql_object(const Value& v) {
  return is_set(v) || is_lazy(v) || is_datetime(v) || is_timespan(v) || is_regex_object(v) || is_date(v);
}

bool value_check(const SignatureParameter& p, const Value& v, const Arg& a) {
  if (v.is_null()) return p.nullable;
  switch (p.type) {
    case ParamType::Any: return true;
    case ParamType::String: return v.is_string();
    case ParamType::Int: return v.is_integer() || v.is_bool();
    case ParamType::Integer: return v.is_integer();
    case ParamType::Number: return v.is_number();
    case ParamType::Bool: return v.is_bool();
    case ParamType::None: return false;
    case ParamType::Iterable: return v.is_list() || is_set(v) || is_lazy(v);
    case ParamType::Iterator: return is_lazy(v) || (v.is_list() && list_kind(a.origin) == ListKind::Iterator);
    case ParamType::Sequence: {
      ListKind kind = v.is_list() ? list_kind(a.origin) : ListKind::Iterator;
      return v.is_list() && (kind == ListKind::Tuple || kind == ListKind::PythonList);
    }
    case ParamType::Mapping: return v.is_dict() && !yaql_object(v);
    case ParamType::Set: return is_set(v) || (v.is_list() && list_kind(a.origin) == ListKind::SetView);
    case ParamType::DateTime: return is_datetime(v);
    case ParamType::TimeSpan: return is_timespan(v);
    case ParamType::Regex: return is_regex_object(v);
    default: return false;
  }
}

class Matcher {
 public:
  Matcher(Call& c, const Args& args, const Keywords& kwargs) : c_(c), args_(args), kwargs_(kwargs) {}

  // map_args and get_delegate: the arity and the keyword names, then
  // every argument's type check (evaluating what must be).
  bool accepts(const SignatureOverload& o) { return run(o); }

 private:
  const Value& value(const Arg& a) {
    if (!a.node) return *c_.receiver;
    for (const auto& [n, v] : c_.evaluated)
      if (n == a.node) return v;
    c_.evaluated.emplace_back(a.node, c_.value_of(a.node));
    return c_.evaluated.back().second;
  }

  bool check(const SignatureParameter& p, const Arg& a) {
    if (auto s = static_check(p, a)) return *s;
    // A positional `key => value` (a function that keeps them) is yaql's
    // MappingRule object: only an untyped parameter takes it.
    if (a.node && a.node->kind == NodeKind::MappingRule) return p.type == ParamType::Any;
    // Every argument that is not a lambda is evaluated before the call, as
    // yaql does (an error in an unused default still fails the call).
    return value_check(p, value(a), a);
  }

  bool run(const SignatureOverload& o) {
    const SignatureParameter* params = kSignatureParameters + o.first;
    if (kwargs_.size() == 0) {
      // Most calls: positional arguments only, matched by count, then each
      // against its parameter (or *args).
      size_t n = args_.size();
      if (n < o.required || (n > o.positional && !o.varargs) || o.keyword_only_required) return false;
      for (size_t i = 0; i < n; ++i)
        if (!check(params[i < o.positional ? i : o.positional], args_[i])) return false;
      return true;
    }
    size_t positional = 0;
    const SignatureParameter* varargs = nullptr;
    const SignatureParameter* varkw = nullptr;
    uint64_t used = 0;  // the keyword arguments a parameter took (by index)
    auto keyword = [&](const char* name) -> int {
      for (size_t k = 0; k < kwargs_.size() && k < 64; ++k)
        if (kwargs_[k].first == name) return static_cast<int>(k);
      return -1;
    };
    for (uint16_t i = 0; i < o.count; ++i) {
      const SignatureParameter& p = params[i];
      if (p.role == ParamRole::Varargs) {
        varargs = &p;
        continue;
      }
      if (p.role == ParamRole::Varkw) {
        varkw = &p;
        continue;
      }
      int k = keyword(p.name);
      if (p.role == ParamRole::Positional && positional < args_.size()) {
        size_t at = positional++;
        if (k >= 0) return false;  // given twice: at its position and by name
        if (!check(p, args_[at])) return false;
        continue;
      }
      if (p.role == ParamRole::Positional) ++positional;
      if (k >= 0) {
        used |= uint64_t(1) << k;
        if (!check(p, Arg{kwargs_[static_cast<size_t>(k)].second, kwargs_[static_cast<size_t>(k)].second}))
          return false;
      } else if (!p.has_default) {
        return false;
      }
    }
    for (size_t i = positional; i < args_.size(); ++i) {
      if (!varargs || !check(*varargs, args_[i])) return false;
    }
    for (size_t k = 0; k < kwargs_.size(); ++k) {
      if (k < 64 && (used >> k) & 1) continue;
      if (!varkw || !check(*varkw, Arg{kwargs_[k].second, kwargs_[k].second})) return false;
    }
    return true;
  }

  Call& c_;
  const Args& args_;
  const Keywords& kwargs_;
};

bool takes_form(const SignatureOverload& o, bool method) {
  return o.form == CallForm::FunctionOrMethod || (method ? o.form == CallForm::Method : o.form == CallForm::Function);
}

// yaql gives a function its parameters by position whether they were
// written by position or by name (`range(3, stop => 4)`, `take(count => 1)`):
// a keyword argument for the next positional parameter becomes positional,
// so that the library, which reads most parameters by position, sees it.
void take_keywords_in_order(const SignatureOverload& o, Call& c) {
  // A function that keeps `a => b` positional (dict, set) has no keywords:
  // what the call holds as keywords are its mapping arguments.
  if (c.kwargs.empty() || o.no_kwargs) return;
  size_t position = 0;  // counting the receiver, as the parameters do
  size_t given = c.count();
  for (uint16_t i = 0; i < o.count; ++i) {
    const SignatureParameter& p = kSignatureParameters[o.first + i];
    if (p.role != ParamRole::Positional) continue;
    if (position++ < given) continue;
    auto kw = std::find_if(c.kwargs.begin(), c.kwargs.end(), [&](const auto& k) { return k.first == p.name; });
    if (kw == c.kwargs.end()) return;  // a gap: the rest stay keywords
    c.args.push_back(kw->second);
    c.kwargs.erase(kw);
    ++given;
  }
}

}  // namespace

void check_signature(const Overloads& overloads, Call& c, const std::vector<NodePtr>& written) {
  const bool method = c.receiver.has_value();
  const SignatureOverload* first = nullptr;
  for (auto* o = overloads.begin; o != overloads.end && !first; ++o)
    if (takes_form(*o, method)) first = o;
  if (!first) {
    // yaql's NoFunctionRegisteredException / NoMethodRegisteredException:
    // the name exists, but not in this form (`'a'.isString()`).
    if (method) {
      c.ev.budget().check_value(*c.receiver);  // printed in the message
      throw EvalError(fmt::format("Unknown method \"{}\" for receiver {}", c.name, receiver_text(c)));
    }
    throw EvalError(fmt::format("Unknown function \"{}\"", c.name));
  }
  // runner.translate_args: `name => value` is a keyword argument, unless
  // the function keeps mappings positional (dict(a => 1), switch).
  Args args;
  Keywords kwargs;
  if (method) args.push_back(Arg{nullptr, c.receiver_node});
  for (const auto& a : written) {
    if (a->kind == NodeKind::MappingRule && !first->no_kwargs) {
      const Node& key = *a->args[0];
      bool twice = false;
      for (size_t k = 0; k < kwargs.size(); ++k) twice = twice || kwargs[k].first == key.text;
      if (key.kind != NodeKind::Keyword || twice) throw EvalError("Cannot convert mapping to keyword argument");
      kwargs.push_back(Keyword{key.text, a->args[1].get()});
    } else {
      args.push_back(Arg{a.get(), a.get()});
    }
  }
  // yaql maps every overload's arity and keywords before it evaluates an
  // argument; here each overload is tried in turn, its arity first, and an
  // argument is evaluated (once, kept in the call) only when an overload
  // whose arity fits checks its type. Any overload that takes the call
  // lets the library run it.
  Matcher m(c, args, kwargs);
  for (auto* o = overloads.begin; o != overloads.end; ++o) {
    if (takes_form(*o, method) && m.accepts(*o)) {
      take_keywords_in_order(*o, c);
      return;
    }
  }
  no_method(c);
}

}  // namespace bora::expr::yaql
