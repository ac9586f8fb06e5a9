#include "requests.h"

#include "isolated.h"

namespace bora::executor::javascript {

namespace {

std::string text(const Value& v, const char* key) {
  const Value& x = v[key];
  return x.is_string() ? x.as_string() : std::string();
}

}  // namespace

Value script_request(const Value& input) { return Value::dict({{"kind", "script"}, {"input", input}}); }

Value dynamic_request(const DynamicActionCode& code, const Value& input, const ActionRunContext& ctx) {
  return Value::dict({{"kind", "dynamic"},
                      {"code", Value::dict({{"action_name", code.action_name},
                                            {"class_name", code.class_name},
                                            {"code_source_name", code.code_source_name},
                                            {"content", code.content}})},
                      {"input", input},
                      {"context", Value::dict({{"workflow_name", ctx.workflow_name},
                                               {"workflow_execution_id", ctx.workflow_execution_id},
                                               {"task_execution_id", ctx.task_execution_id},
                                               {"action_execution_id", ctx.action_execution_id},
                                               {"callback_url", ctx.callback_url},
                                               {"security", ctx.security}})}});
}

ActionResult handle_request(const Value& request) {
  std::string kind = text(request, "kind");
  if (kind == "script") return run_script_here(request["input"]);
  if (kind == "dynamic") {
    const Value& c = request["code"];
    DynamicActionCode code;
    code.action_name = text(c, "action_name");
    code.class_name = text(c, "class_name");
    code.code_source_name = text(c, "code_source_name");
    code.content = text(c, "content");
    const Value& x = request["context"];
    ActionRunContext ctx;
    ctx.workflow_name = text(x, "workflow_name");
    ctx.workflow_execution_id = text(x, "workflow_execution_id");
    ctx.task_execution_id = text(x, "task_execution_id");
    ctx.action_execution_id = text(x, "action_execution_id");
    ctx.callback_url = text(x, "callback_url");
    if (const Value* security = x.find("security")) ctx.security = *security;
    return run_dynamic_here(code, request["input"], ctx);
  }
  return ActionResult::raise("the JavaScript worker got an unknown request: " + kind);
}

}  // namespace bora::executor::javascript
