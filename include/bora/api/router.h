// api/router: maps METHOD + path pattern ("/v2/workflows/{name}") to a
// handler. A handler completes its Responder (api/responder.h), now or
// later (after an engine commit); a handler that returns its Response at
// once is added with add(). A handler may throw BoraError before it hands
// its work on; the router turns errors into Mistral's error bodies, so no
// handler formats an error itself.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "bora/api/content_negotiation.h"
#include "bora/api/http.h"
#include "bora/api/responder.h"

namespace bora::api {

// Answers at once (a read, a definition stored by a service).
using Handler = std::function<Response(const Request&, const PathParams&)>;
// Answers through the responder, possibly from another thread once the
// work is done; it must copy what it needs of the request.
using AsyncHandler = std::function<void(const Request&, const PathParams&, Responder)>;

// Each route says how Mistral exposes it (Produces): before the handler
// runs, the router negotiates the answer's media type from Accept as pecan
// does (406 when none fits) and renders a WSME answer in XML when the
// client prefers it; Bora's own routes (Produces::Own) answer as they are.
class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler, Produces produces = Produces::Wsme);
  void add_async(std::string method, std::string pattern, AsyncHandler handler, Produces produces = Produces::Wsme);
  // add() for a route Mistral serves with a pecan-exposed text/plain
  // controller (Produces::PecanText): a BoraError it throws is answered
  // with that controller's error body (pecan_controller_error_response,
  // api/errors.h).
  void add_pecan_controller(std::string method, std::string pattern, Handler handler);
  // A route whose last {param} takes the rest of the path, slashes included
  // ("/ui/{path}" matches /ui/a/b.js with "a/b.js"): files and client-side
  // routes of the web UI (Produces::Own).
  void add_tail(std::string method, std::string pattern, Handler handler);
  // Dispatches; never throws. The responder is completed exactly once, by
  // the router (no route, an error thrown) or by the handler.
  void dispatch(const Request& request, Responder responder) const;
  // "GET /v2/workflows", ... for every route, in registration order.
  std::vector<std::string> describe() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;  // "{}" marks a parameter
    AsyncHandler handler;
    bool tail = false;  // add_tail: the last parameter takes the rest
    Produces produces = Produces::Wsme;
  };
  // pecan's Allow header of a 405: the methods of the collection's routes
  // and of its items' ("DELETE, GET, POST, PUT").
  std::string allowed_methods(const std::vector<std::string>& collection) const;
  // Negotiates the route's media type; false when it answered 406.
  static bool negotiate_for(const Route& route, const Request& request, const Responder& responder);
  std::vector<Route> routes_;
};

}  // namespace bora::api
