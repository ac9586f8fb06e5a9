// Date and time arithmetic past int64 microseconds is an error, as Python's
// OverflowError, never undefined behaviour (the yaql fuzz target found
// timespan(days => 10**17) overflowing).
#include <catch2/catch.hpp>

#include <string>

#include "bora/expr/yaql/yaql.h"

using namespace bora;

namespace {
Result<Value> eval_date(const std::string& text) {
  auto program = expr::yaql::compile(text);
  REQUIRE(program.ok());
  Value data = Value::dict({});
  expr::EvalContext ctx{data};
  return expr::yaql::evaluate(**program, ctx);
}
}  // namespace

TEST_CASE("date and time arithmetic out of range is an error") {
  for (const char* text : {"timespan(days => 100000000000000000)",
                           "timespan(days => 100000000) * 1000000000000",
                           "-timespan(microseconds => -9223372036854775807 - 1)",
                           "datetime(9000, 1, 1) + timespan(days => 100000000000)",
                           "datetime(1, 1, 1) - datetime(9000, 1, 1) - timespan(days => 100000000000)",
                           "datetime(100000000000000000000.0)"}) {
    INFO(text);
    auto r = eval_date(text);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("out of range"));
  }
  auto ok = eval_date("(datetime(2020, 1, 1) + timespan(days => 3)).day");
  REQUIRE(ok.ok());
  CHECK(*ok == Value(4));
}
