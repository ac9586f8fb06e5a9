#include "bora/api/http.h"

#include <cctype>

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

}  // namespace bora::api
