// lang/mistral_schema_specs: Mistral 15's JSON schemas (mistral/lang/types.py
// and the `_schema` of each v2 spec class), as full as get_schema() makes
// them, as data. Key order matters twice: jsonschema applies keywords in
// it, and messages print subschemas with repr(). get_schema() keeps the
// class's keys in order, then sets 'properties' (the meta schema's merged
// in, without overwriting), 'required' (the class's and the meta schema's,
// through a Python set) and 'definitions' ({}), each where it already was
// or at the end.
#include <algorithm>
#include <string>
#include <vector>

#include "mistral_schema_engine.h"

namespace bora::lang::detail {

namespace {

using E = Dict::Entry;

Value obj(std::initializer_list<E> entries) { return Value::dict(entries); }
Value list(std::initializer_list<Value> items) { return Value::list(items); }
Value strings(std::initializer_list<const char*> items) {
  List l;
  for (const char* s : items) l.emplace_back(s);
  return Value(std::move(l));
}

// mistral/lang/types.py
struct Types {
  Value nonempty_string = obj({{"type", "string"}, {"minLength", 1}});
  Value unique_string_list =
      obj({{"type", "array"}, {"items", nonempty_string}, {"uniqueItems", true}, {"minItems", 1}});
  Value positive_integer = obj({{"type", "integer"}, {"minimum", 0}});
  Value positive_number = obj({{"type", "number"}, {"minimum", 0.0}});
  // One alternative per expression language, in the sorted order of their
  // names (jinja, yaql): the evaluators' find patterns, anchored.
  Value expression = obj({{"oneOf", list({obj({{"type", "string"}, {"pattern", "^({{(.*?)}})\\s*$"}}),
                                          obj({{"type", "string"}, {"pattern", "^<%.*?%>\\s*$"}})})}});
  Value any = obj({{"anyOf", list({obj({{"type", "array"}}), obj({{"type", "boolean"}}), obj({{"type", "integer"}}),
                                   obj({{"type", "number"}}), obj({{"type", "object"}}), obj({{"type", "string"}})})}});
  Value any_nullable =
      obj({{"anyOf", list({obj({{"type", "null"}}), obj({{"type", "array"}}), obj({{"type", "boolean"}}),
                           obj({{"type", "integer"}}), obj({{"type", "number"}}), obj({{"type", "object"}}),
                           obj({{"type", "string"}})})}});
  Value nonempty_dict =
      obj({{"type", "object"}, {"minProperties", 1}, {"patternProperties", obj({{"^\\w+$", any_nullable}})}});
  Value one_key_dict = obj({{"type", "object"},
                            {"minProperties", 1},
                            {"maxProperties", 1},
                            {"patternProperties", obj({{"^\\w+$", any_nullable}})}});
  Value expression_or_positive_integer = obj({{"oneOf", list({expression, positive_integer})}});
  Value expression_or_boolean = obj({{"oneOf", list({expression, obj({{"type", "boolean"}})})}});
  Value version = obj({{"anyOf", list({nonempty_string, positive_integer, positive_number})}});
  Value workflow_type = obj({{"enum", strings({"reverse", "direct"})}});
  Value string_or_one_key_dict = obj({{"oneOf", list({nonempty_string, one_key_dict})}});
  Value unique_string_or_one_key_dict_list =
      obj({{"type", "array"}, {"items", string_or_one_key_dict}, {"uniqueItems", true}, {"minItems", 1}});
  Value string_or_string_list = obj({{"oneOf", list({nonempty_string, unique_string_list})}});
};

// utils.merge_dicts(left, right, overwrite=False): right's keys missing in
// left appended, dicts in both merged.
Value merge_keep(const Value& left, const Value& right) {
  Dict out = left.as_dict();
  for (const auto& [k, v] : right.as_dict()) {
    const Value* l = out.find(k);
    if (!l)
      out.set(k, v);
    else if (l->is_dict() && v.is_dict())
      out.set(k, merge_keep(*l, v));
  }
  return Value(std::move(out));
}

// BaseSpec.get_schema(includes): `meta_required` is nullptr when 'meta' is
// not included.
Value full_schema(const Value& schema, const Value& meta_properties, const std::vector<std::string>* meta_required) {
  Dict out = schema.as_dict();
  const Value* props = out.find("properties");
  out.set("properties", merge_keep(props ? *props : Value(Dict{}), meta_properties));
  if (meta_required) {
    std::vector<std::string> names;
    if (const Value* r = out.find("required"))
      for (const Value& n : r->as_list()) names.push_back(n.as_string());
    for (const auto& n : *meta_required) names.push_back(n);
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    List req;
    for (const auto& n : names) req.emplace_back(n);
    out.set("required", Value(std::move(req)));
    if (names.size() > 1) out.set(kUnorderedRequired, true);
  }
  out.set("definitions", Value(Dict{}));
  return Value(std::move(out));
}

MistralSchemas build() {
  Types t;
  MistralSchemas s;
  // mistral/lang/v2/base.py BaseSpec._meta_schema
  Value v2_meta = obj({{"name", t.nonempty_string},
                       {"version", t.version},
                       {"description", t.nonempty_string},
                       {"tags", t.unique_string_list}});
  const std::vector<std::string> v2_required = {"name", "version"};
  const std::vector<std::string> none;

  // base.BaseListSpec (its meta schema is {'type': 'object'}).
  s.workflow_list = full_schema(obj({{"type", "object"},
                                     {"properties", obj({{"version", t.version}})},
                                     {"additionalProperties", t.nonempty_dict},
                                     {"required", strings({"version"})}}),
                                Value(Dict{}), &none);

  // v2/publish.py PublishSpec (get_schema without 'meta').
  s.publish = full_schema(
      obj({{"type", "object"},
           {"properties", obj({{"branch", t.nonempty_dict}, {"global", t.nonempty_dict}, {"atomic", t.nonempty_dict}})},
           {"additionalProperties", false}}),
      v2_meta, nullptr);

  // v2/on_clause.py
  Value next_task =
      obj({{"oneOf",
            list({obj({{"type", "string"}, {"pattern", "^\\S+$"}, {"description", "Task name (e.g.: `task1`)"}}),
                  obj({{"type", "string"},
                       {"pattern", "^\\w+ \\w+=(.*)$"},
                       {"description",
                        "Task name with dict parameter (e.g.: `fail msg=\"test\"`, `fail msg=<% task() %>`)"}}),
                  obj({{"type", "string"},
                       {"pattern", "^\\w+\\(\\w+=(.*)\\)$"},
                       {"description",
                        "Task name with func parameter (e.g.: `fail(msg=\"test\")`, `fail(msg=<% task() %>)`)"}})})}});
  Dict next_patterns;
  for (const Value& alt : next_task["oneOf"].as_list()) next_patterns.set(alt["pattern"].as_string(), t.expression);
  Value task_with_expression = obj({{"type", "object"},
                                    {"minProperties", 1},
                                    {"maxProperties", 1},
                                    {"patternProperties", Value(std::move(next_patterns))},
                                    {"description",
                                     "All next task variants plus expression (e.g.: `task1: <% $.vm_id != null %>`, "
                                     "`fail(msg=\"test\"): <% $.vm_id != null %>`)."}});
  Value list_of_tasks = obj({{"type", "array"},
                             {"items", obj({{"oneOf", list({next_task, task_with_expression})}})},
                             {"uniqueItems", true},
                             {"minItems", 1}});
  Value advanced_publishing =
      obj({{"type", "object"},
           {"minProperties", 1},
           {"properties", obj({{"publish", s.publish},
                               {"next", obj({{"oneOf", list({next_task, task_with_expression, list_of_tasks})}})}})},
           {"additionalProperties", false}});
  s.on_clause = full_schema(
      obj({{"oneOf", list({next_task, task_with_expression, list_of_tasks, advanced_publishing})}}), v2_meta, nullptr);

  // v2/retry_policy.py
  Value count_or_delay = obj({{"oneOf", list({t.expression, t.positive_integer})}});
  Value retry_dict = obj({{"type", "object"},
                          {"properties", obj({{"count", count_or_delay},
                                              {"break-on", t.expression},
                                              {"continue-on", t.expression},
                                              {"delay", count_or_delay}})},
                          {"required", strings({"delay", "count"})},
                          {"additionalProperties", false}});
  s.retry = full_schema(obj({{"oneOf", list({retry_dict, t.nonempty_string})}}), v2_meta, nullptr);

  // v2/tasks.py TaskSpec._schema, then Direct/ReverseWorkflowTaskSpec's
  // merged into it (merge_dicts overwriting: `type` becomes their own enum).
  // The policies after `retry`, in the order tasks and task-defaults list them.
  const std::vector<E> policies = {
      {"wait-before", t.expression_or_positive_integer}, {"wait-after", t.expression_or_positive_integer},
      {"timeout", t.expression_or_positive_integer},     {"pause-before", t.expression_or_boolean},
      {"concurrency", t.expression_or_positive_integer}, {"fail-on", t.expression_or_boolean}};
  auto task_properties = [&](const char* type) {
    std::vector<E> props{{"type", obj({{"enum", strings({type})}})},
                         {"action", t.nonempty_string},
                         {"workflow", t.nonempty_string},
                         {"input", obj({{"oneOf", list({t.nonempty_dict, t.nonempty_string})}})},
                         {"with-items", t.string_or_string_list},
                         {"publish", t.nonempty_dict},
                         {"publish-on-error", t.nonempty_dict},
                         {"retry", s.retry}};
    for (const E& p : policies) props.push_back(p);
    props.emplace_back("target", t.nonempty_string);
    props.emplace_back("keep-result", t.expression_or_boolean);
    props.emplace_back("safe-rerun", t.expression_or_boolean);
    return props;
  };
  Value action_or_workflow =
      list({obj({{"not", obj({{"type", "object"}, {"required", strings({"action", "workflow"})}})}}),
            obj({{"oneOf", list({obj({{"type", "object"}, {"required", strings({"action"})}}),
                                 obj({{"type", "object"}, {"required", strings({"workflow"})}})})}})});
  auto task_schema = [&](std::vector<E> props) {
    Dict p;
    for (auto& [k, v] : props) p.set(k, v);
    return full_schema(obj({{"type", "object"},
                            {"properties", Value(std::move(p))},
                            {"additionalProperties", false},
                            {"anyOf", action_or_workflow}}),
                       v2_meta, &v2_required);
  };
  std::vector<E> direct = task_properties("direct");
  direct.emplace_back("join", obj({{"oneOf", list({obj({{"enum", strings({"all", "one"})}}), t.positive_integer})}}));
  direct.emplace_back("on-complete", s.on_clause);
  direct.emplace_back("on-success", s.on_clause);
  direct.emplace_back("on-error", s.on_clause);
  s.direct_task = task_schema(direct);
  std::vector<E> reverse = task_properties("reverse");
  reverse.emplace_back("requires", t.string_or_string_list);
  s.reverse_task = task_schema(reverse);

  // v2/task_defaults.py (get_schema without 'meta').
  Dict defaults;
  defaults.set("retry", s.retry);
  for (const auto& [k, v] : policies) defaults.set(k, v);
  for (const char* k : {"on-complete", "on-success", "on-error"}) defaults.set(k, s.on_clause);
  defaults.set("safe-rerun", t.expression_or_boolean);
  defaults.set("requires", t.string_or_string_list);
  s.task_defaults = full_schema(
      obj({{"type", "object"}, {"properties", Value(std::move(defaults))}, {"additionalProperties", false}}), v2_meta,
      nullptr);

  const std::vector<std::string> workflow_required = {"tasks"};
  // v2/workflows.py: Direct/ReverseWorkflowSpec._schema (the same) with
  // WorkflowSpec._meta_schema, of which get_schema takes only properties
  // and required (not its additionalProperties: False).
  s.direct_workflow = full_schema(
      obj({{"properties", obj({{"tasks", obj({{"type", "object"},
                                              {"minProperties", 1},
                                              {"patternProperties", obj({{"^\\w+$", t.nonempty_dict}})}})}})}}),
      obj({{"type", t.workflow_type},
           {"task-defaults", t.nonempty_dict},
           {"input", t.unique_string_or_one_key_dict_list},
           {"output", t.nonempty_dict},
           {"output-on-error", t.nonempty_dict},
           {"vars", t.nonempty_dict},
           {"tags", t.unique_string_list}}),
      &workflow_required);

  // v2/actions.py
  s.action = full_schema(obj({{"type", "object"},
                              {"properties", obj({{"base", t.nonempty_string},
                                                  {"base-input", t.nonempty_dict},
                                                  {"input", t.unique_string_or_one_key_dict_list},
                                                  {"output", t.any_nullable}})},
                              {"required", strings({"base"})},
                              {"additionalProperties", false}}),
                         v2_meta, &v2_required);

  // v2/workbook.py
  Value v2_enum = obj({{"enum", list({Value("2.0"), Value(2.0)})}});
  Value section = obj({{"type", "object"},
                       {"minProperties", 1},
                       {"patternProperties", obj({{"^version$", v2_enum}, {"^(?!version$)[\\w-]+$", t.any}})},
                       {"additionalProperties", false}});
  s.workbook =
      full_schema(obj({{"type", "object"},
                       {"properties", obj({{"version", v2_enum}, {"actions", section}, {"workflows", section}})},
                       {"additionalProperties", false}}),
                  v2_meta, &v2_required);
  return s;
}

}  // namespace

const MistralSchemas& mistral_schemas() {
  static const MistralSchemas schemas = build();
  return schemas;
}

}  // namespace bora::lang::detail
