// Mistral's functions as values in Jinja (functools.partial objects over
// the data context: set to a name, held in a list, given to a macro,
// printed, tested), evaluated as the engine evaluates a task's string:
// through MistralExpressions, which registers them. Frozen from Mistral
// (scripts/gen_jinja_cases.py functions): test/data/expr/jinja/functions.jsonl.
#include <catch2/catch.hpp>

#include "../frozen_cases.h"
#include "bora/expr/mistral_expressions.h"

using namespace bora;

TEST_CASE("Mistral's functions are Jinja values as in Mistral", "[expr][jinja]") {
  expr::MistralExpressions e;
  int total = test::check_frozen_cases("test/data/expr/jinja/functions.jsonl", "text",
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
  CHECK(total >= 20);
}
