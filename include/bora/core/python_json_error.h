// core/python_json_error: why Python's json.loads refuses a text, in its
// words and at its position ("Expecting ',' delimiter: line 1 column 4
// (char 3)"), for the errors of Mistral's json_parse, which calls it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bora {

// The JSONDecodeError message Python's json module (its C scanner) gives
// for `text`, or nullopt when it would read it (NaN and Infinity included)
// or would stop with a RecursionError instead (nesting deeper than 1000):
// the caller then words the refusal itself.
std::optional<std::string> python_json_error(std::string_view text);

}  // namespace bora
