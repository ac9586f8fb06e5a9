#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "bora/core/json.h"
#include "bora/core/python_format.h"
#include "bora/core/python_int.h"

using namespace bora;

namespace {
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

// An int from its decimal text (the expected values below are Python's).
Value integer(const std::string& digits) { return *python_int::parse_decimal(digits); }
std::string text(const Value& v) { return python_int::to_text(v); }
}  // namespace

TEST_CASE("int64 arithmetic is exact past int64, as Python's unbounded ints (never undefined)") {
  CHECK(python_int::add(2, 3) == Value(5));
  CHECK(text(python_int::add(kMax, 1)) == "9223372036854775808");
  CHECK(python_int::add(kMax, 1).is_big_int());
  CHECK(text(python_int::sub(kMin + 1, 2)) == "-9223372036854775809");  // found by the jinja fuzz target
  CHECK(python_int::sub(-5, 3) == Value(-8));
  CHECK(text(python_int::mul(kMax, 2)) == "18446744073709551614");
  CHECK(python_int::mul(-4, 5) == Value(-20));
  CHECK(text(python_int::neg(kMin)) == "9223372036854775808");
  CHECK(python_int::neg(7) == Value(-7));
}

TEST_CASE("floor division and modulo follow Python's signs, INT64_MIN and big ints included") {
  CHECK(python_int::floor_div(7, 2) == Value(3));
  CHECK(python_int::floor_div(-7, 2) == Value(-4));
  CHECK(python_int::floor_div(7, -2) == Value(-4));
  CHECK(python_int::floor_mod(-7, 2) == Value(1));
  CHECK(python_int::floor_mod(7, -2) == Value(-1));
  CHECK(text(python_int::floor_div(kMin, -1)) == "9223372036854775808");
  CHECK(python_int::floor_mod(kMin, -1) == Value(0));
  Value big = python_int::mul(integer("-7000000000000000000000000000000"), Value(1));
  CHECK(text(python_int::floor_div(big, Value(3))) == "-2333333333333333333333333333334");
  CHECK(python_int::floor_mod(big, Value(3)) == Value(2));
  CHECK(text(python_int::floor_div(python_int::neg(big), Value(-3))) == "-2333333333333333333333333333334");
  CHECK(python_int::floor_mod(python_int::pow(Value(2), Value(100)), Value(-7)) == Value(-5));
}

TEST_CASE("a big int that fits int64 again is an Int: each number has one form") {
  Value big = python_int::add(kMax, 1);
  REQUIRE(big.is_big_int());
  Value back = python_int::sub(big, Value(1));
  CHECK(back.is_int());
  CHECK(back.as_int() == kMax);
  CHECK(python_int::floor_div(python_int::mul(big, big), big) == big);
  CHECK(integer("9223372036854775807").is_int());
  CHECK(integer("-9223372036854775808").is_int());
  CHECK(integer("-9223372036854775809").is_big_int());
}

TEST_CASE("pow, abs and the bit operations on big ints are Python's") {
  CHECK(text(python_int::pow(Value(2), Value(100))) == "1267650600228229401496703205376");
  CHECK(python_int::pow(Value(3), Value(4)) == Value(81));
  CHECK(python_int::pow(Value(-1), integer("100000000000000000000001")) == Value(-1));
  CHECK(python_int::pow(Value(1), integer("100000000000000000000000")) == Value(1));
  CHECK(python_int::pow(Value(5), Value(0)) == Value(1));
  CHECK(python_int::pow(Value(2), Value(true)) == Value(2));  // Python's True is 1
  CHECK(python_int::pow_result_bits(Value(2), Value(true)) == 2);
  CHECK_THROWS_AS(python_int::pow(Value(2), integer("100000000000000000000000")), BoraError);
  CHECK(text(python_int::abs(integer("-9223372036854775809"))) == "9223372036854775809");
  Value m = python_int::neg(python_int::pow(Value(2), Value(70)));  // -2**70
  CHECK(python_int::bit_and(m, Value(0xffff)) == Value(0));
  CHECK(text(python_int::bit_or(m, Value(5))) == "-1180591620717411303419");
  CHECK(text(python_int::bit_xor(python_int::neg(m), Value(-1))) == "-1180591620717411303425");
  CHECK(text(python_int::invert(python_int::neg(m))) == "-1180591620717411303425");
  CHECK(text(*python_int::shift_right(python_int::sub(m, Value(3)), Value(3))) == "-147573952589676412929");
  CHECK(text(*python_int::shift_left(Value(3), Value(70))) == "3541774862152233910272");
  CHECK(python_int::shift_left(Value(1), Value(-1)).error().message == "negative shift count");
  CHECK(python_int::bit_length(m) == 71);
}

TEST_CASE("ints and floats compare exactly, as Python compares them") {
  Value p53 = python_int::pow(Value(2), Value(53));
  CHECK(python_int::compare(python_int::add(p53, Value(1)), Value(9007199254740992.0)) == 1);
  CHECK(Value(python_int::add(p53, Value(1))) != Value(9007199254740992.0));
  CHECK(p53 == Value(9007199254740992.0));
  Value p64 = python_int::pow(Value(2), Value(64));
  CHECK(p64 == Value(18446744073709551616.0));
  CHECK(p64.hash() == Value(18446744073709551616.0).hash());  // dict keys and sets
  CHECK(python_int::compare(python_int::pow(Value(2), Value(63)), Value(9.3e18)) == -1);
  CHECK(python_int::compare(python_int::pow(Value(10), Value(400)), Value(std::numeric_limits<double>::infinity())) == -1);
  CHECK(python_int::compare(Value(1.5), python_int::add(kMax, 1)) == -1);
  CHECK_FALSE(python_int::compare(p64, Value(std::nan(""))).has_value());
  CHECK(python_int::compare(integer("-100000000000000000000"), integer("-99999999999999999999")) == -1);
  CHECK(python_int::add(kMax, 1) == python_int::add(kMax, 1));
  CHECK(python_int::add(kMax, 1) != python_int::add(kMax, 2));
}

TEST_CASE("int to float rounds as Python and refuses what is too large with Python's text") {
  CHECK(*python_int::to_float(python_int::pow(Value(2), Value(100))) == 1.2676506002282294e+30);
  Value near_max = python_int::sub(python_int::sub(python_int::pow(Value(2), Value(1024)),
                                                   python_int::pow(Value(2), Value(970))), Value(1));
  CHECK(*python_int::to_float(near_max) == 1.7976931348623157e+308);
  auto too_large = python_int::to_float(python_int::add(near_max, Value(1)));  // rounds up to 2**1024
  REQUIRE_FALSE(too_large);
  CHECK(too_large.error().message == "int too large to convert to float");
  CHECK(*python_int::true_div(python_int::pow(Value(3), Value(40)), python_int::pow(Value(7), Value(25))) ==
        0.00906565501629835);
  CHECK(*python_int::true_div(Value(1), python_int::pow(Value(10), Value(400))) == 0.0);
  CHECK(*python_int::true_div(python_int::add(python_int::pow(Value(2), Value(80)), Value(1)),
                              python_int::pow(Value(2), Value(27))) == 9007199254740992.0);
  CHECK(python_int::true_div(python_int::pow(Value(10), Value(400)), Value(3)).error().message ==
        "integer division result too large for a float");
  CHECK(text(*python_int::from_float(1e300)).substr(0, 30) == "100000000000000005250476025520");
  CHECK(*python_int::from_float(-2.5) == Value(-2));
  CHECK(python_int::from_float(std::numeric_limits<double>::infinity()).error().message ==
        "cannot convert float infinity to integer");
}

TEST_CASE("int(text, base) reads what Python's int() reads") {
  auto read = [](std::string_view t, int base) -> std::string {
    auto r = python_int::parse(t, base);
    if (!r) return "error";
    return *r ? python_int::to_text(**r) : "invalid";
  };
  CHECK(read(" -1_000_000_000_000_000_000_000 ", 10) == "-1000000000000000000000");
  CHECK(read("0x_ff", 16) == "255");
  CHECK(read("0b101", 0) == "5");
  CHECK(read("zzzzzzzzzzzzzzzzzzzz", 36) == "13367494538843734067838845976575");
  CHECK(read("010", 0) == "invalid");
  CHECK(read("000", 0) == "0");
  CHECK(read("1__0", 10) == "invalid");
  CHECK(read("_10", 10) == "invalid");
  CHECK(read("10_", 10) == "invalid");
  CHECK(read("12a", 10) == "invalid");
  CHECK(read("", 10) == "invalid");
  CHECK(read(std::string(4301, '9'), 10) == "error");
  CHECK(python_int::parse(std::string(4301, '9'), 10).error().message ==
        "Exceeds the limit (4300 digits) for integer string conversion: value has 4301 digits; use "
        "sys.set_int_max_str_digits() to increase the limit");
  CHECK(read(std::string(4300, '9'), 10) == std::string(4300, '9'));
  CHECK(python_int::str_digits_error(*python_int::parse_decimal(std::string(4300, '9'))) == std::nullopt);
  CHECK(python_int::str_digits_error(python_int::pow(Value(10), Value(4300))).has_value());
}

TEST_CASE("str() and repr() of an int refuse more than 4 300 digits, as Python's; JSON writes every digit") {
  Value big = python_int::pow(Value(10), Value(4300));  // 4 301 digits
  CHECK_THROWS_WITH(python_str(big), Catch::Contains("Exceeds the limit (4300 digits) for integer string conversion"));
  CHECK(python_str(python_int::sub(big, Value(1))) == std::string(4300, '9'));
  CHECK(to_json(Value::list({big})).size() == 4303);
}
