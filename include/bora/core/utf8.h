// core/utf8: the two UTF-8 operations the expression engines need: writing
// a code point, and splitting a string into its characters (Python's view
// of a str as a sequence).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bora {

void append_utf8(std::string& out, uint32_t code_point);

// One string per character (code point); bytes of a broken sequence stay
// one character each.
std::vector<std::string> utf8_characters(std::string_view s);

// How many characters utf8_characters(s) would give, without building them
// (len() of a long string must not cost memory).
size_t utf8_length(std::string_view s);

}  // namespace bora
