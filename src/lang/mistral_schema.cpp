// lang/mistral_schema: Mistral's order of instantiating specs (and so of
// validating their schemas), with the checks between them that Bora
// cannot answer for Mistral ending the walk undecided. Written from
// mistral/lang/base.py, parser.py and v2/*.py (Mistral 15).
#include "bora/lang/mistral_schema.h"

#include <cctype>
#include <functional>

#include "bora/core/json.h"
#include "bora/core/python_format.h"
#include "bora/core/regex.h"
#include "bora/core/utf8.h"
#include "bora/core/yaml.h"
#include "bora/expr/compiled.h"
#include "bora/lang/located_yaml.h"
#include "mistral_schema_engine.h"
#include "spec_parsers.h"

namespace bora::lang {

namespace {

using detail::check_schema;
using detail::mistral_schemas;
using detail::python_search;
using detail::SchemaVerdict;

// The walk ends: with Mistral's line, or undecided (nullopt).
struct Halt {
  std::optional<std::string> line;
};
[[noreturn]] void undecided() { throw Halt{}; }

// base.CMD_PTRN: what _parse_cmd_and_input needs at the start of a command
// with a space in it, else "Invalid action/workflow task property".
constexpr const char* kCommandPattern = "^([\\w\\.]+[^=\\(\\s\\\"]*|<%.*?%>|{{.*}}|{%.*%})";
// base.PARAMS_PTRN: `name=value` pairs of a one-line command.
constexpr const char* kParamsPattern =
    "([-_\\w]+)=(\\\"[^\\\"]*\\\"\\s*|'[^']*'\\s*|({{(.*?)}})|<%.*?%>|\\[.*\\]\\s*|true|false|null|\\d+)";
// tasks.WITH_ITEMS_PTRN (re.match: anchored at the start only).
constexpr const char* kWithItemsPattern = "^\\s*([\\w\\d_\\-]+)\\s*in\\s*(\\[.+\\]|({{(.*?)}})|<%.*?%>)";

const Value& get(const Value& dict, std::string_view key) {
  if (!dict.is_dict()) return Value::null_ref();
  const Value* v = dict.find(key);
  return v ? *v : Value::null_ref();
}

bool has(const Value& dict, std::string_view key) { return dict.is_dict() && dict.find(key) != nullptr; }

bool search(const char* pattern, const std::string& text) {
  auto r = python_search(pattern, text);
  if (!r) undecided();
  return *r;
}

// jsonschema.validate(data, schema): Mistral's "Invalid DSL: ..." on errors.
void validate(const Value& data, const Value& schema) {
  SchemaVerdict v = check_schema(data, schema);
  if (v.outcome == SchemaVerdict::invalid) throw Halt{"Invalid DSL: " + v.message};
  if (v.outcome == SchemaVerdict::type_error) throw Halt{v.message};  // Python's TypeError, as it is
  if (v.outcome == SchemaVerdict::uncertain) undecided();
}

// expressions.validate(s): whether Mistral's grammar check may refuse it.
// Only a string with no expression at all, or whose expressions Bora
// compiles cleanly, is taken as passing.
void expression(const Value& v) {
  if (!v.is_string()) return;
  const std::string& s = v.as_string();
  if (s.find("<%") == std::string::npos && s.find("{{") == std::string::npos && s.find("{%") == std::string::npos)
    return;
  auto t = expr::compile_template(s);
  if (t->mixed || t->jinja_error) undecided();
  for (const auto& part : t->yaql)
    if (part.error) undecided();
}

// BaseSpec.validate_expr: a string, a list's strings, a dict's string values.
void validate_expr(const Value& v) {
  if (v.is_string()) {
    expression(v);
  } else if (v.is_list()) {
    for (const Value& item : v.as_list()) expression(item);
  } else if (v.is_dict()) {
    for (const auto& [_, item] : v.as_dict()) expression(item);
  }
}

// Every string of a value, keys too: a conservative validate_expr for
// places where Mistral checks parts of strings (transitions).
void every_string(const Value& v) {
  if (v.is_string()) {
    expression(v);
  } else if (v.is_list()) {
    for (const Value& item : v.as_list()) every_string(item);
  } else if (v.is_dict()) {
    for (const auto& [k, item] : v.as_dict()) {
      expression(Value(k));
      every_string(item);
    }
  }
}

// The parameters _parse_cmd_and_input finds in a one-line command (an
// action, a workflow, a retry policy), as Python reads their values.
Value command_params(const std::string& s) {
  if (s.find(' ') == std::string::npos) return Value(Dict{});
  if (!search(kCommandPattern, s)) undecided();
  auto re = Regex::compile(kParamsPattern);
  if (!re) undecided();
  Dict params;
  auto done = re->for_each_match(s, process_regex_limits(), [&](const RegexMatch& m) {
    std::string key(m.text(s, 1));
    std::string raw(m.text(s, 2));
    // str.strip(): ASCII whitespace is all this pattern lets through.
    size_t b = raw.find_first_not_of(" \t\n\r\f\v"), e = raw.find_last_not_of(" \t\n\r\f\v");
    std::string text = b == std::string::npos ? std::string() : raw.substr(b, e - b + 1);
    if (!text.empty() && (text[0] == '"' || text[0] == '\'')) {
      params.set(key, Value(text.substr(1, text.size() >= 2 ? text.size() - 2 : 0)));
    } else if (auto parsed = parse_json(text)) {
      params.set(key, *parsed);
    } else {
      if (!text.empty() && text[0] == '[') undecided();  // Python's json may read what Bora's refuses
      params.set(key, Value(text));
    }
    return true;
  });
  if (!done) undecided();
  return Value(std::move(params));
}

// BaseSpec._parse_cmd_and_input's refusal ("Invalid action/workflow task
// property") and validate_expr of the parameters it finds.
void command(const Value& v) {
  if (v.is_string()) validate_expr(command_params(v.as_string()));
}

// A YAML key that Bora loads differently from PyYAML: a date or time
// (Python's datetime), a key that is no string (Bora's keys are strings).
// (Values that are Python objects come as markers: PythonObject.)
bool looks_like_date(const std::string& s) {
  return s.size() >= 5 && std::isdigit(static_cast<unsigned char>(s[0])) &&
         std::isdigit(static_cast<unsigned char>(s[1])) && std::isdigit(static_cast<unsigned char>(s[2])) &&
         std::isdigit(static_cast<unsigned char>(s[3])) && s[4] == '-';
}

// keys_known: the keys that are no text were renamed (python_key_marker);
// else a key that reads as a number, a bool or null may be one.
void check_loaded_alike(const Value& v, bool keys_known) {
  if (v.is_list()) {
    for (const Value& item : v.as_list()) check_loaded_alike(item, keys_known);
  } else if (v.is_dict()) {
    for (const auto& [k, item] : v.as_dict()) {
      if (looks_like_date(k) || (!keys_known && !resolve_plain_scalar(k).is_string())) undecided();
      check_loaded_alike(item, keys_known);
    }
  }
}

// Python's truth: None, False, 0, 0.0, '', [], {} are false.
Value or_empty(const Value& root) { return root.truthy() ? root : Value(Dict{}); }

class Walk {
 public:
  const detail::MistralSchemas& s = mistral_schemas();

  // v2/retry_policy.py RetrySpec (a one-line policy becomes its parameters).
  void retry(const Value& v) {
    Value data = v.is_string() ? command_params(v.as_string()) : v;
    validate(data, s.retry);
    for (const char* k : {"count", "delay", "break-on", "continue-on"}) validate_expr(get(data, k));
  }

  // v2/policies.py PoliciesSpec, made of the truthy policy attributes (its
  // schema is the task's for them: it passes).
  void policies(const Value& task) {
    for (const char* k : {"wait-before", "wait-after", "timeout", "pause-before", "concurrency", "fail-on"})
      if (get(task, k).truthy()) validate_expr(get(task, k));
    if (get(task, "retry").truthy()) retry(get(task, "retry"));
  }

  // v2/on_clause.py OnClauseSpec; its transitions' expressions are checked
  // by the owner's validate_semantics (transitions()).
  void on_clause(const Value& v) {
    if (v.is_null()) return;
    validate(v, s.on_clause);
    if (!v.is_dict()) return;
    const Value& publish = get(v, "publish");
    if (publish.is_null()) return;
    validate(publish, s.publish);  // v2/publish.py PublishSpec
    if (!get(publish, "branch").truthy() && !get(publish, "global").truthy() && !get(publish, "atomic").truthy())
      undecided();  // validate_semantics fails (with a TypeError)
    for (const char* k : {"branch", "global", "atomic"}) validate_expr(get(publish, k));
  }

  void on_clauses(const Value& owner) {
    for (const char* k : {"on-complete", "on-success", "on-error"}) on_clause(get(owner, k));
  }

  // _validate_transitions: each next task's name and condition.
  void transitions(const Value& owner) {
    for (const char* k : {"on-complete", "on-success", "on-error"}) {
      const Value& v = get(owner, k);
      every_string(v.is_dict() ? get(v, "next") : v);
    }
  }

  // v2/task_defaults.py TaskDefaultsSpec
  void task_defaults(const Value& v) {
    validate(v, s.task_defaults);
    validate_expr(get(v, "safe-rerun"));
    policies(v);
    on_clauses(v);
    transitions(v);
  }

  // v2/tasks.py Direct/ReverseWorkflowTaskSpec
  void task(const Value& v, bool direct) {
    validate(v, direct ? s.direct_task : s.reverse_task);
    if (utf8_length(get(v, "name").as_string()) > 255) undecided();
    const Value& action = get(v, "action");
    command(action.truthy() ? action : get(v, "workflow"));
    for (const char* k : {"input", "publish", "publish-on-error", "keep-result", "safe-rerun"})
      validate_expr(get(v, k));
    with_items(get(v, "with-items"));
    policies(v);
    if (!direct) return;
    on_clauses(v);
    transitions(v);
    if (get(v, "join").truthy() && utf8_length(get(v, "name").as_string()) > 208) undecided();
  }

  void with_items(const Value& v) {
    if (v.is_null()) return;
    List items = v.is_string() ? List{v} : v.as_list();
    for (const Value& item : items) {
      if (!item.is_string()) undecided();
      const std::string& text = item.as_string();
      auto re = Regex::compile(kWithItemsPattern);
      if (!re) undecided();
      auto m = re->search(text, 0, process_regex_limits());
      if (!m || !*m) undecided();
      std::string array((*m)->text(text, 2));
      expression(Value(array));
      if (!array.empty() && array[0] == '[' && !parse_json(array)) undecided();
    }
  }

  // v2/workflows.py WorkflowSpec (polymorphic on `type`); `data` has its
  // `name` and `version` set. `original` is the definition as written,
  // for Bora's own check of what Mistral checks after the schemas.
  void workflow(const Value& data, const std::string& name, const Value& original, bool last) {
    Value type = has(data, "type") ? get(data, "type") : Value("direct");
    bool direct = type.is_string() && type.as_string() == "direct";
    bool reverse = type.is_string() && type.as_string() == "reverse";
    if (!direct && !reverse) {
      if (type.is_list() || type.is_dict()) undecided();  // unhashable: a TypeError
      throw Halt{
          "Failed to find a specification class to instantiate [spec_cls=<class "
          "'mistral.lang.v2.workflows.WorkflowSpec'>, data=" +
          python_repr(data) + "]"};
    }
    validate(data, s.direct_workflow);
    validate_expr(get(data, "output"));
    validate_expr(get(data, "vars"));
    if (!get(data, "task-defaults").is_null()) task_defaults(get(data, "task-defaults"));
    const Value& tasks = get(data, "tasks");
    for (const auto& [_, t] : tasks.as_dict())
      if (!t.is_dict()) undecided();  // `task['type'] = ...` fails
    for (const auto& [task_name, t] : tasks.as_dict())
      task(t.with("type", type).with("name", Value(task_name)).with("version", Value("2.0")), direct);
    // Its validate_semantics (start tasks, links, joins, a UUID name) runs
    // before the next workflow's schemas: Bora's own check stands in.
    if (!last) {
      LocatedDocument doc = unlocated(Value(Dict{{name, original}}));
      detail::Checker c(doc);
      detail::parse_workflow(c, name, original, name);
      if (c.count()) undecided();
    }
  }

  // v2/actions.py ActionSpec
  void action(const Value& data) {
    validate(data, s.action);
    command(get(data, "base"));
    validate_expr(get(data, "base-input"));
    if (get(data, "output").is_string()) validate_expr(get(data, "output"));
  }

  // base.BaseListSpec: the document's schema, then each item.
  template <class Each>
  void list_spec(const Value& root, Each each) {
    Value data = or_empty(root);
    validate(data, s.workflow_list);
    if (data.as_dict().size() < 2) undecided();  // "At least one item must be in the list"
    std::vector<std::pair<std::string, Value>> items;
    for (const auto& [k, v] : data.as_dict())
      if (k != "version") items.emplace_back(k, v);
    for (size_t i = 0; i < items.size(); ++i) {
      const auto& [k, v] = items[i];
      each(k, v.with("name", Value(k)).with("version", Value("2.0")), v, i + 1 == items.size());
    }
  }

  // v2/workbook.py WorkbookSpec, after parser._get_spec_version.
  void workbook(const Value& root) {
    Value data = or_empty(root);
    if (data.is_dict()) {
      // Only '2.0' (or none) goes on to the schema: another accepted
      // version makes get_workbook_spec return nothing, a refused one says
      // "Unsupported DSL version".
      if (has(data, "version") && !(get(data, "version").is_string() && get(data, "version").as_string() == "2.0"))
        undecided();
    } else if (data.is_list()) {
      for (const Value& item : data.as_list())
        if (item.is_string() && item.as_string() == "version") undecided();
    } else if (!data.is_string() || data.as_string().find("version") != std::string::npos) {
      undecided();  // `'version' in data` fails, or finds it
    }
    validate(data, s.workbook);
    const Value& actions = get(data, "actions");
    if (actions.is_dict()) {
      for (const auto& [k, v] : actions.as_dict()) {
        if (k == "version") continue;
        action(v.is_dict() ? v.with("name", Value(k)).with("version", Value("2.0")) : v);
      }
    }
    const Value& workflows = get(data, "workflows");
    if (workflows.is_dict()) {
      std::vector<std::pair<std::string, Value>> items;
      for (const auto& [k, v] : workflows.as_dict())
        if (k != "version") items.emplace_back(k, v);
      for (size_t i = 0; i < items.size(); ++i) {
        const auto& [k, v] = items[i];
        if (!v.is_dict()) undecided();  // "A specification with polymorphic key must be backed by a dictionary"
        workflow(v.with("name", Value(k)).with("version", Value("2.0")), k, v, i + 1 == items.size());
      }
    }
  }
};

}  // namespace

namespace {

// v with what is at steps[i...] changed by `change`.
Value changed_at(const Value& v, const std::vector<Value>& steps, size_t i,
                 const std::function<Value(const Value&)>& change) {
  if (i == steps.size()) return change(v);
  const Value& step = steps[i];
  if (step.is_string() && v.is_dict()) {
    const Value* child = v.find(step.as_string());
    if (!child) return v;
    return v.with(step.as_string(), changed_at(*child, steps, i + 1, change));
  }
  if (step.is_int() && v.is_list() && static_cast<size_t>(step.as_int()) < v.as_list().size()) {
    List l = v.as_list();
    auto at = static_cast<size_t>(step.as_int());
    l[at] = changed_at(l[at], steps, i + 1, change);
    return Value(std::move(l));
  }
  return v;
}

std::optional<std::string> walk_document(const Value& root, MistralDocument kind, bool keys_known);

}  // namespace

std::optional<std::string> mistral_schema_error(const Value& root, MistralDocument kind,
                                                const std::vector<PythonObject>& objects,
                                                const std::vector<PythonKey>& keys) {
  Value marked = root;
  for (const auto& o : objects)
    marked = changed_at(marked, o.steps, 0, [&](const Value&) { return detail::python_object_marker(o.repr); });
  // The deepest first: a renamed key no longer leads to what is below it.
  std::vector<const PythonKey*> order;
  for (const auto& k : keys) order.push_back(&k);
  std::stable_sort(order.begin(), order.end(),
                   [](const PythonKey* a, const PythonKey* b) { return a->steps.size() > b->steps.size(); });
  for (const PythonKey* k : order)
    marked = changed_at(marked, k->steps, 0, [&](const Value& mapping) {
      if (!mapping.is_dict() || !mapping.find(k->name)) return mapping;
      Dict d;  // the key renamed in its place
      for (const auto& [name, x] : mapping.as_dict())
        d.set(name == k->name ? detail::python_key_marker(k->type, k->repr) : name, x);
      return Value(std::move(d));
    });
  return walk_document(marked, kind, true);
}

std::optional<std::string> mistral_schema_error(const Value& root, MistralDocument kind) {
  return walk_document(root, kind, false);
}

namespace {

std::optional<std::string> walk_document(const Value& root, MistralDocument kind, bool keys_known) {
  try {
    check_loaded_alike(root, keys_known);
    Walk walk;
    switch (kind) {
      case MistralDocument::workflows:
        walk.list_spec(root, [&](const std::string& name, const Value& data, const Value& original, bool last) {
          walk.workflow(data, name, original, last);
        });
        break;
      case MistralDocument::actions:
        walk.list_spec(root, [&](const std::string&, const Value& data, const Value&, bool) { walk.action(data); });
        break;
      case MistralDocument::workbook:
        walk.workbook(root);
        break;
    }
  } catch (const Halt& h) {
    return h.line;
  } catch (const BoraError&) {
    return std::nullopt;  // a shape the walk did not expect: no guess
  }
  return std::nullopt;
}

}  // namespace

}  // namespace bora::lang
