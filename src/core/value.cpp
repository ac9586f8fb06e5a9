#include "bora/core/value.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>

#include "bora/core/error.h"
#include "bora/core/python_int.h"

namespace bora {

namespace {

constexpr size_t kIndexThreshold = 16;

size_t hash_key(std::string_view k) noexcept { return std::hash<std::string_view>{}(k); }

[[noreturn]] void type_mismatch(const Value& v, const char* wanted) {
  throw BoraError(ErrorKind::Internal,
                  std::string("expected a ") + wanted + ", got " + v.type_name());
}

// Walking a value recursively (freeing, comparing, hashing) takes stack in
// proportion to its depth, and a value built at run time can nest far deeper
// than any stack holds (an expression wrapping a list in a list 100 000
// times). Up to this depth recursion is fine; deeper values are walked with
// an explicit worklist instead.
constexpr size_t kRecursionSafeDepth = 64;

// Freeing a deep list or dict: its nested items are moved to a per-thread
// queue and freed one by one from the outermost deleter's loop, so the stack
// holds at most kRecursionSafeDepth levels of freeing at a time.
thread_local std::vector<Value> t_free_queue;
thread_local bool t_freeing = false;

void defer_free(Value& v) {
  if (v.depth() > 0) t_free_queue.push_back(std::move(v));
}

void drain_free_queue() {
  if (t_freeing) return;  // an outer deleter's loop frees what was queued
  t_freeing = true;
  while (!t_free_queue.empty()) {
    Value v = std::move(t_free_queue.back());
    t_free_queue.pop_back();
  }  // each v is freed here; a deep one queues its own items
  t_freeing = false;
}

struct DeepListDeleter {
  void operator()(const List* l) const noexcept {
    auto* items = const_cast<List*>(l);  // the last owner: nobody else sees it
    for (auto& v : *items) defer_free(v);
    delete items;
    drain_free_queue();
  }
};

struct DeepDictDeleter {
  void operator()(const Dict* d) const noexcept {
    for (size_t i = 0; i < d->size(); ++i) defer_free(const_cast<Value&>(d->at(i).second));
    delete d;
    drain_free_queue();
  }
};

template <typename Items, typename Get>
uint32_t depth_of(const Items& items, Get get) {
  uint32_t deepest = 0;
  for (const auto& item : items) deepest = std::max(deepest, static_cast<uint32_t>(get(item).depth()));
  return deepest + 1;
}

}  // namespace

// ---- Dict ------------------------------------------------------------------

Dict::Dict(std::initializer_list<Entry> entries) {
  entries_.reserve(entries.size());
  for (const auto& e : entries) set(e.first, e.second);
}

ptrdiff_t Dict::index_of(std::string_view key) const {
  if (index_.empty()) {
    for (size_t i = 0; i < entries_.size(); ++i)
      if (entries_[i].first == key) return static_cast<ptrdiff_t>(i);
    return -1;
  }
  size_t mask = index_.size() - 1;
  for (size_t slot = hash_key(key) & mask;; slot = (slot + 1) & mask) {
    uint32_t pos = index_[slot];
    if (pos == 0) return -1;
    if (entries_[pos - 1].first == key) return static_cast<ptrdiff_t>(pos - 1);
  }
}

void Dict::rebuild_index() {
  if (entries_.size() <= kIndexThreshold) {
    index_.clear();
    return;
  }
  size_t cap = 32;
  while (cap < entries_.size() * 2) cap <<= 1;
  index_.assign(cap, 0);
  size_t mask = cap - 1;
  for (size_t i = 0; i < entries_.size(); ++i) {
    size_t slot = hash_key(entries_[i].first) & mask;
    while (index_[slot] != 0) slot = (slot + 1) & mask;
    index_[slot] = static_cast<uint32_t>(i + 1);
  }
}

void Dict::set(std::string key, Value value) {
  ptrdiff_t i = index_of(key);
  if (i >= 0) {
    entries_[static_cast<size_t>(i)].second = std::move(value);
    return;
  }
  entries_.emplace_back(std::move(key), std::move(value));
  if (entries_.size() > kIndexThreshold) {
    if (index_.empty() || entries_.size() * 2 > index_.size()) {
      rebuild_index();
    } else {
      size_t mask = index_.size() - 1;
      size_t slot = hash_key(entries_.back().first) & mask;
      while (index_[slot] != 0) slot = (slot + 1) & mask;
      index_[slot] = static_cast<uint32_t>(entries_.size());
    }
  }
}

bool Dict::erase(std::string_view key) {
  ptrdiff_t i = index_of(key);
  if (i < 0) return false;
  entries_.erase(entries_.begin() + i);
  rebuild_index();
  return true;
}

const Value* Dict::find(std::string_view key) const {
  ptrdiff_t i = index_of(key);
  return i < 0 ? nullptr : &entries_[static_cast<size_t>(i)].second;
}

Value* Dict::find_mut(std::string_view key) {
  ptrdiff_t i = index_of(key);
  return i < 0 ? nullptr : &entries_[static_cast<size_t>(i)].second;
}

// ---- Value -----------------------------------------------------------------

Value::Value(const char* s) : Value(std::string(s)) {}
Value::Value(std::string_view s) : Value(std::string(s)) {}
Value::Value(std::string s)
    : type_(Type::String), i_(0), owner_(std::make_shared<const std::string>(std::move(s))) {}
Value::Value(List l) : type_(Type::List), i_(0) {
  depth_ = depth_of(l, [](const Value& v) -> const Value& { return v; });
  if (depth_ > kRecursionSafeDepth) owner_ = std::shared_ptr<const List>(new List(std::move(l)), DeepListDeleter{});
  // Not const: Jinja's evaluation changes in place the lists and dicts it
  // made itself (src/expr/jinja, Python's list.append); nothing else does.
  else owner_ = std::make_shared<List>(std::move(l));
}
Value::Value(Dict d) : type_(Type::Dict), i_(0) {
  depth_ = depth_of(d, [](const Dict::Entry& e) -> const Value& { return e.second; });
  if (depth_ > kRecursionSafeDepth) owner_ = std::shared_ptr<const Dict>(new Dict(std::move(d)), DeepDictDeleter{});
  else owner_ = std::make_shared<Dict>(std::move(d));
}

Value::Value(std::shared_ptr<const BigIntPayload> n) noexcept : type_(Type::BigInt), i_(0), owner_(std::move(n)) {}

Value Value::list(std::initializer_list<Value> items) { return Value(List(items)); }
Value Value::marked(bool mark) const {
  Value out = *this;
  out.mark_ = mark && (type_ == Type::List || type_ == Type::Dict);
  return out;
}
Value Value::dict(std::initializer_list<Dict::Entry> entries) { return Value(Dict(entries)); }
Value Value::with_depth_at_least(size_t depth) const {
  Value out = *this;
  if ((type_ == Type::List || type_ == Type::Dict) && depth > depth_) out.depth_ = static_cast<uint32_t>(depth);
  return out;
}

namespace {
bool is_marked(const Value& v) { return v.is_tuple() || v.is_python_dict(); }
bool same_payload(const Value& a, const Value& b) {
  return a.is_list() ? &a.as_list() == &b.as_list() : &a.as_dict() == &b.as_dict();
}
}  // namespace

Value with_marks(const Value& v, bool mark) {
  if (v.is_list()) {
    const List& l = v.as_list();
    std::optional<List> out;
    for (size_t i = 0; i < l.size(); ++i) {
      if (!l[i].is_list() && !l[i].is_dict()) continue;
      Value x = with_marks(l[i], mark);
      if (!out && (is_marked(x) != is_marked(l[i]) || !same_payload(x, l[i]))) out.emplace(l.begin(), l.end());
      if (out) (*out)[i] = std::move(x);
    }
    if (out) return Value(std::move(*out)).marked(mark);
    return v.marked(mark);
  }
  if (v.is_dict()) {
    const Dict& d = v.as_dict();
    std::optional<Dict> out;
    for (size_t i = 0; i < d.size(); ++i) {
      const Value& item = d.at(i).second;
      if (!item.is_list() && !item.is_dict()) continue;
      Value x = with_marks(item, mark);
      if (!out && (is_marked(x) != is_marked(item) || !same_payload(x, item))) out.emplace(d);
      if (out) out->set(d.at(i).first, std::move(x));
    }
    if (out) return Value(std::move(*out)).marked(mark);
    return v.marked(mark);
  }
  return v;
}

const char* Value::type_name() const noexcept {
  switch (type_) {
    case Type::Null: return "null";
    case Type::Bool: return "bool";
    case Type::Int: return "int";
    case Type::Double: return "float";
    case Type::String: return "string";
    case Type::List: return "list";
    case Type::Dict: return "dict";
    case Type::BigInt: return "int";
  }
  return "?";
}

bool Value::as_bool() const {
  if (type_ != Type::Bool) type_mismatch(*this, "bool");
  return b_;
}
int64_t Value::as_int() const {
  if (type_ != Type::Int) type_mismatch(*this, "int");
  return i_;
}
double Value::as_double() const {
  if (type_ == Type::Double) return d_;
  if (type_ == Type::Int) return static_cast<double>(i_);
  if (type_ == Type::BigInt) return python_int::to_float_nearest(*this);
  type_mismatch(*this, "number");
}
const BigIntPayload& Value::as_big_int() const {
  if (type_ != Type::BigInt) type_mismatch(*this, "big int");
  return *static_cast<const BigIntPayload*>(owner_.get());
}
const std::string& Value::as_string() const {
  if (type_ != Type::String) type_mismatch(*this, "string");
  return *static_cast<const std::string*>(owner_.get());
}
const List& Value::as_list() const {
  if (type_ != Type::List) type_mismatch(*this, "list");
  return *static_cast<const List*>(owner_.get());
}
const Dict& Value::as_dict() const {
  if (type_ != Type::Dict) type_mismatch(*this, "dict");
  return *static_cast<const Dict*>(owner_.get());
}

const Value& Value::null_ref() noexcept {
  static const Value null;
  return null;
}

const Value* Value::find(std::string_view key) const noexcept {
  if (type_ != Type::Dict) return nullptr;
  return static_cast<const Dict*>(owner_.get())->find(key);
}

const Value& Value::operator[](std::string_view key) const noexcept {
  const Value* v = find(key);
  return v ? *v : null_ref();
}

const Value& Value::operator[](size_t i) const noexcept {
  if (type_ != Type::List) return null_ref();
  const auto& l = *static_cast<const List*>(owner_.get());
  return i < l.size() ? l[i] : null_ref();
}

size_t Value::size() const noexcept {
  switch (type_) {
    case Type::String: return static_cast<const std::string*>(owner_.get())->size();
    case Type::List: return static_cast<const List*>(owner_.get())->size();
    case Type::Dict: return static_cast<const Dict*>(owner_.get())->size();
    default: return 0;
  }
}

bool Value::truthy() const noexcept {
  switch (type_) {
    case Type::Null: return false;
    case Type::Bool: return b_;
    case Type::Int: return i_ != 0;
    case Type::Double: return d_ != 0.0;
    case Type::BigInt: return true;  // never 0: that is an Int
    default: return size() != 0;
  }
}

Value Value::with(std::string key, Value v) const {
  Dict d;
  if (type_ == Type::Dict) {
    d = as_dict();
  } else if (type_ != Type::Null) {
    type_mismatch(*this, "dict");
  }
  d.set(std::move(key), std::move(v));
  return Value(std::move(d));
}

namespace {

// One level of equality; nested pairs are compared through `nested`.
template <typename Nested>
bool equal_one_level(const Value& a, const Value& b, Nested nested) {
  using T = Value::Type;
  if (a.type() != b.type()) {
    // 1 == 1.0, exactly: 2**53 + 1 != 2.0**53 (an Int never equals a BigInt).
    if (a.is_number() && b.is_number()) return python_int::compare(a, b) == 0;
    return false;
  }
  switch (a.type()) {
    case T::Null: return true;
    case T::Bool: return a.as_bool() == b.as_bool();
    case T::Int: return a.as_int() == b.as_int();
    case T::Double: return a.as_double() == b.as_double();
    case T::BigInt: return &a.as_big_int() == &b.as_big_int() || python_int::compare(a, b) == 0;
    case T::String: return &a.as_string() == &b.as_string() || a.as_string() == b.as_string();
    case T::List: {
      if (a.is_tuple() != b.is_tuple()) return false;  // Python: (1, 2) != [1, 2]
      const List& x = a.as_list();
      const List& y = b.as_list();
      if (&x == &y) return true;
      // (Not by depth(): a record is an upper bound, see with_depth_at_least.)
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i)
        if (!nested(x[i], y[i])) return false;
      return true;
    }
    case T::Dict: {
      const Dict& x = a.as_dict();
      const Dict& y = b.as_dict();
      if (&x == &y) return true;
      // Python dict equality ignores order.
      if (x.size() != y.size()) return false;
      for (const auto& [k, v] : x) {
        const Value* w = y.find(k);
        if (!w || !nested(v, *w)) return false;
      }
      return true;
    }
  }
  return false;
}

bool equal_recursive(const Value& a, const Value& b) {
  return equal_one_level(a, b, [](const Value& x, const Value& y) { return equal_recursive(x, y); });
}

}  // namespace

bool operator==(const Value& a, const Value& b) noexcept {
  if (std::min(a.depth(), b.depth()) <= kRecursionSafeDepth) return equal_recursive(a, b);
  // Deep on both sides: pairs still to compare wait in a worklist.
  std::vector<std::pair<const Value*, const Value*>> pending{{&a, &b}};
  while (!pending.empty()) {
    auto [x, y] = pending.back();
    pending.pop_back();
    bool same = std::min(x->depth(), y->depth()) <= kRecursionSafeDepth
                    ? equal_recursive(*x, *y)
                    : equal_one_level(*x, *y, [&](const Value& p, const Value& q) {
                        pending.emplace_back(&p, &q);
                        return true;
                      });
    if (!same) return false;
  }
  return true;
}

size_t Value::hash() const noexcept {
  // Items below kRecursionSafeDepth levels count by their size only: equal
  // values still hash equal, and the walk stays bounded.
  return hash_within(kRecursionSafeDepth);
}

size_t Value::hash_within(size_t levels) const noexcept {
  if (levels == 0 && depth_ > 0) return size() * 0x9e3779b9u + static_cast<size_t>(type_);
  switch (type_) {
    case Type::Null: return 0x9e3779b9u;
    case Type::Bool: return b_ ? 1 : 2;
    case Type::Int: return std::hash<double>{}(static_cast<double>(i_));
    case Type::Double: return std::hash<double>{}(d_);
    case Type::BigInt: return python_int::hash(*this);  // as the double nearest to it, like Int
    case Type::String: return std::hash<std::string>{}(as_string());
    case Type::List: {
      size_t h = 0x51ed27u;
      for (const auto& v : as_list()) h = h * 31 + v.hash_within(levels - 1);
      return h;
    }
    case Type::Dict: {
      size_t h = 0x7d1c3u;  // order-independent, like equality
      for (const auto& [k, v] : as_dict()) h ^= std::hash<std::string>{}(k) * 7 + v.hash_within(levels - 1);
      return h;
    }
  }
  return 0;
}

}  // namespace bora
