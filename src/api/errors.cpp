#include "bora/api/errors.h"

#include "bora/core/json.h"

namespace bora::api {

int http_status(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::BadInput: return 400;
    case ErrorKind::NotFound: return 404;
    case ErrorKind::Conflict: return 409;
    case ErrorKind::Limit: return 413;
    case ErrorKind::MediaType: return 415;
    case ErrorKind::Unauthorized: return 401;
    case ErrorKind::Forbidden: return 403;
    case ErrorKind::Unavailable: return 503;
    case ErrorKind::Internal: return 500;
  }
  return 500;
}

Response error_response(int status, const std::string& message) {
  Response r;
  r.status = status;
  // WSME's fault body, which Mistral returns and the client parses.
  Dict body;
  body.set("faultcode", status >= 500 ? "Server" : "Client");
  body.set("faultstring", message);
  body.set("debuginfo", Value());
  r.body = to_json(Value(std::move(body)), JsonFormat::python());
  return r;
}

Response pecan_controller_error_response(const Error& error) {
  Response r;
  r.status = http_status(error.kind);
  r.body = to_json(Value::dict({{"faultstring", Value(error.message)}}), JsonFormat::python());
  return r;
}

Response error_response(const Error& error) { return error_response(http_status(error.kind), error.message); }

}  // namespace bora::api
