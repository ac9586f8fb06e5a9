// core/html_unescape: Python's html.unescape, which Jinja's striptags
// (markupsafe's Markup.unescape) applies to its result: every named
// (HTML5's 2 231, legacy ones without ';', the longest known prefix of an
// unknown name) and numeric (decimal, hexadecimal, with the standard's
// replacements) character reference replaced as Python does.
#pragma once

#include <string>
#include <string_view>

namespace bora {

std::string html_unescape(std::string_view s);

}  // namespace bora
