#include "bora/core/error.h"

namespace bora {

const char* to_string(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::BadInput: return "bad input";
    case ErrorKind::NotFound: return "not found";
    case ErrorKind::Conflict: return "conflict";
    case ErrorKind::Limit: return "limit exceeded";
    case ErrorKind::MediaType: return "unsupported media type";
    case ErrorKind::Unauthorized: return "unauthorized";
    case ErrorKind::Forbidden: return "forbidden";
    case ErrorKind::Unavailable: return "unavailable";
    case ErrorKind::Internal: return "internal error";
  }
  return "error";
}

}  // namespace bora
