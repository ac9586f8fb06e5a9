#include "bora/expr/mistral_expressions.h"

#include <fmt/format.h>

#include <algorithm>

#include "bora/core/ids.h"
#include "bora/core/json.h"
#include "bora/core/python_format.h"
#include "bora/core/yaml.h"
#include "bora/lang/api_views.h"
#include "bora/expr/eval_context.h"
#include "bora/expr/jinja/jinja.h"
#include "bora/expr/yaql/yaql.h"

namespace bora::expr {

namespace {

// The scope of the evaluation running on this thread, for the host
// functions (they are registered once and shared by every evaluation).
thread_local const ExpressionScope* t_scope = nullptr;

struct ScopeGuard {
  const ExpressionScope* saved;
  explicit ScopeGuard(const ExpressionScope* s) : saved(t_scope) { t_scope = s; }
  ~ScopeGuard() { t_scope = saved; }
};

constexpr size_t kMaxCached = 100'000;
constexpr int kMaxDepth = 200;

struct Match {
  size_t begin, end;  // of "<% ... %>"
  std::string expression;
};

// Mistral's `<%.*?%>`: non-greedy, not crossing a newline.
std::vector<Match> find_yaql(const std::string& s) {
  std::vector<Match> out;
  size_t pos = 0;
  while (true) {
    size_t open = s.find("<%", pos);
    if (open == std::string::npos) break;
    size_t close = s.find("%>", open + 2);
    size_t newline = s.find('\n', open);
    if (close == std::string::npos) break;
    if (newline != std::string::npos && newline < close) {
      pos = newline + 1;
      continue;
    }
    std::string inner = s.substr(open + 2, close - open - 2);
    size_t b = inner.find_first_not_of(" \t\r"), e = inner.find_last_not_of(" \t\r");
    out.push_back({open, close + 2, b == std::string::npos ? "" : inner.substr(b, e - b + 1)});
    pos = close + 2;
  }
  return out;
}

bool has_jinja(const std::string& s) {
  for (const char* open : {"{{", "{%"}) {
    size_t at = s.find(open);
    while (at != std::string::npos) {
      const char* close = open[1] == '{' ? "}}" : "%}";
      size_t end = s.find(close, at + 2);
      size_t nl = s.find('\n', at);
      if (end != std::string::npos && (nl == std::string::npos || nl > end)) return true;
      at = s.find(open, at + 2);
    }
  }
  return false;
}

// A host function's argument by position or by keyword.
std::optional<Value> argument(const expr::HostCall& call, size_t position, const char* name) {
  for (const auto& [k, v] : call.kwargs)
    if (k == name) return v;
  if (position < call.args.size()) return call.args[position];
  return std::nullopt;
}

Value require_scope_value(Value ExpressionScope::*field) { return t_scope ? t_scope->*field : Value(); }

}  // namespace

struct MistralExpressions::Functions {
  expr::HostFunctions fns;
  Functions() {
    fns.add("env", [](const expr::HostCall&) { return require_scope_value(&ExpressionScope::env); });
    fns.add("execution", [](const expr::HostCall&) { return require_scope_value(&ExpressionScope::execution); });
    fns.add("task", [](const expr::HostCall& call) -> Value {
      if (!t_scope) return Value();
      // Mistral's task_() reads context['__task_execution'] first: outside a
      // task (a workflow's output) that is a KeyError under Jinja.
      if (call.from_jinja && !(call.data.is_dict() && call.data.find("__task_execution")))
        throw BoraError(ErrorKind::BadInput, "'__task_execution'");
      std::string name = call.args.empty() ? t_scope->task_name
                                           : (call.args[0].is_string() ? call.args[0].as_string() : python_str(call.args[0]));
      if (name.empty()) throw BoraError(ErrorKind::BadInput, "task() is only available inside a task");
      if (name == t_scope->task_name && !t_scope->task_execution_id.empty()) {
        Value looked = t_scope->task_lookup ? t_scope->task_lookup(name) : Value();
        Dict d = looked.is_dict() ? looked.as_dict() : Dict{};
        d.set("id", Value(t_scope->task_execution_id));
        d.set("name", Value(name));
        if (!t_scope->task_state.is_null()) d.set("state", t_scope->task_state);
        // The result being taken (publish, retry) wins over the stored one.
        if (!t_scope->task_result.is_null() || !d.find("result")) d.set("result", t_scope->task_result);
        return Value(std::move(d));
      }
      if (!t_scope->task_lookup) return Value();
      return t_scope->task_lookup(name);
    });
    // tasks(workflow_execution_id=null, recursive=false, state=null, flat=false)
    fns.add("tasks", [](const expr::HostCall& call) -> Value {
      if (!t_scope || !t_scope->tasks_query) return Value(List{});
      TasksQuery q;
      if (auto v = argument(call, 0, "workflow_execution_id"); v && !v->is_null()) q.workflow_execution_id = python_str(*v);
      if (auto v = argument(call, 1, "recursive")) q.recursive = v->truthy();
      if (auto v = argument(call, 2, "state"); v && !v->is_null()) q.state = python_str(*v);
      if (auto v = argument(call, 3, "flat")) q.flat = v->truthy();
      return t_scope->tasks_query(q);
    });
    // executions(id=null, root_execution_id=null, state=null, from_time=null, to_time=null)
    fns.add("executions", [](const expr::HostCall& call) -> Value {
      if (!t_scope || !t_scope->executions_query) return Value(List{});
      ExecutionsQuery q;
      std::optional<std::string>* fields[] = {&q.id, &q.root_execution_id, &q.state, &q.from_time, &q.to_time};
      const char* names[] = {"id", "root_execution_id", "state", "from_time", "to_time"};
      for (size_t i = 0; i < 5; ++i)
        if (auto v = argument(call, i, names[i]); v && !v->is_null()) *fields[i] = python_str(*v);
      return t_scope->executions_query(q);
    });
    fns.add("json_dump", [](const expr::HostCall& call) {
      if (call.args.empty()) throw BoraError(ErrorKind::BadInput, "json_dump() takes the value to dump");
      JsonFormat f = JsonFormat::python();
      f.indent = 4;
      f.ensure_ascii = true;
      return Value(to_json(call.args[0], f));
    });
    fns.add("json_pp", [](const expr::HostCall& call) {
      if (call.args.empty()) throw BoraError(ErrorKind::BadInput, "json_pp() takes the value to print");
      JsonFormat f = JsonFormat::python();
      f.indent = 4;
      f.sort_keys = true;
      return Value(to_json(call.args[0], f));
    });
    fns.add("json_parse", [](const expr::HostCall& call) {
      if (call.args.empty() || !call.args[0].is_string())
        throw BoraError(ErrorKind::BadInput, "json_parse() takes a JSON string");
      auto v = parse_json(call.args[0].as_string());
      if (!v) throw BoraError(ErrorKind::BadInput, v.error().message);
      return *v;
    });
    fns.add("uuid", [](const expr::HostCall&) { return Value(generate_uuid()); });
    fns.add("yaml_parse", [](const expr::HostCall& call) {
      if (call.args.empty() || !call.args[0].is_string())
        throw BoraError(ErrorKind::BadInput, "yaml_parse() takes a YAML string");
      auto v = parse_yaml(call.args[0].as_string());
      if (!v) throw BoraError(ErrorKind::BadInput, v.error().message);
      return *v;
    });
    fns.add("yaml_dump", [](const expr::HostCall& call) {
      // yaml.safe_dump(x, default_flow_style=False): keys sorted, block
      // style, a lone scalar closed with "...".
      if (call.args.empty()) throw BoraError(ErrorKind::BadInput, "yaml_dump() takes the value to dump");
      std::function<Value(const Value&)> sorted = [&](const Value& v) -> Value {
        if (v.is_list()) {
          List out;
          for (const auto& x : v.as_list()) out.push_back(sorted(x));
          return Value(std::move(out));
        }
        if (!v.is_dict()) return v;
        std::vector<std::string> keys;
        for (const auto& [k, x] : v.as_dict()) keys.push_back(k);
        std::sort(keys.begin(), keys.end());
        Dict out;
        for (const auto& k : keys) out.set(k, sorted(*v.find(k)));
        return Value(std::move(out));
      };
      Value v = sorted(call.args[0]);
      std::string text = lang::to_yaml(v);
      if (!v.is_list() && !v.is_dict()) text += "...\n";
      return Value(text);
    });
    fns.add("global", [](const expr::HostCall& call) -> Value {
      if (!t_scope || call.args.empty() || !call.args[0].is_string()) return Value();
      const Value* v = t_scope->globals.is_dict() ? t_scope->globals.find(call.args[0].as_string()) : nullptr;
      return v ? *v : Value();
    });
  }
};

MistralExpressions::MistralExpressions(EvalLimits limits)
    : functions_(std::make_unique<Functions>()), limits_(limits) {}
MistralExpressions::~MistralExpressions() = default;

Result<std::shared_ptr<const expr::yaql::Program>> MistralExpressions::program(const std::string& expression) const {
  {
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find(expression); it != cache_.end()) return it->second;
  }
  auto compiled = expr::yaql::compile(expression);
  if (!compiled) return compiled.error();
  std::lock_guard lock(mutex_);
  if (cache_.size() >= kMaxCached) cache_.clear();
  cache_.emplace(expression, *compiled);
  return compiled;
}

Result<Value> MistralExpressions::evaluate_jinja(const std::string& text, const Value& data,
                                                 const ExpressionScope& scope) const {
  // Mistral's JinjaEvaluator: the first `{{ }}` (non-greedy, on one line)
  // being the whole string is an expression keeping its type; otherwise the
  // whole string is a template; `{% %}` without any `{{ }}` fails (as in
  // Mistral, with its odd message).
  ScopeGuard guard(&scope);
  expr::EvalBudget budget(limits_);
  expr::EvalContext ctx{data, &functions_->fns, nullptr};
  ctx.budget = &budget;
  // Inside an execution the data is Mistral's ContextView, which Jinja's
  // error texts name.
  if (!scope.workflow_execution_id.empty()) ctx.data_type_name = "mistral.workflow.data_flow.ContextView object";
  auto wrap = [&](const Error& e) {
    return bad_input(fmt::format("Can not evaluate Jinja expression [expression={}, error={}, data={}]", text,
                                 e.message, python_str(data)));
  };
  size_t open = text.find("{{");
  size_t close = open == std::string::npos ? std::string::npos : text.find("}}", open + 2);
  size_t newline = open == std::string::npos ? std::string::npos : text.find('\n', open);
  bool has_var = close != std::string::npos && (newline == std::string::npos || newline > close);
  if (!has_var) return wrap(Error{ErrorKind::BadInput, "list index out of range"});
  if (open == 0 && close + 2 == text.size()) {
    std::string inner = text.substr(2, close - 2);
    std::shared_ptr<const expr::jinja::Expression> e;
    {
      std::lock_guard lock(mutex_);
      if (auto it = jinja_exprs_.find(inner); it != jinja_exprs_.end()) e = it->second;
    }
    if (!e) {
      auto compiled = expr::jinja::compile_expression(inner);
      if (!compiled) return wrap(compiled.error());
      e = *compiled;
      std::lock_guard lock(mutex_);
      if (jinja_exprs_.size() >= kMaxCached) jinja_exprs_.clear();
      jinja_exprs_.emplace(inner, e);
    }
    auto v = expr::jinja::evaluate(*e, ctx);
    if (!v) return wrap(v.error());
    return v;
  }
  std::shared_ptr<const expr::jinja::Template> t;
  {
    std::lock_guard lock(mutex_);
    if (auto it = jinja_templates_.find(text); it != jinja_templates_.end()) t = it->second;
  }
  if (!t) {
    auto compiled = expr::jinja::compile_template(text);
    if (!compiled) return wrap(compiled.error());
    t = *compiled;
    std::lock_guard lock(mutex_);
    if (jinja_templates_.size() >= kMaxCached) jinja_templates_.clear();
    jinja_templates_.emplace(text, t);
  }
  auto v = expr::jinja::render(*t, ctx);
  if (!v) return wrap(v.error());
  return v;
}

Result<Value> MistralExpressions::evaluate_string(const std::string& text, const Value& data,
                                                  const ExpressionScope& scope) const {
  if (has_jinja(text)) return evaluate_jinja(text, data, scope);
  auto matches = find_yaql(text);
  if (matches.empty()) return Value(text);
  ScopeGuard guard(&scope);
  expr::EvalContext ctx{data, &functions_->fns, nullptr};
  auto eval_one = [&](const Match& m) -> Result<Value> {
    expr::EvalBudget budget(limits_);
    ctx.budget = &budget;
    auto p = program(m.expression);
    if (!p) {
      return bad_input(fmt::format("Can not evaluate YAQL expression [expression={}, error={}, data={}]",
                                   m.expression, p.error().message, python_str(data)));
    }
    auto v = expr::yaql::evaluate(**p, ctx);
    if (!v) {
      return bad_input(fmt::format("Can not evaluate YAQL expression [expression={}, error={}, data={}]",
                                   m.expression, v.error().message, python_str(data)));
    }
    return v;
  };
  if (matches.size() == 1 && matches[0].begin == 0 && matches[0].end == text.size()) return eval_one(matches[0]);
  // Inside a longer string each result reads as Python's str() of it.
  // One budget for the whole string: its pieces end up in one text.
  expr::EvalBudget budget(limits_);
  ctx.budget = &budget;
  std::string out;
  size_t pos = 0;
  for (const auto& m : matches) {
    auto p = program(m.expression);
    if (!p) {
      return bad_input(fmt::format("Can not evaluate YAQL expression [expression={}, error={}, data={}]",
                                   m.expression, p.error().message, python_str(data)));
    }
    auto v = expr::yaql::evaluate_to_text(**p, ctx);
    if (!v) {
      return bad_input(fmt::format("Can not evaluate YAQL expression [expression={}, error={}, data={}]",
                                   m.expression, v.error().message, python_str(data)));
    }
    out += text.substr(pos, m.begin - pos);
    try {
      budget.bytes(v->size());
    } catch (const BudgetExceeded& e) {
      return bad_input(fmt::format("Can not evaluate YAQL expression [expression={}, error={}, data={}]",
                                   m.expression, e.what(), python_str(data)));
    }
    out += *v;
    pos = m.end;
  }
  out += text.substr(pos);
  return Value(out);
}

Result<Value> MistralExpressions::evaluate(const Value& value, const Value& data, const ExpressionScope& scope) const {
  std::function<Result<Value>(const Value&, int)> walk = [&](const Value& v, int depth) -> Result<Value> {
    if (depth > kMaxDepth) return bad_input("the structure to evaluate is nested too deeply");
    if (v.is_string()) return evaluate_string(v.as_string(), data, scope);
    if (v.is_list()) {
      List out;
      out.reserve(v.size());
      for (const auto& item : v.as_list()) {
        auto r = walk(item, depth + 1);
        if (!r) return r.error();
        out.push_back(std::move(r).value());
      }
      return Value(std::move(out));
    }
    if (v.is_dict()) {
      Dict out;
      // Mistral's evaluate_recursively evaluates values only: a key stays
      // as written, expression or not.
      for (const auto& [k, item] : v.as_dict()) {
        auto r = walk(item, depth + 1);
        if (!r) return r.error();
        out.set(k, std::move(r).value());
      }
      return Value(std::move(out));
    }
    return v;
  };
  return walk(value, 0);
}

}  // namespace bora::expr
