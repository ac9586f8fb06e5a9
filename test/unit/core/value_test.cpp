#include <catch2/catch.hpp>

#include "bora/core/error.h"
#include "bora/core/value.h"
#include "bora/core/python_int.h"

using namespace bora;

TEST_CASE("a default Value is null and falsy") {
  Value v;
  CHECK(v.is_null());
  CHECK_FALSE(v.truthy());
  CHECK(std::string(v.type_name()) == "null");
}

TEST_CASE("copies share the payload and stay equal") {
  Value a = Value::list({1, "two", 3.5, true, nullptr});
  Value b = a;
  CHECK(a == b);
  CHECK(&a.as_list() == &b.as_list());
  CHECK(b.size() == 5);
  CHECK(b[1].as_string() == "two");
  CHECK(b[99].is_null());
}

TEST_CASE("a moved-from Value is null, not a dangling string") {
  Value a("text");
  Value b = std::move(a);
  CHECK(a.is_null());  // NOLINT(bugprone-use-after-move)
  CHECK(b.as_string() == "text");
}

TEST_CASE("dicts keep insertion order and replace in place") {
  Dict d;
  d.set("z", 1);
  d.set("a", 2);
  d.set("m", 3);
  d.set("a", 20);
  Value v(std::move(d));
  std::vector<std::string> keys;
  for (const auto& [k, x] : v.as_dict()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"z", "a", "m"});
  CHECK(v["a"].as_int() == 20);
  CHECK(v["missing"].is_null());
  CHECK(v.find("missing") == nullptr);
}

TEST_CASE("large dicts are indexed and still ordered") {
  Dict d;
  for (int i = 0; i < 5000; ++i) d.set("k" + std::to_string(i), i);
  for (int i = 0; i < 5000; i += 7) d.set("k" + std::to_string(i), -i);
  REQUIRE(d.size() == 5000);
  CHECK(d.find("k4999")->as_int() == 4999);
  CHECK(d.find("k4991")->as_int() == -4991);
  CHECK(d.at(0).first == "k0");
  CHECK(d.erase("k10"));
  CHECK_FALSE(d.contains("k10"));
  CHECK(d.find("k11")->as_int() == 11);
  CHECK(d.size() == 4999);
}

TEST_CASE("equality: numbers by value, bool apart, dicts ignore order") {
  CHECK(Value(1) == Value(1.0));
  CHECK(Value(true) != Value(1));
  CHECK(Value::dict({{"a", 1}, {"b", 2}}) == Value::dict({{"b", 2}, {"a", 1}}));
  CHECK(Value::list({1, 2}) != Value::list({2, 1}));
  CHECK(Value(1).hash() == Value(1.0).hash());
}

TEST_CASE("truthiness follows Python") {
  CHECK_FALSE(Value(0).truthy());
  CHECK_FALSE(Value(0.0).truthy());
  CHECK_FALSE(Value("").truthy());
  CHECK_FALSE(Value(List{}).truthy());
  CHECK_FALSE(Value(Dict{}).truthy());
  CHECK(Value("0").truthy());
  CHECK(Value::list({Value()}).truthy());
}

TEST_CASE("accessors refuse the wrong type with a clear error") {
  Value v("x");
  CHECK_THROWS_WITH(v.as_int(), "expected a int, got string");
  CHECK_THROWS_AS(v.as_dict(), BoraError);
  CHECK(Value(3).as_double() == 3.0);
}

TEST_CASE("with() returns a modified copy and leaves the original") {
  Value a = Value::dict({{"x", 1}});
  Value b = a.with("y", 2);
  CHECK(a.size() == 1);
  CHECK(b.size() == 2);
  CHECK(Value().with("k", "v")["k"].as_string() == "v");
}

TEST_CASE("Result carries a value or an error") {
  Result<int> ok(5);
  Result<int> bad(not_found("workflow 'x' not found"));
  CHECK(ok.ok());
  CHECK(*ok == 5);
  CHECK_FALSE(bad.ok());
  CHECK(bad.error().kind == ErrorKind::NotFound);
  CHECK_THROWS_AS(bad.value(), BoraError);
}

TEST_CASE("a big int is a Value: an int by name, a number, truthy, equal and hashed by its value") {
  Value big = *python_int::parse_decimal("12345678901234567890");
  CHECK(big.type() == Value::Type::BigInt);
  CHECK(std::string(big.type_name()) == "int");
  CHECK(big.is_integer());
  CHECK(big.is_number());
  CHECK_FALSE(big.is_int());  // int64 code never reads it as one
  CHECK(big.truthy());
  CHECK(big.as_double() == 12345678901234567890.0);
  Value same = python_int::add(*python_int::parse_decimal("12345678901234567889"), Value(1));
  CHECK(big == same);
  CHECK(big.hash() == same.hash());
  CHECK(big != Value(python_int::add(same, Value(1))));
  CHECK(Value::list({big}) == Value::list({same}));
  Value copy = big;  // shared, like a string
  CHECK(&copy.as_big_int() == &big.as_big_int());
}
