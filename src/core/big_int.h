// core/big_int (private to core): the payload of Python's ints beyond
// int64, a Boost.Multiprecision cpp_int. Only core's arithmetic
// (python_int.cpp) and this file's .cpp see Boost; everyone else handles
// such ints as Values through include/bora/core/python_int.h.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>

#include "bora/core/value.h"

namespace bora {

using BigInteger = boost::multiprecision::cpp_int;

// Immutable once made: Values share it like a string's payload.
struct BigIntPayload {
  BigInteger n;
};

namespace big_int {

// An int as a Value: Int when it fits int64 (every result is demoted, so a
// number has one form and int64 code paths stay the common case), BigInt
// otherwise.
Value make(BigInteger n);

// The integer a Value holds: Int, BigInt, or a Bool as 0/1 (Python's bool is
// an int). The caller checks the type.
BigInteger of(const Value& v);

}  // namespace big_int

}  // namespace bora
