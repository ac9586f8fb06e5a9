// executor/std/javascript_action: std.javascript / std.js with duktape.
// As in Mistral, the script is the body of a function (so it ends with
// `return ...`), `$` is the action's `context` input, and the result is
// the function's value converted through JSON.
#include <duktape.h>
#include <fmt/format.h>

#include <cstdlib>
#include <cstring>

#include "bora/core/json.h"
#include "bora/executor/std_actions.h"

namespace bora::executor {

namespace {

// A script may not take more than this much memory: a runaway allocation
// fails the action instead of the process.
constexpr size_t kHeapLimit = 256u << 20;

struct Heap {
  size_t used = 0;
};

// Each block carries its size in front so that the limit can be kept.
void* heap_alloc(void* udata, duk_size_t size) {
  auto* heap = static_cast<Heap*>(udata);
  if (heap->used + size > kHeapLimit) return nullptr;
  auto* p = static_cast<size_t*>(std::malloc(size + sizeof(max_align_t)));
  if (!p) return nullptr;
  *p = size;
  heap->used += size;
  return reinterpret_cast<char*>(p) + sizeof(max_align_t);
}

void heap_free(void* udata, void* ptr) {
  if (!ptr) return;
  auto* heap = static_cast<Heap*>(udata);
  auto* base = reinterpret_cast<size_t*>(static_cast<char*>(ptr) - sizeof(max_align_t));
  heap->used -= *base;
  std::free(base);
}

void* heap_realloc(void* udata, void* ptr, duk_size_t size) {
  if (!ptr) return heap_alloc(udata, size);
  if (size == 0) {
    heap_free(udata, ptr);
    return nullptr;
  }
  auto* heap = static_cast<Heap*>(udata);
  auto* base = reinterpret_cast<size_t*>(static_cast<char*>(ptr) - sizeof(max_align_t));
  size_t old = *base;
  if (heap->used - old + size > kHeapLimit) return nullptr;
  auto* grown = static_cast<size_t*>(std::realloc(base, size + sizeof(max_align_t)));
  if (!grown) return nullptr;
  *grown = size;
  heap->used = heap->used - old + size;
  return reinterpret_cast<char*>(grown) + sizeof(max_align_t);
}

void on_fatal(void*, const char* msg) {
  // duktape calls this only for errors outside any protected call, which
  // this file never makes; abort with a message rather than continue.
  std::fprintf(stderr, "duktape fatal error: %s\n", msg ? msg : "?");
  std::abort();
}

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

ActionResult run_javascript(const Value& input, const ActionRunContext&) {
  if (!input["script"].is_string())
    return ActionResult::raise("JavaScriptAction failed: 'script' must be a string");
  std::string script = input["script"].as_string();
  std::string context_json = to_json(input["context"]);
  Heap heap;
  duk_context* ctx = duk_create_heap(heap_alloc, heap_realloc, heap_free, &heap, on_fatal);
  if (!ctx) return ActionResult::raise("JavaScriptAction failed: could not create a JavaScript heap");
  Eval e{&script, &context_json};
  ActionResult result;
  if (duk_safe_call(ctx, evaluate, &e, 0, 1) != DUK_EXEC_SUCCESS) {
    std::string msg = duk_safe_to_string(ctx, -1);
    result = ActionResult::raise("JavaScriptAction failed: " + msg);
  } else {
    const char* text = duk_get_string(ctx, -1);
    auto parsed = parse_json(text ? text : "null");
    if (parsed) result = ActionResult::success(std::move(parsed).value());
    else result = ActionResult::raise("JavaScriptAction failed: the result cannot be converted to JSON");
  }
  duk_destroy_heap(ctx);
  return result;
}

}  // namespace bora::executor
