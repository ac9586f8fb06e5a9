// core/python_string_format against Python's own answers
// (scripts/gen_string_format_cases.py froze them in
// test/data/core/string_format.jsonl), and the budget hook.
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

#include "bora/core/file.h"
#include "bora/core/json.h"
#include "bora/core/python_string_format.h"

using namespace bora;

namespace {

// JSON has no inf/nan: the generator writes them as {"float": "inf"}.
Value from_case(const Value& v) {
  if (v.is_dict() && v.find("float")) {
    const std::string& f = v["float"].as_string();
    if (f == "nan") return Value(std::nan(""));
    return Value(f == "-inf" ? -INFINITY : INFINITY);
  }
  if (v.is_list()) {
    List out;
    for (const auto& x : v.as_list()) out.push_back(from_case(x));
    return Value(std::move(out));
  }
  return v;
}

Result<std::string> run(const Value& c) {
  const std::string& op = c["op"].as_string();
  if (op == "percent") {
    return python_percent_format(c["fmt"].as_string(), from_case(c["args"]), c["tuple"].truthy());
  }
  if (op == "format") {
    std::vector<Value> args;
    Value list = from_case(c["args"]);
    for (const auto& a : list.as_list()) args.push_back(a);
    std::vector<std::pair<std::string, Value>> kwargs;
    if (const Value* kw = c.find("kwargs"))
      for (const auto& [k, v] : kw->as_dict()) kwargs.emplace_back(k, v);
    return python_str_format(c["fmt"].as_string(), args, kwargs);
  }
  return python_format_value(from_case(c["value"]), c["spec"].as_string());
}

}  // namespace

TEST_CASE("%-formatting, str.format and format() give Python's answers") {
  auto text = read_text_file(std::string(BORA_SOURCE_DIR) + "/test/data/core/string_format.jsonl", 16 << 20);
  REQUIRE(text.ok());
  std::istringstream lines(*text);
  std::string line;
  int total = 0;
  std::vector<std::string> failures;
  while (std::getline(lines, line)) {
    auto c = parse_json(line);
    REQUIRE(c.ok());
    ++total;
    Result<std::string> got = Error{ErrorKind::Internal, "threw"};
    try {
      got = run(*c);
    } catch (const std::exception& e) {
      got = Error{ErrorKind::Internal, std::string("threw ") + e.what()};
    }
    std::string want = c->find("result") ? "= " + (*c)["result"].as_string() : "! " + (*c)["error"].as_string();
    std::string have = got.ok() ? "= " + *got : "! " + got.error().message;
    if (have != want) failures.push_back(line + "\n    got " + have);
  }
  INFO(failures.size() << " of " << total << " differ");
  for (size_t i = 0; i < failures.size() && i < 400; ++i) UNSCOPED_INFO(failures[i]);
  CHECK(failures.empty());
  CHECK(total > 10000);
}

TEST_CASE("a huge width or precision is charged before it is built") {
  uint64_t charged = 0;
  PyFormatHooks hooks;
  hooks.charge = [&](uint64_t n) {
    charged += n;
    if (charged > 1000000) throw std::runtime_error("budget");
  };
  CHECK_THROWS_AS(python_str_format("{:1000000000}", {Value(1)}, {}, hooks), std::runtime_error);
  CHECK_THROWS_AS(python_percent_format("%1000000000d", Value(1), false, hooks), std::runtime_error);
  CHECK_THROWS_AS(python_percent_format("%.1000000000f", Value(1.5), false, hooks), std::runtime_error);
  CHECK_THROWS_AS(python_format_value(Value("x"), "*^1000000000", hooks), std::runtime_error);
  charged = 0;
  CHECK(python_str_format("{:>5}", {Value("ab")}, {}, hooks).value() == "   ab");
}

TEST_CASE("engines print values their own way through the hooks") {
  PyFormatHooks hooks;
  hooks.str = [](const Value&) { return std::string("(1, 2)"); };
  hooks.type_name = [](const Value&) { return std::string("tuple"); };
  CHECK(python_str_format("{}", {Value::list({1, 2})}, {}, hooks).value() == "(1, 2)");
  CHECK(python_str_format("{0[5]}", {Value::list({1, 2})}, {}, hooks).error().message == "tuple index out of range");
  hooks.formatter_class = true;
  CHECK(python_str_format("{}", {}, {}, hooks).error().message == "tuple index out of range");
  CHECK(python_str_format("{}{0}", {Value(1)}, {}, hooks).error().message ==
        "cannot switch from manual field specification to automatic field numbering");
}
