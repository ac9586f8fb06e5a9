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
// pecan's own error body, for a request no controller takes (a path no
// route has: 404; a method the path's routes lack: 405), as Mistral's API
// answers it: {"code": 404, "title": "Not Found", "description": null}.
// `description`: null, or "" where pecan's RestController refused it.
Response routing_error_response(int status, const Value& description);

}  // namespace bora::api
