#include <catch2/catch.hpp>

#include "bora/core/json.h"
#include "bora/core/python_format.h"

using namespace bora;

TEST_CASE("str() of values matches Python") {
  CHECK(python_str(Value(true)) == "True");
  CHECK(python_str(Value()) == "None");
  CHECK(python_str(Value::list({1, "a"})) == "[1, 'a']");
  CHECK(python_str(Value::dict({{"a", 1}})) == "{'a': 1}");
  CHECK(python_str(Value(0.1 + 0.2)) == "0.30000000000000004");
  CHECK(python_str(Value(1e17)) == "1e+17");
  CHECK(python_str(Value(2.0)) == "2.0");
  CHECK(python_str(Value("plain")) == "plain");
}

TEST_CASE("repr() of strings picks quotes and escapes as Python") {
  CHECK(python_string_repr("it's") == "\"it's\"");
  CHECK(python_string_repr("a'b\"c") == "'a\\'b\"c'");
  CHECK(python_string_repr("tab\there\n") == "'tab\\there\\n'");
  CHECK(python_string_repr("\x01") == "'\\x01'");
  CHECK(python_string_repr("h\xc3\xa9") == "'h\xc3\xa9'");
  CHECK(python_string_repr("back\\slash") == "'back\\\\slash'");
}

TEST_CASE("float repr chooses fixed or scientific at Python's limits") {
  CHECK(python_float_repr(1e16) == "1e+16");
  CHECK(python_float_repr(9999999999999998.0) == "9999999999999998.0");
  CHECK(python_float_repr(0.0001) == "0.0001");
  CHECK(python_float_repr(0.00012) == "0.00012");
  CHECK(python_float_repr(1.5e-5) == "1.5e-05");
  CHECK(python_float_repr(-0.0) == "-0.0");
  CHECK(python_float_repr(100.0) == "100.0");
  CHECK(python_float_repr(123.456) == "123.456");
}
