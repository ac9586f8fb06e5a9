// executor/javascript/dynamic_action: telling a code source's language,
// checking it, and running its actions (JavaScript here, Python in the
// Python workers).
#include "bora/executor/dynamic_action.h"

#include <fmt/format.h>

#include <cctype>
#include <map>
#include <mutex>
#include <string_view>

#include "bora/core/json.h"
#include "bora/core/python_format.h"
#include "bora/core/utf8.h"
#include "bora/executor/executor.h"
#include "bora/executor/plugins.h"
#include "../action_metrics.h"
#include "heap.h"
#include "isolated.h"
#include "requests.h"

namespace bora::executor {

namespace {

// Lines only a Python module has, which tell Mistral's Python modules from
// Bora's JavaScript ones. A line is
// `import name`, `from name import `, `def name(...)[ -> T]:` or
// `class Name[(...)]:` after its indentation. Read in one pass per line, by
// hand: std::regex recursed per character and crashed on a large source.
bool is_identifier_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// The length of a name ([A-Za-z_] then word characters, and dots when
// dotted) at the start of s; 0 when there is none.
size_t name_length(std::string_view s, bool dotted) {
  if (s.empty() || !is_identifier_start(s[0])) return 0;
  size_t n = 1;
  while (n < s.size() && (is_word(s[n]) || (dotted && s[n] == '.'))) ++n;
  return n;
}

std::string_view skip_spaces(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  return s;
}

// "(...)" then spaces then ":" (or, when arrow_allowed, "-> ...:"), with
// any text between the parentheses: some ")" must be followed that way.
bool parenthesised_then_colon(std::string_view s, bool arrow_allowed) {
  if (s.empty() || s[0] != '(') return false;
  size_t last_colon = s.rfind(':');
  for (size_t close = s.find(')', 1); close != std::string_view::npos; close = s.find(')', close + 1)) {
    std::string_view after = skip_spaces(s.substr(close + 1));
    if (!after.empty() && after[0] == ':') return true;
    if (arrow_allowed && after.substr(0, 2) == "->" && last_colon != std::string_view::npos &&
        last_colon > static_cast<size_t>(after.data() - s.data()) + 1)
      return true;
  }
  return false;
}

bool is_python_line(std::string_view line) {
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  if (line.substr(0, 7) == "import ") return name_length(line.substr(7), true) > 0;
  if (line.substr(0, 5) == "from ") {
    size_t n = name_length(line.substr(5), true);
    return n > 0 && line.substr(5 + n, 8) == " import ";
  }
  if (line.substr(0, 4) == "def ") {
    size_t n = name_length(line.substr(4), false);
    return n > 0 && parenthesised_then_colon(skip_spaces(line.substr(4 + n)), true);
  }
  if (line.substr(0, 6) == "class ") {
    size_t n = name_length(line.substr(6), false);
    if (n == 0) return false;
    std::string_view rest = skip_spaces(line.substr(6 + n));
    return (!rest.empty() && rest[0] == ':') || parenthesised_then_colon(rest, false);
  }
  return false;
}

bool looks_like_python(std::string_view content) {
  while (!content.empty()) {
    size_t newline = content.find('\n');
    if (is_python_line(content.substr(0, newline))) return true;
    if (newline == std::string_view::npos) break;
    content.remove_prefix(newline + 1);
  }
  return false;
}

struct Run {
  const DynamicActionCode* code;
  std::string input_json;
  std::string context_json;
  std::string problem;  // set when the failure is Bora's wording, not a JS error
};

// Called by the runner below, so that the constructor/function rule is one
// piece of JavaScript instead of a dozen stack operations.
constexpr const char* kInvoke =
    "(function (C, input, context) {\n"
    "  if (C.prototype && typeof C.prototype.run === 'function') return new C(input).run(context);\n"
    "  return C(input, context);\n"
    "})";

duk_ret_t run_module(duk_context* ctx, void* udata) {
  auto* r = static_cast<Run*>(udata);
  const auto& code = *r->code;
  // The module: its top-level declarations become globals.
  duk_push_lstring(ctx, code.content.data(), code.content.size());
  duk_push_string(ctx, code.code_source_name.c_str());
  duk_compile(ctx, 0);
  duk_call(ctx, 0);
  duk_pop(ctx);
  if (!duk_get_global_lstring(ctx, code.class_name.data(), code.class_name.size()) || !duk_is_function(ctx, -1)) {
    r->problem = fmt::format(
        "Dynamic action '{}': code source '{}' defines no function named '{}' (a constructor with a "
        "prototype.run(context) method, or a function(input, context))",
        code.action_name, code.code_source_name, code.class_name);
    return DUK_RET_ERROR;
  }
  duk_push_string(ctx, kInvoke);
  duk_push_string(ctx, "bora");
  duk_compile(ctx, DUK_COMPILE_EVAL);
  duk_call(ctx, 0);  // the invoker function
  duk_swap_top(ctx, -2);
  duk_push_lstring(ctx, r->input_json.data(), r->input_json.size());
  duk_json_decode(ctx, -1);
  duk_push_lstring(ctx, r->context_json.data(), r->context_json.size());
  duk_json_decode(ctx, -1);
  duk_call(ctx, 3);
  if (duk_is_undefined(ctx, -1) || duk_is_function(ctx, -1)) {
    duk_pop(ctx);
    duk_push_null(ctx);
  }
  duk_json_encode(ctx, -1);
  return 1;
}

duk_ret_t compile_only(duk_context* ctx, void* udata) {
  auto* source = static_cast<std::pair<std::string_view, std::string>*>(udata);
  duk_push_lstring(ctx, source->first.data(), source->first.size());
  duk_push_string(ctx, source->second.c_str());
  duk_compile(ctx, 0);
  return 0;
}

Value context_of(const ActionRunContext& ctx) {
  auto id_or_null = [](const std::string& s) { return s.empty() ? Value() : Value(s); };
  return Value::dict({{"execution", Value::dict({{"workflow_name", id_or_null(ctx.workflow_name)},
                                                 {"workflow_execution_id", id_or_null(ctx.workflow_execution_id)},
                                                 {"task_execution_id", id_or_null(ctx.task_execution_id)},
                                                 {"action_execution_id", id_or_null(ctx.action_execution_id)},
                                                 {"callback_url", id_or_null(ctx.callback_url)}})},
                      // mistral_lib's ActionContext.security: whom the action acts as.
                      {"security", ctx.security}});
}

// nullopt when the module compiles as JavaScript, else duktape's error.
std::optional<std::string> javascript_error(std::string_view name, std::string_view content) {
  javascript::Heap heap;
  if (!heap) return "could not create a JavaScript heap to check the code source";
  std::pair<std::string_view, std::string> source{content, std::string(name)};
  if (duk_safe_call(heap.context(), compile_only, &source, 0, 1) == DUK_EXEC_SUCCESS) return std::nullopt;
  return javascript::error_text(heap.context(), -1);
}

}  // namespace

CodeLanguage code_source_language(std::string_view content) {
  // What compiles as JavaScript is JavaScript (a Python line inside a
  // comment or a string leaves valid JavaScript); anything else is a Python
  // module, as every code source is to Mistral (one that is no valid
  // Python fails when its action runs, as there).
  return javascript_error("module", content) ? CodeLanguage::python : CodeLanguage::javascript;
}

CodeLanguage code_source_language(const DynamicActionCode& code) {
  if (code.code_source_id.empty()) return code_source_language(code.content);
  static std::mutex mutex;
  static std::map<std::pair<std::string, int64_t>, CodeLanguage> known;
  auto key = std::make_pair(code.code_source_id, code.version);
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = known.find(key); it != known.end()) return it->second;
  }
  CodeLanguage language = code_source_language(code.content);
  std::lock_guard<std::mutex> lock(mutex);
  known.emplace(std::move(key), language);
  return language;
}

std::optional<std::string> check_code_source(std::string_view name, std::string_view content) {
  auto error = javascript_error(name, content);
  if (!error || looks_like_python(content)) return std::nullopt;
  return fmt::format(
      "Code source '{}' is neither valid JavaScript (ECMAScript 5.1, as duktape runs it: {}) nor a Python module "
      "(one with an import, def or class line): write it as either (docs/API.md, \"Code sources and dynamic "
      "actions\")",
      name, *error);
}

namespace javascript {

ActionResult run_dynamic_here(const DynamicActionCode& code, const Value& input, const ActionRunContext& ctx) {
  javascript::Heap heap;
  if (!heap) return ActionResult::raise("could not create a JavaScript heap");
  Run r{&code, to_json(input.is_null() ? Value(Dict{}) : input), to_json(context_of(ctx)), {}};
  if (duk_safe_call(heap.context(), run_module, &r, 0, 1) != DUK_EXEC_SUCCESS)
    return ActionResult::raise((r.problem.empty() ? javascript::error_text(heap.context(), -1) : r.problem) +
                               javascript::heap_limit_note(heap));
  const char* text = duk_get_string(heap.context(), -1);
  // A JavaScript string may hold a lone surrogate, which duktape writes in
  // the form Bora holds one in (core/utf8.h): kept, as Python's str keeps it.
  auto parsed = parse_json(repair_text(text ? text : "null"));
  if (!parsed) return ActionResult::raise("the result of the action cannot be converted to JSON");
  return ActionResult::success(std::move(parsed).value());
}

}  // namespace javascript

ActionResult run_dynamic_action(const DynamicActionCode& code, const Value& input, const ActionRunContext& ctx) {
  auto started = std::chrono::steady_clock::now();
  ActionResult r = code_source_language(code) == CodeLanguage::python
                       ? run_python_code(code, input, ctx)
                       : javascript::run_isolated(javascript::dynamic_request(code, input, ctx), ctx);
  // Whatever was raised (by the script, or the worker stopped or lost) is
  // an exception in Mistral's terms: the executor's wording names the
  // action execution, as run_std_action does for the std actions.
  if (r.raised)
    r.error = Value(raised_message(dynamic_action_descriptor(code.action_name), ctx.action_execution_id,
                                   python_str(r.error), ctx.ad_hoc));
  observe_action(code.action_name, r, started);
  return r;
}

ActionDescriptor dynamic_action_descriptor(const std::string& name) {
  ActionDescriptor d;
  d.name = name;
  d.class_name = "mistral.actions.dynamic_action.DynamicAction";
  return d;
}

}  // namespace bora::executor
