// core/python_regex_syntax against Python's own answers, frozen by
// scripts/gen_python_regex_cases.py into test/data/core/python_regex_errors.json.
#include <catch2/catch.hpp>

#include <string>

#include "bora/core/file.h"
#include "bora/core/json.h"
#include "bora/core/python_regex_syntax.h"

using namespace bora;

TEST_CASE("every pattern gets Python's verdict and message") {
  auto text = read_text_file(std::string(BORA_SOURCE_DIR) + "/test/data/core/python_regex_errors.json");
  REQUIRE(text.ok());
  auto data = parse_json(*text);
  REQUIRE(data.ok());
  const auto& cases = (*data)["cases"].as_list();
  REQUIRE(cases.size() > 100);
  size_t errors = 0;
  for (const auto& c : cases) {
    std::string pattern = c["pattern"].as_string();
    auto got = python_regex_syntax_error(pattern);
    INFO("pattern: " << pattern);
    if (c["error"].is_null()) {
      CHECK(got == std::nullopt);
    } else {
      ++errors;
      REQUIRE(got.has_value());
      CHECK(*got == c["error"].as_string());
    }
  }
  CHECK(errors > 60);
}

TEST_CASE("deep nesting is checked without recursion") {
  std::string open(200000, '(');
  auto e = python_regex_syntax_error(open);
  REQUIRE(e);
  CHECK(*e == "missing ), unterminated subpattern at position 199999");
  std::string balanced = open + "a" + std::string(200000, ')');
  CHECK_FALSE(python_regex_syntax_error(balanced));
}
