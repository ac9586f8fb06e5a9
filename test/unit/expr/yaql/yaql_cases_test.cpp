// Every frozen answer of the real Mistral for a YAQL expression
// (scripts/gen_yaql_cases.py): same value (int and float distinct), or an
// error with the same message.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "../same_value.h"
#include "bora/core/file.h"
#include "bora/core/json.h"
#include "bora/expr/yaql/yaql.h"

using namespace bora;
using bora::test::same;

TEST_CASE("YAQL gives Mistral's answers") {
  auto text = read_text_file(std::string(BORA_SOURCE_DIR) + "/test/data/expr/yaql/cases.jsonl", 16 << 20);
  REQUIRE(text.ok());
  std::istringstream lines(*text);
  std::string line;
  int total = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    auto c = parse_json(line);
    REQUIRE(c.ok());
    ++total;
    const std::string& expr = (*c)["expr"].as_string();
    INFO("expression: " << expr);
    Value data = (*c)["context"];
    expr::EvalContext ctx{data};
    auto program = expr::yaql::compile(expr);
    Result<Value> result = program ? expr::yaql::evaluate(**program, ctx) : Result<Value>(program.error());
    if (const Value* expected = c->find("result")) {
      if (!result.ok()) {
        FAIL_CHECK("error " << result.error().message << " instead of " << to_json(*expected));
        continue;
      }
      INFO("got " << to_json(*result) << ", expected " << to_json(*expected));
      CHECK(same(*result, *expected));
    } else {
      const std::string& error = (*c)["error"].as_string();
      if (result.ok()) {
        FAIL_CHECK("got " << to_json(*result) << " instead of the error " << error);
        continue;
      }
      // Generated matrix cases: yaql's wording for an odd operand is not
      // worth matching word for word; failing is what counts.
      if (!c->find("error_any")) CHECK(result.error().message == error);
    }
  }
  CHECK(total >= 200);
}
