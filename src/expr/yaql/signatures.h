// expr/yaql/signatures: yaql's overloads of every function (the table
// scripts/gen_yaql_signatures.py reads off the real yaql and Mistral into
// signature_table.cpp) and the check a call passes before it runs: yaql
// refuses a call outside its functions' signatures (`x.isString()`,
// `len(1, 2)`, `'a'.toUpper(1)`, an unknown keyword) with
// "No function/method ... matches supplied arguments" or "Unknown ...",
// where the library's implementations alone would answer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace bora::expr::yaql {

// The checks of yaql/language/yaqltypes.py that Mistral's functions use.
enum class ParamType : uint8_t {
  Any,               // PythonType(object)
  String,            // str
  Int,               // PythonType(int): Python's bool is an int, so true passes
  Integer,           // yaqltypes.Integer: an int, not a bool
  Number,            // int or float, not a bool
  Bool,              // bool
  None,              // NoneType
  Iterable,          // not a string, not a dict
  Iterator,          // what yaql's lazy queries give (select, where...)
  Sequence,          // a tuple (a list), not an iterator, string or dict
  Mapping,           // a dict
  Set,               // frozenset / set
  DateTime,          // yaql's datetime object
  TimeSpan,          // timedelta
  Regex,             // a compiled pattern (regex())
  Lambda,            // lazy: evaluated by the function (anything passes)
  MethodLambda,      // lazy, and must use `$` (only `#operator_.`)
  MappingRule,       // lazy: a `key => value` argument (switch)
  MappingRuleValue,  // an evaluated `key => value` argument (dict(), set())
  Keyword,           // a bare word (operators only)
  StringConstant,    // a string literal (operators only)
  Expression,        // any unevaluated expression (operators only)
  OrderingIterable,  // what orderBy gives (thenBy's receiver)
  ContextObject,     // a context (`->` only)
  Yaqlized,          // yaqlized Python objects: none in Bora
};

enum class ParamRole : uint8_t { Positional, Varargs, KeywordOnly, Varkw };
enum class CallForm : uint8_t { Function, Method, FunctionOrMethod };

struct SignatureParameter {
  const char* name;  // as a keyword argument names it (yaql's camelCase alias)
  ParamType type;
  ParamRole role;
  bool nullable;  // null passes the check
  bool has_default;
};

struct SignatureOverload {
  const char* name;
  int level;  // 0: Mistral's functions, 1: yaql's standard library, 2: yaql's root context
  CallForm form;
  bool no_kwargs;  // `a => b` arguments stay positional (dict, set, switch)
  uint16_t first;  // into kSignatureParameters: positional ones (in order), *args, keyword-only, **kwargs
  uint16_t count;
  uint8_t positional;  // positional parameters
  uint8_t required;    // the first `required` of them have no default
  bool varargs;        // *args (right after the positional ones)
  bool varkw;          // **kwargs
  bool keyword_only_required;  // a keyword-only parameter without a default
};

extern const SignatureParameter kSignatureParameters[];
extern const SignatureOverload kSignatureOverloads[];
extern const size_t kSignatureOverloadCount;

// A name's overloads, contiguous in the table; empty when yaql has no
// function of that name (Bora's own additions are then not checked).
struct Overloads {
  const SignatureOverload* begin = nullptr;
  const SignatureOverload* end = nullptr;
  bool empty() const { return begin == end; }
};
Overloads find_overloads(std::string_view name);

struct Node;
// What kind of Python object yaql has where Bora has a list, read off how
// the value was written (the call that made it): yaql's lazy queries give
// iterators, orderBy an ordering iterable, keys() and items() set-like
// views, values() a plain view. Only a tuple is a sequence (indexable:
// `$.l.select($)[0]` is refused); only an iterator or a set-like view has a
// len(). A value read from a variable counts as a tuple.
// A Python list (what split, rightSplit and Mistral's json_parse and
// yaml_parse return, never converted to a tuple) is indexed as a tuple is,
// and words its IndexError as a list.
// The node whose value an expression as written is: through `( )` and to
// the right side of `->` (`let(x => 1) -> $.l.select($)` gives the map).
const Node* value_node(const Node* n);
enum class ListKind : uint8_t { Tuple, Iterator, Ordering, SetView, View, PythonList };
ListKind list_kind(const Node* written);
// How Python prints the iterator (or orderBy's ordering iterable) a call
// as written gives: `<map object at 0x7f...>`, `<generator object distinct
// at 0x7f...>`; nullopt when it gives no iterator. str(), format() and the
// "No method ... for receiver" errors print it; the address is made up
// (Python's differs from one run to the next).
std::optional<std::string> iterator_text(const Node* written);
// The same for a value made as written, which also knows the itertools
// objects whose repr shows what they hold: `repeat((1, 2), 3)`.
std::optional<std::string> object_text(const Node* written, const Value& v);
// `$.servers.name` of a collection is a map object: the evaluator notes the
// `name` node when it maps one (per thread and per evaluation: one
// MappedAttributes lives while an evaluation runs, and sets aside those of
// an evaluation it runs within), and list_kind reads it.
void note_mapped_attribute(const Node* name);
// defaultIfEmpty() of an iterator that gave it back (yaql's memorize():
// a RememberingIterator), noted by the receiver as written.
void note_remembering(const Node* receiver);
// A `$x` that read a variable bound to one of yaql's iterators (let,
// with): list_kind and iterator_text answer for it as for `made`, the
// call that made the iterator (`str($x)` is `<filter object at ...>`,
// `$x[0]` is refused), for the rest of the evaluation.
void note_iterator_variable(const Node* variable, const Node* made);
class MappedAttributes {
 public:
  MappedAttributes();
  ~MappedAttributes();
  MappedAttributes(const MappedAttributes&) = delete;
  MappedAttributes& operator=(const MappedAttributes&) = delete;

 private:
  std::unordered_set<const Node*> saved_;
  std::unordered_map<const Node*, const Node*> saved_variables_;
};

}  // namespace bora::expr::yaql
