// truncate with lengths at the ends of int64 and a negative leeway (found by
// the jinja fuzz target: `length + leeway` overflowed, and a negative leeway
// made it copy past the end of the text). Expected values follow Jinja2's
// do_truncate: Python ints do not overflow and slices clamp.
#include <catch2/catch.hpp>

#include "bora/expr/jinja/jinja.h"

using namespace bora;

namespace {

std::string render(const std::string& text) {
  Value data;
  expr::EvalContext ctx{data};
  auto t = expr::jinja::compile_template(text);
  REQUIRE(t.ok());
  auto v = expr::jinja::render(**t, ctx);
  REQUIRE(v.ok());
  return v->as_string();
}

}  // namespace

TEST_CASE("truncate: lengths at the ends of int64 neither overflow nor read past the text") {
  CHECK(render("{{ 'abc de' | truncate(9223372036854775807) }}") == "abc de");
  CHECK(render("{{ 'abc de' | truncate(-9223372036854775807 - 1) }}") == "...");
  CHECK(render("{{ 'abc de' | truncate(9223372036854775807, leeway=9223372036854775807) }}") == "abc de");
  // len 6 > 100 - 1000: cut to 97 characters, which is the whole text.
  CHECK(render("{{ 'abc de' | truncate(100, leeway=-1000) }}") == "abc...");
  CHECK(render("{{ 'abc de' | truncate(100, true, '!', -1000) }}") == "abc de!");
}
