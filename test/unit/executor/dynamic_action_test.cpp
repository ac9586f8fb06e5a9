// Dynamic actions: a code source is Python (Mistral's, stored as it is and
// run by the Python workers: test_dynamic_actions.py) or JavaScript,
// checked when stored and run as `new C(input).run(context)` or
// `f(input, context)`.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>

#include "bora/executor/dynamic_action.h"

using namespace bora;
using namespace bora::executor;

namespace {

const char* kModule = R"(
function Greeter(input) { this.name = input.name || "world"; }
Greeter.prototype.run = function (context) {
  return {text: "Hello, " + this.name + "!", task: context.execution.task_execution_id};
};
function add(input, context) { return input.a + input.b; }
function Boom(input) {}
Boom.prototype.run = function () { throw new Error("boom"); };
var notAFunction = 3;
)";

DynamicActionCode code(const char* class_name) {
  DynamicActionCode c;
  c.action_name = "my_action";
  c.class_name = class_name;
  c.code_source_name = "greeter.js";
  c.content = kModule;
  return c;
}

}  // namespace

TEST_CASE("valid JavaScript passes the code source check") {
  CHECK_FALSE(check_code_source("greeter.js", kModule).has_value());
  CHECK_FALSE(check_code_source("empty_functions", "function f() {}").has_value());
}

TEST_CASE("a syntax error is refused with the module name and line") {
  auto problem = check_code_source("broken", "function f() {\n  return (;\n}");
  REQUIRE(problem.has_value());
  CHECK_THAT(*problem, Catch::Contains("Code source 'broken' is neither valid JavaScript"));
  CHECK_THAT(*problem, Catch::Contains("nor a Python module"));
  CHECK_THAT(*problem, Catch::Contains("SyntaxError"));
  CHECK_THAT(*problem, Catch::Contains("line 2"));
}

TEST_CASE("a Python module is recognised and stored as it is, as Mistral stores it") {
  const char* python = "from mistral_lib import actions\n\nclass DummyAction(actions.Action):\n"
                       "    def run(self, context):\n        return 'hi'\n";
  CHECK_FALSE(check_code_source("dummy", python).has_value());
  CHECK(code_source_language(python) == CodeLanguage::python);
  // Even one Python cannot compile: that shows when its action runs.
  CHECK_FALSE(check_code_source("defs", "def f(x):\n    return (x\n").has_value());
  CHECK(code_source_language("import os\n") == CodeLanguage::python);
  // JavaScript is JavaScript, a Python-looking line in a comment or not.
  CHECK(code_source_language(kModule) == CodeLanguage::javascript);
  CHECK(code_source_language("/*\nimport os\n*/\nfunction f() {}\n") == CodeLanguage::javascript);
  // What does not compile as JavaScript is Python, as every module is to
  // Mistral (stored as it is where Python modules are taken).
  CHECK(code_source_language("function f( {") == CodeLanguage::python);
  CHECK(code_source_language("") == CodeLanguage::javascript);
}

TEST_CASE("a constructor with prototype.run gets the input and the context") {
  ActionRunContext ctx;
  ctx.task_execution_id = "t-1";
  auto r = run_dynamic_action(code("Greeter"), Value::dict({{"name", Value("Bora")}}), ctx);
  REQUIRE_FALSE(r.failed);
  CHECK(r.data["text"] == Value("Hello, Bora!"));
  CHECK(r.data["task"] == Value("t-1"));
  auto defaults = run_dynamic_action(code("Greeter"), Value(), ActionRunContext{});
  REQUIRE_FALSE(defaults.failed);
  CHECK(defaults.data["text"] == Value("Hello, world!"));
  CHECK(defaults.data["task"].is_null());
}

TEST_CASE("a plain function is called with the input") {
  auto r = run_dynamic_action(code("add"), Value::dict({{"a", Value(2)}, {"b", Value(40)}}), ActionRunContext{});
  REQUIRE_FALSE(r.failed);
  CHECK(r.data == Value(42));
}

TEST_CASE("a throw fails the action with Mistral's executor wording and the place") {
  ActionRunContext ctx;
  ctx.action_execution_id = "a-1";
  auto r = run_dynamic_action(code("Boom"), Value(Dict{}), ctx);
  REQUIRE(r.failed);
  std::string text = r.error.as_string();
  CHECK_THAT(text, Catch::StartsWith("The action raised an exception [action=<mistral.actions.dynamic_action."
                                     "DynamicAction object at 0x"));
  CHECK_THAT(text, Catch::Contains("action_ex_id=a-1, msg='Error: boom (greeter.js:8)'"));
}

TEST_CASE("a missing or non-function class name says what the module lacks") {
  for (const char* name : {"Nope", "notAFunction"}) {
    auto r = run_dynamic_action(code(name), Value(Dict{}), ActionRunContext{});
    REQUIRE(r.failed);
    CHECK_THAT(r.error.as_string(),
               Catch::Contains(std::string("code source 'greeter.js' defines no function named '") + name + "'"));
  }
}

TEST_CASE("runaway memory in a dynamic action fails it, not the process") {
  DynamicActionCode hog{"hog", "Hog", "hog.js",
                        "function Hog() {}\nHog.prototype.run = function () { var s = 'x'; while (true) s += s; };",
                        "", 1};
  auto r = run_dynamic_action(hog, Value(Dict{}), ActionRunContext{});
  CHECK(r.failed);
}

TEST_CASE("a script that never ends is stopped at the deadline, and the next run works") {
  DynamicActionCode spin{"spin", "Spin", "spin.js",
                         "function Spin() {}\nSpin.prototype.run = function () { while (true) {} };", "", 1};
  ActionRunContext ctx;
  ctx.action_execution_id = "a-spin";
  ctx.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
  auto started = std::chrono::steady_clock::now();
  auto r = run_dynamic_action(spin, Value(Dict{}), ctx);
  auto took = std::chrono::steady_clock::now() - started;
  REQUIRE(r.failed);
  CHECK_THAT(r.error.as_string(), Catch::Contains("action_ex_id=a-spin, msg='the action was stopped"));
  CHECK(took < std::chrono::seconds(5));  // bounded: stopped, not run to the end
  auto next = run_dynamic_action(code("add"), Value::dict({{"a", Value(1)}, {"b", Value(1)}}), ActionRunContext{});
  REQUIRE_FALSE(next.failed);
  CHECK(next.data == Value(2));
}

TEST_CASE("a cancelled action's script is stopped") {
  std::atomic<bool> cancelled{true};
  ActionRunContext ctx;
  ctx.cancelled = &cancelled;
  DynamicActionCode spin{"spin", "spin", "spin.js", "function spin() { for (;;) {} }", "", 1};
  auto r = run_dynamic_action(spin, Value(Dict{}), ctx);
  REQUIRE(r.failed);
  CHECK_THAT(r.error.as_string(), Catch::Contains("the action was stopped"));
}

TEST_CASE("Python detection reads a huge code source in one pass, without crashing") {
  // std::regex recursed per character of such a source and killed the process.
  auto started = std::chrono::steady_clock::now();
  std::string parens = "def f(" + std::string(1 << 20, ')') + " x\n";
  auto problem = check_code_source("parens", parens);
  REQUIRE(problem.has_value());
  CHECK_THAT(*problem, Catch::Contains("is neither valid JavaScript"));
  std::string spaced = "class A" + std::string(1 << 20, ' ') + ":\n";
  CHECK(code_source_language(spaced) == CodeLanguage::python);
  std::string long_line = "var s = '" + std::string(4 << 20, 'a') + "'\n@";
  problem = check_code_source("long", long_line);
  REQUIRE(problem.has_value());
  CHECK_THAT(*problem, Catch::Contains("is neither valid JavaScript"));
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
}

TEST_CASE("Python detection keeps its line rules") {
  // Where Python modules are not taken, a module that is no JavaScript is
  // refused unless a line only Python has makes it Python (then refused
  // as Python, saying how to allow it: services/code_sources).
  auto is_python = [](const char* source) { return !check_code_source("m", source).has_value(); };
  CHECK(is_python("import os\n"));
  CHECK(is_python("  from os.path import join\n"));
  CHECK(is_python("def f(a, b) -> int:\n  return 1\n"));
  CHECK(is_python("class A(object) :\n  pass\n"));
  CHECK(is_python("x\nclass A:\n  pass\n"));
  CHECK_FALSE(is_python("import 1\n@"));
  CHECK_FALSE(is_python("from os importx\n@"));
  CHECK_FALSE(is_python("def f(a) -> int\n@"));
  CHECK_FALSE(is_python("def (a):\n@"));
  CHECK_FALSE(is_python("class A(B)\n@"));
}
