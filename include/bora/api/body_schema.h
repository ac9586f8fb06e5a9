// api/body_schema: the attributes of each JSON body resource, as Mistral's
// WSME resources declare them (mistral/api/controllers/v2/resources.py).
// WSME refuses a body attribute its resource does not declare with 400
// "Unknown attribute for argument <argument>: <names>" instead of dropping
// it silently; a misspelt field ("workflow_nmae") must not be a 201 that
// quietly did something else. Every JSON body is read through json_body
// with one of these, so no route can forget the rule.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bora::api {

// What json_body checks of an attribute, as WSME's fromjson does, in the
// resource's declaration order: a text attribute (wtypes.text) must be a
// string or null; a bool one null, a boolean, a number or one of WSME's
// words ("true", "t", "yes", "y", "on", "1" and their false twins); a
// read-only one may not be given; a mandatory one must be. The other types
// (JSON, enums, UUIDs, integers) are read by the routes that use them; they
// are named so that a text/xml body (api/wsme_xml.h) is read as WSME reads
// each type: Json (Mistral's JsonType), Int, TextList ([wtypes.text]); Any
// is text there (UUIDs, enums).
struct BodyField {
  enum class Type { Any, Text, Bool, Json, Int, TextList, Scope, Uuid };
  std::string name;
  Type type = Type::Any;
  bool read_only = false;
  bool mandatory = false;
  std::optional<int64_t> minimum;  // an Int's (WSME's IntegerType(minimum=...))
  BodyField(const char* n) : name(n) {}  // NOLINT: a plain name is an attribute of no checked type
  BodyField(const char* n, Type t, bool ro = false, bool m = false) : name(n), type(t), read_only(ro), mandatory(m) {}
};

struct BodySchema {
  std::string argument;           // the controller's parameter name, which WSME names
  std::vector<BodyField> fields;  // every attribute of the resource, in its declaration order
  // Bora's skip of a failed task ({"state": "SKIPPED"}) needs none of the
  // mandatory attributes (a rerun's `reset`).
  bool skip_needs_no_mandatory = false;
};

namespace body {
extern const BodySchema action_execution;  // POST/PUT /v2/action_executions
extern const BodySchema execution;         // POST/PUT /v2/executions
extern const BodySchema task;              // PUT /v2/tasks/{id}
extern const BodySchema cron_trigger;      // POST /v2/cron_triggers
extern const BodySchema environment;       // POST/PUT /v2/environments
extern const BodySchema event_trigger;     // POST/PUT /v2/event_triggers
extern const BodySchema member;            // POST/PUT /v2/workflows/{id}/members
extern const BodySchema dynamic_action;    // POST/PUT /v2/dynamic_actions
extern const BodySchema execution_rollback;  // POST /v2/executions/{id}/rollback (Bora)
}  // namespace body

}  // namespace bora::api
