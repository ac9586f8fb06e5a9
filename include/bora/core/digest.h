// core/digest: message digests Mistral exposes (a workflow definition's
// `checksum` is the MD5 hex digest of its text), computed with OpenSSL.
#pragma once

#include <string>
#include <string_view>

namespace bora {

std::string md5_hex(std::string_view data);     // 32 lower-case hex digits
std::string sha256_hex(std::string_view data);  // 64 lower-case hex digits

}  // namespace bora
