// api/content_negotiation: the media type an answer of Mistral's API is
// given in, chosen from the request's Accept header as Mistral's stack
// chooses it, and the bodies of the HTTP errors pecan raises itself.
//
// pecan exposes each controller with a set of media types and picks one by
// webob's RFC 7231 matching of Accept (a header it cannot match: 406 Not
// Acceptable, before the controller runs); WSME's controllers are exposed
// as XML and JSON, the definition uploads as text/plain, the validators as
// JSON. The errors pecan raises (no route 404, another method 405, 406, the
// redirect of /v2) are webob pages whose form (JSON, HTML or plain text)
// Accept decides too. Clients send `Accept: application/json` or nothing
// and get JSON; these rules matter to the others, who get what Mistral
// gives them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bora/api/http.h"

namespace bora::api {

// How a route's Mistral controller is exposed.
enum class Produces : uint8_t {
  Wsme,       // wsexpose: application/xml, text/xml, application/json (the default)
  PecanText,  // pecan.expose(content_type="text/plain"): definition POST/PUT
  PecanJson,  // pecan.expose('json'): the validators
  Own,        // a route of Bora's own (UI, metrics, health, events): no negotiation
};

// webob's Accept.acceptable_offers: the offers (media types without
// parameters) the header takes, best first (by q, then in the offers'
// order); a q of 0 refuses. No header, or one that does not parse as RFC
// 7231's Accept: every offer, in order.
std::vector<std::string> acceptable_offers(const std::string* accept, const std::vector<std::string>& offers);

// pecan's choice among the route's media types: "application/json",
// "application/xml", "text/xml" or "text/plain"; nullopt where pecan
// answers 406. Own routes: "".
std::optional<std::string> negotiate(const Request& request, Produces produces);

// An HTTP error pecan raises itself, answered as pecan and webob do:
// {"code", "title", "description"} when JSON is the client's best of
// text/plain, text/html and application/json, else webob's page (HTML,
// its own JSON or plain text, by Accept). `description`: the exception's
// detail (null, or "" where pecan's RestController raised it).
// 302 (with location), 404, 405 and 406 have webob's wording.
Response pecan_http_error(const Request& request, int status, const Value& description,
                          const std::string& location = "");

}  // namespace bora::api
