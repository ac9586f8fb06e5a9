#include <catch2/catch.hpp>

#include "bora/core/json.h"
#include "bora/core/yaml.h"

using namespace bora;

static Value Y(const char* s) { return parse_yaml(s).value(); }

TEST_CASE("plain scalars resolve as PyYAML safe_load does") {
  CHECK(Y("yes").as_bool() == true);
  CHECK(Y("Off").as_bool() == false);
  CHECK(Y("~").is_null());
  CHECK(Y("null").is_null());
  CHECK(Y("42").as_int() == 42);
  CHECK(Y("-0x1F").as_int() == -31);
  CHECK(Y("017").as_int() == 15);
  CHECK(Y("0b101").as_int() == 5);
  CHECK(Y("1_000").as_int() == 1000);
  CHECK(Y("1:30").as_int() == 90);
  CHECK(Y("1.5").as_double() == 1.5);
  CHECK(Y("1.0e+3").as_double() == 1000.0);
  CHECK(Y("1e3").as_string() == "1e3");  // YAML 1.1 needs the dot
  CHECK(Y(".inf").as_double() > 1e308);
  CHECK(Y("'yes'").as_string() == "yes");
  CHECK(Y("\"42\"").as_string() == "42");
  CHECK(Y("2.0").is_double());
  CHECK(Y("<% $.x %>").as_string() == "<% $.x %>");
}

TEST_CASE("mappings keep order, sequences convert") {
  Value v = Y("b: 1\na: [x, 2, true]\nc:\n  d: null\n");
  CHECK(to_json(v) == R"({"b":1,"a":["x",2,true],"c":{"d":null}})");
}

TEST_CASE("bad YAML is refused with line and column") {
  auto r = parse_yaml("a: [1, 2\nb: 3\n");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("line"));
  CHECK_THAT(r.error().message, Catch::Contains("column"));
}
