// expr/yaql/yaql: the public face of the YAQL engine: compile once into an
// immutable Program, evaluate many times.
#include <optional>
#include "bora/expr/yaql/yaql.h"

#include <algorithm>

#include "evaluator.h"
#include "date_time.h"
#include "python_regex.h"
#include "set_type.h"
#include "signatures.h"
#include "bora/core/python_format.h"
#include "bora/core/python_unicode.h"
#include "lazy_sequence.h"
#include "parser.h"

namespace bora::expr::yaql {

class Program {
 public:
  Program(std::string source, NodePtr root) : source_(std::move(source)), root_(std::move(root)) {}
  const std::string& source() const { return source_; }
  const Node& root() const { return *root_; }

 private:
  std::string source_;
  NodePtr root_;
};

Result<std::shared_ptr<const Program>> compile(std::string_view expression) {
  // Mistral's YAQLEvaluator strips the expression first (Python's
  // str.strip(): a no-break space or an em space around it is no error).
  expression = python_strip(expression, std::nullopt, true, true);
  auto root = parse(expression);
  if (!root) return root.error();
  return std::shared_ptr<const Program>(std::make_shared<Program>(std::string(expression), std::move(root).value()));
}

const std::string& source(const Program& program) { return program.source(); }

namespace {

// Mistral converts what a yaql expression gives for output, turning a
// dict's items() view into a set of its pairs, which are lists by then:
// Python cannot hash them ("unhashable type: 'list'"), so an expression
// whose result is, or directly holds (a list literal, list(), a dict
// literal's value), a non-empty items() view, or a keys() view with a
// tuple key, fails. Seen from the tree:
// Bora's values do not remember which call made them.
bool holds_items_view(const Node* n, const Value& v) {
  n = value_node(n);
  if (!n) return false;
  const Node* call = n;
  if (n->kind == NodeKind::Binary && (n->text == "." || n->text == "?.") && n->args.size() == 2)
    call = n->args[1].get();
  if (call && call->kind == NodeKind::Call && call->text == "items" && list_kind(n) == ListKind::SetView)
    return v.is_list() && !v.as_list().empty();
  // A keys() view the same way: a tuple key is a list by then.
  // A FrozenDict key (toDict($) over dicts) becomes a dict, which fails too.
  if (call && call->kind == NodeKind::Call && call->text == "keys" && list_kind(n) == ListKind::SetView && v.is_list())
    for (const auto& k : v.as_list()) {
      if (is_set(k)) throw EvalError("unhashable type: 'set'");  // a frozenset key is a set by then
      if (k.is_dict() && !is_datetime(k) && !is_timespan(k) && !is_regex_object(k))
        throw EvalError("unhashable type: 'dict'");
    }
  if (call && call->kind == NodeKind::Call && call->text == "keys" && list_kind(n) == ListKind::SetView)
    return v.is_list() && std::any_of(v.as_list().begin(), v.as_list().end(), [](const Value& k) { return k.is_list(); });
  if ((n->kind == NodeKind::ListLiteral || (n->kind == NodeKind::Call && n->text == "list")) && v.is_list() &&
      v.size() == n->args.size()) {
    for (size_t i = 0; i < n->args.size(); ++i)
      if (holds_items_view(n->args[i].get(), v.as_list()[i])) return true;
    return false;
  }
  // Each item of a select() (Python's map keeps what the lambda gave).
  if (n->kind == NodeKind::Binary && n->text == "." && n->args.size() == 2 && call->kind == NodeKind::Call &&
      (call->text == "select" || call->text == "map") && call->args.size() == 1 &&
      call->args[0]->kind != NodeKind::MappingRule && v.is_list()) {
    for (const auto& item : v.as_list())
      if (holds_items_view(call->args[0].get(), item)) return true;
    return false;
  }
  // A dict a function built holds what it was given: d.set(k, x),
  // dict(k => x).
  auto key_text = [](const Node* key) -> std::optional<std::string> {
    key = value_node(key);
    if (key && key->kind == NodeKind::Keyword) return key->text;
    if (key && key->kind == NodeKind::Constant && key->value.is_string()) return key->value.as_string();
    return std::nullopt;
  };
  if (v.is_dict() && call->kind == NodeKind::Call && call->text == "set" && call != n && call->args.size() == 2 &&
      call->args[0]->kind != NodeKind::MappingRule)
    if (auto k = key_text(call->args[0].get()))
      if (const Value* item = v.find(*k); item && holds_items_view(call->args[1].get(), *item)) return true;
  // coll.toDict(f, g): each value g gave; d.delete(k): what d held.
  if (v.is_dict() && call->kind == NodeKind::Call && call != n && call->text == "toDict" && call->args.size() == 2 &&
      call->args[1]->kind != NodeKind::MappingRule)
    for (const auto& [k, item] : v.as_dict())
      if (holds_items_view(call->args[1].get(), item)) return true;
  // d.delete(k), d.mergeWith(other): what d held (a value the other dict
  // replaced is no view: not a list).
  if (v.is_dict() && call->kind == NodeKind::Call && call != n &&
      (call->text == "delete" || call->text == "mergeWith") && holds_items_view(n->args[0].get(), v))
    return true;
  if (v.is_dict() && call->kind == NodeKind::Call && call != n && call->text == "mergeWith" && !call->args.empty() &&
      call->args[0]->kind != NodeKind::MappingRule && holds_items_view(call->args[0].get(), v))
    return true;
  if (v.is_dict() && n->kind == NodeKind::Call && n->text == "dict")
    for (const auto& rule : n->args)
      if (rule->kind == NodeKind::MappingRule)
        if (auto k = key_text(rule->args[0].get()))
          if (const Value* item = v.find(*k); item && holds_items_view(rule->args[1].get(), *item)) return true;
  if (n->kind == NodeKind::DictLiteral && v.is_dict()) {
    for (const auto& rule : n->args) {
      if (!rule || rule->kind != NodeKind::MappingRule || rule->args.size() != 2) continue;
      const Node* key = rule->args[0].get();
      std::string name;
      if (key && key->kind == NodeKind::Keyword) name = key->text;
      else if (key && key->kind == NodeKind::Constant && key->value.is_string()) name = key->value.as_string();
      else if (key && key->kind == NodeKind::Constant) name = dict_key(key->value);  // null, 1, true
      else continue;
      if (const Value* item = v.find(name); item && holds_items_view(rule->args[1].get(), *item)) return true;
    }
  }
  return false;
}

// A dict's keys() view leaves as yaql's output makes it, a Python set of
// its keys (convert_output_data): numbers in the order CPython's set gives
// them (`{3 => 1, 1 => 2}.keys()` is [1, 3]); a str's or None's order is
// random from one Mistral process to the next (PYTHONHASHSEED), and stays
// the dict's. Seen from the tree: the result, a list literal's or list()'s
// items, a dict literal's values, select()'s items.
Value keys_in_set_order(const Node* n, const Value& v) {
  n = value_node(n);
  if (!n || !(v.is_list() || v.is_dict())) return v;
  const Node* call = n;
  if (n->kind == NodeKind::Binary && (n->text == "." || n->text == "?.") && n->args.size() == 2)
    call = n->args[1].get();
  if (call && call->kind == NodeKind::Call && call->text == "keys" && call->args.empty() &&
      list_kind(n) == ListKind::SetView && v.is_list()) {
    if (auto ordered = python_set_order(v.as_list())) return Value(std::move(*ordered)).marked(v.is_python_list());
    return v;
  }
  if ((n->kind == NodeKind::ListLiteral || (n->kind == NodeKind::Call && n->text == "list")) && v.is_list() &&
      v.size() == n->args.size()) {
    List out;
    for (size_t i = 0; i < n->args.size(); ++i) out.push_back(keys_in_set_order(n->args[i].get(), v.as_list()[i]));
    return Value(std::move(out)).marked(v.is_python_list());
  }
  if (n->kind == NodeKind::Binary && n->text == "." && n->args.size() == 2 && call->kind == NodeKind::Call &&
      (call->text == "select" || call->text == "map") && call->args.size() == 1 &&
      call->args[0]->kind != NodeKind::MappingRule && v.is_list()) {
    List out;
    for (const auto& item : v.as_list()) out.push_back(keys_in_set_order(call->args[0].get(), item));
    return Value(std::move(out)).marked(v.is_python_list());
  }
  if (n->kind == NodeKind::DictLiteral && v.is_dict() && v.size() == n->args.size()) {
    Dict out;
    for (size_t i = 0; i < n->args.size(); ++i) {
      const auto& [k, x] = v.as_dict().at(i);
      out.set(k, n->args[i]->kind == NodeKind::MappingRule ? keys_in_set_order(n->args[i]->args[1].get(), x) : x);
    }
    return Value(std::move(out)).marked(v.is_python_dict());
  }
  return v;
}

// Python's str() of what Mistral's output conversion (yaql's
// convert_output_data) makes of a result, as a text holding more than the
// expression shows it (`x <% set(1, 2) %>` is "x {1, 2}"): a set, and a
// dict's keys() or items() view, is a Python set ({1, 2}, set()), a tuple a
// list, a datetime, timespan or regex inside a collection its repr
// (datetime.datetime(2020, 1, 1, 0, 0, tzinfo=tzutc())), none of them
// stored as JSON first. n: the node v comes from, when known.
std::string output_text(const Node* n, const Value& v, bool top) {
  n = n ? value_node(n) : nullptr;
  auto set_of = [](const List& items) {
    if (items.empty()) return std::string("set()");
    std::string out = "{";
    for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + output_text(nullptr, items[i], false);
    return out + "}";
  };
  if (is_set(v)) return set_of(stored_set(v).as_list());
  if (n && v.is_list() && list_kind(n) == ListKind::SetView) {
    const Node* call = n;
    if (n->kind == NodeKind::Binary && (n->text == "." || n->text == "?.") && n->args.size() == 2)
      call = n->args[1].get();
    if (call && call->kind == NodeKind::Call && (call->text == "keys" || call->text == "items")) {
      for (const auto& x : v.as_list()) {
        if (x.is_list()) throw EvalError("unhashable type: 'list'");
        if (is_set(x)) throw EvalError("unhashable type: 'set'");  // a frozenset key, a set by then
      }
      auto ordered = python_set_order(v.as_list());
      return set_of(ordered ? *ordered : v.as_list());
    }
  }
  if (is_lazy(v)) unbounded("the result");
  if (is_unread_iterator(v)) throw EvalError(unread_error(v));  // read as it is converted
  if (v.is_string()) return top ? v.as_string() : python_repr(v);
  if (v.is_list()) {
    auto nodes = n ? item_nodes(n, v.size()) : std::nullopt;
    std::string out = "[";
    const auto& items = v.as_list();
    for (size_t i = 0; i < items.size(); ++i)
      out += (i ? ", " : "") + output_text(nodes ? (*nodes)[i] : nullptr, items[i], false);
    return out + "]";
  }
  if (v.is_dict()) {
    if (auto text = top ? date_time_text(v) : date_time_nested_text(v)) return *text;
    if (is_regex_object(v)) return receiver_text(v);
    std::string out = "{";
    size_t i = 0;
    bool literal = n && n->kind == NodeKind::DictLiteral && n->args.size() == v.size();
    for (const auto& [k, x] : v.as_dict()) {
      Value key = key_value(k);
      if (key.is_list()) throw EvalError("unhashable type: 'list'");
      if (is_set(key)) throw EvalError("unhashable type: 'set'");
      const Node* rule = literal ? n->args[i].get() : nullptr;
      const Node* of = rule && rule->kind == NodeKind::MappingRule && rule->args.size() == 2 ? rule->args[1].get()
                                                                                              : nullptr;
      out += (i ? ", " : "") + output_text(nullptr, key, false) + ": " + output_text(of, x, false);
      ++i;
    }
    return out + "}";
  }
  return python_str(v);
}

// Evaluates the program and hands the raw result (datetime objects and all)
// to finish; every failure becomes a BadInput with yaql's text.
template <class T, class Finish>
Result<T> run(const Program& program, const EvalContext& ctx, Finish finish) {
  EvalBudget own;
  Evaluator ev(ctx, ctx.budget ? *ctx.budget : own);
  Scope root{nullptr, "$", ctx.data};
  uint64_t made_before = objects_made();
  MappedAttributes mapped;  // this evaluation's `$.list.name` maps
  try {
    Value v = ev.eval(program.root(), &root);
    // What leaves is stored, printed or compared by the engine: its size
    // as written must be within the budget (a list holding itself many
    // times over is small in memory and huge as text).
    ev.budget().check_value(v);
    if (holds_items_view(&program.root(), v)) throw EvalError("unhashable type: 'list'");
    v = keys_in_set_order(&program.root(), v);
    // Only an evaluation that made yaql objects can return one.
    return finish(std::move(v), objects_made() != made_before);
  } catch (const EvalError& e) {
    return bad_input(e.what());
  } catch (const BoraError& e) {
    return bad_input(e.what());
  } catch (const std::bad_variant_access&) {
    return bad_input("a value of the wrong type was given to an operation");
  } catch (const std::exception& e) {
    return bad_input(e.what());
  }
}

}  // namespace

Result<Value> evaluate(const Program& program, const EvalContext& ctx) {
  return run<Value>(program, ctx, [](Value v, bool made) { return made ? stored_form(v) : v; });
}

Result<std::string> evaluate_to_text(const Program& program, const EvalContext& ctx) {
  return run<std::string>(program, ctx, [&program](Value v, bool made) {
    if (!made && !v.is_list()) return v.is_string() ? v.as_string() : python_str(v);
    return output_text(&program.root(), v, true);
  });
}

}  // namespace bora::expr::yaql
