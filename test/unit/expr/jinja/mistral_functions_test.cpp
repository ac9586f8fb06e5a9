// Mistral's functions as values in Jinja (functools.partial objects over
// the data context: set to a name, held in a list, given to a macro,
// printed, tested), evaluated as the engine evaluates a task's string:
// through MistralExpressions, which registers them. Frozen from Mistral
// (scripts/gen_jinja_cases.py functions): test/data/expr/jinja/functions.jsonl.
#include <catch2/catch.hpp>

#include "../mistral_evaluated_cases.h"

using namespace bora;

TEST_CASE("Mistral's functions are Jinja values as in Mistral", "[expr][jinja]") {
  int total = test::check_cases_through_mistral_expressions("test/data/expr/jinja/functions.jsonl");
  CHECK(total >= 20);
}
