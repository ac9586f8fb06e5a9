// executor/dynamic_action: actions written by users and stored through the
// API (Mistral's code sources and dynamic actions). Mistral loads Python
// modules; Bora runs no Python, so its code sources are JavaScript
// (ECMAScript 5.1, run by duktape, as std.javascript). A dynamic action
// names a function of its code source:
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
  std::string class_name;        // the function of the module it calls
  std::string code_source_name;  // the module, named in error locations
  std::string content;           // the module's JavaScript text
};

// Compiles a code source without running it. nullopt when it is valid
// JavaScript; otherwise the reason, worded for the person who sent it (a
// Python module is recognised and refused as such).
std::optional<std::string> check_code_source(std::string_view name, std::string_view content);

// Runs the module, then the action; failures are results, never exceptions.
ActionResult run_dynamic_action(const DynamicActionCode& code, const Value& input, const ActionRunContext& ctx);

// How Mistral names a dynamic action object in its executor's messages.
ActionDescriptor dynamic_action_descriptor(const std::string& name);

}  // namespace bora::executor
