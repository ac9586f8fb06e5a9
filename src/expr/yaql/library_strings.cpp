// expr/yaql/library_strings: yaql's string functions (standard_library/
// strings.py) as Mistral users call them.
#include <fmt/format.h>

#include "bora/core/utf8.h"

#include <algorithm>
#include <cctype>

#include "bora/core/python_format.h"
#include "bora/core/python_string_format.h"
#include "bora/core/python_unicode.h"
#include "evaluator.h"
#include "bora/core/python_int.h"
#include "set_type.h"
#include "signatures.h"
#include "python_regex.h"

namespace bora::expr::yaql {

namespace {

std::string str_arg(const Call& c, size_t i) {
  Value v = c.arg(i);
  if (!v.is_string()) no_match(c.name);
  return v.as_string();
}

// Python's str.isspace() at s[i]: the whitespace character's length, or 0.
size_t space_at(const std::string& s, size_t i) { return python_space_at(s, i); }

std::string strip(const std::string& s, const std::optional<std::string>& chars, bool left, bool right) {
  std::optional<std::string_view> set;
  if (chars) set = *chars;
  return std::string(python_strip(s, set, left, right));
}

// Python's str.split(sep=None, maxsplit=-1).
List split(const std::string& s, const std::optional<std::string>& sep, int64_t max_splits, EvalBudget& budget) {
  // Each piece is charged as it is made: a long run of separators gives
  // as many (empty) pieces as bytes, each far larger than a byte.
  List out;
  auto piece = [&](std::string text) {
    budget.items(1);
    budget.bytes(text.size());
    out.emplace_back(std::move(text));
  };
  if (!sep) {
    size_t i = 0;
    int64_t splits = 0;
    while (i < s.size()) {
      while (i < s.size() && space_at(s, i)) i += space_at(s, i);
      if (i >= s.size()) break;
      if (max_splits >= 0 && splits >= max_splits) {
        piece(s.substr(i));  // the rest keeps its trailing whitespace, as Python's
        return out;
      }
      size_t j = i;
      while (j < s.size() && !space_at(s, j)) ++j;
      piece(s.substr(i, j - i));
      ++splits;
      i = j;
    }
    return out;
  }
  if (sep->empty()) throw EvalError("empty separator");
  size_t start = 0;
  int64_t splits = 0;
  while (true) {
    size_t at = s.find(*sep, start);
    if (at == std::string::npos || (max_splits >= 0 && splits >= max_splits)) {
      piece(s.substr(start));
      return out;
    }
    piece(s.substr(start, at - start));
    start = at + sep->size();
    ++splits;
  }
}

std::string replace_all(const std::string& s, const std::string& old, const std::string& with, int64_t count,
                        EvalBudget& budget) {
  if (old.empty()) {
    // Python's str.replace('', new): new before every character and at
    // the end ('ab' -> '-a-b-'), count insertions at most.
    std::vector<std::string> chars = utf8_characters(s);
    int64_t slots = static_cast<int64_t>(chars.size()) + 1;
    int64_t n = count < 0 ? slots : std::min(count, slots);
    budget.bytes(s.size() + static_cast<size_t>(n) * with.size());
    std::string out;
    for (size_t i = 0; i < chars.size(); ++i) {
      if (static_cast<int64_t>(i) < n) out += with;
      out += chars[i];
    }
    if (n == slots) out += with;
    return out;
  }
  std::string out;
  size_t start = 0;
  int64_t done = 0;
  while (count < 0 || done < count) {
    size_t at = s.find(old, start);
    if (at == std::string::npos) break;
    // Charged as it grows: a short match replaced by a long text can
    // multiply the size (1 MB of 'a' with each 'a' made 1 MB long).
    budget.bytes(at - start + with.size());
    out += s.substr(start, at - start) + with;
    start = at + old.size();
    ++done;
  }
  return out + s.substr(start);
}

// Python's str.format (yaql's format is exactly it) on yaql's values:
// lists are tuples, dicts FrozenDicts and sets frozensets to Python.
std::string py_format(const std::string& fmt_text, const std::vector<Value>& args,
                      const std::vector<std::pair<std::string, Value>>& kwargs, EvalBudget& budget) {
  PyFormatHooks h;
  h.str = [&budget](const Value& v) {
    budget.check_value(v);  // its text: '{0}{0}{0}'.format(big) is three times big
    return python_text(v, true);
  };
  h.repr = [&budget](const Value& v) {
    budget.check_value(v);
    return python_text(v, false);
  };
  // A dict reaches str.format as yaql's FrozenDict (unless it is Python's).
  h.type_name = [](const Value& v) -> std::string {
    return v.is_dict() && !is_set(v) && !v.is_python_dict() ? "FrozenDict" : type_name(v);
  };
  h.charge = [&budget](uint64_t n) { budget.bytes(n); };
  auto r = python_str_format(fmt_text, args, kwargs, h);
  if (!r) throw EvalError(r.error().message);
  return std::move(r).value();
}

// Python's str.upper()/lower(), Unicode-aware ('ß' upper is 'SS', a
// final capital sigma lowers to 'ς').
std::string lower(const std::string& s) { return python_lower(s); }
std::string upper(const std::string& s) { return python_upper(s); }

std::optional<std::string> opt_str(const Call& c, size_t i, const char* kw) {
  for (const auto& [k, n] : c.kwargs)
    if (k == kw) {
      Value v = c.value_of(n);
      if (v.is_null()) return std::nullopt;
      return v.is_string() ? v.as_string() : python_str(v);
    }
  if (!c.has(i)) return std::nullopt;
  Value v = c.arg(i);
  if (v.is_null()) return std::nullopt;
  return v.is_string() ? v.as_string() : python_str(v);
}


// v with each of yaql's iterators in it (as written: alone, or in a list or
// dict literal) replaced by a marker string, whose text is kept in texts;
// iterators_shown puts the texts in place of the markers (and of their
// repr) once v is printed.
std::string iterator_mark(size_t i) { return fmt::format("bora#iterator#{}#", i); }

std::string iterators_shown(std::string s, const std::vector<std::string>& texts);

// The call n is, as written (`x.f(args)` or `f(args)`), with what it is
// called on and its arguments (the receiver first); nullptr when n is no
// call.
const Node* call_parts(const Node* n, std::vector<const Node*>& args) {
  n = value_node(n);
  const Node* call = nullptr;
  if (n->kind == NodeKind::Call) call = n;
  if (n->kind == NodeKind::Binary && n->text == "." && n->args.size() == 2 && n->args[1]->kind == NodeKind::Call) {
    call = n->args[1].get();
    args.push_back(n->args[0].get());
  }
  if (!call) return nullptr;
  for (const auto& a : call->args) {
    if (a->kind == NodeKind::MappingRule) return nullptr;
    args.push_back(a.get());
  }
  return call;
}

// The node each of the count items of a collection comes from, as
// written, when it is known: a list literal's items, select()'s lambda
// (every item), toList() and toSet() of those, list(a, b) and set(a, b)
// of no iterator (which they would read); an iterator among them is one
// object in Python's list or set (`str([[1].select($)].toSet())` prints
// it: `frozenset({<map object at 0x...>})`).
std::optional<std::vector<const Node*>> nodes_of_items(const Node* n, size_t count) {
  n = value_node(n);
  if (n->kind == NodeKind::ListLiteral) {
    if (n->args.size() != count) return std::nullopt;
    std::vector<const Node*> out;
    for (const auto& a : n->args) out.push_back(a.get());
    return out;
  }
  std::vector<const Node*> args;
  const Node* call = call_parts(n, args);
  if (!call) return std::nullopt;
  if ((call->text == "select" || call->text == "map") && args.size() == 2)
    return std::vector<const Node*>(count, args[1]);
  if ((call->text == "toList" || call->text == "toSet") && args.size() == 1) return nodes_of_items(args[0], count);
  if ((call->text == "list" || call->text == "set") && n->kind == NodeKind::Call && args.size() == count &&
      std::none_of(args.begin(), args.end(), [](const Node* a) {
        ListKind k = list_kind(a);
        return k == ListKind::Iterator;
      }))
    return args;
  return std::nullopt;
}

Value iterators_marked(const Call& c, const Node* n, const Value& v, std::vector<std::string>& texts) {
  if (!n || !(v.is_list() || v.is_dict()) || is_unread_iterator(v)) return v;
  n = value_node(n);
  // A list or set holding iterators as their items came (list(), set(),
  // toList(), toSet() of a literal or of select()'s lambda): each item an
  // iterator was prints as the object.
  if ((v.is_list() && list_kind(n) != ListKind::Iterator) || is_set(v)) {
    std::vector<const Node*> args;
    const Node* call = n->kind == NodeKind::ListLiteral ? nullptr : call_parts(n, args);
    const List& items = is_set(v) ? set_items(v).as_list() : v.as_list();
    if (call && (call->text == "list" || call->text == "set" || call->text == "toList" || call->text == "toSet"))
      if (auto nodes = nodes_of_items(n, items.size())) {
        List out;
        size_t before = texts.size();
        for (size_t i = 0; i < items.size(); ++i) out.push_back(iterators_marked(c, (*nodes)[i], items[i], texts));
        if (texts.size() != before && !is_set(v)) return Value(std::move(out)).marked(v.is_python_list());
        if (texts.size() != before) {
          // Python hashes an iterator by its address: it may sit anywhere
          // in the set's table; the other items are printed in their order
          // and the iterators after them (where they mostly land).
          List others;
          std::string marks;
          for (const auto& x : out) {
            if (x.is_string() && x.as_string().rfind("bora#iterator#", 0) == 0) marks += (marks.empty() ? "" : ", ") + x.as_string();
            else others.push_back(x);
          }
          std::string text = python_text(make_set(c.ev.budget(), others), true);
          if (!marks.empty())
            text = others.empty() ? "frozenset({" + marks + "})" : text.substr(0, text.size() - 2) + ", " + marks + "})";
          texts.push_back(iterators_shown(text, texts));
          return Value(iterator_mark(texts.size() - 1));
        }
      }
  }
  if (v.is_list()) {
    auto text = object_text(n, v);
    // A dict's view inside a literal: KeysView({...}), dict_keys([...]).
    ListKind kind = list_kind(n);
    if (!text && n->kind != NodeKind::ListLiteral && (kind == ListKind::SetView || kind == ListKind::View))
      text = view_text(c, n, v);
    if (text) {
      texts.push_back(*text);
      return Value(iterator_mark(texts.size() - 1));
    }
  }
  // list(x) of what is no iterator (an ordering iterable, a view) holds it
  // as its one item.
  if (n->kind == NodeKind::Call && n->text == "list" && n->args.size() == 1 &&
      n->args[0]->kind != NodeKind::MappingRule && v.is_list() && v.size() == 1) {
    ListKind of = list_kind(n->args[0].get());
    if (of == ListKind::Ordering || of == ListKind::View || of == ListKind::SetView)
      return Value(List{iterators_marked(c, n->args[0].get(), v[0], texts)}).marked(v.is_python_list());
  }
  if (n->kind == NodeKind::ListLiteral && v.is_list() && v.size() == n->args.size()) {
    List out;
    for (size_t i = 0; i < n->args.size(); ++i) out.push_back(iterators_marked(c, n->args[i].get(), v[i], texts));
    return Value(std::move(out)).marked(v.is_python_list());
  }
  if (n->kind == NodeKind::DictLiteral && v.is_dict() && v.size() == n->args.size()) {
    Dict out;
    for (size_t i = 0; i < n->args.size(); ++i) {
      const auto& [k, x] = v.as_dict().at(i);
      out.set(k, n->args[i]->kind == NodeKind::MappingRule ? iterators_marked(c, n->args[i]->args[1].get(), x, texts) : x);
    }
    return Value(std::move(out)).marked(v.is_python_dict());
  }
  // A dict a function built holds the objects it was given as they are:
  // d.set(k, x), d.set({k => x}), dict(k => x), d.mergeWith({k => x}) (an
  // iterator replaces what it meets), coll.toDict(f, g).
  if (v.is_dict() && !is_set(v) && (n->kind == NodeKind::Call || n->kind == NodeKind::Binary)) {
    const Node* call = n->kind == NodeKind::Call ? n
                       : n->text == "." && n->args.size() == 2 && n->args[1]->kind == NodeKind::Call ? n->args[1].get()
                                                                                                          : nullptr;
    const Node* receiver = call && call != n ? n->args[0].get() : nullptr;
    if (!call) return v;
    // The text key a key as written stands for (a name or a constant).
    auto key_of = [](const Node* k) -> std::optional<std::string> {
      k = value_node(k);
      if (k->kind == NodeKind::Keyword) return k->text;
      if (k->kind == NodeKind::Constant && k->value.is_string()) return k->value.as_string();
      return std::nullopt;
    };
    Value out = receiver ? iterators_marked(c, receiver, v, texts) : v;
    auto put = [&](const std::string& k, const Node* value) {
      const Value* x = v.find(k);
      if (!x) return;
      out = out.with(k, iterators_marked(c, value, *x, texts)).marked(v.is_python_dict());
    };
    auto put_rules = [&](const std::vector<NodePtr>& rules) {
      for (const auto& r : rules)
        if (r->kind == NodeKind::MappingRule)
          if (auto k = key_of(r->args[0].get())) put(*k, r->args[1].get());
    };
    const auto& args = call->args;
    // What the receiver, a dict literal, held (a key set again below is
    // what was set).
    if (receiver && (call->text == "set" || call->text == "mergeWith") &&
        value_node(receiver)->kind == NodeKind::DictLiteral)
      put_rules(value_node(receiver)->args);
    if (call->text == "set" && receiver && args.size() == 2 && args[0]->kind != NodeKind::MappingRule) {
      if (auto k = key_of(args[0].get())) put(*k, args[1].get());
    } else if ((call->text == "set" || call->text == "mergeWith") && receiver && !args.empty() &&
               value_node(args[0].get())->kind == NodeKind::DictLiteral) {
      put_rules(value_node(args[0].get())->args);
    } else if (call->text == "dict" && !receiver) {
      put_rules(args);
    } else if (call->text == "toDict" && receiver && args.size() == 2 && args[1]->kind != NodeKind::MappingRule) {
      Dict each;
      for (const auto& [k, x] : v.as_dict()) each.set(k, iterators_marked(c, args[1].get(), x, texts));
      return Value(std::move(each)).marked(v.is_python_dict());
    }
    return out;
  }
  return v;
}

std::string iterators_shown(std::string s, const std::vector<std::string>& texts) {
  for (size_t i = 0; i < texts.size(); ++i) {
    for (const std::string& mark : {"'" + iterator_mark(i) + "'", iterator_mark(i)}) {
      for (size_t at = s.find(mark); at != std::string::npos; at = s.find(mark, at + texts[i].size()))
        s.replace(at, mark.size(), texts[i]);
    }
  }
  return s;
}

// yaql's str(): null, true and false as yaql writes them.
std::string yaql_str(const Value& v) {
  if (v.is_null()) return "null";
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  return python_text(v, true);
}

}  // namespace

std::optional<std::vector<const Node*>> item_nodes(const Node* n, size_t count) { return nodes_of_items(n, count); }

// A dict's view prints as Python's: dict_keys(['a']) of a dict,
// KeysView({'a': 1}) of yaql's FrozenDict (the mapping it views, as
// written: `of` is the keys() / values() / items() call).
std::optional<std::string> view_text(const Call& c, const Node* of, const Value& v) {
  const Node* call = of;
  const Node* mapping = nullptr;
  while (call->kind == NodeKind::Wrap) call = call->args[0].get();
  if (call->kind == NodeKind::Binary && call->args.size() == 2) {
    mapping = call->args[0].get();
    call = call->args[1].get();
  } else if (!call->args.empty()) {
    mapping = call->args[0].get();
  }
  Value d = mapping ? c.ev.eval(*mapping, c.scope) : Value();
  if (d.is_python_dict()) return "dict_" + call->text + "(" + python_text(v.as_python_list(), false) + ")";
  if (d.is_dict()) {
    std::string view = call->text == "keys" ? "KeysView" : call->text == "values" ? "ValuesView" : "ItemsView";
    return view + "(" + python_text(d, false) + ")";
  }
  return std::nullopt;
}


void register_string_functions(std::map<std::string, Function, std::less<>>& lib) {
  // string.matches(pattern): re.search in yaql's regex library (the forms
  // with a regex() object are in library_regex).
  lib["matches"] = [](Call& c) {
    Value str = c.arg(0), pattern = c.arg(1);
    if (!str.is_string() || !pattern.is_string() || !c.receiver) no_match("matches");
    return Value(regex_found(compile_python_regex(pattern.as_string()), str.as_string()));
  };

  lib["toUpper"] = [](Call& c) { return Value(upper(str_arg(c, 0))); };
  lib["toLower"] = [](Call& c) { return Value(lower(str_arg(c, 0))); };
  lib["trim"] = [](Call& c) { return Value(strip(str_arg(c, 0), opt_str(c, 1, "chars"), true, true)); };
  lib["trimLeft"] = [](Call& c) { return Value(strip(str_arg(c, 0), opt_str(c, 1, "chars"), true, false)); };
  lib["trimRight"] = [](Call& c) { return Value(strip(str_arg(c, 0), opt_str(c, 1, "chars"), false, true)); };
  lib["split"] = [](Call& c) {
    c.result_charged = true;
    // Python's str.split gives a list (not a tuple).
    return python_lists(
        Value(split(str_arg(c, 0), opt_str(c, 1, "separator"), int_argument(c, 2, "maxSplits", -1), c.ev.budget())));
  };
  lib["replace"] = [](Call& c) {
    // string.replace({old => new, ...}, count): each key in turn.
    if (c.has(1) && c.arg(1).is_dict()) {
      std::string s = str_arg(c, 0);
      int64_t count = int_argument(c, 2, "count", -1);
      Value replacements = c.arg(1);  // kept alive: as_dict() refers into it
      for (const auto& [k, v] : replacements.as_dict()) {
        Value key = key_value(k);  // yaql's str() of each key and value
        s = replace_all(s, key.is_string() ? key.as_string() : yaql_str(key), v.is_string() ? v.as_string() : yaql_str(v),
                        count, c.ev.budget());
      }
      return Value(s);
    }
    return Value(replace_all(str_arg(c, 0), str_arg(c, 1), str_arg(c, 2), int_argument(c, 3, "count", -1),
                             c.ev.budget()));
  };
  // norm: stripped, and null when nothing is left.
  lib["norm"] = [](Call& c) {
    Value v = c.arg(0);
    if (v.is_null()) return Value();
    if (!v.is_string()) no_match("norm");
    // norm(string, chars): stripped of chars (whitespace by default).
    std::string s = strip(v.as_string(), opt_str(c, 1, "chars"), true, true);
    return s.empty() ? Value() : Value(s);
  };
  lib["startsWith"] = [](Call& c) {
    std::string s = str_arg(c, 0);
    for (size_t i = 1; i < c.count(); ++i) {
      std::string p = str_arg(c, i);
      if (s.rfind(p, 0) == 0) return Value(true);
    }
    return Value(false);
  };
  lib["endsWith"] = [](Call& c) {
    std::string s = str_arg(c, 0);
    for (size_t i = 1; i < c.count(); ++i) {
      std::string p = str_arg(c, i);
      if (s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0) return Value(true);
    }
    return Value(false);
  };
  lib["substring"] = [](Call& c) {
    // yaql: start += len when negative, then Python's string[start:start +
    // length] over characters (a start still negative counts from the end
    // once more, as a slice does).
    std::vector<std::string> chars = utf8_characters(str_arg(c, 0));
    int64_t size = static_cast<int64_t>(chars.size());
    // An int beyond 64 bits slices as Python's does: past either end.
    auto index_arg = [&](size_t pos, const char* kw, int64_t fallback) -> int64_t {
      auto v = argument(c, pos, kw);
      if (v && v->type() == Value::Type::BigInt)
        return python_int::sign(*v) < 0 ? -(int64_t{1} << 60) : (int64_t{1} << 60);
      return int_argument(c, pos, kw, fallback);
    };
    int64_t start = index_arg(1, "start", 0);
    int64_t length = index_arg(2, "length", -1);
    if (length < 0) length = size;
    if (start < 0) start += size;
    int64_t stop = start + length;
    auto clamp = [size](int64_t i) { return i < 0 ? std::max<int64_t>(0, i + size) : std::min(i, size); };
    std::string out;
    for (int64_t i = clamp(start); i < clamp(stop); ++i) out += chars[static_cast<size_t>(i)];
    return Value(out);
  };
  lib["concat"] = [](Call& c) {
    std::string out;
    for (size_t i = 0; i < c.count(); ++i) {
      Value v = c.arg(i);
      if (!v.is_string()) no_match("concat");
      c.ev.budget().bytes(v.as_string().size());  // concat(big, big, big...)
      c.result_charged = true;
      out += v.as_string();
    }
    return Value(out);
  };
  lib["str"] = [](Call& c) {
    Value v = c.arg(0);
    c.ev.budget().check_value(v);  // its text may be far larger than it is in memory
    // A dict's view prints as Python's (view_text).
    const Node* of = c.receiver ? c.receiver_node : c.node(0);
    ListKind kind = of ? list_kind(of) : ListKind::Tuple;
    // An iterator prints as Python's object: `<map object at 0x...>`, alone
    // or in a list or dict literal.
    if (of && (v.is_list() || v.is_dict())) {
      std::vector<std::string> texts;
      Value marked = iterators_marked(c, of, v, texts);
      if (!texts.empty()) return Value(iterators_shown(yaql_str(marked), texts));
    }
    if (v.is_list() && (kind == ListKind::SetView || kind == ListKind::View))
      if (auto text = view_text(c, of, v)) return Value(*text);
    return Value(yaql_str(v));
  };
  // One of Python's iterator objects (or a dict view) given a format spec
  // refuses it as object.__format__ does: "unsupported format string
  // passed to map.__format__". The fields with a spec and no conversion
  // that name such an argument (by position, automatic or not, or by
  // keyword, without attribute or index) are looked for.
  auto refuse_spec = [](const std::string& f, const std::vector<Value>& args,
                        const std::vector<std::pair<std::string, Value>>& kwargs, const std::vector<std::string>& texts) {
    size_t automatic = 0;
    for (size_t i = 0; i < f.size(); ++i) {
      if (f[i] == '}' || f[i] != '{') continue;
      if (i + 1 < f.size() && f[i + 1] == '{') {
        ++i;
        continue;
      }
      size_t j = i + 1, depth = 1;
      for (; j < f.size() && depth; ++j) depth += f[j] == '{' ? 1 : f[j] == '}' ? -1 : 0;
      if (depth) return;  // py_format refuses it
      std::string field = f.substr(i + 1, j - i - 2);
      i = j - 1;
      size_t end = field.find_first_of("!:");
      std::string name = field.substr(0, end);
      bool converted = end != std::string::npos && field[end] == '!';
      std::string spec = end != std::string::npos && field[end] == ':' ? field.substr(end + 1) : "";
      // The argument: by the name's first part (an index, none, a keyword).
      size_t access = name.find_first_of(".[");
      std::string base = name.substr(0, access);
      const Value* v = nullptr;
      if (base.empty()) {
        size_t k = automatic++;
        if (k < args.size()) v = &args[k];
      } else if (std::all_of(base.begin(), base.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); })) {
        size_t k = std::stoul(base.size() > 9 ? "999999999" : base);
        if (k < args.size()) v = &args[k];
      } else {
        for (const auto& [kw, x] : kwargs)
          if (kw == base) v = &x;
      }
      if (!v || !v->is_string()) continue;
      const std::string& mark = v->as_string();
      for (size_t t = 0; t < texts.size(); ++t) {
        if (mark != iterator_mark(t)) continue;
        const std::string& text = texts[t];
        std::string cls = text[0] == '<' ? text.substr(1, text.find(" object") - 1) : text.substr(0, text.find('('));
        // A class written in Python is named without its module.
        if (cls.rfind("itertools.", 0) != 0 && cls.find('.') != std::string::npos) cls = cls.substr(cls.rfind('.') + 1);
        if (access != std::string::npos && name[access] == '[')
          throw EvalError(fmt::format("'{}' object is not subscriptable", cls));
        if (access != std::string::npos)
          throw EvalError(fmt::format("'{}' object has no attribute '{}'", cls,
                                      name.substr(access + 1, name.find_first_of(".[", access + 1) - access - 1)));
        // A spec made of fields ({0:{1}}) is taken as not empty.
        if (!converted && !spec.empty())
          throw EvalError(fmt::format("unsupported format string passed to {}.__format__", cls));
      }
    }
  };
  lib["format"] = [refuse_spec](Call& c) {
    std::string f = str_arg(c, 0);
    std::vector<Value> args;
    // An iterator is formatted as its str(): `<map object at 0x...>`.
    std::vector<std::string> texts;
    // A dict's view too, as str() prints it.
    auto shown = [&](const Node* n, Value v) {
      ListKind kind = n && v.is_list() ? list_kind(n) : ListKind::Tuple;
      if (kind == ListKind::SetView || kind == ListKind::View)
        if (auto text = view_text(c, n, v)) {
          texts.push_back(*text);
          return Value(iterator_mark(texts.size() - 1));
        }
      return iterators_marked(c, n, v, texts);
    };
    for (size_t i = 1; i < c.count(); ++i) args.push_back(shown(c.node(i), c.arg(i)));
    std::vector<std::pair<std::string, Value>> kwargs;
    for (const auto& [k, n] : c.kwargs) kwargs.emplace_back(k, shown(n, c.value_of(n)));
    if (!texts.empty()) refuse_spec(f, args, kwargs, texts);
    std::string out = py_format(f, args, kwargs, c.ev.budget());
    return Value(texts.empty() ? out : iterators_shown(out, texts));
  };
  lib["toCharArray"] = [](Call& c) { return Value(charged_sequence(c.ev.budget(), Value(str_arg(c, 0)), c.name)); };
  // characters(digits => true, ...): the distinct characters of Python's
  // string-module constants asked for (yaql gives them in Python's set
  // order, which changes from one process to the next; here in order of
  // first appearance). letters, lowercase and uppercase were Python 2's:
  // asking for them fails as it does in yaql on Python 3.
  lib["characters"] = [](Call& c) {
    static const char* const kWhitespace = " \t\n\r\x0b\x0c";
    static const char* const kPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    const std::string lower = "abcdefghijklmnopqrstuvwxyz", upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const std::string digits = "0123456789";
    const std::pair<const char*, std::string> classes[] = {
        {"digits", digits},
        {"hexdigits", digits + "abcdefABCDEF"},
        {"asciiLowercase", lower},
        {"asciiUppercase", upper},
        {"asciiLetters", lower + upper},
        {"letters", ""},
        {"octdigits", "01234567"},
        {"punctuation", kPunctuation},
        {"printable", digits + lower + upper + kPunctuation + kWhitespace},
        {"lowercase", ""},
        {"uppercase", ""},
        {"whitespace", kWhitespace},
    };
    std::string chosen;
    for (size_t i = 0; i < std::size(classes); ++i) {
      auto wanted = argument(c, i, classes[i].first);
      if (!wanted || !wanted->truthy()) continue;
      if (classes[i].second.empty())
        throw EvalError(fmt::format("module 'string' has no attribute '{}'", classes[i].first));
      chosen += classes[i].second;
    }
    List out;
    for (char ch : chosen)
      if (std::none_of(out.begin(), out.end(), [&](const Value& v) { return v.as_string()[0] == ch; }))
        out.emplace_back(std::string(1, ch));
    return Value(std::move(out));
  };
  lib["join"] = [](Call& c) {
    // sequence.join(separator) and separator.join(sequence).
    Value a = c.arg(0), b = c.arg(1);
    const Value* seq = a.is_string() && !b.is_string() ? &b : &a;
    const Value* sep = seq == &a ? &b : &a;
    if (!sep->is_string()) no_match("join");
    std::string out;
    bool first = true;
    EvalBudget& budget = c.ev.budget();
    c.result_charged = true;
    for (const auto& item : charged_sequence(c.ev.budget(), *seq, "join")) {
      // Charged as it grows: a long separator between many items.
      budget.step();
      if (!item.is_string()) budget.check_value(item);
      std::string text = item.is_string() ? item.as_string() : yaql_str(item);  // yaql joins with its str()
      budget.bytes((first ? 0 : sep->as_string().size()) + text.size());
      if (!first) out += sep->as_string();
      first = false;
      out += text;
    }
    return Value(out);
  };
  lib["isString"] = [](Call& c) { return Value(c.arg(0).is_string()); };
  // Python's rsplit: split read from the right, by splitting the reversed
  // text at the reversed separator (each piece reversed back, so UTF-8
  // comes out whole).
  lib["rightSplit"] = [](Call& c) {
    auto reversed = [](std::string t) {
      std::reverse(t.begin(), t.end());
      return t;
    };
    auto sep = opt_str(c, 1, "separator");
    if (sep) sep = reversed(*sep);
    c.result_charged = true;
    List pieces = split(reversed(str_arg(c, 0)), sep, int_argument(c, 2, "maxSplits", -1), c.ev.budget());
    List out;
    for (auto it = pieces.rbegin(); it != pieces.rend(); ++it) out.emplace_back(reversed(it->as_string()));
    return python_lists(Value(std::move(out)));  // str.rsplit's list
  };
}

}  // namespace bora::expr::yaql
