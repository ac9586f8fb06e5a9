#include "bora/api/router.h"

#include <algorithm>
#include <exception>
#include <set>

#include "bora/api/errors.h"
#include "bora/api/wsme_xml.h"
#include "bora/core/log.h"
#include "http_metrics.h"
#include "bora/core/trace.h"

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

// With tracing on: the API call's span, a SERVER span named after the
// route template ("POST /v2/executions"), in the caller's trace when it
// sent a valid traceparent. It ends when the answer is sent.
void trace_call(const Request& request, const std::string& pattern, const Responder& responder) {
  std::optional<trace::SpanContext> incoming;
  if (const std::string* tp = request.header("traceparent")) incoming = trace::parse_traceparent(*tp);
  if (incoming)
    if (const std::string* ts = request.header("tracestate")) incoming->tracestate = trace::checked_tracestate(*ts);
  trace::Started started = trace::start_span(incoming);
  request.trace = started.context;
  if (!started.context.sampled()) return;
  auto span = std::make_shared<trace::Span>();
  span->trace_id = started.context.trace_id;
  span->span_id = started.context.span_id;
  span->parent_span_id = started.parent_span_id;
  span->tracestate = started.context.tracestate;
  span->kind = trace::SpanKind::Server;
  span->name = request.method + " " + pattern;
  span->start_unix_nano = trace::now_unix_nano();
  span->attributes = {{"http.request.method", Value(request.method)},
                      {"http.route", Value(pattern)},
                      {"url.path", Value(request.path)}};
  responder.on_reply([span](const Response& r) {
    span->end_unix_nano = trace::now_unix_nano();
    span->attributes.emplace_back("http.response.status_code", Value(static_cast<int64_t>(r.status)));
    span->error = r.status >= 500;
    trace::emit(std::move(*span));
  });
}

// Whether the route's first segments.size() segments take `segs` ("{}"
// takes any segment).
bool prefix_matches(const std::vector<std::string>& route, const std::vector<std::string>& segs) {
  if (segs.size() > route.size()) return false;
  for (size_t i = 0; i < segs.size(); ++i)
    if (route[i] != "{}" && route[i] != segs[i]) return false;
  return true;
}

// Runs a route's handler; an error it throws before handing its work on
// becomes the answer (nobody answered yet).
void run_handler(const AsyncHandler& handler, const Request& request, const PathParams& params,
                 const Responder& responder) {
  try {
    handler(request, params, responder);
  } catch (...) {
    if (!responder.completed())
      responder.reply(response_for_current_exception(request.method + " " + request.path));
    else
      log::error("api", "{} {} threw after answering", request.method, request.path);
  }
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler, Produces produces) {
  add_async(
      std::move(method), std::move(pattern),
      [handler = std::move(handler)](const Request& request, const PathParams& params, Responder responder) {
        responder.reply(handler(request, params));
      },
      produces);
}

void Router::add_pecan_controller(std::string method, std::string pattern, Handler handler) {
  std::string what = method + " " + pattern;
  add(std::move(method), std::move(pattern),
      [handler = std::move(handler), what = std::move(what)](const Request& request,
                                                             const PathParams& params) -> Response {
        try {
          return handler(request, params);
        } catch (const BoraError& e) {
          if (e.kind() == ErrorKind::Internal) log::error("api", "{} failed: {}", what, e.what());
          return pecan_controller_error_response(e.error());
        }
      },
      Produces::PecanText);
}

void Router::add_async(std::string method, std::string pattern, AsyncHandler handler, Produces produces) {
  std::vector<std::string> segs = split_path(pattern);
  for (auto& s : segs)
    if (s.size() >= 2 && s.front() == '{' && s.back() == '}') s = "{}";
  routes_.push_back({std::move(method), std::move(pattern), std::move(segs), std::move(handler), false, produces});
}

void Router::add_tail(std::string method, std::string pattern, Handler handler) {
  add(std::move(method), std::move(pattern), std::move(handler), Produces::Own);
  routes_.back().tail = true;
}

bool Router::negotiate_for(const Route& route, const Request& request, const Responder& responder) {
  std::optional<std::string> type = negotiate(request, route.produces);
  if (!type) {
    // pecan refuses before the controller runs (no argument is read).
    responder.reply(pecan_http_error(request, 406, Value()));
    return false;
  }
  if (*type == "application/xml" || *type == "text/xml")
    responder.render_with([type = *type](Response& r) { render_wsme_xml(r, type); });
  return true;
}

void Router::dispatch(const Request& request, Responder responder) const {
  if (auto text = check_request_text(request); !text) {
    observe_request(request, "unmatched", responder);
    responder.fail(text.error());
    return;
  }
  std::vector<std::string> segs = split_path(request.path);
  bool path_matched = false;
  // The collection whose controller serves the path (the path itself, or
  // its parent when a route took its last segment as an id).
  std::vector<std::string> collection = segs;
  for (const Route& route : routes_) {
    if (route.tail ? segs.size() < route.segments.size() : route.segments.size() != segs.size()) continue;
    PathParams params;
    bool match = true;
    for (size_t i = 0; i < route.segments.size() && match; ++i) {
      if (route.tail && i + 1 == route.segments.size()) {
        std::string rest = segs[i];
        for (size_t j = i + 1; j < segs.size(); ++j) rest += "/" + segs[j];
        params.push_back(std::move(rest));
      } else if (route.segments[i] == "{}") {
        params.push_back(segs[i]);
      } else if (route.segments[i] != segs[i]) {
        match = false;
      }
    }
    if (!match) continue;
    if (!path_matched && !route.tail && !segs.empty() && route.segments.back() == "{}") collection.pop_back();
    path_matched = true;
    if (route.method != request.method) continue;
    observe_request(request, route.pattern, responder);
    if (trace::enabled()) trace_call(request, route.pattern, responder);
    if (negotiate_for(route, request, responder)) run_handler(route.handler, request, params, responder);
    return;
  }
  // pecan's answers, as Mistral gives them: a known path, another method,
  // is 405; a path under a known collection (/v2/executions/<id>/x) is a
  // RestController's 404 (description ""), any other pecan's (null).
  if (path_matched) {
    // The collection of a resource this method takes by its id (DELETE
    // /v2/executions): Mistral's RestController calls the method without
    // it, and WSME takes it from the query (`?id=`), else reads the other
    // arguments and answers 'Missing argument: "id"' (Request::missing_argument).
    for (const Route& route : routes_) {
      if (route.method != request.method || route.tail || route.segments.size() != segs.size() + 1 ||
          route.segments.back() != "{}" || !prefix_matches(route.segments, segs))
        continue;
      std::string name = route.pattern.substr(route.pattern.rfind('{') + 1);
      name.pop_back();  // the closing brace
      Request given = request;
      PathParams params;
      for (size_t i = 0; i < segs.size(); ++i)
        if (route.segments[i] == "{}") params.push_back(segs[i]);
      if (auto value = given.query_param(name)) {  // WSME takes the last one
        std::erase_if(given.query, [&](const auto& q) { return q.first == name; });
        params.push_back(std::move(*value));
      } else {
        given.missing_argument = name;
        params.push_back("");
      }
      observe_request(given, route.pattern, responder);
      if (negotiate_for(route, given, responder)) run_handler(route.handler, given, params, responder);
      return;
    }
    observe_request(request, "unmatched", responder);
    Response refused = pecan_http_error(request, 405, Value(""));
    refused.headers.emplace_back("Allow", allowed_methods(collection));
    responder.reply(std::move(refused));
    return;
  }
  observe_request(request, "unmatched", responder);
  // An item of a nested collection whose Mistral controller is a
  // RestController that only lists (GET /v2/executions/<id>/tasks/<task>,
  // /v2/tasks/<id>/workflow_executions/<x>): pecan finds no get, a 405.
  // (Mistral's other nested lists take the extra segment as an argument.)
  std::vector<std::string> parent(segs.begin(), segs.end() - (segs.empty() ? 0 : 1));
  for (const Route& route : routes_) {
    if (segs.size() < 4 || route.method != "GET" || route.tail || route.segments.size() != parent.size() ||
        (route.segments.back() != "tasks" && route.segments.back() != "workflow_executions") ||
        !prefix_matches(route.segments, parent))
      continue;
    Response refused = pecan_http_error(request, 405, Value(""));
    refused.headers.emplace_back("Allow", allowed_methods(parent));
    responder.reply(std::move(refused));
    return;
  }
  bool under_collection = false;
  for (const Route& route : routes_)
    if (segs.size() > 2 && route.segments.size() >= 2 && route.segments[0] == segs[0] && route.segments[1] == segs[1])
      under_collection = true;
  if (under_collection) {
    // pecan found the collection's RestController, so it negotiates the
    // media type (406 first) before the controller's own 404.
    if (!negotiate(request, Produces::Wsme)) {
      responder.reply(pecan_http_error(request, 406, Value()));
      return;
    }
    responder.reply(pecan_http_error(request, 404, Value("")));
    return;
  }
  responder.reply(pecan_http_error(request, 404, Value()));
}

std::string Router::allowed_methods(const std::vector<std::string>& collection) const {
  // pecan's RestController lists its own methods (a get of any kind is
  // GET): the routes of the collection and of its items.
  std::set<std::string> methods;
  for (const Route& r : routes_) {
    if (r.tail || r.produces == Produces::Own) continue;
    bool list = r.segments.size() == collection.size() && prefix_matches(r.segments, collection);
    bool item = r.segments.size() == collection.size() + 1 && r.segments.back() == "{}" &&
                prefix_matches(r.segments, collection);
    if (list || item) methods.insert(r.method);
  }
  std::string out;
  for (const auto& m : methods) out += (out.empty() ? "" : ", ") + m;
  return out;
}

std::vector<std::string> Router::describe() const {
  std::vector<std::string> out;
  for (const Route& r : routes_) out.push_back(r.method + " " + r.pattern);
  return out;
}

}  // namespace bora::api
