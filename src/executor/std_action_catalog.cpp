// executor/std_action_catalog: the std.* actions and their input signatures,
// as Mistral 15 declares them (names and defaults are the interface that
// workflows are written against; the descriptions are our own).
#include <fmt/format.h>

#include <algorithm>

#include "bora/core/json.h"
#include "bora/executor/action_descriptor.h"
#include "bora/executor/plugins.h"

namespace bora::executor {

namespace {

ActionParam req(const char* name) { return {name, std::nullopt}; }
ActionParam opt(const char* name, Value def) { return {name, std::move(def)}; }

std::vector<ActionDescriptor> build() {
  const Value null;
  std::vector<ActionParam> http = {
      req("url"),           opt("method", "GET"),  opt("params", null),  opt("body", null),
      opt("json", null),    opt("headers", null),  opt("cookies", null), opt("auth", null),
      opt("timeout", null), opt("allow_redirects", null), opt("proxies", null), opt("verify", null)};
  std::vector<ActionDescriptor> all = {
      {"std.async_noop", "Does nothing and stays RUNNING until its result is sent through the API "
                         "(PUT /v2/action_executions/{id}); for testing asynchronous completion.", {}, true},
      {"std.echo", "Returns its 'output' input unchanged (after 'delay' seconds): a stand-in for a real "
                   "action while a workflow is designed and tested.",
       {req("output"), opt("delay", 0)}},
      {"std.email", "Sends an e-mail through an SMTP server (plain text 'body' and/or 'html_body').",
       {req("from_addr"), req("to_addrs"), req("smtp_server"), opt("reply_to", null), opt("cc_addrs", null),
        opt("bcc_addrs", null), opt("smtp_password", null), opt("subject", null), opt("body", null),
        opt("html_body", null)}},
      {"std.fail", "Always fails; with 'error_data' the action's error result is that data. For testing "
                   "error handling.",
       {opt("error_data", null)}},
      {"std.http", "Sends an HTTP request and returns the response: content (JSON decoded when it is JSON), "
                   "status, headers, url, history, encoding, reason, cookies and elapsed time.",
       http},
      {"std.javascript", "Evaluates a JavaScript program with $ bound to 'context' and returns its value.",
       {req("script"), opt("context", null)}},
      {"std.js", "Alias of std.javascript.", {req("script"), opt("context", null)}},
      {"std.mistral_http", "Like std.http, and adds the execution's identifying headers (Mistral-Workflow-Name, "
                           "Mistral-Execution-Id, Mistral-Task-Id, Mistral-Action-Execution-Id, "
                           "Mistral-Callback-URL) so that the remote service can complete the action later.",
       http},
      {"std.noop", "Does nothing and succeeds with a null result.", {}},
      {"std.sleep", "Waits for 'seconds' seconds, then succeeds with a null result.", {opt("seconds", 1)}},
      {"std.ssh", "Runs a command on one host (or each of a list of hosts) over SSH and returns its output.",
       {req("cmd"), req("host"), req("username"), opt("password", ""), opt("private_key_filename", null),
        opt("private_key", null)}},
      {"std.ssh_proxied", "Runs a command over SSH on hosts reached through a gateway host.",
       {req("cmd"), req("host"), req("username"), req("private_key_filename"), req("gateway_host"),
        opt("gateway_username", null), opt("password", null), opt("proxy_command", null),
        opt("private_key", null)}},
      {"std.test_dict", "Returns a dict of 'size' entries '<key_prefix><i>': <val>; for testing large results.",
       {opt("size", 0), opt("key_prefix", ""), opt("val", "")}},
  };
  // Mistral names the implementing class in input errors; keep its names.
  const std::pair<const char*, const char*> classes[] = {
      {"std.async_noop", "AsyncNoOpAction"}, {"std.echo", "EchoAction"},
      {"std.email", "SendEmailAction"},      {"std.fail", "FailAction"},
      {"std.http", "HTTPAction"},            {"std.javascript", "JavaScriptAction"},
      {"std.js", "JavaScriptAction"},        {"std.mistral_http", "MistralHTTPAction"},
      {"std.noop", "NoOpAction"},            {"std.sleep", "SleepAction"},
      {"std.ssh", "SSHAction"},              {"std.ssh_proxied", "SSHProxiedAction"},
      {"std.test_dict", "TestDictAction"}};
  for (auto& a : all) {
    for (const auto& [name, cls] : classes)
      if (a.name == name) a.class_name = fmt::format("mistral.actions.std_actions.{}", cls);
    // std.mistral_http is asynchronous in Mistral: the remote service
    // completes it through the callback URL.
    if (a.name == "std.mistral_http") a.is_async = true;
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return all;
}

}  // namespace

std::string ActionDescriptor::input_signature() const {
  std::string out;
  for (const auto& p : params) {
    if (!out.empty()) out += ", ";
    out += p.name;
    // Mistral renders defaults with json.dumps.
    if (p.default_value) out += "=" + to_json(*p.default_value, JsonFormat::python());
  }
  return out;
}

std::string ActionDescriptor::repr(const std::string& action_execution_id) const {
  if (name == "std.fail") return "Fail action";
  // A plausible CPython heap address, stable for one action execution.
  uint64_t h = std::hash<std::string>{}(action_execution_id) & 0xffffffffffULL;
  return fmt::format("<{} object at 0x7f{:010x}>", class_name, h & ~0xfULL);
}

const std::vector<ActionDescriptor>& std_action_descriptors() {
  static const std::vector<ActionDescriptor> all = build();
  return all;
}

const ActionDescriptor* find_std_action(std::string_view name) {
  for (const auto& d : std_action_descriptors())
    if (d.name == name) return &d;
  // The packs' actions are built in for everything that looks actions up
  // (the engine, the catalog, standalone runs), as Mistral's registered
  // action providers are.
  return find_plugin_action(name);
}

}  // namespace bora::executor
