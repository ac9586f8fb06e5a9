// api/context: what the resource handlers share: the database, and who is
// calling (from the request's project headers).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bora/api/body_schema.h"
#include "bora/api/event_stream.h"
#include "bora/api/http.h"
#include "bora/core/value.h"
#include "bora/services/caller.h"
#include "bora/services/workflow_definitions.h"

namespace bora::storage {
class Database;
}
namespace bora::engine {
class Engine;
}
namespace bora::identity {
class PolicyEnforcer;
class KeystoneClient;
}

namespace bora::api {

class Readiness;

struct ApiContext {
  storage::Database& db;
  engine::Engine* engine = nullptr;  // null: executions cannot be started
  // [api] allow_action_execution_deletion (Mistral's option, off by default).
  bool allow_action_execution_deletion = false;
  // Whether workflows can be shared with other projects (members):
  // Mistral's only with authentication on; Bora's [api]
  // resource_sharing_without_auth also with projects from X-Project-Id.
  bool resource_sharing = true;
  // Whether Python code sources may be stored (they run as the server's
  // user): with authentication on, where only the admin role creates code
  // sources, or by [python_actions] code_sources = true.
  bool python_code_sources = true;
  // What GET /readyz checks (api/readiness.h); null: it reports only that
  // nothing is checked (a router built to list its routes).
  Readiness* readiness = nullptr;
  // [metrics]: whether build_router serves GET /metrics (enabled, and no
  // listener of its own: `listen`), and whether it requires the admin role
  // (require_auth).
  bool serve_metrics = true;
  bool metrics_require_auth = false;
  // The engine's durable event log (engine/event_feed.h); null: no event
  // stream routes (they answer 404).
  engine::EventFeed* events = nullptr;
  EventStreamOptions event_stream_options;  // [api] event_stream_*
  // Made by build_router when `events` is set (its subscribers() is the
  // metrics gauge); lives as long as the context.
  std::shared_ptr<EventStream> event_stream;
  // Mistral's policy rules ([oslo_policy], identity/policy.h); null:
  // Mistral's defaults.
  std::shared_ptr<identity::PolicyEnforcer> policy;
  // With Keystone on ([pecan] auth_enable): what creates and deletes the
  // trusts of cron triggers. Null: auth off, triggers get no trust.
  std::shared_ptr<identity::KeystoneClient> keystone;
};

// The engine, or 503 when this server runs none.
engine::Engine& engine_of(const ApiContext& ctx);

inline services::Caller caller_of(const Request& request) {
  return {request.project_id, request.is_admin, request.user_id, request.security};
}

// A JSON response (Python json.dumps formatting, as Mistral's).
Response json_response(const Value& body, int status = 200);
Response no_content();

// The definition text of a POST/PUT: refuses an empty body and content
// types that cannot hold YAML (form posts, binaries) with a clear 400.
// format names the text expected ("YAML", or "JavaScript" for code sources).
std::string definition_text(const Request& request, const char* what, const char* format = "YAML");

// The JSON object of a POST/PUT body, or a clear 400; attributes the
// resource does not declare are refused as WSME refuses them.
Value json_body(const Request& request, const BodySchema& schema);

// Refuses every query parameter not in `allowed` with WSME's 400
// 'Unknown argument: "<name>"' (api/query_args.h for Mistral's routes).
void refuse_unknown_query_params(const Request& request, std::span<const std::string_view> allowed);
// WSME's 400 for the path argument the request left out
// (Request::missing_argument), with where it goes.
[[noreturn]] void refuse_missing_argument(const Request& request);

// Fields of a JSON body: a string (absent or null: ""; else 400), and a
// JSON object given as an object or as JSON text (absent: null).
std::string text_field(const Value& body, const char* key);
// A bool attribute as WSME converts it (json_body has checked it): absent
// or null: none; a number: nonzero; "true"/"t"/"yes"/"y"/"on"/"1": true.
std::optional<bool> bool_field(const Value& body, const char* key);
// A JSON body's `scope`, WSME's Enum checked as the body is read (before
// any policy check): "private", "public", or "" when not given; else 400.
std::string scope_attribute(const Value& body);
// `resource`: Mistral's name for the body (its controller's argument, for
// WSME's words when the text is not JSON).
Value json_text_field(const Value& body, const char* key, const char* resource = nullptr);

// v without the key `key` (a dict; anything else as it is): the lists
// leave out what Mistral leaves out (output, result).
Value without(Value v, std::string_view key);

// The request's `namespace` query parameter ('' when absent).
std::string namespace_param(const Request& request);

// Where a POST/PUT of definitions puts them: ?namespace= and ?scope=.
services::DefinitionTarget definition_target(const Request& request);

// The answer of POST .../validate: {"valid": true} or {"valid": false, "error": ...}.
// Mistral's {"valid": ..., "error": ...}; `warnings` (Bora's addition, only
// when there are some) lists what Mistral would accept silently.
Response validation_response(bool valid, const std::string& error, const std::vector<std::string>& warnings = {});

}  // namespace bora::api
