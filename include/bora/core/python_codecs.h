// core/python_codecs: whether Python knows a text encoding by a name, as
// codecs.lookup finds one (lower case, encodings.normalize_encoding, the
// aliases of encodings.aliases, the modules of the encodings package).
// Bora encodes UTF-8 and ASCII only: this tells a name Python would use
// (Bora says it lacks it) from one Python refuses ("unknown encoding: x").
#pragma once

#include <string_view>

namespace bora {

bool python_codec_exists(std::string_view encoding);

}  // namespace bora
