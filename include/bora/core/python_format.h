// core/python_format: how Python prints values. Mistral renders expression
// results inside strings with Python's str(), so Bora must print True, None,
// [1, 'a'], {'a': 1} and 0.30000000000000004 exactly as Python does.
#pragma once

#include <string>

#include "bora/core/value.h"

namespace bora {

// repr(float): shortest round-trip digits, fixed for 1e-4 <= |x| < 1e16,
// else scientific with a signed two-digit exponent; "inf", "nan".
std::string python_float_repr(double d);

// repr(str): single quotes unless the text has ' and no ", Python's escapes.
std::string python_string_repr(const std::string& s);
// repr(bytes) of these bytes: b'...', the same quote rule, printable ASCII
// as it is, \t \n \r, every other byte as \xNN.
std::string python_bytes_repr(const std::string& bytes);

// repr(value) and str(value) (str differs only for a top-level string).
std::string python_repr(const Value& v);
std::string python_str(const Value& v);
void append_python_repr(std::string& out, const Value& v);

// type(value).__name__ of the value json.loads would give ("list", "int",
// "NoneType"; a tuple's "tuple").
std::string python_type_name(const Value& v);

}  // namespace bora
