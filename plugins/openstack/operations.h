// plugins/openstack/operations: the declarative table of the pack's
// actions. Each row says what the python client's method sends and how
// its return value looks once Mistral has serialised it, written from the
// services' API references and the clients' signatures (mistral-extra's
// mapping.json names the actions: `<service>.<client method>`).
#pragma once

#include <string>
#include <vector>

namespace bora_openstack {

// How the response becomes the action's result.
enum class Shape {
  Body,        // the JSON body (the `result` key of it, when set); null when empty
  Null,        // nothing (deletes, actions): the client returns None
  Find,        // GET the list, keep the items whose fields equal every given parameter: exactly one
  FindAll,     // the same, every match (a list)
  SwiftPair,   // python-swiftclient's (headers, body) tuple: [headers, body]
  Headers,     // the response headers (swift head_*)
  Etag,        // the etag header's value (swift put_object)
  Paged,       // a list followed through "next" links (glance)
};

// One service: the namespace of its actions and how its client talks.
struct Service {
  const char* ns;              // "nova"
  const char* class_name;      // "NovaAction": Mistral's base class, in messages
  std::vector<std::string> types;  // catalog types, tried in order
  const char* version_suffix;  // appended to the catalog URL unless already there ("/v2.0")
  const char* microversion_header;  // "" when the service has none
  const char* microversion_prefix;  // "compute " for OpenStack-API-Version
  const char* default_microversion; // sent unless the row says otherwise
  bool region_input;           // mistral-extra adds action_region="" to the signature
  bool needs_client_id;        // zaqar: the Client-ID header
};

struct Operation {
  const char* name;           // "nova.servers_get"
  const char* client_method;  // "servers.get": named in error messages
  const char* signature;      // the client method's parameters, Mistral's form
  const char* method;         // HTTP method
  const char* path;           // "/servers/{server}": {param} is the param's id, url-encoded
  // The body: "" none; "=" the parameters not in the path, as they are;
  // "key" those parameters wrapped as {"key": {...}}; "{...}" a JSON
  // template whose "$param" strings are replaced by the parameters' values
  // (a key whose value is null is left out); "@body" the `body` parameter
  // as it is (neutron, heat: the caller writes the API's body).
  const char* body = "";
  const char* result = "";    // the key unwrapped from the response
  Shape shape = Shape::Body;
  const char* renames = "";   // "image=imageRef flavor=flavorRef": parameter -> API field
  const char* detail_path = "";  // the path when `detailed`/`detail` is true
  const char* microversion = "";  // overrides the service's default
  const char* special = "";   // a named adjustment in call.cpp (a few methods need code)
  const char* resource = "";  // find's class name ("Server") in NotFound texts
  // The body parameters the client sends even when null (others are left
  // out): "name description", "*" for all, "metadata={}" for a value that
  // stands in for null (cinder's metadata).
  const char* nulls = "";
};

const std::vector<Service>& services();
const std::vector<Operation>& operations();
const Service* service_of(const Operation& op);

// The signature as GET /v2/actions shows it: the client's, with
// action_region="" placed as mistral-extra's prepare_action_inputs places it.
std::string action_signature(const Operation& op);

}  // namespace bora_openstack
