// api/http_metrics: requests counted by method, route template (never the
// path: ids would make every request a series of its own) and status, with
// their latency from dispatch to answer (an engine commit included), for
// GET /metrics (core/metrics).
#pragma once

#include <string>

#include "bora/api/http.h"
#include "bora/api/responder.h"

namespace bora::api {

// Counts the request when `responder` answers. route: the matched route's
// pattern ("/v2/executions/{id}"), or "unmatched" when none matched.
void observe_request(const Request& request, const std::string& route, const Responder& responder);

}  // namespace bora::api
