// core/python_codecs: whether Python knows a text encoding by a name, as
// codecs.lookup finds one (lower case, encodings.normalize_encoding, the
// aliases of encodings.aliases, the modules of the encodings package).
// Bora encodes UTF-8 and ASCII only: this tells a name Python would use
// (Bora says it lacks it) from one Python refuses ("unknown encoding: x").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bora {

bool python_codec_exists(std::string_view encoding);

// str.encode('ascii')'s UnicodeEncodeError for this UTF-8 text, or nullopt
// when it is all ASCII. Python names the first run of characters it cannot
// encode, by position in characters: "'ascii' codec can't encode character
// '\xe9' in position 3: ordinal not in range(128)", or "... can't encode
// characters in position 1-2: ...".
std::optional<std::string> python_ascii_encode_error(std::string_view text);
// The same for UTF-8, which cannot encode a lone surrogate (core/utf8.h):
// "'utf-8' codec can't encode character '\ud800' in position 0: surrogates
// not allowed", or "characters in position 2-3" for a run of them; nullopt
// when the text has none.
std::optional<std::string> python_utf8_encode_error(std::string_view text);

}  // namespace bora
