// Every frozen answer of the real Mistral for strings using Mistral's own
// functions (json_dump, json_pp, yaml_dump, yaml_parse) and the yaql
// behaviours production workbooks rely on (`$.servers.name` over a list,
// list() unpacking what yaql returns as iterators), evaluated as the engine
// evaluates a task's string: through MistralExpressions
// (scripts/gen_function_cases.py).
#include <catch2/catch.hpp>

#include "../frozen_cases.h"
#include "bora/expr/mistral_expressions.h"

using namespace bora;

TEST_CASE("Mistral's functions and yaql's collection rules give Mistral's answers", "[expr][functions]") {
  expr::MistralExpressions e;
  int total = test::check_frozen_cases("test/data/expr/functions/cases.jsonl", "text",
                                       [&](const std::string& text, const expr::EvalContext& ctx) -> Result<Value> {
                                         auto r = e.evaluate(Value(text), ctx.data, expr::ExpressionScope{});
                                         if (r) return r;
                                         // Frozen as the generator keeps it: the part after "error=",
                                         // without the data dump.
                                         std::string m = r.error().message;
                                         if (size_t at = m.find("error="); at != std::string::npos) m = m.substr(at + 6);
                                         if (size_t at = m.rfind(", data="); at != std::string::npos) m = m.substr(0, at);
                                         return bad_input(m);
                                       });
  CHECK(total >= 60);
}
