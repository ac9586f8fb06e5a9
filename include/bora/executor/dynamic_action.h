// executor/dynamic_action: actions written by users and stored through the
// API (Mistral's code sources and dynamic actions). A code source is a
// Python module, as in Mistral, or a JavaScript one (ECMAScript 5.1, run by
// duktape, as std.javascript), which needs no Python.
//
// A Python module's dynamic action names a class, run as Mistral runs it:
// `Class(**input).run(context)` with mistral-lib's ActionContext, in the
// Python workers of `[python_actions] python` (python/python_pack.h), the
// module executed again when its version grows.
//
// A JavaScript module's dynamic action names a function:
//
//   function Greeter(input) { this.name = input.name; }      // a constructor
//   Greeter.prototype.run = function (context) { return "Hello, " + this.name; };
//
// It is called as Mistral calls an action class, `new Greeter(input)
// .run(context)`, with the task's input as one object; a plain function
// (no prototype.run) is called as `f(input, context)`. What it returns
// (through JSON) is the result; what it throws fails the action.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bora/executor/action.h"
#include "bora/executor/action_descriptor.h"

namespace bora::executor {

// What running one dynamic action needs, read from the database when the
// action is scheduled (so the executor never touches the database).
struct DynamicActionCode {
  std::string action_name;       // the dynamic action
  std::string class_name;        // the class (Python) or function (JavaScript) of the module it calls
  std::string code_source_name;  // the module, named in error locations
  std::string content;           // the module's text
  std::string code_source_id;    // with version: when a Python worker loads the module again
  int64_t version = 1;
};

enum class CodeLanguage { python, javascript };

// A module with a line only Python has (`import x`, `from x import y`,
// `def f(...):`, `class C:`) that is not valid JavaScript is Python; any
// other is JavaScript.
CodeLanguage code_source_language(std::string_view content);
// The same, decided once per code source version (a version's text never
// changes): the engine and the action list ask it for every action, and
// telling Python from JavaScript may compile the module.
CodeLanguage code_source_language(const DynamicActionCode& code);

// Whether a code source can be stored. A Python module is stored as it is
// (nullopt), as Mistral stores it: its errors show when an action of it
// runs. Anything else is compiled as JavaScript: nullopt when valid,
// otherwise the reason, worded for the person who sent it.
std::optional<std::string> check_code_source(std::string_view name, std::string_view content);

// Runs the module, then the action; failures are results, never exceptions.
ActionResult run_dynamic_action(const DynamicActionCode& code, const Value& input, const ActionRunContext& ctx);

// How Mistral names a dynamic action object in its executor's messages.
ActionDescriptor dynamic_action_descriptor(const std::string& name);

}  // namespace bora::executor
