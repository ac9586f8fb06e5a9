#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "bora/core/json.h"
#include "bora/core/python_format.h"

using namespace bora;

static Value J(const char* s) { return parse_json(s).value(); }

TEST_CASE("JSON round-trips every type, keeping key order") {
  const char* text = R"({"z":1,"a":[true,false,null,"s",2.5],"m":{"x":-3}})";
  CHECK(to_json(J(text)) == text);
}

TEST_CASE("JSON integers stay integers, big ones stay exact in int64") {
  CHECK(J("9223372036854775807").as_int() == INT64_MAX);
  CHECK(J("-9223372036854775808").as_int() == INT64_MIN);
  CHECK(to_json(J("18446744073709551615")) == "18446744073709551615");
  CHECK(J("2").is_int());
  CHECK(J("2.0").is_double());
  CHECK(to_json(J("2.0")) == "2.0");
}

TEST_CASE("floats print as Python's repr and round-trip") {
  CHECK(to_json(Value(0.1 + 0.2)) == "0.30000000000000004");
  CHECK(to_json(Value(1e17)) == "1e+17");
  CHECK(to_json(Value(1e16)) == "1e+16");
  CHECK(to_json(Value(1e15)) == "1000000000000000.0");
  CHECK(to_json(Value(0.0001)) == "0.0001");
  CHECK(to_json(Value(0.00001)) == "1e-05");
  CHECK(to_json(Value(-2.5e-300)) == "-2.5e-300");
  for (double d : {1.0 / 3, 123456.789, 5e-324, 1.7976931348623157e308}) {
    CHECK(J(to_json(Value(d)).c_str()).as_double() == d);
  }
  CHECK(to_json(Value(std::nan(""))) == "NaN");
  CHECK(std::isinf(J("Infinity").as_double()));
}

TEST_CASE("unicode survives; ensure_ascii escapes like Python") {
  Value v = J(R"("héllo \u2603 \ud83d\ude00")");
  CHECK(v.as_string() == "h\xc3\xa9llo \xe2\x98\x83 \xf0\x9f\x98\x80");
  CHECK(to_json(v) == "\"h\xc3\xa9llo \xe2\x98\x83 \xf0\x9f\x98\x80\"");
  CHECK(to_json(v, JsonFormat::python()) == R"("h\u00e9llo \u2603 \ud83d\ude00")");
  CHECK(to_json(Value("a\"b\\c\n\x01")) == R"("a\"b\\c\n\u0001")");
}

TEST_CASE("Python spacing and indent match json.dumps") {
  Value v = J(R"({"a":[1,2],"b":{}})");
  CHECK(to_json(v, JsonFormat::python()) == R"({"a": [1, 2], "b": {}})");
  JsonFormat pretty;
  pretty.indent = 4;
  CHECK(to_json(v, pretty) == "{\n    \"a\": [\n        1,\n        2\n    ],\n    \"b\": {}\n}");
  JsonFormat sorted = JsonFormat::python();
  sorted.sort_keys = true;
  CHECK(to_json(J(R"({"b":1,"a":2})"), sorted) == R"({"a": 2, "b": 1})");
}

TEST_CASE("bad JSON is refused with the offset") {
  auto r = parse_json(R"({"a": })");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::BadInput);
  CHECK_THAT(r.error().message, Catch::Contains("offset 6"));
  CHECK_FALSE(parse_json("").ok());
  CHECK_FALSE(parse_json("[1,2] x").ok());
  CHECK_FALSE(parse_json("\"\xff\"").ok());
}

TEST_CASE("deep nesting is refused with a clear error, not a crash") {
  std::string deep(100000, '[');
  auto r = parse_json(deep);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("nested deeper than 1000"));
  std::string ok = std::string(500, '[') + std::string(500, ']');
  CHECK(parse_json(ok).ok());
}

TEST_CASE("JSON numbers convert as Python's json does, on any input (no undefined behaviour)") {
  // "0e308" sent RapidJSON's own conversion into __builtin_clzll(0).
  CHECK(J("0e308") == Value(0.0));
  CHECK(J("[1, 2.5, -0.0, 0e308, -9223372036854775808]") ==
        Value::list({Value(1), Value(2.5), Value(-0.0), Value(0.0), Value(INT64_MIN)}));
  CHECK(J("9223372036854775807") == Value(INT64_MAX));
  CHECK(J("9223372036854775808").is_big_int());  // beyond int64: exact, as Python's json
  CHECK(J("-0") == Value(0));
  CHECK(J("0.1").as_double() == 0.1);
  // RapidJSON refuses an exponent this large before Bora sees the number;
  // Bora sets it aside and reads it as Python does: inf.
  CHECK(J("1e400").as_double() == std::numeric_limits<double>::infinity());
  CHECK(J("1e-400").as_double() == 0.0);
  CHECK(J("2.2250738585072011e-308").as_double() == 2.2250738585072011e-308);
  CHECK(std::isnan(J("NaN").as_double()));
  CHECK(J("-Infinity").as_double() == -std::numeric_limits<double>::infinity());
  CHECK_FALSE(parse_json("01").ok());
  CHECK_FALSE(parse_json("1.").ok());
  CHECK_FALSE(parse_json("-").ok());
}

TEST_CASE("JSON integers beyond int64 come back exact, as Python's json keeps them") {
  const std::string doc = "{\"a\": 12345678901234567890, \"b\": [-99999999999999999999999, 9223372036854775808]}";
  Value v = J(doc.c_str());
  CHECK(v["a"].is_big_int());
  CHECK(v["b"][0].is_big_int());
  CHECK(to_json(v, JsonFormat{.python_spacing = true}) == doc);
  CHECK(to_json(J("[-9223372036854775809]")) == "[-9223372036854775809]");
  // RapidJSON refuses a number above the largest double (309 digits and
  // more) before Bora sees its text; Python's json reads up to 4 300.
  const std::string digits(308, '7');
  CHECK(to_json(J(digits.c_str())) == digits);
  CHECK_FALSE(parse_json(std::string(4301, '7')).ok());
}

TEST_CASE("JSON numbers RapidJSON cannot scan read as Python's json reads them") {
  // Python: an int of any size (up to 4 300 digits) stays exact; 1e400 is
  // inf, -1e400 -inf, 1e-400 0.0.
  std::string big = "1" + std::string(400, '0');
  Value v = parse_json("{\"x\": " + big + ", \"y\": [-" + big + "]}").value();
  // (compared as booleans: Catch would print the long texts slowly)
  CHECK((v.as_dict().find("x")->is_big_int() && python_str(*v.as_dict().find("x")) == big));
  CHECK((python_str(v.as_dict().find("y")->as_list()[0]) == "-" + big));
  CHECK_FALSE(parse_json("0" + big).ok());  // JSON's grammar still holds for a long number
  CHECK_FALSE(parse_json("[1" + std::string(400, '0') + "., 1]").ok());
  CHECK(std::isinf(J("1e400").as_double()));
  CHECK(J("-1E+400").as_double() == -std::numeric_limits<double>::infinity());
  CHECK(J("1e-400").as_double() == 0.0);
  CHECK(J("[1.5e308, 2e308]").as_list()[1].as_double() == std::numeric_limits<double>::infinity());
  // The mark that stands for a set-aside number means nothing else, in a
  // string or as a number of the input.
  const char* mark = "-0.000000000000000000000000000000000000000000000000000000000000001";
  CHECK(J((std::string("[\"") + mark + "0\", 1e400]").c_str()).as_list()[0].as_string() == std::string(mark) + "0");
  CHECK(J((std::string("[") + mark + "0, 1e400]").c_str()).as_list()[0].as_double() == std::stod(std::string(mark) + "0"));
  CHECK(J((std::string("[") + mark + "0, 1e400]").c_str()).as_list()[1].as_double() == std::numeric_limits<double>::infinity());
}
