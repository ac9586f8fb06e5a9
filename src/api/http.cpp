#include "bora/api/http.h"

#include <cctype>

#include "bora/core/utf8.h"

namespace bora::api {

const std::string* Request::header(std::string_view lower_name) const {
  auto it = headers.find(std::string(lower_name));
  return it == headers.end() ? nullptr : &it->second;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  std::optional<std::string> found;
  for (const auto& [k, v] : query)
    if (k == name) found = v;
  return found;
}

std::string Request::content_type() const {
  const std::string* ct = header("content-type");
  if (!ct) return "";
  std::string out;
  for (char c : *ct) {
    if (c == ';') break;
    if (!std::isspace(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

Result<void> check_request_text(const Request& request) {
  if (auto ok = check_utf8(request.path, "The request path (percent-decoded)", false); !ok) return ok;
  for (const auto& [name, value] : request.query) {
    if (auto ok = check_utf8(name, "A query parameter name (percent-decoded)", false); !ok) return ok;
    if (auto ok = check_utf8(value, "The query parameter '" + repair_utf8(name) + "' (percent-decoded)", false); !ok)
      return ok;
  }
  // Every header, not only those read today (X-Project-Id is stored, Host is
  // echoed in links): a header added later must not reopen the hole.
  for (const auto& [name, value] : request.headers) {
    if (auto ok = check_utf8(value, "The header " + name, false); !ok) return ok;
  }
  return check_utf8(request.body, "The request body");
}

}  // namespace bora::api
