#include "bora/expr/mistral_expressions.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "bora/core/ids.h"
#include "bora/core/json.h"
#include "bora/core/python_json_error.h"
#include "bora/core/python_format.h"
#include "bora/core/python_int.h"
#include "bora/core/python_sort.h"
#include "bora/core/yaml.h"
#include "bora/expr/compiled.h"
#include "bora/expr/eval_context.h"
#include "bora/expr/jinja/jinja.h"
#include "bora/expr/yaql/yaql.h"

namespace bora::expr {

namespace {

// A host function's argument by position or by keyword: Jinja passes the
// Python name (root_execution_id=), yaql the name it converts it to
// (rootExecutionId =>); each language's signature check refuses the other.
std::optional<Value> argument(const expr::HostCall& call, size_t position, const char* name) {
  std::string camel;
  for (const char* p = name; *p; ++p) {
    if (*p == '_' && p[1] && p != name) camel += static_cast<char>(std::toupper(static_cast<unsigned char>(*++p)));
    else camel += *p;
  }
  for (const auto& [k, v] : call.kwargs)
    if (k == name || k == camel) return v;
  if (position < call.args.size()) return call.args[position];
  return std::nullopt;
}

Value scope_value(const expr::HostCall& call, Value ExpressionScope::*field) {
  return call.scope ? call.scope->*field : Value();
}

// type(value).__name__ of an argument as the calling language hands it to
// Python: yaql's lists are tuples and its dicts FrozenDicts.
std::string python_type_of(const Value& v, bool from_jinja) {
  if (v.is_null()) return "NoneType";
  if (v.is_bool()) return "bool";
  if (v.is_integer()) return "int";
  if (v.is_double()) return "float";
  if (v.is_string()) return "str";
  if (v.is_list()) return from_jinja ? "list" : "tuple";
  return from_jinja ? "dict" : "FrozenDict";
}

// Python's == and < between the values a key can be (None, bool, int,
// float, str, a tuple of them); < is nullopt where Python raises
// TypeError ('<' not supported: None, a dict, mixed types). A tuple
// compares its first items that are not equal.
bool python_equal(const Value& a, const Value& b) {
  if ((a.is_number() || a.is_bool()) && (b.is_number() || b.is_bool()))
    return python_int::compare(a, b) == std::optional<int>(0);
  if (a.is_list() && b.is_list()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!python_equal(a.as_list()[i], b.as_list()[i])) return false;
    return true;
  }
  return a == b;
}

std::optional<bool> python_less(const Value& a, const Value& b) {
  if ((a.is_number() || a.is_bool()) && (b.is_number() || b.is_bool()))
    return python_int::compare(a, b) == std::optional<int>(-1);
  if (a.is_string() && b.is_string()) return a.as_string() < b.as_string();  // UTF-8 keeps code point order
  if (a.is_list() && b.is_list()) {
    const List& x = a.as_list();
    const List& y = b.as_list();
    for (size_t i = 0; i < x.size() && i < y.size(); ++i)
      if (!python_equal(x[i], y[i])) return python_less(x[i], y[i]);
    return x.size() < y.size();
  }
  return std::nullopt;
}

// Mistral's @tx_cached (expression_port.h CallCache): the answer this
// transaction already gave for `key`, else `ask`'s, kept. An error is not
// kept (Python's decorator caches only what returns).
Value cached_call(const expr::HostCall& call, const std::string& call_key, const std::function<Value()>& ask) {
  CallCache* cache = call.scope ? call.scope->call_cache.get() : nullptr;
  if (!cache) return ask();
  // Keyed by the execution tree too: one of Mistral's transactions works on
  // one tree (a parent and the sub-workflows it starts share answers),
  // where one of Bora's units may apply several (a recovery after a
  // restart takes every adopted action at once).
  const Value* root = call.scope->execution.find("root_execution_id");
  std::string key = (root && root->is_string() ? root->as_string() : call.scope->workflow_execution_id) + "/" + call_key;
  if (auto it = cache->answers.find(key); it != cache->answers.end()) return it->second;
  Value answer = ask();
  cache->answers.emplace(key, answer);
  return answer;
}

// task_(context, task_name=None) itself: the current task as the engine
// has it now, or the latest execution of the named one.
Value task_answer(const expr::HostCall& call) {
  const ExpressionScope* scope = call.scope;
  if (!scope) return Value();
  // Mistral's task_() reads context['__task_execution'] first: outside a
  // task (a workflow's output) that is a KeyError under Jinja.
  if (call.from_jinja && !(call.data.is_dict() && call.data.find("__task_execution")))
    throw BoraError(ErrorKind::BadInput, "'__task_execution'");
  std::string name = call.args.empty() ? scope->task_name
                                       : (call.args[0].is_string() ? call.args[0].as_string() : python_str(call.args[0]));
  if (name.empty()) throw BoraError(ErrorKind::BadInput, "task() is only available inside a task");
  if (name == scope->task_name && !scope->task_execution_id.empty()) {
    Value looked = scope->task_lookup ? scope->task_lookup(name) : Value();
    Dict d = looked.is_dict() ? looked.as_dict() : Dict{};
    d.set("id", Value(scope->task_execution_id));
    d.set("name", Value(name));
    // The state and state_info as the engine has just set them (Mistral's
    // task() reads its in-memory task: publish-on-error sees the error).
    if (!scope->task_state.is_null()) {
      d.set("state", scope->task_state);
      d.set("state_info", scope->task_state_info);
    }
    // The result being taken (publish, retry) wins over the stored one.
    if (!scope->task_result.is_null() || !d.find("result")) d.set("result", scope->task_result);
    return Value(std::move(d));
  }
  if (!scope->task_lookup) return Value();
  return scope->task_lookup(name);
}

}  // namespace

struct MistralExpressions::Functions {
  expr::HostFunctions fns;
  Functions() {
    // Mistral's env_(context): context['__env'], the data context's key
    // (a workflow's holds the execution's env, which the engine also gives
    // as the scope's). Jinja hands it the data context itself, so without
    // the key it is Python's KeyError (TypeError for what is no dict);
    // yaql's context answers None.
    fns.add("env", [](const expr::HostCall& call) -> Value {
      if (call.data.is_dict())
        if (const Value* env = call.data.find("__env")) return *env;
      if (call.scope && !call.scope->env.is_null()) return call.scope->env;
      if (!call.from_jinja) return Value();
      const Value& d = call.data;
      if (d.is_dict()) throw BoraError(ErrorKind::BadInput, "'__env'");
      if (d.is_list()) throw BoraError(ErrorKind::BadInput, "list indices must be integers or slices, not str");
      if (d.is_string()) throw BoraError(ErrorKind::BadInput, "string indices must be integers, not 'str'");
      throw BoraError(ErrorKind::BadInput, "'" + python_type_of(d, true) + "' object is not subscriptable");
    });
    fns.add("execution", [](const expr::HostCall& call) {
      return cached_call(call, "execution()", [&] { return scope_value(call, &ExpressionScope::execution); });
    });
    fns.add("task", [](const expr::HostCall& call) -> Value {
      // task_(context, task_name=None): the key is the name as given (none
      // for task(), so a later task() of another task gets this answer).
      auto given = argument(call, 0, "task_name");
      std::string key = "task(" + (given ? python_repr(*given) : std::string("None")) + ")";
      return cached_call(call, key, [&call] { return task_answer(call); });
    });
    // tasks(workflow_execution_id=null, recursive=false, state=null, flat=false)
    fns.add("tasks", [](const expr::HostCall& call) -> Value {
      const ExpressionScope* scope = call.scope;
      if (!scope || !scope->tasks_query) return Value(List{});
      TasksQuery q;
      if (auto v = argument(call, 0, "workflow_execution_id"); v && !v->is_null()) q.workflow_execution_id = python_str(*v);
      if (auto v = argument(call, 1, "recursive")) q.recursive = v->truthy();
      if (auto v = argument(call, 2, "state"); v && !v->is_null()) q.state = python_str(*v);
      if (auto v = argument(call, 3, "flat")) q.flat = v->truthy();
      q.asking_task_id = scope->task_execution_id;
      if (scope->task_state.is_string()) q.asking_task_state = scope->task_state.as_string();
      std::string key = fmt::format("tasks({}, {}, {}, {})", q.workflow_execution_id.value_or("\x01"), q.recursive,
                                    q.state.value_or("\x01"), q.flat);
      return cached_call(call, key, [&] { return scope->tasks_query(q); });
    });
    // executions(id=null, root_execution_id=null, state=null, from_time=null, to_time=null)
    fns.add("executions", [](const expr::HostCall& call) -> Value {
      const ExpressionScope* scope = call.scope;
      if (!scope || !scope->executions_query) return Value(List{});
      ExecutionsQuery q;
      std::optional<std::string>* fields[] = {&q.id, &q.root_execution_id, &q.state, &q.from_time, &q.to_time};
      const char* names[] = {"id", "root_execution_id", "state", "from_time", "to_time"};
      for (size_t i = 0; i < 5; ++i)
        if (auto v = argument(call, i, names[i]); v && !v->is_null()) *fields[i] = python_str(*v);
      std::string key = "executions(";
      for (auto* f : fields) key += f->value_or("\x01") + ",";
      return cached_call(call, key, [&] { return scope->executions_query(q); });
    });
    fns.add("json_dump", [](const expr::HostCall& call) {
      auto data = argument(call, 0, "data");  // positional, or data= as Python names it
      if (!data) throw BoraError(ErrorKind::BadInput, "json_dump() takes the value to dump");
      JsonFormat f = JsonFormat::python();
      f.indent = 4;
      f.ensure_ascii = true;
      return Value(to_json(*data, f));
    });
    fns.add("json_pp", [](const expr::HostCall& call) {
      // json_pp_(context, data=None) prints `data or context`: in Jinja the
      // context is the data context, or the piped value of a filter.
      auto data = argument(call, 0, "data");
      bool data_given = data && data->truthy();
      // In YAQL the context is yaql's own Context object, which refers to
      // itself: Python's json refuses it, so a falsy value fails there.
      if (!data_given && !call.from_jinja) throw BoraError(ErrorKind::BadInput, "Circular reference detected");
      const Value& printed = data_given ? *data : call.data;
      // jsonutils.dumps(data, indent=4) in insertion order, then Mistral's
      // .replace("\\n", "\n").replace(" \n", "\n"): an escaped newline
      // inside a string becomes a real one (so does a literal backslash-n).
      JsonFormat f = JsonFormat::python();
      f.indent = 4;
      std::string text = to_json(printed, f);
      std::string out;
      out.reserve(text.size());
      for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == 'n') {
          out += '\n';
          ++i;
        } else {
          out += text[i];
        }
      }
      std::string trimmed;
      trimmed.reserve(out.size());
      for (size_t i = 0; i < out.size(); ++i)
        if (!(out[i] == ' ' && i + 1 < out.size() && out[i + 1] == '\n')) trimmed += out[i];
      return Value(std::move(trimmed));
    });
    fns.add("json_parse", [](const expr::HostCall& call) {
      auto data = argument(call, 0, "data");
      // oslo's jsonutils.loads: a str only ("<class 'int'> can't be
      // decoded"), its errors json.loads' own.
      if (!data) throw BoraError(ErrorKind::BadInput, "json_parse() takes a JSON string");
      if (!data->is_string()) {
        std::string type = python_type_of(*data, call.from_jinja);
        if (type == "FrozenDict") type = "yaql.language.utils.FrozenDict";
        throw BoraError(ErrorKind::BadInput, fmt::format("<class '{}'> can't be decoded", type));
      }
      auto v = parse_json(data->as_string());
      if (!v) {
        if (auto why = python_json_error(data->as_string())) throw BoraError(ErrorKind::BadInput, *why);
        throw BoraError(ErrorKind::BadInput, v.error().message);
      }
      return *v;
    });
    fns.add("uuid", [](const expr::HostCall&) { return Value(generate_uuid()); });
    fns.add("yaml_parse", [](const expr::HostCall& call) {
      auto data = argument(call, 0, "data");
      if (!data) throw BoraError(ErrorKind::BadInput, "yaml_parse() takes a YAML string");
      // PyYAML's safe_load reads a stream from anything else.
      if (!data->is_string())
        throw BoraError(ErrorKind::BadInput,
                        fmt::format("'{}' object has no attribute 'read'", python_type_of(*data, call.from_jinja)));
      auto v = parse_yaml(data->as_string());
      if (!v) throw BoraError(ErrorKind::BadInput, v.error().message);
      return *v;
    });
    fns.add("yaml_dump", [](const expr::HostCall& call) {
      // yaml.safe_dump(x, default_flow_style=False): keys sorted, block
      // style, PyYAML's quoting, escapes and folding (core/yaml_emit).
      auto data = argument(call, 0, "data");
      if (!data) throw BoraError(ErrorKind::BadInput, "yaml_dump() takes the value to dump");
      std::function<Value(const Value&)> sorted = [&](const Value& v) -> Value {
        if (v.is_list()) {
          List out;
          for (const auto& x : v.as_list()) out.push_back(sorted(x));
          return Value(std::move(out));
        }
        if (!v.is_dict()) return v;
        // PyYAML's sorted(mapping.items()): keys that are not text (yaql's
        // and Jinja's '\x02' and the key's JSON: numbers, null, tuples,
        // dicts) compared as Python compares them, in timsort's order; on
        // the first pair Python cannot order (None, text and a number, a
        // dict) PyYAML's TypeError keeps the dict's order.
        std::vector<std::pair<Value, std::string>> typed;
        for (const auto& [k, x] : v.as_dict()) {
          Value key(k);
          if (!k.empty() && k[0] == '\x02')
            if (auto parsed = parse_json(std::string_view(k).substr(1))) key = std::move(*parsed);
          typed.emplace_back(std::move(key), k);
        }
        struct Unorderable {};
        auto in_order = typed;
        try {
          python_sort(in_order, [](const auto& a, const auto& b) {
            std::optional<bool> lt = python_less(a.first, b.first);
            if (!lt) throw Unorderable{};
            return *lt;
          });
        } catch (const Unorderable&) {
          in_order = typed;
        }
        std::vector<std::string> keys;
        for (auto& [key, k] : in_order) keys.push_back(std::move(k));
        Dict out;
        for (const auto& k : keys) out.set(k, sorted(*v.find(k)));
        return Value(std::move(out));
      };
      // to_yaml closes a lone plain scalar with "..." as PyYAML does; every
      // string here is a Python str (quoted where it reads as a date).
      return Value(to_yaml(sorted(*data), true));
    });
    fns.add("global", [](const expr::HostCall& call) -> Value {
      const ExpressionScope* scope = call.scope;
      if (!scope || call.args.empty() || !call.args[0].is_string()) return Value();
      const Value* v = scope->globals.is_dict() ? scope->globals.find(call.args[0].as_string()) : nullptr;
      return v ? *v : Value();
    });
  }
};

MistralExpressions::MistralExpressions(EvalLimits limits)
    : functions_(std::make_unique<Functions>()), limits_(limits) {}
MistralExpressions::~MistralExpressions() = default;

namespace {

Error yaql_error(const std::string& expression, const std::string& reason, const Value& data) {
  return Error{ErrorKind::BadInput, fmt::format("Can not evaluate YAQL expression [expression={}, error={}, data={}]",
                                                expression, reason, python_str(data))};
}

}  // namespace

Result<Value> MistralExpressions::evaluate_jinja(const CompiledTemplate& t, const Value& data,
                                                 const ExpressionScope& scope, EvalBudget::Deadline yield_at) const {
  // Mistral's JinjaEvaluator: the first `{{ }}` being the whole string is an
  // expression keeping its type; otherwise the whole string is a template;
  // `{% %}` without any `{{ }}` fails (as in Mistral, with its odd message).
  expr::EvalBudget budget(limits_, yield_at);
  expr::EvalContext ctx{data, &functions_->fns, &scope};
  ctx.budget = &budget;
  ctx.generators_as_text = scope.sent_to_executor;
  // Inside an execution the data is Mistral's ContextView, which Jinja's
  // error texts name.
  if (!scope.workflow_execution_id.empty()) ctx.data_type_name = "mistral.workflow.data_flow.ContextView object";
  auto wrap = [&](const Error& e) {
    return bad_input(fmt::format("Can not evaluate Jinja expression [expression={}, error={}, data={}]", t.text,
                                 e.message, python_str(data)));
  };
  if (!t.jinja_has_expression) return wrap(Error{ErrorKind::BadInput, "list index out of range"});
  if (t.jinja_error) return wrap(*t.jinja_error);
  Result<Value> v = t.jinja_expression ? expr::jinja::evaluate(*t.jinja_expression, ctx)
                                       : expr::jinja::render(*t.jinja_template, ctx);
  if (!v) return wrap(v.error());
  return v;
}

Result<Value> MistralExpressions::evaluate_yaql(const CompiledTemplate& t, const Value& data,
                                                const ExpressionScope& scope, EvalBudget::Deadline yield_at) const {
  expr::EvalBudget budget(limits_, yield_at);
  expr::EvalContext ctx{data, &functions_->fns, &scope};
  ctx.budget = &budget;
  if (t.lone) {
    const auto& part = t.yaql.front();
    if (part.error) return yaql_error(part.expression, part.error->message, data);
    auto v = expr::yaql::evaluate(*part.program, ctx);
    if (!v) return yaql_error(part.expression, v.error().message, data);
    return v;
  }
  // Inside a longer string each result reads as Python's str() of it.
  // One budget for the whole string: its pieces end up in one text.
  std::string out;
  for (const auto& part : t.yaql) {
    if (part.error) return yaql_error(part.expression, part.error->message, data);
    auto v = expr::yaql::evaluate_to_text(*part.program, ctx);
    if (!v) return yaql_error(part.expression, v.error().message, data);
    out += part.literal;
    try {
      budget.bytes(v->size());
    } catch (const BudgetExceeded& e) {
      return yaql_error(part.expression, e.what(), data);
    }
    out += *v;
  }
  out += t.tail;
  return Value(std::move(out));
}

Result<Value> MistralExpressions::evaluate_template(const CompiledTemplate& t, const Value& data,
                                                    const ExpressionScope& scope,
                                                    EvalBudget::Deadline yield_at) const {
  switch (t.language) {
    case TemplateLanguage::Jinja: return evaluate_jinja(t, data, scope, yield_at);
    case TemplateLanguage::Yaql: return evaluate_yaql(t, data, scope, yield_at);
    case TemplateLanguage::None: break;
  }
  return Value(t.text);
}

Result<Value> MistralExpressions::evaluate(const CompiledValue& value, const Value& data,
                                           const ExpressionScope& scope) const {
  if (!value.has_expressions()) return Value(value);
  // One yield point for the whole value: its expressions are one step of
  // the caller's work.
  EvalBudget::Deadline yield_at =
      scope.yield_after_ms > 0
          ? std::chrono::steady_clock::now() + std::chrono::milliseconds(scope.yield_after_ms)
          : EvalBudget::kNoYield;
  std::function<Result<Value>(const Value&, const CompiledValue::Node&)> walk =
      [&](const Value& v, const CompiledValue::Node& node) -> Result<Value> {
    if (node.too_deep) return bad_input("the structure to evaluate is nested too deeply");
    if (node.constant) return v;
    if (node.tmpl) return evaluate_template(*node.tmpl, data, scope, yield_at);
    if (v.is_list()) {
      List out;
      out.reserve(v.size());
      for (size_t i = 0; i < v.size(); ++i) {
        auto r = walk(v.as_list()[i], node.items[i]);
        if (!r) return r.error();
        out.push_back(std::move(r).value());
      }
      return Value(std::move(out));
    }
    // A dict: Mistral's evaluate_recursively evaluates values only, a key
    // stays as written, expression or not.
    Dict out;
    out.reserve(v.size());
    size_t i = 0;
    for (const auto& [k, item] : v.as_dict()) {
      auto r = walk(item, node.items[i++]);
      if (!r) return r.error();
      out.set(k, std::move(r).value());
    }
    return Value(std::move(out));
  };
  return walk(value, *value.root());
}

Result<Value> MistralExpressions::evaluate(const Value& value, const Value& data, const ExpressionScope& scope) const {
  // A value built at run time: compiled here (each distinct string once in
  // the process, expr::shared_template).
  return evaluate(CompiledValue(value), data, scope);
}

}  // namespace bora::expr
