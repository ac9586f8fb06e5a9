// api/request_conversion: a request as Beast parsed it -> the handlers' plain
// Request (path and query decoded, headers lower-cased, the caller's project
// and roles). Separate from server.h, which stays free of Beast, so that the
// HTTP fuzz target (test/fuzz/http_router.cpp) drives exactly the conversion
// the server uses.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>

#include "bora/api/http.h"
#include "bora/api/server.h"
#include "bora/core/error.h"

namespace bora::api {

// base_url: "http://host:port" as the Host header (or the listen address) says.
Result<Request> to_request(const boost::beast::http::request<boost::beast::http::string_body>& req,
                           const ServerOptions& opts, const std::string& base_url);

}  // namespace bora::api
