// The live event stream (issue 17): GET /v2/events and
// GET /v2/executions/{id}/events as Server-Sent Events, GET /v2/ws as a
// WebSocket, all over the engine's durable event log (api/event_stream.h).
// Mistral has no such resource; the events and their names are its
// notifier's.
#include <cctype>

#include "bora/api/authorize.h"
#include "bora/api/context.h"
#include "bora/api/errors.h"
#include "bora/api/list_params.h"
#include "bora/api/resources.h"
#include "bora/services/workflow_executions.h"
#include "bora/storage/database.h"

namespace bora::api {

namespace {

constexpr std::string_view kStreamParams[] = {"root_execution_id", "execution_id", "workflow_name", "event_types",
                                              "all_projects",      "last_event_id", "from"};

int64_t sequence_number(const std::string& text, const char* where) {
  bool digits = !text.empty() && text.size() <= 18;
  for (char c : text) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  if (!digits) {
    throw BoraError(ErrorKind::BadInput, std::string(where) + " must be an event's seq, a whole number >= 0; got '" +
                                             text + "'");
  }
  return std::stoll(text);
}

// Where the stream starts: after Last-Event-ID (the header EventSource
// sends when it reconnects, or ?last_event_id=), ?from=N (after N-1, so
// ?from=0 is everything retained), else now.
std::optional<int64_t> start_after(const Request& req) {
  if (const std::string* h = req.header("last-event-id"); h && !h->empty())
    return sequence_number(*h, "Last-Event-ID");
  if (auto v = req.query_param("last_event_id")) return sequence_number(*v, "last_event_id");
  if (auto v = req.query_param("from")) return std::max<int64_t>(0, sequence_number(*v, "from") - 1);
  return std::nullopt;
}

bool asks_all_projects(const Request& req) {
  return parse_bool_param("all_projects", req.query_param("all_projects").value_or(""));
}

// The filter of the query, within what the caller may see: its own
// project's events; every project's for an admin asking all_projects.
engine::EventFilter stream_filter(const Request& req) {
  refuse_unknown_query_params(req, kStreamParams);
  engine::EventFilter f;
  f.root_execution_id = req.query_param("root_execution_id");
  f.execution_id = req.query_param("execution_id");
  f.workflow_name = req.query_param("workflow_name");
  if (auto types = req.query_param("event_types")) {
    size_t i = 0;
    while (i <= types->size()) {
      size_t j = types->find(',', i);
      if (j == std::string::npos) j = types->size();
      if (j > i) f.event_types.push_back(types->substr(i, j - i));
      i = j + 1;
    }
  }
  if (!(asks_all_projects(req) && req.is_admin)) f.project_ids = {req.project_id};
  return f;
}

// The stream of every execution the caller sees is Bora's view of the
// executions list (executions:list; all_projects: executions:list:all_projects).
void authorize_stream(const ApiContext& ctx, const Request& req) {
  authorize(ctx, req, "executions:list");
  if (asks_all_projects(req)) authorize(ctx, req, "executions:list:all_projects");
}

Response stream_response(EventStream& stream, std::optional<int64_t> after, engine::EventFilter filter) {
  auto source = stream.subscribe(after, std::move(filter));
  Response r;
  r.content_type = "text/event-stream";
  r.stream = std::move(source.value());  // Unavailable past the limit: 503
  return r;
}

// A server without an event log (none given to the context) still has the
// routes, as its OpenAPI description says, and answers them 404.
EventStream& stream_of(const std::shared_ptr<EventStream>& stream) {
  if (!stream) throw BoraError(ErrorKind::NotFound, "this server keeps no event log: the event stream is not served");
  return *stream;
}

}  // namespace

void register_events_resource(Router& router, ApiContext& ctx) {
  if (ctx.events) ctx.event_stream = std::make_shared<EventStream>(*ctx.events, ctx.event_stream_options);
  std::shared_ptr<EventStream> stream = ctx.event_stream;

  // Bad parameters are a 400 before anything else, with or without a log.
  router.add("GET", "/v2/events", [stream, &ctx](const Request& req, const PathParams&) {
    engine::EventFilter f = stream_filter(req);
    authorize_stream(ctx, req);
    auto after = start_after(req);
    return stream_response(stream_of(stream), after, std::move(f));
  }, Produces::Own);

  // One execution's events: the whole tree for a root execution; for a
  // sub-workflow execution, its own.
  router.add("GET", "/v2/executions/{id}/events", [stream, &ctx](const Request& req, const PathParams& p) {
    engine::EventFilter f = stream_filter(req);
    authorize(ctx, req, "executions:get");
    auto after = start_after(req);
    auto ex = ctx.db.read(
        [&](storage::Transaction& tx) { return services::find_workflow_execution(tx, p[0], caller_of(req)); });
    const auto& wf_ex = ex.value();
    if (!wf_ex.root_execution_id || wf_ex.root_execution_id->empty() || *wf_ex.root_execution_id == wf_ex.id) {
      f.root_execution_id = wf_ex.id;
    } else {
      f.execution_id = wf_ex.id;
    }
    // The execution is visible to the caller, so is its tree.
    f.project_ids.clear();
    return stream_response(stream_of(stream), after, std::move(f));
  }, Produces::Own);

  router.add("GET", "/v2/ws", [stream, &ctx](const Request& req, const PathParams&) {
    const std::string* upgrade = req.header("upgrade");
    std::string u = upgrade ? *upgrade : "";
    for (auto& c : u) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (u != "websocket") {
      throw BoraError(ErrorKind::BadInput,
                      "/v2/ws is a WebSocket: send Upgrade: websocket (or read the same stream as Server-Sent "
                      "Events at /v2/events)");
    }
    engine::EventFilter f = stream_filter(req);
    authorize_stream(ctx, req);
    auto after = start_after(req);
    return stream_response(stream_of(stream), after, std::move(f));
  }, Produces::Own);
}

}  // namespace bora::api
