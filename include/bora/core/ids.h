// core/ids: identifiers. Mistral's ids are random UUIDs in canonical text
// form (8-4-4-4-12 lowercase hex).
#pragma once

#include <string>
#include <string_view>

namespace bora {

// A random (version 4) UUID, e.g. "0f1e2d3c-4b5a-4697-8877-665544332211".
std::string generate_uuid();

// True when s is a UUID in canonical form (any version, either case).
bool is_uuid(std::string_view s) noexcept;

}  // namespace bora
