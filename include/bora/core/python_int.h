// core/python_int: Python's int arithmetic, shared by the YAQL and Jinja2
// evaluators. Python's ints are unbounded: a result stays an int64 Value
// while it fits (the fast path: checked int64 arithmetic) and becomes a
// BigInt Value beyond (core/big_int, Boost.Multiprecision); a BigInt result
// that fits again is demoted, so each number has exactly one form. C++'s
// signed overflow (and INT64_MIN / -1) never happens here.
//
// "An integer" below is a Value that is_integer() (Int or BigInt); the
// functions taking Values also accept a Bool as 0/1, as Python's bool is an
// int. Errors that Python raises come back as Result errors carrying
// Python's own text (the evaluators wrap them in their language's message).
// Work on huge ints is the caller's to budget (expr/budget: EvalBudget::
// integer_op charges by operand size before the operation runs).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bora/core/error.h"
#include "bora/core/value.h"

namespace bora::python_int {

// CPython's sys.int_info.default_max_str_digits: Python refuses to convert
// an int of more decimal digits to or from text (the conversion is
// quadratic), with the texts of str_digits_error / parse.
constexpr size_t kMaxStrDigits = 4300;

// int64 operands (the evaluators' common case).
Value add(int64_t a, int64_t b);
Value sub(int64_t a, int64_t b);
Value mul(int64_t a, int64_t b);
Value neg(int64_t a);
// Floor division and modulo as Python's // and % (the result takes the
// divisor's sign). The caller refuses b == 0 with its language's message.
Value floor_div(int64_t a, int64_t b);
Value floor_mod(int64_t a, int64_t b);

// Integer operands of any size.
Value add(const Value& a, const Value& b);
Value sub(const Value& a, const Value& b);
Value mul(const Value& a, const Value& b);
Value neg(const Value& a);
Value abs(const Value& a);
// b != 0 (the caller refuses 0 with its language's message: is_zero).
Value floor_div(const Value& a, const Value& b);
Value floor_mod(const Value& a, const Value& b);
// a ** b for b >= 0 (a negative exponent makes a float: the caller's). The
// caller has budgeted the result (pow_result_bits); an exponent that cannot
// be budgeted at all (a result beyond 2**32 bits) is an ErrorKind::Limit.
Value pow(const Value& a, const Value& b);
// pow(a, b, m) for b >= 0 and m != 0: Python's three-argument pow (the
// result takes m's sign). Square-and-multiply on operands below m.
Value pow_mod(const Value& a, const Value& b, const Value& m);
// round(a, ndigits) for ndigits < 0: to a multiple of 10**-ndigits, ties
// to even, exact (Python's int.__round__; ndigits >= 0 gives a back).
Value round(const Value& a, int64_t ndigits);
// Bitwise operations on Python's infinite two's complement.
Value bit_and(const Value& a, const Value& b);
Value bit_or(const Value& a, const Value& b);
Value bit_xor(const Value& a, const Value& b);
Value invert(const Value& a);  // ~a == -a - 1
// a << b, a >> b; b < 0 is Python's "negative shift count".
Result<Value> shift_left(const Value& a, const Value& b);
Result<Value> shift_right(const Value& a, const Value& b);

bool is_zero(const Value& a);
// -1, 0 or 1.
int sign(const Value& a);
// Bits of |a| (Python's int.bit_length()).
uint64_t bit_length(const Value& a);
// How many bits a ** b needs at most (saturating; b >= 0), for budgeting
// before computing.
uint64_t pow_result_bits(const Value& a, const Value& b);

// Python's exact comparison of two numbers (Int, BigInt, Double, Bool):
// -1, 0, 1, or nullopt when a NaN makes them unordered. 2**53 + 1 > 2.0**53.
std::optional<int> compare(const Value& a, const Value& b);

// float(a): the nearest double, or Python's OverflowError text.
Result<double> to_float(const Value& a);
// The nearest double, infinity beyond (for code that has no error to give).
double to_float_nearest(const Value& a);
// a / b (true division) of two ints, correctly rounded as Python's; b != 0.
Result<double> true_div(const Value& a, const Value& b);
// int(d): truncated toward zero, exact; Python's texts for inf and nan.
Result<Value> from_float(double d);
// int(v) of a JSON value as WSME's IntegerType reads one: an int as it is,
// a bool 0 or 1, a float truncated, decimal text parsed; nullopt for what
// int() refuses (other text, null, a list or dict, inf and nan).
std::optional<Value> of_json(const Value& v);

// str(a) / repr(a): the decimal digits. Never fails (JSON and YAML writers
// use it); where Python would refuse more than kMaxStrDigits digits, check
// str_digits_error first. This is the hook for %d and friends.
std::string to_text(const Value& a);
// The digits of |a| in base 2, 8, 10 or 16 (lower case unless `upper`),
// without sign or prefix: what %x / {:b} / {:,d} lay out.
std::string magnitude_digits(const Value& a, int base, bool upper = false);
// Python's ValueError text when a has more than kMaxStrDigits digits.
std::optional<std::string> str_digits_error(const Value& a);
// int(text, base) as Python reads it: surrounding whitespace, a sign,
// underscores between digits, base 0 (the literal's prefix decides) or
// 2..36 (with 0b/0o/0x allowed for 2/8/16). nullopt when the text is not an
// int in that base; a Result error for more than kMaxStrDigits digits.
Result<std::optional<Value>> parse(std::string_view text, int base = 10);
// Decimal digits with an optional leading '-' (JSON's integers, YAML's
// plain ints): the Value, or nullopt when it is not such text.
std::optional<Value> parse_decimal(std::string_view digits);

// Equal integers hash equal, and an int hashes as the double equal to it.
size_t hash(const Value& a);

}  // namespace bora::python_int
