// api/list_params: the query parameters every Mistral collection accepts
// (marker, limit, sort_keys, sort_dirs, fields, all_projects and per-resource
// filters written `name=value` or `name=op:value`), checked the way Mistral
// checks them, and the `next` link Mistral returns when a page is full.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bora/api/http.h"
#include "bora/core/value.h"
#include "bora/storage/list_query.h"

namespace bora::api {

// Mistral's filter operators are storage's: the API only parses them.
using storage::FilterOp;
using storage::filter_op_name;

struct Filter {
  std::string field;
  FilterOp op = FilterOp::Eq;
  std::vector<std::string> values;  // one value; several for in/nin
  std::string raw;                  // as given ("in:a,b"), for the next link
  // A value Mistral reads as its uniquelist type (ListSpec::tags_are_list):
  // `values` are the list's items; the next link writes `eq:['a', 'b']`.
  bool is_list = false;
};

// "a, b,c" -> {"a", "b", "c"}: the comma lists of query parameters and
// headers (X-Roles), items trimmed of whitespace (Python's strip()), empty ones dropped; also CORS's
// Access-Control-Request-Headers.
std::vector<std::string> split_commas(const std::string& s);

struct ListParams {
  std::optional<std::string> marker;
  int64_t limit = 0;  // always set: clamped to the configured maximum
  std::vector<std::string> sort_keys;
  std::vector<std::string> sort_dirs;  // "asc"/"desc", as many as sort_keys
  std::vector<std::string> fields;     // empty: all; else starts with "id"
  std::vector<std::string> unshown;    // of fields, those never shown (ListSpec::not_columns)
  std::vector<std::string> shown;      // with fields, those shown all the same (ListSpec::with_default)
  std::vector<Filter> filters;
  // Mistral's `nulls=a,b` (where the spec accepts it): fields that must be
  // NULL, unless filtered otherwise (execution-list --rootsonly).
  std::vector<std::string> nulls;
  bool all_projects = false;
  // With `fields`, what each shown attribute is set from (ListSpec::
  // not_columns): Mistral selects only the columns among the fields and
  // zips the row with all of them, so an attribute after one that is no
  // column takes the next column's value ({attribute, column}).
  std::vector<std::pair<std::string, std::string>> assigned;
  // The types of the attributes and columns in `assigned`: the spec's
  // ListSpec::attribute_types (specs are static, so not copied per request).
  const std::map<std::string, char, std::less<>>* types = nullptr;
  // The query's value of ListSpec::path_argument, when given: it replaces
  // the path's (WSME lets a query argument override a positional one).
  std::optional<std::string> path_override;
};

struct ListSpec {
  // Query names accepted as filters, in the order Mistral's controller
  // passes them (its next link lists them in that order), Bora's own after.
  std::vector<std::string> filters;
  std::vector<std::string> fields;    // resource fields (for `fields` and sort keys)
  std::vector<std::string> extra;     // other accepted parameters (read by the handler)
  std::string default_sort_key = "created_at";
  int64_t max_limit = 1000;
  // The marker is an id: a UUID, as WSME's uuid type checks it (actions,
  // whose std ones have their name for id, take any text).
  bool marker_is_uuid = true;
  // Mistral's action list takes `fields` and ignores it: every item is
  // whole, and the next link does not carry it.
  bool fields_ignored = false;
  // Attributes Mistral's resource declares (so `fields` takes them) that
  // its model has no column for: its `fields` query selects columns, so
  // they are never shown then (a task's env, reset, published_global; an
  // action execution's task_name), and the attributes after them in
  // `fields` take the values of the columns that follow (ListParams::assigned).
  std::vector<std::string> not_columns{};
  // How Mistral's controller types its `tags` argument: its uniquelist
  // (executions, tasks: items stripped, lower-cased, deduplicated, an
  // operator prefix part of the item), or text (the others: an `eq:` prefix
  // is taken off, any other operator leaves the tags unfiltered; see
  // collection_query's mistral_tags).
  bool tags_are_list = false;
  // The typed filters (uuid, integer, json: filter_arg) in the order of
  // Mistral's get_all signature, where it differs from `filters`' order:
  // pecan passes the arguments positionally, so WSME converts them in that
  // order and the first that fails is the one reported.
  std::vector<std::string> typed_order{};
  // Arguments Mistral's get_all declares that name no column (a task's
  // reset and env, an action execution's task_name and params): read as
  // WSME reads them, then refused once the rest is checked (Mistral's
  // query fails there with a 500).
  std::vector<std::string> unfilterable{};
  // The model's name in that refusal.
  std::string model{};
  // Bora's own fields among `fields` (docs/API.md: a workflow's checksum,
  // an execution's workflow_version): taken, and left out of Mistral's
  // list of the fields to choose from when a name is unknown.
  std::vector<std::string> own_fields{};
  // Attributes Mistral's resource declares with a default (a dynamic
  // action's namespace, ''): WSME renders them whatever `fields` asks for.
  std::vector<std::string> with_default{};
  // The WSME types of the resource's attributes that are not text, as
  // WSME checks a value given to one: 'b' bool, 'j' Mistral's jsontype
  // (a dict; stored and shown as JSON text), 'l' a list of text, 'e' the
  // scope's enum. Needed where not_columns can shift values.
  std::map<std::string, char, std::less<>> attribute_types{};
  // Arguments this controller declares as text that others type (filter_arg:
  // `input` is JSON for executions, text for workflows and actions).
  std::vector<std::string> text_arguments{};
  // A sub-collection's argument that its path gives
  // (/v2/executions/{workflow_execution_id}/tasks): no filter; read from
  // the query too, as WSME reads it there (wsme_param_uuid).
  std::string path_argument{};
};

// Throws BoraError(BadInput) with Mistral's texts: "Limit must be positive.",
// "Unknown sort direction, must be 'desc' or 'asc'.", "Some fields do not
// exist  [x], please choose from [...]", unknown parameters.
ListParams parse_list_params(const Request& request, const ListSpec& spec);

// The spec of `base` listed under another resource, whose path gives
// `argument` (Mistral's sub-resource controller: the same arguments, that
// one first and positional): no longer a filter, read as
// ListSpec::path_argument.
ListSpec under_path(const ListSpec& base, const std::string& argument);

// A collection under another resource (/v2/tasks/{id}/action_executions):
// its path names a filter, which replaces one of the query's and, as in
// Mistral's next link, is carried on (first when `first`, as Mistral's
// sub-resource controllers pass it, else at its place in spec.filters).
void scope_to(ListParams& params, const ListSpec& spec, const std::string& field, const std::string& value,
              bool first);

// A boolean query parameter of Bora's own routes (the event stream):
// true/false in the spellings clients send ("" is false), else BadInput.
// Mistral's routes read theirs as WSME does (api/query_args.h).
bool parse_bool_param(const std::string& name, const std::string& text);

// The `next` link when the page is full (items == limit), else nullopt:
// base/v2/<collection>?<sort and filters>&limit=N&marker=<last id>[&fields=..].
std::optional<std::string> next_link(const Request& request, const std::string& collection,
                                     const ListParams& params, size_t items, const std::string& last_id);

// {"<collection>": items, "next": link} as Mistral's ResourceList renders it
// (no "next" key when there is no next page). Items are projected on
// params.fields when given.
Value list_body(const Request& request, const std::string& collection, const ListParams& params,
                std::vector<Value> items);

// A resource restricted to the requested fields (id always kept).
Value project_fields(const Value& resource, const std::vector<std::string>& fields);

}  // namespace bora::api
