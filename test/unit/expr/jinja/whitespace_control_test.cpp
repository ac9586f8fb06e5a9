// A lone '-' inside a tag (`{{-}}`, found by the jinja fuzz target) was taken
// as both the strip-before and the strip-after mark, and the parser removed a
// character from an empty body. It is a syntax error (no expression), as in
// Jinja2, and the marks still work around a real body.
#include <catch2/catch.hpp>

#include "bora/expr/jinja/jinja.h"

using namespace bora;

TEST_CASE("whitespace control: a lone '-' in a tag is an error, not a crash") {
  for (const char* text : {"x {{-}}m'", "{{-}}", "{%-%}", "a {{--}} b", "{{ -}}"}) {
    INFO(text);
    CHECK_FALSE(expr::jinja::compile_template(text).ok());
  }
  Value data;
  expr::EvalContext ctx{data};
  auto t = expr::jinja::compile_template("a  {{- 1 -}}  b");
  REQUIRE(t.ok());
  auto v = expr::jinja::render(**t, ctx);
  REQUIRE(v.ok());
  CHECK(v->as_string() == "a1b");
}

TEST_CASE("an {% elif %} without a condition is a syntax error, not an escaped exception") {
  auto t = bora::expr::jinja::compile_template("{% if _.n %}yes{% elif %}no{% endif %}");
  CHECK_FALSE(t.ok());
  auto u = bora::expr::jinja::compile_template("{% if _.n %}yes{% elif _.a %} if _.n %}yes{% elif %}");
  CHECK_FALSE(u.ok());
}
