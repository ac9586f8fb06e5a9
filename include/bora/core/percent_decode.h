// core/percent_decode: RFC 3986's %XX decoding, for the parts of URLs Bora
// reads itself (a transport or database URL's user, password and names) and
// form bodies (`plus_as_space`: application/x-www-form-urlencoded's '+').
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bora {

// A '%' not followed by two hex digits stays as written (as WebOb and
// kombu read it).
std::string percent_decode(std::string_view s, bool plus_as_space = false);
// nullopt when a '%' is not followed by two hex digits.
std::optional<std::string> percent_decode_strict(std::string_view s);

}  // namespace bora
