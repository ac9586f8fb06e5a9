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

}  // namespace bora::api
