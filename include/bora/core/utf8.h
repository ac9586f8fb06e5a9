// core/utf8: the UTF-8 operations Bora needs: writing a code point, splitting
// a string into its characters (Python's view of a str as a sequence), and
// the one strict validity check every entry point uses, with Python's
// decode(errors='replace') for text Bora did not choose (action output).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bora/core/error.h"
#include "bora/core/value.h"

namespace bora {

void append_utf8(std::string& out, uint32_t code_point);

// One string per character (code point); bytes of a broken sequence stay
// one character each.
std::vector<std::string> utf8_characters(std::string_view s);

// The byte offset of the first byte that is not part of a well-formed UTF-8
// sequence, or npos. Strict as Python's decoder: no overlong forms, no
// surrogates (U+D800..U+DFFF, which a lone "\udc00" JSON escape produces),
// nothing above U+10FFFF.
size_t find_invalid_utf8(std::string_view s);
inline bool is_valid_utf8(std::string_view s) { return find_invalid_utf8(s) == std::string_view::npos; }

// The text with each maximal ill-formed subsequence replaced by U+FFFD: the
// same characters Python's bytes.decode('utf-8', errors='replace') shows.
// Valid text comes back unchanged.
std::string repair_utf8(std::string_view s);

// Python's str can hold a lone surrogate (U+D800..U+DFFF), which only an
// escape makes: '\ud800' in a YAQL or Jinja string, "\ud800" in JSON or a
// double-quoted YAML scalar; and Python's unicode-escape keeps the two
// halves of an escaped pair ('\ud83d\ude00') as two characters. Bora holds
// such a character in its three-byte generalized UTF-8 form (ED A0..BF
// 80..BF, as WTF-8 and CESU-8 do), so len(), slicing and every character
// operation see what Python sees. That form is "text" but not UTF-8: raw
// input (request bodies, definitions, headers) is still checked strictly,
// as Python's decoder refuses those bytes; every writer (JSON, YAML, repr)
// escapes a surrogate again, so nothing Bora sends or stores as JSON holds
// them raw.
bool is_surrogate_at(std::string_view s, size_t i);
// find_invalid_utf8 that lets surrogates through.
size_t find_invalid_text(std::string_view s);
inline bool is_valid_text(std::string_view s) { return find_invalid_text(s) == std::string_view::npos; }
// repair_utf8 that keeps surrogates.
std::string repair_text(std::string_view s);

// The value with repair_text applied to every string and key inside it;
// the same (shared) value when there is nothing to repair.
Value repair_text_strings(const Value& v);

// Where a byte offset is, 1-based, as an editor shows it (columns count
// characters, not bytes).
struct TextPosition {
  size_t line = 1;
  size_t column = 1;
};
TextPosition text_position(std::string_view text, size_t offset);

// BadInput when `text` is not valid UTF-8: "<what> is not valid UTF-8: byte
// 0xff at offset 12 (line 2, column 3); ..." (line and column when
// `with_position`: for text a user edits, not for names or header values).
Result<void> check_utf8(std::string_view text, std::string_view what, bool with_position = true);
// How many characters utf8_characters(s) would give, without building them
// (len() of a long string must not cost memory).
size_t utf8_length(std::string_view s);

// The byte length of the whitespace character at `i` as Python's str.isspace()
// (and `\s` in a str pattern) sees it: ASCII space, \t \n \v \f \r, U+001C..U+001F,
// U+0085, U+00A0 (no-break space), U+1680, U+2000..U+200A, U+2028, U+2029, U+202F,
// U+205F, U+3000; 0 when the character there is not whitespace.
size_t python_space_at(std::string_view s, size_t i);

// The character (its whole UTF-8 sequence, or the one byte of a broken one)
// that starts at byte `i`: what an error message quotes, never half a character.
std::string_view utf8_character_at(std::string_view s, size_t i);
// The code point of one character's UTF-8 sequence (utf8_character_at's);
// 0 for an empty one.
uint32_t utf8_code_point(std::string_view ch);

}  // namespace bora
