// truncate with lengths at the ends of int64 and a negative leeway (found by
// the jinja fuzz target: `length + leeway` overflowed, and a negative leeway
// made it copy past the end of the text). Expected values follow Jinja2's
// do_truncate: Python ints do not overflow, and its assertions refuse a
// length shorter than the end text and a negative leeway.
#include <catch2/catch.hpp>

#include "bora/expr/jinja/jinja.h"

using namespace bora;

namespace {

Result<Value> try_render(const std::string& text) {
  Value data;
  expr::EvalContext ctx{data};
  auto t = expr::jinja::compile_template(text);
  REQUIRE(t.ok());
  return expr::jinja::render(**t, ctx);
}

std::string render(const std::string& text) {
  auto v = try_render(text);
  REQUIRE(v.ok());
  return v->as_string();
}

}  // namespace

TEST_CASE("truncate: lengths at the ends of int64 neither overflow nor read past the text") {
  CHECK(render("{{ 'abc de' | truncate(9223372036854775807) }}") == "abc de");
  CHECK(render("{{ 'abc de' | truncate(9223372036854775807, leeway=9223372036854775807) }}") == "abc de");
  CHECK(render("{{ 'abc de' | truncate(3, leeway=0) }}") == "...");
  // Jinja's asserts, in its words (Mistral answers with the error).
  auto shortest = try_render("{{ 'abc de' | truncate(-9223372036854775807 - 1) }}");
  REQUIRE_FALSE(shortest.ok());
  CHECK_THAT(shortest.error().message, Catch::Contains("expected length >= 3, got -9223372036854775808"));
  auto negative = try_render("{{ 'abc de' | truncate(100, leeway=-1000) }}");
  REQUIRE_FALSE(negative.ok());
  CHECK_THAT(negative.error().message, Catch::Contains("expected leeway >= 0, got -1000"));
}
