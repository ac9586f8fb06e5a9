// Every frozen answer of the real Mistral for a YAQL expression
// (scripts/gen_yaql_cases.py).
#include "../frozen_cases.h"
#include "bora/expr/yaql/yaql.h"

using namespace bora;

TEST_CASE("YAQL gives Mistral's answers") {
  int total = test::check_frozen_cases("test/data/expr/yaql/cases.jsonl", "expr",
                                       [](const std::string& expr, const expr::EvalContext& ctx) {
                                         auto program = expr::yaql::compile(expr);
                                         if (!program) return Result<Value>(program.error());
                                         return expr::yaql::evaluate(**program, ctx);
                                       });
  CHECK(total >= 200);
}

// Python's strings in yaql (scripts/python_string_cases.py): str.format
// and its mini-language, Unicode case mapping, string literal escapes.
TEST_CASE("YAQL gives Mistral's answers for Python's strings") {
  int total = test::check_frozen_cases("test/data/expr/yaql/strings.jsonl", "expr",
                                       [](const std::string& expr, const expr::EvalContext& ctx) {
                                         auto program = expr::yaql::compile(expr);
                                         if (!program) return Result<Value>(program.error());
                                         return expr::yaql::evaluate(**program, ctx);
                                       });
  CHECK(total >= 300);
}
