// core/log: the text and JSON line formats.
#include <catch2/catch.hpp>

#include "bora/core/json.h"
#include "bora/core/log.h"

using namespace bora;
using namespace bora::log;

TEST_CASE("text lines: time, level, component, message") {
  CHECK(format_line(Format::Text, Level::Warning, "2026-12-02T01:02:03.000004", "engine", "a b") ==
        "2026-12-02T01:02:03.000004 WARN  engine: a b");
}

TEST_CASE("json lines: one object, escaped, with the ids the message names") {
  std::string line = format_line(Format::Json, Level::Info, "2026-12-02T01:02:03.000004", "engine",
                                 "task done exec=0b7cbe6e-3b0a-4c6e-9d55-8d3e8f2a1c11 task_ex=1b7cbe6e-3b0a-4c6e-"
                                 "9d55-8d3e8f2a1c12, \"quoted\"\n é trace=4bf92f3577b34da6a3ce929d0e0e4736");
  auto v = parse_json(line);
  REQUIRE(v.ok());
  CHECK((*v)["time"] == Value("2026-12-02T01:02:03.000004"));
  CHECK((*v)["level"] == Value("info"));
  CHECK((*v)["component"] == Value("engine"));
  CHECK((*v)["message"].as_string().find("\"quoted\"\n é") != std::string::npos);
  CHECK((*v)["execution_id"] == Value("0b7cbe6e-3b0a-4c6e-9d55-8d3e8f2a1c11"));
  CHECK((*v)["task_execution_id"] == Value("1b7cbe6e-3b0a-4c6e-9d55-8d3e8f2a1c12"));
  CHECK((*v)["trace_id"] == Value("4bf92f3577b34da6a3ce929d0e0e4736"));
  CHECK(line.find('\n') == std::string::npos);
}

TEST_CASE("json lines: names are not ids") {
  auto v = parse_json(format_line(Format::Json, Level::Error, "t", "engine",
                                  "Failed to run task [error=x, wf=wf, task=t1, action=std.echo]"));
  REQUIRE(v.ok());
  CHECK((*v)["level"] == Value("error"));
  CHECK_FALSE(v->as_dict().contains("task_execution_id"));
  CHECK_FALSE(v->as_dict().contains("action_execution_id"));
}

TEST_CASE("formats by name") {
  CHECK(parse_format("json") == Format::Json);
  CHECK(parse_format("text") == Format::Text);
  CHECK_FALSE(parse_format("xml"));
}

TEST_CASE("log context: a step's ids go on its lines, text and JSON, without repeating the message's") {
  const char* exec = "0b7cbe6e-3b0a-4c6e-9d55-8d3e8f2a1c11";
  const char* task = "1b7cbe6e-3b0a-4c6e-9d55-8d3e8f2a1c12";
  CHECK(current_context().empty());
  {
    ScopedContext outer(exec, task, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
    const Context& c = current_context();
    CHECK(format_line(Format::Text, Level::Info, "t", "engine", "hello", c) ==
          std::string("t INFO  engine: hello [exec=") + exec + " task_ex=" + task +
              " trace=4bf92f3577b34da6a3ce929d0e0e4736 span=00f067aa0ba902b7]");
    CHECK(format_line(Format::Text, Level::Info, "t", "engine", std::string("done exec=") + exec, c) ==
          std::string("t INFO  engine: done exec=") + exec + " [task_ex=" + task +
              " trace=4bf92f3577b34da6a3ce929d0e0e4736 span=00f067aa0ba902b7]");
    auto v = parse_json(format_line(Format::Json, Level::Info, "t", "engine", "hello", c));
    REQUIRE(v.ok());
    CHECK((*v)["execution_id"] == Value(exec));
    CHECK((*v)["task_execution_id"] == Value(task));
    CHECK((*v)["trace_id"] == Value("4bf92f3577b34da6a3ce929d0e0e4736"));
    CHECK((*v)["span_id"] == Value("00f067aa0ba902b7"));
    {
      ScopedContext inner(exec);  // nests: only the execution now
      CHECK(format_line(Format::Text, Level::Info, "t", "engine", "x", current_context()) ==
            std::string("t INFO  engine: x [exec=") + exec + "]");
    }
    CHECK(std::string(current_context().span_id) == "00f067aa0ba902b7");
  }
  CHECK(current_context().empty());
  CHECK(format_line(Format::Text, Level::Info, "t", "engine", "plain", current_context()) == "t INFO  engine: plain");
}

TEST_CASE("log context: an id the message gives under another key is not repeated") {
  const char* exec = "0b7cbe6e-3b0a-4c6e-9d55-8d3e8f2a1c11";
  ScopedContext c(exec);
  std::string message = std::string("Workflow 'wf' [RUNNING -> SUCCESS, msg=None] (execution_id=") + exec +
                        ",task_ex_id=None)";
  CHECK(format_line(Format::Text, Level::Info, "t", "workflow_trace", message, current_context()) ==
        "t INFO  workflow_trace: " + message);
}
