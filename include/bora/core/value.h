// core/value: the one data model that expressions, specs, actions and storage
// exchange. A Value is immutable and cheap to copy: scalars are held inline,
// strings, lists and dicts are shared. Dicts keep insertion order, as Python's
// do, because Mistral's outputs and published variables keep it.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bora {

class Value;
// The payload of an int beyond int64 (core/big_int: Boost.Multiprecision),
// kept out of this header so that every file including it stays light.
struct BigIntPayload;

// An insertion-ordered dict with string keys. Built mutably, then frozen by
// moving it into a Value. Lookup is linear for small dicts and hashed for
// large ones.
class Dict {
 public:
  using Entry = std::pair<std::string, Value>;
  using const_iterator = std::vector<Entry>::const_iterator;

  Dict() = default;
  Dict(std::initializer_list<Entry> entries);

  // Inserts, or replaces the value in place (the key keeps its position).
  void set(std::string key, Value value);
  bool erase(std::string_view key);
  const Value* find(std::string_view key) const;
  Value* find_mut(std::string_view key);
  bool contains(std::string_view key) const { return find(key) != nullptr; }

  // Defined below Value: their bodies need Value complete, and clang
  // instantiates vector's constexpr members where they are written.
  size_t size() const noexcept;
  bool empty() const noexcept;
  const_iterator begin() const noexcept;
  const_iterator end() const noexcept;
  const Entry& at(size_t i) const;
  void reserve(size_t n);

 private:
  ptrdiff_t index_of(std::string_view key) const;
  void rebuild_index();

  std::vector<Entry> entries_;
  // Open-addressing table of positions in entries_ (+1; 0 is empty), only
  // for dicts above kIndexThreshold entries.
  std::vector<uint32_t> index_;
};

using List = std::vector<Value>;

class Value {
 public:
  // Int is Python's int while it fits int64; BigInt holds the rest (never
  // a value that fits: core/big_int demotes), so each number has one form.
  enum class Type : uint8_t { Null, Bool, Int, Double, String, List, Dict, BigInt };

  Value() noexcept : type_(Type::Null), i_(0) {}
  Value(std::nullptr_t) noexcept : Value() {}                   // NOLINT
  Value(bool b) noexcept : type_(Type::Bool), b_(b) {}          // NOLINT
  Value(int i) noexcept : type_(Type::Int), i_(i) {}            // NOLINT
  Value(long i) noexcept : type_(Type::Int), i_(i) {}           // NOLINT
  Value(long long i) noexcept : type_(Type::Int), i_(i) {}      // NOLINT
  Value(unsigned i) noexcept : type_(Type::Int), i_(i) {}       // NOLINT
  Value(double d) noexcept : type_(Type::Double), d_(d) {}      // NOLINT
  Value(const char* s);                                         // NOLINT
  Value(std::string s);                                         // NOLINT
  Value(std::string_view s);                                    // NOLINT
  Value(List l);                                                // NOLINT
  Value(Dict d);                                                // NOLINT
  // unsigned long could overflow int64: keep it explicit.
  explicit Value(unsigned long i) noexcept : type_(Type::Int), i_(static_cast<int64_t>(i)) {}
  // An int beyond int64. Made by core/big_int (big_int::make demotes what
  // fits); elsewhere ints come from python_int's arithmetic and parsing.
  explicit Value(std::shared_ptr<const BigIntPayload> n) noexcept;

  Value(const Value& o) noexcept = default;
  Value& operator=(const Value& o) noexcept = default;
  // A moved-from Value is null (never a string with no payload).
  Value(Value&& o) noexcept
      : type_(o.type_), mark_(o.mark_), depth_(o.depth_), i_(o.i_), owner_(std::move(o.owner_)) {
    o.type_ = Type::Null;
    o.mark_ = false;
    o.depth_ = 0;
  }
  Value& operator=(Value&& o) noexcept {
    if (this != &o) {
      type_ = o.type_;
      mark_ = o.mark_;
      o.mark_ = false;
      depth_ = o.depth_;
      i_ = o.i_;
      owner_ = std::move(o.owner_);
      o.type_ = Type::Null;
      o.depth_ = 0;
    }
    return *this;
  }
  ~Value() = default;

  static Value list(std::initializer_list<Value> items);
  static Value dict(std::initializer_list<Dict::Entry> entries);

  Type type() const noexcept { return type_; }
  const char* type_name() const noexcept;  // "null", "bool", "int", ...
  bool is_null() const noexcept { return type_ == Type::Null; }
  bool is_bool() const noexcept { return type_ == Type::Bool; }
  bool is_int() const noexcept { return type_ == Type::Int; }
  bool is_double() const noexcept { return type_ == Type::Double; }
  bool is_big_int() const noexcept { return type_ == Type::BigInt; }
  // Python's int: Int or BigInt (not Bool).
  bool is_integer() const noexcept { return type_ == Type::Int || type_ == Type::BigInt; }
  bool is_number() const noexcept { return type_ == Type::Int || type_ == Type::Double || type_ == Type::BigInt; }
  bool is_string() const noexcept { return type_ == Type::String; }
  bool is_list() const noexcept { return type_ == Type::List; }
  bool is_dict() const noexcept { return type_ == Type::Dict; }
  // Python has two sequences, list and tuple, which print differently and
  // are never equal, and two mappings in yaql, dict and yaql's FrozenDict;
  // JSON has one of each. A list or dict can carry one mark, "the other
  // one" for the language evaluating it, under three names:
  //  - in Jinja, whose data are lists, a tuple (a `(1, 2)` literal,
  //    dictsort's pairs...): is_tuple(), printed `(1, 2)` at any depth;
  //  - in yaql, whose data are tuples and FrozenDicts (Mistral converts its
  //    input), Python's list and dict (split()'s list, what Mistral's
  //    functions return, which yaql does not convert): is_python_list(),
  //    printed `[1, 2]`, and is_python_dict(); neither can be hashed.
  // Each evaluation marks only what it makes and unmarks what leaves it
  // (with_marks(v, false)), so the readings never meet a value of the
  // other; a marked and an unmarked list are never equal (a dict and a
  // FrozenDict are); JSON never writes the mark.
  bool is_tuple() const noexcept { return type_ == Type::List && mark_; }
  bool is_python_list() const noexcept { return type_ == Type::List && mark_; }
  bool is_python_dict() const noexcept { return type_ == Type::Dict && mark_; }
  // The same list or dict (its items shared), marked or not; any other
  // value as it is.
  Value marked(bool mark = true) const;
  // The same for a list only (anything else as it is).
  Value as_tuple(bool tuple = true) const { return type_ == Type::List ? marked(tuple) : *this; }
  Value as_python_list(bool mark = true) const { return as_tuple(mark); }

  // Accessors throw BoraError(Internal) on a type mismatch: callers check
  // the type first where the data comes from a user.
  bool as_bool() const;
  int64_t as_int() const;
  double as_double() const;  // an Int converts; a BigInt to the nearest double (inf beyond)
  const BigIntPayload& as_big_int() const;
  const std::string& as_string() const;
  const List& as_list() const;
  const Dict& as_dict() const;

  // Dict lookup; nullptr when not a dict or no such key.
  const Value* find(std::string_view key) const noexcept;
  // Dict lookup returning null for a missing key or a non-dict.
  const Value& operator[](std::string_view key) const noexcept;
  const Value& operator[](const char* key) const noexcept { return (*this)[std::string_view(key)]; }
  // List element; null when out of range or not a list.
  const Value& operator[](size_t i) const noexcept;
  const Value& operator[](int i) const noexcept { return (*this)[static_cast<size_t>(i)]; }
  // Elements of a list, entries of a dict, bytes of a string; 0 otherwise.
  size_t size() const noexcept;
  // How deeply lists and dicts nest: 0 for a scalar or a string, 1 for a
  // list or dict of scalars, 1 + the deepest item otherwise. Known in O(1)
  // (computed when the list or dict becomes a Value), so that printers and
  // evaluators can refuse a too-deep value before walking it.
  size_t depth() const noexcept { return depth_; }
  // The record is an upper bound: Jinja's evaluation changes in place
  // the lists and dicts it made (src/expr/jinja), and when such a list or
  // dict comes to nest deeper it raises the record of every copy holding
  // it (it knows them all when payload_holders() says so). A copy of this
  // list or dict with its record raised to at least `depth` (any other
  // value as it is).
  Value with_depth_at_least(size_t depth) const;
  // How many Values share this one's string, list, dict or big int (0 for
  // a scalar held inline).
  long payload_holders() const noexcept { return owner_.use_count(); }

  // Python's truthiness: None, False, 0, 0.0, "", [] and {} are false.
  bool truthy() const noexcept;

  // A copy with one key set (dicts only; null becomes an empty dict first).
  Value with(std::string key, Value v) const;

  // Deep equality. Int, BigInt and Double compare by exact numeric value
  // (1 == 1.0, 2**53 + 1 != 2.0**53, as in Python); Bool is distinct from Int.
  friend bool operator==(const Value& a, const Value& b) noexcept;
  friend bool operator!=(const Value& a, const Value& b) noexcept { return !(a == b); }

  size_t hash() const noexcept;

  static const Value& null_ref() noexcept;

 private:
  size_t hash_within(size_t levels) const noexcept;
  Type type_;
  bool mark_ = false;  // a List or Dict only: see is_tuple()
  // Nesting depth (see depth()); sits in the padding after type_.
  uint32_t depth_ = 0;
  union {
    bool b_;
    int64_t i_;
    double d_;
  };
  // String, List, Dict, BigInt: the shared, immutable payload.
  std::shared_ptr<const void> owner_;
};

inline size_t Dict::size() const noexcept { return entries_.size(); }
inline bool Dict::empty() const noexcept { return entries_.empty(); }
inline Dict::const_iterator Dict::begin() const noexcept { return entries_.begin(); }
inline Dict::const_iterator Dict::end() const noexcept { return entries_.end(); }
inline const Dict::Entry& Dict::at(size_t i) const { return entries_[i]; }
inline void Dict::reserve(size_t n) { entries_.reserve(n); }

// v with every list and dict in it, at any depth, marked (see is_tuple())
// or not; a list or dict that already is as asked is shared, not copied.
Value with_marks(const Value& v, bool mark);

struct ValueHash {
  size_t operator()(const Value& v) const noexcept { return v.hash(); }
};

}  // namespace bora
