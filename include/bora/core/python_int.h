// core/python_int: Python's integer arithmetic on int64. Python's ints are
// unbounded; a Value's int is 64 bits, and C++'s signed overflow (and
// INT64_MIN / -1) is undefined behaviour, which an expression must never
// reach. Each operation gives the exact int when it fits and otherwise the
// nearest float, as Bora already reads a JSON integer beyond int64. Shared by
// the YAQL and Jinja2 evaluators.
#pragma once

#include <cstdint>

#include "bora/core/value.h"

namespace bora::python_int {

Value add(int64_t a, int64_t b);
Value sub(int64_t a, int64_t b);
Value mul(int64_t a, int64_t b);
Value neg(int64_t a);
// Floor division and modulo as Python's // and % (the result takes the
// divisor's sign). The caller refuses b == 0 with its language's message.
Value floor_div(int64_t a, int64_t b);
Value floor_mod(int64_t a, int64_t b);

}  // namespace bora::python_int
