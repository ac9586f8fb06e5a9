// expr/yaql/library_sequence_edits: yaql's edits of a sequence by position
// (collections.py: delete, replace, replaceMany, insert, insertMany). They
// walk the items once, as yaql's generators do: a negative position is not
// counted from the end (it matches no item), a negative count means "to
// the end". Registered last: replace, delete and insert keep their string,
// regex and dict meanings for other receivers.
#include "evaluator.h"
#include "bora/core/python_int.h"
#include "set_type.h"
#include "signatures.h"

namespace bora::expr::yaql {

namespace {

bool is_sequence(const Value& v) { return v.is_list() || is_set(v); }

// Whether item i is in the edited span [position, position + count), or
// [position, end) for a negative count.
bool in_span(int64_t i, int64_t position, int64_t count) {
  return count >= 0 ? (position <= i && i - position < count) : i >= position;
}

// The items of collection with the span replaced by values (none: deleted).
Value edit(const Call& c, const Value& collection, int64_t position, int64_t count, const List* values) {
  List items = charged_sequence(c.ev.budget(), collection, c.name);
  List out;
  bool replaced = false;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!in_span(static_cast<int64_t>(i), position, count)) {
      out.push_back(std::move(items[i]));
    } else if (values && !replaced) {
      replaced = true;
      c.ev.budget().items(values->size());
      out.insert(out.end(), values->begin(), values->end());
    }
  }
  return Value(std::move(out));
}

// An integer argument, or the function does not match.
int64_t int_at(const Call& c, size_t i, int64_t fallback) {
  if (!c.has(i)) return fallback;
  auto n = python_int_value(c.arg(i));
  if (!n) no_method(c);
  return *n;
}

}  // namespace

void register_sequence_edit_functions(std::map<std::string, Function, std::less<>>& lib) {
  Function other_delete = lib["delete"];
  lib["delete"] = [other_delete](Call& c) {
    Value coll = c.arg(0);
    if (!is_sequence(coll)) return other_delete(c);
    if (c.count() < 2 || c.count() > 3) no_method(c);
    return edit(c, coll, int_at(c, 1, 0), int_at(c, 2, 1), nullptr);
  };
  Function other_replace = lib["replace"];
  lib["replace"] = [other_replace](Call& c) {
    if (!c.has(0)) return other_replace(c);
    Value coll = c.arg(0);
    if (!is_sequence(coll)) return other_replace(c);
    if (c.count() < 3 || c.count() > 4) no_method(c);
    List value{c.arg(2)};
    return edit(c, coll, int_at(c, 1, 0), int_at(c, 3, 1), &value);
  };
  lib["replaceMany"] = [](Call& c) {
    Value coll = c.arg(0);
    if (!is_sequence(coll) || c.count() < 3 || c.count() > 4) no_method(c);
    Value values = c.arg(2);
    if (!is_sequence(values)) no_method(c);
    List items = charged_sequence(c.ev.budget(), values, c.name);
    return edit(c, coll, int_at(c, 1, 0), int_at(c, 3, 1), &items);
  };
  lib["insert"] = [](Call& c) {
    Value coll = c.arg(0);
    if (!coll.is_list() || c.count() != 3) no_method(c);
    // A position beyond 64 bits: past either end for yaql's generator,
    // an OverflowError for Python's list.insert (below).
    Value at = c.arg(1);
    bool huge = at.type() == Value::Type::BigInt;
    int64_t position = huge ? (python_int::sign(at) < 0 ? -(int64_t{1} << 60) : (int64_t{1} << 60)) : int_at(c, 1, 0);
    List items = charged_sequence(c.ev.budget(), coll, c.name);
    int64_t size = static_cast<int64_t>(items.size());
    // An iterator (a query, `$.vms.name`'s map, an ordering) takes yaql's
    // insert for iterables; a sequence, Python's list.insert.
    ListKind kind = c.receiver_node ? list_kind(c.receiver_node) : ListKind::Tuple;
    // A keys() or items() view is a set, which insert does not take; a
    // values() view an iterable.
    if (kind == ListKind::SetView) no_method(c);
    bool lazy = is_lazy_query(c.receiver_node) || kind == ListKind::Iterator || kind == ListKind::Ordering ||
                kind == ListKind::View;
    if (lazy) {
      // yaql's insert into an iterator: at the item numbered position, or
      // after the last one when position is past the end; a negative
      // position matches nothing and the value is dropped.
      if (position < 0) return Value(std::move(items));
      position = std::min(position, size);
    } else {
      if (huge) throw EvalError("Python int too large to convert to C ssize_t");
      // Python's list.insert: negative from the end, clamped to the list.
      if (position < 0) position = std::max<int64_t>(0, position + size);
      position = std::min(position, size);
    }
    items.insert(items.begin() + position, c.arg(2));
    // yaql's insert on a sequence copies it into a Python list.
    if (lazy) return Value(std::move(items));
    note_object_made();  // the mark is taken off when it leaves
    return Value(std::move(items)).as_python_list();
  };
  lib["insertMany"] = [](Call& c) {
    Value coll = c.arg(0);
    if (!is_sequence(coll) || c.count() != 3) no_method(c);
    int64_t position = int_at(c, 1, 0);
    Value values = c.arg(2);
    if (!is_sequence(values)) no_method(c);
    List items = charged_sequence(c.ev.budget(), coll, c.name);
    List added = charged_sequence(c.ev.budget(), values, c.name);
    // A negative position puts the values first; past the end, last.
    int64_t at = position < 0 ? 0 : std::min<int64_t>(position, static_cast<int64_t>(items.size()));
    items.insert(items.begin() + at, added.begin(), added.end());
    return Value(std::move(items));
  };
}

}  // namespace bora::expr::yaql
