#include "big_int.h"

#include <limits>

#include "bora/core/error.h"

namespace bora::big_int {

Value make(BigInteger n) {
  static const BigInteger kMin = std::numeric_limits<int64_t>::min();
  static const BigInteger kMax = std::numeric_limits<int64_t>::max();
  if (n >= kMin && n <= kMax) return Value(static_cast<int64_t>(n));
  return Value(std::make_shared<const BigIntPayload>(BigIntPayload{std::move(n)}));
}

BigInteger of(const Value& v) {
  if (v.is_int()) return BigInteger(v.as_int());
  if (v.is_big_int()) return v.as_big_int().n;
  if (v.is_bool()) return BigInteger(v.as_bool() ? 1 : 0);
  throw BoraError(ErrorKind::Internal, std::string("expected an int, got ") + v.type_name());
}

}  // namespace bora::big_int
