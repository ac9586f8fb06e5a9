// api/router: maps METHOD + path pattern ("/v2/workflows/{name}") to a
// handler. A handler returns a Response or throws BoraError; the router turns
// errors into Mistral's error bodies, so no handler formats an error itself.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "bora/api/http.h"

namespace bora::api {

using Handler = std::function<Response(const Request&, const PathParams&)>;

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler);
  // Dispatches; never throws.
  Response dispatch(const Request& request) const;
  // "GET /v2/workflows", ... for every route, in registration order.
  std::vector<std::string> describe() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;  // "{}" marks a parameter
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace bora::api
