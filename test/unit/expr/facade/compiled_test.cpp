// The one delimiter finder, compiled templates and values, the explicit
// execution scope and the bounded template cache of the expression facade.
#include <catch2/catch.hpp>

#include "bora/expr/compiled.h"
#include "bora/expr/mistral_expressions.h"
#include "bora/expr/jinja/jinja.h"
#include "bora/expr/template_scan.h"
#include "bora/expr/yaql/yaql.h"

using namespace bora;
using namespace bora::expr;

TEST_CASE("the delimiter finder follows Mistral's one-line, non-greedy rules", "[expr][scan]") {
  CHECK(delimited_end("<% $.a %> tail", 0, kYaqlDelimiters) == 9);
  CHECK(delimited_end("{{ a }} b }}", 0, kJinjaExpressionDelimiters) == 7);
  CHECK(delimited_end("{{ a }} b }}", 0, kJinjaExpressionDelimiters, /*greedy=*/true) == 12);
  CHECK(delimited_end("<% a\n %>", 0, kYaqlDelimiters) == std::string_view::npos);
  CHECK(delimited_end("x<% a %>", 0, kYaqlDelimiters) == std::string_view::npos);
  CHECK(delimited_end("<%>", 0, kYaqlDelimiters) == std::string_view::npos);
  auto found = find_delimited("<% a\n<% b %>", kYaqlDelimiters);
  REQUIRE(found);
  CHECK(found->begin == 5);
  CHECK(found->end == 12);
}

TEST_CASE("a template scan finds the language, the parts and a lone expression", "[expr][scan]") {
  auto lone = scan_template("<% $.a %>");
  CHECK(lone.language == TemplateLanguage::Yaql);
  CHECK(lone.lone);
  REQUIRE(lone.yaql.size() == 1);
  CHECK(lone.yaql[0].expression == "$.a");

  auto two = scan_template("a <%  $.b %> and <%$.c%>!");
  CHECK(two.language == TemplateLanguage::Yaql);
  CHECK_FALSE(two.lone);
  REQUIRE(two.yaql.size() == 2);
  CHECK(two.yaql[0].expression == "$.b");
  CHECK(two.yaql[1].expression == "$.c");
  // Stripped as Python's str.strip() strips it: a no-break space too
  // (Mistral names `$.d` alone in its error texts).
  auto nbsp = scan_template("<%\u00a0$.d\u00a0%>");
  REQUIRE(nbsp.yaql.size() == 1);
  CHECK(nbsp.yaql[0].expression == "$.d");

  auto jinja = scan_template("{{ _.a }}");
  CHECK(jinja.language == TemplateLanguage::Jinja);
  CHECK(jinja.lone);
  auto block = scan_template("{% if true %}x{% endif %}");
  CHECK(block.language == TemplateLanguage::Jinja);
  CHECK_FALSE(block.jinja_expression);
  // Jinja is looked for first, whatever comes first in the string.
  auto mixed = scan_template("<% $.a %> {{ _.b }}");
  CHECK(mixed.language == TemplateLanguage::Jinja);
  CHECK(mixed.yaql.size() == 1);
  CHECK(scan_template("<% a\n%> {{ b\n}}").language == TemplateLanguage::None);
  CHECK_FALSE(has_expression("plain text, 50% off {x}"));
  CHECK(has_expression("x {% raw %}"));
}

TEST_CASE("the schema's EXPRESSION shape is not the evaluation rule", "[expr][scan]") {
  CHECK(expression_shaped("<% $.a %>"));
  CHECK(expression_shaped("<% $.a %> <% $.b %>  "));
  CHECK(expression_shaped("{{ _.a }}\n"));
  CHECK_FALSE(expression_shaped("x <% $.a %>"));
  CHECK_FALSE(expression_shaped("<% $.a\n %>"));
  CHECK_FALSE(expression_shaped("<%>"));
}

TEST_CASE("a compiled value evaluates its strings and keeps the rest", "[expr][compiled]") {
  MistralExpressions e;
  CompiledValue constant(Value::dict({{"a", "no expression"}, {"b", Value::list({1, "x"})}}));
  CHECK_FALSE(constant.has_expressions());
  CompiledValue v(Value::dict({{"<% key %>", "<% $.x %>"},
                               {"text", "x=<% $.x %>, y={{ 1 }}"},
                               {"jinja", Value::list({"{{ _.x + 1 }}", 7, "lit"})},
                               {"both", "x is <% $.x %>; <% $.x * 2 %>"}}));
  CHECK(v.has_expressions());
  CHECK(v["text"].as_string() == "x=<% $.x %>, y={{ 1 }}");  // still the value as written
  Value data = Value::dict({{"x", 5}});
  auto r = e.evaluate(v, data, ExpressionScope{});
  REQUIRE(r.ok());
  CHECK((*r)["<% key %>"] == Value(5));  // keys are never evaluated
  CHECK((*r)["text"] == Value("x=<% $.x %>, y=1"));  // Jinja first: the <% %> stays text
  CHECK((*r)["jinja"] == Value::list({6, 7, "lit"}));
  CHECK((*r)["both"] == Value("x is 5; 10"));
  // The same answers as the run-time (Value) path.
  auto dynamic = e.evaluate(static_cast<const Value&>(v), data, ExpressionScope{});
  REQUIRE(dynamic.ok());
  CHECK(*dynamic == *r);
}

TEST_CASE("a syntax error is kept and reported when evaluated, with the data", "[expr][compiled]") {
  MistralExpressions e;
  auto t = compile_template("<% $.a + %>");
  REQUIRE(t->yaql.size() == 1);
  CHECK(t->yaql[0].error);
  auto r = e.evaluate(CompiledValue(Value("<% $.a + %>")), Value::dict({{"a", 1}}), ExpressionScope{});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.starts_with("Can not evaluate YAQL expression [expression=$.a +, error="));
  CHECK(r.error().message.ends_with("data={'a': 1}]"));
  auto block = e.evaluate(CompiledValue(Value("{% if true %}x{% endif %}")), Value(Dict{}), ExpressionScope{});
  REQUIRE_FALSE(block.ok());
  CHECK(block.error().message.find("error=list index out of range") != std::string::npos);
  auto bad_jinja = compile_template("{{ 1 + }} x");
  CHECK(bad_jinja->jinja_error);
}

TEST_CASE("a structure nested too deeply is refused when evaluated", "[expr][compiled]") {
  Value v("<% 1 %>");
  for (int i = 0; i < kMaxEvaluatedDepth + 5; ++i) v = Value(List{v});
  MistralExpressions e;
  auto r = e.evaluate(CompiledValue(v), Value(), ExpressionScope{});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "the structure to evaluate is nested too deeply");
}

TEST_CASE("host functions read the scope handed to the evaluation", "[expr][scope]") {
  // The engines hand EvalContext::scope to every host call: nothing global.
  HostFunctions fns;
  fns.add("who", [](const HostCall& call) { return call.scope ? Value(call.scope->task_name) : Value(); });
  ExpressionScope a, b;
  a.task_name = "a";
  b.task_name = "b";
  Value data(Dict{});
  auto program = yaql::compile("who()");
  REQUIRE(program.ok());
  auto jinja = jinja::compile_expression(" who() ");
  REQUIRE(jinja.ok());
  for (const ExpressionScope* s : {&a, &b}) {
    EvalContext ctx{data, &fns, s};
    CHECK(yaql::evaluate(**program, ctx).value() == Value(s->task_name));
    CHECK(jinja::evaluate(**jinja, ctx).value() == Value(s->task_name));
  }
  EvalContext none{data, &fns};
  CHECK(yaql::evaluate(**program, none).value().is_null());

  // Mistral's env() and task() through the facade, one scope per call.
  MistralExpressions e;
  a.env = Value::dict({{"k", 1}});
  b.env = Value::dict({{"k", 2}});
  CompiledValue env(Value("<% env().k %>"));
  CHECK(e.evaluate(env, data, a).value() == Value(1));
  CHECK(e.evaluate(env, data, b).value() == Value(2));
  // A scope's lookup may evaluate again (with another scope) inside a call.
  a.task_lookup = [&](const std::string&) { return e.evaluate(env, data, b).value(); };
  a.task_execution_id = "id-a";
  CHECK(e.evaluate(CompiledValue(Value("<% task(x) %>")), Value::dict({{"x", "other"}}), a).value() == Value(2));
  CHECK(e.evaluate(CompiledValue(Value("{{ env().k }}")), data, a).value() == Value(1));
  // Mistral's env_(context) is context['__env']: the data context's key
  // first; without it and without an execution's env, yaql's context gives
  // None and Jinja's dict is Python's KeyError (Mistral 15's answers).
  ExpressionScope bare;
  Value with_env = Value::dict({{"__env", Value::dict({{"k", 3}})}});
  CHECK(e.evaluate(CompiledValue(Value("{{ env().k }}")), with_env, bare).value() == Value(3));
  CHECK(e.evaluate(CompiledValue(Value("<% env().k %>")), with_env, bare).value() == Value(3));
  CHECK(e.evaluate(CompiledValue(Value("<% env() %>")), Value::dict({}), bare).value().is_null());
  CHECK(e.evaluate(CompiledValue(Value("{{ env() }}")), Value::dict({{"a", 1}}), bare).error().message ==
        "Can not evaluate Jinja expression [expression={{ env() }}, error='__env', data={'a': 1}]");
  CHECK(e.evaluate(CompiledValue(Value("{{ env() }}")), Value(List{Value(1)}), bare).error().message ==
        "Can not evaluate Jinja expression [expression={{ env() }}, error=list indices must be integers or slices, "
        "not str, data=[1]]");
  CHECK(e.evaluate(CompiledValue(Value("{{ env() }}")), Value(5), bare).error().message ==
        "Can not evaluate Jinja expression [expression={{ env() }}, error='int' object is not subscriptable, data=5]");
}

TEST_CASE("compiled templates are shared by text, in a bounded cache", "[expr][cache]") {
  set_template_cache_entries(3);
  MistralExpressions e;
  for (int i = 0; i < 10; ++i) {
    auto r = e.evaluate(Value("<% " + std::to_string(i) + " %>"), Value(), ExpressionScope{});
    REQUIRE(r.ok());
    CHECK(*r == Value(i));
    CHECK(cached_templates() <= 3);
  }
  // Two parses of one text share one compiled template.
  set_template_cache_entries(kDefaultTemplateCacheEntries);
  CompiledValue a(Value("<% $.shared %>")), b(Value("<% $.shared %>"));
  CHECK(a.root()->tmpl == b.root()->tmpl);
  // Evaluating a compiled value compiles nothing more.
  size_t before = cached_templates();
  for (int i = 0; i < 5; ++i) CHECK(e.evaluate(a, Value::dict({{"shared", i}}), ExpressionScope{}).value() == Value(i));
  CHECK(cached_templates() == before);
  set_template_cache_entries(0);
  CHECK(cached_templates() == 0);
  CompiledValue c(Value("<% 2 %>"));
  CHECK(e.evaluate(c, Value(), ExpressionScope{}).value() == Value(2));
  CHECK(cached_templates() == 0);
  set_template_cache_entries(kDefaultTemplateCacheEntries);
}
