// core/python_float: Python's float(text), which both languages call
// (Jinja's float and int filters, yaql's float()). Unlike std::stod it
// takes surrounding Unicode whitespace and `_` between digits, and refuses
// C's extras (hex floats, a trailing word).
#pragma once

#include <optional>
#include <string_view>

namespace bora::python_float {

// The float Python's float(text) gives, or nullopt where Python raises
// ValueError ("could not convert string to float").
std::optional<double> from_text(std::string_view text);

}  // namespace bora::python_float
