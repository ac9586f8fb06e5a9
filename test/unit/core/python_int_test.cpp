#include <catch2/catch.hpp>

#include <limits>

#include "bora/core/python_int.h"

using namespace bora;

namespace {
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
}  // namespace

TEST_CASE("integer arithmetic is exact while it fits int64, the nearest float beyond (never undefined)") {
  CHECK(python_int::add(2, 3) == Value(5));
  CHECK(python_int::add(kMax, 1) == Value(9223372036854775808.0));
  CHECK(python_int::add(kMax, 1).is_double());
  CHECK(python_int::sub(kMin + 1, 2).is_double());  // found by the jinja fuzz target
  CHECK(python_int::sub(-5, 3) == Value(-8));
  CHECK(python_int::mul(kMax, 2).is_double());
  CHECK(python_int::mul(-4, 5) == Value(-20));
  CHECK(python_int::neg(kMin) == Value(9223372036854775808.0));
  CHECK(python_int::neg(7) == Value(-7));
}

TEST_CASE("floor division and modulo follow Python's signs, INT64_MIN included") {
  CHECK(python_int::floor_div(7, 2) == Value(3));
  CHECK(python_int::floor_div(-7, 2) == Value(-4));
  CHECK(python_int::floor_div(7, -2) == Value(-4));
  CHECK(python_int::floor_mod(-7, 2) == Value(1));
  CHECK(python_int::floor_mod(7, -2) == Value(-1));
  CHECK(python_int::floor_div(kMin, -1) == Value(9223372036854775808.0));
  CHECK(python_int::floor_mod(kMin, -1) == Value(0));
}
