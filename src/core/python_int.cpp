#include "bora/core/python_int.h"

#include <cmath>
#include <limits>

namespace bora::python_int {

Value add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return Value(static_cast<double>(a) + static_cast<double>(b));
  return Value(r);
}

Value sub(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) return Value(static_cast<double>(a) - static_cast<double>(b));
  return Value(r);
}

Value mul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) return Value(static_cast<double>(a) * static_cast<double>(b));
  return Value(r);
}

Value neg(int64_t a) {
  if (a == std::numeric_limits<int64_t>::min()) return Value(-static_cast<double>(a));
  return Value(-a);
}

Value floor_div(int64_t a, int64_t b) {
  // The one quotient that does not fit: INT64_MIN // -1 is 2**63.
  if (b == -1) return neg(a);
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return Value(q);
}

Value floor_mod(int64_t a, int64_t b) {
  if (b == -1) return Value(int64_t{0});  // INT64_MIN % -1 is undefined in C++
  int64_t m = a % b;
  if (m != 0 && ((m < 0) != (b < 0))) m += b;
  return Value(m);
}

}  // namespace bora::python_int
