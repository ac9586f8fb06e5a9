// plugins/openstack/pack: the OpenStack action pack on Bora's plugin ABI
// (bora/plugin.h): the actions Mistral's OpenStack actions are named
// (mistral-extra's `<service>.<client method>`), plus openstack.request.
// Each call authenticates as the execution's starter (its security
// context) and goes through the host's HTTP, so [executor]
// denied_networks and the other reach rules apply.
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "bora/plugin.h"
#include "call.h"
#include "json_util.h"
#include "operations.h"
#include "session.h"

namespace bora_openstack {
namespace {

struct Declarations {
  std::vector<std::string> texts;  // owns the strings the table points to
  std::vector<bora_action_decl> actions;
};

const Declarations& declarations() {
  static const Declarations all = [] {
    Declarations d;
    const auto& ops = operations();
    d.texts.reserve(ops.size() * 3 + 3);
    for (const auto& op : ops) {
      const Service* s = service_of(op);
      d.texts.push_back(action_signature(op));
      const char* sig = d.texts.back().c_str();
      d.texts.push_back(std::string("Calls ") + s->class_name + "'s " + op.client_method + " (" + op.method + " " +
                        (*op.path ? op.path : "/") + " of the '" + s->types[0] +
                        "' service) as the execution's user; the result is what the python client returns.");
      const char* description = d.texts.back().c_str();
      // As Mistral's executor names the object in its messages: the class
      // mistral-extra generates per method, in its generator's module.
      d.texts.push_back(std::string("mistral_extra.actions.openstack.action_generator.base.") + op.client_method);
      d.actions.push_back({op.name, sig, description, d.texts.back().c_str()});
    }
    d.actions.push_back({"openstack.request", kRequestSignature,
                         "Sends one request to a service of the catalog (by service type) as the execution's user "
                         "and returns {status, headers, body}; a status outside 200..299 is the action's error.",
                         nullptr});
    return d;
  }();
  return all;
}

PackConfig g_config;

char* copy(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out) std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

int init(const bora_host* host, const char* config_json, char** error) {
  Doc config;
  if (config.Parse(config_json ? config_json : "{}").HasParseError() || !config.IsObject()) config.SetObject();
  g_config.interface = text(get(config, "interface"), "public");
  g_config.default_region = text(get(config, "default_region"));
  std::string timeout = text(get(config, "timeout"), "60");
  g_config.timeout = std::atof(timeout.c_str());
  if (g_config.timeout <= 0) {
    *error = copy("[openstack] timeout must be a positive number of seconds, not '" + timeout + "'");
    return 1;
  }
  if (g_config.interface != "public" && g_config.interface != "internal" && g_config.interface != "admin") {
    *error = copy("[openstack] interface must be public, internal or admin, not '" + g_config.interface + "'");
    return 1;
  }
  g_config.test_security_context = text(get(config, "test_security_context"));
  if (!g_config.test_security_context.empty())
    host->log(host, 2,
              ("[openstack] test_security_context is set (" + g_config.test_security_context +
               "): executions without a token of their own call OpenStack as that identity. This option is for "
               "tests only.")
                  .c_str());
  return 0;
}

int run(const bora_host* host, const char* action, const char* input_json, const char* context_json,
        const bora_run_control* control, char** answer_json) {
  Doc input, context;
  input.Parse(input_json ? input_json : "{}");
  context.Parse(context_json ? context_json : "{}");
  if (input.HasParseError() || !input.IsObject()) input.SetObject();
  if (context.HasParseError() || !context.IsObject()) context.SetObject();
  Session session(host, control, g_config, get(context, "security"));
  Answer answer{BORA_RESULT_RAISED, "\"unknown action\""};
  if (std::strcmp(action, "openstack.request") == 0) {
    answer = run_request(input, session);
  } else {
    const Operation* found = nullptr;
    for (const auto& op : operations())
      if (std::strcmp(op.name, action) == 0) found = &op;
    if (found) answer = run_operation(*found, input, session);
  }
  *answer_json = copy(answer.json);
  return answer.status;
}

void free_text(char* text) { std::free(text); }

}  // namespace
}  // namespace bora_openstack

extern "C" {

BORA_PLUGIN_EXPORT uint32_t bora_plugin_abi(void) { return BORA_PLUGIN_ABI_VERSION; }

BORA_PLUGIN_EXPORT const bora_plugin* bora_plugin_describe(void) {
  static const bora_plugin pack = [] {
    const auto& d = bora_openstack::declarations();
    return bora_plugin{"openstack",  "1.0", d.actions.size(), d.actions.data(), bora_openstack::init,
                       bora_openstack::run, bora_openstack::free_text};
  }();
  return &pack;
}
}
