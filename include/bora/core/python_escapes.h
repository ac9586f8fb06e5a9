// core/python_escapes: the escapes of a string literal as Python reads
// them ('\u00e9', '\x41', '\101', '\N{BULLET}', '\n' ...). Both expression
// languages decode their literals with Python's 'unicode-escape' codec:
// Jinja the whole literal, yaql each escape its lexer matched.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bora/core/error.h"

namespace bora {

// codecs.decode(text, 'unicode-escape') for UTF-8 text: the escapes
// decoded, an unknown one (\q) kept as written, `\` before a line break
// dropped; an error is Python's UnicodeDecodeError text ("'unicodeescape'
// codec can't decode bytes in position 0-1: truncated \xXX escape").
// `backslash_replace`: Jinja's reading, which first writes every non-ASCII
// character as its \x, \u or \U escape, so a backslash before one leaves
// that escape's text ('\é' reads '\xe9').
Result<std::string> python_unicode_escape_decode(std::string_view text, bool backslash_replace = false);

// unicodedata.lookup(name) without named sequences: the code point named
// (case-insensitive, aliases too), or nothing.
std::optional<uint32_t> python_unicode_lookup(std::string_view name);

}  // namespace bora
