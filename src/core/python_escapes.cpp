// core/python_escapes: CPython's unicode-escape decoder
// (_PyUnicode_DecodeUnicodeEscapeInternal in Objects/unicodeobject.c), as
// documented behaviour: the escapes, their errors and positions.
#include "bora/core/python_escapes.h"

#include <fmt/format.h>

#include "bora/core/ascii.h"
#include "bora/core/utf8.h"

namespace bora {

namespace {


// The bytes Python's codec sees: in Jinja's reading every non-ASCII
// character is its backslashreplace escape; positions count those bytes.
std::string codec_input(std::string_view text, bool backslash_replace) {
  if (!backslash_replace) return std::string(text);
  std::string out;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    std::string_view ch = utf8_character_at(text, i);
    size_t len = ch.empty() ? 1 : ch.size();
    uint32_t cp = c;
    auto b = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(text[i + k])); };
    if (len == 2) cp = ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    else if (len == 3) cp = ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    else if (len == 4) cp = ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
    if (cp < 0x100) out += fmt::format("\\x{:02x}", cp);
    else if (cp < 0x10000) out += fmt::format("\\u{:04x}", cp);
    else out += fmt::format("\\U{:08x}", cp);
    i += len;
  }
  return out;
}

Error decode_error(std::string_view in, size_t start, size_t end, const char* reason) {
  if (end - start <= 1)
    return bad_input(fmt::format("'unicodeescape' codec can't decode byte 0x{:02x} in position {}: {}",
                                 static_cast<unsigned char>(in[start]), start, reason));
  return bad_input(fmt::format("'unicodeescape' codec can't decode bytes in position {}-{}: {}", start, end - 1, reason));
}

}  // namespace

Result<std::string> python_unicode_escape_decode(std::string_view text, bool backslash_replace) {
  std::string in = codec_input(text, backslash_replace);
  std::string out;
  out.reserve(in.size());
  size_t i = 0;
  while (i < in.size()) {
    if (in[i] != '\\') {
      out += in[i++];
      continue;
    }
    size_t start = i++;
    if (i >= in.size()) return decode_error(in, start, i, "\\ at end of string");
    char c = in[i++];
    switch (c) {
      case '\n': continue;  // a line continuation
      case '\\': out += '\\'; continue;
      case '\'': out += '\''; continue;
      case '"': out += '"'; continue;
      case 'b': out += '\b'; continue;
      case 'f': out += '\f'; continue;
      case 't': out += '\t'; continue;
      case 'n': out += '\n'; continue;
      case 'r': out += '\r'; continue;
      case 'v': out += '\v'; continue;
      case 'a': out += '\a'; continue;
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
        uint32_t cp = static_cast<uint32_t>(c - '0');
        for (int k = 0; k < 2 && i < in.size() && in[i] >= '0' && in[i] <= '7'; ++k) cp = cp * 8 + static_cast<uint32_t>(in[i++] - '0');
        append_utf8(out, cp);
        continue;
      }
      case 'x': case 'u': case 'U': {
        int count = c == 'x' ? 2 : c == 'u' ? 4 : 8;
        const char* reason = c == 'x' ? "truncated \\xXX escape" : c == 'u' ? "truncated \\uXXXX escape"
                                                                          : "truncated \\UXXXXXXXX escape";
        uint32_t cp = 0;
        for (; count > 0; --count, ++i) {
          if (i >= in.size() || ascii_hex_value(in[i]) < 0) return decode_error(in, start, i, reason);
          cp = cp * 16 + static_cast<uint32_t>(ascii_hex_value(in[i]));
        }
        if (cp > 0x10FFFF) return decode_error(in, start, i, "illegal Unicode character");
        // A surrogate (U+D800..U+DFFF) is one character, alone or beside
        // its other half ('\ud83d\ude00' is two), as in Python's str; it
        // is held in its generalized UTF-8 form (core/utf8.h).
        append_utf8(out, cp);
        continue;
      }
      case 'N': {
        const char* malformed = "malformed \\N character escape";
        if (i >= in.size() || in[i] != '{') return decode_error(in, start, i, malformed);
        size_t close = in.find('}', i + 1);
        if (close == std::string::npos || close == i + 1) return decode_error(in, start, i + 1, malformed);
        auto cp = python_unicode_lookup(std::string_view(in).substr(i + 1, close - i - 1));
        if (!cp) return decode_error(in, start, close + 1, "unknown Unicode character name");
        append_utf8(out, *cp);
        i = close + 1;
        continue;
      }
      default:
        out += '\\';  // an unknown escape stays as written
        out += c;
        continue;
    }
  }
  return out;
}

}  // namespace bora
