#include "bora/core/python_int.h"

#include <algorithm>
#include <cctype>
#include <ios>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#include "big_int.h"

namespace bora::python_int {

namespace {

using big_int::make;
using big_int::of;

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

bool small(const Value& v) { return v.is_int() || v.is_bool(); }
int64_t small_of(const Value& v) { return v.is_int() ? v.as_int() : int64_t{v.as_bool()}; }

uint64_t bits_of(const BigInteger& n) {
  if (n == 0) return 0;
  return boost::multiprecision::msb(boost::multiprecision::abs(n)) + 1;
}

// m * 2**e (m >= 0) plus a nonzero fraction below m's last bit when sticky,
// rounded to the nearest double, ties to even, as CPython rounds int to
// float and int / int. nullopt when it overflows.
std::optional<double> round_to_double(BigInteger m, int64_t e, bool sticky) {
  uint64_t len = bits_of(m);
  if (len > 53) {
    uint64_t shift = len - 53;
    BigInteger low = m & ((BigInteger(1) << shift) - 1);
    BigInteger half = BigInteger(1) << (shift - 1);
    m >>= shift;
    e += static_cast<int64_t>(shift);
    if (low > half || (low == half && (sticky || (m & 1) != 0))) m += 1;
  }
  if (e + static_cast<int64_t>(bits_of(m)) > 1024) return std::nullopt;
  double r = std::ldexp(m.convert_to<double>(), static_cast<int>(std::max<int64_t>(e, -2000)));
  if (std::isinf(r)) return std::nullopt;
  return r;
}

Error overflow(const char* text) { return Error{ErrorKind::BadInput, text}; }

// Python's digits: 0-9, then letters (either case) for 10..35.
int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

// ---- int64 operands ---------------------------------------------------------

Value add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return make(BigInteger(a) + b);
  return Value(r);
}

Value sub(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) return make(BigInteger(a) - b);
  return Value(r);
}

Value mul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) return make(BigInteger(a) * b);
  return Value(r);
}

Value neg(int64_t a) {
  if (a == kMin) return make(-BigInteger(a));
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

// ---- integers of any size ---------------------------------------------------

Value add(const Value& a, const Value& b) {
  if (small(a) && small(b)) return add(small_of(a), small_of(b));
  return make(of(a) + of(b));
}

Value sub(const Value& a, const Value& b) {
  if (small(a) && small(b)) return sub(small_of(a), small_of(b));
  return make(of(a) - of(b));
}

Value mul(const Value& a, const Value& b) {
  if (small(a) && small(b)) return mul(small_of(a), small_of(b));
  return make(of(a) * of(b));
}

Value neg(const Value& a) {
  if (small(a)) return neg(small_of(a));
  return make(-of(a));
}

Value abs(const Value& a) { return sign(a) < 0 ? neg(a) : (a.is_bool() ? Value(small_of(a)) : a); }

Value floor_div(const Value& a, const Value& b) {
  if (small(a) && small(b)) return floor_div(small_of(a), small_of(b));
  BigInteger x = of(a), y = of(b);
  BigInteger q, r;
  boost::multiprecision::divide_qr(x, y, q, r);  // truncates toward zero
  if (r != 0 && ((r < 0) != (y < 0))) q -= 1;
  return make(std::move(q));
}

Value floor_mod(const Value& a, const Value& b) {
  if (small(a) && small(b)) return floor_mod(small_of(a), small_of(b));
  BigInteger x = of(a), y = of(b);
  BigInteger r = x % y;  // takes the dividend's sign
  if (r != 0 && ((r < 0) != (y < 0))) r += y;
  return make(std::move(r));
}

Value pow(const Value& a, const Value& b) {
  if (sign(b) < 0) throw BoraError(ErrorKind::Internal, "python_int::pow: a negative exponent makes a float");
  if (is_zero(b)) return Value(int64_t{1});
  if (small(a)) {
    int64_t x = small_of(a);
    if (x == 0 || x == 1) return Value(x);
    if (x == -1) return Value(floor_mod(b, Value(2)).as_int() == 0 ? int64_t{1} : int64_t{-1});
  }
  if (pow_result_bits(a, b) > (uint64_t{1} << 32))
    throw BoraError(ErrorKind::Limit, "the result of ** would have more than 2**32 bits");
  auto e = static_cast<uint64_t>(small_of(b));
  if (small(a)) {
    // Squaring in int64 while it fits; the rest in BigInteger.
    int64_t base = small_of(a), r = 1;
    uint64_t k = e;
    bool fits = true;
    while (k && fits) {
      if (k & 1) fits = !__builtin_mul_overflow(r, base, &r);
      k >>= 1;
      if (k && fits) fits = !__builtin_mul_overflow(base, base, &base);
    }
    if (fits) return Value(r);
  }
  return make(boost::multiprecision::pow(of(a), static_cast<unsigned>(e)));
}

Value pow_mod(const Value& a, const Value& b, const Value& m) {
  BigInteger modulus = boost::multiprecision::abs(of(m));
  BigInteger base = of(a) % modulus;
  if (base < 0) base += modulus;
  BigInteger r = boost::multiprecision::powm(base, of(b), modulus);
  if (sign(m) < 0 && r != 0) r -= modulus;
  return make(std::move(r));
}

Value round(const Value& a, int64_t ndigits) {
  if (ndigits >= 0) return a.is_bool() ? Value(small_of(a)) : a;
  // 10**k beyond a's size rounds everything to 0 (a 4 300-digit int is the
  // largest Python prints; its rounding needs no bigger power).
  if (-ndigits > static_cast<int64_t>(bit_length(a) / 3 + 2)) return Value(int64_t{0});
  BigInteger m = boost::multiprecision::pow(BigInteger(10), static_cast<unsigned>(-ndigits));
  BigInteger x = of(a);
  BigInteger r = x % m;
  if (r < 0) r += m;  // floor remainder
  BigInteger q = x - r;
  if (2 * r > m || (2 * r == m && ((q / m) & 1) != 0)) q += m;
  return make(std::move(q));
}

Value bit_and(const Value& a, const Value& b) {
  if (small(a) && small(b)) return Value(small_of(a) & small_of(b));
  return make(of(a) & of(b));
}

Value bit_or(const Value& a, const Value& b) {
  if (small(a) && small(b)) return Value(small_of(a) | small_of(b));
  return make(of(a) | of(b));
}

Value bit_xor(const Value& a, const Value& b) {
  if (small(a) && small(b)) return Value(small_of(a) ^ small_of(b));
  return make(of(a) ^ of(b));
}

Value invert(const Value& a) { return sub(neg(a), Value(1)); }

Result<Value> shift_left(const Value& a, const Value& b) {
  if (sign(b) < 0) return overflow("negative shift count");
  if (is_zero(a)) return Value(int64_t{0});
  if (b.is_big_int() || bit_length(a) + static_cast<uint64_t>(small_of(b)) > (uint64_t{1} << 32))
    return Error{ErrorKind::Limit, "the result of << would have more than 2**32 bits"};
  return make(of(a) << static_cast<unsigned>(small_of(b)));
}

Result<Value> shift_right(const Value& a, const Value& b) {
  if (sign(b) < 0) return overflow("negative shift count");
  if (b.is_big_int() || static_cast<uint64_t>(small_of(b)) >= bit_length(a))
    return Value(int64_t{sign(a) < 0 ? -1 : 0});
  auto k = static_cast<unsigned>(small_of(b));
  if (small(a)) return Value(small_of(a) >> k);  // arithmetic shift: floors
  BigInteger x = of(a);
  if (x >= 0) return make(x >> k);
  return make(-((-x - 1) >> k) - 1);  // Python floors negative shifts
}

bool is_zero(const Value& a) { return small(a) && small_of(a) == 0; }

int sign(const Value& a) {
  if (small(a)) return small_of(a) < 0 ? -1 : (small_of(a) > 0 ? 1 : 0);
  return a.as_big_int().n.sign();
}

uint64_t bit_length(const Value& a) {
  if (small(a)) {
    int64_t x = small_of(a);
    if (x == 0) return 0;
    uint64_t m = x < 0 ? static_cast<uint64_t>(-(x + 1)) + 1 : static_cast<uint64_t>(x);
    return 64 - static_cast<uint64_t>(__builtin_clzll(m));
  }
  return bits_of(a.as_big_int().n);
}

uint64_t pow_result_bits(const Value& a, const Value& b) {
  constexpr uint64_t kHuge = uint64_t{1} << 62;
  if (sign(b) <= 0) return 1;
  uint64_t base = bit_length(a);
  if (base <= 1) return 1;  // 0, 1, -1
  if (b.is_big_int()) return kHuge;
  auto e = static_cast<uint64_t>(small_of(b));
  if (e > kHuge / base) return kHuge;
  return base * e;
}

std::optional<int> compare(const Value& a, const Value& b) {
  auto cmp = [](const auto& x, const auto& y) { return x < y ? -1 : (y < x ? 1 : 0); };
  if (!a.is_double() && !b.is_double()) {
    if (small(a) && small(b)) return cmp(small_of(a), small_of(b));
    return cmp(of(a), of(b));
  }
  if (a.is_double() && b.is_double()) {
    double x = a.as_double(), y = b.as_double();
    if (std::isnan(x) || std::isnan(y)) return std::nullopt;
    return cmp(x, y);
  }
  // An int and a float, compared exactly (not by rounding the int).
  bool flipped = a.is_double();
  const Value& i = flipped ? b : a;
  double d = flipped ? a.as_double() : b.as_double();
  std::optional<int> r;
  constexpr int64_t kExact = int64_t{1} << 53;  // ints this small are exact doubles
  if (std::isnan(d)) return std::nullopt;
  if (std::isinf(d)) {
    r = d > 0 ? -1 : 1;
  } else if (small(i) && small_of(i) > -kExact && small_of(i) < kExact) {
    r = cmp(static_cast<double>(small_of(i)), d);
  } else {
    double fl = std::floor(d);
    auto whole = from_float(fl);  // finite: always an int
    int c = compare(i, *whole).value_or(0);
    r = c != 0 ? c : (fl == d ? 0 : -1);  // i == floor(d) < d
  }
  return flipped ? -*r : *r;
}

Result<double> to_float(const Value& a) {
  if (small(a)) return static_cast<double>(small_of(a));
  const BigInteger& n = a.as_big_int().n;
  auto r = round_to_double(boost::multiprecision::abs(n), 0, false);
  if (!r) return overflow("int too large to convert to float");
  return n < 0 ? -*r : *r;
}

double to_float_nearest(const Value& a) {
  auto r = to_float(a);
  if (r) return *r;
  return sign(a) < 0 ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
}

Result<double> true_div(const Value& a, const Value& b) {
  constexpr int64_t kExact = int64_t{1} << 53;
  auto exact = [&](const Value& v) { return small(v) && small_of(v) >= -kExact && small_of(v) <= kExact; };
  if (exact(a) && exact(b))
    return static_cast<double>(small_of(a)) / static_cast<double>(small_of(b));  // both exact: one rounding
  BigInteger x = boost::multiprecision::abs(of(a)), y = boost::multiprecision::abs(of(b));
  bool negative = (sign(a) < 0) != (sign(b) < 0);
  if (x == 0) return negative ? -0.0 : 0.0;
  // Scale so that the quotient has at least 55 bits: 53 kept, one to round
  // on, and the remainder says whether anything lies below.
  int64_t shift = 55 - (static_cast<int64_t>(bits_of(x)) - static_cast<int64_t>(bits_of(y)));
  if (shift > 0) x <<= static_cast<unsigned>(shift);
  else if (shift < 0) y <<= static_cast<unsigned>(-shift);
  BigInteger q, r;
  boost::multiprecision::divide_qr(x, y, q, r);
  auto d = round_to_double(std::move(q), -shift, r != 0);
  if (!d) return overflow("integer division result too large for a float");
  return negative ? -*d : *d;
}

Result<Value> from_float(double d) {
  if (std::isinf(d)) return overflow("cannot convert float infinity to integer");
  if (std::isnan(d)) return overflow("cannot convert float NaN to integer");
  d = std::trunc(d);
  if (d >= -9.2e18 && d <= 9.2e18) return Value(static_cast<int64_t>(d));
  int e = 0;
  double m = std::frexp(std::fabs(d), &e);  // |d| = m * 2**e, m in [0.5, 1)
  BigInteger n(static_cast<int64_t>(std::ldexp(m, 53)));
  n <<= static_cast<unsigned>(e - 53);  // |d| >= 2**63: e > 53
  return make(d < 0 ? BigInteger(-n) : n);
}

std::optional<Value> of_json(const Value& v) {
  if (v.is_bool()) return Value(int64_t{v.as_bool() ? 1 : 0});
  if (v.is_integer()) return v;
  if (v.is_double()) {
    auto n = from_float(v.as_double());
    return n ? std::optional<Value>(*n) : std::nullopt;
  }
  if (v.is_string()) {
    auto n = parse(v.as_string());
    return n && *n ? std::optional<Value>(**n) : std::nullopt;
  }
  return std::nullopt;
}

std::string to_text(const Value& a) {
  if (small(a)) return std::to_string(small_of(a));
  return a.as_big_int().n.str();
}

std::string magnitude_digits(const Value& a, int base, bool upper) {
  BigInteger n = of(a);
  if (n < 0) n = -n;
  if (n == 0) return "0";
  std::string out;
  if (base == 10) {
    out = n.str();
  } else if (base == 16 || base == 8) {
    out = n.str(0, base == 16 ? std::ios_base::hex : std::ios_base::oct);
    if (upper) for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  } else {
    for (auto bit = static_cast<int64_t>(boost::multiprecision::msb(n)); bit >= 0; --bit)
      out += boost::multiprecision::bit_test(n, static_cast<unsigned>(bit)) ? '1' : '0';
  }
  return out;
}

std::optional<std::string> str_digits_error(const Value& a) {
  // An int of n bits has floor((n - 1) * log10(2)) + 1 digits or one more:
  // only near the limit are the digits counted (converting a huge int to
  // text is itself the quadratic work Python's limit avoids).
  if (small(a)) return std::nullopt;
  double digits = static_cast<double>(bit_length(a) - 1) * 0.30102999566398120;
  if (digits + 2 < kMaxStrDigits) return std::nullopt;
  if (digits < kMaxStrDigits + 2 && to_text(a).size() - (sign(a) < 0 ? 1 : 0) <= kMaxStrDigits)
    return std::nullopt;
  return "Exceeds the limit (" + std::to_string(kMaxStrDigits) +
         " digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit";
}

Result<std::optional<Value>> parse(std::string_view text, int base) {
  std::optional<Value> none;
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (base != 0 && (base < 2 || base > 36)) return none;
  // A prefix: base 0 takes its base from it; 16, 8 and 2 allow their own.
  bool prefixed = false;
  if (text.size() >= 2 && text[0] == '0') {
    char p = static_cast<char>(text[1] | 0x20);
    int prefix_base = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 0;
    if (prefix_base != 0 && (base == 0 || base == prefix_base)) {
      base = prefix_base;
      prefixed = true;
      text.remove_prefix(2);
    }
  }
  bool base_zero_decimal = base == 0;
  if (base == 0) base = 10;
  // Underscores only between digits (or right after a prefix).
  std::string digits;
  digits.reserve(text.size());
  bool after_underscore = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '_') {
      if (after_underscore || (digits.empty() && !prefixed)) return none;
      after_underscore = true;
      continue;
    }
    if (digit_value(c) >= base) return none;
    digits += c;
    after_underscore = false;
  }
  if (digits.empty() || after_underscore) return none;
  // Base 0 refuses a decimal with leading zeros ("010"), except zero itself.
  if (base_zero_decimal && digits.size() > 1 && digits[0] == '0' &&
      digits.find_first_not_of('0') != std::string::npos)
    return none;
  if ((base & (base - 1)) != 0 && digits.size() > kMaxStrDigits)
    return Error{ErrorKind::BadInput, "Exceeds the limit (" + std::to_string(kMaxStrDigits) +
                                          " digits) for integer string conversion: value has " +
                                          std::to_string(digits.size()) +
                                          " digits; use sys.set_int_max_str_digits() to increase the limit"};
  BigInteger n = 0;
  if ((base & (base - 1)) == 0) {
    // A power of two: the digits are bits, packed into words and imported
    // at once (linear, as CPython; Python sets no limit on these).
    unsigned per_digit = static_cast<unsigned>(__builtin_ctz(static_cast<unsigned>(base)));
    std::vector<uint64_t> words((digits.size() * per_digit + 63) / 64, 0);
    size_t bit = 0;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it, bit += per_digit) {
      auto d = static_cast<uint64_t>(digit_value(*it));
      words[bit / 64] |= d << (bit % 64);
      if (bit % 64 + per_digit > 64) words[bit / 64 + 1] |= d >> (64 - bit % 64);
    }
    boost::multiprecision::import_bits(n, words.begin(), words.end(), 64, false);
    return std::optional<Value>(make(negative ? BigInteger(-n) : n));
  }
  // Up to 15 digits at a time in an int64, then folded into the BigInteger.
  int64_t chunk = 0, scale = 1;
  bool big = false;
  for (char c : digits) {
    chunk = chunk * base + digit_value(c);
    scale *= base;
    if (scale > (int64_t{1} << 56) / 36) {
      n = big ? n * scale + chunk : BigInteger(chunk);
      big = true;
      chunk = 0;
      scale = 1;
    }
  }
  if (!big) return std::optional<Value>(Value(negative ? -chunk : chunk));
  if (scale > 1) n = n * scale + chunk;
  return std::optional<Value>(make(negative ? BigInteger(-n) : n));
}

std::optional<Value> parse_decimal(std::string_view digits) {
  std::string_view d = digits;
  if (!d.empty() && d.front() == '-') d.remove_prefix(1);
  if (d.empty() || d.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  auto r = parse(digits, 10);
  if (!r) return std::nullopt;
  return *r;
}

size_t hash(const Value& a) { return std::hash<double>{}(to_float_nearest(a)); }

}  // namespace bora::python_int
