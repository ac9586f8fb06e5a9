// Parsing a definition compiles its expressions once: the spec fields the
// engine evaluates hold compiled values, the same Values as written.
#include <catch2/catch.hpp>

#include "bora/expr/compiled.h"
#include "bora/lang/parser.h"
#include "lang_test_util.h"

using namespace bora;
using namespace bora::lang;

namespace {

// The compiled template of a field that is one string.
const expr::CompiledTemplate* tmpl(const expr::CompiledValue& v) {
  return v.root() ? v.root()->tmpl.get() : nullptr;
}

}  // namespace

TEST_CASE("a parsed workflow's expressions come compiled", "[lang][compiled]") {
  auto r = parse_workflows(R"(version: '2.0'
wf:
  vars: {a: <% $.x %>, b: plain}
  output: {r: "{{ _.y }}"}
  tasks:
    t:
      action: <% $.name %> k=<% $.v %>
      input: {n: "n=<% $.n %>", lit: 3}
      with-items: i in <% $.items %>
      publish: {p: <% task().result %>}
      retry: {count: <% $.c %>, delay: 1}
      timeout: <% $.t %>
      keep-result: <% $.keep %>
      on-success:
        - u: <% $.ok %>
    u:
      workflow: sub
      input: <% $.all %>
)");
  INFO(lang::test::dump(r.problems()));
  REQUIRE(r.ok());
  const WorkflowSpec& wf = *r->workflows[0];
  CHECK(wf.vars.has_expressions());
  CHECK(wf.vars == Value::dict({{"a", "<% $.x %>"}, {"b", "plain"}}));  // the value as written
  CHECK(wf.output.has_expressions());
  const TaskSpec& t = *wf.task("t");
  REQUIRE(tmpl(t.name_expression));
  CHECK(tmpl(t.name_expression)->language == expr::TemplateLanguage::Yaql);
  CHECK(tmpl(t.name_expression)->lone);
  CHECK(t.input.has_expressions());
  CHECK(t.input == Value::dict({{"n", "n=<% $.n %>"}, {"lit", 3}, {"k", "<% $.v %>"}}));
  REQUIRE(t.with_items.size() == 1);
  CHECK(t.with_items[0].source.has_expressions());
  CHECK(t.publish.has_expressions());
  REQUIRE(t.policies.retry);
  CHECK(t.policies.retry->count.has_expressions());
  CHECK_FALSE(t.policies.retry->delay.has_expressions());
  CHECK(t.policies.timeout.has_expressions());
  CHECK(t.keep_result.has_expressions());
  REQUIRE(t.on_success);
  REQUIRE(t.on_success->next.size() == 1);
  CHECK(t.on_success->next[0].condition.has_expressions());
  const TaskSpec& u = *wf.task("u");
  CHECK_FALSE(u.name_expression.has_expressions());
  CHECK(u.input_expression.has_expressions());
  CHECK_FALSE(u.keep_result.has_expressions());
}

TEST_CASE("a syntax error is compiled into the spec, to be reported with the data", "[lang][compiled]") {
  auto r = parse_workflows("version: '2.0'\nwf:\n  tasks:\n    t:\n      publish: {x: <% $.a + %>}\n");
  REQUIRE(r.ok());  // the definition check (services) refuses it when stored
  const auto& x = r->workflows[0]->tasks[0].publish.root()->items.at(0);
  REQUIRE(x.tmpl);
  REQUIRE(x.tmpl->yaql.size() == 1);
  CHECK(x.tmpl->yaql[0].error);
}
