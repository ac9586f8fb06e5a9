// api/wsme_xml: an answer of a WSME controller in XML, for a client whose
// Accept prefers application/xml or text/xml (api/content_negotiation.h).
// Bora's resources build Mistral's JSON; this writes the same document as
// WSME's XML renderer (wsme.rest.xml) does from Mistral's typed resources,
// with the types read off the JSON: an object at the top or in a list is a
// resource (its attributes become elements, a list's items <item>), an
// object-valued attribute is Mistral's JsonType (json.dumps of it as text)
// except the execution report's nested resources; null is nil="true".
// Written as ElementTree's tostring does (US-ASCII, other characters as
// &#N; references, empty elements as <x />).
#pragma once

#include <string>

#include "bora/api/http.h"

namespace bora::api {

// r (a JSON answer of a WSME route) rewritten in XML, with content_type
// (application/xml or text/xml; charset=UTF-8). A fault body
// {"faultcode", "faultstring", "debuginfo"} becomes WSME's <error>; an
// empty body (204) is left as it is.
void render_wsme_xml(Response& r, const std::string& media_type);

}  // namespace bora::api
