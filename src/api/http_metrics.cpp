#include "http_metrics.h"

#include <array>
#include <cstdio>
#include <chrono>

#include "bora/core/metrics.h"

namespace bora::api {

namespace {

// Methods a client may invent are one label value, so they cannot grow the
// series (Beast accepts any token as a method).
std::string_view method_label(const std::string& method) {
  static constexpr std::array<std::string_view, 7> known{"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};
  for (auto m : known)
    if (method == m) return m;
  return "other";
}

}  // namespace

void observe_request(const Request& request, const std::string& route, const Responder& responder) {
  auto& r = metrics::Registry::global();
  static auto& requests = r.counter("bora_http_requests_total",
                                    "HTTP requests answered, by method, route template and status.",
                                    {"method", "route", "status"});
  static auto& durations = r.histogram("bora_http_request_duration_seconds",
                                       "Time from a request's dispatch to its answer, by method and route template.",
                                       {"method", "route"});
  auto started = std::chrono::steady_clock::now();
  responder.on_reply([method = method_label(request.method), route, started](const Response& answer) {
    const int status = answer.status;
    char code[8];
    std::snprintf(code, sizeof code, "%d", status);
    requests.counter({method, route, code}).inc();
    durations.histogram({method, route}).observe(metrics::seconds_since(started));
  });
}

}  // namespace bora::api
