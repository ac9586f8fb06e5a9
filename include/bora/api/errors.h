// api/errors: the one place where an Error becomes an HTTP status and
// Mistral's error body {"faultcode", "faultstring", "debuginfo"}, which
// python-mistralclient reads (faultstring) to print the message.
#pragma once

#include "bora/api/http.h"
#include "bora/core/error.h"

namespace bora::api {

int http_status(ErrorKind kind) noexcept;
Response error_response(const Error& error);
Response error_response(int status, const std::string& message);
// The body of Mistral's wrap_pecan_controller_exception: the controllers
// pecan exposes as text/plain (definition POST and PUT of workflows,
// workbooks, actions and code sources) answer their errors as
// {"faultstring": "..."} alone, without WSME's faultcode and debuginfo.
Response pecan_controller_error_response(const Error& error);
// (pecan's own errors, for requests no controller takes: api/content_negotiation.h.)
}  // namespace bora::api
