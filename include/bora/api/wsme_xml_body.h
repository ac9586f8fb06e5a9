// api/wsme_xml_body: a text/xml request body read as WSME's XML protocol
// reads Mistral's resources (wsme.rest.xml.fromxml), the other way of
// sending the JSON bodies of api/body_schema.h (WSME takes XML bodies as
// text/xml only; application/xml is its 415 "Unknown mimetype").
//
// The root element (any name) holds one element per attribute; elements the
// resource does not declare are ignored, as WSME does; nil="true" is null;
// a text attribute is the element's text ("" when empty), a boolean one
// true unless that text is "false" (any case), a JSON one (JsonType) its
// text read as JSON, an integer one its text as an int, a list of text the
// texts of its <item>s. What WSME fails on with a 500 (XML that does not
// parse, JSON text that does not, an integer that is not) is a 400 here
// naming the field. A DOCTYPE is refused (no entity of the client's is
// expanded) and elements nest at most 32 deep.
#pragma once

#include <string_view>

#include "bora/api/body_schema.h"
#include "bora/core/value.h"

namespace bora::api {

// The body as the JSON object json_body would have read; BoraError
// (BadInput) when it cannot be read.
Value wsme_xml_body(std::string_view xml, const BodySchema& schema);

}  // namespace bora::api
