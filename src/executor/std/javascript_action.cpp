// executor/std/javascript_action: std.javascript / std.js with duktape.
// As in Mistral, the script is the body of a function (so it ends with
// `return ...`), `$` is the action's `context` input, and the result is
// the function's value converted through JSON.
#include <fmt/format.h>

#include "../javascript/heap.h"
#include "../javascript/isolated.h"
#include "../javascript/requests.h"
#include "bora/core/json.h"
#include "bora/core/utf8.h"
#include "bora/executor/std_actions.h"

namespace bora::executor {

namespace {

struct Eval {
  const std::string* script;
  const std::string* context_json;
};

duk_ret_t evaluate(duk_context* ctx, void* udata) {
  auto* e = static_cast<Eval*>(udata);
  duk_push_string(ctx, e->context_json->c_str());
  duk_json_decode(ctx, -1);
  duk_put_global_string(ctx, "$");
  std::string program = "(function f() {\n" + *e->script + "\n})()";
  duk_eval_string(ctx, program.c_str());
  if (duk_is_undefined(ctx, -1) || duk_is_function(ctx, -1)) {
    duk_pop(ctx);
    duk_push_null(ctx);
  }
  duk_json_encode(ctx, -1);
  return 1;
}

}  // namespace

namespace javascript {

ActionResult run_script_here(const Value& input) {
  std::string script = input["script"].as_string();
  std::string context_json = to_json(input["context"]);
  javascript::Heap heap;
  if (!heap) return ActionResult::raise("JavaScriptAction failed: could not create a JavaScript heap");
  duk_context* ctx = heap.context();
  Eval e{&script, &context_json};
  if (duk_safe_call(ctx, evaluate, &e, 0, 1) != DUK_EXEC_SUCCESS)
    return ActionResult::raise("JavaScriptAction failed: " + std::string(duk_safe_to_string(ctx, -1)) +
                               javascript::heap_limit_note(heap));
  const char* text = duk_get_string(ctx, -1);
  // A JavaScript string may hold a lone surrogate, which duktape writes in
  // the form Bora holds one in (core/utf8.h): kept, as Python's str keeps it.
  auto parsed = parse_json(repair_text(text ? text : "null"));
  if (!parsed) return ActionResult::raise("JavaScriptAction failed: the result cannot be converted to JSON");
  return ActionResult::success(std::move(parsed).value());
}

}  // namespace javascript

// In a worker process, so that a script that never ends can be stopped.
ActionResult run_javascript(const Value& input, const ActionRunContext& ctx) {
  if (!input["script"].is_string())
    return ActionResult::raise("JavaScriptAction failed: 'script' must be a string");
  return javascript::run_isolated(javascript::script_request(input), ctx);
}

}  // namespace bora::executor
