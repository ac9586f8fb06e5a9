#include "bora/api/router.h"

#include <exception>

#include "bora/api/errors.h"
#include "bora/core/log.h"

namespace bora::api {

namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler) {
  std::vector<std::string> segs = split_path(pattern);
  for (auto& s : segs)
    if (s.size() >= 2 && s.front() == '{' && s.back() == '}') s = "{}";
  routes_.push_back({std::move(method), std::move(pattern), std::move(segs), std::move(handler)});
}

Response Router::dispatch(const Request& request) const {
  if (auto text = check_request_text(request); !text) return error_response(text.error());
  std::vector<std::string> segs = split_path(request.path);
  bool path_matched = false;
  for (const Route& route : routes_) {
    if (route.segments.size() != segs.size()) continue;
    PathParams params;
    bool match = true;
    for (size_t i = 0; i < segs.size() && match; ++i) {
      if (route.segments[i] == "{}") {
        params.push_back(segs[i]);
      } else if (route.segments[i] != segs[i]) {
        match = false;
      }
    }
    if (!match) continue;
    path_matched = true;
    if (route.method != request.method) continue;
    try {
      return route.handler(request, params);
    } catch (const BoraError& e) {
      if (e.kind() == ErrorKind::Internal) {
        log::error("api", "{} {} failed: {}", request.method, request.path, e.what());
      }
      return error_response(e.error());
    } catch (const std::exception& e) {
      log::error("api", "{} {} failed unexpectedly: {}", request.method, request.path, e.what());
      return error_response(500, std::string("Internal error while handling ") + request.method + " " +
                                     request.path + ": " + e.what());
    }
  }
  if (path_matched) {
    return error_response(405, "Method " + request.method + " is not allowed on " + request.path);
  }
  return error_response(404, "The resource could not be found: " + request.path);
}

std::vector<std::string> Router::describe() const {
  std::vector<std::string> out;
  for (const Route& r : routes_) out.push_back(r.method + " " + r.pattern);
  return out;
}

}  // namespace bora::api
