// core/python_unicode: Python's Unicode-aware str methods. A template's
// 'straße'.upper() is 'STRASSE' in Mistral, 'ǆ'.title() is 'ǅ', a final
// capital sigma lowers to 'ς', and '١٢٣'.isdigit() is true; both
// expression languages call these. The data comes from Python's own
// unicodedata (scripts/gen_unicode_tables.py), so the answers are the
// Python's that Mistral runs on. Text is UTF-8; a byte that is not part
// of a valid sequence is left as it is and belongs to no class.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bora {

// str.upper(), lower() (with the final-sigma rule), casefold(), title(),
// capitalize() (the first character in title case) and swapcase().
std::string python_upper(std::string_view s);
std::string python_lower(std::string_view s);
std::string python_casefold(std::string_view s);
std::string python_title(std::string_view s);
std::string python_capitalize(std::string_view s);
std::string python_swapcase(std::string_view s);

// The str predicates: false for the empty string, as in Python.
enum class PythonCharClass { Alpha, Decimal, Digit, Numeric, Alnum, Space };
bool python_str_is(std::string_view s, PythonCharClass c);
bool python_isupper(std::string_view s);
bool python_islower(std::string_view s);
bool python_istitle(std::string_view s);
// str.isidentifier(): an XID_Start character or '_', then XID_Continue ones.
bool python_isidentifier(std::string_view s);

// str.strip/lstrip/rstrip: `chars` is a set of characters (not bytes);
// without it, whitespace as str.isspace() sees it (U+00A0, U+3000 ...).
std::string_view python_strip(std::string_view s, const std::optional<std::string_view>& chars, bool left, bool right);

// str.isprintable() of one character: what repr() shows as itself.
bool python_isprintable(uint32_t code_point);

}  // namespace bora
