// executor/std_actions: the std.* actions Bora runs, and the check of an
// action's input against its signature (Mistral's "Invalid input [...]").
#pragma once

#include <string_view>

#include "bora/core/error.h"
#include "bora/executor/action.h"
#include "bora/executor/action_descriptor.h"

namespace bora::executor {

// The input completed with the signature's defaults, or BadInput with
// Mistral's text: "Invalid input [name=std.echo, class=...EchoAction,
// missing=['output'], unexpected=['x']]".
Result<Value> prepare_action_input(const ActionDescriptor& action, const Value& input);

// The body of a std action; nullptr for an unknown name.
const ActionFunction* find_std_action_function(std::string_view name);

// True for a std action that computes its result at once, without I/O,
// sleeping or JavaScript (std.noop, std.fail, std.echo without a delay):
// the engine runs those inside its transaction instead of handing them to
// the pool (a thread hop and a commit per step saved). `input` is the
// prepared input (defaults filled in).
bool is_instant_std_action(std::string_view name, const Value& input);

// std.http's request made for another caller (an action pack's host->http):
// the same reach rules, limits and result dict, except that `content` is
// the body as received (text, never decoded); `action` names the caller in
// messages. input: std.http's parameters, all present.
ActionResult http_request_as(const std::string& action, const Value& input, const ActionRunContext& ctx);

// One function per action family (src/executor/std/).
ActionResult run_echo(const Value& input, const ActionRunContext& ctx);
ActionResult run_noop(const Value& input, const ActionRunContext& ctx);
ActionResult run_fail(const Value& input, const ActionRunContext& ctx);
ActionResult run_sleep(const Value& input, const ActionRunContext& ctx);
ActionResult run_test_dict(const Value& input, const ActionRunContext& ctx);
ActionResult run_http(const Value& input, const ActionRunContext& ctx);
ActionResult run_mistral_http(const Value& input, const ActionRunContext& ctx);
ActionResult run_javascript(const Value& input, const ActionRunContext& ctx);
ActionResult run_email(const Value& input, const ActionRunContext& ctx);
ActionResult run_ssh(const Value& input, const ActionRunContext& ctx);
ActionResult run_ssh_proxied(const Value& input, const ActionRunContext& ctx);

}  // namespace bora::executor
